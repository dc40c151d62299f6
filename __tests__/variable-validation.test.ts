import { VariablesPlan } from "../test-support/variables-plan";

/** Bad variable values through real Terraform's validation blocks. */
let variables: VariablesPlan;
beforeAll(() => (variables = new VariablesPlan()));
afterAll(() => variables.dispose());
const plan = (values: Record<string, unknown>) => variables.plan(values);

const CAMPAIGN_RULE =
  "campaign_id must be an Amazon Personalize campaign name: 1-63 characters, only letters, digits, '-' and '_', " +
  "starting with a letter or digit.";
const SOLUTION_RULE = CAMPAIGN_RULE.replace(/campaign/g, "solution");
const TAG_ENTRY_RULE =
  "each entry of tags must be an IAM tag key: 1-128 letters, digits, spaces and _.:/=+@-, not starting with aws: " +
  "in any letter case, mapped to an IAM tag value: at most 256 letters, digits, spaces and _.:/=+@-, not starting " +
  "with aws: in any letter case.";
const TAG_KEYS_RULE =
  "the keys of tags must be distinct ignoring letter case (IAM compares a role's tag keys case-insensitively: " +
  '"Duplicate tag keys found").';

const rejected: [string, Record<string, unknown>, string[]][] = [
  ["a * wildcard", { campaign_id: "*" }, [`${CAMPAIGN_RULE} Received "*".`]],
  ["a ? wildcard", { solution_id: "sol?" }, [`${SOLUTION_RULE} Received "sol?".`]],
  ["a trailing wildcard", { campaign_id: "my-campaign*" }, [`${CAMPAIGN_RULE} Received "my-campaign*".`]],
  ["a slash", { campaign_id: "a/b" }, [`${CAMPAIGN_RULE} Received "a/b".`]],
  ["a colon", { solution_id: "a:b" }, [`${SOLUTION_RULE} Received "a:b".`]],
  ["a space", { campaign_id: "my campaign" }, [`${CAMPAIGN_RULE} Received "my campaign".`]],
  ["a newline", { campaign_id: "a\nb" }, [`${CAMPAIGN_RULE} Received "a\\nb".`]],
  ["an empty string", { campaign_id: "" }, [`${CAMPAIGN_RULE} Received "".`]],
  ["64 characters", { campaign_id: "a".repeat(64) }, [`${CAMPAIGN_RULE} Received "${"a".repeat(64)}".`]],
  ["non-ASCII", { solution_id: "solución" }, [`${SOLUTION_RULE} Received "solución".`]],
  ["a template", { campaign_id: "${var.x}" }, [`${CAMPAIGN_RULE} Received "\${var.x}".`]],
  [
    "a template directive",
    { solution_id: "%{if true}x%{endif}" },
    [`${SOLUTION_RULE} Received "%{if true}x%{endif}".`],
  ],
  ["a leading underscore", { campaign_id: "_camp" }, [`${CAMPAIGN_RULE} Received "_camp".`]],
  [
    "a campaign ARN",
    { campaign_id: "arn:aws:personalize:us-east-1:111122223333:campaign/my-campaign" },
    [
      'campaign_id must be the campaign name (the part after "campaign/" in its ARN), not an ARN. ' +
        'Received "arn:aws:personalize:us-east-1:111122223333:campaign/my-campaign".',
      `${CAMPAIGN_RULE} Received "arn:aws:personalize:us-east-1:111122223333:campaign/my-campaign".`,
    ],
  ],
  [
    "a wildcard project ID",
    { pinpoint_application_ids: ["abc", "*"] },
    [
      "each of pinpoint_application_ids must be an Amazon Pinpoint project ID: 1-64 letters and digits, " +
        'as the Pinpoint console shows it. Received ["abc","*"].',
    ],
  ],
  [
    "a source ARN of every account",
    { trusted_source_arns: ["arn:aws:mobiletargeting:us-east-1:*:apps/*"] },
    [
      "each of trusted_source_arns must be an Amazon Pinpoint ARN in one Region and account, " +
        "arn:<partition>:mobiletargeting:<region>:<12-digit account ID>:<resource>, the resource made of letters, " +
        'digits and /_.-, with * as the only wildcard. Received ["arn:aws:mobiletargeting:us-east-1:*:apps/*"].',
    ],
  ],
  [
    "both project IDs and source ARNs",
    {
      pinpoint_application_ids: ["abc"],
      trusted_source_arns: ["arn:aws:mobiletargeting:us-east-1:111122223333:recommenders/*"],
    },
    ["pinpoint_application_ids conflicts with trusted_source_arns: set one or the other, not both."],
  ],
  [
    "adopting with a generated name",
    { adopt_existing_resources: true, use_name_prefix: true },
    [
      "adopt_existing_resources must be false when use_name_prefix or policy_use_name_prefix is true: " +
        "a generated name belongs to no existing resource.",
    ],
  ],
  [
    "a 65-character role name",
    { name: "r".repeat(65) },
    [`name must be an IAM role name: 1-64 characters, only letters, digits and +=,.@_-. Received "${"r".repeat(65)}".`],
  ],
  [
    "a 39-character role name prefix",
    { name: "p".repeat(39), use_name_prefix: true },
    [
      "name (with use_name_prefix) must be an IAM role name prefix: 1-38 characters (the provider appends 26), " +
        `only letters, digits and +=,.@_-. Received "${"p".repeat(39)}".`,
    ],
  ],
  [
    "a policy name with a slash",
    { policy_name: "a/b" },
    ['policy_name must be an IAM policy name: 1-128 characters, only letters, digits and +=,.@_-. Received "a/b".'],
  ],
  [
    "a role path without a trailing slash",
    { path: "/pinpoint" },
    [
      'path must be an IAM role path: "/" or printable ASCII that begins and ends with "/", at most 512 characters. ' +
        'Received "/pinpoint".',
    ],
  ],
  [
    "an empty policy path segment",
    { policy_path: "//" },
    [
      'policy_path must be an IAM policy path: "/" or segments of letters, digits and .,+@=_- each after a "/", ' +
        'ending with "/", at most 512 characters. Received "//".',
    ],
  ],
  [
    "a 1001-character description",
    { description: "d".repeat(1001) },
    [
      "description must be an IAM role description: at most 1000 characters of printable Latin-1, tab or newline, " +
        "and at most 1000 bytes of UTF-8 (hashicorp/aws's limit: a non-ASCII letter such as é takes 2). " +
        `Received "${"d".repeat(1001)}".`,
    ],
  ],
  [
    "a 3599-second session",
    { max_session_duration: 3599 },
    ["max_session_duration must be a whole number of seconds from 3600 to 43200 (1 to 12 hours). Received 3599."],
  ],
  [
    "a role ARN as the boundary",
    { permissions_boundary: "arn:aws:iam::111122223333:role/admin" },
    [
      "permissions_boundary must be an IAM managed policy ARN, arn:<partition>:iam::<account ID or aws>:policy<path><name> " +
        "with the characters IAM allows in a policy path and name, 20-2048 characters. " +
        'Received "arn:aws:iam::111122223333:role/admin".',
    ],
  ],
  [
    "51 tags",
    { tags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"])) },
    ["the number of tags must be at most 50. Received 51."],
  ],
  ["a tag value with template syntax", { tags: { team: "${x}" } }, [`${TAG_ENTRY_RULE} Received {"team":"\${x}"}.`]],
  // IAM reserves aws: in tag keys and values, in any letter case (IAM User Guide, Tags for IAM resources).
  [
    "a tag key in IAM's reserved aws: prefix",
    { tags: { "AWS:team": "growth" } },
    [`${TAG_ENTRY_RULE} Received {"AWS:team":"growth"}.`],
  ],
  [
    "a tag value in the reserved prefix",
    { tags: { team: "Aws:growth" } },
    [`${TAG_ENTRY_RULE} Received {"team":"Aws:growth"}.`],
  ],
  // IAM: "Duplicate tag keys found. Please note that Tag keys are case insensitive." (InvalidInput)
  [
    "tag keys that differ only in case",
    { tags: { Team: "a", team: "b" } },
    [`${TAG_KEYS_RULE} Received ["Team","team"].`],
  ],
  [
    "a description over hashicorp/aws's 1000 bytes",
    { description: "é".repeat(501) },
    [
      "description must be an IAM role description: at most 1000 characters of printable Latin-1, tab or newline, " +
        "and at most 1000 bytes of UTF-8 (hashicorp/aws's limit: a non-ASCII letter such as é takes 2). " +
        `Received "${"é".repeat(501)}".`,
    ],
  ],
  [
    "a boundary whose policy name IAM cannot hold",
    { permissions_boundary: "arn:aws:iam::111122223333:policy/a b" },
    [
      "permissions_boundary must be an IAM managed policy ARN, arn:<partition>:iam::<account ID or aws>:policy<path><name> " +
        "with the characters IAM allows in a policy path and name, 20-2048 characters. " +
        'Received "arn:aws:iam::111122223333:policy/a b".',
    ],
  ],
];

test.concurrent.each(rejected)("plan refuses %s with the validation's message", async (_name, values, messages) => {
  const result = await plan(values);
  expect(result.errors).toEqual(messages);
  expect(result.code).toBe(1);
});

const accepted: [string, Record<string, unknown>][] = [
  ["1-character IDs", { campaign_id: "a", solution_id: "0" }],
  ["63-character IDs", { campaign_id: "c".repeat(63), solution_id: "S".repeat(63) }],
  ["IDs with - and _", { campaign_id: "my-campaign_2", solution_id: "a_b-c" }],
  ["project IDs", { pinpoint_application_ids: ["0123456789abcdef0123456789abcdef"] }],
  [
    "recommender source ARNs",
    { trusted_source_arns: ["arn:aws:mobiletargeting:us-east-1:111122223333:recommenders/*"] },
  ],
  ["a 64-character role name", { name: "r".repeat(64) }],
  ["a 38-character prefix", { name: "p".repeat(38), use_name_prefix: true }],
  ["a 128-character policy name", { policy_name: "p".repeat(128) }],
  ["nested paths", { path: "/a/b/", policy_path: "/a/b/" }],
  ["a 1000-character description", { description: "d".repeat(1000), policy_description: "d".repeat(1000) }],
  ["500 two-byte Latin-1 letters", { description: "é".repeat(500) }],
  ["a policy description of 1000 characters of any script", { policy_description: "名".repeat(1000) }],
  ["tags with aws inside, not as a prefix", { tags: { "team-aws:x": "my aws: value", awsTeam: "aws" } }],
  ["a boundary with a path", { permissions_boundary: "arn:aws:iam::111122223333:policy/team/boundaries/Boundary_1" }],
  ["a 12-hour session", { max_session_duration: 43200 }],
  ["a boundary", { permissions_boundary: "arn:aws:iam::aws:policy/PowerUserAccess" }],
  ["50 tags", { tags: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k ${i}`, "v:/=+@-._"])) }],
  ["adopting with fixed names", { adopt_existing_resources: true }],
  ["null optional values", { description: null, permissions_boundary: null, policy_description: null }],
];

test.concurrent.each(accepted)("plan accepts %s", async (_name, values) => {
  expect(await plan(values)).toEqual({ code: 0, errors: [] });
});
