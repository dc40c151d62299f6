import { TerraformProvider, Token, Tokenization } from "cdktf";
import type { PinpointPersonalizeRoleProps } from "./pinpoint-personalize-role";
import {
  Check,
  literalProblem,
  lowerEachCodePoint,
  MAX_SESSION_DURATION,
  MAX_TAGS,
  NumberRule,
  numberChecks,
  numberProblem,
  RULES,
  StringRule,
  stringChecks,
  stringListChecks,
  TAG_ENTRY_REQUIREMENT,
  TAG_KEYS_REQUIREMENT,
  tagChecks,
} from "./rules";

// The construct's inputs, each listed once with its kind and its AWS rule. A value is either known
// when the app runs (a literal: checked here, in JavaScript) or holds a token (Terraform's to
// know: checked by the conditions of `planChecks`, on the one local value that every use reads).

/** A prop that breaks its rule; the construct reports it with its path. */
export class InputError extends Error {}

export type Kind = "string" | "list" | "number" | "tags" | "boolean";

interface Input {
  readonly prop: keyof PinpointPersonalizeRoleProps;
  readonly kind: Kind;
  readonly rule?: StringRule | NumberRule;
  readonly required?: boolean;
}

/** Every input but the provider, in the order their errors are reported. */
export const INPUTS: readonly Input[] = [
  { prop: "campaignId", kind: "string", rule: RULES.campaignId, required: true },
  { prop: "solutionId", kind: "string", rule: RULES.solutionId, required: true },
  { prop: "partition", kind: "string", rule: RULES.partition },
  { prop: "region", kind: "string", rule: RULES.region },
  { prop: "accountId", kind: "string", rule: RULES.accountId },
  { prop: "pinpointApplicationIds", kind: "list", rule: RULES.pinpointApplicationId },
  { prop: "trustedSourceArns", kind: "list", rule: RULES.trustedSourceArn },
  { prop: "roleName", kind: "string", rule: RULES.roleName },
  { prop: "roleNamePrefix", kind: "string", rule: RULES.roleNamePrefix },
  { prop: "rolePath", kind: "string", rule: RULES.rolePath },
  { prop: "roleDescription", kind: "string", rule: RULES.roleDescription },
  { prop: "maxSessionDuration", kind: "number", rule: MAX_SESSION_DURATION },
  { prop: "permissionsBoundary", kind: "string", rule: RULES.permissionsBoundary },
  { prop: "policyName", kind: "string", rule: RULES.policyName },
  { prop: "policyNamePrefix", kind: "string", rule: RULES.policyNamePrefix },
  { prop: "policyPath", kind: "string", rule: RULES.policyPath },
  { prop: "policyDescription", kind: "string", rule: RULES.policyDescription },
  { prop: "tags", kind: "tags" },
  { prop: "confusedDeputyProtection", kind: "boolean" },
  { prop: "adoptExisting", kind: "boolean" },
];

/**
 * A number token written into text: cdktf encodes it as a double that prints as
 * `-1.8881545897087626e+289`, and finds it again in text with a greedy pattern that can swallow
 * the digits around it (`books1${n}`).
 */
const NUMBER_IN_TEXT = /-?\d+(?:\.\d+)?e[+-]\d+/g;

/** The text with each number token in it as a string token of the same value, which stands alone. */
export function withStringTokens(text: string): string {
  return text.replace(NUMBER_IN_TEXT, (match) => {
    // The exponent may run on into digits written after the token (`${n}1` prints as `...e+2891`):
    // the token is the longest exponent that cdktf knows as one, the rest is text.
    const exponent = match.search(/\d+$/);
    for (let end = match.length; end > exponent; end--) {
      const token = Tokenization.reverseNumber(Number(match.slice(0, end)));
      if (token !== undefined) return Token.asString(token) + match.slice(end);
    }
    return match;
  });
}

/** cdktf's marker of a string token in text, as a group: `split` keeps the tokens between the literal parts. */
const STRING_TOKEN = /(\$\{TfToken\[[^\]]*\]\})/;

/**
 * Text as Terraform must receive it in a JSON template to read its literal parts back as written,
 * never evaluated: `${` and `%{` escaped as `$${` and `%%{`, and a run of `$` right before a token
 * written as the interpolation `${"$..."}` (`$` right before `${` would read as the escape `$${`).
 * Tokens are left to cdktf.
 */
export function templateText(text: string): string {
  const parts = withStringTokens(text).split(STRING_TOKEN);
  return parts
    .map((part, i) => {
      if (i % 2 === 1) return part;
      // Replacement functions: in a replacement string, "$$" would mean one "$".
      const escaped = part.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
      const dollars = i + 1 < parts.length ? (/\$+$/.exec(escaped)?.[0] ?? "") : "";
      return dollars === "" ? escaped : `${escaped.slice(0, -dollars.length)}\${"${dollars}"}`;
    })
    .join("");
}

/**
 * Each string of a value mapped: the value itself, a list's elements, a map's keys and values. A
 * token that stands for a whole list or map is left as it is.
 */
export function eachString(value: unknown, f: (text: string) => string): unknown {
  if (typeof value === "string") return f(value);
  if (Array.isArray(value) && !Token.isUnresolved(value)) return value.map((v) => eachString(v, f));
  if (value !== null && typeof value === "object" && !Token.isUnresolved(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [f(k), eachString(v, f)]));
  }
  return value;
}

/** Whether a value is or holds a token anywhere: a string, a number, a list, an element, a map key or value. */
export function holdsToken(value: unknown): boolean {
  if (Token.isUnresolved(value)) return true;
  if (typeof value === "string") return withStringTokens(value) !== value;
  if (Array.isArray(value)) return value.some(holdsToken);
  if (value !== null && typeof value === "object") {
    return Object.entries(value).some(([k, v]) => holdsToken(k) || holdsToken(v));
  }
  return false;
}

/**
 * A value as a message shows it: JSON, each token as `${…}`; what JSON would show as another value
 * is written as JavaScript writes it: `NaN`, `Infinity`, `7200n`, `new Boolean(false)`.
 */
export function shown(value: unknown): string {
  const token = "${…}";
  // Text JSON cannot hold as it is: each stands in the JSON as a marker, put back after.
  const verbatim: string[] = [];
  const asWritten = (text: string) => `\u0000${verbatim.push(text) - 1}\u0000`;
  const text = JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    // The value before its own toJSON (a token's gives "<unresolved-token>").
    const original = this[key];
    if (original !== null && typeof original === "object" && Tokenization.isResolvable(original)) return token;
    if (typeof v === "number" && Token.isUnresolved(v)) return token;
    if (typeof v === "number" && !Number.isFinite(v)) return asWritten(String(v));
    if (typeof v === "bigint") return asWritten(`${v}n`);
    // An undefined element or entry is shown, not left out as JSON leaves it.
    if (v === undefined && key !== "") return asWritten("undefined");
    if (typeof v === "symbol") return asWritten(v.toString());
    if (typeof v === "function") return asWritten("a function");
    if (original instanceof Boolean || original instanceof Number || original instanceof String) {
      return asWritten(`new ${original.constructor.name}(${JSON.stringify(original.valueOf())})`);
    }
    // An object of a class (not a plain object, a list or a Date) is named by its class.
    if (
      original !== null &&
      typeof original === "object" &&
      !Array.isArray(original) &&
      !(original instanceof Date) &&
      !isMap(original)
    ) {
      const name = (original as { constructor?: { name?: string } }).constructor?.name ?? "class";
      // A construct (a TerraformLocal, a stack) by its path, not its fields.
      const path = (original as { node?: { path?: unknown } }).node?.path;
      return asWritten(typeof path === "string" ? `the ${name} ${path}` : `a ${name} object ${shown({ ...original })}`);
    }
    if (typeof v === "string") {
      const written = withStringTokens(v).replace(/[$#&]\{TfToken\[[^\]]*\]\}/g, token);
      // A NUL of the value's own goes in as its JSON, so that every marker is one of these.
      return written.includes("\u0000") ? asWritten(JSON.stringify(written)) : written;
    }
    return v;
  });
  return text === undefined
    ? String(value)
    : text.replace(/"\\u0000(\d+)\\u0000"/g, (_, i: string) => verbatim[Number(i)] ?? "");
}

/** `shown`, or the value's own text when JSON cannot show it (a circular object). */
function shownSafely(value: unknown): string {
  if (value instanceof Map) return `a Map of ${value.size} entries`;
  try {
    return shown(value);
  } catch {
    try {
      return String(value);
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
}

/**
 * Whether text holds a list or map token (`${Fn.split(",", x)}` in a template): cdktf writes one as
 * a marker that it refuses in text at synth ("Found an encoded list token string in a scalar string
 * context"), naming neither the construct nor the prop.
 */
function collectionInText(text: string): boolean {
  return /[#&]\{TfToken\[[^\]]*\]\}/.test(text);
}

/** What a message adds when text holds a list or map token. */
const COLLECTION_IN_TEXT =
  "(a list or map token, such as Fn.split's, cannot be part of text: make it one string first, with Fn.join or Fn.element)";

function fail(label: string, requirement: string, received: unknown): never {
  throw new InputError(`${label} must be ${requirement}. Received ${shownSafely(received)}.`);
}

/**
 * A value read once: a list's elements and a plain object's entries copied, each read once (a hole
 * as undefined), deeply; a token, a string and any other object as they are.
 */
export function snapshot(value: unknown, within: ReadonlySet<unknown> = new Set()): unknown {
  // A cycle is left as it is: no list or map of the props' types holds one, so its check refuses it.
  if (within.has(value)) return value;
  const inner = new Set([...within, value]);
  if (Array.isArray(value)) return Array.from(value as unknown[], (v) => snapshot(v, inner));
  if (isMap(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, snapshot(v, inner)]));
  return value;
}

/** A plain object (no Map, Date or class instance, whose entries JSON would not show). */
const isMap = (v: unknown): v is Record<string, unknown> =>
  v !== null &&
  typeof v === "object" &&
  !Array.isArray(v) &&
  !Tokenization.isResolvable(v) &&
  [Object.prototype, null].includes(Object.getPrototypeOf(v) as object | null);

/**
 * Refuses a key of the props that is no prop but is a slip for one: the same letters in another
 * case or with `_` (`pinpointApplicationIDs`, `campaign_id`), a plural for a singular or the
 * reverse (`pinpointApplicationId`, `trustedSourceArn`), or, for a name of 12 letters or more,
 * one or two letters more, fewer or other (`trustedSoruceArns`). Such a slip, which jsii's other
 * languages refuse and TypeScript misses in JavaScript or behind a cast, leaves the prop it meant
 * unset: a trust meant to be narrowed to some projects stays open to all of the account's. Other
 * keys (`stage`, `account`), own or inherited, are left alone: an object with more fields is valid
 * TypeScript.
 */
export function checkPropNames(props: object, known: readonly string[], type: string): void {
  const folded = (key: string) => key.replace(/_/g, "").toLowerCase();
  const slip = (key: string, prop: string) => {
    const [k, p] = [folded(key), folded(prop)];
    return k === p || `${k}s` === p || `${p}s` === k || (Math.min(k.length, p.length) >= 12 && editDistance(k, p) <= 2);
  };
  // Inherited keys too, as the props are read (a defaults object as the prototype).
  for (const key in props) {
    if (known.includes(key)) continue;
    const meant = known.find((prop) => slip(key, prop));
    if (meant !== undefined) {
      throw new InputError(
        `${key} is not a prop of ${type}: did you mean ${meant}? A key that is no prop is not read, so the prop ` +
          `it stands for would keep its default. Received ${key}: ${shown((props as Record<string, unknown>)[key])}.`,
      );
    }
  }
}

/** The number of one-character insertions, deletions and substitutions that turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * Checks a prop's JavaScript type, as jsii does for the other languages, and a literal value's
 * rule; a value that holds tokens is left to `planChecks` (and to the synth-time check of what
 * cdktf can resolve then). Null and undefined are "not given" (a required prop is refused).
 */
export function checkInput(input: Input, value: unknown): void {
  const { prop, kind, rule } = input;
  if (value === undefined || value === null) {
    if (input.required) {
      const received = value === null ? "null" : "undefined";
      throw new InputError(`${prop} is required: ${(rule as StringRule).requirement}. Received ${received}.`);
    }
    return;
  }
  switch (kind) {
    case "string": {
      if (typeof value !== "string") fail(prop, (rule as StringRule).requirement, value);
      if (collectionInText(value)) fail(prop, `${(rule as StringRule).requirement} ${COLLECTION_IN_TEXT}`, value);
      if (holdsToken(value)) return;
      const problem = literalProblem(value, rule as StringRule);
      if (problem) fail(prop, problem, value);
      return;
    }
    case "number": {
      if (typeof value !== "number") fail(prop, (rule as NumberRule).requirement, value);
      if (!Token.isUnresolved(value)) {
        const problem = numberProblem(value, rule as NumberRule);
        if (problem) fail(prop, problem, value);
      }
      return;
    }
    case "list": {
      const stringRule = rule as StringRule;
      if (!Array.isArray(value)) fail(prop, `a list of strings, each ${stringRule.requirement}`, value);
      if (Token.isUnresolved(value)) return;
      const inText = Array.from(value as unknown[]).filter((v) => typeof v === "string" && collectionInText(v));
      if (inText.length > 0) fail(`each of ${prop}`, `${stringRule.requirement} ${COLLECTION_IN_TEXT}`, inText);
      // Array.from reads a hole ([, "abc"]) as undefined, which is refused, not skipped.
      const known = Array.from(value as unknown[]).filter((v) => !holdsToken(v));
      const problems = known.map((v) => literalProblem(v, stringRule)).filter((p) => p !== undefined);
      if (problems.length === 0) return;
      const problem = problems.includes(stringRule.mistake?.advice as string)
        ? stringRule.mistake?.advice
        : problems[0];
      fail(
        `each of ${prop}`,
        problem as string,
        known.filter((v) => literalProblem(v, stringRule) === problem),
      );
      return;
    }
    case "tags":
      checkTags(prop, value);
      return;
    case "boolean":
      checkBoolean(prop, value);
      return;
  }
}

function checkTags(prop: string, value: unknown): void {
  if (Token.isUnresolved(value)) return;
  if (!isMap(value)) fail(prop, "a map of tag keys to tag values (an object of strings)", value);
  const entries = Object.entries(value);
  if (entries.some(([k, v]) => collectionInText(k) || (typeof v === "string" && collectionInText(v)))) {
    fail(`each entry of ${prop}`, `${TAG_ENTRY_REQUIREMENT} ${COLLECTION_IN_TEXT}`, value);
  }
  if (entries.length > MAX_TAGS) fail(`the number of ${prop}`, `at most ${MAX_TAGS}`, entries.length);
  const bad = entries.filter(
    ([k, v]) =>
      (v === null || typeof v !== "string" || !holdsToken(v)) &&
      !holdsToken(k) &&
      (literalProblem(k, RULES.tagKey) !== undefined || literalProblem(v, RULES.tagValue) !== undefined),
  );
  if (bad.length > 0) fail(`each entry of ${prop}`, TAG_ENTRY_REQUIREMENT, Object.fromEntries(bad));
  // IAM takes the key __proto__, but cdktf's writing of a map (`ret[key] = value`) drops it.
  if (entries.some(([k]) => k === "__proto__")) {
    fail(
      `the keys of ${prop}`,
      'other than "__proto__", which cdktf leaves out of the synthesized JSON',
      Object.keys(value),
    );
  }
  const keys = entries.filter(([k]) => !holdsToken(k)).map(([k]) => lowerEachCodePoint(k.normalize("NFC")));
  if (new Set(keys).size < keys.length) fail(`the keys of ${prop}`, TAG_KEYS_REQUIREMENT, Object.keys(value));
}

function checkBoolean(prop: string, value: unknown): void {
  if (typeof value === "boolean") return;
  if (Tokenization.isResolvable(value) || Token.isUnresolved(value)) {
    fail(
      prop,
      "true or false when the app runs: it decides which blocks the role has, so it cannot wait for a " +
        "value that Terraform resolves at plan time (use a literal, or a Lazy that produces one)",
      value,
    );
  }
  fail(prop, "true or false (a boolean)", value);
}

/** Checks the provider's type: a cdktf provider object. */
export function checkProvider(value: unknown): void {
  if (value === undefined || value === null) return;
  if (value instanceof TerraformProvider) {
    // Another provider (random, google) would own IAM resources it has no schema for.
    if (value.terraformResourceType !== "aws") {
      fail("provider", "an AWS provider of the role's stack (an AwsProvider object)", value.terraformResourceType);
    }
    return;
  }
  // A provider of another copy of cdktf: a construct (its node has a path and scopes) of type aws.
  const node = (value as { node?: { path?: unknown; scopes?: unknown } } | null)?.node;
  const looksLikeOne =
    value !== null &&
    typeof value === "object" &&
    "terraformProviderSource" in value &&
    typeof node?.path === "string" &&
    Array.isArray(node.scopes) &&
    (value as { terraformResourceType?: unknown }).terraformResourceType === "aws" &&
    typeof (value as { alias?: unknown }).alias !== "function";
  if (!looksLikeOne) fail("provider", "an AWS provider of the role's stack (an AwsProvider object)", value);
}

/**
 * A resolved value (what cdktf writes for a token) that Terraform reads as a constant: no
 * interpolation or directive in any string of it.
 */
export function isConstant(resolved: unknown): boolean {
  if (typeof resolved === "string") return !/[$%]\{/.test(resolved);
  if (Array.isArray(resolved)) return resolved.every(isConstant);
  if (resolved !== null && typeof resolved === "object") {
    return Object.entries(resolved).every(([k, v]) => isConstant(k) && isConstant(v));
  }
  return true;
}

/** The plan-time checks of one input whose value `x` (an HCL expression) holds tokens. */
export function planChecks(input: Input, x: string): Check[] {
  switch (input.kind) {
    case "string":
      return stringChecks(input.prop, x, input.rule as StringRule, input.required);
    case "list":
      return stringListChecks(input.prop, x, input.rule as StringRule);
    case "number":
      return numberChecks(input.prop, x, input.rule as NumberRule);
    case "tags":
      return tagChecks(input.prop, x);
    case "boolean":
      return [];
  }
}
