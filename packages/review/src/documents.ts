// IAM policy documents as AWS receives them, and IAM's way of matching the patterns in them.

/** An IAM policy document as AWS receives it (parsed from the plan). */
export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: Statement[] | Statement;
}

/** A principal element: `"*"` or a map of principal types (AWS, Service, Federated, CanonicalUser) to IDs. */
export type PrincipalElement = "*" | Record<string, string | string[]>;

export interface Statement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: string | string[];
  readonly NotResource?: string | string[];
  readonly Principal?: PrincipalElement;
  readonly NotPrincipal?: PrincipalElement;
  readonly Condition?: Record<string, Record<string, string | string[] | boolean | number>>;
}

export function statements(document: PolicyDocument): Statement[] {
  return Array.isArray(document.Statement) ? document.Statement : [document.Statement];
}

export function list<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** The service principal that Amazon Pinpoint uses to assume roles. */
export const PINPOINT_PRINCIPAL = "pinpoint.amazonaws.com";

/** A document that could not be read, with the reason. */
export class DocumentError extends Error {}

/** Parses a policy document that the plan holds as JSON; throws `DocumentError` when it cannot. */
export function parseDocument(where: string, value: unknown): PolicyDocument {
  if (typeof value !== "string" || value === "") {
    throw new DocumentError(
      `${where} is not known at plan time (it depends on a value that only exists after apply), ` +
        "so the review cannot read the policy. Build it from values known at plan time (not from an attribute of a " +
        "resource the same plan creates), or review a plan made once that resource exists.",
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new DocumentError(`${where} is not a JSON policy document.`);
  }
  const problem = structureProblem(parsed);
  if (problem !== undefined) throw new DocumentError(`${where} is not an IAM policy document IAM accepts: ${problem}.`);
  return parsed as PolicyDocument;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const isStrings = (v: unknown) => typeof v === "string" || (Array.isArray(v) && v.every((x) => typeof x === "string"));
const isScalars = (v: unknown) =>
  ["string", "number", "boolean"].includes(typeof v) ||
  (Array.isArray(v) && v.every((x) => ["string", "number", "boolean"].includes(typeof x)));

/** What keeps a parsed JSON value from being a policy document of IAM's grammar, as the review reads one. */
function structureProblem(document: unknown): string | undefined {
  if (!isObject(document)) return "it is not a JSON object";
  if (document.Statement === undefined) return "it has no Statement";
  const list = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  for (const [i, s] of list.entries()) {
    if (!isObject(s)) return `statement ${i} is not an object`;
    if (s.Effect !== "Allow" && s.Effect !== "Deny") return `statement ${i}'s Effect is neither Allow nor Deny`;
    for (const key of ["Action", "NotAction", "Resource", "NotResource"]) {
      if (s[key] !== undefined && !isStrings(s[key]))
        return `statement ${i}'s ${key} is not a string or a list of strings`;
    }
    for (const key of ["Principal", "NotPrincipal"]) {
      const p = s[key];
      if (p !== undefined && p !== "*" && !(isObject(p) && Object.values(p).every(isStrings)))
        return `statement ${i}'s ${key} is neither "*" nor a map of principal types to IDs`;
    }
    const c = s.Condition;
    if (
      c !== undefined &&
      !(isObject(c) && Object.values(c).every((o) => isObject(o) && Object.values(o).every(isScalars)))
    )
      return `statement ${i}'s Condition is not a map of operators to maps of keys to values`;
  }
  return undefined;
}

/** Every string of a statement's principal element, with its type (`"*"` for a bare `"*"`). */
export function principalEntries(element: PrincipalElement | undefined): { type: string; id: string }[] {
  if (element === undefined) return [];
  if (element === "*") return [{ type: "*", id: "*" }];
  return Object.entries(element).flatMap(([type, ids]) => list(ids).map((id) => ({ type, id })));
}

/** A condition of a statement: its operator, key and values, as written. */
export interface ConditionEntry {
  readonly operator: string;
  readonly key: string;
  readonly values: string[];
}

export function conditionEntries(statement: Statement): ConditionEntry[] {
  return Object.entries(statement.Condition ?? {}).flatMap(([operator, byKey]) =>
    Object.entries(byKey).map(([key, values]) => ({ operator, key, values: list(values).map(String) })),
  );
}

// ---------------------------------------------------------------------------------------------
// Matching. IAM matches action names case-insensitively and ARNs case-sensitively, with `*` for
// any run of characters and `?` for one. The review uses these only to sort requests into classes
// that every document decides the same way (see `signature`); the evaluator decides each class.

function globRegex(pattern: string, flags: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${body}$`, flags);
}

const regexCache = new Map<string, Map<string, RegExp>>();

function cached(pattern: string, flags: string): RegExp {
  let byPattern = regexCache.get(flags);
  if (byPattern === undefined) {
    byPattern = new Map();
    regexCache.set(flags, byPattern);
  }
  let regex = byPattern.get(pattern);
  if (regex === undefined) {
    regex = globRegex(pattern, flags);
    byPattern.set(pattern, regex);
  }
  return regex;
}

/** Whether an IAM action pattern matches an action, case-insensitively as IAM matches them. */
export function actionMatches(pattern: string, action: string): boolean {
  return cached(pattern, "is").test(action);
}

/** Whether a statement's Action takes in an action, or its NotAction leaves it out. */
export function statementActs(statement: Statement, action: string): boolean {
  return statement.Action !== undefined
    ? list(statement.Action).some((p) => actionMatches(p, action))
    : !list(statement.NotAction).some((p) => actionMatches(p, action));
}

/** Whether a pattern matches a value with `*` and `?`, case-sensitively. */
export function globMatches(pattern: string, value: string): boolean {
  return cached(pattern, "s").test(value);
}

/** Whether a pattern has a wildcard (`*` or `?`). */
export function hasWildcard(pattern: string): boolean {
  return /[*?]/.test(pattern);
}

/**
 * Which of the patterns a string matches, under every reading of IAM's matching rules that could
 * tell two strings apart (case-sensitive and not; wildcards across ARN segments and within one):
 * two strings with the same signature are matched by exactly the same patterns whichever reading
 * IAM applies, so every document decides them the same way.
 */
export function signature(patterns: readonly string[], value: string): string {
  const bits: string[] = [];
  for (const pattern of patterns) {
    const sensitive = globMatches(pattern, value);
    const insensitive = cached(pattern, "is").test(value);
    const segments = segmentwise(pattern, value);
    bits.push(`${sensitive ? 1 : 0}${insensitive ? 1 : 0}${segments ? 1 : 0}`);
  }
  return bits.join("");
}

/** ARN matching segment by segment (a wildcard never crossing a colon of the first five). */
function segmentwise(pattern: string, value: string): boolean {
  const p = pattern.split(":");
  const v = value.split(":");
  if (p.length < 6 || v.length < 6) return globMatches(pattern, value);
  const head = (parts: string[]) => [...parts.slice(0, 5), parts.slice(5).join(":")];
  const [ph, vh] = [head(p), head(v)];
  return ph.every((segment, i) => globMatches(segment, vh[i] ?? ""));
}

/** The parts of an ARN, or undefined for a string that is not one. */
export interface ArnParts {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

export function arnParts(value: string): ArnParts | undefined {
  const parts = value.split(":");
  if (parts.length < 6 || parts[0] !== "arn") return undefined;
  return {
    partition: parts[1] ?? "",
    service: parts[2] ?? "",
    region: parts[3] ?? "",
    account: parts[4] ?? "",
    resource: parts.slice(5).join(":"),
  };
}

/** A document's JSON in one canonical form: same meaning as written, same string (keys sorted). */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}
