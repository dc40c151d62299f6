import {
  conditionEntries,
  list,
  PINPOINT_PRINCIPAL,
  PolicyDocument,
  principalEntries,
  signature,
  statements,
} from "../documents";
import { asIamReads, Evaluation, identityRequest, Outcome, trustRequest } from "../evaluator";
import { actionsOf, allServices, ActionInfo, roleActions } from "./actions";
import { escapeRegex, Language } from "./automata";
import {
  Assignment,
  byAccount,
  combinations,
  ConditionUse,
  contextFields,
  Examples,
  product,
  stringPredicates,
  variablesOf,
} from "./classes";
import { Unmodelled, withVariables } from "./patterns";
import { principalClasses, PrincipalEntry } from "./principals";
import { Place, pinpointAssumes, othersAssume, RequestKind, sessionRequests } from "./request-space";
import { resourceClasses } from "./resources";

// The decision: over every request a role can receive, whether what its documents allow is what it
// is meant to allow. Each field of a request splits into classes (classes.ts, principals.ts,
// resources.ts); one request of every realisable combination of classes is evaluated by the IAM
// evaluator, and stands for its whole class: the documents match every request of a class with
// the same patterns, so IAM decides them alike. Four questions, each over its own requests
// (request-space.ts):
//
// - who can assume the role: every request to assume it that the trust allows must be Pinpoint's
//   for one of the account's own projects or recommenders, in the role's Region;
// - that Pinpoint can: for some project of the account, every request Pinpoint makes for it is
//   allowed, whatever else the request holds (the moment it is made, from now on, included);
// - what the role grants: every request of its sessions (any action of any service, any resource
//   of the action's types, any context a session carries) that its policies allow must be one of
//   the guide's three (action, resource) pairs;
// - that it grants them: each of the three pairs is allowed in every request Pinpoint makes with it.
//
// Where the decision meets something it does not model, it says so (`unmodelled`): a role it
// cannot prove fails, and never passes by default.

/** What the proof needs to know of a role. */
export interface RoleUnderProof {
  readonly place: Place;
  /** The role's ARN; with `arnKnown` false, a stand-in (its name is generated at apply). */
  readonly arn: string;
  readonly arnKnown: boolean;
  readonly trust: PolicyDocument;
  readonly policies: readonly PolicyDocument[];
  readonly boundary?: PolicyDocument;
  /** The role's tags, where known at plan time. */
  readonly tags?: Readonly<Record<string, string>>;
  readonly maxSessionDuration: number;
  /** The (action, resource) pairs the role is meant to grant. */
  readonly intended: readonly { readonly action: string; readonly resource: string }[];
}

/** A request, as the evaluator received it. */
export interface DecidedRequest {
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly context: Readonly<Record<string, string | readonly string[]>>;
  readonly outcome: Outcome;
}

/** A request whose outcome is not the intended one: the proof's counterexample. */
export interface Difference extends DecidedRequest {
  readonly question: "trust" | "permissions";
  readonly expected: "Allowed" | "Denied";
  /** Why that is the intended outcome, in a reviewer's words. */
  readonly why: string;
  /** The evaluator's reason, when it could not evaluate the request. */
  readonly error?: string;
}

export interface QuestionCount {
  /** Request classes decided: each a set of requests the documents treat alike, decided by one evaluation. */
  readonly classes: number;
  /** Classes the evaluator allowed. */
  readonly allowed: number;
}

export interface Proof {
  readonly trust: QuestionCount;
  readonly permissions: QuestionCount;
  /** Every (action, resource) class the role's sessions are allowed, by its representative. */
  readonly granted: { readonly action: string; readonly resource: string }[];
  /** Every class of requests to assume the role that the trust allows, by its representative (at most MAX_ADMITTED). */
  readonly admitted: DecidedRequest[];
  readonly differences: Difference[];
  /** Why part of the proof could not be made: each fails the role. */
  readonly unmodelled: string[];
  /** Whether Pinpoint can assume the role in some request. */
  readonly admitsPinpoint: boolean;
  /**
   * Whether the role's policies allow some Amazon Personalize action on some resource with their
   * conditions taken as met (at some moment, past ones included): whether it is a recommendations
   * role at all, even one that grants nothing today.
   */
  readonly reachesPersonalize: boolean;
  /** Past this many differences a question stops: the verdict cannot change. */
  readonly stoppedEarly: boolean;
}

/** Differences recorded per question; past them the question stops (the role fails either way). */
export const MAX_DIFFERENCES = 20;
/** Requests to assume the role kept as the trust's allowed classes, at most. */
export const MAX_ADMITTED = 50;
/** Requests evaluated per question, at most; past them the proof says it cannot decide. */
export const MAX_REQUESTS = 50000;

/** A document with no condition on its Allow statements and without its conditional Denies: it allows at least what the document allows in any context. */
export function unconditioned(document: PolicyDocument): PolicyDocument {
  return {
    ...document,
    Statement: statements(document)
      .filter((s) => s.Effect === "Allow" || s.Condition === undefined)
      .map(({ Condition: _condition, ...s }) => s),
  };
}

/** Every condition of the documents, as uses of keys. */
export function conditionUses(documents: readonly { document: PolicyDocument; name: string }[]): ConditionUse[] {
  return documents.flatMap(({ document, name }) =>
    statements(document).flatMap((s, i) =>
      conditionEntries(s).map((c) => ({
        operator: c.operator,
        key: c.key,
        values: c.values,
        where: `statement ${s.Sid ?? i} of ${name}`,
      })),
    ),
  );
}

/** A document as IAM reads it for requests of a kind: its policy variables that such requests all share written in. */
function readFor(kind: RequestKind, document: PolicyDocument): PolicyDocument {
  return withVariables(asIamReads(document), variablesOf(kind));
}

/** The context as the evaluator takes it: absent keys left out. */
function present(assignment: Assignment): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(assignment)) {
    if (typeof v === "string") out[k] = v;
    else if (v !== undefined) out[k] = [...v];
  }
  return out;
}

/** The role's own projects and recommenders: the source ARNs of Pinpoint's legitimate requests. */
function ownProjects(place: Place): Language {
  const { partition, region, accountId } = place;
  return Language.regex(
    `arn:${escapeRegex(partition)}:mobiletargeting:${escapeRegex(region)}:${escapeRegex(accountId)}:(?:apps|recommenders)/[!-~]*`,
  );
}

/** A Pinpoint project ID that looks like one. */
export const EXAMPLE_PROJECT_ID = "0123456789abcdef0123456789abcdef";

/** Readable values to stand for classes, by what they stand for: the role's own, and near it. */
function examplesOf(role: RoleUnderProof): Examples {
  const { partition, region, accountId } = role.place;
  const accounts = [accountId, "444455556666"];
  const regions = [region, region === "us-west-2" ? "eu-west-1" : "us-west-2"];
  return {
    sources: accounts.flatMap((a) =>
      regions.flatMap((r) => [
        `arn:${partition}:mobiletargeting:${r}:${a}:apps/${EXAMPLE_PROJECT_ID}`,
        `arn:${partition}:mobiletargeting:${r}:${a}:recommenders/example`,
      ]),
    ),
    principals: [
      PINPOINT_PRINCIPAL,
      "ec2.amazonaws.com",
      `arn:${partition}:iam::${accountId}:root`,
      `arn:${partition}:iam::${accountId}:role/example-role`,
      `arn:${partition}:iam::${accountId}:user/example-user`,
      `arn:${partition}:iam::444455556666:root`,
      `arn:${partition}:iam::444455556666:role/example-role`,
    ],
    resources: role.intended.map((p) => p.resource),
    values: [accountId, region, partition, "example"],
    place: role.place,
  };
}

/** A question's running tally. */
class Tally {
  classes = 0;
  allowed = 0;
  readonly differences: Difference[] = [];
  readonly allowedRequests: DecidedRequest[] = [];
  constructor(private readonly question: "trust" | "permissions") {}

  get full(): boolean {
    return this.differences.length >= MAX_DIFFERENCES;
  }

  count(requests: number): void {
    this.classes += requests;
    if (this.classes > MAX_REQUESTS) {
      throw new Unmodelled(`the ${this.question} question has more than ${MAX_REQUESTS} classes of requests`);
    }
  }

  differ(request: DecidedRequest, expected: "Allowed" | "Denied", why: string, error?: string): void {
    if (this.full) return;
    this.differences.push({ ...request, question: this.question, expected, why, ...(error ? { error } : {}) });
  }
}

// ---------------------------------------------------------------------------------------------
// Who can assume the role.

async function proveTrust(role: RoleUnderProof, now: number, tally: Tally): Promise<{ admitsPinpoint: boolean }> {
  const { place } = role;
  const ask = (document: PolicyDocument, principal: string, action: string, context: Assignment) =>
    trustRequest(document, role.arn, place.accountId, principal, action, present(context), "strict");
  const others = othersAssume(now);
  const pinpointKind = pinpointAssumes(place, false, now);
  const read = { others: readFor(others, role.trust), pinpoint: readFor(pinpointKind, role.trust) };
  const usesOf = (document: PolicyDocument) => conditionUses([{ document, name: "the trust policy" }]);
  const entries: PrincipalEntry[] = statements(read.others).flatMap((s, i) =>
    [...principalEntries(s.Principal), ...principalEntries(s.NotPrincipal)].map((e) => ({
      ...e,
      where: `statement ${s.Sid ?? i} of the trust policy`,
    })),
  );
  const projects = ownProjects(place);
  const examples = examplesOf(role);
  const principals = principalClasses(
    entries,
    usesOf(read.others),
    variablesOf(others),
    PINPOINT_PRINCIPAL,
    examples.principals,
  );
  const actions = await roleActions();
  let admitsPinpoint = false;
  for (const p of principals) {
    const pinpoint = p.principal === PINPOINT_PRINCIPAL;
    const kind = pinpoint ? pinpointKind : others;
    const trust = pinpoint ? read.pinpoint : read.others;
    const open = unconditioned(trust);
    const { fixed, fields } = await contextFields(kind, usesOf(trust), {
      ...(pinpoint ? { intendedSources: [projects] } : {}),
      tokenIssue: pinpoint ? "absent" : "free",
      examples,
    });
    for (const { action } of actions) {
      if (tally.full) return { admitsPinpoint };
      // Denied with every condition taken as met: denied in every context, one class.
      if ((await ask(open, p.principal, action, { ...fixed, ...p.context })).outcome === "Denied") {
        tally.count(1);
        continue;
      }
      tally.count(combinations(fields));
      const assumeRole = action.toLowerCase() === "sts:assumerole";
      for (const context of product({ ...fixed, ...p.context }, fields)) {
        const { outcome, error } = await ask(trust, p.principal, action, context);
        const request = { principal: p.principal, action, resource: role.arn, context: present(context), outcome };
        const source = context["aws:SourceArn"];
        const intended = pinpoint && assumeRole && typeof source === "string" && projects.has(source);
        if (outcome === "Allowed") {
          tally.allowed += 1;
          if (tally.allowedRequests.length < MAX_ADMITTED) tally.allowedRequests.push(request);
          if (pinpoint && assumeRole) admitsPinpoint = true;
        }
        if (outcome === "Unevaluable")
          tally.differ(request, intended ? "Allowed" : "Denied", "the evaluator could not evaluate it", error);
        else if (outcome === "Allowed" && !intended)
          tally.differ(request, "Denied", whyNotTrusted(pinpoint, assumeRole, source, place));
        if (tally.full) return { admitsPinpoint };
      }
    }
  }
  return { admitsPinpoint };
}

function whyNotTrusted(pinpoint: boolean, assumeRole: boolean, source: unknown, place: Place): string {
  if (!pinpoint) return "only Amazon Pinpoint may assume the role";
  if (!assumeRole) return "Pinpoint assumes the role with sts:AssumeRole only";
  if (typeof source !== "string")
    return "Pinpoint acting for no resource of this account could assume it (a confused deputy)";
  return (
    `Pinpoint acting for ${source} could assume it; only this account's (${place.accountId}) Pinpoint projects ` +
    `and recommenders in ${place.region} may (a confused deputy)`
  );
}

/**
 * Whether the trust is Pinpoint's at all: whether Pinpoint may assume the role in some request
 * with the trust's conditions taken as met (its conditional Denies left out). A trust whose
 * conditions Pinpoint never meets is still Pinpoint's, and the decision then says that Pinpoint
 * cannot assume it; a trust that never names Pinpoint (ec2.amazonaws.com's) is not.
 */
export async function trustsPinpoint(
  role: Pick<RoleUnderProof, "place" | "arn" | "trust">,
  now: number,
): Promise<boolean> {
  const kind = pinpointAssumes(role.place, false, now);
  const trust = unconditioned(readFor(kind, role.trust));
  const { outcome } = await trustRequest(
    trust,
    role.arn,
    role.place.accountId,
    PINPOINT_PRINCIPAL,
    "sts:AssumeRole",
    present(PINPOINT_CONTEXT),
    "strict",
  );
  return outcome !== "Denied";
}

/** That Pinpoint can assume the role for some project of the account, however the rest of its request is set. */
async function proveTrustWorks(role: RoleUnderProof, now: number, tally: Tally): Promise<void> {
  const { place } = role;
  const kind = pinpointAssumes(place, true, now);
  const trust = readFor(kind, role.trust);
  const uses = conditionUses([{ document: trust, name: "the trust policy" }]);
  const { fixed, fields } = await contextFields(kind, uses, {
    intendedSources: [ownProjects(place)],
    tokenIssue: "absent",
    examples: examplesOf(role),
  });
  const sourceIndex = fields.findIndex((f) => f.name.startsWith("aws:SourceArn"));
  const source = fields[sourceIndex];
  const rest = fields.filter((_, i) => i !== sourceIndex);
  tally.count(source.classes.length * combinations(rest));
  let firstRefusal: DecidedRequest | undefined;
  for (const project of source.classes) {
    let works = true;
    for (const context of product({ ...fixed, ...project, ...PINPOINT_CONTEXT }, rest)) {
      const { outcome } = await trustRequest(
        trust,
        role.arn,
        place.accountId,
        PINPOINT_PRINCIPAL,
        "sts:AssumeRole",
        present(context),
        "strict",
      );
      if (outcome !== "Allowed") {
        firstRefusal ??= {
          principal: PINPOINT_PRINCIPAL,
          action: "sts:AssumeRole",
          resource: role.arn,
          context: present(context),
          outcome,
        };
        works = false;
        break;
      }
    }
    if (works) return;
  }
  if (firstRefusal !== undefined) {
    tally.differ(
      firstRefusal,
      "Allowed",
      `Pinpoint cannot assume the role for any project of this account in ${place.region} in every request it makes`,
    );
  }
}

/** What IAM puts in every request Pinpoint makes as a service principal. */
const PINPOINT_CONTEXT: Assignment = {
  "aws:PrincipalServiceName": PINPOINT_PRINCIPAL,
  "aws:PrincipalServiceNamesList": [PINPOINT_PRINCIPAL],
  "aws:PrincipalIsAWSService": "true",
};

// ---------------------------------------------------------------------------------------------
// What the role grants.

/** Services whose requests the evaluator decides with rules of its own: their actions are classes per service. */
const OWN_RULES = new Set(["iam", "sts", "kms", "s3"]);

/** The action patterns of the documents (Action and NotAction). */
function actionPatterns(documents: readonly PolicyDocument[]): string[] {
  return [
    ...new Set(documents.flatMap((d) => statements(d).flatMap((s) => [...list(s.Action), ...list(s.NotAction)]))),
  ];
}

/** The resource patterns of the documents (Resource and NotResource). */
function resourcePatterns(documents: readonly PolicyDocument[]): string[] {
  return [
    ...new Set(documents.flatMap((d) => statements(d).flatMap((s) => [...list(s.Resource), ...list(s.NotResource)]))),
  ];
}

/** Classes of actions: those every action pattern matches alike, of the same resource types. */
async function actionClasses(
  documents: readonly PolicyDocument[],
  intendedActions: ReadonlySet<string>,
): Promise<{ classes: ActionInfo[]; unmatched: number }> {
  const patterns = actionPatterns(documents);
  // An action no Allow statement can match is denied whatever else the documents say: only the
  // services that Allow statements reach need classes of their own.
  const allows = documents.flatMap((d) => statements(d).filter((s) => s.Effect === "Allow"));
  const allowed = allows.flatMap((s) => list(s.Action));
  const everyService =
    allows.some((s) => s.NotAction !== undefined) ||
    allowed.some((p) => !p.includes(":") || /[*?]/.test(p.split(":")[0] ?? ""));
  const named = new Set(allowed.map((p) => (p.split(":")[0] ?? "").toLowerCase()));
  const known = await allServices();
  const services = known.filter((s) => everyService || named.has(s) || s === "personalize");
  const classes = new Map<string, ActionInfo>();
  let unmatched = 0;
  for (const service of services) {
    for (const info of await actionsOf(service)) {
      const sig = signature(patterns, info.action);
      const intended = intendedActions.has(info.action.toLowerCase()) ? info.action.toLowerCase() : "";
      const key = [
        sig,
        intended,
        info.wildcardOnly,
        OWN_RULES.has(service) ? service : "",
        `${service}:${[...info.resourceTypes].sort().join(",")}`,
      ].join("|");
      if (!classes.has(key)) classes.set(key, info);
    }
  }
  for (const service of known) if (!services.includes(service)) unmatched += 1;
  return { classes: [...classes.values()], unmatched };
}

/** A role's sessions' requests of one kind: their documents, conditions and context fields. */
async function sessions(role: RoleUnderProof, legitimate: boolean, now: number) {
  const { place } = role;
  const kind = sessionRequests(
    {
      place,
      arn: role.arnKnown
        ? role.arn
        : Language.regex(`arn:${escapeRegex(place.partition)}:iam::${place.accountId}:role/[\\w+=,.@/-]+`),
      ...(role.tags ? { tags: role.tags } : {}),
      maxSessionDuration: role.maxSessionDuration,
    },
    legitimate,
    now,
  );
  const documents = role.policies.map((d) => readFor(kind, d));
  const boundary = role.boundary === undefined ? [] : [readFor(kind, role.boundary)];
  const uses = conditionUses([
    ...documents.map((document, i) => ({ document, name: `permissions policy ${i + 1}` })),
    ...boundary.map((document) => ({ document, name: "the permissions boundary" })),
  ]);
  const variables = variablesOf(kind);
  const examples = examplesOf(role);
  const { fixed: contextFixed, fields } = await contextFields(kind, uses, { tokenIssue: "session", examples });
  const patterns = resourcePatterns([...documents, ...boundary]);
  const fixed = contextFixed;
  const accountUses = uses.filter((u) => u.key.toLowerCase() === "aws:resourceaccount");
  return { documents, boundary, uses, variables, examples, fixed, fields, patterns, accountUses };
}

async function provePermissions(
  role: RoleUnderProof,
  now: number,
  tally: Tally,
): Promise<{ granted: { action: string; resource: string }[]; reachesPersonalize: boolean }> {
  const { place } = role;
  const { documents, boundary, variables, examples, fixed, fields, patterns, accountUses } = await sessions(
    role,
    false,
    now,
  );
  const intendedKeys = new Set(role.intended.map((p) => `${p.action.toLowerCase()} ${p.resource}`));
  const intendedActions = new Set(role.intended.map((p) => p.action.toLowerCase()));
  const predicates = {
    patterns,
    others: [
      ...role.intended.map((p) => Language.literal(p.resource)),
      ...stringPredicates(accountUses, variables, true).map(byAccount),
    ],
    variables,
    examples,
  };
  const predicatesKey = JSON.stringify([patterns, role.intended, accountUses, fixed]);
  const ask = (
    docs: readonly PolicyDocument[],
    bounds: readonly PolicyDocument[],
    action: string,
    resource: string,
    context: Assignment,
  ) => identityRequest(docs, role.arn, place.accountId, action, resource, "strict", present(context), bounds);
  const open = documents.map(unconditioned);
  const openBoundary = boundary.map(unconditioned);
  const { classes } = await actionClasses([...documents, ...boundary], intendedActions);
  const granted = new Map<string, { action: string; resource: string }>();
  let reachesPersonalize = false;
  // aws:ResourceAccount is the account of the resource requested (of the role's own, for "*").
  const withAccount = (resource: string): Assignment =>
    accountUses.length === 0
      ? fixed
      : { ...fixed, "aws:ResourceAccount": resource === "*" ? place.accountId : resource.split(":")[4] };
  for (const info of classes) {
    if (tally.full) break;
    let resources: string[];
    if (info.wildcardOnly) {
      resources = ["*"];
    } else {
      // Denied on every resource with every condition taken as met: one class.
      if ((await ask(open, openBoundary, info.action, "*", fixed)).outcome === "Denied") {
        tally.count(1);
        continue;
      }
      resources = [];
      for (const type of info.resourceTypes) {
        resources.push(...(await resourceClasses(info.service, type, predicates, predicatesKey)));
      }
    }
    for (const resource of resources) {
      const base = withAccount(resource);
      if ((await ask(open, openBoundary, info.action, resource, base)).outcome === "Denied") {
        tally.count(1);
        continue;
      }
      if (info.service === "personalize") reachesPersonalize = true;
      tally.count(combinations(fields));
      for (const context of product(base, fields)) {
        const evaluation: Evaluation = await ask(documents, boundary, info.action, resource, context);
        const request = {
          principal: role.arn,
          action: info.action,
          resource,
          context: present(context),
          outcome: evaluation.outcome,
        };
        const intended = intendedKeys.has(`${info.action.toLowerCase()} ${resource}`);
        if (evaluation.outcome === "Unevaluable") {
          tally.differ(
            request,
            intended ? "Allowed" : "Denied",
            "the evaluator could not evaluate it",
            evaluation.error,
          );
        } else if (evaluation.outcome === "Allowed") {
          // Allowed to every principal by AWS (sts:GetCallerIdentity): not this role's grant.
          if ((await ask([], [], info.action, resource, {})).outcome === "Allowed") continue;
          tally.allowed += 1;
          granted.set(`${info.action} ${resource}`, { action: info.action, resource });
          if (!intended) {
            tally.differ(
              request,
              "Denied",
              role.intended.length === 0
                ? "the review cannot tell which campaign and solution the role is for, so no grant can be shown to be the guide's"
                : "it is not one of the three (action, resource) pairs of AWS's guide",
            );
          }
        }
        if (tally.full) break;
      }
    }
  }
  return { granted: [...granted.values()], reachesPersonalize };
}

/** That each intended pair is allowed in every request Pinpoint makes with the role. */
async function provePermissionsWork(role: RoleUnderProof, now: number, tally: Tally): Promise<void> {
  const { place } = role;
  const { documents, boundary, variables, fixed, fields, patterns, accountUses } = await sessions(role, true, now);
  for (const pattern of patterns) {
    for (const m of pattern.matchAll(/\$\{([^},]+)(?:, '[^']*')?\}/g)) {
      if (variables(m[1].trim()) === "varies") {
        throw new Unmodelled(
          `the resource pattern "${pattern}" holds the policy variable ${m[0]}, whose value differs from one request to another`,
        );
      }
    }
  }
  const base: Assignment = accountUses.length === 0 ? fixed : { ...fixed, "aws:ResourceAccount": place.accountId };
  for (const pair of role.intended) {
    tally.count(combinations(fields));
    for (const context of product(base, fields)) {
      const { outcome, error } = await identityRequest(
        documents,
        role.arn,
        place.accountId,
        pair.action,
        pair.resource,
        "strict",
        present(context),
        boundary,
      );
      if (outcome !== "Allowed") {
        tally.differ(
          { principal: role.arn, action: pair.action, resource: pair.resource, context: present(context), outcome },
          "Allowed",
          "it is one of the three pairs AWS's guide grants, and Pinpoint needs it in every request",
          error,
        );
        break;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------

/** Decides every question for a role. `now`: the review's moment, in milliseconds. */
export async function prove(role: RoleUnderProof, now: number): Promise<Proof> {
  const trust = new Tally("trust");
  const permissions = new Tally("permissions");
  const unmodelled: string[] = [];
  const attempt = async <T>(question: string, run: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof Unmodelled)) throw error;
      unmodelled.push(`${question}: ${error.message}`);
      return undefined;
    }
  };
  const admitted = await attempt("Who can assume the role", () => proveTrust(role, now, trust));
  await attempt("Whether Pinpoint can assume it", () => proveTrustWorks(role, now, trust));
  const granted = await attempt("What the role grants", () => provePermissions(role, now, permissions));
  await attempt("Whether it grants the guide's pairs", () => provePermissionsWork(role, now, permissions));
  return {
    trust: { classes: trust.classes, allowed: trust.allowed },
    permissions: { classes: permissions.classes, allowed: permissions.allowed },
    granted: granted?.granted ?? [],
    admitted: trust.allowedRequests,
    differences: [...trust.differences, ...permissions.differences],
    unmodelled,
    // What could not be decided may admit Pinpoint or grant Personalize: reviewed, and failed.
    admitsPinpoint: admitted?.admitsPinpoint ?? true,
    reachesPersonalize: granted?.reachesPersonalize ?? true,
    stoppedEarly: trust.full || permissions.full,
  };
}
