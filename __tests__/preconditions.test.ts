import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App, TerraformLocal, TerraformStack, TerraformVariable, Token } from "cdktf";
import * as fc from "fast-check";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { PinpointPersonalizeRole, PinpointPersonalizeRoleProps } from "../lib";
import { literalProblem, MAX_SESSION_DURATION, RULES, StringRule } from "../lib/rules";
import { checkNumber, checkString, checkStringList, checkTags } from "../test-support/literal-checks";
import { ACCOUNT, nearValid, REGION, VALID } from "../test-support/rule-values";
import { synthDirs } from "../test-support/synth";
import {
  EXAMPLE_PLACE,
  planResources,
  PlanResource,
  terraformInit,
  terraformPlan,
  withOfflineProvider,
} from "../packages/review/src/offline-plan";
import { validation, Validation } from "../packages/review/src/terraform";
import { planFailures } from "../test-support/plan-failures";

/**
 * A token input (a variable, a local, in a user's app another resource's attribute) cannot be
 * checked at construct time: the construct's preconditions make Terraform refuse it at plan time,
 * before any policy is rendered, wherever the token sits: a whole prop, text mixed with tokens, an
 * element of a list, a key or a value of tags. All in one configuration, validated once and
 * planned twice:
 *
 * - the issue's cases, each the way a cdktf app is really written: the plan's errors for each role
 *   are exactly its rule's, with the value received;
 * - props generated (fast-check) from values each rule accepts and values close to them, cut into
 *   literal parts and Terraform variables at every position:
 *
 * - no case is refused at synth, even one whose literal part breaks the rule whatever the variables
 *   hold: every value that holds a token is Terraform's to check, at plan time;
 * - the configuration of every other case passes `terraform validate` (the issue's cases' test);
 * - in an offline plan, every case whose final value breaks its rule fails with a message that
 *   names the prop, at that case's own document or resource, and no other case fails;
 * - in a plan of the good cases alone, the value AWS would receive is the final value itself.
 */
const synthDir = synthDirs();

// ---------------------------------------------------------------------------------------------
// The issue's cases.

const OTHER_ACCOUNT = "444455556666";
const CAMPAIGN_RULE =
  "campaignId must be an Amazon Personalize campaign name: 1-63 characters, only letters, digits, '-' and '_', " +
  "starting with a letter or digit.";
const SOURCE_ARN_RULE =
  "each of trustedSourceArns must be an Amazon Pinpoint ARN in one Region and account, " +
  "arn:<partition>:mobiletargeting:<region>:<12-digit account ID>:<resource>, the resource made of letters, " +
  "digits and /_.-, with * as the only wildcard.";
const TAG_ENTRY_RULE =
  "each entry of tags must be an IAM tag key: 1-128 letters, digits, spaces and _.:/=+@-, not starting with aws: " +
  "in any letter case, mapped to an IAM tag value: at most 256 letters, digits, spaces and _.:/=+@-, not starting " +
  "with aws: in any letter case.";

/** The variables every case may use, with the values the plan gives them. */
const VALUES = {
  star: "*",
  env: "prod",
  app: "*",
  name: "my role",
  team: "AWS:team",
  duration: 99,
  account: "444455556666",
  fraction: 1.5,
  whole: 7,
} as const;

type Vars = { [K in keyof typeof VALUES]: TerraformVariable };

const ISSUE_CASES: [id: string, props: (v: Vars) => Partial<PinpointPersonalizeRoleProps>, messages: string[]][] = [
  ["Wildcard", (v) => ({ campaignId: v.star.stringValue }), [`${CAMPAIGN_RULE} Received "*".`]],
  // The issue's first case: a token as one element of a literal list was never checked.
  ["SourceElement", (v) => ({ trustedSourceArns: [v.star.stringValue] }), [`${SOURCE_ARN_RULE} Received ["*"].`]],
  [
    "AppElement",
    (v) => ({ pinpointApplicationIds: ["abc123", v.app.stringValue] }),
    [
      "each of pinpointApplicationIds must be an Amazon Pinpoint project ID: 1-64 letters and digits, " +
        'as the Pinpoint console shows it. Received ["abc123","*"].',
    ],
  ],
  // The issue's second case: text joined with a token; valid here ("prod-books").
  ["Joined", (v) => ({ campaignId: `${v.env.stringValue}-books` }), []],
  ["JoinedBad", (v) => ({ campaignId: `${v.star.stringValue}books` }), [`${CAMPAIGN_RULE} Received "*books".`]],
  [
    "OtherAccount",
    (v) => ({ trustedSourceArns: [`arn:aws:mobiletargeting:us-east-1:${v.account.stringValue}:apps/*`] }),
    [
      "each of trustedSourceArns must be an ARN of the role's own partition, Region and account " +
        "(arn:<partition>:mobiletargeting:<region>:<account>:...): aws:SourceAccount is the role's account and the " +
        "campaign is in the project's Region, so a source ARN elsewhere matches no request. " +
        'Received ["arn:aws:mobiletargeting:us-east-1:444455556666:apps/*"].',
    ],
  ],
  // Props that only the provider's own validation caught before.
  [
    "Duration",
    (v) => ({ maxSessionDuration: v.duration.numberValue }),
    ["maxSessionDuration must be a whole number of seconds from 3600 to 43200 (1 to 12 hours). Received 99."],
  ],
  [
    "Name",
    (v) => ({ roleName: v.name.stringValue }),
    ['roleName must be an IAM role name: 1-64 characters, only letters, digits and +=,.@_-. Received "my role".'],
  ],
  [
    "TagKey",
    (v) => ({ tags: { [v.team.stringValue]: "growth" } }),
    [`${TAG_ENTRY_RULE} Received {"AWS:team":"growth"}.`],
  ],
  [
    "TagKeysCase",
    (v) => ({ tags: { [`${v.env.stringValue}-Team`]: "a", "prod-team": "b" } }),
    [
      "the keys of tags must be distinct ignoring letter case (IAM compares a role's tag keys case-insensitively: " +
        '"Duplicate tag keys found"). Received ["prod-Team","prod-team"].',
    ],
  ],
  // A number token written into text: cdktf encodes it as a number, not as a string token.
  [
    "NumberInText",
    (v) => ({ campaignId: `books${v.fraction.numberValue}` }),
    [`${CAMPAIGN_RULE} Received "books1.5".`],
  ],
  ["NumberInTextGood", (v) => ({ campaignId: `books${v.whole.numberValue}` }), []],
  // Number tokens after a digit and side by side: the value checked is the value written.
  ["NumberAfterDigit", (v) => ({ campaignId: `books1${v.whole.numberValue}` }), []],
  // A digit after a number token: cdktf prints the token as `...e+289`, which the digit lengthens.
  ["NumberBeforeDigit", (v) => ({ campaignId: `books${v.whole.numberValue}1` }), []],
  [
    "NumberBeforeDigitBad",
    (v) => ({ campaignId: `books${v.fraction.numberValue}1` }),
    [`${CAMPAIGN_RULE} Received "books1.51".`],
  ],
  [
    "NumbersSideBySide",
    (v) => ({ campaignId: `c${v.whole.numberValue}${v.fraction.numberValue}` }),
    [`${CAMPAIGN_RULE} Received "c71.5".`],
  ],
];

// ---------------------------------------------------------------------------------------------
// Generated cases.

type StringProp =
  | "campaignId"
  | "solutionId"
  | "partition"
  | "region"
  | "accountId"
  | "roleName"
  | "roleNamePrefix"
  | "rolePath"
  | "roleDescription"
  | "permissionsBoundary"
  | "policyName"
  | "policyNamePrefix"
  | "policyPath"
  | "policyDescription";

const STRING_RULES: Record<StringProp, StringRule> = {
  campaignId: RULES.campaignId,
  solutionId: RULES.solutionId,
  partition: RULES.partition,
  region: RULES.region,
  accountId: RULES.accountId,
  roleName: RULES.roleName,
  roleNamePrefix: RULES.roleNamePrefix,
  rolePath: RULES.rolePath,
  roleDescription: RULES.roleDescription,
  permissionsBoundary: RULES.permissionsBoundary,
  policyName: RULES.policyName,
  policyNamePrefix: RULES.policyNamePrefix,
  policyPath: RULES.policyPath,
  policyDescription: RULES.policyDescription,
};

/** A string cut into parts: literal text, or a variable holding the rest of the text. */
type Part = { readonly literal: string } | { readonly variable: string };

/** Cuts a value at the given points; each part becomes a variable or stays literal; at least one variable. */
function cut(value: string, points: number[], asVariable: boolean[]): Part[] {
  const units = [...value];
  const at = [...new Set(points.map((p) => p % (units.length + 1)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let last = 0;
  for (const p of [...at, units.length]) {
    pieces.push(units.slice(last, p).join(""));
    last = p;
  }
  const parts = pieces.map((piece, i): Part => (asVariable[i] ? { variable: piece } : { literal: piece }));
  // At least one variable: the last part, if none was drawn.
  if (!parts.some((p) => "variable" in p)) parts[parts.length - 1] = { variable: pieces[pieces.length - 1] ?? "" };
  return parts.filter((p) => "variable" in p || p.literal !== "");
}

const parts = (value: fc.Arbitrary<string>) =>
  fc
    .tuple(value, fc.array(fc.nat(), { maxLength: 3 }), fc.array(fc.boolean(), { maxLength: 4 }))
    .map(([v, points, vars]) => cut(v, points, vars));

type Case =
  | { readonly kind: "string"; readonly prop: StringProp; readonly parts: Part[] }
  | {
      readonly kind: "list";
      readonly prop: "pinpointApplicationIds" | "trustedSourceArns";
      readonly elements: Part[][];
    }
  | {
      readonly kind: "token-list";
      readonly prop: "pinpointApplicationIds" | "trustedSourceArns";
      readonly value: string[];
    }
  | { readonly kind: "tags"; readonly entries: [Part[], Part[]][] }
  | { readonly kind: "token-tags"; readonly value: Record<string, string> }
  | { readonly kind: "number"; readonly value: number };

const stringCase = fc
  .constantFrom(...(Object.keys(STRING_RULES) as StringProp[]))
  .chain((prop) => parts(nearValid(VALID[prop])).map((p): Case => ({ kind: "string", prop, parts: p })));
const listProp = fc.constantFrom("pinpointApplicationIds" as const, "trustedSourceArns" as const);
const elementValue = (prop: "pinpointApplicationIds" | "trustedSourceArns") =>
  nearValid(prop === "pinpointApplicationIds" ? VALID.pinpointApplicationId : VALID.trustedSourceArn);
const listCase = listProp.chain((prop) =>
  fc
    .array(
      fc.oneof(
        elementValue(prop).map((v): Part[] => [{ literal: v }]),
        parts(elementValue(prop)),
      ),
      { minLength: 1, maxLength: 3 },
    )
    .filter((elements) => elements.some((e) => e.some((p) => "variable" in p)))
    .map((elements): Case => ({ kind: "list", prop, elements })),
);
const tokenListCase = listProp.chain((prop) =>
  fc.array(elementValue(prop), { maxLength: 3 }).map((value): Case => ({ kind: "token-list", prop, value })),
);
const tagsCase = fc
  .array(
    fc.tuple(
      parts(nearValid(VALID.tagKey)),
      fc.oneof(
        parts(nearValid(VALID.tagValue)),
        nearValid(VALID.tagValue).map((v): Part[] => [{ literal: v }]),
      ),
    ),
    {
      minLength: 1,
      maxLength: 3,
    },
  )
  .map((entries): Case => ({ kind: "tags", entries }))
  .filter((c) => c.kind === "tags" && new Set(c.entries.map(([k]) => text(k))).size === c.entries.length);
const tokenTagsCase = fc
  .array(fc.tuple(nearValid(VALID.tagKey), nearValid(VALID.tagValue)), { maxLength: 3 })
  .map((entries): Case => ({ kind: "token-tags", value: Object.fromEntries(entries) }));
const numberCase = fc
  .constantFrom(3599, 3600, 7200, 43200, 43201, 3600.5, 0, -1)
  .map((value): Case => ({ kind: "number", value }));

function text(p: readonly Part[]): string {
  return p.map((x) => ("literal" in x ? x.literal : x.variable)).join("");
}

const CASES: Case[] = [
  ...fc.sample(stringCase, { numRuns: 56, seed: 20261130 }),
  ...fc.sample(listCase, { numRuns: 8, seed: 20261131 }),
  ...fc.sample(tokenListCase, { numRuns: 4, seed: 20261132 }),
  ...fc.sample(tagsCase, { numRuns: 8, seed: 20261133 }),
  ...fc.sample(tokenTagsCase, { numRuns: 4, seed: 20261134 }),
  ...fc.sample(numberCase, { numRuns: 4, seed: 20261135 }),
  // Template syntax in the literal text of a value that holds a token, and a "$" right before a
  // token: Terraform must receive them as text, never evaluate them.
  {
    kind: "string",
    prop: "roleDescription",
    parts: [{ literal: "Costs ${5}, %{if true}x%{endif} and $" }, { variable: "1" }],
  },
  { kind: "string", prop: "policyDescription", parts: [{ variable: "a" }, { literal: "$${b} $$" }, { variable: "c" }] },
];

const PLACE_PREFIX = `arn:aws:mobiletargeting:${REGION}:${ACCOUNT}:`;

/** Whether the final value follows its rule: the construct's check of the same value as a literal. */
function verdict(c: Case): boolean {
  const ok = (check: () => void) => {
    try {
      check();
      return true;
    } catch {
      return false;
    }
  };
  switch (c.kind) {
    case "string":
      return (
        ok(() => checkString(c.prop, text(c.parts), STRING_RULES[c.prop])) &&
        // The account is also the provider's: the role is made there.
        (c.prop !== "accountId" || text(c.parts) === ACCOUNT)
      );
    case "list":
    case "token-list": {
      const values = c.kind === "list" ? c.elements.map(text) : c.value;
      const rule = c.prop === "pinpointApplicationIds" ? RULES.pinpointApplicationId : RULES.trustedSourceArn;
      return (
        ok(() => checkStringList(c.prop, values, rule)) &&
        (c.prop !== "trustedSourceArns" || values.every((v) => v.startsWith(PLACE_PREFIX)))
      );
    }
    case "tags":
      return ok(() => checkTags("tags", Object.fromEntries(c.entries.map(([k, v]) => [text(k), text(v)]))));
    case "token-tags":
      return ok(() => checkTags("tags", c.value));
    case "number":
      return ok(() => checkNumber("maxSessionDuration", c.value, MAX_SESSION_DURATION));
  }
}

/** The prop a case's messages must name. */
function label(c: Case): string {
  switch (c.kind) {
    case "string":
    case "list":
    case "token-list":
      return c.prop;
    case "tags":
    case "token-tags":
      return "tags";
    case "number":
      return "maxSessionDuration";
  }
}

interface Built {
  readonly c: Case;
  readonly id: string;
  /** Set when the construct refused the case at synth. */
  readonly refused?: string;
  readonly role?: PinpointPersonalizeRole;
}

const built: Built[] = [];
/** Each variable's value, for the tfvars file. */
const values: Record<string, unknown> = {};

function buildCases(app: App): TerraformStack {
  const stack = new TerraformStack(app, "tokens");
  new AwsProvider(stack, "aws", {});
  let variables = 0;
  const variable = (value: string, type = "string", raw: unknown = value) => {
    const name = `v${++variables}`;
    const v = new TerraformVariable(stack, name, { type });
    values[name] = raw;
    return type === "string" ? v.stringValue : type === "number" ? v.numberValue : v;
  };
  const stringOf = (p: readonly Part[]) =>
    p.map((x) => ("literal" in x ? x.literal : (variable(x.variable) as string))).join("");
  CASES.forEach((c, i) => {
    const id = `Case${i}`;
    let subject: Partial<PinpointPersonalizeRoleProps>;
    switch (c.kind) {
      case "string":
        subject = { [c.prop]: stringOf(c.parts) };
        break;
      case "list":
        subject = { [c.prop]: c.elements.map(stringOf) };
        break;
      case "token-list":
        subject = {
          [c.prop]: Token.asList((variable("", "list(string)", c.value) as TerraformVariable).listValue),
        };
        break;
      case "tags":
        subject = { tags: Object.fromEntries(c.entries.map(([k, v]) => [stringOf(k), stringOf(v)])) };
        break;
      case "token-tags":
        subject = {
          tags: Token.asStringMap((variable("", "map(string)", c.value) as TerraformVariable).value),
        };
        break;
      case "number":
        subject = { maxSessionDuration: variable("", "number", c.value) as number };
        break;
    }
    const props: PinpointPersonalizeRoleProps = {
      campaignId: `c${i}`,
      solutionId: `s${i}`,
      partition: "aws",
      region: REGION,
      accountId: ACCOUNT,
      ...("roleNamePrefix" in subject ? {} : { roleName: `case-${i}` }),
      ...("policyNamePrefix" in subject ? {} : { policyName: `case-${i}` }),
      ...subject,
    };
    try {
      built.push({ c, id, role: new PinpointPersonalizeRole(stack, id, props) });
    } catch (error) {
      built.push({ c, id, refused: (error as Error).message });
    }
  });
  // The issue's cases, in the same configuration.
  const v = Object.fromEntries(
    Object.entries(VALUES).map(([name, value]) => {
      values[name] = value;
      return [name, new TerraformVariable(stack, name, { type: typeof value === "number" ? "number" : "string" })];
    }),
  ) as Vars;
  // A local too, as in the first release's test: a token of another kind.
  const local = new TerraformLocal(stack, "local_campaign", "*");
  new PinpointPersonalizeRole(stack, "Local", {
    campaignId: local.asString,
    solutionId: "s",
    roleName: "local",
    policyName: "local",
  });
  // Optional inputs from nullable variables set to null: read as not given.
  const nullable = (name: string, type: string) => {
    values[name] = null;
    return new TerraformVariable(stack, name, { type, nullable: true });
  };
  new PinpointPersonalizeRole(stack, "NullAppsAndTags", {
    campaignId: "null0",
    solutionId: "null0",
    roleName: "null-0",
    policyName: "null-0",
    pinpointApplicationIds: nullable("null_apps", "list(string)").listValue,
    tags: Token.asStringMap(nullable("null_tags", "map(string)").value),
  });
  new PinpointPersonalizeRole(stack, "NullSources", {
    campaignId: "null1",
    solutionId: "null1",
    roleName: "null-1",
    policyName: "null-1",
    trustedSourceArns: nullable("null_sources", "list(string)").listValue,
  });
  // A null element of a token list, a null value of a token map: refused with the rule's message.
  const holding = (name: string, type: string, value: unknown) => {
    values[name] = value;
    return new TerraformVariable(stack, name, { type });
  };
  new PinpointPersonalizeRole(stack, "NullElements", {
    campaignId: "null2",
    solutionId: "null2",
    roleName: "null-2",
    policyName: "null-2",
    pinpointApplicationIds: holding("apps_with_null", "list(string)", ["abc123", null]).listValue,
  });
  new PinpointPersonalizeRole(stack, "NullTagValue", {
    campaignId: "null3",
    solutionId: "null3",
    roleName: "null-3",
    policyName: "null-3",
    tags: Token.asStringMap(holding("tags_with_null", "map(string)", { team: null }).value),
  });
  // A list variable beside confusedDeputyProtection: false: nothing to narrow while it is empty.
  new PinpointPersonalizeRole(stack, "UnprotectedEmptyIds", {
    campaignId: "unprotected0",
    solutionId: "unprotected0",
    roleName: "unprotected-0",
    policyName: "unprotected-0",
    confusedDeputyProtection: false,
    pinpointApplicationIds: holding("empty_apps", "list(string)", []).listValue,
  });
  new PinpointPersonalizeRole(stack, "UnprotectedIds", {
    campaignId: "unprotected1",
    solutionId: "unprotected1",
    roleName: "unprotected-1",
    policyName: "unprotected-1",
    confusedDeputyProtection: false,
    trustedSourceArns: holding("some_sources", "list(string)", [
      "arn:aws:mobiletargeting:us-east-1:111122223333:apps/abc123",
    ]).listValue,
  });
  // An account other than the provider's, as a literal and from a variable; the provider's from a variable.
  const accountCase = (id: string, n: number, accountId: string) =>
    new PinpointPersonalizeRole(stack, id, {
      campaignId: `account${n}`,
      solutionId: `account${n}`,
      roleName: `account-${n}`,
      policyName: `account-${n}`,
      accountId,
    });
  accountCase("ForeignAccount", 0, OTHER_ACCOUNT);
  accountCase("ForeignAccountVariable", 1, holding("other_account", "string", OTHER_ACCOUNT).stringValue);
  accountCase("OwnAccountVariable", 2, holding("own_account", "string", ACCOUNT).stringValue);
  ISSUE_CASES.forEach(([id, props], i) => {
    new PinpointPersonalizeRole(stack, id, {
      campaignId: `ic${i}`,
      solutionId: `is${i}`,
      roleName: `issue-${i}`,
      policyName: `issue-${i}`,
      ...props(v),
    });
  });
  return stack;
}

let dir: string;
let valid: Validation;
let failures: Map<string, string[]>;
let unattributed: string[];
let goodPlan: PlanResource[];

beforeAll(async () => {
  dir = synthDir(buildCases);
  writeFileSync(join(dir, "cases.tfvars.json"), JSON.stringify(values));
  await withOfflineProvider(dir, EXAMPLE_PLACE, async (env) => {
    await terraformInit(dir, env);
    valid = validation(dir);
    // Every case at once: the plan fails; each error is attributed to its case by the address
    // of the document or resource whose precondition failed.
    ({ byConstruct: failures, unattributed } = await planFailures(dir, ["-var-file=cases.tfvars.json"], env));
    // The good cases alone: the plan succeeds and holds the values AWS would receive.
    const targets = built
      .filter((b) => b.role !== undefined && verdict(b.c))
      .flatMap((b) => [
        `-target=aws_iam_role.${b.role?.role.friendlyUniqueId}`,
        `-target=aws_iam_policy.${b.role?.policy.friendlyUniqueId}`,
      ]);
    goodPlan = planResources(
      await terraformPlan(dir, ["-var-file=cases.tfvars.json", ...targets], false, env, "good.tfplan"),
    );
  });
});

describe("the issue's cases", () => {
  test("terraform validate accepts every case: no precondition is broken HCL (length(var.env-books) was)", () => {
    expect(valid).toEqual({ valid: true, warnings: 0, diagnostics: [] });
  });

  test.each(ISSUE_CASES.map(([id, , messages]) => [id, messages] as const))(
    "%s: the plan's errors for this role are exactly its rule's, with the value received",
    (id, messages) => {
      expect(failures.get(id) ?? []).toEqual(messages);
    },
  );

  test("optional lists and tags from nullable variables set to null are read as not given: nothing fails", () => {
    expect([failures.get("NullAppsAndTags"), failures.get("NullSources")]).toEqual([undefined, undefined]);
  });

  test("a null element of a token list and a null value of a token map are refused with the rules' messages", () => {
    expect([failures.get("NullElements"), failures.get("NullTagValue")]).toEqual([
      [
        "each of pinpointApplicationIds must be an Amazon Pinpoint project ID: 1-64 letters and digits, " +
          'as the Pinpoint console shows it. Received ["abc123",null].',
      ],
      [`${TAG_ENTRY_RULE} Received {"team":null}.`],
    ]);
  });

  test("a list variable beside confusedDeputyProtection: false is accepted while empty, refused with its value otherwise", () => {
    expect(failures.get("UnprotectedEmptyIds")).toBeUndefined();
    expect(failures.get("UnprotectedIds")).toEqual([
      "trustedSourceArns narrows the trust policy's aws:SourceArn condition, which confusedDeputyProtection: false " +
        'removes. Set one or the other. Received ["arn:aws:mobiletargeting:us-east-1:111122223333:apps/abc123"].',
    ]);
  });

  test("an account other than the provider's, literal or from a variable, is refused at plan; the provider's passes", () => {
    const refusal = (received: string) => [
      "accountId must be the account ID of the role's AWS provider, where IAM makes the role and the policy " +
        `(${ACCOUNT}). Received "${received}".`,
    ];
    expect([
      failures.get("ForeignAccount"),
      failures.get("ForeignAccountVariable"),
      failures.get("OwnAccountVariable"),
    ]).toEqual([refusal(OTHER_ACCOUNT), refusal(OTHER_ACCOUNT), undefined]);
  });

  test("a local is refused the same way, and nothing fails that no role raised", () => {
    expect(failures.get("Local")).toEqual([`${CAMPAIGN_RULE} Received "*".`]);
    expect(unattributed).toEqual([]);
  });
});

test("the cases cover every position of a token and both verdicts", () => {
  const kinds = new Set(CASES.map((c) => (c.kind === "string" ? c.prop : c.kind)));
  expect(kinds.size).toBeGreaterThanOrEqual(16);
  // A name with a literal part that holds a character no name may hold: bad whatever the variables hold.
  const names = ["campaignId", "solutionId", "roleName", "roleNamePrefix", "policyName", "policyNamePrefix"];
  const hopeless = built.filter(
    ({ c }) =>
      c.kind === "string" &&
      names.includes(c.prop) &&
      c.parts.some((p) => "literal" in p && /[^A-Za-z0-9_+=,.@-]/.test(p.literal)),
  );
  expect(hopeless.filter((b) => verdict(b.c)).map((b) => b.id)).toEqual([]);
  const planned = built.filter((b) => b.refused === undefined);
  expect({
    badAtPlan: planned.filter((b) => !verdict(b.c)).length > 8,
    badWhateverTheVariablesHold: hopeless.length > 0,
    good: planned.filter((b) => verdict(b.c)).length > 20,
    mixed: CASES.some((c) => c.kind === "string" && c.parts.length > 1),
  }).toEqual({ badAtPlan: true, badWhateverTheVariablesHold: true, good: true, mixed: true });
});

test("only literals are refused at synth: a value that holds a Terraform token is checked at plan time, whatever its literal parts", () => {
  // A list may mix literal elements, checked as the construct is made, with elements that hold tokens.
  const badLiteralElement = (c: Case) =>
    c.kind === "list" &&
    c.elements.some(
      (e) =>
        e.every((p) => "literal" in p) &&
        literalProblem(
          text(e),
          c.prop === "pinpointApplicationIds" ? RULES.pinpointApplicationId : RULES.trustedSourceArn,
        ) !== undefined,
    );
  for (const b of built.filter((x) => x.refused !== undefined)) {
    expect({ id: b.id, badLiteralElement: badLiteralElement(b.c) }).toEqual({ id: b.id, badLiteralElement: true });
    expect(b.refused).toMatch(new RegExp(`^tokens/${b.id}: each of ${label(b.c)} must be `));
  }
});

test("in one offline plan, exactly the bad cases fail, each at its own role with a message that names the prop", () => {
  expect(unattributed).toEqual([]);
  for (const b of built.filter((x) => x.refused === undefined)) {
    const messages = failures.get(b.id) ?? [];
    if (verdict(b.c)) {
      expect({ id: b.id, messages }).toEqual({ id: b.id, messages: [] });
    } else {
      expect({ id: b.id, failed: messages.length > 0 }).toEqual({ id: b.id, failed: true });
      for (const m of messages) {
        expect(m).toMatch(
          new RegExp(`^(each of |each entry of |the keys of |the number of )?${label(b.c)} (must be |conflicts with)`),
        );
      }
    }
  }
});

test("in a plan of the good cases, AWS would receive each final value exactly", () => {
  const byAddress = new Map(goodPlan.map((r) => [r.address, r.values]));
  let compared = 0;
  for (const b of built.filter((x) => x.role !== undefined && verdict(x.c))) {
    const role = byAddress.get(`aws_iam_role.${b.role?.role.friendlyUniqueId}`) ?? {};
    const policy = byAddress.get(`aws_iam_policy.${b.role?.policy.friendlyUniqueId}`) ?? {};
    const c = b.c;
    const where: Record<string, unknown> = {
      roleName: role.name,
      roleNamePrefix: role.name_prefix,
      rolePath: role.path,
      roleDescription: role.description ?? "",
      permissionsBoundary: role.permissions_boundary,
      policyName: policy.name,
      policyNamePrefix: policy.name_prefix,
      policyPath: policy.path,
      policyDescription: policy.description ?? "",
    };
    if (c.kind === "string" && c.prop in where) {
      // Terraform normalizes every string to Unicode NFC: that is what AWS receives.
      expect({ id: b.id, value: JSON.stringify(where[c.prop]) }).toEqual({
        id: b.id,
        value: JSON.stringify(text(c.parts).normalize("NFC")),
      });
      compared++;
    } else if (c.kind === "string") {
      // The place and the IDs reach the policy's two ARNs.
      const place = {
        partition: "aws",
        region: REGION,
        accountId: ACCOUNT,
        campaignId: `c${built.indexOf(b)}`,
        solutionId: `s${built.indexOf(b)}`,
        [c.prop]: text(c.parts),
      };
      const statement = (JSON.parse(policy.policy as string) as { Statement: { Resource: string[] }[] }).Statement[0];
      const arn = `arn:${place.partition}:personalize:${place.region}:${place.accountId}`;
      expect({ id: b.id, resources: statement?.Resource }).toEqual({
        id: b.id,
        resources: [`${arn}:solution/${place.solutionId}`, `${arn}:campaign/${place.campaignId}`],
      });
      compared++;
    } else if (c.kind === "tags" || c.kind === "token-tags") {
      const tags = c.kind === "tags" ? Object.fromEntries(c.entries.map(([k, v]) => [text(k), text(v)])) : c.value;
      const nfc = Object.fromEntries(Object.entries(tags).map(([k, v]) => [k.normalize("NFC"), v.normalize("NFC")]));
      expect({ id: b.id, tags: role.tags ?? {} }).toEqual({ id: b.id, tags: nfc });
      compared++;
    } else if (c.kind === "list" || c.kind === "token-list") {
      const list = c.kind === "list" ? c.elements.map(text) : c.value;
      const expected = c.prop === "trustedSourceArns" ? list : list.map((app) => `${PLACE_PREFIX}apps/${app}`);
      const trust = JSON.parse(role.assume_role_policy as string) as {
        Statement: { Condition: { ArnLike: { "aws:SourceArn": string | string[] } } }[];
      };
      const arns = trust.Statement[0]?.Condition.ArnLike["aws:SourceArn"];
      const fallback = list.length === 0 ? [`${PLACE_PREFIX}apps/*`] : expected;
      expect({ id: b.id, arns: [arns].flat().sort() }).toEqual({ id: b.id, arns: [...fallback].sort() });
      compared++;
    } else if (c.kind === "number") {
      expect({ id: b.id, duration: role.max_session_duration }).toEqual({ id: b.id, duration: c.value });
      compared++;
    }
  }
  expect(compared).toBeGreaterThan(20);
});
