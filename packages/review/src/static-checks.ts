import { lintPolicy, lintResourcePolicy, validateIdentityPolicy, validateTrustPolicy } from "@cloud-copilot/iam-policy";
import { Check, CheckId, CHECKS } from "./checks";
import {
  actionMatches,
  conditionEntries,
  hasWildcard,
  list,
  PINPOINT_PRINCIPAL,
  PolicyDocument,
  principalEntries,
  Statement,
  statements,
} from "./documents";
import { grammarProblems } from "./grammar";
import type { Subject } from "./subject";

// Checks on the documents as written, in the spirit of Checkov, Trivy and cdk-nag: IAM's grammar,
// and the shapes a least-privilege role avoids (wildcards, NotAction, iam:PassRole, principals
// other than Pinpoint). The decision (proof/) says what the documents allow; these say how they
// are written.

export interface Finding {
  readonly id: CheckId;
  readonly severity: "error" | "warning";
  readonly message: string;
  /** The peer scanners' rules this check mirrors. */
  readonly mirrors?: string;
  /** The resource it is about, when not the role itself (a policy, say). */
  readonly address?: string;
}

/** A finding of a check, with the check's severity and the rules it mirrors. */
export function finding(id: CheckId, message: string, address?: string): Finding {
  const check: Check = CHECKS[id];
  return {
    id,
    severity: check.severity,
    message,
    ...(check.mirrors ? { mirrors: check.mirrors } : {}),
    ...(address ? { address } : {}),
  };
}

/** The three actions of AWS's guide. */
export const INTENDED_ACTIONS = [
  "personalize:DescribeSolution",
  "personalize:DescribeCampaign",
  "personalize:GetRecommendations",
] as const;

const EXPECTED_ACTIONS = new Set(INTENDED_ACTIONS.map((a) => a.toLowerCase()));

/**
 * Whether a resource pattern names a kind of resource other than a campaign or a solution (a
 * filter, a recommender, another service's): the text of its resource part (after the ARN's fifth
 * colon) before its first wildcard, when it has any, is not the start of `campaign/` or
 * `solution/`. `recommender*` names recommenders; `*`, `camp*` and `campaign/*` name none.
 */
export function namesOtherKind(resource: string): boolean {
  const part = /^arn:[^:]*:[^:]*:[^:]*:[^:]*:(.*)$/s.exec(resource)?.[1];
  const named = part?.split(/[*?]/, 1)[0] ?? "";
  return named !== "" && !["campaign/", "solution/"].some((kind) => kind.startsWith(named) || named.startsWith(kind));
}

/**
 * The static findings of a role. `read`: its permissions policies as IAM reads them for its
 * sessions (the policy variables every session shares written in), in the order of its policies.
 */
export function staticFindings(subject: Subject, read: readonly PolicyDocument[]): Finding[] {
  const findings: Finding[] = [];
  const add = (id: CheckId, message: string, address?: string) => findings.push(finding(id, message, address));

  const trust = subject.role.trustPolicy;
  // Syntax errors are findings; the linters' extra best-practice remarks are warnings.
  for (const [label, errors, lints, address] of [
    ...subject.policies.map(
      (p) =>
        [
          `Permissions policy ${p.address}`,
          [...validateIdentityPolicy(p.document), ...grammarProblems(p.document, "identity")],
          lintPolicy(p.document),
          p.address,
        ] as const,
    ),
    [
      "Trust policy",
      [...validateTrustPolicy(trust), ...grammarProblems(trust, "trust")],
      lintResourcePolicy(trust),
      undefined,
    ] as const,
  ]) {
    for (const error of errors) add("IAM-SYNTAX", `${label}: ${error.message} (${error.path})`, address);
    for (const warning of lints.filter((w) => !errors.some((e) => e.message === w.message))) {
      add("IAM-LINT", `${label}: ${warning.message} (${warning.path})`, address);
    }
  }

  const intendedResources = new Set([subject.campaignArn, subject.solutionArn]);
  const permissionStatements = subject.policies.flatMap((p, i) =>
    statements(read[i] ?? p.document).map((s, index) => ({ s, index, address: p.address })),
  );
  for (const { s, index, address } of permissionStatements) {
    const where = `Permissions statement ${s.Sid ?? index} of ${address}`;
    if (s.Effect !== "Allow") continue;
    if (s.NotAction !== undefined)
      add("IAM-NOT-ACTION", `${where} allows NotAction, which grants every other action.`, address);
    if (s.NotResource !== undefined)
      add("IAM-NOT-RESOURCE", `${where} allows NotResource, which grants every other resource.`, address);
    for (const action of list(s.Action)) {
      if (action === "*" || /^[^:]+:\*$/.test(action)) {
        add("IAM-ADMIN", `${where} grants full access: "${action}".`, address);
      } else if (hasWildcard(action)) {
        add("IAM-WILDCARD-ACTION", `${where} grants a wildcard action: "${action}".`, address);
      }
      if (actionMatches(action, "iam:PassRole")) {
        add(
          "IAM-PASSROLE",
          `${where} grants iam:PassRole (through "${action}"), a privilege-escalation path.`,
          address,
        );
      }
      // IAM compares action names case-insensitively; so does this check.
      if (!hasWildcard(action) && !EXPECTED_ACTIONS.has(action.toLowerCase())) {
        add("IAM-EXTRA-ACTION", `${where} grants ${action}, which AWS's guide does not.`, address);
      }
    }
    for (const resource of list(s.Resource)) {
      if (hasWildcard(resource)) {
        add("IAM-WILDCARD-RESOURCE", `${where} grants a wildcard resource: "${resource}".`, address);
      }
      // A pattern of another kind of resource than a campaign or a solution (a filter, a
      // recommender): IAM's service reference may not know that an action takes it.
      if (hasWildcard(resource) ? namesOtherKind(resource) : !intendedResources.has(resource)) {
        add(
          "IAM-EXTRA-RESOURCE",
          `${where} grants ${resource}, which is neither the campaign nor its solution.`,
          address,
        );
      }
    }
  }

  for (const [index, s] of statements(trust).entries()) {
    if (s.Effect !== "Allow") continue;
    const where = `Trust statement ${s.Sid ?? index}`;
    for (const { type, id } of principalEntries(s.Principal)) {
      if (type !== "Service" || id !== PINPOINT_PRINCIPAL) {
        add(
          "TRUST-PRINCIPAL",
          `${where} trusts ${type} ${id}; only the service principal pinpoint.amazonaws.com is expected.`,
        );
      }
    }
    if (s.NotPrincipal !== undefined)
      add("TRUST-PRINCIPAL", `${where} uses NotPrincipal with Allow, which trusts everyone else.`);
    if (s.NotAction !== undefined) add("TRUST-ACTION", `${where} allows NotAction, which allows every other action.`);
    for (const action of list(s.Action)) {
      if (action.toLowerCase() !== "sts:assumerole")
        add("TRUST-ACTION", `${where} allows ${action}; only sts:AssumeRole is expected.`);
    }
  }

  const keys = new Set(
    statements(trust)
      .filter((s) => s.Effect === "Allow")
      .flatMap(conditionEntries)
      .map((c) => c.key.toLowerCase()),
  );
  for (const key of ["aws:SourceAccount", "aws:SourceArn"]) {
    if (!keys.has(key.toLowerCase())) {
      add(
        "TRUST-NO-CONDITIONS",
        `The trust policy has no ${key} condition. AWS recommends both confused-deputy conditions; the decision ` +
          "says whether Pinpoint acting for another account, Region or resource can assume the role.",
      );
    }
  }

  if (subject.policies.length > 1) {
    add(
      "ROLE-SEVERAL-POLICIES",
      `${subject.policies.length} policies reach the role (${subject.policies.map((p) => p.address).join(", ")}); one is expected.`,
    );
  }
  if (subject.policies.length === 0 && subject.problems.length === 0) {
    add("ROLE-GRANTS", `No policy reaches ${subject.role.address}: it grants nothing.`);
  }
  for (const problem of [...subject.problems, ...subject.targetProblems]) add("ROLE-GRANTS", problem);
  if (subject.boundaryProblem !== undefined) add("ROLE-BOUNDARY", subject.boundaryProblem);
  for (const loss of subject.losses) add("ROLE-ACCESS-LOSS", loss);
  return findings;
}

/** One statement of the trust policy: one way into the role, with its own conditions. */
export interface TrustStatement {
  readonly index: number;
  readonly sid?: string;
  readonly effect: "Allow" | "Deny";
  /** Who it names, e.g. `Service pinpoint.amazonaws.com`, `AWS *`, `anyone but AWS arn:...` (NotPrincipal). */
  readonly principals: string[];
  /** Its actions, e.g. `sts:AssumeRole`, or `every action but ...` (NotAction). */
  readonly actions: string[];
  readonly conditions: { readonly operator: string; readonly key: string; readonly values: string[] }[];
}

/** Each statement of a trust policy, as the report draws it: one way into the role each. */
export function trustStatementsOf(trust: PolicyDocument): TrustStatement[] {
  return statements(trust).map((s: Statement, index) => ({
    index,
    ...(s.Sid ? { sid: s.Sid } : {}),
    effect: s.Effect,
    principals: [
      ...principalEntries(s.Principal).map((p) => (p.type === "*" ? "anyone (*)" : `${p.type} ${p.id}`)),
      ...(s.NotPrincipal !== undefined
        ? [
            `anyone but ${principalEntries(s.NotPrincipal)
              .map((p) => `${p.type} ${p.id}`)
              .join(", ")}`,
          ]
        : []),
    ],
    actions: [
      ...list(s.Action),
      ...(s.NotAction !== undefined ? [`every action but ${list(s.NotAction).join(", ")}`] : []),
    ],
    conditions: conditionEntries(s),
  }));
}
