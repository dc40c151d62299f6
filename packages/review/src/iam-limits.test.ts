import { argumentRefusals, documentRefusal, policySize } from "./iam-limits";
import { Instance } from "./plan-model";

const instance = (values: Record<string, unknown>, type = "aws_iam_policy"): Instance =>
  ({ address: `${type}.x`, type, values, unknown: {}, actions: ["create"] }) as unknown as Instance;

test("a policy's size is its characters other than white space, counted as code points", () => {
  expect(policySize('{ "Version": "2012-10-17",\n\t"Statement": [] }')).toBe(39);
  expect(policySize("é\u{1F600} x")).toBe(3);
});

test("a document may hold tab, line feed, carriage return and U+0020 to U+00FF, nothing else", () => {
  expect(documentRefusal('{"a":"café\\t\t\n\r ÿ"}')).toBeUndefined();
  expect(documentRefusal('{"a":"€0"}')).toMatch(
    /^its document holds "€" \(U\+20AC\), and a policy document may hold only/,
  );
  expect(documentRefusal('{"a":"\u0001"}')).toMatch(/\(U\+0001\)/);
});

test("paths and tags as IAM takes them; the provider's own aws: tags are left out of what it sends", () => {
  expect(argumentRefusals(instance({ path: "/", tags_all: { Team: "Données", "a:b/c=d+e-f@g": "x y" } }))).toEqual([]);
  expect(argumentRefusals(instance({ path: "/team/recs/" }))).toEqual([]);
  expect(argumentRefusals(instance({ path: "/guard" }))).toEqual([
    'its path "/guard" is not / or segments of letters, digits and .,+@=_- between slashes (ValidationError)',
  ]);
  // A policy's path is narrower than a role's (CreatePolicy's pattern against CreateRole's).
  expect(argumentRefusals(instance({ path: "/guard#1/" }))).toHaveLength(1);
  expect(argumentRefusals(instance({ path: "/guard#1/" }, "aws_iam_role"))).toEqual([]);
  expect(argumentRefusals(instance({ path: "/guard" }, "aws_iam_role"))).toEqual([
    'its path "/guard" is not / or text between two slashes (ValidationError)',
  ]);
  expect(argumentRefusals(instance({ path: "//" }))).toHaveLength(1);
  expect(argumentRefusals(instance({ description: "d".repeat(1001) }))).toEqual([
    "its description has 1001 characters, over IAM's 1000",
  ]);
  const tags = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"]));
  expect(argumentRefusals(instance({ tags }))).toEqual(["it has 51 tags, over IAM's 50 (LimitExceeded)"]);
  expect(argumentRefusals(instance({ tags: { Team: "aws:platform" } }))).toEqual([
    'its tag "Team" has a value that starts with aws:, which IAM reserves (InvalidInput)',
  ]);
  expect(argumentRefusals(instance({ tags: { Owner: "books|recs" } }))).toEqual([
    'its tag "Owner" has the value "books|recs", not up to 256 letters, spaces, digits or _.:/=+-@',
  ]);
  expect(argumentRefusals(instance({ tags_all: { "aws:cloudformation:stack": "x|y" } }))).toEqual([]);
  expect(argumentRefusals(instance({ tags: { ["k".repeat(129)]: "v" } }))).toHaveLength(1);
  expect(argumentRefusals(instance({ tags: { k: "v".repeat(257) } }))).toHaveLength(1);
});
