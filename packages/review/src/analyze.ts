import { canonical, list, PolicyDocument, statements } from "./documents";
import { asIamReads, Outcome } from "./evaluator";
import { Change, changes, DecidedRequest, Difference, prove, Proof, RoleUnderProof } from "./proof/decision";
import { withVariables } from "./proof/patterns";
import { sessionRequests } from "./proof/request-space";
import { maySetSessionTags } from "./proof/requests";
import { variablesOf } from "./proof/classes";
import { finding, Finding, INTENDED_ACTIONS, staticFindings, TrustStatement, trustStatementsOf } from "./static-checks";
import { placeOf, reviewMoment, Subject } from "./subject";

// One role, reviewed: the decision over every request (proof/), and the static checks on how its
// documents are written (static-checks.ts), as findings; and what a change does to its access.

export type { DecidedRequest, Difference, Finding, Outcome, TrustStatement };

export interface Analysis {
  readonly subject: Subject;
  /** Every (action, resource) class the role's sessions are allowed, by its representative request. */
  readonly granted: { readonly action: string; readonly resource: string }[];
  /** The decision: how many classes of requests it decided, per question, and its counterexamples. */
  readonly proof: Pick<Proof, "trust" | "permissions" | "stoppedEarly" | "admitted" | "unmodelled">;
  /** Requests whose outcome is not the intended one, each evaluated by the evaluator. */
  readonly differences: Difference[];
  /** Each statement of the trust policy, as IAM evaluates it. */
  readonly trustStatements: TrustStatement[];
  readonly findings: Finding[];
  readonly passed: boolean;
  /** The context keys the documents test (lower case): what a report shows of each request's context. */
  readonly shownKeys: string[];
  /**
   * Whether the role is one the review covers: its sessions are allowed some Amazon Personalize
   * action now (or what it is given cannot be read, decided or evaluated).
   */
  readonly inScope: boolean;
  /**
   * Whether its policies allow some Amazon Personalize action with their conditions taken as met, at
   * some moment: a recommendations role by what it is written to grant, even one that grants nothing now.
   */
  readonly reachesPersonalize: boolean;
  readonly iamDataVersion?: string;
}

/** The three pairs AWS's guide grants: DescribeSolution on the solution, the other two on the campaign. */
export function intendedPairs(subject: Subject): { action: string; resource: string }[] {
  const [describeSolution, describeCampaign, getRecommendations] = INTENDED_ACTIONS;
  return [
    { action: describeSolution, resource: subject.solutionArn },
    { action: describeCampaign, resource: subject.campaignArn },
    { action: getRecommendations, resource: subject.campaignArn },
  ];
}

function underProof(subject: Subject): RoleUnderProof {
  return {
    place: placeOf(subject),
    arn: subject.role.arn,
    arnKnown: subject.role.arnKnown,
    ...(subject.role.arnPattern === undefined ? {} : { arnPattern: subject.role.arnPattern }),
    trust: subject.role.trustPolicy,
    policies: subject.policies.map((p) => p.document),
    ...(subject.boundary ? { boundary: subject.boundary.document } : {}),
    ...(subject.role.tags ? { tags: subject.role.tags } : {}),
    maxSessionDuration: subject.role.maxSessionDuration,
    // What the role is for cannot be told: no grant can be shown to be the guide's.
    intended: subject.targetProblems.length > 0 ? [] : intendedPairs(subject),
  };
}

// ---------------------------------------------------------------------------------------------
// Roles of one shape share one proof.

/** The campaign, solution and role of a role's shape: what roles that differ only in them share. */
const SHAPE = { campaign: "reviewed-campaign-0", solution: "reviewed-solution-0", role: "reviewed-role-0" } as const;
const SHAPE_PATTERN = new RegExp(Object.values(SHAPE).join("|"), "g");
const byShape = new Map<string, Promise<Proof>>();

/**
 * A role whose policies name its campaign and solution only in their ARNs, with no condition and
 * no policy variable, is the same to IAM as any other such role but for those ARNs and its own
 * name: roles of one shape (100 campaigns of one app, say) share one proof, renamed. Undefined for
 * any other role, and where renaming could confuse two values.
 */
function shapeOf(
  role: RoleUnderProof,
  subject: Subject,
): { key: string; role: RoleUnderProof; rename: (text: string) => string } | undefined {
  const { campaignId: c, solutionId: s, campaignArn, solutionArn } = subject;
  const name = subject.role.name;
  if (role.boundary !== undefined || !role.arnKnown || name === undefined) return undefined;
  const values = [c, s, name];
  const clash = (a: string, b: string) => a.includes(b) || b.includes(a);
  if (
    values.some((v) => Object.values(SHAPE).some((x) => clash(v, x))) ||
    clash(c, s) ||
    clash(c, name) ||
    clash(s, name)
  )
    return undefined;
  const personalize = `arn:${role.place.partition}:personalize:${role.place.region}:${role.place.accountId}`;
  const shaped = {
    campaignArn: `${personalize}:campaign/${SHAPE.campaign}`,
    solutionArn: `${personalize}:solution/${SHAPE.solution}`,
  };
  const json = (text: string) => JSON.stringify(text).slice(1, -1);
  const policies = role.policies.map(
    (p) =>
      JSON.parse(
        JSON.stringify(p)
          .split(json(campaignArn))
          .join(shaped.campaignArn)
          .split(json(solutionArn))
          .join(shaped.solutionArn),
      ) as PolicyDocument,
  );
  const text = JSON.stringify([policies, role.trust, role.tags ?? null]);
  // A wildcard could match the real names and not the stand-ins (books*: books, not reviewed-campaign-0).
  const wildcard = policies.some((p) =>
    statements(p).some((x) => [...list(x.Resource), ...list(x.NotResource)].some((r) => /[*?]/.test(r))),
  );
  if (
    wildcard ||
    values.some((v) => text.includes(v)) ||
    text.includes("${") ||
    policies.some((p) => statements(p).some((x) => x.Condition))
  )
    return undefined;
  const roleArn = role.arn.slice(0, role.arn.length - name.length) + SHAPE.role;
  const shapedRole: RoleUnderProof = {
    ...role,
    arn: roleArn,
    policies,
    intended: role.intended.map((p) => ({
      action: p.action,
      resource: p.resource === campaignArn ? shaped.campaignArn : shaped.solutionArn,
    })),
  };
  const ids: Record<string, string> = { [SHAPE.campaign]: c, [SHAPE.solution]: s, [SHAPE.role]: name };
  return {
    key: canonical([
      shapedRole.place,
      shapedRole.arn,
      shapedRole.trust,
      policies.map(canonical),
      role.tags ?? null,
      role.maxSessionDuration,
    ]),
    role: shapedRole,
    rename: (t) => (t.includes("reviewed-") ? t.replace(SHAPE_PATTERN, (id) => ids[id] ?? id) : t),
  };
}

/** Every string of a JSON value, renamed. */
function renamed<T>(value: T, rename: (text: string) => string): T {
  if (typeof value === "string") return rename(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => renamed(v, rename)) as T;
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [rename(k), renamed(v, rename)])) as T;
  return value;
}

async function proofOf(subject: Subject, now: number): Promise<Proof> {
  const role = underProof(subject);
  const shape = shapeOf(role, subject);
  if (shape === undefined) return prove(role, now);
  const key = `${now}|${shape.key}`;
  let shared = byShape.get(key);
  if (shared === undefined) {
    shared = prove(shape.role, now);
    byShape.set(key, shared);
  }
  return renamed(await shared, shape.rename);
}

// ---------------------------------------------------------------------------------------------

/**
 * The context keys a reviewer needs to see in a request: those the documents' conditions test
 * (and the source account and ARN, which say who Pinpoint acts for), lower case. The request
 * carries the others too (what IAM always sends), and review.json holds them all.
 */
function testedKeys(subject: Subject): Set<string> {
  const documents = [subject.role.trustPolicy, ...subject.policies.map((p) => p.document)];
  if (subject.boundary) documents.push(subject.boundary.document);
  return new Set([
    "aws:sourcearn",
    "aws:sourceaccount",
    ...documents
      .flatMap((d) =>
        statements(d).flatMap((s) => Object.values(s.Condition ?? {}).flatMap((byKey) => Object.keys(byKey))),
      )
      .map((k) => k.toLowerCase()),
  ]);
}

/** A request's context as a reviewer reads it: the keys the documents test, `key=value`. */
export function contextText(context: DecidedRequest["context"], shown: readonly string[]): string {
  return Object.entries(context)
    .filter(([k]) => shown.includes(k.toLowerCase()))
    .map(([k, v]) => `${k}=${Array.isArray(v) ? `[${v.join(", ")}]` : String(v)}`)
    .join(", ");
}

/** A request, in a reviewer's words: who, which action, which resource, which context. */
export function describeRequest(r: DecidedRequest, shown: readonly string[]): string {
  const context = contextText(r.context, shown);
  return `${r.principal} → ${r.action} on ${r.resource}${context ? ` with ${context}` : ""}`;
}

/** Decides every request of the role and runs the static checks on it. */
export async function analyze(subject: Subject, iamDataVersion?: string, now = reviewMoment()): Promise<Analysis> {
  const proof = await proofOf(subject, now);
  const kind = sessionRequests(
    {
      place: placeOf(subject),
      arn: subject.role.arn,
      ...(subject.role.tags ? { tags: subject.role.tags } : {}),
      sessionTags: maySetSessionTags(subject.role.trustPolicy),
      maxSessionDuration: subject.role.maxSessionDuration,
    },
    false,
    now,
  );
  const read = subject.policies.map((p) => withVariables(asIamReads(p.document), variablesOf(kind)));
  const findings = staticFindings(subject, read);
  const shownKeys = [...testedKeys(subject)].sort();
  for (const reason of proof.unmodelled) {
    findings.push(
      finding("PROOF-UNMODELLED", `${reason}: the review cannot decide every request, so it cannot prove the role.`),
    );
  }
  for (const d of proof.differences) {
    findings.push(
      finding(
        "EVALUATOR",
        `${describeRequest(d, shownKeys)}: evaluated ${d.outcome}, expected ${d.expected}: ${d.why}` +
          (d.error ? ` (${d.error})` : "") +
          ". It stands for every request of its class.",
      ),
    );
  }
  if (proof.stoppedEarly) {
    findings.push(
      finding("EVALUATOR", "The decision stopped after its first differences: the role is far from AWS's guide."),
    );
  }
  // A Pinpoint role (subjectsOf reads only those) whose sessions are allowed no Personalize action
  // now is not a recommendations role in use; one whose policies cannot be read, decided or
  // evaluated may be.
  const inScope =
    proof.grantsPersonalize ||
    subject.problems.length > 0 ||
    proof.unmodelled.length > 0 ||
    proof.differences.some((d) => d.outcome === "Unevaluable");
  return {
    subject,
    granted: proof.granted,
    proof: {
      trust: proof.trust,
      permissions: proof.permissions,
      stoppedEarly: proof.stoppedEarly,
      admitted: proof.admitted,
      unmodelled: proof.unmodelled,
    },
    differences: proof.differences,
    trustStatements: trustStatementsOf(subject.role.trustPolicy),
    shownKeys,
    findings,
    passed: !findings.some((f) => f.severity === "error"),
    inScope,
    reachesPersonalize: proof.reachesPersonalize,
    ...(iamDataVersion ? { iamDataVersion } : {}),
  };
}

/** What a change to the role grants and revokes, and how it changes who can assume it. */
export interface AccessDiff {
  readonly granted: { readonly action: string; readonly resource: string }[];
  readonly revoked: { readonly action: string; readonly resource: string }[];
  /** Requests to assume the role whose outcome the change turns around, one per class. */
  readonly trust: { readonly request: DecidedRequest; readonly before: Outcome; readonly after: Outcome }[];
  readonly statementsBefore: TrustStatement[];
  readonly statementsAfter: TrustStatement[];
  /** Why part of the comparison could not be made. */
  readonly unmodelled: string[];
}

/**
 * What the change does, decided over every request as the proof is: every class of requests that
 * either side's documents tell apart, evaluated under both sides.
 */
export async function accessDiff(before: Analysis, after: Analysis, now = reviewMoment()): Promise<AccessDiff> {
  const found = await changes(underProof(before.subject), underProof(after.subject), now);
  const pairs = (turned: (c: Change) => boolean) => {
    const seen = new Map<string, { action: string; resource: string }>();
    for (const c of found.permissions.filter(turned))
      seen.set(`${c.action} ${c.resource}`, { action: c.action, resource: c.resource });
    return [...seen.values()];
  };
  return {
    granted: pairs((c) => c.after === "Allowed" && c.before !== "Allowed"),
    revoked: pairs((c) => c.before === "Allowed" && c.after !== "Allowed"),
    trust: found.trust.map((c) => ({
      request: { principal: c.principal, action: c.action, resource: c.resource, context: c.context, outcome: c.after },
      before: c.before,
      after: c.after,
    })),
    statementsBefore: before.trustStatements,
    statementsAfter: after.trustStatements,
    unmodelled: found.unmodelled,
  };
}
