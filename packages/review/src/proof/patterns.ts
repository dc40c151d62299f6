import { PolicyDocument, Statement, statements } from "../documents";
import { escapeRegex, Language } from "./automata";

// The strings each pattern of a policy matches, as the evaluator (@cloud-copilot/iam-simulate)
// matches them: the same regular expression it builds for a pattern (its escaping, its wildcards,
// its policy variables, its flags), as a language. The proof needs these to be exact: two values
// that every pattern of a document matches alike are decided alike, so one request of each such
// class stands for all of them. Where a test of the evaluator's is not a pattern over one string
// (a policy variable whose value differs from request to request), the pattern is not modelled and
// the proof says so instead of guessing.

/** The proof met something it does not model: the role cannot be proven, and the message says why. */
export class Unmodelled extends Error {}

/** What a request of one kind holds for a context key that a policy variable names. */
export type VariableValue =
  /** The same value in every request of the kind (the role's account, its tags). */
  | { readonly value: string }
  /** Absent from every request of the kind. */
  | "absent"
  /** Different values in different requests: a pattern naming it is not one language. */
  | "varies";

/** A context key's value for policy variables, by key (any letter case). */
export type Variables = (key: string) => VariableValue;

/** A regular expression that matches nothing: what the evaluator tests against when a variable has no value. */
const NOTHING = "[]";
/** The evaluator's wildcards: `*` any run of characters, `?` one (neither a line terminator: its expressions have no `s` flag). */
const STAR = ".*";
const ONE = ".";

/**
 * A string of a policy as the evaluator turns it into a regular expression (its `convertIamString`):
 * wildcards (when `wildcards`), `${*}`, `${?}` and `${$}`, and policy variables substituted (with a
 * `${key, 'default'}` when the key is absent; a key that is absent with no default makes the
 * expression match nothing). Literal text is escaped.
 */
export function iamStringSource(
  value: string,
  wildcards: boolean,
  variables: Variables,
  where: string,
  /** The regular expressions of `*` and `?`, where they are read as wildcards. */
  wildcard: { readonly star: string; readonly one: string } = { star: STAR, one: ONE },
): string {
  let source = "";
  let literal = "";
  let i = 0;
  const flush = () => {
    source += escapeRegex(literal);
    literal = "";
  };
  while (i < value.length) {
    const c = value[i];
    if (c === "*" || c === "?") {
      flush();
      source += wildcards ? (c === "*" ? wildcard.star : wildcard.one) : escapeRegex(c);
      i += 1;
      continue;
    }
    if (c === "$" && value[i + 1] === "{") {
      const end = value.indexOf("}", i + 2);
      if (end === -1) {
        literal += c;
        i += 1;
        continue;
      }
      const token = value.slice(i, end + 1);
      flush();
      i = end + 1;
      if (token === "${*}" || token === "${?}" || token === "${$}") {
        // `${*}` is a literal `*` where wildcards are read, and the text `${*}` where they are not.
        source += escapeRegex(wildcards ? token[2] : token);
        continue;
      }
      const inside = token.slice(2, -1);
      const parts = inside.split(", ");
      const fallback =
        parts.length === 2 && parts[1].startsWith("'") && parts[1].endsWith("'") ? parts[1].slice(1, -1) : undefined;
      const name = parts[0].trim();
      const known = variables(name);
      if (known === "varies") {
        throw new Unmodelled(
          `${where} holds the policy variable \${${name}}, whose value differs from one request to another here, ` +
            "so what the pattern matches is not one set of strings",
        );
      }
      // The evaluator takes an empty value as no value (then the default, or nothing).
      const resolved = known === "absent" || known.value === "" ? fallback || undefined : known.value;
      if (resolved === undefined) return NOTHING;
      source += escapeRegex(resolved);
      continue;
    }
    literal += c;
    i += 1;
  }
  flush();
  return source;
}

/** Every string without a colon: one segment of an ARN. */
const SEGMENT = "[^:]*";

/**
 * The strings a condition value of `ArnLike`/`ArnEquals` (and their negations) matches: the
 * evaluator splits both ARNs at colons and tests the partition, service, Region and account
 * segments one by one, and the rest (the resource, colons and all) as one; it does not check the
 * leading `arn`. A value with fewer than five colon-separated parts matches nothing.
 */
export function arnConditionLanguage(value: string, variables: Variables, where: string): Language {
  const parts = value.split(":");
  if (parts.length < 5) return Language.none();
  arnConditionFirstComponent(value, variables, where);
  const segment = (text: string) =>
    Language.regex(iamStringSource(text, true, variables, where)).and(Language.regex(SEGMENT));
  const colon = Language.literal(":");
  const resource = Language.regex(iamStringSource(parts.slice(5).join(":"), true, variables, where));
  const tail = Language.union([
    Language.concat([colon, resource]),
    ...(resource.has("") ? [Language.literal("")] : []),
  ]);
  return Language.concat([
    Language.regex(SEGMENT),
    colon,
    segment(parts[1]),
    colon,
    segment(parts[2]),
    colon,
    segment(parts[3]),
    colon,
    segment(parts[4]),
    tail,
  ]);
}

/**
 * IAM compares "each of the six colon-delimited components" of an ARN condition's value (IAM User
 * Guide, ARN condition operators), the first too, which every ARN has as "arn"; the evaluator skips
 * it. A value whose first component cannot be "arn" (a typo, "arm:") matches no ARN in IAM and some
 * in the evaluator: the proof cannot rest on the evaluator there, for a fixed key (the principal's
 * ARN) as for one whose values it splits into classes.
 */
export function arnConditionFirstComponent(value: string, variables: Variables, where: string): void {
  const first = value.split(":")[0] ?? "";
  if (!Language.regex(iamStringSource(first, true, variables, where)).has("arn")) {
    throw new Unmodelled(
      `${where}: the ARN condition value "${value}" begins "${first}", not "arn": IAM compares that component ` +
        "(the value matches no ARN), the evaluator skips it",
    );
  }
}

/** The condition operators the proof models, by the kind of value they compare. */
export type OperatorFamily =
  "string" | "string-ignore-case" | "arn" | "numeric" | "date" | "bool" | "ip" | "binary" | "null";

/**
 * An operator's family and whether it is negated, read as the evaluator reads it: a set prefix
 * (`ForAllValues:`, `ForAnyValue:`) and an `IfExists` suffix around a base operator, in any letter
 * case. Undefined for an operator the evaluator does not know (IAM refuses the policy).
 */
export function operatorFamily(operator: string): { family: OperatorFamily; base: string } | undefined {
  const base = operator
    .replace(/^(forallvalues|foranyvalue):/i, "")
    .replace(/ifexists$/i, "")
    .toLowerCase();
  const families: Record<string, OperatorFamily> = {
    stringequals: "string",
    stringnotequals: "string",
    stringlike: "string",
    stringnotlike: "string",
    stringequalsignorecase: "string-ignore-case",
    stringnotequalsignorecase: "string-ignore-case",
    arnequals: "arn",
    arnnotequals: "arn",
    arnlike: "arn",
    arnnotlike: "arn",
    numericequals: "numeric",
    numericnotequals: "numeric",
    numericlessthan: "numeric",
    numericlessthanequals: "numeric",
    numericgreaterthan: "numeric",
    numericgreaterthanequals: "numeric",
    dateequals: "date",
    datenotequals: "date",
    datelessthan: "date",
    datelessthanequals: "date",
    dategreaterthan: "date",
    dategreaterthanequals: "date",
    bool: "bool",
    ipaddress: "ip",
    notipaddress: "ip",
    binaryequals: "binary",
    null: "null",
  };
  const family = families[base];
  return family === undefined ? undefined : { family, base };
}

/**
 * The strings a string-valued condition value matches, for the operator's family: `StringLike`
 * reads wildcards, `StringEquals` does not, `...IgnoreCase` and `Bool` compare without letter case
 * (the evaluator's `i` flag), `Arn...` segment by segment.
 */
export function conditionValueLanguage(
  base: string,
  family: OperatorFamily,
  value: string,
  variables: Variables,
  where: string,
): Language {
  switch (family) {
    case "string":
      return Language.regex(iamStringSource(value, /like$/.test(base), variables, where));
    case "string-ignore-case":
    case "bool":
      return Language.regex(iamStringSource(value, false, variables, where), "i");
    case "arn":
      return arnConditionLanguage(value, variables, where);
    default:
      throw new Unmodelled(`${where}: the ${base} operator does not compare strings`);
  }
}

/**
 * The 12-digit strings whose number compares so with a value, as the evaluator reads numbers
 * (`parseFloat` with a decimal point, `parseInt` without): account IDs under `Numeric...`.
 */
export function numericDigitsLanguage(base: string, value: string, digits = 12): Language {
  const n = value.includes(".") ? parseFloat(value) : parseInt(value, 10);
  if (Number.isNaN(n)) return Language.none();
  const max = 10 ** digits - 1;
  // The whole numbers that compare so, as one range [lo, hi] (or its complement for not-equals).
  const range = (lo: number, hi: number) => digitRange(Math.max(0, lo), Math.min(max, hi), digits);
  const whole = Number.isInteger(n);
  switch (base) {
    case "numericequals":
    case "numericnotequals":
      return whole ? range(n, n) : Language.none();
    case "numericlessthan":
      return range(0, whole ? n - 1 : Math.floor(n));
    case "numericlessthanequals":
      return range(0, Math.floor(n));
    case "numericgreaterthan":
      return range(whole ? n + 1 : Math.ceil(n), max);
    case "numericgreaterthanequals":
      return range(Math.ceil(n), max);
    default:
      throw new Unmodelled(`${base} is not a numeric operator`);
  }
}

/** The `digits`-digit strings (leading zeros included) whose value is from `lo` to `hi`. */
export function digitRange(lo: number, hi: number, digits: number): Language {
  if (lo > hi) return Language.none();
  return Language.regex(rangeSource(String(lo).padStart(digits, "0"), String(hi).padStart(digits, "0")));
}

/** A regular expression for the digit strings of one length from `lo` to `hi` (equal lengths). */
function rangeSource(lo: string, hi: string): string {
  if (lo.length === 0) return "";
  if (lo === hi) return lo;
  if (/^0+$/.test(lo) && /^9+$/.test(hi)) return `[0-9]{${lo.length}}`;
  const [a, b] = [Number(lo[0]), Number(hi[0])];
  const rest = lo.length - 1;
  const any = rest > 0 ? `[0-9]{${rest}}` : "";
  if (a === b) return `${a}(?:${rangeSource(lo.slice(1), hi.slice(1))})`;
  const alternatives = [
    `${a}(?:${rangeSource(lo.slice(1), "9".repeat(rest))})`,
    ...(b - a > 1 ? [`[${a + 1}-${b - 1}]${any}`] : []),
    `${b}(?:${rangeSource("0".repeat(rest), hi.slice(1))})`,
  ];
  return `(?:${alternatives.join("|")})`;
}

/**
 * The ARNs a resource pattern of a policy's `Resource` or `NotResource` matches, as the evaluator
 * matches a request's ARN: the partition, service, Region and account segments each against the
 * pattern's segment (its `*` and `?` as wildcards, the rest as a regular expression, without
 * letter case), then the resource part: it must begin with the pattern's product (up to and with
 * the first `/` or `:`, as written) and the rest match the pattern's identifier (wildcards and
 * policy variables read). A pattern of fewer than six parts is padded with `*` segments (as for
 * identity policies); `*` alone matches every ARN.
 */
export function resourceLanguage(pattern: string, variables: Variables, where: string): Language {
  if (/^\*+$/.test(pattern)) return Language.any();
  const parts = pattern.split(":");
  while (parts.length < 6) parts.push("*");
  const segment = (text: string) => {
    // The evaluator builds these with no escaping and compares them without letter case, where IAM
    // reads every character as itself: text that is regular-expression syntax, or upper case, would
    // be read otherwise.
    if (/[\\^$()[\]{}|+.A-Z]/.test(text)) {
      throw new Unmodelled(
        `${where}: the ARN segment "${text}" holds characters (regular-expression syntax, a dot, upper case) the evaluator reads otherwise than IAM`,
      );
    }
    return Language.regex(text.replace(/\?/g, ".").replace(/\*/g, ".*"), "i").and(Language.regex(SEGMENT));
  };
  const service = parts[2];
  const resource = parts.slice(5).join(":");
  const [product, id] = resourceSegments(service, parts[3], parts[4], resource);
  const colon = Language.literal(":");
  return Language.concat([
    Language.literal("arn"),
    colon,
    segment(parts[1]),
    colon,
    segment(service),
    colon,
    segment(parts[3]),
    colon,
    segment(parts[4]),
    colon,
    Language.literal(product),
    Language.regex(iamStringSource(id, true, variables, where)),
  ]);
}

/**
 * The ARNs a resource pattern matches as IAM's documentation reads it (IAM User Guide, "IAM JSON
 * policy elements: Resource", Using wildcards in resource ARNs): the pattern against the whole
 * ARN, with `*` and `?` "within the individual segments of an ARN (the parts separated by
 * colons)", where `*` "can expand to replace everything within a segment, including characters
 * like a forward slash (/)", and a `*` that is the last character of a segment "can expand to
 * match beyond the colon boundaries". Policy variables as the evaluator reads them. The evaluator
 * reads some patterns otherwise (`resourceLanguage`): a wildcard in the resource type (`camp*`
 * before `/books`), which it compares as text, and a pattern of fewer than six segments, which it
 * pads with `*` segments; `resources.ts` compares the two readings on the ARNs a request can name.
 */
export function documentedResourceLanguage(pattern: string, variables: Variables, where: string): Language {
  if (/^\*+$/.test(pattern)) return Language.any();
  // Colons inside a policy variable (`${aws:username}`) separate nothing.
  const segments = pattern.split(/:(?![^{]*\})/);
  const within = { star: "[^:]*", one: "[^:]" };
  const source = segments
    .map((segment) => {
      const final = segment.endsWith("*") && !segment.endsWith("${*}");
      const body = final ? segment.slice(0, -1) : segment;
      return iamStringSource(body, true, variables, where, within) + (final ? STAR : "");
    })
    .join(":");
  return Language.regex(source);
}

/** The evaluator's split of a policy ARN's resource part into its product (separator included) and identifier. */
export function resourceSegments(service: string, region: string, account: string, resource: string): [string, string] {
  if (service === "s3" && account === "" && region === "") return ["", resource];
  const slash = resource.indexOf("/");
  const colon = resource.indexOf(":");
  const at = slash !== -1 && colon !== -1 ? Math.min(slash, colon) + 1 : colon === -1 ? slash + 1 : colon + 1;
  return [resource.slice(0, at), resource.slice(at)];
}

/**
 * Whether a date condition's value reads two ways: four digits are a year in W3C's format (which
 * IAM takes) and a number of epoch seconds (which IAM takes too).
 */
export function ambiguousDate(value: string): boolean {
  return /^\d{4}$/.test(value);
}

/**
 * W3C's profiles of ISO 8601 (W3C NOTE-datetime) but the year alone: `YYYY-MM`, `YYYY-MM-DD`, and a
 * date with `Thh:mm`, `Thh:mm:ss` or `Thh:mm:ss.s` and a zone (`Z`, `+hh:mm`, `-hh:mm`).
 */
const W3C_DATE = /^(\d{4})-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-](\d{2}):(\d{2})))?)?$/;

/**
 * A moment, in milliseconds, as IAM reads a date condition's value: "one of the W3C
 * implementations of the ISO 8601 date formats or in epoch (UNIX) time" (IAM User Guide, date
 * condition operators). Undefined for anything else (JavaScript's own formats, a date that does not
 * exist, a time with no zone): IAM does not say how it reads those.
 */
export function momentOf(value: string): number | undefined {
  if (ambiguousDate(value)) return undefined;
  if (/^-?\d+$/.test(value)) return Number(value) * 1000;
  const m = W3C_DATE.exec(value);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = [
    m[1],
    m[2],
    m[3] ?? "01",
    m[4] ?? "00",
    m[5] ?? "00",
    m[6] ?? "00",
  ].map(Number);
  const [zoneHours, zoneMinutes] = [Number(m[8] ?? 0), Number(m[9] ?? 0)];
  const whole = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  const exists =
    whole.getUTCFullYear() === year &&
    whole.getUTCMonth() === month - 1 &&
    whole.getUTCDate() === day &&
    whole.getUTCHours() === hour &&
    whole.getUTCMinutes() === minute &&
    whole.getUTCSeconds() === second &&
    zoneHours <= 23 &&
    zoneMinutes <= 59;
  if (!exists) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A value as policy text that means exactly it: its `*`, `?` and `$` escaped as IAM escapes them. */
function policyLiteral(value: string): string {
  return value.replace(/[*?$]/g, (c) => `\${${c}}`);
}

/** A resource pattern that no request's resource is: what an entry with a variable of no value becomes. */
export const MATCHES_NO_RESOURCE = "arn:no-value:policy-variable";

/**
 * A document (2012-10-17, as the evaluator reads one) with the policy variables whose value every
 * request of a kind shares written in as that value (or as their default, for a key every request
 * lacks), in resources and condition values: IAM substitutes them before matching, and the
 * evaluator splits an ARN at colons before it does (a variable in an ARN's account segment would
 * never match there). `${aws:SourceAccount}` in the account segment of an `Arn...` condition on
 * aws:SourceArn is the source ARN's own account: any twelve characters there. A Resource or
 * NotResource entry with a variable every request lacks matches no resource (IAM's rule).
 */
/**
 * A text with each policy variable (`${key}` or `${key, 'default'}`; not the escapes `${*}`,
 * `${?}` and `${$}`) replaced by what `by` returns for it: its key, its text and its default.
 */
export function replaceVariables(
  text: string,
  by: (key: string, token: string, fallback: string | undefined) => string,
): string {
  return text.replace(/\$\{([^}]*)\}/g, (token, inside: string) => {
    const [name, fallback] = inside.split(", ");
    const key = (name ?? "").trim();
    return ["*", "?", "$"].includes(key) ? token : by(key, token, fallback);
  });
}

/** The keys of a text's policy variables, escapes left out. */
export function variableKeys(text: string): string[] {
  const keys: string[] = [];
  replaceVariables(text, (key, token) => {
    keys.push(key);
    return token;
  });
  return keys;
}

export function withVariables(document: PolicyDocument, variables: Variables): PolicyDocument {
  const substitute = (text: string): string =>
    replaceVariables(text, (key, token, fallback) => {
      const known = variables(key);
      if (typeof known === "object" && known.value !== "") return policyLiteral(known.value);
      const quoted = fallback !== undefined && /^'.*'$/.test(fallback) ? fallback.slice(1, -1) : undefined;
      if (known === "absent" && quoted) return policyLiteral(quoted);
      return token;
    });
  // IAM User Guide, policy variables with no value: "the resource that includes a policy variable
  // with no value will not match any resource" (in Resource or NotResource). An entry that keeps a
  // variable every request of the kind lacks (a tag the role does not have) is left out, so that
  // a Resource of none matches nothing and a NotResource of none leaves every resource.
  const noValue = (text: string) => variableKeys(text).some((key) => variables(key) === "absent");
  const resources = (v: string | string[]) => (Array.isArray(v) ? v : [v]).map(substitute).filter((r) => !noValue(r));
  // The source account is a 12-digit account ID, and the source ARN's own account where it has one:
  // as a whole account segment, the variable is that segment's 12 characters (an ARN without an
  // account has none, and matches nothing there, as in IAM).
  const sourceAccountSegment = (value: string): string => {
    const parts = value.split(/:(?![^{]*\})/);
    if (parts.length >= 6 && /\$\{aws:sourceaccount\}/i.test(parts[4] ?? "")) {
      parts[4] = parts[4].replace(/\$\{aws:sourceaccount\}/gi, "?".repeat(12));
      return parts.join(":");
    }
    return value;
  };
  const statement = (s: Statement): Statement => {
    const condition =
      s.Condition === undefined
        ? undefined
        : Object.fromEntries(
            Object.entries(s.Condition).map(([operator, byKey]) => [
              operator,
              Object.fromEntries(
                Object.entries(byKey).map(([key, raw]) => {
                  const arn = /arn/i.test(operator) && key.toLowerCase() === "aws:sourcearn";
                  const one = (v: string | number | boolean) =>
                    typeof v === "string" ? substitute(arn ? sourceAccountSegment(v) : v) : v;
                  return [key, Array.isArray(raw) ? raw.map(one) : one(raw)];
                }),
              ),
            ]),
          );
    const { Resource: resource, NotResource: notResource, ...rest } = s;
    const kept = resource === undefined ? undefined : resources(resource);
    const notKept = notResource === undefined ? undefined : resources(notResource);
    return {
      ...rest,
      ...(resource === undefined
        ? {}
        : { Resource: kept?.length === 0 ? [MATCHES_NO_RESOURCE] : Array.isArray(resource) ? kept : kept?.[0] }),
      ...(notResource === undefined
        ? {}
        : notKept?.length === 0
          ? { Resource: "*" }
          : { NotResource: Array.isArray(notResource) ? notKept : notKept?.[0] }),
      ...(condition === undefined ? {} : { Condition: condition as Statement["Condition"] }),
    };
  };
  return { ...document, Statement: statements(document).map(statement) };
}
