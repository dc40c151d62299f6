/**
 * The rules AWS enforces on each input, stated once and enforced with the same wording in two
 * places: in JavaScript for values known when the app runs (`literalProblem`), and in Terraform
 * for the others, as HCL conditions on one expression that names the value (`checks`).
 *
 * Sources: the IAM API's constraints as botocore's model of IAM 2010-05-08 states them
 * (`roleNameType`, `policyNameType`, `pathType`, `policyPathType`, `roleDescriptionType`,
 * `policyDescriptionType`, `roleMaxSessionDurationType`, `arnType`, `tagKeyType`, `tagValueType`,
 * `tagListType`), IAM's User Guide (Tags for IAM resources: the `aws:` prefix is reserved, and
 * a role's tag keys are compared case-insensitively), Amazon Personalize's and Amazon
 * Pinpoint's API references, and hashicorp/aws 5.100.0 where it is stricter than IAM (the role
 * description's length in bytes).
 *
 * Lengths count Unicode code points, as IAM's model does, at both times (Terraform's `length`
 * counts grapheme clusters, so the plan-time checks count with `regexall`), of the value
 * Terraform sends: Terraform normalizes every string to Unicode NFC, so the JavaScript checks
 * look at the normalized value too. Patterns use only syntax that JavaScript (with the `u` flag)
 * and RE2 (Terraform's `regex`) read the same way. Each rule also keeps every grant-relevant
 * value free of wildcards, separators and template syntax, so no input can widen what the IAM
 * policy grants.
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
    pattern: "^arn:aws(-[a-z]+)*:mobiletargeting:[a-z]{2,}(-[a-z]+)+-[0-9]+:[0-9]{12}:[A-Za-z0-9/_.*-]+$",
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
    pattern: "^[a-z]{2,}(-[a-z]+)+-[0-9]+$",
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

export const TAG_ENTRY_REQUIREMENT = `${RULES.tagKey.requirement}, mapped to ${RULES.tagValue.requirement}`;
export const TAG_KEYS_REQUIREMENT =
  'distinct ignoring letter case (IAM compares a role\'s tag keys case-insensitively: "Duplicate tag keys found")';

export function conflictMessage(a: string, b: string): string {
  return `${a} conflicts with ${b}: set one or the other, not both.`;
}

export function adoptionConflictMessage(prefix: string): string {
  return `adoptExisting must be false with ${prefix}: a generated name belongs to no existing resource.`;
}

// ---------------------------------------------------------------------------------------------
// Values known when the app runs.

/** The length of a string in bytes of UTF-8. */
function utf8Length(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/**
 * Text in lower case as Terraform's `lower()` writes it: each code point mapped on its own (Go's
 * `unicode.ToLower`), so `Σ` is `σ` wherever it stands and `İ` is `i`.
 */
export function lowerEachCodePoint(text: string): string {
  return Array.from(text, (c) => (c === "\u0130" ? "i" : c.toLowerCase())).join("");
}

/** Why a known value breaks the rule (the mistake's advice or the requirement), or undefined. */
export function literalProblem(value: unknown, rule: StringRule): string | undefined {
  if (typeof value !== "string") return rule.requirement;
  const text = value.normalize("NFC");
  if (rule.mistake && text.startsWith(rule.mistake.prefix)) return rule.mistake.advice;
  const length = [...text].length;
  if (length < (rule.minLength ?? 0) || length > rule.maxLength) return rule.requirement;
  if (rule.maxBytes !== undefined && utf8Length(text) > rule.maxBytes) return rule.requirement;
  if (rule.pattern !== undefined && !new RegExp(rule.pattern, "u").test(text)) return rule.requirement;
  if (rule.reservedPrefix !== undefined && lowerEachCodePoint(text).startsWith(rule.reservedPrefix)) {
    return rule.requirement;
  }
  return undefined;
}

/** Why a known number breaks the rule, or undefined. */
export function numberProblem(value: unknown, rule: NumberRule): string | undefined {
  return typeof value === "number" && Number.isInteger(value) && value >= rule.min && value <= rule.max
    ? undefined
    : rule.requirement;
}

// ---------------------------------------------------------------------------------------------
// Values Terraform knows: HCL conditions on one expression `x` that names the value (a variable,
// a local), written as text. Every condition is total: a value of the wrong type, or a null where
// none is allowed, makes it false (never a Terraform error that names no input), and a value
// unknown until apply makes it unknown, so that Terraform checks it when the value is known.

/** A Terraform check: a condition and the message when it is false, both `${...}` templates. */
export interface Check {
  readonly condition: string;
  readonly errorMessage: string;
}

/** A JavaScript value as an HCL literal that Terraform reads back unchanged. */
export function hclLiteral(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") {
    // JSON's escapes are HCL's, but for \b and \f; template sequences are escaped as HCL's own.
    return JSON.stringify(value)
      .replace(/\\b/g, "\\u0008")
      .replace(/\\f/g, "\\u000c")
      .replace(/\$\{/g, () => "$${")
      .replace(/%\{/g, () => "%%{");
  }
  if (Array.isArray(value)) return `[${value.map(hclLiteral).join(", ")}]`;
  if (typeof value === "object") {
    return `{${Object.entries(value)
      .map(([k, v]) => `${hclLiteral(k)} = ${hclLiteral(v)}`)
      .join(", ")}}`;
  }
  return typeof value === "number" || typeof value === "boolean" ? String(value) : JSON.stringify(value);
}

/** `x` as a message shows it: JSON, or "(sensitive value)" for a sensitive one (Terraform shows no message that holds one). */
function shownByTerraform(x: string): string {
  return `\${issensitive(jsonencode(${x})) ? "(sensitive value)" : nonsensitive(jsonencode(${x}))}`;
}

function check(label: string, requirement: string, condition: string, received: string): Check {
  return {
    condition: `\${${condition}}`,
    errorMessage: `${label} must be ${requirement}. Received ${shownByTerraform(received)}.`,
  };
}

/** `x` follows the rule (not counting its mistake); `x` is a string, else the expression fails. */
function ruleCondition(rule: StringRule, x: string): string {
  const length = `length(regexall("(?s).", ${x}))`;
  const parts = [`${length} <= ${rule.maxLength}`];
  if ((rule.minLength ?? 0) > 0) parts.unshift(`${length} >= ${rule.minLength}`);
  if (rule.maxBytes !== undefined) {
    const count = (range: string) => `length(regexall(${hclLiteral(range)}, ${x}))`;
    parts.push(
      `${length} + ${count("[\\x{80}-\\x{10FFFF}]")} + ${count("[\\x{800}-\\x{10FFFF}]")} + ` +
        `${count("[\\x{10000}-\\x{10FFFF}]")} <= ${rule.maxBytes}`,
    );
  }
  if (rule.pattern !== undefined) parts.push(`can(regex(${hclLiteral(rule.pattern)}, ${x}))`);
  if (rule.reservedPrefix !== undefined) parts.push(`!startswith(lower(${x}), ${hclLiteral(rule.reservedPrefix)})`);
  return parts.join(" && ");
}

/** Null as `whenNull`, a value of the wrong type as false. */
function guarded(x: string, condition: string, whenNull: boolean): string {
  return `${x} == null ? ${whenNull} : try(${condition}, false)`;
}

/** Checks of one string: the mistake (if the rule names one), then the rule. Null passes unless `required`. */
export function stringChecks(label: string, x: string, rule: StringRule, required = false): Check[] {
  const checks: Check[] = [];
  if (rule.mistake) {
    const notMistake = `!startswith(${x}, ${hclLiteral(rule.mistake.prefix)})`;
    checks.push(check(label, rule.mistake.advice, guarded(x, notMistake, true), x));
  }
  checks.push(check(label, rule.requirement, guarded(x, ruleCondition(rule, x), !required), x));
  return checks;
}

/**
 * The check of a part of a role's place (partition, Region, account ID) that its AWS provider
 * gives, read from a data source: the rule of the prop that would give it instead. A provider set
 * up with `skip_region_validation` takes any Region, "*" too, and its partition and ARNs follow
 * it. `given` is the prop's own value where it holds a token: Terraform takes the data source's
 * value only when that is null, and checks the data source's value only then.
 */
export function providerPlaceCheck(label: string, read: string, rule: StringRule, given?: string): Check[] {
  const x = given === undefined ? read : `(${given} == null ? ${read} : null)`;
  return stringChecks(label, x, rule, given === undefined);
}

/**
 * Each element of a list of strings follows the rule; null reads as the empty list, a null element
 * fails. The message shows the whole list.
 */
export function stringListChecks(label: string, x: string, rule: StringRule): Check[] {
  const ok = (v: string) => `${v} == null ? false : try(${ruleCondition(rule, v)}, false)`;
  const mistake =
    rule.mistake && ((v: string) => `${v} == null ? true : !startswith(${v}, ${hclLiteral(rule.mistake?.prefix)})`);
  const each = (condition: (v: string) => string, requirement: string) =>
    check(`each of ${label}`, requirement, guarded(x, `alltrue([for v in tolist(${x}) : ${condition("v")}])`, true), x);
  return [...(mistake && rule.mistake ? [each(mistake, rule.mistake.advice)] : []), each(ok, rule.requirement)];
}

/** A whole number in the rule's range; null passes (not given). */
export function numberChecks(label: string, x: string, rule: NumberRule): Check[] {
  // tonumber: a number given as a string ("7200") is a number to Terraform's arguments, but `==`
  // compares types as well as values.
  const condition = `${x} >= ${rule.min} && ${x} <= ${rule.max} && floor(${x}) == tonumber(${x})`;
  return [check(label, rule.requirement, guarded(x, condition, true), x)];
}

/** A map of tags: its size, each key and value, keys distinct ignoring letter case; null means no tags. */
export function tagChecks(label: string, x: string): Check[] {
  const entry = (k: string, v: string) =>
    `${v} == null ? false : try(${ruleCondition(RULES.tagKey, k)} && ${ruleCondition(RULES.tagValue, v)}, false)`;
  return [
    check(
      `the number of ${label}`,
      `at most ${MAX_TAGS}`,
      guarded(x, `length(tomap(${x})) <= ${MAX_TAGS}`, true),
      `try(length(${x}), ${x})`,
    ),
    check(
      `each entry of ${label}`,
      TAG_ENTRY_REQUIREMENT,
      guarded(x, `alltrue([for k, v in tomap(${x}) : ${entry("k", "v")}])`, true),
      x,
    ),
    check(
      `the keys of ${label}`,
      TAG_KEYS_REQUIREMENT,
      guarded(x, `length(distinct([for k in keys(tomap(${x})) : lower(k)])) == length(tomap(${x}))`, true),
      `try(keys(${x}), ${x})`,
    ),
  ];
}

/** Each trusted source ARN that is a Pinpoint ARN starts with `prefix` (an HCL string expression). */
export function trustedSourcePlaceCheck(label: string, x: string, prefix: string): Check {
  const ok = (v: string) =>
    `${v} == null ? true : (!can(regex(${hclLiteral(RULES.trustedSourceArn.pattern)}, ${v})) || startswith(${v}, ${prefix}))`;
  return check(
    `each of ${label}`,
    TRUSTED_SOURCE_PLACE,
    guarded(x, `alltrue([for v in tolist(${x}) : ${ok("v")}])`, true),
    x,
  );
}

/**
 * The account given for the role's ARNs is its provider's (`read`): IAM makes the role and the policy
 * in the account of the credentials that call CreateRole and CreatePolicy, whatever the ARNs in
 * them name. Another account's ID would make a trust for that account's Amazon Pinpoint projects
 * (`aws:SourceAccount`, `aws:SourceArn`) and a grant on that account's campaign. Null passes (not
 * given: the provider's is used); a value of another type fails.
 */
export function providerAccountCheck(read: string, given: { readonly hcl: string; readonly literal?: string }): Check {
  const requirement = `the account ID of the role's AWS provider, where IAM makes the role and the policy (\${${read}})`;
  // A literal has passed the account ID rule when the construct was made: 12 digits.
  if (given.literal !== undefined) {
    return {
      condition: `\${${hclLiteral(given.literal)} == ${read}}`,
      errorMessage: `accountId must be ${requirement}. Received ${JSON.stringify(given.literal)}.`,
    };
  }
  const x = given.hcl;
  return check("accountId", requirement, `${x} == null ? true : try(tostring(${x}) == ${read}, false)`, x);
}

/**
 * A role's or policy's name, `x`, is not `y`, another role's of the stack on the same provider, in
 * any letter case: IAM names are unique per account, case-insensitively, and a clash that only the
 * apply finds leaves the first role made and the second refused. A null name (one that the
 * provider generates from a prefix) clashes with none.
 */
export function distinctNameCheck(prop: "roleName" | "policyName", x: string, y: string, other: string): Check {
  const kind = prop === "roleName" ? "role" : "policy";
  return {
    condition: `\${try(lower(${x}) != lower(${y}), true)}`,
    errorMessage:
      `${prop} must differ, in any letter case, from the IAM ${kind} name of ${other}, on the same provider ` +
      `(IAM ${kind} names are unique per account, case-insensitively). Received ${shownByTerraform(x)} and ` +
      `${shownByTerraform(y)}.`,
  };
}

/** At most one of two values is set (not null). */
export function valueConflictCheck(a: string, x: string, b: string, y: string): Check {
  return { condition: `\${${x} == null || ${y} == null}`, errorMessage: conflictMessage(a, b) };
}

/** At most one of two lists has elements (null reads as empty). */
export function listConflictCheck(a: string, x: string, b: string, y: string): Check {
  const empty = (l: string) => `(${l} == null ? true : try(length(${l}) < 1, false))`;
  return { condition: `\${${empty(x)} || ${empty(y)}}`, errorMessage: conflictMessage(a, b) };
}

/**
 * The checks of an adoption, for the attachment (which follows the role and the policy): the role
 * that `import` takes over holds no managed policy but this one and no inline policy, and the
 * policy is attached to nothing but this role. An import keeps whatever else they have:
 * hashicorp/aws manages a role's other policies only where `managed_policy_arns` or
 * `inline_policy` is written, which would detach what the user's own code attaches. So an adopted
 * role would keep another policy's access, and another role or user would take this policy's
 * document. Values unknown at plan (a role or policy being created) defer the checks to apply,
 * when nothing else is attached yet.
 *
 * `prop` names the input that asks for the adoption, and `off` says how to turn it off once the
 * role is adopted; `role` and `policy` are the resources' addresses (`aws_iam_role.x`); `when`, if
 * given, an HCL boolean that turns the checks on.
 */
export function adoptionChecks(prop: string, off: string, role: string, policy: string, when?: string): Check[] {
  // Import blocks do nothing once the resources are in the state, but these checks would go on.
  const done = ` (Once the role is adopted, ${off}: these checks are for the import.)`;
  const gated = (condition: string) => `\${${when === undefined ? condition : `!(${when}) || (${condition})`}}`;
  // hashicorp/aws deprecates both arguments, and Terraform warns at every reference to one: read
  // from the whole object, they warn nobody (the role's own configuration writes neither).
  const managed = `lookup(${role}, "managed_policy_arns", null)`;
  const inline = `lookup(${role}, "inline_policy", null)`;
  const count = `${policy}.attachment_count`;
  const others = `[for arn in ${managed} : arn if arn != ${policy}.arn]`;
  const named = `[for p in ${inline} : p.name if p.name != null && p.name != ""]`;
  return [
    {
      condition: gated(`${managed} == null ? true : length(${others}) == 0`),
      errorMessage:
        `${prop}: the role \${${role}.name} has managed policies attached besides this one, ` +
        `\${jsonencode(${others})}, which adopting it would keep: detach them first.${done}`,
    },
    {
      condition: gated(`${inline} == null ? true : length(${named}) == 0`),
      errorMessage:
        `${prop}: the role \${${role}.name} has inline policies, \${jsonencode(${named})}, which adopting it ` +
        `would keep: delete them first.${done}`,
    },
    {
      condition: gated(
        `${count} == null ? true : ${count} == 0 || (${count} == 1 && (${managed} == null ? false : contains(${managed}, ${policy}.arn)))`,
      ),
      errorMessage:
        `${prop}: the policy \${${policy}.arn} is attached elsewhere than to the role (\${${count}} attachments in ` +
        `all), and each would take this policy's document: detach it from the others first.${done}`,
    },
  ];
}

/**
 * A list that narrows the trust's aws:SourceArn condition, given beside
 * `confusedDeputyProtection: false` (which removes that condition), holds nothing (null reads as
 * empty): for a list Terraform gives at plan time. `x` is its HCL expression.
 */
export function narrowingRemovedCheck(prop: string, x: string): Check {
  return {
    condition: `\${${x} == null ? true : length(${x}) == 0}`,
    errorMessage: `${narrowingRemovedMessage(prop)} Received ${shownByTerraform(x)}.`,
  };
}

/** Why a list that narrows the trust's aws:SourceArn condition cannot stand beside `confusedDeputyProtection: false`. */
export function narrowingRemovedMessage(prop: string): string {
  return (
    `${prop} narrows the trust policy's aws:SourceArn condition, which confusedDeputyProtection: false removes. ` +
    "Set one or the other."
  );
}
