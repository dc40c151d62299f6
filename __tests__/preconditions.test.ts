import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App, TerraformLocal, TerraformStack, TerraformVariable } from "cdktf";
import { PinpointPersonalizeRole, PinpointPersonalizeRoleProps } from "../lib";
import { planFailures, PlanFailures } from "../test-support/plan-failures";
import { synthDirs } from "../test-support/synth";
import { EXAMPLE_PLACE, terraformInit, withOfflineProvider } from "../tools/offline-plan";
import { validation, Validation } from "../tools/terraform";

/**
 * A token input (a variable, a local, in a user's app another resource's attribute) cannot be
 * checked at construct time: the construct's preconditions make Terraform refuse it at plan time,
 * before any policy is rendered, wherever the token sits. Each case is a way a cdktf app is
 * really written; all of them in one configuration, validated and planned once.
 */
const synthDir = synthDirs();

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
} as const;

type Vars = { [K in keyof typeof VALUES]: TerraformVariable };

const CASES: [id: string, props: (v: Vars) => Partial<PinpointPersonalizeRoleProps>, messages: string[]][] = [
  ["Wildcard", (v) => ({ campaignId: v.star.stringValue }), [`${CAMPAIGN_RULE} Received "*".`]],
  // The first case: a token as one element of a literal list was never checked.
  ["SourceElement", (v) => ({ trustedSourceArns: [v.star.stringValue] }), [`${SOURCE_ARN_RULE} Received ["*"].`]],
  [
    "AppElement",
    (v) => ({ pinpointApplicationIds: ["abc123", v.app.stringValue] }),
    [
      "each of pinpointApplicationIds must be an Amazon Pinpoint project ID: 1-64 letters and digits, " +
        'as the Pinpoint console shows it. Received ["*"].',
    ],
  ],
  // The second case: text joined with a token; valid here ("prod-books").
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
];

let failures: PlanFailures;
let valid: Validation;

beforeAll(async () => {
  const dir = synthDir((app: App) => {
    const stack = new TerraformStack(app, "tokens");
    new AwsProvider(stack, "aws", {});
    const v = Object.fromEntries(
      Object.entries(VALUES).map(([name, value]) => [
        name,
        new TerraformVariable(stack, name, { type: typeof value === "number" ? "number" : "string" }),
      ]),
    ) as Vars;
    // A local too, as in the first release's test: a token of another kind.
    const local = new TerraformLocal(stack, "local_campaign", "*");
    new PinpointPersonalizeRole(stack, "Local", {
      campaignId: local.asString,
      solutionId: "s",
      roleName: "local",
      policyName: "local",
    });
    CASES.forEach(([id, props], i) => {
      new PinpointPersonalizeRole(stack, id, {
        campaignId: `c${i}`,
        solutionId: `s${i}`,
        roleName: `r${i}`,
        policyName: `p${i}`,
        ...props(v),
      });
    });
    return stack;
  });
  const vars = Object.entries(VALUES).map(([name, value]) => `-var=${name}=${value}`);
  await withOfflineProvider(dir, EXAMPLE_PLACE, async (env) => {
    await terraformInit(dir, env);
    valid = validation(dir);
    failures = await planFailures(dir, vars, env);
  });
});

test("terraform validate accepts every case: no precondition is broken HCL (length(var.env-books) was)", () => {
  expect(valid).toEqual({ valid: true, warnings: 0, diagnostics: [] });
});

test.each(CASES.map(([id, , messages]) => [id, messages] as const))(
  "%s: the plan's errors for this role are exactly its rule's, with the value received",
  (id, messages) => {
    expect(failures.byConstruct.get(id) ?? []).toEqual(messages);
  },
);

test("a local is refused the same way, and nothing else fails", () => {
  expect(failures.byConstruct.get("Local")).toEqual([`${CAMPAIGN_RULE} Received "*".`]);
  expect(failures.unattributed).toEqual([]);
  expect(failures.code).toBe(1);
});
