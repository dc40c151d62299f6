import { Fn, Token } from "cdktf";
import type { PinpointPersonalizeRoleProps } from "./pinpoint-personalize-role";
import {
  checkNumber,
  checkString,
  checkStringList,
  checkTags,
  conflictMessage,
  listConflictCheck,
  MAX_SESSION_DURATION,
  NumberRule,
  RuleError,
  RULES,
  StringRule,
  stringChecks,
  stringListChecks,
  TerraformCheck,
} from "./rules";

// The construct's inputs, each listed once with its AWS rule: the same table drives the checks of
// literal values at construct time and the plan-time preconditions of token values.

/** The props the table covers: the construct's, but its provider. */
type RoleInputs = Omit<PinpointPersonalizeRoleProps, "provider">;

/**
 * Which policy document refuses a token value at plan time: the grant-relevant inputs must never
 * reach a policy unchecked. Other inputs are checked by AWS when a token resolves.
 */
type PlanTimeCheck = "permissions" | "trust" | undefined;

type StringProp = {
  [K in keyof RoleInputs]-?: NonNullable<RoleInputs[K]> extends string ? K : never;
}[keyof RoleInputs];
type ListProp = {
  [K in keyof RoleInputs]-?: NonNullable<RoleInputs[K]> extends readonly string[] ? K : never;
}[keyof RoleInputs];

type Input =
  | { readonly kind: "string"; readonly prop: StringProp; readonly rule: StringRule; readonly planTime: PlanTimeCheck }
  | { readonly kind: "list"; readonly prop: ListProp; readonly rule: StringRule; readonly planTime: PlanTimeCheck }
  | { readonly kind: "number"; readonly prop: "maxSessionDuration"; readonly rule: NumberRule }
  | { readonly kind: "tags"; readonly prop: "tags" };

/** Every input and its rule, in the order their errors are reported. */
const INPUTS: readonly Input[] = [
  { kind: "string", prop: "campaignId", rule: RULES.campaignId, planTime: "permissions" },
  { kind: "string", prop: "solutionId", rule: RULES.solutionId, planTime: "permissions" },
  { kind: "string", prop: "partition", rule: RULES.partition, planTime: "permissions" },
  { kind: "string", prop: "region", rule: RULES.region, planTime: "permissions" },
  { kind: "string", prop: "accountId", rule: RULES.accountId, planTime: "permissions" },
  { kind: "list", prop: "pinpointApplicationIds", rule: RULES.pinpointApplicationId, planTime: "trust" },
  { kind: "list", prop: "trustedSourceArns", rule: RULES.trustedSourceArn, planTime: "trust" },
  { kind: "string", prop: "roleName", rule: RULES.roleName, planTime: undefined },
  { kind: "string", prop: "roleNamePrefix", rule: RULES.roleNamePrefix, planTime: undefined },
  { kind: "string", prop: "rolePath", rule: RULES.rolePath, planTime: undefined },
  { kind: "string", prop: "roleDescription", rule: RULES.roleDescription, planTime: undefined },
  { kind: "number", prop: "maxSessionDuration", rule: MAX_SESSION_DURATION },
  { kind: "string", prop: "permissionsBoundary", rule: RULES.permissionsBoundary, planTime: undefined },
  { kind: "string", prop: "policyName", rule: RULES.policyName, planTime: undefined },
  { kind: "string", prop: "policyNamePrefix", rule: RULES.policyNamePrefix, planTime: undefined },
  { kind: "string", prop: "policyPath", rule: RULES.policyPath, planTime: undefined },
  { kind: "string", prop: "policyDescription", rule: RULES.policyDescription, planTime: undefined },
  { kind: "tags", prop: "tags" },
];

/** Inputs that cannot both be set. */
const CONFLICTS: readonly (readonly [StringProp, StringProp])[] = [
  ["roleName", "roleNamePrefix"],
  ["policyName", "policyNamePrefix"],
];
/** Lists of which at most one may have elements, checked at plan time when either is a token. */
const LIST_CONFLICT = ["pinpointApplicationIds", "trustedSourceArns"] as const;

/**
 * Checks every literal input; throws a `RuleError` on the first that breaks its rule or conflicts
 * with another. Tokens are left to the plan-time checks (`planTimeChecks`).
 */
export function checkInputs(props: RoleInputs): void {
  for (const input of INPUTS) {
    switch (input.kind) {
      case "string":
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
  conflict(apps, nonEmpty(props[apps]), trusted, nonEmpty(props[trusted]));
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

function conflict(a: string, aValue: unknown, b: string, bValue: unknown): void {
  if (aValue !== undefined && bValue !== undefined && !Token.isUnresolved(aValue) && !Token.isUnresolved(bValue)) {
    throw new RuleError(conflictMessage(a, b));
  }
}

/** A list that is a token or has elements; `undefined` for an absent or empty literal list. */
export function nonEmpty(list: readonly string[] | undefined): readonly string[] | undefined {
  return list !== undefined && (Token.isUnresolved(list) || list.length > 0) ? list : undefined;
}

/** The value if it is a literal string, else undefined. */
export function literal(value: string | undefined): string | undefined {
  return value !== undefined && !Token.isUnresolved(value) ? value : undefined;
}

/** A list as a Terraform expression. */
function listRef(list: readonly string[]): string {
  return Token.asString(Token.isUnresolved(list) ? list : Fn.tolist([...list]));
}

/**
 * The plan-time checks of the inputs that are tokens, for one policy document (literals were
 * checked at construct time): a `lifecycle` with preconditions, or undefined when none applies.
 */
export function planTimeChecks(
  props: RoleInputs,
  document: "permissions" | "trust",
): { precondition: TerraformCheck[] } | undefined {
  const checks: TerraformCheck[] = [];
  for (const input of INPUTS) {
    if (input.kind === "string" && input.planTime === document) {
      const value = props[input.prop];
      if (value !== undefined && Token.isUnresolved(value)) checks.push(...stringChecks(input.prop, value, input.rule));
    } else if (input.kind === "list" && input.planTime === document) {
      const value = props[input.prop] ?? [];
      if (Token.isUnresolved(value)) checks.push(...stringListChecks(input.prop, listRef(value), input.rule));
    }
  }
  if (document === "trust") {
    const [appsProp, trustedProp] = LIST_CONFLICT;
    const apps = props[appsProp] ?? [];
    const trusted = props[trustedProp] ?? [];
    if (nonEmpty(apps) && nonEmpty(trusted) && (Token.isUnresolved(apps) || Token.isUnresolved(trusted))) {
      checks.push(listConflictCheck(appsProp, listRef(apps), trustedProp, listRef(trusted)));
    }
  }
  return checks.length > 0 ? { precondition: checks } : undefined;
}
