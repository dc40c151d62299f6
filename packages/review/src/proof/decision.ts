import { PINPOINT_PRINCIPAL, PolicyDocument, statements } from "../documents";
import { identityRequest, Outcome, trustRequest } from "../evaluator";
import { combinations, product } from "./classes";
import { TooIntricate } from "./automata";
import { MATCHES_NO_RESOURCE, replaceVariables, Unmodelled, variableKeys } from "./patterns";
import { pinpointAssumes, Place } from "./request-space";
import { actionsOf } from "./actions";
import {
  legitimateSessionClasses,
  ownProjects,
  Permissions,
  PINPOINT_CONTEXT,
  pinpointProjectClasses,
  present,
  readFor,
  RoleUnderProof,
  sessionKind,
  sessionRequestClasses,
  trustRequestClasses,
  unconditioned,
} from "./requests";

// The decision: over every request a role can receive, whether what its documents allow is what it
// is meant to allow. Each class of requests (requests.ts) is decided by one evaluation of its
// representative by the IAM evaluator: the documents match every request of a class with the same
// patterns, so IAM decides them alike. Four questions:
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
// cannot prove fails, and never passes by default. And what a change does: every class of either
// side's documents, decided by both.

export type { RoleUnderProof };
export { unconditioned };

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
  /**
   * Whether some request of the role's sessions now (at the review's moment) is allowed some Amazon
   * Personalize action, or the proof cannot tell: whether it is a recommendations role in use.
   */
  readonly grantsPersonalize: boolean;
  /** Past this many differences a question stops: the verdict cannot change. */
  readonly stoppedEarly: boolean;
}

/** Differences recorded per question; past them the question stops (the role fails either way). */
export const MAX_DIFFERENCES = 20;
/** Requests to assume the role kept as the trust's allowed classes, at most. */
export const MAX_ADMITTED = 50;
/** Requests evaluated per question, at most; past them the proof says it cannot decide. */
export const MAX_REQUESTS = 50000;

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

  readonly count = (requests: number): void => {
    this.classes += requests;
    if (this.classes > MAX_REQUESTS) {
      throw new Unmodelled(`the ${this.question} question has more than ${MAX_REQUESTS} classes of requests`);
    }
  };

  differ(request: DecidedRequest, expected: "Allowed" | "Denied", why: string, error?: string): void {
    if (this.full) return;
    this.differences.push({ ...request, question: this.question, expected, why, ...(error ? { error } : {}) });
  }
}

// ---------------------------------------------------------------------------------------------
// Who can assume the role.

async function proveTrust(role: RoleUnderProof, now: number, tally: Tally): Promise<{ admitsPinpoint: boolean }> {
  const projects = ownProjects(role.place);
  let admitsPinpoint = false;
  for await (const r of trustRequestClasses(role, [role.trust], now, tally.count)) {
    const trust = r.trusts[0];
    const { outcome, error } = await trustRequest(
      trust,
      role.arn,
      role.place.accountId,
      r.principal,
      r.action,
      present(r.context),
      "strict",
    );
    const request = {
      principal: r.principal,
      action: r.action,
      resource: role.arn,
      context: present(r.context),
      outcome,
    };
    const assumeRole = r.action.toLowerCase() === "sts:assumerole";
    const source = r.context["aws:SourceArn"];
    const intended = r.pinpoint && assumeRole && typeof source === "string" && projects.has(source);
    if (outcome === "Allowed") {
      tally.allowed += 1;
      if (tally.allowedRequests.length < MAX_ADMITTED) tally.allowedRequests.push(request);
      if (r.pinpoint && assumeRole) admitsPinpoint = true;
    }
    if (outcome === "Unevaluable") {
      tally.differ(request, intended ? "Allowed" : "Denied", "the evaluator could not evaluate it", error);
    } else if (outcome === "Allowed" && !intended) {
      tally.differ(request, "Denied", whyNotTrusted(r.pinpoint, assumeRole, source, role.place));
    }
    if (tally.full) break;
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
  const { trust, projects, rest, fixed } = await pinpointProjectClasses(role, now);
  tally.count(projects.length * combinations(rest));
  let firstRefusal: DecidedRequest | undefined;
  for (const project of projects) {
    let works = true;
    for (const context of product({ ...fixed, ...project }, rest)) {
      const { outcome } = await trustRequest(
        trust,
        role.arn,
        role.place.accountId,
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
      `Pinpoint cannot assume the role for any project of this account in ${role.place.region} in every request it makes`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// What the role grants.

/** Whether AWS allows a request to every principal (sts:GetCallerIdentity): then it is no role's grant. */
async function allowedToEveryone(role: RoleUnderProof, action: string, resource: string): Promise<boolean> {
  return (await identityRequest([], role.arn, role.place.accountId, action, resource, "strict")).outcome === "Allowed";
}

/**
 * Whether the role's policies allow some Amazon Personalize action on some resource with their
 * conditions taken as met (or cannot be evaluated): every Personalize action, asked on every
 * resource at once. Decided on its own, so that no stop of the proof leaves it out.
 */
async function reachesPersonalize(role: RoleUnderProof, now: number): Promise<boolean> {
  const kind = sessionKind(role, false, now);
  const policies = role.policies.map((d) => reachingFurthest(unconditioned(readFor(kind, d))));
  const boundary = role.boundary === undefined ? [] : [reachingFurthest(unconditioned(readFor(kind, role.boundary)))];
  for (const { action } of await actionsOf("personalize")) {
    const { outcome } = await identityRequest(
      policies,
      role.arn,
      role.place.accountId,
      action,
      "*",
      "strict",
      {},
      boundary,
    );
    if (outcome !== "Denied") return true;
  }
  return false;
}

/**
 * A document with each policy variable that readFor left (its value differs from one request to
 * another: `${aws:RequestedRegion}`) taken as the value that reaches furthest: any text in an
 * Allow's Resource or a Deny's NotResource, and no resource in a Deny's Resource or an Allow's
 * NotResource. The evaluator matches such a variable against the request's context, which this
 * question leaves empty, and would match nothing.
 */
function reachingFurthest(document: PolicyDocument): PolicyDocument {
  const holds = (text: string) => variableKeys(text).length > 0;
  const anything = (text: string) => replaceVariables(text, () => "*");
  return {
    ...document,
    Statement: statements(document).map((s) => {
      const allow = s.Effect === "Allow";
      const resource = s.Resource === undefined ? undefined : [s.Resource].flat();
      const notResource = s.NotResource === undefined ? undefined : [s.NotResource].flat();
      if (!(resource ?? []).some(holds) && !(notResource ?? []).some(holds)) return s;
      const { Resource: _r, NotResource: _n, ...rest } = s;
      if (resource !== undefined) {
        return { ...rest, Resource: resource.map((r) => (!holds(r) ? r : allow ? anything(r) : MATCHES_NO_RESOURCE)) };
      }
      const kept = (notResource ?? []).flatMap((r) => (!holds(r) ? [r] : allow ? [] : [anything(r)]));
      return kept.length === 0 ? { ...rest, Resource: "*" } : { ...rest, NotResource: kept };
    }),
  };
}

async function provePermissions(
  role: RoleUnderProof,
  now: number,
  tally: Tally,
): Promise<{ granted: { action: string; resource: string }[] }> {
  const intended = new Set(role.intended.map((p) => `${p.action.toLowerCase()} ${p.resource}`));
  const granted = new Map<string, { action: string; resource: string }>();
  for await (const r of sessionRequestClasses(role, [role], role.intended, now, tally.count)) {
    const side = r.sides[0] as { policies: PolicyDocument[]; boundary: PolicyDocument[] };
    const { outcome, error } = await identityRequest(
      side.policies,
      role.arn,
      role.place.accountId,
      r.action.action,
      r.resource,
      "strict",
      present(r.context),
      side.boundary,
    );
    const request = {
      principal: role.arn,
      action: r.action.action,
      resource: r.resource,
      context: present(r.context),
      outcome,
    };
    const meant = intended.has(`${r.action.action.toLowerCase()} ${r.resource}`);
    if (outcome === "Unevaluable") {
      tally.differ(request, meant ? "Allowed" : "Denied", "the evaluator could not evaluate it", error);
    } else if (outcome === "Allowed" && !(await allowedToEveryone(role, r.action.action, r.resource))) {
      tally.allowed += 1;
      granted.set(`${r.action.action} ${r.resource}`, { action: r.action.action, resource: r.resource });
      if (!meant) {
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
  return { granted: [...granted.values()] };
}

/** That each intended pair is allowed in every request Pinpoint makes with the role. */
async function provePermissionsWork(role: RoleUnderProof, now: number, tally: Tally): Promise<void> {
  const { side, fixed, fields } = await legitimateSessionClasses(role, now);
  for (const pair of role.intended) {
    tally.count(combinations(fields));
    for (const context of product(fixed, fields)) {
      const { outcome, error } = await identityRequest(
        side.policies,
        role.arn,
        role.place.accountId,
        pair.action,
        pair.resource,
        "strict",
        present(context),
        side.boundary,
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

/** Runs a question; what it does not model becomes a reason the proof is not made. */
async function attempt<T>(unmodelled: string[], question: string, run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof Unmodelled || error instanceof TooIntricate)) throw error;
    unmodelled.push(`${question}: ${error.message}`);
    return undefined;
  }
}

/** Decides every question for a role. `now`: the review's moment, in milliseconds. */
export async function prove(role: RoleUnderProof, now: number): Promise<Proof> {
  const trust = new Tally("trust");
  const permissions = new Tally("permissions");
  const unmodelled: string[] = [];
  const admitted = await attempt(unmodelled, "Who can assume the role", () => proveTrust(role, now, trust));
  await attempt(unmodelled, "Whether Pinpoint can assume it", () => proveTrustWorks(role, now, trust));
  const reaches = await attempt(unmodelled, "Whether the role reaches Amazon Personalize", () =>
    reachesPersonalize(role, now),
  );
  const granted = await attempt(unmodelled, "What the role grants", () => provePermissions(role, now, permissions));
  await attempt(unmodelled, "Whether it grants the guide's pairs", () => provePermissionsWork(role, now, permissions));
  // A role whose policies reach no Personalize action grants none; past that, what the proof could
  // not finish or evaluate may grant it.
  const grantsPersonalize =
    (reaches ?? true) &&
    (granted === undefined ||
      permissions.full ||
      permissions.differences.some((d) => d.outcome === "Unevaluable") ||
      granted.granted.some((g) => g.action.toLowerCase().startsWith("personalize:")));
  return {
    trust: { classes: trust.classes, allowed: trust.allowed },
    permissions: { classes: permissions.classes, allowed: permissions.allowed },
    granted: granted?.granted ?? [],
    admitted: trust.allowedRequests,
    differences: [...trust.differences, ...permissions.differences],
    unmodelled,
    // What could not be decided may admit Pinpoint or grant Personalize: reviewed, and failed.
    admitsPinpoint: admitted?.admitsPinpoint ?? true,
    reachesPersonalize: reaches ?? true,
    grantsPersonalize,
    stoppedEarly: trust.full || permissions.full,
  };
}

// ---------------------------------------------------------------------------------------------
// What a change does.

/** A class of requests whose outcome a change turns around, by its representative. */
export interface Change extends Omit<DecidedRequest, "outcome"> {
  readonly before: Outcome;
  readonly after: Outcome;
}

export interface Changes {
  readonly trust: Change[];
  readonly permissions: Change[];
  /** Why part of the comparison could not be made. */
  readonly unmodelled: string[];
}

/**
 * What a change to a role does to its access: every class of requests that either side's documents
 * tell apart, decided under both, where the outcomes differ. Exact as the proof is: a request the
 * change newly allows or denies is found, whichever side's patterns it falls between.
 */
export async function changes(before: RoleUnderProof, after: RoleUnderProof, now: number): Promise<Changes> {
  const trust: Change[] = [];
  const permissions: Change[] = [];
  const unmodelled: string[] = [];
  const tallies = { trust: new Tally("trust"), permissions: new Tally("permissions") };
  await attempt(unmodelled, "Who can assume the role", async () => {
    for await (const r of trustRequestClasses(after, [before.trust, after.trust], now, tallies.trust.count)) {
      const [b, a] = await Promise.all(
        r.trusts.map((t) =>
          trustRequest(t, after.arn, after.place.accountId, r.principal, r.action, present(r.context), "strict"),
        ),
      );
      if (b?.outcome !== a?.outcome && trust.length < MAX_DIFFERENCES) {
        trust.push({
          principal: r.principal,
          action: r.action,
          resource: after.arn,
          context: present(r.context),
          before: b?.outcome ?? "Unevaluable",
          after: a?.outcome ?? "Unevaluable",
        });
      }
    }
  });
  const sides: Permissions[] = [before, after];
  await attempt(unmodelled, "What the role grants", async () => {
    const intended = [...before.intended, ...after.intended];
    for await (const r of sessionRequestClasses(after, sides, intended, now, tallies.permissions.count)) {
      const [b, a] = await Promise.all(
        r.sides.map((side) =>
          identityRequest(
            side.policies,
            after.arn,
            after.place.accountId,
            r.action.action,
            r.resource,
            "strict",
            present(r.context),
            side.boundary,
          ),
        ),
      );
      if (b?.outcome !== a?.outcome && permissions.length < MAX_DIFFERENCES) {
        permissions.push({
          principal: after.arn,
          action: r.action.action,
          resource: r.resource,
          context: present(r.context),
          before: b?.outcome ?? "Unevaluable",
          after: a?.outcome ?? "Unevaluable",
        });
      }
    }
  });
  return { trust, permissions, unmodelled };
}
