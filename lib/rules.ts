import { Token } from "cdktf";

/**
 * The rules AWS enforces on each input, stated once and enforced twice with the same wording:
 * at construct time for literal values (JavaScript), and at plan time for Terraform expressions
 * (variable `validation` blocks and `precondition`s).
 *
 * Patterns use only syntax that JavaScript (with the `u` flag) and RE2 (Terraform's `regex`)
 * read the same way. Each rule also keeps every grant-relevant value free of wildcards,
 * separators and template syntax, so no input can widen what the IAM policy grants.
 */
export interface StringRule {
  /** Completes the sentence "<input> must be ...". */
  readonly requirement: string;
  /** @default 0 */
  readonly minLength?: number;
  readonly maxLength: number;
  /** An anchored pattern every value must match. */
  readonly pattern?: string;
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
    requirement: "an IAM role description: at most 1000 characters of printable Latin-1, tab or newline",
    maxLength: 1000,
    pattern: "^[\\x09\\x0A\\x0D\\x20-\\x7E\\xA1-\\xFF]*$",
  },
  policyDescription: {
    requirement: "an IAM policy description: at most 1000 characters",
    maxLength: 1000,
  },
  permissionsBoundary: {
    requirement:
      "an IAM managed policy ARN (arn:<partition>:iam::<account ID or aws>:policy/<name>), 20-2048 characters",
    minLength: 20,
    maxLength: 2048,
    pattern: "^arn:aws(-[a-z]+)*:iam::([0-9]{12}|aws):policy/[!-~]+$",
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
    requirement: "an IAM tag key: 1-128 letters, digits, spaces and _.:/=+@-",
    minLength: 1,
    maxLength: 128,
    pattern: `^${TAG_CHARS}+$`,
  },
  tagValue: {
    requirement: "an IAM tag value: at most 256 letters, digits, spaces and _.:/=+@-",
    maxLength: 256,
    pattern: `^${TAG_CHARS}*$`,
  },
} satisfies Record<string, StringRule>;

export const MAX_SESSION_DURATION: NumberRule = {
  requirement: "a whole number of seconds from 3600 to 43200 (1 to 12 hours)",
  min: 3600,
  max: 43200,
};

/** IAM allows at most 50 tags on a role or a policy. */
export const MAX_TAGS = 50;

// ---------------------------------------------------------------------------------------------
// Construct time: literal values.

function stringProblem(value: string, rule: StringRule): string | undefined {
  if (rule.mistake && value.startsWith(rule.mistake.prefix)) return rule.mistake.advice;
  const length = [...value].length;
  const fits =
    length >= (rule.minLength ?? 0) &&
    length <= rule.maxLength &&
    (rule.pattern === undefined || new RegExp(rule.pattern, "u").test(value));
  return fits ? undefined : rule.requirement;
}

/** A literal value that breaks an AWS rule; the message names the input, the rule and the value. */
export class RuleError extends Error {}

function fail(label: string, requirement: string, received: unknown): never {
  throw new RuleError(`${label} must be ${requirement}. Received ${JSON.stringify(received)}.`);
}

/** Throws when a literal string breaks the rule; tokens are left to Terraform. */
export function checkString(label: string, value: string | undefined, rule: StringRule): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  const problem = stringProblem(value, rule);
  if (problem) fail(label, problem, value);
}

/**
 * Checks the literal elements of a list, reporting every element that breaks the rule; a list
 * that is itself a token is left to Terraform.
 */
export function checkStringList(label: string, values: readonly string[] | undefined, rule: StringRule): void {
  if (values === undefined || Token.isUnresolved(values)) return;
  const problems = values
    .filter((value) => !Token.isUnresolved(value))
    .map((value) => ({ value, problem: stringProblem(value, rule) }))
    .filter((p): p is { value: string; problem: string } => p.problem !== undefined);
  if (problems.length === 0) return;
  // The mistake's advice first, as Terraform's checks run it first.
  const problem = problems.find((p) => p.problem === rule.mistake?.advice)?.problem ?? problems[0]?.problem;
  fail(
    `each of ${label}`,
    problem,
    problems.filter((p) => p.problem === problem).map((p) => p.value),
  );
}

export function checkNumber(label: string, value: number | undefined, rule: NumberRule): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (!Number.isInteger(value) || value < rule.min || value > rule.max) fail(label, rule.requirement, value);
}

const TAG_ENTRY_REQUIREMENT = `${RULES.tagKey.requirement}, mapped to ${RULES.tagValue.requirement}`;

export function checkTags(label: string, tags: Readonly<Record<string, string>> | undefined): void {
  if (tags === undefined || Token.isUnresolved(tags)) return;
  const count = Object.keys(tags).length;
  if (count > MAX_TAGS) fail(`the number of ${label}`, `at most ${MAX_TAGS}`, count);
  const bad = Object.entries(tags).filter(
    ([key, value]) =>
      !Token.isUnresolved(key) &&
      !Token.isUnresolved(value) &&
      (stringProblem(key, RULES.tagKey) !== undefined || stringProblem(value, RULES.tagValue) !== undefined),
  );
  if (bad.length > 0) fail(`each entry of ${label}`, TAG_ENTRY_REQUIREMENT, Object.fromEntries(bad));
}

// ---------------------------------------------------------------------------------------------
// Plan time: Terraform expressions. `ref` is any Terraform expression (a cdktf token or plain
// HCL such as `var.x`); cdktf unwraps tokens nested in `${...}`.

/**
 * A literal string as Terraform must receive it in JSON to read it back unchanged: `${` and `%{`
 * escaped as `$${` and `%%{`, so that a description such as "Reads ${var.secret}" stays text and is
 * never evaluated. Tokens (cdktf's references and expressions) are returned as they are.
 */
export function terraformLiteral<T extends string | undefined>(value: T): T {
  if (value === undefined || Token.isUnresolved(value)) return value;
  // Replacement functions: in a replacement string, "$$" would mean one "$".
  return value.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{") as T;
}

/** Quotes a string as an HCL string literal that Terraform reads back unchanged. */
export function hclString(value: string): string {
  return terraformLiteral(JSON.stringify(value));
}

/** HCL boolean expression: `ref` follows the rule (not counting its `mistake`). */
export function stringCondition(rule: StringRule, ref: string): string {
  const parts: string[] = [];
  if (rule.minLength) parts.push(`length(${ref}) >= ${rule.minLength}`);
  parts.push(`length(${ref}) <= ${rule.maxLength}`);
  if (rule.pattern !== undefined) parts.push(`can(regex(${hclString(rule.pattern)}, ${ref}))`);
  return parts.join(" && ");
}

function mistakeCondition(rule: StringRule, ref: string): string | undefined {
  return rule.mistake && `!startswith(${ref}, ${hclString(rule.mistake.prefix)})`;
}

export interface TerraformCheck {
  /** A Terraform template (`${...}`) that evaluates to a boolean. */
  readonly condition: string;
  readonly errorMessage: string;
}

function check(label: string, requirement: string, condition: string, received: string): TerraformCheck {
  return {
    condition: `\${${condition}}`,
    errorMessage: `${label} must be ${requirement}. Received \${jsonencode(${received})}.`,
  };
}

export function conflictMessage(a: string, b: string): string {
  return `${a} conflicts with ${b}: set one or the other, not both.`;
}

/** Two lists of which at most one may have elements. */
export function listConflictCheck(a: string, aRef: string, b: string, bRef: string): TerraformCheck {
  return {
    condition: `\${length(${aRef}) == 0 || length(${bRef}) == 0}`,
    errorMessage: conflictMessage(a, b),
  };
}

export interface ExpressionOptions {
  /** Null is a valid value (the input is optional). @default false */
  readonly nullable?: boolean;
  /** An HCL boolean expression: when it is true, the check passes without looking at the value. */
  readonly skipIf?: string;
}

function guard(condition: string, ref: string, options: ExpressionOptions): string {
  const skips = [options.nullable ? `${ref} == null` : undefined, options.skipIf].filter(
    (s): s is string => s !== undefined,
  );
  return skips.length === 0 ? condition : `${skips.join(" || ")} ? true : (${condition})`;
}

/** Checks for one string expression: the mistake (if the rule names one), then the rule. */
export function stringChecks(
  label: string,
  ref: string,
  rule: StringRule,
  options: ExpressionOptions = {},
): TerraformCheck[] {
  const checks: TerraformCheck[] = [];
  const mistake = mistakeCondition(rule, ref);
  if (mistake && rule.mistake) checks.push(check(label, rule.mistake.advice, guard(mistake, ref, options), ref));
  checks.push(check(label, rule.requirement, guard(stringCondition(rule, ref), ref, options), ref));
  return checks;
}

/** Checks for a list of strings; the message lists the elements that break the rule. */
export function stringListChecks(label: string, ref: string, rule: StringRule): TerraformCheck[] {
  const conditions = [mistakeCondition(rule, "x"), stringCondition(rule, "x")];
  const requirements = [rule.mistake?.advice, rule.requirement];
  return conditions.flatMap((condition, i) =>
    condition === undefined
      ? []
      : [
          check(
            `each of ${label}`,
            requirements[i] as string,
            `alltrue([for x in ${ref} : ${condition}])`,
            `[for x in ${ref} : x if !(${condition})]`,
          ),
        ],
  );
}

export function numberChecks(label: string, ref: string, rule: NumberRule): TerraformCheck[] {
  return [
    check(label, rule.requirement, `${ref} >= ${rule.min} && ${ref} <= ${rule.max} && floor(${ref}) == ${ref}`, ref),
  ];
}

export function tagChecks(label: string, ref: string): TerraformCheck[] {
  const entry = `${stringCondition(RULES.tagKey, "k")} && ${stringCondition(RULES.tagValue, "v")}`;
  return [
    check(`the number of ${label}`, `at most ${MAX_TAGS}`, `length(${ref}) <= ${MAX_TAGS}`, `length(${ref})`),
    check(
      `each entry of ${label}`,
      TAG_ENTRY_REQUIREMENT,
      `alltrue([for k, v in ${ref} : ${entry}])`,
      `{for k, v in ${ref} : k => v if !(${entry})}`,
    ),
  ];
}
