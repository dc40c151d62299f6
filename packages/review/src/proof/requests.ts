import {
  conditionEntries,
  list,
  PINPOINT_PRINCIPAL,
  PolicyDocument,
  principalEntries,
  signature,
  Statement,
  statementActs,
  statements,
} from "../documents";
import { asIamReads, identityRequest, trustRequest } from "../evaluator";
import { ActionInfo, actionsOf, allServices, roleActions } from "./actions";
import { escapeRegex, Language } from "./automata";
import {
  Assignment,
  byAccount,
  combinations,
  ConditionUse,
  contextFields,
  Examples,
  Field,
  product,
  stringPredicates,
  variablesOf,
} from "./classes";
import {
  arnConditionFirstComponent,
  operatorFamily,
  Unmodelled,
  replaceVariables,
  Variables,
  withVariables,
} from "./patterns";
import { principalClasses, PrincipalEntry } from "./principals";
import { othersAssume, ownProjectPattern, pinpointAssumes, Place, RequestKind, sessionRequests } from "./request-space";
import { patternsReadAlike, resourceClasses } from "./resources";

// Every class of requests of a question, by one representative request each: the requests to
// assume a role, and the requests of its sessions. The classes are those of every document given
// (one side's, or the two sides of a change): each representative is decided alike by all of them,
// so judging it decides its whole class for each. What a request holds is what IAM puts in it
// (request-space.ts); a class that every document denies with its conditions taken as met is
// denied whatever its context, and is counted without its contexts.

/** What the proof needs to know of a role. */
export interface RoleUnderProof {
  readonly place: Place;
  /** The role's ARN; with `arnKnown` false, a stand-in (its name is generated at apply). */
  readonly arn: string;
  readonly arnKnown: boolean;
  /** With `arnKnown` false, the ARNs the role may get, as a regular expression, where known. */
  readonly arnPattern?: string;
  readonly trust: PolicyDocument;
  readonly policies: readonly PolicyDocument[];
  readonly boundary?: PolicyDocument;
  /** The role's tags, where known at plan time. */
  readonly tags?: Readonly<Record<string, string>>;
  readonly maxSessionDuration: number;
  /** The (action, resource) pairs the role is meant to grant. */
  readonly intended: readonly { readonly action: string; readonly resource: string }[];
}

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
  const uses = documents.flatMap(({ document, name }) =>
    statements(document).flatMap((s, i) =>
      conditionEntries(s).map((c) => ({
        operator: c.operator,
        key: c.key,
        values: c.values,
        where: `statement ${s.Sid ?? i} of ${name}`,
      })),
    ),
  );
  // Policy variables in the first component are read as every request's (none of IAM's is "arn").
  const none: Variables = () => "absent";
  for (const use of uses.filter((u) => operatorFamily(u.operator)?.family === "arn")) {
    for (const value of use.values) arnConditionFirstComponent(value, none, use.where);
  }
  return uses;
}

/** A document as IAM reads it for requests of a kind: its policy variables that such requests all share written in. */
export function readFor(kind: RequestKind, document: PolicyDocument): PolicyDocument {
  return withVariables(asIamReads(document), variablesOf(kind));
}

/** The context as the evaluator takes it: absent keys left out. */
export function present(assignment: Assignment): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(assignment)) {
    if (typeof v === "string") out[k] = v;
    else if (v !== undefined) out[k] = [...v];
  }
  return out;
}

/** The role's own projects and recommenders: the source ARNs of Pinpoint's legitimate requests. */
export function ownProjects(place: Place): Language {
  // Any text after the type, as Pinpoint's own requests are read with IDs of its shape
  // (ownProjectPattern): a source ARN that no project can have widens nothing.
  return Language.regex(ownProjectPattern(place, "[!-~]*"));
}

/** A Pinpoint project ID that looks like one. */
export const EXAMPLE_PROJECT_ID = "0123456789abcdef0123456789abcdef";

/** What IAM puts in every request Pinpoint makes as a service principal. */
export const PINPOINT_CONTEXT: Assignment = {
  "aws:PrincipalServiceName": PINPOINT_PRINCIPAL,
  "aws:PrincipalServiceNamesList": [PINPOINT_PRINCIPAL],
  "aws:PrincipalIsAWSService": "true",
};

/** Readable values to stand for classes, by what they stand for: the role's own, and near it. */
export function examplesOf(role: RoleUnderProof): Examples {
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

// ---------------------------------------------------------------------------------------------
// Requests to assume the role.

/** A representative request to assume the role, and each side's trust as its kind reads it. */
export interface TrustRequestClass {
  readonly principal: string;
  readonly action: string;
  readonly context: Assignment;
  /** Whether the principal is Pinpoint. */
  readonly pinpoint: boolean;
  /** Each side's trust, as IAM reads it for this request's kind. */
  readonly trusts: readonly PolicyDocument[];
}

/**
 * Every class of requests to assume the role that the trusts given tell apart: every principal
 * (every service, every AWS principal of every account), every STS action on a role, every
 * context. `count` is told how many classes each step decides.
 */
export async function* trustRequestClasses(
  role: RoleUnderProof,
  trusts: readonly PolicyDocument[],
  now: number,
  count: (classes: number) => void,
): AsyncGenerator<TrustRequestClass> {
  const others = othersAssume(role.place, now);
  const pinpointKind = pinpointAssumes(role.place, false, now);
  const read = { others: trusts.map((t) => readFor(others, t)), pinpoint: trusts.map((t) => readFor(pinpointKind, t)) };
  const usesOf = (documents: readonly PolicyDocument[]) =>
    conditionUses(documents.map((document) => ({ document, name: "the trust policy" })));
  const entries: PrincipalEntry[] = read.others.flatMap((trust) =>
    statements(trust).flatMap((s, i) =>
      [...principalEntries(s.Principal), ...principalEntries(s.NotPrincipal)].map((e) => ({
        ...e,
        where: `statement ${s.Sid ?? i} of the trust policy`,
      })),
    ),
  );
  // Anyone (Principal "*", NotPrincipal) let to assume the role through an identity provider: the
  // federated callers of web identity and SAML are not among the principals modelled.
  for (const trust of read.others) {
    for (const s of statements(trust)) {
      const anyone =
        s.Principal === "*" || principalEntries(s.Principal).some((e) => e.id === "*") || s.NotPrincipal !== undefined;
      const federated = ["sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML"].some((a) => statementActs(s, a));
      if (s.Effect === "Allow" && anyone && federated) {
        throw new Unmodelled(
          "a trust statement lets anyone assume the role through an identity provider (web identity, SAML): federated callers are not modelled",
        );
      }
    }
  }
  const examples = examplesOf(role);
  const principals = principalClasses(
    entries,
    usesOf(read.others),
    variablesOf(others),
    PINPOINT_PRINCIPAL,
    examples.principals,
  );
  const actions = await roleActions();
  for (const p of principals) {
    const pinpoint = p.principal === PINPOINT_PRINCIPAL;
    const kind = pinpoint ? pinpointKind : others;
    const sides = pinpoint ? read.pinpoint : read.others;
    // Built only for a principal some side may let in: the conditions of statements that never
    // apply to it do not matter.
    let context: Promise<{ fixed: Assignment; fields: Field[] }> | undefined;
    for (const { action } of actions) {
      const open = await Promise.all(
        sides.map((t) =>
          trustRequest(
            unconditioned(t),
            role.arn,
            role.place.accountId,
            p.principal,
            action,
            present(p.context),
            "strict",
          ),
        ),
      );
      // Denied by every side with every condition taken as met: denied in every context, one class.
      if (open.every((o) => o.outcome === "Denied")) {
        count(1);
        continue;
      }
      context ??= contextFields(kind, usesOf(sides), {
        ...(pinpoint ? { intendedSources: [ownProjects(role.place)] } : {}),
        tokenIssue: pinpoint ? "absent" : "free",
        examples,
      });
      const { fixed, fields } = await context;
      const base = { ...fixed, ...p.context };
      count(combinations(fields));
      for (const context of product(base, fields)) {
        yield { principal: p.principal, action, context, pinpoint, trusts: sides };
      }
    }
  }
}

/**
 * Pinpoint's legitimate requests to assume the role: for each class of the role's own projects
 * that the trust tells apart, every class of the rest of the request.
 */
export async function pinpointProjectClasses(
  role: RoleUnderProof,
  now: number,
): Promise<{ trust: PolicyDocument; projects: Assignment[]; rest: Field[]; fixed: Assignment }> {
  const kind = pinpointAssumes(role.place, true, now);
  const trust = readFor(kind, role.trust);
  const { fixed, fields } = await contextFields(kind, conditionUses([{ document: trust, name: "the trust policy" }]), {
    intendedSources: [ownProjects(role.place)],
    tokenIssue: "absent",
    examples: examplesOf(role),
  });
  const source = fields.findIndex((f) => f.name.startsWith("aws:SourceArn"));
  return {
    trust,
    projects: [...(fields[source]?.classes ?? [])],
    rest: fields.filter((_, i) => i !== source),
    fixed: { ...fixed, ...PINPOINT_CONTEXT },
  };
}

// ---------------------------------------------------------------------------------------------
// Requests of the role's sessions.

/** One side's permissions: its policies and its boundary. */
export interface Permissions {
  readonly policies: readonly PolicyDocument[];
  readonly boundary?: PolicyDocument;
}

/** A representative request of the role's sessions, and each side's documents as its kind reads them. */
export interface SessionRequestClass {
  readonly action: ActionInfo;
  readonly resource: string;
  readonly context: Assignment;
  readonly sides: readonly { readonly policies: PolicyDocument[]; readonly boundary: PolicyDocument[] }[];
}

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

/**
 * Classes of actions: those every action pattern matches alike, of the same resource types, and
 * each intended action on its own. An action no Allow statement can match is denied whatever else
 * the documents say: only the services that Allow statements reach need classes.
 */
async function actionClasses(
  documents: readonly PolicyDocument[],
  intendedActions: ReadonlySet<string>,
): Promise<ActionInfo[]> {
  const patterns = actionPatterns(documents);
  const allows = documents.flatMap((d) => statements(d).filter((s) => s.Effect === "Allow"));
  const allowed = allows.flatMap((s) => list(s.Action));
  const everyService =
    allows.some((s) => s.NotAction !== undefined) ||
    allowed.some((p) => !p.includes(":") || /[*?]/.test(p.split(":")[0] ?? ""));
  const named = new Set(allowed.map((p) => (p.split(":")[0] ?? "").toLowerCase()));
  const services = (await allServices()).filter((s) => everyService || named.has(s) || s === "personalize");
  const classes = new Map<string, ActionInfo>();
  for (const service of services) {
    for (const info of await actionsOf(service)) {
      const key = [
        signature(patterns, info.action),
        intendedActions.has(info.action.toLowerCase()) ? info.action.toLowerCase() : "",
        info.wildcardOnly,
        OWN_RULES.has(service) ? service : "",
        `${service}:${[...info.resourceTypes].sort().join(",")}`,
      ].join("|");
      if (!classes.has(key)) classes.set(key, info);
    }
  }
  return [...classes.values()];
}

/** The kind of the role's sessions' requests: every one a session can make, or Pinpoint's legitimate ones. */
export function sessionKind(role: RoleUnderProof, legitimate: boolean, now: number): RequestKind {
  const { place } = role;
  return sessionRequests(
    {
      place,
      arn: role.arnKnown
        ? role.arn
        : Language.regex(
            role.arnPattern ?? `arn:${escapeRegex(place.partition)}:iam::${place.accountId}:role/[\\w+=,.@/-]+`,
          ),
      ...(role.tags ? { tags: role.tags } : {}),
      sessionTags: maySetSessionTags(role.trust),
      maxSessionDuration: role.maxSessionDuration,
    },
    legitimate,
    now,
  );
}

/**
 * Whether some principal may give the role's sessions tags of its own: a session tag, passed when
 * assuming the role or carried over from a chained role's transitive tags, needs `sts:TagSession`
 * in the role's trust, and replaces the role's tag of the same key in the session's
 * `aws:PrincipalTag` (IAM User Guide, "Passing session tags in AWS STS"). Read as any Allow
 * statement whose actions take in `sts:TagSession`, whatever its principal and conditions, unless a
 * Deny of it to every principal (`Principal: "*"`) with no condition stands beside it: where the
 * trust might let it in, the sessions' tags are free.
 */
export function maySetSessionTags(trust: PolicyDocument): boolean {
  const tagSession = (s: Statement) => statementActs(s, "sts:TagSession");
  const all = statements(trust);
  const deniedToAll = all.some(
    (s) =>
      s.Effect === "Deny" &&
      s.Principal === "*" &&
      s.NotPrincipal === undefined &&
      s.Condition === undefined &&
      tagSession(s),
  );
  return !deniedToAll && all.some((s) => s.Effect === "Allow" && tagSession(s));
}

/** Each side's documents as a kind reads them, and their conditions. */
function readSides(kind: RequestKind, sides: readonly Permissions[]) {
  // IAM's documentation says what a policy variable of a key the request lacks becomes, not one
  // whose key holds the empty string (a tag of empty value): the empty text in its place
  // (`campaign/${aws:PrincipalTag/p}*` would be `campaign/*`) or no value, as the evaluator reads
  // it. The proof cannot rest on either.
  // So is an empty default (`${aws:PrincipalTag/p, ''}`) where the key may be missing.
  const variables = variablesOf(kind);
  for (const document of sides.flatMap((side) => [...side.policies, ...(side.boundary ? [side.boundary] : [])])) {
    replaceVariables(JSON.stringify(document), (key, token, fallback) => {
      const value = variables(key);
      const empty = typeof value === "object" ? value.value === "" : fallback !== undefined && fallback.trim() === "''";
      if (empty) {
        throw new Unmodelled(
          `the policy variable ${token} is the empty string in some of the role's sessions, and IAM's documentation ` +
            "does not say whether it puts the empty text in its place or reads it as no value",
        );
      }
      return token;
    });
  }
  const read = sides.map((side) => ({
    policies: side.policies.map((d) => readFor(kind, d)),
    boundary: side.boundary === undefined ? [] : [readFor(kind, side.boundary)],
  }));
  const uses = conditionUses(
    read.flatMap((side) => [
      ...side.policies.map((document, i) => ({ document, name: `permissions policy ${i + 1}` })),
      ...side.boundary.map((document) => ({ document, name: "the permissions boundary" })),
    ]),
  );
  return { read, uses, documents: read.flatMap((side) => [...side.policies, ...side.boundary]) };
}

/** Refuses (Unmodelled) a resource pattern with a policy variable whose value differs from one request to another. */
function unmodelledVariables(patterns: readonly string[], variables: Variables): void {
  for (const pattern of patterns) {
    for (const m of pattern.matchAll(/\$\{([^},]+)(?:, '[^']*')?\}/g)) {
      // `${*}`, `${?}` and `${$}` are escapes, not variables.
      if (!["*", "?", "$"].includes(m[1].trim()) && variables(m[1].trim()) === "varies") {
        throw new Unmodelled(
          `the resource pattern "${pattern}" holds the policy variable ${m[0]}, whose value differs from one request to another`,
        );
      }
    }
  }
}

/**
 * Every class of requests of the role's sessions that the sides' documents tell apart: every action
 * of every service their Allow statements reach, every resource of the action's types, every
 * context a session carries. `count` is told how many classes each step decides.
 */
export async function* sessionRequestClasses(
  role: RoleUnderProof,
  sides: readonly Permissions[],
  intended: readonly { readonly action: string; readonly resource: string }[],
  now: number,
  count: (classes: number) => void,
): AsyncGenerator<SessionRequestClass> {
  const { place } = role;
  const kind = sessionKind(role, false, now);
  const variables = variablesOf(kind);
  const examples = examplesOf(role);
  const { read, uses, documents } = readSides(kind, sides);
  const { fixed, fields } = await contextFields(kind, uses, { tokenIssue: "session", examples });
  const patterns = resourcePatterns(documents);
  // A resource pattern whose variable differs from one session's request to another (the Region a
  // request names, `${aws:RequestedRegion}`) matches other resources in other requests.
  unmodelledVariables(patterns, variables);
  const accountUses = uses.filter((u) => u.key.toLowerCase() === "aws:resourceaccount");
  const predicates = {
    patterns,
    others: [
      ...intended.map((p) => Language.literal(p.resource)),
      ...stringPredicates(accountUses, variables, true).map(byAccount),
    ],
    variables,
    examples,
  };
  const predicatesKey = JSON.stringify([patterns, intended, accountUses, fixed]);
  const open = read.map((side) => ({
    policies: side.policies.map(unconditioned),
    boundary: side.boundary.map(unconditioned),
  }));
  const deniedEverywhere = async (action: string, resource: string, context: Assignment) =>
    (
      await Promise.all(
        open.map((side) =>
          identityRequest(
            side.policies,
            role.arn,
            place.accountId,
            action,
            resource,
            "strict",
            present(context),
            side.boundary,
          ),
        ),
      )
    ).every((o) => o.outcome === "Denied");
  // aws:ResourceAccount is the account of the resource requested (of the role's own, for "*").
  const withAccount = (resource: string): Assignment =>
    accountUses.length === 0
      ? fixed
      : { ...fixed, "aws:ResourceAccount": resource === "*" ? place.accountId : resource.split(":")[4] };
  const intendedActions = new Set(intended.map((p) => p.action.toLowerCase()));
  const actions = await actionClasses(documents, intendedActions);
  for (const info of actions.filter((a) => !a.wildcardOnly)) {
    for (const type of info.resourceTypes) await patternsReadAlike(info.service, type, predicates, predicatesKey);
  }
  for (const info of actions) {
    let resources: string[];
    if (info.wildcardOnly) {
      resources = ["*"];
    } else {
      // Denied on every resource with every condition taken as met: one class.
      if (await deniedEverywhere(info.action, "*", fixed)) {
        count(1);
        continue;
      }
      resources = [];
      for (const type of info.resourceTypes) {
        resources.push(...(await resourceClasses(info.service, type, predicates, predicatesKey)));
      }
    }
    for (const resource of resources) {
      const base = withAccount(resource);
      if (await deniedEverywhere(info.action, resource, base)) {
        count(1);
        continue;
      }
      count(combinations(fields));
      for (const context of product(base, fields)) yield { action: info, resource, context, sides: read };
    }
  }
}

/**
 * Pinpoint's legitimate requests with the role: for each intended pair, every class of the rest of
 * the request (the moment, the session's token, what IAM puts in it).
 */
export async function legitimateSessionClasses(
  role: RoleUnderProof,
  now: number,
): Promise<{ side: { policies: PolicyDocument[]; boundary: PolicyDocument[] }; fixed: Assignment; fields: Field[] }> {
  const kind = sessionKind(role, true, now);
  const variables = variablesOf(kind);
  const { read, uses, documents } = readSides(kind, [role]);
  unmodelledVariables(resourcePatterns(documents), variables);
  const { fixed, fields } = await contextFields(kind, uses, { tokenIssue: "session", examples: examplesOf(role) });
  const accountUses = uses.some((u) => u.key.toLowerCase() === "aws:resourceaccount");
  return {
    side: read[0],
    fixed: accountUses ? { ...fixed, "aws:ResourceAccount": role.place.accountId } : fixed,
    fields,
  };
}
