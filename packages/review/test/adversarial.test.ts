import { join } from "node:path";
import { tempDirs } from "./temp";
import { Analysis } from "../src/analyze";
import { main, ReviewResult } from "../src/cli";
import { readFileSync } from "node:fs";

/**
 * Plans written to fool the review (fixtures/adversarial/), each a kind of fault it
 * once missed, reviewed through the real --dir path: every widened role fails for its own reason,
 * and the exact role passes.
 */
const temp = tempDirs();
const fixtures = join(__dirname, "fixtures", "adversarial");

async function review(dir: string): Promise<{ code: number; output: string; result: ReviewResult }> {
  const out = temp("review-out-");
  let output = "";
  const code = await main(["--dir", join(fixtures, dir), "--out", out], {
    out: (t) => (output += t),
    err: (t) => (output += t),
  });
  return { code, output, result: JSON.parse(readFileSync(join(out, "review.json"), "utf8")) as ReviewResult };
}

const runs = { widened: review("widened"), exact: review("exact") };

/** A failing role's findings (errors, and the warnings that say how it is written), as "ID: message". */
async function errorsOf(address: string): Promise<string[]> {
  const { result } = await runs.widened;
  const analysis = result.review.roles.find((r) => r.analysis.subject.role.address === address)?.analysis as Analysis;
  expect(analysis.passed).toBe(false);
  return analysis.findings.map((f) => `${f.id}: ${f.message}`);
}

const grantsOf = async (address: string) =>
  (await runs.widened).result.review.roles
    .find((r) => r.analysis.subject.role.address === address)
    ?.analysis.granted.map((g) => g.action);

describe("roles wider than the guide, each a fault the review once missed", () => {
  test("the review fails the plan, and reviews every role Pinpoint may assume", async () => {
    const { code, result } = await runs.widened;
    expect(code).toBe(1);
    expect(result.review.notReviewed.map((r) => r.address).sort()).toEqual([
      "aws_iam_role.attribute_path_carrier",
      "aws_iam_role.chained",
      "aws_iam_role.crossed[1]",
      "aws_iam_role.decoy",
      "aws_iam_role.reporting",
      "module.splat.aws_iam_role.helper",
    ]);
  });

  test.each([
    [
      "an AWS managed policy's ARN beside a plan policy of the same name: the ARN's account decides",
      "aws_iam_role.managed_arn",
      "ROLE-GRANTS: aws_iam_role_policy_attachment.managed_arn attaches arn:aws:iam::aws:policy/AdministratorAccess, which this plan neither creates",
    ],
    [
      "a function of a policy's ARN is not that policy",
      "aws_iam_role.function_of_arn",
      'aws_iam_role_policy_attachment.function_of_arn.policy_arn is the expression "${replace(aws_iam_policy.guide.arn',
    ],
    [
      "an inline_policy block and an aws_iam_role_policy of one name: both count, and the role fails",
      "aws_iam_role.same_inline_name",
      "ROLE-ACCESS-LOSS: aws_iam_role_policy.same_inline_name and aws_iam_role.same_inline_name.inline_policy",
    ],
    [
      "a conditional between two roles cannot be placed",
      "aws_iam_role.conditional",
      'aws_iam_role_policy.conditional.role is the expression "${var.to_lambda ? aws_iam_role.decoy.name : aws_iam_role.conditional.id}"',
    ],
    [
      "a coalesce through another resource's output cannot be placed",
      "aws_iam_role.conditional",
      "aws_iam_role_policy.coalesced.role is the expression",
    ],
    [
      "a dynamic block with an unquoted label is read by HCL's own parser",
      "aws_iam_role.dynamic_unquoted",
      "aws_iam_role.dynamic_unquoted.inline_policy is unknown until apply, and the configuration fills it with a dynamic block",
    ],
    [
      "a dynamic block in a .tf.json file written as a list",
      "aws_iam_role.dynamic_json_array",
      "aws_iam_role.dynamic_json_array.inline_policy is unknown until apply, and the configuration fills it with a dynamic block",
    ],
    [
      "a bucket policy that names the role",
      "aws_iam_role.granted_elsewhere",
      "ROLE-GRANTS: aws_s3_bucket_policy.data.policy is a resource policy that names the role",
    ],
    [
      "another role's trust that names the role (role chaining)",
      "aws_iam_role.granted_elsewhere",
      "ROLE-GRANTS: aws_iam_role.chained.assume_role_policy is a resource policy that names the role",
    ],
    [
      "a campaign in another account than the plan's",
      "aws_iam_role.other_account",
      "ROLE-GRANTS: The campaign is in account 444455556666, but the plan's is 111122223333.",
    ],
    [
      "a policy document reached through an aws_iam_policy_document data source that names the role",
      "aws_iam_role.via_document",
      "ROLE-GRANTS: aws_s3_bucket_policy.via_document.policy is a resource policy unknown until apply that refers to the role",
    ],
    [
      "a resource policy that reaches the role through a local",
      "aws_iam_role.via_local",
      "ROLE-GRANTS: aws_sqs_queue_policy.via_local.policy is a resource policy unknown until apply that refers to the role",
    ],
    [
      'a resource policy whose Principal is "*", narrowed to the role by a condition',
      "aws_iam_role.star_principal",
      "ROLE-GRANTS: aws_s3_bucket_policy.star_principal.policy is a resource policy that lets any principal s3:* under conditions the role's sessions can meet",
    ],
    [
      "a policy attached through a map in a local, by key",
      "aws_iam_role.map_local",
      'IAM-ADMIN: Permissions statement 0 of aws_iam_policy.read_everything grants full access: "dynamodb:*".',
    ],
    [
      "a policy attached inside a module, to a role picked by a splat",
      "module.splat.aws_iam_role.pinpoint[0]",
      'IAM-ADMIN: Permissions statement 0 of aws_iam_policy.splat_admin grants full access: "*".',
    ],
    [
      "a role named by a tag of another role is not that role",
      "aws_iam_role.attribute_path",
      'aws_iam_role_policy_attachment.attribute_path.role comes from aws_iam_role.attribute_path_carrier.tags["target"], which names no aws_iam_role',
    ],
    [
      "a policy's description is not its ARN",
      "aws_iam_role.policy_attribute_path",
      "aws_iam_role_policy_attachment.policy_attribute_path.policy_arn comes from aws_iam_policy.carrier.description",
    ],
    [
      "an override file replaces the attachment's policy, as Terraform merges it",
      "aws_iam_role.overridden",
      'IAM-ADMIN: Permissions statement 0 of aws_iam_policy.admin grants full access: "*".',
    ],
    [
      "a file Terraform ignores (.decoy.tf) moves nothing",
      "aws_iam_role.hidden_file",
      'IAM-ADMIN: Permissions statement 0 of aws_iam_policy.admin grants full access: "*".',
    ],
    [
      "a resource policy in a nested block that names the role",
      "aws_iam_role.resource_policies",
      "ROLE-GRANTS: aws_s3control_multi_region_access_point_policy.nested.details[0].policy is a resource policy that names the role",
    ],
    [
      "a resource policy open to anyone, narrowed by a wildcard that matches the role",
      "aws_iam_role.resource_policies",
      "ROLE-GRANTS: aws_s3_bucket_policy.arn_like.policy is a resource policy that lets any principal s3:* under conditions the role's sessions can meet",
    ],
    [
      "a resource policy naming the role in other letter case",
      "aws_iam_role.resource_policies",
      "ROLE-GRANTS: aws_s3_bucket_policy.letter_case.policy is a resource policy that names the role",
    ],
    [
      "a resource policy open to every principal of the role's account",
      "aws_iam_role.resource_policies",
      "ROLE-GRANTS: aws_sqs_queue.whole_account.policy is a resource policy that lets any principal sqs:SendMessage",
    ],
    [
      "a resource policy unknown until apply, naming the role by a literal ARN",
      "aws_iam_role.resource_policies_more",
      "ROLE-GRANTS: aws_sqs_queue_policy.literal_arn.policy is a resource policy unknown until apply: what it grants cannot be read",
    ],
    [
      "a resource policy that reaches the role through another resource (terraform_data)",
      "aws_iam_role.resource_policies_more",
      "ROLE-GRANTS: aws_s3_bucket_policy.through_resource.policy is a resource policy unknown until apply that refers to the role",
    ],
    [
      "a resource policy unknown until apply in a nested block",
      "aws_iam_role.resource_policies_more",
      "ROLE-GRANTS: aws_s3control_multi_region_access_point_policy.nested_unknown.details[0].policy is a resource policy unknown until apply that refers to the role",
    ],
    [
      "NotPrincipal leaving out one session of the role lets its other sessions in",
      "aws_iam_role.resource_policies_more",
      "ROLE-GRANTS: aws_s3_bucket_policy.not_principal.policy is a resource policy that lets any principal s3:GetObject",
    ],
    [
      "a resource policy in another language than IAM's that names the role",
      "aws_iam_role.resource_policies_more",
      "ROLE-GRANTS: aws_opensearchserverless_access_policy.other_language.policy is a resource policy that names the role",
    ],
    [
      "a resource policy under another argument name, unknown until apply",
      "aws_iam_role.trust_apps_anywhere",
      "ROLE-GRANTS: aws_ecr_repository_creation_template.other_argument.repository_policy is a resource policy unknown until apply that refers to the role",
    ],
  ])("%s", async (_name, address, expected) => {
    expect((await errorsOf(address)).some((e) => e.includes(expected))).toBe(true);
  });

  test("a resource policy narrowed to another role by a condition grants the role nothing", async () => {
    expect((await errorsOf("aws_iam_role.resource_policies")).filter((e) => e.includes("other_role"))).toEqual([]);
  });

  test("an index computed from count.index may put the broad policy on either role: the Pinpoint role fails for it", async () => {
    // The names are generated (name_prefix), so the plan cannot tell which role [1 - count.index] is.
    expect((await errorsOf("aws_iam_role.crossed[0]")).join("\n")).toMatch(
      /names a role the review cannot place: .*aws_iam_role\.crossed\[1 - count\.index\], one of its 2 instances, by an index the review does not evaluate/,
    );
  });

  test("an inline policy written twice counts with both documents", async () => {
    expect(await grantsOf("aws_iam_role.same_inline_name")).toContain("personalize:CreateCampaign");
  });

  /** The requests to assume a role that its trust allows and should not: the decision's counterexamples. */
  const trustDifferences = async (address: string) => {
    const { result } = await runs.widened;
    const analysis = result.review.roles.find((r) => r.analysis.subject.role.address === address)?.analysis;
    expect(analysis?.passed).toBe(false);
    return (analysis?.differences ?? []).filter(
      (d) => d.question === "trust" && d.principal === "pinpoint.amazonaws.com" && d.outcome === "Allowed",
    );
  };
  const sourceParts = (d: { context: Record<string, unknown> }) => String(d.context["aws:SourceArn"]).split(":");

  test.each([
    [
      "a second trust statement narrowing aws:SourceArn twice admits projects in other Regions",
      "aws_iam_role.trust_other_regions",
    ],
    ["a list of Region shapes on aws:SourceArn admits projects in other Regions", "aws_iam_role.trust_region_shapes"],
  ])("%s", async (_name, address) => {
    const other = (await trustDifferences(address)).filter((d) => sourceParts(d)[3] !== "us-east-1");
    expect(
      other.map((d) => [sourceParts(d)[2], sourceParts(d)[4], /^apps\//.test(sourceParts(d).slice(5).join(":"))]),
    ).toContainEqual(["mobiletargeting", "111122223333", true]);
  });

  test('a StringLike on "apps/" anywhere in the source ARN admits what is no project', async () => {
    const differences = await trustDifferences("aws_iam_role.trust_apps_anywhere");
    expect(differences.some((d) => !/^(apps|recommenders)\//.test(sourceParts(d).slice(5).join(":")))).toBe(true);
  });

  test("a permissions boundary in the plan that takes away the guide's access", async () => {
    const { result } = await runs.widened;
    const analysis = result.review.roles.find(
      (r) => r.analysis.subject.role.address === "aws_iam_role.narrowed_by_boundary",
    )?.analysis;
    expect(
      analysis?.differences.filter((d) => d.expected === "Allowed").map((d) => [d.action, d.resource, d.outcome]),
    ).toContainEqual([
      "personalize:GetRecommendations",
      "arn:aws:personalize:us-east-1:111122223333:campaign/books",
      "Denied",
    ]);
  });

  test("a trust in policy language 2008-10-17 reads ${...} as text, as IAM does: its condition narrows nothing", async () => {
    const differences = await trustDifferences("aws_iam_role.version_2008");
    expect(differences.some((d) => d.context["aws:SourceAccount"] !== "111122223333")).toBe(true);
  });

  test("a trust that also lets Pinpoint assume the role for its templates, neither a project nor a recommender, fails", async () => {
    const differences = await trustDifferences("aws_iam_role.templates");
    expect(differences.some((d) => String(d.context["aws:SourceArn"]).includes(":templates/"))).toBe(true);
  });

  test("Pinpoint acting for an account that no fixed list of probes names is found, and refused by none", async () => {
    const differences = await trustDifferences("aws_iam_role.negated");
    expect(differences.some((d) => /^(?!111122223333)\d{12}$/.test(String(d.context["aws:SourceAccount"])))).toBe(true);
  });
});

describe("a role exactly as the guide, written in a way that once raised a false alarm", () => {
  test("each role passes with exactly the guide's three pairs", async () => {
    const { code, output, result } = await runs.exact;
    expect({ code, output: code === 0 ? "" : output }).toEqual({ code: 0, output: "" });
    expect(
      result.review.roles.map((r) => [r.analysis.subject.role.address, r.analysis.granted.map((g) => g.action).sort()]),
    ).toEqual(
      [
        "aws_iam_role.bounded",
        "aws_iam_role.narrowed_twice",
        "aws_iam_role.narrowed_twice_two_values",
        'aws_iam_role.narrowing["is_service"]',
        'aws_iam_role.narrowing["secure_transport"]',
        'aws_iam_role.narrowing["service_name"]',
        "aws_iam_role.this",
        "aws_iam_role.unknown_name",
      ].map((address) => [
        address,
        ["personalize:DescribeCampaign", "personalize:DescribeSolution", "personalize:GetRecommendations"],
      ]),
    );
  });
});
