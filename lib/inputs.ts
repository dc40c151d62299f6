import { Token } from "cdktf";
import type { PinpointPersonalizeRoleProps } from "./pinpoint-personalize-role";
import {
  checkNumber,
  checkString,
  checkStringList,
  checkTags,
  checkTrustedSourcePlace,
  conflictMessage,
  listConflictCheck,
  MAX_SESSION_DURATION,
  NumberRule,
  numberChecks,
  RuleError,
  RULES,
  StringRule,
  stringChecks,
  stringListChecks,
  tagChecks,
  TerraformCheck,
  trustedSourcePlaceCheck,
  valueConflictCheck,
} from "./rules";
import { Fragment, fragmentsOf, holdsTokens } from "./template";

// The construct's inputs, each listed once with its AWS rule: the same table drives the checks of
// literal values (and of the literal parts of values that hold tokens) at construct time, and the
// plan-time preconditions of the values of tokens, wherever a token sits: a whole prop, text mixed
// with tokens, an element of a list, a key or a value of a map.

/** The props the table covers: the construct's, but its provider. */
type RoleInputs = Omit<PinpointPersonalizeRoleProps, "provider">;

/**
 * Where a token value is refused at plan time: the document or resource that would first use it.
 * The grant-relevant inputs never reach a policy unchecked.
 */
export type CheckedAt = "permissions" | "trust" | "role" | "policy";

type StringProp = {
  [K in keyof RoleInputs]-?: NonNullable<RoleInputs[K]> extends string ? K : never;
}[keyof RoleInputs];
type ListProp = {
  [K in keyof RoleInputs]-?: NonNullable<RoleInputs[K]> extends readonly string[] ? K : never;
}[keyof RoleInputs];

type Input =
  | {
      readonly kind: "string";
      readonly prop: StringProp;
      readonly rule: StringRule;
      readonly at: CheckedAt;
      readonly required?: boolean;
    }
  | { readonly kind: "list"; readonly prop: ListProp; readonly rule: StringRule; readonly at: CheckedAt }
  | { readonly kind: "number"; readonly prop: "maxSessionDuration"; readonly rule: NumberRule; readonly at: CheckedAt }
  | { readonly kind: "tags"; readonly prop: "tags"; readonly at: CheckedAt };

/** Every input and its rule, in the order their errors are reported. */
const INPUTS: readonly Input[] = [
  { kind: "string", prop: "campaignId", rule: RULES.campaignId, at: "permissions", required: true },
  { kind: "string", prop: "solutionId", rule: RULES.solutionId, at: "permissions", required: true },
  { kind: "string", prop: "partition", rule: RULES.partition, at: "permissions" },
  { kind: "string", prop: "region", rule: RULES.region, at: "permissions" },
  { kind: "string", prop: "accountId", rule: RULES.accountId, at: "permissions" },
  { kind: "list", prop: "pinpointApplicationIds", rule: RULES.pinpointApplicationId, at: "trust" },
  { kind: "list", prop: "trustedSourceArns", rule: RULES.trustedSourceArn, at: "trust" },
  { kind: "string", prop: "roleName", rule: RULES.roleName, at: "role" },
  { kind: "string", prop: "roleNamePrefix", rule: RULES.roleNamePrefix, at: "role" },
  { kind: "string", prop: "rolePath", rule: RULES.rolePath, at: "role" },
  { kind: "string", prop: "roleDescription", rule: RULES.roleDescription, at: "role" },
  { kind: "number", prop: "maxSessionDuration", rule: MAX_SESSION_DURATION, at: "role" },
  { kind: "string", prop: "permissionsBoundary", rule: RULES.permissionsBoundary, at: "role" },
  { kind: "string", prop: "policyName", rule: RULES.policyName, at: "policy" },
  { kind: "string", prop: "policyNamePrefix", rule: RULES.policyNamePrefix, at: "policy" },
  { kind: "string", prop: "policyPath", rule: RULES.policyPath, at: "policy" },
  { kind: "string", prop: "policyDescription", rule: RULES.policyDescription, at: "policy" },
  // On the role: IAM compares a role's tag keys case-insensitively; the policy gets the same tags.
  { kind: "tags", prop: "tags", at: "role" },
];

/** Inputs that cannot both be set, and where the check of a token pair goes. */
const CONFLICTS: readonly (readonly [StringProp, StringProp, CheckedAt])[] = [
  ["roleName", "roleNamePrefix", "role"],
  ["policyName", "policyNamePrefix", "policy"],
];
/** Lists of which at most one may have elements, checked at plan time when either is a token. */
const LIST_CONFLICT = ["pinpointApplicationIds", "trustedSourceArns"] as const;

/** The literal text and tokens of `arn:<partition>:mobiletargeting:<region>:<account>:`, unknown parts as tokens. */
function placePrefixFragments(props: RoleInputs): Fragment[] {
  const part = (value: string | undefined): Fragment[] => (value === undefined ? [{ token: "?" }] : fragmentsOf(value));
  const parts: Fragment[] = [
    { literal: "arn:" },
    ...part(props.partition),
    { literal: ":mobiletargeting:" },
    ...part(props.region),
    { literal: ":" },
    ...part(props.accountId),
    { literal: ":" },
  ];
  // Adjacent literal parts as one.
  return parts.reduce<Fragment[]>((merged, f) => {
    const last = merged[merged.length - 1];
    if (last !== undefined && "literal" in last && "literal" in f)
      merged[merged.length - 1] = { literal: last.literal + f.literal };
    else merged.push(f);
    return merged;
  }, []);
}

/**
 * Checks every literal input, and the literal parts of every input that holds tokens; throws a
 * `RuleError` on the first that breaks its rule or conflicts with another. The values of tokens
 * are left to the plan-time checks (`planTimeChecks`).
 */
export function checkInputs(props: RoleInputs): void {
  for (const input of INPUTS) {
    switch (input.kind) {
      case "string":
        // Required props are required by their TypeScript type; JavaScript (or a cast) can still omit one.
        if (input.required && props[input.prop] == null) {
          throw new RuleError(
            `${input.prop} is required: ${input.rule.requirement}. Received ${props[input.prop] === null ? "null" : "undefined"}.`,
          );
        }
        checkString(input.prop, props[input.prop], input.rule);
        break;
      case "list":
        checkStringList(input.prop, props[input.prop], input.rule);
        break;
      case "number":
        checkNumber(input.prop, props[input.prop], input.rule);
        break;
      case "tags":
        checkTags(input.prop, props[input.prop]);
        break;
    }
  }
  checkTrustedSourcePlace("trustedSourceArns", props.trustedSourceArns, placePrefixFragments(props));

  for (const [a, b] of CONFLICTS) conflict(a, props[a], b, props[b]);
  if (props.adoptExisting) {
    for (const prop of ["roleNamePrefix", "policyNamePrefix"] as const) {
      if (literal(props[prop]) !== undefined) {
        throw new RuleError(
          `adoptExisting must be false with ${prop}: a generated name belongs to no existing resource.`,
        );
      }
    }
  }
  const [apps, trusted] = LIST_CONFLICT;
  listConflict(apps, props[apps], trusted, props[trusted]);
  if (props.confusedDeputyProtection === false) {
    for (const prop of LIST_CONFLICT) {
      if (nonEmpty(props[prop])) {
        throw new RuleError(
          `${prop} narrows the trust policy's aws:SourceArn condition, which confusedDeputyProtection: false removes. ` +
            `Set one or the other.`,
        );
      }
    }
  }
}

/** Whether a value can be null at plan time: only a single token can (text with tokens never is). */
function canBeNull(value: string): boolean {
  const fragments = fragmentsOf(value);
  return fragments.length === 1 && fragments.every((f) => "token" in f);
}

/** Both set: refused unless one of them is a single token, which may turn out null (checked at plan time). */
function conflict(a: string, aValue: string | undefined, b: string, bValue: string | undefined): void {
  if (aValue !== undefined && bValue !== undefined && !canBeNull(aValue) && !canBeNull(bValue)) {
    throw new RuleError(conflictMessage(a, b));
  }
}

/** Both non-empty: refused when both are literal lists (a token list may turn out empty). */
function listConflict(
  a: string,
  aList: readonly string[] | undefined,
  b: string,
  bList: readonly string[] | undefined,
) {
  const literalNonEmpty = (list: readonly string[] | undefined) =>
    list !== undefined && !Token.isUnresolved(list) && list.length > 0;
  if (literalNonEmpty(aList) && literalNonEmpty(bList)) throw new RuleError(conflictMessage(a, b));
}

/** A list that is a token or has elements; `undefined` for an absent or empty literal list. */
export function nonEmpty(list: readonly string[] | undefined): readonly string[] | undefined {
  return list !== undefined && (Token.isUnresolved(list) || list.length > 0) ? list : undefined;
}

/** The value if it is a literal string, else undefined. */
export function literal(value: string | undefined): string | undefined {
  return value !== undefined && !holdsTokens(value) ? value : undefined;
}

/** Whether a list holds a token: is one, or has an element that holds one. */
function holdsToken(list: readonly string[]): boolean {
  return Token.isUnresolved(list) || list.some(holdsTokens);
}

/** Whether a map of tags holds a token: is one, or has a key or a value that holds one. */
function tagsHoldToken(tags: Readonly<Record<string, string>>): boolean {
  return Token.isUnresolved(tags) || Object.entries(tags).some(([k, v]) => holdsTokens(k) || holdsTokens(v));
}

/** The place the role names, for the trusted source ARNs' check: `arn:<partition>:mobiletargeting:<region>:<account>:`. */
export interface PlaceExpressions {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

/**
 * The plan-time checks of the inputs that hold tokens, for one document or resource (literals
 * were checked at construct time): a `lifecycle` with preconditions, or undefined when none applies.
 */
export function planTimeChecks(
  props: RoleInputs,
  at: CheckedAt,
  place?: PlaceExpressions,
): { precondition: TerraformCheck[] } | undefined {
  const checks: TerraformCheck[] = [];
  for (const input of INPUTS) {
    if (input.at !== at) continue;
    switch (input.kind) {
      case "string": {
        const value = props[input.prop];
        if (value !== undefined && holdsTokens(value)) {
          checks.push(...stringChecks(input.prop, value, input.rule, { whenNull: input.required ? "fail" : "pass" }));
        }
        break;
      }
      case "list": {
        const value = props[input.prop];
        if (value !== undefined && holdsToken(value)) checks.push(...stringListChecks(input.prop, value, input.rule));
        break;
      }
      case "number": {
        const value = props[input.prop];
        if (value !== undefined && Token.isUnresolved(value)) {
          checks.push(...numberChecks(input.prop, value, input.rule, { whenNull: "pass" }));
        }
        break;
      }
      case "tags": {
        const value = props[input.prop];
        if (value !== undefined && tagsHoldToken(value))
          checks.push(...tagChecks(input.prop, value, { whenNull: "pass" }));
        break;
      }
    }
  }
  for (const [a, b, conflictAt] of CONFLICTS) {
    const aValue = props[a];
    const bValue = props[b];
    if (conflictAt === at && aValue !== undefined && bValue !== undefined) {
      checks.push(valueConflictCheck(a, aValue, b, bValue));
    }
  }
  if (at === "trust") {
    const trusted = props.trustedSourceArns;
    if (place !== undefined && trusted !== undefined) {
      // Literal elements were checked at construct time, unless the place itself is read at plan time.
      const elements = Token.isUnresolved(trusted) || placeHoldsToken(props) ? trusted : trusted.filter(holdsTokens);
      if (Token.isUnresolved(elements) || elements.length > 0) {
        const prefix = `arn:${place.partition}:mobiletargeting:${place.region}:${place.accountId}:`;
        checks.push(trustedSourcePlaceCheck("trustedSourceArns", elements, prefix));
      }
    }
    const [appsProp, trustedProp] = LIST_CONFLICT;
    const apps = props[appsProp] ?? [];
    const trustedList = props[trustedProp] ?? [];
    if (nonEmpty(apps) && nonEmpty(trustedList) && (Token.isUnresolved(apps) || Token.isUnresolved(trustedList))) {
      checks.push(listConflictCheck(appsProp, apps, trustedProp, trustedList));
    }
  }
  return checks.length > 0 ? { precondition: checks } : undefined;
}

/** Whether the role's partition, Region or account is read at plan time (a data source or a token). */
function placeHoldsToken(props: RoleInputs): boolean {
  return [props.partition, props.region, props.accountId].some((v) => v === undefined || holdsTokens(v));
}
