// Every check of the review, once: what it looks for, why it matters and what to do, the peer
// scanners' rules it mirrors, and how severe GitHub code scanning shows it (SARIF's
// security-severity, 0.1-10: 9.0 and up critical, 7.0 high, 4.0 medium, below low). The verdict
// is the decision's (EVALUATOR, PROOF-UNMODELLED), what cannot be read or placed (ROLE-*,
// TRUST-UNREADABLE, IAM-SYNTAX), and an Allow that names an action or a resource beyond the guide's
// (IAM-EXTRA-*: IAM's service reference may not know every resource an action takes, as a
// recommender or a filter for GetRecommendations). How the documents are written (a wildcard,
// NotAction, a principal but Pinpoint) is a warning beside it: a document written so that grants
// exactly the guide's access passes, and one that grants more fails through the decision, with
// the warning saying how.

export interface Check {
  /** A short name, PascalCase, as SARIF rules carry one. */
  readonly name: string;
  /** One sentence: what a finding of this check says. */
  readonly summary: string;
  /** Why it matters. */
  readonly description: string;
  /** What to do about it. */
  readonly help: string;
  readonly severity: "error" | "warning";
  readonly securitySeverity: number;
  /** The peer scanners' rules it mirrors. */
  readonly mirrors?: string;
}

export const CHECKS = {
  EVALUATOR: {
    name: "EvaluatorDecision",
    summary: "The IAM evaluator allows a request the role is not meant to grant, or denies one it must grant.",
    description:
      "The review decides every request the role can receive: every principal and context that could assume it, and every action of every service on every resource its sessions could request, split into classes that the documents treat alike, one request of each evaluated by a real IAM policy evaluator. This request (and its whole class) has another outcome than AWS's guide: the role is wider than the guide, or Pinpoint cannot use it.",
    help: "Narrow the policy or the trust to the guide's: personalize:DescribeSolution on the solution, personalize:DescribeCampaign and personalize:GetRecommendations on the campaign; sts:AssumeRole for pinpoint.amazonaws.com when aws:SourceAccount is the account and aws:SourceArn one of its Pinpoint projects.",
    severity: "error",
    securitySeverity: 8.0,
  },
  "IAM-SYNTAX": {
    name: "PolicySyntax",
    summary: "A policy document is not valid IAM policy syntax.",
    description: "IAM refuses, or reads otherwise than intended, a document that breaks its grammar.",
    help: "Fix the document as the message says; aws_iam_policy_document writes valid syntax.",
    severity: "error",
    securitySeverity: 5.0,
  },
  "IAM-LINT": {
    name: "PolicyLint",
    summary: "A policy document has a construct IAM accepts but best practice avoids.",
    description: "The IAM policy linter's remarks beyond syntax errors.",
    help: "Consider rewriting the statement as the message suggests.",
    severity: "warning",
    securitySeverity: 2.0,
  },
  "IAM-NOT-ACTION": {
    name: "AllowNotAction",
    summary: "An Allow statement uses NotAction, which grants every other action.",
    description: "NotAction with Allow grants every action that exists or will exist, but those listed.",
    help: "List the actions to allow in Action.",
    severity: "warning",
    securitySeverity: 8.0,
  },
  "IAM-NOT-RESOURCE": {
    name: "AllowNotResource",
    summary: "An Allow statement uses NotResource, which grants every other resource.",
    description: "NotResource with Allow grants every resource but those listed, in every account.",
    help: "List the resources to allow in Resource.",
    severity: "warning",
    securitySeverity: 8.0,
  },
  "IAM-ADMIN": {
    name: "FullAccess",
    summary: 'A statement grants full access ("*" or "service:*").',
    description: "Full access to a service, or to every service, is far wider than reading one campaign.",
    help: "Allow only the guide's three actions.",
    severity: "warning",
    securitySeverity: 9.0,
    mirrors: "Checkov CKV_AWS_62, CKV_AWS_1; cdk-nag AwsSolutions-IAM5",
  },
  "IAM-WILDCARD-ACTION": {
    name: "WildcardAction",
    summary: "A statement grants actions through a wildcard.",
    description: "A wildcard action grants every action it matches, including ones AWS adds later.",
    help: "List the actions to allow by name.",
    severity: "warning",
    securitySeverity: 7.0,
    mirrors: "Checkov CKV_AWS_63; Trivy AWS-0057; cdk-nag AwsSolutions-IAM5",
  },
  "IAM-PASSROLE": {
    name: "PassRole",
    summary: "A statement grants iam:PassRole.",
    description: "iam:PassRole lets the role hand another role to a service: a privilege-escalation path.",
    help: "Remove iam:PassRole; Pinpoint's recommender role needs none.",
    severity: "warning",
    securitySeverity: 9.0,
    mirrors: "Checkov CKV_AWS_286",
  },
  "IAM-EXTRA-ACTION": {
    name: "ActionBeyondGuide",
    summary: "A statement grants an action that AWS's guide does not.",
    description:
      "The role needs only personalize:DescribeSolution, personalize:DescribeCampaign and personalize:GetRecommendations.",
    help: "Remove the action.",
    severity: "error",
    securitySeverity: 6.0,
  },
  "IAM-WILDCARD-RESOURCE": {
    name: "WildcardResource",
    summary: "A statement grants a wildcard resource.",
    description: "A wildcard resource grants every resource it matches: other campaigns, accounts or Regions.",
    help: "Name the campaign's and the solution's ARNs.",
    severity: "warning",
    securitySeverity: 7.0,
    mirrors: "Checkov CKV_AWS_355, CKV_AWS_290; Trivy AWS-0057; cdk-nag AwsSolutions-IAM5",
  },
  "IAM-EXTRA-RESOURCE": {
    name: "ResourceBeyondGuide",
    summary: "A statement grants a resource that is neither the campaign nor its solution.",
    description: "The role needs only the campaign and the solution it deploys.",
    help: "Remove the resource.",
    severity: "error",
    securitySeverity: 6.0,
  },
  "PROOF-UNMODELLED": {
    name: "ProofIncomplete",
    summary: "The review met something it does not model, so it cannot decide every request.",
    description:
      "The review fails closed: a condition operator, a key's type or a policy variable whose value differs from one request to another is not one the decision models, so what the role allows cannot be proven.",
    help: "Follow the message: write the condition with an operator and key the review models, or name the values literally.",
    severity: "error",
    securitySeverity: 6.0,
  },
  "TRUST-PRINCIPAL": {
    name: "TrustPrincipal",
    summary: "The trust names a principal other than pinpoint.amazonaws.com, or uses NotPrincipal.",
    description: "Only Amazon Pinpoint needs to assume the role.",
    help: 'Trust only { "Service": "pinpoint.amazonaws.com" }.',
    severity: "warning",
    securitySeverity: 8.0,
    mirrors: "Checkov CKV_AWS_60, CKV_AWS_61",
  },
  "TRUST-ACTION": {
    name: "TrustAction",
    summary: "The trust allows an action other than sts:AssumeRole, or uses NotAction.",
    description: "Pinpoint assumes the role with sts:AssumeRole only.",
    help: "Allow only sts:AssumeRole.",
    severity: "warning",
    securitySeverity: 6.0,
  },
  "TRUST-NO-CONDITIONS": {
    name: "TrustWithoutConfusedDeputyCondition",
    summary: "The trust lacks one of the confused-deputy conditions (aws:SourceAccount, aws:SourceArn).",
    description:
      "AWS recommends both; without them Pinpoint acting for another account can assume the role. The evaluator's findings say whether it can here.",
    help: "Add StringEquals aws:SourceAccount (the account) and ArnLike aws:SourceArn (its Pinpoint projects).",
    severity: "warning",
    securitySeverity: 4.0,
  },
  "TRUST-UNREADABLE": {
    name: "TrustUnreadable",
    summary: "A role's trust policy cannot be read, so whether Pinpoint may assume it cannot be told.",
    description:
      "The review fails closed: a trust unknown until apply, or not a document IAM accepts, may let Pinpoint (or anyone) assume the role.",
    help: "Build the trust from values known at plan time, or review a plan made once the resources it names exist.",
    severity: "error",
    securitySeverity: 7.0,
  },
  "ROLE-SEVERAL-POLICIES": {
    name: "SeveralPolicies",
    summary: "More than one policy reaches the role.",
    description: "AWS's guide attaches one policy; several are harder to review.",
    help: "Keep the guide's one policy.",
    severity: "warning",
    securitySeverity: 2.0,
  },
  "ROLE-GRANTS": {
    name: "UnprovenGrant",
    summary: "A policy that may reach the role could not be read or placed.",
    description:
      "The review fails closed: a policy whose document is unknown, that the plan does not hold, or whose role cannot be told may grant anything.",
    help: "Follow the message: build documents from values known at plan time, attach by reference, or review with the configuration the plan was made from (--dir or --stack-dir).",
    severity: "error",
    securitySeverity: 7.0,
  },
  "ROLE-ACCESS-LOSS": {
    name: "PolicyManagedTwice",
    summary: "The role's policies are managed two ways at once: a later apply takes access away.",
    description:
      "An exclusive manager (managed_policy_arns, an exclusive attachment set, inline_policy blocks, aws_iam_policy_attachment) detaches what another resource attaches: Pinpoint loses access, or each apply flips it.",
    help: "Manage each role's policies one way: standalone attachments, or the exclusive manager listing every policy.",
    severity: "error",
    securitySeverity: 5.0,
  },
  "ROLE-BOUNDARY": {
    name: "UnreadBoundary",
    summary: "The role's permissions boundary could not be read: the role may grant less than the report says.",
    description:
      "A permissions boundary only narrows what the role's policies grant, so the review proves the role is at most the guide's; a boundary whose policy the plan neither creates nor reads may also take away the guide's access.",
    help: "Create or read the boundary's policy in the same configuration (a data.aws_iam_policy), so that the review evaluates the role under it.",
    severity: "warning",
    securitySeverity: 2.0,
  },
} as const satisfies Record<string, Check>;

export type CheckId = keyof typeof CHECKS;
