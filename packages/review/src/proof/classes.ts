import { typeForContextKey } from "@cloud-copilot/iam-simulate";
import { Language } from "./automata";
import {
  conditionValueLanguage,
  numericDigitsLanguage,
  operatorFamily,
  OperatorFamily,
  Unmodelled,
  VariableValue,
  Variables,
  iamStringSource,
  momentOf,
  ambiguousDate,
} from "./patterns";
import { Domain, Place, RequestKind, SHAPES, TIME_KEYS } from "./request-space";

// A request's fields split into classes: the values that every pattern of the documents matches
// alike (and, for a number, a moment or an address, that every threshold or range places alike).
// One value of each realisable class stands for the class: the evaluator decides the whole class by
// deciding it. Strings split with automata (patterns.ts); numbers, moments and addresses by the
// thresholds the documents name; sets of strings by which classes of strings they hold.

/** A value of a context key: one string, or a set for a multivalued key; `undefined` when absent. */
export type Value = string | readonly string[] | undefined;

/** Context keys and their values, keys as IAM spells them. */
export type Assignment = Readonly<Record<string, Value>>;

/** One condition of a document, as written, and where it is. */
export interface ConditionUse {
  readonly operator: string;
  readonly key: string;
  readonly values: readonly string[];
  /** For messages: "statement 1 of the trust policy". */
  readonly where: string;
}

/** One part of a request that varies: its classes, each with the values that stand for it. */
export interface Field {
  /** For the report: the keys it sets. */
  readonly name: string;
  readonly classes: readonly Assignment[];
}

/** Past this many classes in one field, or requests in one question, the proof stops and says so. */
export const MAX_CLASSES = 4096;

/** Splits a language by each predicate in turn into its non-empty classes; a witness of each. */
export function split(domain: Language, predicates: readonly Language[], preferred: readonly string[]): string[] {
  let cells = domain.isEmpty ? [] : [domain];
  for (const predicate of predicates) {
    const next: Language[] = [];
    for (const cell of cells) {
      const inside = cell.and(predicate);
      if (inside.isEmpty) {
        next.push(cell);
        continue;
      }
      const outside = cell.minus(predicate);
      next.push(inside);
      if (!outside.isEmpty) next.push(outside);
    }
    cells = next;
    if (cells.length > MAX_CLASSES) {
      throw new Unmodelled(`a field splits into more than ${MAX_CLASSES} classes of values`);
    }
  }
  return cells.map((cell) => cell.witness(preferred) as string);
}

/** The policy variables' values in requests of a kind: what every such request holds, or "varies". */
export function variablesOf(kind: RequestKind): Variables {
  return (key: string): VariableValue => {
    const domain = kind.domain(key);
    if (domain.kind === "absent") return "absent";
    if (domain.kind === "fixed") return typeof domain.value === "string" ? { value: domain.value } : "absent";
    return "varies";
  };
}

/** The conditions on one key (any letter case), by family. */
function usesOf(uses: readonly ConditionUse[], key: string): ConditionUse[] {
  return uses.filter((u) => u.key.toLowerCase() === key);
}

function family(use: ConditionUse): { family: OperatorFamily; base: string } {
  const f = operatorFamily(use.operator);
  if (f === undefined) throw new Unmodelled(`${use.where}: the condition operator ${use.operator} is not IAM's`);
  return f;
}

/** The languages of a key's string conditions, over values of the key; numeric ones only where the values are 12 digits. */
export function stringPredicates(uses: readonly ConditionUse[], variables: Variables, digits: boolean): Language[] {
  const found: Language[] = [];
  for (const use of uses) {
    const { family: f, base } = family(use);
    if (f === "null") continue;
    for (const value of use.values) {
      if (f === "numeric") {
        if (!digits)
          throw new Unmodelled(`${use.where}: ${use.operator} on ${use.key}, a key that does not hold numbers`);
        found.push(numericDigitsLanguage(base, value));
      } else if (f === "date" || f === "ip" || f === "binary") {
        throw new Unmodelled(
          `${use.where}: ${use.operator} on ${use.key}, a comparison the review does not model on this key`,
        );
      } else {
        found.push(conditionValueLanguage(base, f, value, variables, use.where));
      }
    }
  }
  return found;
}

/** Printable text of any length with no line break: what a free string key holds. */
export const ANY_TEXT = "[^\\n\\r\\u2028\\u2029]*";

/** The classes of a string key: the strings of its domain the conditions tell apart, and absent when it may be. */
function stringField(
  key: string,
  domain: Language,
  mayBeAbsent: boolean,
  uses: readonly ConditionUse[],
  variables: Variables,
  preferred: readonly string[],
): Field {
  const predicates = stringPredicates(uses, variables, domain.within(Language.regex(SHAPES.account)));
  const values = split(domain, predicates, [...preferred, ...literalsOf(uses)]);
  return { name: key, classes: [...values.map((v) => ({ [key]: v })), ...(mayBeAbsent ? [{ [key]: undefined }] : [])] };
}

/** Every value the conditions name without a wildcard or variable: readable witnesses. */
function literalsOf(uses: readonly ConditionUse[]): string[] {
  return uses.flatMap((u) => u.values.filter((v) => !/[*?]|\$\{/.test(v)));
}

// ---------------------------------------------------------------------------------------------
// Numbers, moments, addresses, booleans and sets.

/** A number as the evaluator reads one (`parseFloat` with a decimal point, `parseInt` without). */
function parseNumber(value: string): number | undefined {
  const n = value.includes(".") ? parseFloat(value) : parseInt(value, 10);
  return Number.isNaN(n) ? undefined : n;
}

/** One value of each class that thresholds make: each threshold, just around it, between and beyond. */
function byThresholds(thresholds: readonly number[], candidates: readonly number[]): number[] {
  const seen = new Map<string, number>();
  for (const c of candidates) {
    const signature = thresholds.map((t) => Math.sign(c - t)).join(",");
    if (!seen.has(signature)) seen.set(signature, c);
  }
  return [...seen.values()];
}

function numberField(key: string, uses: readonly ConditionUse[], mayBeAbsent: boolean): Field {
  const thresholds: number[] = [];
  for (const use of uses) {
    const f = family(use).family;
    if (f === "null") continue;
    if (f !== "numeric") throw new Unmodelled(`${use.where}: ${use.operator} on ${use.key}, a number`);
    for (const v of use.values) {
      const n = parseNumber(v);
      if (n !== undefined) thresholds.push(n);
    }
  }
  const candidates = [0, 1, -1, 1e12, ...thresholds.flatMap((t) => [t - 1, t - 0.5, t, t + 0.5, t + 1])];
  const values = byThresholds(thresholds, candidates);
  return {
    name: key,
    classes: [...values.map((n) => ({ [key]: String(n) })), ...(mayBeAbsent ? [{ [key]: undefined }] : [])],
  };
}

/** Far enough past every threshold: the last class of moments. */
const CENTURY = 100 * 365 * 24 * 3600 * 1000;

/**
 * The time field: the moment of the request (aws:CurrentTime, and aws:EpochTime its seconds) and,
 * for a role session, the moment its token was issued (aws:TokenIssueTime: at most the session's
 * length before the request). One request for each class the conditions' thresholds make.
 */
function timeField(kind: RequestKind, uses: readonly ConditionUse[], tokenIssue: "session" | "free" | "absent"): Field {
  const thresholds: number[] = [];
  // Every moment the classes hold (a request's, from the review's moment on; a token's issue, at
  // most a session before it) is at or after this one.
  const earliest = kind.time.from - (kind.time.session ?? 43200) * 1000;
  for (const use of uses) {
    const f = family(use).family;
    if (f === "null") continue;
    const epoch = use.key.toLowerCase() === "aws:epochtime";
    if (f !== "date" && !(f === "numeric" && epoch)) {
      throw new Unmodelled(`${use.where}: ${use.operator} on ${use.key}, a moment`);
    }
    for (const v of use.values) {
      if (f === "date" && ambiguousDate(v)) {
        // Read as the year or as seconds after 1970: where both are before every moment of the
        // classes, every comparison with either is the same, and one threshold stands for both.
        const readings = [Date.UTC(Number(v), 0, 1), Number(v) * 1000];
        if (readings.every((ms) => ms < earliest)) {
          thresholds.push(Math.max(...readings));
          continue;
        }
        throw new Unmodelled(
          `${use.where}: ${use.operator} ${use.key} "${v}" reads as the year ${v} and as ${v} seconds after 1970: write the date in full`,
        );
      }
      const ms = f === "numeric" ? (parseNumber(v) ?? NaN) * 1000 : momentOf(v);
      if (f === "date" && ms === undefined) {
        throw new Unmodelled(
          `${use.where}: ${use.operator} ${use.key} "${v}" is neither a W3C date (ISO 8601) nor epoch seconds, the ` +
            "formats IAM documents for dates",
        );
      }
      if (ms !== undefined && !Number.isNaN(ms)) thresholds.push(ms);
    }
  }
  const from = kind.time.from;
  const session = (kind.time.session ?? 43200) * 1000;
  const near = (t: number) => [t - 1000, t - 1, t, t + 1, t + 1000];
  const moments = [
    from,
    from + 1000,
    Math.max(from, ...thresholds) + CENTURY,
    ...thresholds.flatMap((t) => [...near(t), ...near(t + session)]),
  ].filter((c) => c >= from);
  const seen = new Map<string, Assignment>();
  for (const c of moments) {
    const issued =
      tokenIssue === "absent"
        ? [undefined]
        : [
            c,
            c - 1000,
            c - session,
            c - session + 1000,
            ...thresholds.flatMap(near).filter((t) => t <= c && t >= c - session),
            ...(tokenIssue === "free" ? [undefined] : []),
          ];
    for (const t of issued) {
      const seconds = Math.floor(c / 1000) * 1000;
      const signature = thresholds
        .map((x) => `${Math.sign(c - x)}${Math.sign(seconds - x)}${t === undefined ? "n" : Math.sign(t - x)}`)
        .join(",");
      const key = `${signature}|${t === undefined}`;
      if (seen.has(key)) continue;
      seen.set(key, {
        "aws:CurrentTime": new Date(c).toISOString(),
        "aws:EpochTime": String(Math.floor(c / 1000)),
        "aws:TokenIssueTime": t === undefined ? undefined : new Date(t).toISOString(),
      });
    }
  }
  return { name: "aws:CurrentTime, aws:EpochTime, aws:TokenIssueTime", classes: [...seen.values()] };
}

/** An IP address as a number (IPv4 or IPv6), or undefined. */
function ipNumber(text: string): { v6: boolean; n: bigint } | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) {
    const octets = text.split(".").map(Number);
    if (octets.some((o) => o > 255)) return undefined;
    return { v6: false, n: octets.reduce((acc, o) => (acc << 8n) + BigInt(o), 0n) };
  }
  if (/^[0-9a-f:]+$/i.test(text) && text.includes(":")) {
    const [head, tail] = text.split("::");
    if (text.split("::").length > 2) return undefined;
    const groups = (s: string | undefined) => (s ? s.split(":") : []);
    const h = groups(head);
    const t = groups(tail);
    const zeros = tail === undefined ? 0 : 8 - h.length - t.length;
    const all: string[] = [...h, ...Array<string>(zeros).fill("0"), ...t];
    if (all.length !== 8 || all.some((g) => g.length > 4 || g === "")) return undefined;
    return { v6: true, n: all.reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g, 16)), 0n) };
  }
  return undefined;
}

/** The IPv6 addresses the evaluator reads (its validator's pattern): hexadecimal groups, a dotted quad at the end, a zone. */
const EVALUATOR_IPV6 = new RegExp(
  "^(" +
    "(([0-9A-Fa-f]{1,4}:){7}([0-9A-Fa-f]{1,4}|:))|" +
    "(([0-9A-Fa-f]{1,4}:){1,7}:)|" +
    "(([0-9A-Fa-f]{1,4}:){1,6}:[0-9A-Fa-f]{1,4})|" +
    "(([0-9A-Fa-f]{1,4}:){1,5}(:[0-9A-Fa-f]{1,4}){1,2})|" +
    "(([0-9A-Fa-f]{1,4}:){1,4}(:[0-9A-Fa-f]{1,4}){1,3})|" +
    "(([0-9A-Fa-f]{1,4}:){1,3}(:[0-9A-Fa-f]{1,4}){1,4})|" +
    "(([0-9A-Fa-f]{1,4}:){1,2}(:[0-9A-Fa-f]{1,4}){1,5})|" +
    "([0-9A-Fa-f]{1,4}:)((:[0-9A-Fa-f]{1,4}){1,6})|" +
    "(:)((:[0-9A-Fa-f]{1,4}){1,7}|:)|" +
    "fe80:(:[0-9A-Fa-f]{0,4}){0,4}%[0-9a-zA-Z]{1,}|" +
    "::(ffff(:0{1,4}){0,1}:){0,1}(([0-9A-Fa-f]{1,4}:){1,4}:)?" +
    "((25[0-5]|(2[0-4]|1{0,1}[0-9])?[0-9])\\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9])?[0-9])|" +
    "([0-9A-Fa-f]{1,4}:){1,4}:((25[0-5]|(2[0-4]|1{0,1}[0-9])?[0-9])\\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9])?[0-9])" +
    ")$",
);
const OCTET = "(25[0-5]|2[0-4]\\d|1\\d{2}|[1-9]?\\d)";
const EVALUATOR_IPV4 = new RegExp(`^${OCTET}(\\.${OCTET}){3}(/([0-9]|[1-2][0-9]|3[0-2]))?$`);

/** Whether the evaluator reads a condition value as an IPv4 or IPv6 address or range (its validators' patterns). */
function evaluatorReadsAddress(value: string): boolean {
  if (EVALUATOR_IPV4.test(value)) return true;
  const [address, bits, ...rest] = value.split("/");
  return (
    rest.length === 0 &&
    EVALUATOR_IPV6.test(address ?? "") &&
    (bits === undefined || (Number(bits) >= 0 && Number(bits) <= 128))
  );
}

function ipText(v6: boolean, n: bigint): string {
  if (!v6) return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 255n)).join(".");
  return Array.from({ length: 8 }, (_, i) => ((n >> BigInt(112 - 16 * i)) & 0xffffn).toString(16)).join(":");
}

function ipField(key: string, uses: readonly ConditionUse[], mayBeAbsent: boolean): Field {
  const ranges: { v6: boolean; lo: bigint; hi: bigint }[] = [];
  for (const use of uses) {
    const f = family(use).family;
    if (f === "null") continue;
    if (f !== "ip") throw new Unmodelled(`${use.where}: ${use.operator} on ${use.key}, an IP address`);
    for (const v of use.values) {
      const [address, bits] = v.split("/");
      const ip = ipNumber(address ?? "");
      // What the evaluator reads as an address, this must read the same way; the rest matches nothing.
      if (
        (ip === undefined) !== !evaluatorReadsAddress(v) ||
        (ip !== undefined && bits !== undefined && !/^\d{1,3}$/.test(bits))
      ) {
        throw new Unmodelled(
          `${use.where}: ${use.operator} on ${use.key} "${v}" is an address the review does not read as the evaluator does`,
        );
      }
      if (ip === undefined) continue;
      const width = ip.v6 ? 128n : 32n;
      const prefix = bits === undefined ? width : BigInt(Number(bits));
      const size = 1n << (width - prefix);
      const lo = (ip.n / size) * size;
      ranges.push({ v6: ip.v6, lo, hi: lo + size - 1n }, { v6: ip.v6, lo: ip.n, hi: ip.n });
    }
  }
  const max = (v6: boolean) => (v6 ? (1n << 128n) - 1n : (1n << 32n) - 1n);
  const candidates: { v6: boolean; n: bigint }[] = [
    { v6: false, n: 0xcb007109n },
    { v6: true, n: 0x20010db8000000000000000000000009n },
    ...[false, true].flatMap((v6) => [
      { v6, n: 0n },
      { v6, n: max(v6) },
    ]),
    ...ranges.flatMap((r) =>
      [r.lo - 1n, r.lo, r.lo + 1n, r.hi, r.hi + 1n]
        .filter((n) => n >= 0n && n <= max(r.v6))
        .map((n) => ({ v6: r.v6, n })),
    ),
  ];
  const seen = new Map<string, string>();
  for (const c of candidates) {
    const signature = `${c.v6}|${ranges.map((r) => (r.v6 === c.v6 && c.n >= r.lo && c.n <= r.hi ? 1 : 0)).join("")}`;
    if (!seen.has(signature)) seen.set(signature, ipText(c.v6, c.n));
  }
  return {
    name: key,
    classes: [...[...seen.values()].map((v) => ({ [key]: v })), ...(mayBeAbsent ? [{ [key]: undefined }] : [])],
  };
}

/** A multivalued key: a set's class is which classes of strings it holds (none, one, several); and absent. */
function setField(
  key: string,
  uses: readonly ConditionUse[],
  variables: Variables,
  mayBeAbsent: boolean,
  preferred: readonly string[],
): Field {
  const elements = split(Language.regex(ANY_TEXT), stringPredicates(uses, variables, false), [
    ...preferred,
    ...literalsOf(uses),
  ]);
  if (elements.length > 8) throw new Unmodelled(`${key}: sets of more than 8 classes of values`);
  const sets: string[][] = [];
  for (let mask = 0; mask < 1 << elements.length; mask++) {
    sets.push(elements.filter((_, i) => (mask & (1 << i)) !== 0));
  }
  return {
    name: key,
    classes: [...sets.map((s) => ({ [key]: s })), ...(mayBeAbsent ? [{ [key]: undefined }] : [])],
  };
}

// ---------------------------------------------------------------------------------------------
// The source field: aws:SourceArn, with aws:SourceAccount its account.

/** The ARNs whose account (their fifth part) is in a language of accounts. */
export function byAccount(accounts: Language): Language {
  return Language.concat([Language.regex("(?:[^:]*:){4}"), accounts, Language.regex("(?::[^]*)?")]);
}

/** Where a condition value on aws:SourceArn names `${aws:SourceAccount}`: the one spot the review ties to the ARN's account. */
const SOURCE_ACCOUNT_VARIABLE = /\$\{aws:sourceaccount\}/i;

/**
 * A condition value on aws:SourceArn that names `${aws:SourceAccount}`: as aws:SourceAccount is the
 * source ARN's account, the variable stands for the ARN's own fifth part. Read exactly where the
 * variable is that part: in a `String...` value whose text before it is four whole parts (an
 * `Arn...` value with it as its account segment is read as any account, by `withVariables`).
 */
function sourceArnWithAccount(
  use: ConditionUse,
  value: string,
  base: string,
  f: OperatorFamily,
  variables: Variables,
): Language {
  const occurrences = value.match(new RegExp(SOURCE_ACCOUNT_VARIABLE.source, "gi")) ?? [];
  const unplaceable = new Unmodelled(
    `${use.where}: ${use.operator} on ${use.key} "${value}" names \${aws:SourceAccount} where it is not the ARN's own account`,
  );
  if (occurrences.length !== 1) throw unplaceable;
  if (f !== "string" && f !== "string-ignore-case") throw unplaceable;
  const at = value.search(SOURCE_ACCOUNT_VARIABLE);
  const before = value.slice(0, at);
  const after = value.slice(at + occurrences[0].length);
  const flags = f === "string" ? "" : "i";
  const wildcards = /like$/.test(base);
  const prefix = Language.regex(iamStringSource(before, wildcards, variables, use.where), flags);
  if (!prefix.within(Language.regex("(?:[^:]*:){4}"))) throw unplaceable;
  const suffix = Language.regex(iamStringSource(after, wildcards, variables, use.where), flags).and(
    Language.regex("(?::[^]*)?"),
  );
  return Language.concat([prefix, Language.regex(SHAPES.account), suffix]);
}

function sourceField(
  kind: RequestKind,
  uses: readonly ConditionUse[],
  variables: Variables,
  intended: readonly Language[],
  preferred: readonly string[],
): Field {
  const arnPredicates: Language[] = [];
  for (const use of usesOf(uses, "aws:sourcearn")) {
    const { family: f, base } = family(use);
    if (f === "null") continue;
    for (const value of use.values) {
      if (SOURCE_ACCOUNT_VARIABLE.test(value)) arnPredicates.push(sourceArnWithAccount(use, value, base, f, variables));
      else arnPredicates.push(...stringPredicates([{ ...use, values: [value] }], variables, false));
    }
  }
  const accountPredicates = usesOf(uses, "aws:sourceaccount").flatMap((use) =>
    stringPredicates([use], variables, true),
  );
  const examples = [...preferred, ...literalsOf(usesOf(uses, "aws:sourcearn"))];
  const { source } = kind;
  // ARNs with an account: the source account is theirs.
  const classes: Assignment[] = split(
    source.arns,
    [...intended, ...arnPredicates, ...accountPredicates.map(byAccount)],
    examples,
  ).map((arn) => ({ "aws:SourceArn": arn, "aws:SourceAccount": arn.split(":")[4] }));
  // ARNs without one, and no ARN at all: the source account comes apart, or not at all.
  const accounts = [
    ...split(Language.regex(SHAPES.account), accountPredicates, literalsOf(usesOf(uses, "aws:sourceaccount"))),
    undefined,
  ];
  for (const arn of split(source.accountless, arnPredicates, examples)) {
    for (const account of accounts) classes.push({ "aws:SourceArn": arn, "aws:SourceAccount": account });
  }
  if (source.accountAlone) {
    for (const account of accounts)
      if (account !== undefined) classes.push({ "aws:SourceArn": undefined, "aws:SourceAccount": account });
  }
  if (source.absent) classes.push({ "aws:SourceArn": undefined, "aws:SourceAccount": undefined });
  return { name: "aws:SourceArn, aws:SourceAccount", classes };
}

// ---------------------------------------------------------------------------------------------
// Every field of a request's context.

/**
 * Readable values to stand for classes, by what they stand for: a class is represented by the
 * first of its kind's examples it holds, else by the value of the class nearest to one of them.
 */
export interface Examples {
  /** Source ARNs: the role's own projects, and others near them. */
  readonly sources: readonly string[];
  /** Principals: Pinpoint, other services, principals of this account and another. */
  readonly principals: readonly string[];
  /** Resources: the ones the role is meant to reach. */
  readonly resources: readonly string[];
  /** Other values: the role's account, Region, partition. */
  readonly values: readonly string[];
  /** The role's place, to fill resource types' ARN formats with. */
  readonly place: Place;
}

/** What a question asks of its context, beyond the documents' conditions. */
export interface ContextOptions {
  /** Languages of source ARNs that the intended requests tell apart (the role's own projects). */
  readonly intendedSources?: readonly Language[];
  /** Whether the request carries a token's issue time: always (a role session), maybe (anyone), never (a service). */
  readonly tokenIssue: "session" | "free" | "absent";
  /** Readable values to stand for a class, where they fall in it. */
  readonly examples: Examples;
}

/**
 * The context of a kind of request, split: the keys every request holds alike (`fixed`), and one
 * field per key (or per group of keys tied together) that the conditions test and that varies.
 * Keys of the principal and the resource are left to their own fields.
 */
export async function contextFields(
  kind: RequestKind,
  uses: readonly ConditionUse[],
  options: ContextOptions,
): Promise<{ fixed: Assignment; fields: Field[] }> {
  const variables = variablesOf(kind);
  const fixed: Record<string, Value> = {};
  const fields: Field[] = [];
  const keys = new Map<string, string>();
  for (const use of uses) if (!keys.has(use.key.toLowerCase())) keys.set(use.key.toLowerCase(), use.key);
  // Variables in the conditions name keys too: their values must be in the request as they are here.
  for (const use of uses) {
    for (const value of use.values) {
      for (const m of value.matchAll(/\$\{([^},]+)(?:, '[^']*')?\}/g)) {
        const name = m[1].trim();
        if (!["*", "?", "$"].includes(name) && !keys.has(name.toLowerCase())) keys.set(name.toLowerCase(), name);
      }
    }
  }
  let source = options.intendedSources !== undefined && options.intendedSources.length > 0;
  let time = false;
  for (const [lower, key] of keys) {
    const domain: Domain = kind.domain(key);
    switch (domain.kind) {
      case "absent":
        fixed[key] = undefined;
        break;
      case "fixed":
        fixed[key] = domain.value;
        break;
      case "source":
        source = true;
        break;
      case "time":
        time = true;
        break;
      case "resource":
      case "principal":
        break;
      case "any":
        fields.push(await typedField(key, usesOf(uses, lower), domain, variables, options.examples.values));
        break;
    }
  }
  if (source) fields.push(sourceField(kind, uses, variables, options.intendedSources ?? [], options.examples.sources));
  if (time)
    fields.push(
      timeField(
        kind,
        uses.filter((u) => (TIME_KEYS as readonly string[]).includes(u.key.toLowerCase())),
        options.tokenIssue,
      ),
    );
  return { fixed, fields };
}

async function typedField(
  key: string,
  uses: readonly ConditionUse[],
  domain: Extract<Domain, { kind: "any" }>,
  variables: Variables,
  preferred: readonly string[],
): Promise<Field> {
  const type = (await typeForContextKey(key).catch(() => undefined)) as string | undefined;
  if (type?.startsWith("ArrayOf")) return setField(key, uses, variables, domain.absent, preferred);
  switch (type) {
    case "Bool":
      return {
        name: key,
        classes: [{ [key]: "true" }, { [key]: "false" }, ...(domain.absent ? [{ [key]: undefined }] : [])],
      };
    case "Numeric":
      return numberField(key, uses, domain.absent);
    case "IPAddress":
      return ipField(key, uses, domain.absent);
    case "Date":
      throw new Unmodelled(`conditions on ${key}, a date the review does not model`);
    case "Binary":
      throw new Unmodelled(`conditions on ${key}, a binary value the review does not model`);
    default:
      return stringField(key, domain.strings ?? Language.regex(ANY_TEXT), domain.absent, uses, variables, preferred);
  }
}

/** Every combination of one class of each field: how many, without making them. */
export function combinations(fields: readonly Field[]): number {
  return fields.reduce((n, f) => n * f.classes.length, 1);
}

/** Every combination of one class of each field, merged over the fixed keys. */
export function* product(fixed: Assignment, fields: readonly Field[]): Generator<Assignment> {
  const indexes = fields.map(() => 0);
  if (fields.some((f) => f.classes.length === 0)) return;
  for (;;) {
    yield Object.assign({}, fixed, ...fields.map((f, i) => f.classes[indexes[i]]));
    let i = fields.length - 1;
    while (i >= 0) {
      indexes[i] = indexes[i] + 1;
      if (indexes[i] < fields[i].classes.length) break;
      indexes[i] = 0;
      i -= 1;
    }
    if (i < 0) return;
  }
}
