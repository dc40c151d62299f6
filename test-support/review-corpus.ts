import type { TerraformPlan } from "../packages/review/src/offline-plan";
import type { PolicyDocument, Statement } from "../packages/review/src/documents";

/**
 * A corpus of plans for the review, made by mutating one real plan of this project's stack: each
 * mutation widens the role in one way (actions, resources, accounts, Regions, trust principals,
 * trust conditions, policies put on the role) and must fail, or rewrites its documents without
 * changing what IAM grants and must pass.
 */
export type Kind =
  "actions" | "resources" | "accounts" | "regions" | "principals" | "conditions" | "placement" | "equivalent";

export interface Mutation {
  readonly kind: Kind;
  readonly name: string;
  readonly verdict: "PASS" | "FAIL";
  readonly permissions?: (policy: PolicyDocument) => PolicyDocument;
  readonly trust?: (trust: PolicyDocument) => PolicyDocument;
  /** A change to the plan itself: another resource that puts a policy on the role, say. */
  readonly plan?: (plan: TerraformPlan) => void;
  /** The same change to the configuration the plan was made from (its cdk.tf.json), where the review reads it. */
  readonly configuration?: (config: { resource: Record<string, Record<string, Record<string, unknown>>> }) => void;
}

/** The place and IDs of the plan the corpus mutates (the review's example values). */
export const PLACE = {
  account: "111122223333",
  region: "us-east-1",
  campaign: "example-campaign",
  solution: "example-solution",
};
const A = PLACE.account;
const B = "999988887777";
const R = PLACE.region;
const personalize = (type: string, id: string, place: { p?: string; r?: string; a?: string } = {}) =>
  `arn:${place.p ?? "aws"}:personalize:${place.r ?? R}:${place.a ?? A}:${type}/${id}`;
const CAMPAIGN = personalize("campaign", PLACE.campaign);
const SOLUTION = personalize("solution", PLACE.solution);
const GUIDE_ACTIONS = [
  "personalize:DescribeSolution",
  "personalize:DescribeCampaign",
  "personalize:GetRecommendations",
];
const PROJECTS = `arn:aws:mobiletargeting:${R}:${A}:apps/*`;
const BROAD: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "personalize:*", Resource: "*" }],
};

function statements(document: PolicyDocument): Statement[] {
  return Array.isArray(document.Statement) ? document.Statement : [document.Statement];
}
const first = (document: PolicyDocument): Statement => statements(document)[0];
const withStatements = (document: PolicyDocument, list: Statement[]): PolicyDocument => ({
  ...document,
  Statement: list,
});
const asList = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** The guide's statement with its actions or resources changed. */
const guideWith = (change: (s: Statement) => Statement) => (p: PolicyDocument) =>
  withStatements(p, [change(first(p)), ...statements(p).slice(1)]);
const addStatement = (s: Statement) => (p: PolicyDocument) => withStatements(p, [...statements(p), s]);
/** The trust's statement with its conditions replaced. */
const trustConditions = (condition: Statement["Condition"] | undefined) => (t: PolicyDocument) => {
  const { Condition: _old, ...rest } = first(t);
  return withStatements(t, [{ ...rest, ...(condition === undefined ? {} : { Condition: condition }) }]);
};
const GUIDE_CONDITIONS = { StringEquals: { "aws:SourceAccount": A }, ArnLike: { "aws:SourceArn": PROJECTS } };

function actions(): Mutation[] {
  const extra = [
    "personalize:*",
    "personalize:Get*",
    "personalize:Describe*",
    "personalize:*Recommendations",
    "personalize:UpdateCampaign",
    "personalize:GetPersonalizedRanking",
    "PERSONALIZE:DELETECAMPAIGN",
    "*",
    "iam:PassRole",
    "s3:GetObject",
    "kms:Decrypt",
    "ec2:RunInstances",
  ];
  // Wildcards that IAM reads as no more than the guide's access on these two resources: the one
  // Personalize action they match is the guide's, or no action of theirs applies to a campaign or a
  // solution. They pass; the review says how they are written (a warning).
  const same = ["personalize:?etRecommendations*", "mobiletargeting:*"];
  return [
    ...extra.map((action): Mutation => ({
      kind: "actions",
      name: `${action} added to the guide's statement`,
      verdict: "FAIL",
      permissions: guideWith((s) => ({ ...s, Action: [...asList(s.Action), action] })),
    })),
    ...same.map((action): Mutation => ({
      kind: "equivalent",
      name: `${action} added to the guide's statement, which IAM reads as no wider`,
      verdict: "PASS",
      permissions: guideWith((s) => ({ ...s, Action: [...asList(s.Action), action] })),
    })),
    ...extra.map((action): Mutation => ({
      kind: "actions",
      name: `${action} in a second statement on the campaign and the solution`,
      verdict: "FAIL",
      permissions: addStatement({ Effect: "Allow", Action: action, Resource: [SOLUTION, CAMPAIGN] }),
    })),
    {
      kind: "actions",
      name: "NotAction of the guide's actions, on its resources",
      verdict: "FAIL",
      permissions: addStatement({ Effect: "Allow", NotAction: GUIDE_ACTIONS, Resource: [SOLUTION, CAMPAIGN] }),
    },
    {
      kind: "actions",
      name: "NotAction iam:*, on the campaign",
      verdict: "FAIL",
      permissions: addStatement({ Effect: "Allow", NotAction: "iam:*", Resource: CAMPAIGN }),
    },
    {
      kind: "actions",
      name: "personalize:* allowed, and a conditional Deny of all but the guide's actions",
      verdict: "FAIL",
      permissions: (p) =>
        withStatements(p, [
          { ...first(p), Action: "personalize:*" },
          {
            Effect: "Deny",
            NotAction: GUIDE_ACTIONS,
            Resource: "*",
            Condition: { Bool: { "aws:SecureTransport": "true" } },
          },
        ]),
    },
  ];
}

function resources(): Mutation[] {
  const extra = [
    "*",
    personalize("campaign", "*"),
    personalize("campaign", `${PLACE.campaign}*`),
    personalize("campaign", `${PLACE.campaign.slice(0, -1)}?`),
    personalize("campaign", "other-campaign"),
    `arn:aws:personalize:${R}:${A}:*`,
    personalize("recommender", PLACE.campaign),
    personalize("filter", "*"),
    personalize("solution", "*"),
    personalize("dataset-group", "books"),
    "arn:aws:personalize:*:*:*",
  ];
  return [
    ...extra.map((resource): Mutation => ({
      kind: "resources",
      name: `${resource} added to the guide's statement`,
      verdict: "FAIL",
      permissions: guideWith((s) => ({ ...s, Resource: [...asList(s.Resource), resource] })),
    })),
    ...extra.map((resource): Mutation => ({
      kind: "resources",
      name: `${resource} in place of the campaign`,
      verdict: "FAIL",
      permissions: guideWith((s) => ({ ...s, Resource: [SOLUTION, resource] })),
    })),
    {
      kind: "resources",
      name: "NotResource of the campaign and the solution",
      verdict: "FAIL",
      permissions: addStatement({ Effect: "Allow", Action: GUIDE_ACTIONS, NotResource: [SOLUTION, CAMPAIGN] }),
    },
  ];
}

function accounts(): Mutation[] {
  return [
    {
      kind: "accounts",
      name: `the campaign and solution of account ${B} too`,
      verdict: "FAIL",
      permissions: guideWith((s) => ({
        ...s,
        Resource: [
          ...asList(s.Resource),
          personalize("campaign", PLACE.campaign, { a: B }),
          personalize("solution", PLACE.solution, { a: B }),
        ],
      })),
    },
    {
      kind: "accounts",
      name: "the campaign of any account",
      verdict: "FAIL",
      permissions: guideWith((s) => ({
        ...s,
        Resource: [SOLUTION, personalize("campaign", PLACE.campaign, { a: "*" })],
      })),
    },
    {
      kind: "accounts",
      name: `aws:SourceAccount ${A} or ${B}, and ${B}'s projects`,
      verdict: "FAIL",
      trust: trustConditions({
        StringEquals: { "aws:SourceAccount": [A, B] },
        ArnLike: { "aws:SourceArn": [PROJECTS, `arn:aws:mobiletargeting:${R}:${B}:apps/*`] },
      }),
    },
    {
      kind: "accounts",
      name: `aws:SourceAccount ${A} or ${B}, the source ARN in any account`,
      verdict: "FAIL",
      trust: trustConditions({
        StringEquals: { "aws:SourceAccount": [A, B] },
        ArnLike: { "aws:SourceArn": `arn:aws:mobiletargeting:${R}:*:apps/*` },
      }),
    },
    {
      kind: "accounts",
      name: `aws:SourceAccount ${B} in place of this account`,
      verdict: "FAIL",
      trust: trustConditions({ ...GUIDE_CONDITIONS, StringEquals: { "aws:SourceAccount": B } }),
    },
    {
      kind: "accounts",
      name: "aws:SourceAccount StringLike *, the source ARN in any account",
      verdict: "FAIL",
      trust: trustConditions({
        StringLike: { "aws:SourceAccount": "*" },
        ArnLike: { "aws:SourceArn": `arn:aws:mobiletargeting:${R}:*:apps/*` },
      }),
    },
    {
      kind: "accounts",
      name: "aws:SourceAccount StringLike with a ? for its last digit",
      verdict: "FAIL",
      trust: trustConditions({
        StringLike: { "aws:SourceAccount": `${A.slice(0, -1)}?` },
        ArnLike: { "aws:SourceArn": `arn:aws:mobiletargeting:${R}:*:apps/*` },
      }),
    },
  ];
}

function regions(): Mutation[] {
  return [
    {
      kind: "regions",
      name: "the campaign in us-west-2 too",
      verdict: "FAIL",
      permissions: guideWith((s) => ({
        ...s,
        Resource: [...asList(s.Resource), personalize("campaign", PLACE.campaign, { r: "us-west-2" })],
      })),
    },
    {
      kind: "regions",
      name: "the campaign in any Region",
      verdict: "FAIL",
      permissions: guideWith((s) => ({
        ...s,
        Resource: [SOLUTION, personalize("campaign", PLACE.campaign, { r: "*" })],
      })),
    },
    {
      kind: "regions",
      name: "this account's projects in any Region",
      verdict: "FAIL",
      trust: trustConditions({
        ...GUIDE_CONDITIONS,
        ArnLike: { "aws:SourceArn": `arn:aws:mobiletargeting:*:${A}:apps/*` },
      }),
    },
    {
      kind: "regions",
      name: "this account's projects in eu-west-1 too",
      verdict: "FAIL",
      trust: trustConditions({
        ...GUIDE_CONDITIONS,
        ArnLike: { "aws:SourceArn": [PROJECTS, `arn:aws:mobiletargeting:eu-west-1:${A}:apps/*`] },
      }),
    },
    {
      kind: "regions",
      name: "this account's projects in us-west-2 only",
      verdict: "FAIL",
      trust: trustConditions({
        ...GUIDE_CONDITIONS,
        ArnLike: { "aws:SourceArn": `arn:aws:mobiletargeting:us-west-2:${A}:apps/*` },
      }),
    },
    {
      kind: "regions",
      name: "this account's projects in any Region, without aws:SourceAccount",
      verdict: "FAIL",
      trust: trustConditions({ ArnLike: { "aws:SourceArn": `arn:aws:mobiletargeting:*:${A}:*` } }),
    },
  ];
}

function principals(): Mutation[] {
  const added = (label: string, principal: Record<string, string | string[]>): Mutation => ({
    kind: "principals",
    name: `${label} added to the trust's principals`,
    verdict: "FAIL",
    trust: (t) => {
      const s = first(t);
      const existing = s.Principal === "*" || s.Principal === undefined ? {} : s.Principal;
      const merged: Record<string, string[]> = {};
      for (const [k, v] of [...Object.entries(existing), ...Object.entries(principal)])
        merged[k] = [...(merged[k] ?? []), ...asList(v)];
      return withStatements(t, [{ ...s, Principal: merged }]);
    },
  });
  return [
    added('AWS "*"', { AWS: "*" }),
    added(`account ${B}`, { AWS: B }),
    added(`${B}'s root`, { AWS: `arn:aws:iam::${B}:root` }),
    added("this account's root", { AWS: `arn:aws:iam::${A}:root` }),
    added("a role of this account", { AWS: `arn:aws:iam::${A}:role/admin` }),
    added("Lambda", { Service: "lambda.amazonaws.com" }),
    {
      kind: "principals",
      name: 'Principal "*"',
      verdict: "FAIL",
      trust: (t) => withStatements(t, [{ ...first(t), Principal: "*" }]),
    },
    {
      kind: "principals",
      name: "NotPrincipal Lambda in place of the principal",
      verdict: "FAIL",
      trust: (t) => {
        const { Principal: _p, ...s } = first(t);
        return withStatements(t, [{ ...s, NotPrincipal: { Service: "lambda.amazonaws.com" } }]);
      },
    },
    {
      kind: "principals",
      name: `a second statement for account ${B}, unconditioned`,
      verdict: "FAIL",
      trust: addStatement({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: "sts:AssumeRole" }),
    },
    {
      kind: "principals",
      name: "sts:TagSession for Pinpoint",
      verdict: "FAIL",
      trust: (t) => withStatements(t, [{ ...first(t), Action: ["sts:AssumeRole", "sts:TagSession"] }]),
    },
    {
      kind: "principals",
      name: "sts:* for Pinpoint",
      verdict: "FAIL",
      trust: (t) => withStatements(t, [{ ...first(t), Action: "sts:*" }]),
    },
  ];
}

function conditions(): Mutation[] {
  const replaced = (name: string, condition: Statement["Condition"] | undefined): Mutation => ({
    kind: "conditions",
    name,
    verdict: "FAIL",
    trust: trustConditions(condition),
  });
  return [
    replaced("no conditions (the console's trust)", undefined),
    replaced("aws:SourceArn alone, ArnLike *", { ArnLike: { "aws:SourceArn": "*" } }),
    replaced("aws:SourceAccount alone", { StringEquals: { "aws:SourceAccount": A } }),
    replaced("both conditions IfExists", {
      StringEqualsIfExists: { "aws:SourceAccount": A },
      ArnLikeIfExists: { "aws:SourceArn": PROJECTS },
    }),
    replaced("both conditions ForAllValues (true when the keys are absent)", {
      "ForAllValues:StringEquals": { "aws:SourceAccount": A },
      "ForAllValues:ArnLike": { "aws:SourceArn": PROJECTS },
    }),
    replaced(`StringNotEquals aws:SourceAccount ${B} in place of StringEquals`, {
      StringNotEquals: { "aws:SourceAccount": B },
      ArnLike: { "aws:SourceArn": `arn:aws:mobiletargeting:${R}:*:apps/*` },
    }),
    replaced("Null conditions in place of the values", {
      Null: { "aws:SourceAccount": "false", "aws:SourceArn": "false" },
    }),
    replaced("ArnNotLike another account's projects in place of ArnLike", {
      StringLike: { "aws:SourceAccount": "*" },
      ArnNotLike: { "aws:SourceArn": `arn:aws:mobiletargeting:${R}:${B}:apps/*` },
    }),
    {
      kind: "conditions",
      name: "a second statement for Pinpoint, unconditioned",
      verdict: "FAIL",
      trust: addStatement({
        Effect: "Allow",
        Principal: { Service: "pinpoint.amazonaws.com" },
        Action: "sts:AssumeRole",
      }),
    },
    {
      kind: "conditions",
      name: `a second statement for Pinpoint acting for ${B}`,
      verdict: "FAIL",
      trust: addStatement({
        Effect: "Allow",
        Principal: { Service: "pinpoint.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": B } },
      }),
    },
    replaced("a condition Pinpoint never meets added (aws:PrincipalOrgID): Pinpoint cannot assume the role", {
      ...GUIDE_CONDITIONS,
      StringEqualsIgnoreCase: { "aws:PrincipalOrgID": "o-example" },
    }),
    replaced("another account's projects only: Pinpoint for this account cannot assume the role", {
      StringEquals: { "aws:SourceAccount": A },
      ArnLike: { "aws:SourceArn": `arn:aws:mobiletargeting:${R}:${B}:apps/*` },
    }),
  ];
}

/** Another resource of the plan: a managed resource in the root module, as `terraform show -json` lists it. */
function addResource(
  plan: TerraformPlan,
  type: string,
  name: string,
  values: Record<string, unknown>,
  expressions: Record<string, unknown> = {},
  unknown: Record<string, unknown> = {},
): void {
  const resource = { address: `${type}.${name}`, mode: "managed" as const, type, name, values };
  (plan.planned_values.root_module.resources as unknown[]).push(resource);
  (plan.resource_changes as unknown[]).push({
    address: resource.address,
    mode: "managed",
    type,
    name,
    change: { actions: ["create"], before: null, after: values, after_unknown: unknown },
  });
  (plan.configuration.root_module.resources as unknown[]).push({
    address: resource.address,
    mode: "managed",
    type,
    name,
    expressions,
  });
}

function roleOf(plan: TerraformPlan) {
  return plan.planned_values.root_module.resources?.find((r) => r.address === "aws_iam_role.this") as {
    values: Record<string, unknown>;
  };
}

/** The stack's role in its cdk.tf.json. */
function roleConfig(config: Parameters<NonNullable<Mutation["configuration"]>>[0]): Record<string, unknown> {
  const role = config.resource.aws_iam_role?.this;
  if (role === undefined) throw new Error("the stack's cdk.tf.json has no aws_iam_role.this");
  return role;
}

function placement(): Mutation[] {
  const broad = JSON.stringify(BROAD);
  return [
    {
      kind: "placement",
      name: "an aws_iam_role_policy with personalize:* on the role, by name",
      verdict: "FAIL",
      plan: (plan) =>
        addResource(plan, "aws_iam_role_policy", "extra", {
          name: "extra",
          role: "PinpointRoleforPersonalize",
          policy: broad,
        }),
    },
    {
      kind: "placement",
      name: "an AWS managed policy attached to the role, by name (its document is not in the plan)",
      verdict: "FAIL",
      plan: (plan) =>
        addResource(plan, "aws_iam_role_policy_attachment", "admin", {
          role: "pinpointroleforpersonalize",
          policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess",
        }),
    },
    {
      kind: "placement",
      name: "an inline_policy block with personalize:* on the role",
      verdict: "FAIL",
      plan: (plan) => {
        roleOf(plan).values.inline_policy = [{ name: "extra", policy: broad }];
        const change = plan.resource_changes?.find((c) => c.address === "aws_iam_role.this")?.change;
        if (change?.after_unknown) change.after_unknown.inline_policy = [{}];
      },
    },
    {
      kind: "placement",
      name: "an attachment whose role comes through a local (unknown until apply)",
      verdict: "FAIL",
      plan: (plan) => {
        addResource(
          plan,
          "aws_iam_role_policy_attachment",
          "via_local",
          { policy_arn: "arn:aws:iam::aws:policy/ReadOnlyAccess" },
          {
            role: { references: ["local.role"] },
            policy_arn: { constant_value: "arn:aws:iam::aws:policy/ReadOnlyAccess" },
          },
          { role: true },
        );
      },
    },
    {
      kind: "placement",
      name: "managed_policy_arns = [] on the role: an apply detaches the guide's policy",
      verdict: "FAIL",
      plan: (plan) => {
        const config = plan.configuration.root_module.resources?.find((r) => r.address === "aws_iam_role.this") as {
          expressions: Record<string, unknown>;
        };
        config.expressions.managed_policy_arns = { constant_value: [] };
        roleOf(plan).values.managed_policy_arns = [];
      },
    },
    {
      kind: "placement",
      name: "an exclusive attachment set that lists nothing: an apply detaches the guide's policy",
      verdict: "FAIL",
      plan: (plan) =>
        addResource(plan, "aws_iam_role_policy_attachments_exclusive", "only", {
          role_name: "PinpointRoleforPersonalize",
          policy_arns: [],
        }),
    },
    {
      kind: "placement",
      name: "managed_policy_arns naming the guide's policy, beside its attachment",
      verdict: "PASS",
      plan: (plan) => {
        const config = plan.configuration.root_module.resources?.find((r) => r.address === "aws_iam_role.this") as {
          expressions: Record<string, unknown>;
        };
        config.expressions.managed_policy_arns = { references: ["aws_iam_policy.this.arn", "aws_iam_policy.this"] };
      },
      configuration: (config) => {
        roleConfig(config).managed_policy_arns = ["${aws_iam_policy.this.arn}"];
      },
    },
    {
      kind: "placement",
      name: "managed_policy_arns naming a function of the guide's policy's ARN (what it evaluates to cannot be told)",
      verdict: "FAIL",
      plan: (plan) => {
        const config = plan.configuration.root_module.resources?.find((r) => r.address === "aws_iam_role.this") as {
          expressions: Record<string, unknown>;
        };
        config.expressions.managed_policy_arns = { references: ["aws_iam_policy.this.arn", "aws_iam_policy.this"] };
      },
      configuration: (config) => {
        roleConfig(config).managed_policy_arns = [
          '${replace(aws_iam_policy.this.arn, "/policy/.*/", "policy/AdministratorAccess")}',
        ];
      },
    },
  ];
}

function equivalent(): Mutation[] {
  const pass = (name: string, change: Pick<Mutation, "permissions" | "trust">): Mutation => ({
    kind: "equivalent",
    name,
    verdict: "PASS",
    ...change,
  });
  const mapActions = (f: (a: string) => string) => (p: PolicyDocument) =>
    withStatements(
      p,
      statements(p).map((s) => ({ ...s, Action: asList(s.Action).map(f) })),
    );
  const pairs: [string, string][] = [
    ["personalize:DescribeSolution", SOLUTION],
    ["personalize:DescribeCampaign", CAMPAIGN],
    ["personalize:GetRecommendations", CAMPAIGN],
  ];
  return [
    pass("action names in lower case", { permissions: mapActions((a) => a.toLowerCase()) }),
    pass("action names in upper case", { permissions: mapActions((a) => a.toUpperCase()) }),
    pass("action names in mixed case", {
      permissions: mapActions((a) => a.replace("personalize", "Personalize").replace("Get", "get")),
    }),
    // An account and its principals belong to one partition (AWS General Reference, "Partitions"):
    // the role's requests are all on resources of its own.
    pass("a pattern for the partition of the campaign's ARN, in its place", {
      permissions: guideWith((s) => ({
        ...s,
        Resource: [SOLUTION, personalize("campaign", PLACE.campaign, { p: "*" })],
      })),
    }),
    pass("a pattern for the partition of the campaign's ARN, beside it", {
      permissions: guideWith((s) => ({
        ...s,
        Resource: [...asList(s.Resource), personalize("campaign", PLACE.campaign, { p: "aws*" })],
      })),
    }),
    pass("one statement per action, on both resources", {
      permissions: (p) =>
        withStatements(
          p,
          GUIDE_ACTIONS.map((a) => ({ Effect: "Allow" as const, Action: a, Resource: [SOLUTION, CAMPAIGN] })),
        ),
    }),
    pass("one statement per action, on its own resource, as strings", {
      permissions: (p) =>
        withStatements(
          p,
          pairs.map(([a, r]) => ({ Effect: "Allow" as const, Action: a, Resource: r })),
        ),
    }),
    pass("one statement per resource", {
      permissions: (p) =>
        withStatements(
          p,
          [SOLUTION, CAMPAIGN].map((r) => ({ Effect: "Allow" as const, Action: GUIDE_ACTIONS, Resource: r })),
        ),
    }),
    pass("another Sid", { permissions: guideWith((s) => ({ ...s, Sid: "Recommendations" })) }),
    pass("no Sid", { permissions: guideWith(({ Sid: _sid, ...s }) => s) }),
    pass("actions and resources reordered, an action twice", {
      permissions: guideWith((s) => ({
        ...s,
        Action: [...GUIDE_ACTIONS].reverse().concat(GUIDE_ACTIONS[0]),
        Resource: [CAMPAIGN, SOLUTION],
      })),
    }),
    pass("a Deny of what the role is not granted anyway", {
      permissions: addStatement({ Effect: "Deny", Action: "personalize:Delete*", Resource: "*" }),
    }),
    pass("sts:assumerole in lower case", {
      trust: (t) => withStatements(t, [{ ...first(t), Action: "sts:assumerole" }]),
    }),
    pass("the trust's action and principal as one-element lists", {
      trust: (t) =>
        withStatements(t, [
          { ...first(t), Action: ["sts:AssumeRole"], Principal: { Service: ["pinpoint.amazonaws.com"] } },
        ]),
    }),
    pass("condition keys in another case", {
      trust: trustConditions({ StringEquals: { "AWS:SOURCEACCOUNT": A }, ArnLike: { "aws:sourcearn": PROJECTS } }),
    }),
    pass("condition values as one-element lists", {
      trust: trustConditions({ StringEquals: { "aws:SourceAccount": [A] }, ArnLike: { "aws:SourceArn": [PROJECTS] } }),
    }),
    pass("the source ARN in any account: aws:SourceAccount already pins it (IAM: the two name the same account)", {
      trust: trustConditions({
        ...GUIDE_CONDITIONS,
        ArnLike: { "aws:SourceArn": `arn:aws:mobiletargeting:${R}:*:apps/*` },
      }),
    }),
    pass("aws:SourceArn alone, with this account in it (AWS's most effective confused-deputy guard)", {
      trust: trustConditions({ ArnLike: { "aws:SourceArn": PROJECTS } }),
    }),
    pass("one Pinpoint project only (narrower)", {
      trust: trustConditions({
        StringEquals: { "aws:SourceAccount": A },
        ArnEquals: { "aws:SourceArn": `arn:aws:mobiletargeting:${R}:${A}:apps/0123456789abcdef0123456789abcdef` },
      }),
    }),
    pass("a Deny of Pinpoint acting for any other account", {
      trust: addStatement({
        Effect: "Deny",
        Principal: { Service: "pinpoint.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringNotEquals: { "aws:SourceAccount": A } },
      }),
    }),
  ];
}

export function corpus(): Mutation[] {
  return [
    ...actions(),
    ...resources(),
    ...accounts(),
    ...regions(),
    ...principals(),
    ...conditions(),
    ...placement(),
    ...equivalent(),
  ];
}

/** The plan with one mutation applied to a deep copy. */
export function mutated(plan: TerraformPlan, mutation: Mutation): TerraformPlan {
  const copy = JSON.parse(JSON.stringify(plan)) as TerraformPlan;
  const resources = copy.planned_values.root_module.resources ?? [];
  const changes = copy.resource_changes ?? [];
  const rewrite = (address: string, attribute: string, change: ((d: PolicyDocument) => PolicyDocument) | undefined) => {
    if (change === undefined) return;
    const resource = resources.find((r) => r.address === address);
    if (resource === undefined) throw new Error(`the plan has no ${address}`);
    const text = JSON.stringify(change(JSON.parse(resource.values[attribute] as string) as PolicyDocument));
    resource.values[attribute] = text;
    const after = changes.find((c) => c.address === address)?.change.after;
    if (after) after[attribute] = text;
  };
  rewrite("aws_iam_policy.this", "policy", mutation.permissions);
  rewrite("aws_iam_role.this", "assume_role_policy", mutation.trust);
  mutation.plan?.(copy);
  return copy;
}
