import { Expression, FOR_EXPRESSION_KEY, FOR_EXPRESSION_VALUE, Fn, forExpression, Op, Token } from "cdktf";
import {
  canMatch,
  display,
  expressionOf,
  Fragment,
  fragmentsOf,
  holdsTokens,
  literalArgument,
  normalized,
  terraformTemplate,
} from "./template";
import { isNeverNull } from "./never-null";

/**
 * The rules AWS enforces on each input, stated once and enforced twice with the same wording:
 * at construct time for literal values and for the literal parts of values that hold tokens
 * (JavaScript), and at plan time for the values of tokens (Terraform `validation` blocks and
 * `precondition`s, built with cdktf's `Fn` and `Op` from each value's own expression).
 *
 * Sources: the IAM API's constraints as botocore's model of IAM 2010-05-08 states them
 * (`roleNameType`, `policyNameType`, `pathType`, `policyPathType`, `roleDescriptionType`,
 * `policyDescriptionType`, `roleMaxSessionDurationType`, `arnType`, `tagKeyType`, `tagValueType`,
 * `tagListType`), IAM's User Guide (Tags for IAM resources: the `aws:` prefix is reserved, and
 * a role's tag keys are compared case-insensitively), Amazon Personalize's and Amazon
 * Pinpoint's API references, and hashicorp/aws 5.100.0 where it is stricter than IAM (the role
 * description's length in bytes).
 *
 * Lengths count characters as Unicode code points, as IAM's model does, at both times (Terraform's
 * own `length` counts grapheme clusters, so the plan-time checks count with `regexall`), of the
 * value Terraform sends: Terraform normalizes every string to Unicode NFC, so the construct-time
 * checks look at the normalized value too (`e` and a combining acute accent are one `é`).
 * Patterns use only syntax that JavaScript (with the `u` flag) and RE2 (Terraform's `regex`)
 * read the same way. Each rule also keeps every grant-relevant value free of wildcards,
 * separators and template syntax, so no input can widen what the IAM policy grants.
 */
export interface StringRule {
  /** Completes the sentence "<input> must be ...". */
  readonly requirement: string;
  /** In characters (Unicode code points). @default 0 */
  readonly minLength?: number;
  /** In characters (Unicode code points). */
  readonly maxLength: number;
  /** In bytes of UTF-8, where hashicorp/aws counts so. @default - no limit in bytes */
  readonly maxBytes?: number;
  /** An anchored pattern every value must match. @default - any characters */
  readonly pattern?: string;
  /** A prefix that no value may start with, in any letter case (IAM reserves `aws:` in tags). */
  readonly reservedPrefix?: string;
  /** A common mistake, checked first and reported with its own advice. */
  readonly mistake?: { readonly prefix: string; readonly advice: string };
}

export interface NumberRule {
  readonly requirement: string;
  readonly min: number;
  readonly max: number;
}

const IAM_NAME_CHARS = "^[A-Za-z0-9_+=,.@-]+$";
const TAG_CHARS = "[\\p{L}\\p{Z}\\p{N}_.:/=+@-]";

function personalizeName(kind: "campaign" | "solution"): StringRule {
  return {
    requirement:
      `an Amazon Personalize ${kind} name: 1-63 characters, only letters, digits, '-' and '_', ` +
      "starting with a letter or digit",
    minLength: 1,
    maxLength: 63,
    pattern: "^[a-zA-Z0-9][a-zA-Z0-9_-]*$",
    mistake: {
      prefix: "arn:",
      advice: `the ${kind} name (the part after "${kind}/" in its ARN), not an ARN`,
    },
  };
}

export const RULES = {
  campaignId: personalizeName("campaign"),
  solutionId: personalizeName("solution"),
  roleName: {
    requirement: "an IAM role name: 1-64 characters, only letters, digits and +=,.@_-",
    minLength: 1,
    maxLength: 64,
    pattern: IAM_NAME_CHARS,
  },
  roleNamePrefix: {
    requirement: "an IAM role name prefix: 1-38 characters (the provider appends 26), only letters, digits and +=,.@_-",
    minLength: 1,
    maxLength: 38,
    pattern: IAM_NAME_CHARS,
  },
  policyName: {
    requirement: "an IAM policy name: 1-128 characters, only letters, digits and +=,.@_-",
    minLength: 1,
    maxLength: 128,
    pattern: IAM_NAME_CHARS,
  },
  policyNamePrefix: {
    requirement:
      "an IAM policy name prefix: 1-102 characters (the provider appends 26), only letters, digits and +=,.@_-",
    minLength: 1,
    maxLength: 102,
    pattern: IAM_NAME_CHARS,
  },
  rolePath: {
    requirement: 'an IAM role path: "/" or printable ASCII that begins and ends with "/", at most 512 characters',
    minLength: 1,
    maxLength: 512,
    pattern: "^(/|/[!-~]+/)$",
  },
  policyPath: {
    requirement:
      'an IAM policy path: "/" or segments of letters, digits and .,+@=_- each after a "/", ending with "/", ' +
      "at most 512 characters",
    minLength: 1,
    maxLength: 512,
    pattern: "^(/[A-Za-z0-9.,+@=_-]+)*/$",
  },
  roleDescription: {
    requirement:
      "an IAM role description: at most 1000 characters of printable Latin-1, tab or newline, " +
      "and at most 1000 bytes of UTF-8 (hashicorp/aws's limit: a non-ASCII letter such as é takes 2)",
    maxLength: 1000,
    maxBytes: 1000,
    pattern: "^[\\x09\\x0A\\x0D\\x20-\\x7E\\xA1-\\xFF]*$",
  },
  policyDescription: {
    requirement: "an IAM policy description: at most 1000 characters",
    maxLength: 1000,
  },
  permissionsBoundary: {
    requirement:
      "an IAM managed policy ARN, arn:<partition>:iam::<account ID or aws>:policy<path><name> with the characters " +
      "IAM allows in a policy path and name, 20-2048 characters",
    minLength: 20,
    maxLength: 2048,
    pattern: "^arn:aws(-[a-z]+)*:iam::([0-9]{12}|aws):policy(/[A-Za-z0-9.,+@=_-]+)*/[A-Za-z0-9_+=,.@-]+$",
  },
  pinpointApplicationId: {
    requirement: "an Amazon Pinpoint project ID: 1-64 letters and digits, as the Pinpoint console shows it",
    minLength: 1,
    maxLength: 64,
    pattern: "^[A-Za-z0-9]+$",
  },
  trustedSourceArn: {
    requirement:
      "an Amazon Pinpoint ARN in one Region and account, arn:<partition>:mobiletargeting:<region>:<12-digit account ID>:<resource>, " +
      "the resource made of letters, digits and /_.-, with * as the only wildcard",
    minLength: 1,
    maxLength: 2048,
    pattern: "^arn:aws(-[a-z]+)*:mobiletargeting:[a-z]{2}(-[a-z]+)+-[0-9]+:[0-9]{12}:[A-Za-z0-9/_.*-]+$",
  },
  partition: {
    requirement: "an AWS partition such as aws, aws-cn or aws-us-gov",
    minLength: 3,
    maxLength: 32,
    pattern: "^aws(-[a-z]+)*$",
  },
  region: {
    requirement: "an AWS Region code such as us-east-1",
    minLength: 1,
    maxLength: 32,
    pattern: "^[a-z]{2}(-[a-z]+)+-[0-9]+$",
  },
  accountId: {
    requirement: "a 12-digit AWS account ID",
    minLength: 12,
    maxLength: 12,
    pattern: "^[0-9]{12}$",
  },
  tagKey: {
    requirement:
      "an IAM tag key: 1-128 letters, digits, spaces and _.:/=+@-, not starting with aws: in any letter case",
    minLength: 1,
    maxLength: 128,
    pattern: `^${TAG_CHARS}+$`,
    reservedPrefix: "aws:",
  },
  tagValue: {
    requirement:
      "an IAM tag value: at most 256 letters, digits, spaces and _.:/=+@-, not starting with aws: in any letter case",
    maxLength: 256,
    pattern: `^${TAG_CHARS}*$`,
    reservedPrefix: "aws:",
  },
} satisfies Record<string, StringRule>;

export const MAX_SESSION_DURATION: NumberRule = {
  requirement: "a whole number of seconds from 3600 to 43200 (1 to 12 hours)",
  min: 3600,
  max: 43200,
};

/** IAM allows at most 50 tags on a role or a policy. */
export const MAX_TAGS = 50;

/** What a trusted source ARN must also be: in the place the role's `aws:SourceAccount` names. */
export const TRUSTED_SOURCE_PLACE =
  "an ARN of the role's own partition, Region and account (arn:<partition>:mobiletargeting:<region>:<account>:...): " +
  "aws:SourceAccount is the role's account and the campaign is in the project's Region, so a source ARN " +
  "elsewhere matches no request";

const TAG_ENTRY_REQUIREMENT = `${RULES.tagKey.requirement}, mapped to ${RULES.tagValue.requirement}`;
const TAG_KEYS_REQUIREMENT =
  'distinct ignoring letter case (IAM compares a role\'s tag keys case-insensitively: "Duplicate tag keys found")';

// ---------------------------------------------------------------------------------------------
// Construct time: literal values, and the literal parts of values that hold tokens.

const ANY_TEXT = "^[\\s\\S]*$";
/** The length of a string in bytes of UTF-8 (no DOM or Node.js types needed by consumers). */
function utf8Length(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/** The literal text before the first token (all of a literal string). */
function leadingText(fragments: readonly Fragment[]): string {
  const first = fragments[0];
  return first !== undefined && "literal" in first ? first.literal : "";
}

/**
 * Why no value of the tokens can make the string follow the rule (the mistake's advice or the
 * requirement), or undefined when some value can. For a literal string: whether it follows it.
 */
function stringProblem(value: string, rule: StringRule): string | undefined {
  // Not a string at all (a null element from JavaScript, or a cast).
  if (typeof value !== "string") return rule.requirement;
  const fragments = normalized(fragmentsOf(value));
  const lead = leadingText(fragments);
  if (rule.mistake && lead.startsWith(rule.mistake.prefix)) return rule.mistake.advice;
  if (rule.reservedPrefix !== undefined && lead.toLowerCase().startsWith(rule.reservedPrefix)) return rule.requirement;
  const literalBytes = fragments.reduce((n, f) => n + ("literal" in f ? utf8Length(f.literal) : 0), 0);
  if (rule.maxBytes !== undefined && literalBytes > rule.maxBytes) return rule.requirement;
  return canMatch(fragments, rule.pattern ?? ANY_TEXT, rule.minLength ?? 0, rule.maxLength)
    ? undefined
    : rule.requirement;
}

/** A value that breaks an AWS rule; the message names the input, the rule and the value. */
export class RuleError extends Error {}

function fail(label: string, requirement: string, received: unknown): never {
  throw new RuleError(`${label} must be ${requirement}. Received ${JSON.stringify(received)}.`);
}

/** A value as messages show it: each token as `${…}`. */
function shown(value: string): string {
  return typeof value === "string" ? display(value) : value;
}

/**
 * Throws when a literal string breaks the rule, or when the literal parts of a string that holds
 * tokens already break it whatever the tokens' values (`${token}*` for a campaign name: no name
 * holds `*`). A token alone is left to Terraform.
 */
export function checkString(label: string, value: string | undefined, rule: StringRule): void {
  if (value === undefined) return;
  const problem = stringProblem(value, rule);
  if (problem) fail(label, problem, shown(value));
}

/**
 * Checks every element of a list, literal or holding tokens, reporting every element that breaks
 * the rule; a list that is itself a token is left to Terraform.
 */
export function checkStringList(label: string, values: readonly string[] | undefined, rule: StringRule): void {
  if (values === undefined || Token.isUnresolved(values)) return;
  const problems = values
    .map((value) => ({ value, problem: stringProblem(value, rule) }))
    .filter((p): p is { value: string; problem: string } => p.problem !== undefined);
  if (problems.length === 0) return;
  // The mistake's advice first, as Terraform's checks run it first.
  const problem = problems.find((p) => p.problem === rule.mistake?.advice)?.problem ?? problems[0]?.problem;
  fail(
    `each of ${label}`,
    problem,
    problems.filter((p) => p.problem === problem).map((p) => shown(p.value)),
  );
}

export function checkNumber(label: string, value: number | undefined, rule: NumberRule): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (!Number.isInteger(value) || value < rule.min || value > rule.max) fail(label, rule.requirement, value);
}

/**
 * Text in lower case as Terraform's `lower()` writes it, which the plan-time check uses: each code
 * point mapped on its own (Go's `unicode.ToLower`), so `Σ` is `σ` wherever it stands (JavaScript's
 * `toLowerCase()` writes a final `ς` at the end of a word) and `İ` is `i` (JavaScript: `i̇`).
 */
function lowerEachCodePoint(text: string): string {
  return Array.from(text, (c) => (c === "\u0130" ? "i" : c.toLowerCase())).join("");
}

/** The key as IAM compares a role's tag keys: letter case ignored in its literal parts. */
function caseInsensitiveKey(key: string): string {
  return fragmentsOf(key)
    .map((f) => ("token" in f ? f.token : lowerEachCodePoint(f.literal.normalize("NFC"))))
    .join("");
}

/**
 * Checks a map of tags: the number of tags, each key and value (literal, or the literal parts of
 * one that holds tokens), and keys that differ only in letter case. A map that is itself a token
 * is left to Terraform.
 */
export function checkTags(label: string, tags: Readonly<Record<string, string>> | undefined): void {
  if (tags === undefined || Token.isUnresolved(tags)) return;
  const entries = Object.entries(tags);
  if (entries.length > MAX_TAGS) fail(`the number of ${label}`, `at most ${MAX_TAGS}`, entries.length);
  const bad = entries.filter(
    ([key, value]) =>
      stringProblem(key, RULES.tagKey) !== undefined || stringProblem(value, RULES.tagValue) !== undefined,
  );
  if (bad.length > 0) {
    fail(
      `each entry of ${label}`,
      TAG_ENTRY_REQUIREMENT,
      Object.fromEntries(bad.map(([k, v]) => [shown(k), shown(v)])),
    );
  }
  const folded = entries.map(([key]) => caseInsensitiveKey(key));
  if (new Set(folded).size < folded.length) {
    fail(
      `the keys of ${label}`,
      TAG_KEYS_REQUIREMENT,
      entries.map(([key]) => shown(key)),
    );
  }
}

/**
 * Whether a trusted source ARN's literal parts already contradict the place the role names
 * (`arn:<partition>:mobiletargeting:<region>:<account>:`), whatever the tokens' values: whether no
 * value of the ARN's tokens and of the place's (a partition, Region or account never holds `:`)
 * can make the ARN start with the place. A literal account ID and a literal ARN of another account
 * contradict each other even when the Region is read at plan time.
 */
function contradictsPlace(arn: string, placePrefix: readonly Fragment[]): boolean {
  const prefix = placePrefix
    .map((f) => ("token" in f ? "[^:]*" : f.literal.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&")))
    .join("");
  return !canMatch(fragmentsOf(arn), `^${prefix}[\\s\\S]*$`, 0, RULES.trustedSourceArn.maxLength);
}

/** Throws when a literal trusted source ARN names another partition, Region or account than the role's. */
export function checkTrustedSourcePlace(
  label: string,
  values: readonly string[] | undefined,
  placePrefix: readonly Fragment[],
): void {
  if (values === undefined || Token.isUnresolved(values)) return;
  const elsewhere = values.filter((value) => contradictsPlace(value, placePrefix));
  if (elsewhere.length > 0) fail(`each of ${label}`, TRUSTED_SOURCE_PLACE, elsewhere.map(shown));
}

// ---------------------------------------------------------------------------------------------
// Plan time: Terraform expressions, built with cdktf's Fn and Op from each value's own
// expression (`expressionOf`): a token as it is, a string that mixes text and tokens as
// `join("", [...])` of its parts. Never a token's text pasted into HCL.

/**
 * A literal string as Terraform must receive it in JSON to read it back unchanged: `${` and `%{`
 * escaped as `$${` and `%%{`, so that a description such as "Reads ${var.secret}" stays text and
 * is never evaluated. In a string that holds tokens, only the literal parts are escaped.
 */
export function terraformLiteral<T extends string | undefined>(value: T): T {
  return terraformTemplate(value);
}

/** Quotes a string as an HCL string literal that Terraform reads back unchanged. */
export function hclString(value: string): string {
  return terraformLiteral(JSON.stringify(value));
}

/** A Terraform condition (an expression that evaluates to a boolean) and the message when it is false. */
export interface TerraformCheck {
  /** A cdktf expression (an `IResolvable` from `Fn`/`Op`) or a `${...}` template. */
  readonly condition: unknown;
  readonly errorMessage: string;
}

/**
 * A boolean Terraform expression, as a string token. Each expression is handed to the next one as
 * a string token: cdktf 0.21 resolves an `IResolvable` argument twice at each level of a nested
 * expression (so twice as often per level: exponentially), a string token once.
 */
type Condition = string;

/** An expression as a string token (see `Condition`). */
function expr(x: unknown): string {
  return Token.asString(x);
}

/** All the conditions, as a balanced `&&` tree: shallow, so that it resolves quickly. */
function all(conditions: readonly Condition[]): Condition {
  if (conditions.length === 1) return conditions[0];
  const half = Math.ceil(conditions.length / 2);
  return expr(Op.and(all(conditions.slice(0, half)), all(conditions.slice(half))));
}

/** The number of characters (Unicode code points) of a string expression. */
function codePoints(x: string): string {
  return expr(Fn.lengthOf(Fn.regexall(literalArgument("(?s)."), x)));
}

/** The number of bytes of a string expression in UTF-8. */
function utf8Bytes(x: string): string {
  const count = (pattern: string) => expr(Fn.lengthOf(Fn.regexall(literalArgument(pattern), x)));
  return expr(
    Op.add(
      expr(Op.add(codePoints(x), count("[\\x{80}-\\x{10FFFF}]"))),
      expr(Op.add(count("[\\x{800}-\\x{10FFFF}]"), count("[\\x{10000}-\\x{10FFFF}]"))),
    ),
  );
}

/** `x` follows the rule (not counting its `mistake`); `x` is an expression. */
function ruleCondition(rule: StringRule, x: string): Condition {
  const conditions: Condition[] = [];
  const length = codePoints(x);
  if ((rule.minLength ?? 0) > 0) conditions.push(expr(Op.gte(length, rule.minLength ?? 0)));
  conditions.push(expr(Op.lte(length, rule.maxLength)));
  if (rule.maxBytes !== undefined) conditions.push(expr(Op.lte(utf8Bytes(x), rule.maxBytes)));
  if (rule.pattern !== undefined) conditions.push(expr(Fn.can(Fn.regex(literalArgument(rule.pattern), x))));
  if (rule.reservedPrefix !== undefined) {
    conditions.push(expr(Op.not(Fn.startswith(Fn.lower(x), literalArgument(rule.reservedPrefix)))));
  }
  return all(conditions);
}

function mistakeCondition(rule: StringRule, x: string): Condition | undefined {
  return rule.mistake && expr(Op.not(Fn.startswith(x, literalArgument(rule.mistake.prefix))));
}

function check(label: string, requirement: string, condition: Condition, received: unknown): TerraformCheck {
  return {
    condition,
    errorMessage: `${label} must be ${requirement}. Received ${Fn.jsonencode(received)}.`,
  };
}

export function conflictMessage(a: string, b: string): string {
  return `${a} conflicts with ${b}: set one or the other, not both.`;
}

/**
 * A token list as Terraform should read it: null (an optional input not given, such as a nullable
 * variable set to null) as the empty list, as for an absent prop. The inner `tolist` puts the token
 * in parentheses, should it be a conditional expression.
 */
export function listOrEmpty(list: readonly string[]): string[] {
  if (isNeverNull(list)) return Fn.tolist(list);
  // The outer `tolist` puts the conditional in parentheses (a `for` expression's collection).
  return Fn.tolist(Fn.conditional(Op.eq(expr(Fn.tolist(list)), Token.nullValue()), [], Fn.tolist(list)));
}

/** A list as one Terraform expression: a token list as `listOrEmpty` reads it, a literal list element by element. */
function listExpression(list: readonly string[]): string[] {
  return Token.isUnresolved(list) ? listOrEmpty(list) : list.map(expressionOf);
}

/** Two lists of which at most one may have elements. */
export function listConflictCheck(
  a: string,
  aList: readonly string[],
  b: string,
  bList: readonly string[],
): TerraformCheck {
  const empty = (list: readonly string[]) => expr(Op.lt(expr(Fn.lengthOf(listExpression(list))), 1));
  return {
    // `< 1`, not `== 0`: cdktf 0.21 renders a literal 0 operand as "undefined".
    condition: expr(Op.or(empty(aList), empty(bList))),
    errorMessage: conflictMessage(a, b),
  };
}

/** Two values of which at most one may be set (non-null). */
export function valueConflictCheck(a: string, aValue: string, b: string, bValue: string): TerraformCheck {
  return {
    condition: expr(Op.or(isNull(expressionOf(aValue)), isNull(expressionOf(bValue)))),
    errorMessage: conflictMessage(a, b),
  };
}

export interface ExpressionOptions {
  /**
   * What a null value means: "pass" for an optional input, "fail" for a required one.
   *
   * @default - no null check (a Terraform variable that is not nullable)
   */
  readonly whenNull?: "pass" | "fail";
  /** A boolean expression: when it is true, the check passes without looking at the value. */
  readonly skipIf?: unknown;
}

/** Whether a value is a single token, which Terraform may give as null (a string with text never is). */
function wholeToken(value: string): boolean {
  const fragments = fragmentsOf(value);
  return fragments.length === 1 && fragments.every((f) => "token" in f);
}

/**
 * `x == null`, with `x` in parentheses: cdktf writes a conditional expression (a token such as
 * `Fn.conditional(...)`) without them, and `a ? b : c == null` would read as `a ? b : (c == null)`.
 * `tostring`, `tonumber` and `tomap` return their argument, and null for null.
 */
function isNull(x: unknown, convert: (x: unknown) => unknown = (v) => Fn.tostring(v)): Condition {
  return expr(Op.eq(expr(convert(x)), Token.nullValue()));
}

/**
 * The condition, passing when `skipIf` holds, and deciding null values as `whenNull` says. A
 * conditional expression, so only ever the whole of a precondition's condition (cdktf writes it
 * without parentheses).
 */
function guarded(
  condition: Condition,
  x: unknown,
  nullable: boolean,
  options: ExpressionOptions,
  convert?: (x: unknown) => unknown,
): Condition {
  let guardedCondition = condition;
  if (options.whenNull !== undefined && nullable) {
    guardedCondition = expr(Fn.conditional(isNull(x, convert), options.whenNull === "pass", guardedCondition));
  }
  if (options.skipIf !== undefined) {
    // In parentheses: the null guard is itself a conditional expression.
    const inner = guardedCondition === condition ? guardedCondition : expr(Fn.tobool(guardedCondition));
    guardedCondition = expr(Fn.conditional(options.skipIf, true, inner));
  }
  return guardedCondition;
}

/** Checks for one string value (a token, or text with tokens): the mistake (if the rule names one), then the rule. */
export function stringChecks(
  label: string,
  value: string,
  rule: StringRule,
  options: ExpressionOptions = {},
): TerraformCheck[] {
  const x = expressionOf(value);
  const nullable = wholeToken(value);
  const checks: TerraformCheck[] = [];
  const mistake = mistakeCondition(rule, x);
  if (mistake && rule.mistake)
    checks.push(check(label, rule.mistake.advice, guarded(mistake, x, nullable, options), x));
  checks.push(check(label, rule.requirement, guarded(ruleCondition(rule, x), x, nullable, options), x));
  return checks;
}

const element = Token.asString(FOR_EXPRESSION_VALUE);
const entryKey = Token.asString(FOR_EXPRESSION_KEY);

/** `[for key, val in list : value]`: a list, so not a string token (see `Condition`); one level. */
function forEach(list: Expression, value: unknown): unknown[] {
  return forExpression(list, value as Expression) as unknown as unknown[];
}

/** `[for key, val in list : condition ? [] : [val]]`, flattened: the elements that break a condition. */
function failing(list: Expression, condition: Condition, item: string = element): unknown[] {
  return Fn.flatten(forEach(list, expr(Fn.conditional(condition, [], [item])))) as unknown[];
}

/**
 * Checks for a list of strings, each element checked by the rule; the message lists the elements
 * that break it. A token list is checked element by element with a `for` expression; a literal list
 * that holds tokens, in its elements that do (its literal elements were checked at construct time).
 */
/**
 * A condition on a value that may be null (an element of a token list, a value of a token map):
 * `whenNull` for null, where the condition's functions would fail with Terraform's own "must not
 * be null" instead of the check's message. In parentheses (`tobool`): a conditional expression.
 */
function nullSafe(x: string, condition: Condition, whenNull: boolean): Condition {
  return expr(Fn.tobool(Fn.conditional(isNull(x), whenNull, condition)));
}

export function stringListChecks(label: string, list: readonly string[], rule: StringRule): TerraformCheck[] {
  const input = listExpression(Token.isUnresolved(list) ? list : list.filter(holdsTokens));
  // A null element: the rule's check refuses it (and shows it), the mistake's leaves it to that.
  const mistake = mistakeCondition(rule, element);
  const conditions = [
    mistake === undefined ? undefined : nullSafe(element, mistake, true),
    nullSafe(element, ruleCondition(rule, element), false),
  ];
  const requirements = [rule.mistake?.advice, rule.requirement];
  return conditions.flatMap((condition, i) =>
    condition === undefined
      ? []
      : [
          check(
            `each of ${label}`,
            requirements[i] as string,
            expr(Fn.alltrue(forEach(input, condition))),
            failing(input, condition),
          ),
        ],
  );
}

/**
 * Each of the given trusted source ARNs (a token list, or the elements to check) starts with the
 * role's own `arn:<partition>:mobiletargeting:<region>:<account>:`. An element that is no Pinpoint
 * ARN at all is left to the rule's own check.
 */
export function trustedSourcePlaceCheck(label: string, list: readonly string[], placePrefix: string): TerraformCheck {
  const input = listExpression(list);
  // A null element is the rule's check's to refuse.
  const condition = nullSafe(
    element,
    expr(
      Op.or(
        expr(Op.not(Fn.can(Fn.regex(literalArgument(RULES.trustedSourceArn.pattern), element)))),
        expr(Fn.startswith(element, expressionOf(placePrefix))),
      ),
    ),
    true,
  );
  return check(
    `each of ${label}`,
    TRUSTED_SOURCE_PLACE,
    expr(Fn.alltrue(forEach(input, condition))),
    failing(input, condition),
  );
}

export function numberChecks(
  label: string,
  value: number,
  rule: NumberRule,
  options: ExpressionOptions = {},
): TerraformCheck[] {
  // In parentheses (a token may be a conditional expression, which cdktf writes without them).
  const n = Fn.tonumber(value);
  const x = expr(n);
  const condition = all([expr(Op.gte(x, rule.min)), expr(Op.lte(x, rule.max)), expr(Op.eq(expr(Fn.floor(n)), x))]);
  return [
    check(
      label,
      rule.requirement,
      guarded(condition, value, true, options, (v) => Fn.tonumber(v)),
      value,
    ),
  ];
}

/**
 * Checks for a map of tags: their number, each key and value, and keys that differ only in letter
 * case. A token map is checked with `for` expressions; a literal map that holds tokens, in its
 * entries that do (its literal entries and its size were checked at construct time).
 */
export function tagChecks(
  label: string,
  tags: Readonly<Record<string, string>>,
  options: ExpressionOptions = {},
): TerraformCheck[] {
  const entryCondition = (key: string, value: string) =>
    all([ruleCondition(RULES.tagKey, key), ruleCondition(RULES.tagValue, value)]);
  if (Token.isUnresolved(tags)) {
    // `tomap`: in parentheses, should the token be a conditional expression.
    const map = expr(Fn.tomap(tags));
    const size = expr(Fn.lengthOf(map));
    const ok = nullSafe(element, entryCondition(entryKey, element), false);
    const guard = (condition: Condition) => guarded(condition, tags, true, options, (v) => Fn.tomap(v));
    // Terraform evaluates a precondition's error message even when its condition holds: for a
    // null map (no tags), the value shown is null, not an error of `length` or `for`.
    const shownValue = (received: unknown): unknown =>
      options.whenNull === undefined
        ? received
        : Fn.conditional(
            isNull(tags, (v) => Fn.tomap(v)),
            Token.nullValue(),
            received,
          );
    return [
      check(`the number of ${label}`, `at most ${MAX_TAGS}`, guard(expr(Op.lte(size, MAX_TAGS))), shownValue(size)),
      check(
        `each entry of ${label}`,
        TAG_ENTRY_REQUIREMENT,
        guard(expr(Fn.alltrue(forEach(map, ok)))),
        shownValue(Fn.zipmap(failing(map, ok, entryKey) as string[], failing(map, ok))),
      ),
      check(
        `the keys of ${label}`,
        TAG_KEYS_REQUIREMENT,
        guard(expr(Op.eq(expr(Fn.lengthOf(Fn.distinct(forEach(map, expr(Fn.lower(entryKey)))))), size))),
        shownValue(Fn.keys(map)),
      ),
    ];
  }
  const entries = Object.entries(tags);
  const withTokens = entries.filter(([k, v]) => holdsTokens(k) || holdsTokens(v));
  if (withTokens.length === 0) return [];
  const keys = withTokens.map(([k]) => expressionOf(k));
  const values = withTokens.map(([, v]) => expressionOf(v));
  const oks = withTokens.map((_, i) => nullSafe(values[i], entryCondition(keys[i], values[i]), false));
  const badOnes = (items: string[]) =>
    Fn.flatten(oks.map((ok, i) => expr(Fn.conditional(ok, [], [items[i]])))) as unknown as string[];
  const checks = [
    check(`each entry of ${label}`, TAG_ENTRY_REQUIREMENT, all(oks), Fn.zipmap(badOnes(keys), badOnes(values))),
  ];
  if (withTokens.some(([k]) => holdsTokens(k))) {
    const allKeys = entries.map(([k]) => expressionOf(k));
    checks.push(
      check(
        `the keys of ${label}`,
        TAG_KEYS_REQUIREMENT,
        expr(Op.eq(expr(Fn.lengthOf(Fn.distinct(allKeys.map((k) => expr(Fn.lower(k)))))), allKeys.length)),
        allKeys,
      ),
    );
  }
  return checks;
}
