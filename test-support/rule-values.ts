import * as fc from "fast-check";

// Values for property tests: for each input, values its rule accepts, and values close to them
// that it may not (a dangerous fragment inserted, emptied, repeated past the length limit).

const LETTERS = [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"];
const DIGITS = [..."0123456789"];
const IAM_NAME = [...LETTERS, ...DIGITS, ..."+=,.@_-"];
const POLICY_PATH_SEGMENT = [...LETTERS, ...DIGITS, ...".,+@=_-"];
const PRINTABLE_ASCII = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i));
const LATIN1 = [
  ...Array.from({ length: 0x7e - 0x20 + 1 }, (_, i) => String.fromCharCode(0x20 + i)),
  ...Array.from({ length: 0xff - 0xa1 + 1 }, (_, i) => String.fromCharCode(0xa1 + i)),
  "\t",
  "\n",
];
const TAG = [...LETTERS, ...DIGITS, ..." _.:/=+@-", "é", "名", "Ω", "٣", "\u00a0"];

const chars = (alphabet: readonly string[], minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...alphabet), minLength, maxLength });

export const ACCOUNT = "111122223333";
export const REGION = "us-east-1";

/** Values each rule accepts, by the construct's prop name. */
export const VALID = {
  campaignId: fc
    .tuple(fc.constantFrom(...LETTERS, ...DIGITS), chars([...LETTERS, ...DIGITS, "-", "_"], 0, 30))
    .map(([a, b]) => a + b),
  solutionId: fc
    .tuple(fc.constantFrom(...LETTERS, ...DIGITS), chars([...LETTERS, ...DIGITS, "-", "_"], 0, 30))
    .map(([a, b]) => a + b),
  partition: fc.constantFrom("aws", "aws-cn", "aws-us-gov"),
  region: fc.constantFrom("us-east-1", "eu-west-1", "us-gov-west-1", "ap-southeast-2"),
  accountId: chars(DIGITS, 12, 12),
  roleName: chars(IAM_NAME, 1, 64),
  roleNamePrefix: chars(IAM_NAME, 1, 38),
  policyName: chars(IAM_NAME, 1, 128),
  policyNamePrefix: chars(IAM_NAME, 1, 102),
  rolePath: fc.oneof(
    fc.constant("/"),
    chars(PRINTABLE_ASCII, 1, 40).map((s) => `/${s}/`),
  ),
  policyPath: fc
    .array(chars(POLICY_PATH_SEGMENT, 1, 12), { maxLength: 4 })
    .map((s) => `/${s.map((x) => `${x}/`).join("")}`),
  roleDescription: chars(LATIN1, 0, 120),
  policyDescription: fc.string({ unit: "grapheme", maxLength: 80 }),
  permissionsBoundary: fc
    .tuple(
      fc.constantFrom(ACCOUNT, "aws"),
      fc.array(chars(POLICY_PATH_SEGMENT, 1, 8), { maxLength: 2 }),
      chars(IAM_NAME, 1, 30),
    )
    .map(([account, path, name]) => `arn:aws:iam::${account}:policy/${path.map((p) => `${p}/`).join("")}${name}`),
  pinpointApplicationId: chars([..."0123456789abcdef"], 32, 32),
  trustedSourceArn: fc
    .tuple(fc.constantFrom("apps", "recommenders"), fc.oneof(fc.constant("*"), chars([..."0123456789abcdef"], 32, 32)))
    .map(([kind, id]) => `arn:aws:mobiletargeting:${REGION}:${ACCOUNT}:${kind}/${id}`),
  tagKey: chars(TAG, 1, 40),
  tagValue: chars(TAG, 0, 60),
};

/** Fragments that break some rule somewhere: wildcards, separators, template syntax, reserved prefixes. */
export const DANGEROUS = [
  "*",
  "?",
  " ",
  "$",
  "${x}",
  "%{y}",
  "%",
  "{",
  "}",
  "arn:",
  "aws:",
  "AWS:",
  "é",
  "名",
  "/",
  ":",
  "\n",
  "\u007f",
  '"',
  "\\",
  "e\u0301",
];

/** A value the rule accepts, or one close to it that it may refuse. */
export function nearValid(valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: valid },
    {
      weight: 4,
      arbitrary: fc.tuple(valid, fc.constantFrom(...DANGEROUS), fc.nat()).map(([v, d, at]) => {
        // At a character boundary (code points), never inside a surrogate pair.
        const units = [...v];
        const i = at % (units.length + 1);
        return units.slice(0, i).join("") + d + units.slice(i).join("");
      }),
    },
    { weight: 1, arbitrary: fc.constant("") },
    { weight: 1, arbitrary: valid.map((v) => v.repeat(5)) },
  );
}
