import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tempDirs } from "../test-support/temp";
import { join } from "node:path";
import { readmeCodeBlocks } from "../test-support/readme";
import {
  configured,
  expectSameConfiguration,
  installFixture,
  npmPack,
  synthesizeApp,
} from "../test-support/consumer-app";
import { cdktfPeers, installConsumerProject } from "../tools/consumer-project";
import { readJson } from "../test-support/synth";
import { TerraformJson } from "../tools/synthesized";
import { main as review, ReviewResult } from "../packages/review/src/cli";

/**
 * The construct library as a consumer gets it: the `npm pack` tarball, installed into a new
 * cdktf app whose main.ts is the README's library example, compiled against the packaged
 * declarations, run, and synthesized; then the same on hashicorp/aws 6.x (@cdktf/provider-aws
 * 21.x); then reviewed offline. The same app's `cdktf deploy`, its convergence and its destruction
 * against the IAM double open and close cdktn.test.ts's story, which also tests CDK Terrain's package.
 */
const root = join(__dirname, "..");
const temp = tempDirs();
let work: string;
let tarball: string;
let packed: string[];

beforeAll(() => {
  work = temp("consumer-");
  ({ tarball, files: packed } = npmPack(root, work));
});

test("the tarball holds the compiled library with its declarations and its jsii assembly, and nothing else", () => {
  expect(packed).toEqual([
    ".jsii",
    "LICENSE",
    "README.md",
    "dist/lib/addresses.d.ts",
    "dist/lib/addresses.js",
    "dist/lib/backend.d.ts",
    "dist/lib/backend.js",
    "dist/lib/index.d.ts",
    "dist/lib/index.js",
    "dist/lib/inputs.d.ts",
    "dist/lib/inputs.js",
    "dist/lib/pinpoint-personalize-role.d.ts",
    "dist/lib/pinpoint-personalize-role.js",
    "dist/lib/pinpoint-personalize-stack.d.ts",
    "dist/lib/pinpoint-personalize-stack.js",
    "dist/lib/place.d.ts",
    "dist/lib/place.js",
    "dist/lib/rules.d.ts",
    "dist/lib/rules.js",
    "dist/lib/synth-checks.d.ts",
    "dist/lib/synth-checks.js",
    "package.json",
  ]);
});

const example = readmeCodeBlocks("ts").find((block) => block.includes('from "pinpoint-personalize-role"')) ?? "";
let stackDir: string;
/** The README example's stack on this project's toolchain (cdktf 0.21, @cdktf/provider-aws 20.x). */
let onAws5: TerraformJson;

test("a consumer app installs it, compiles the README's example against it, and synthesizes two roles", () => {
  const app = join(work, "app");
  stackDir = join(app, "cdktf.out", "stacks", "recommendations");
  mkdirSync(app);
  installConsumerProject(app, "consumer", { "pinpoint-personalize-role": `file:${tarball}`, ...cdktfPeers() });

  expect(example).toContain("new PinpointPersonalizeRole(");
  const json = synthesizeApp(app, example, "recommendations");
  onAws5 = json;
  const addresses = (type: string) => Object.keys(json.resource?.[type] ?? {}).map((name) => `${type}.${name}`);
  // Distinct, and stable: cdktf derives them from the construct path, so they are locked here.
  expect([
    ...addresses("aws_iam_role"),
    ...addresses("aws_iam_policy"),
    ...addresses("aws_iam_role_policy_attachment"),
  ]).toEqual([
    "aws_iam_role.Books_Role_7AB8C5AE",
    "aws_iam_role.Movies_Role_12953A84",
    "aws_iam_policy.Books_Policy_C6B998A5",
    "aws_iam_policy.Movies_Policy_E40D82EC",
    "aws_iam_role_policy_attachment.Books_Attachment_B8BF5DFA",
    "aws_iam_role_policy_attachment.Movies_Attachment_5B65D1FB",
  ]);
  const role = (name: string) => json.resource?.aws_iam_role?.[name];
  expect([role("Books_Role_7AB8C5AE")?.name, role("Movies_Role_12953A84")?.name_prefix]).toEqual([
    "PinpointRoleforBooks",
    "pinpoint-movies-",
  ]);
  const statements = Object.values(json.data?.aws_iam_policy_document ?? {})
    .flatMap((doc) => doc.statement as { resources?: string[] }[])
    .flatMap((s) => s.resources ?? []);
  expect(statements.filter((r) => r.endsWith("campaign/books") || r.endsWith("campaign/movies"))).toHaveLength(2);
});

describe("on hashicorp/aws 6.x: a cdktf app on @cdktf/provider-aws 21.x", () => {
  test("installs the same tarball, compiles the README's example strictly, and synthesizes the same configuration", () => {
    const app = temp("consumer-aws6-");
    installFixture("cdktf-aws6", app, [tarball]);
    const json = synthesizeApp(app, example, "recommendations");
    // Statements, conditions, resources, data sources, addresses, outputs: all equal; the
    // binding pins its own hashicorp/aws 6.x release where 20.x pinned 5.100.0.
    expectSameConfiguration(json, onAws5, /^6\.\d+\.\d+$/);
    expect(configured(onAws5).aws).toEqual({ address: "registry.terraform.io/hashicorp/aws", version: "5.100.0" });
  });
});

describe("npm run review --stack-dir on the README's library example", () => {
  async function reviewDir(dir: string) {
    const out = join(work, `review-${Math.random().toString(36).slice(2)}`);
    let stdout = "";
    const code = await review(["--stack-dir", dir, "--out", out], {
      out: (t) => (stdout += t),
      err: (t) => (stdout += t),
    });
    const result = JSON.parse(readFileSync(join(out, "review.json"), "utf8")) as ReviewResult;
    return { code, stdout, result, markdown: readFileSync(join(out, "review.md"), "utf8") };
  }

  test("reviews both roles, each on its own, and passes", async () => {
    const { code, stdout, result, markdown } = await reviewDir(stackDir);
    expect(code).toBe(0);
    const roles = result.review.roles.map((r) => [
      r.analysis.subject.role.address,
      r.analysis.subject.campaignId,
      r.analysis.passed,
    ]);
    expect(roles).toEqual([
      ["aws_iam_role.Books_Role_7AB8C5AE", "books", true],
      ["aws_iam_role.Movies_Role_12953A84", "movies", true],
    ]);
    for (const { analysis } of result.review.roles) {
      expect(analysis.granted.map((g) => g.action).sort()).toEqual([
        "personalize:DescribeCampaign",
        "personalize:DescribeSolution",
        "personalize:GetRecommendations",
      ]);
    }
    // Books names one Pinpoint project: the only requests its trust allows are Pinpoint's for that project.
    const admitted = result.review.roles[0]?.analysis.proof.admitted ?? [];
    expect(admitted.map((r) => [r.principal, r.action, r.context["aws:SourceArn"]])).toEqual([
      [
        "pinpoint.amazonaws.com",
        "sts:AssumeRole",
        "arn:aws:mobiletargeting:us-east-1:111122223333:apps/0123456789abcdef0123456789abcdef",
      ],
    ]);
    expect(stdout).toMatch(/^PASS: 2 roles$/m);
    expect(markdown).toContain("| Role | Name | Campaign | Solution | Trust | Change | Verdict |");
    expect(markdown).toMatch(
      /^\| `aws_iam_role\.Books_Role_7AB8C5AE` \| PinpointRoleforBooks \| `books` \| `books-solution` \| .* \| PASS \|$/m,
    );
    expect(markdown).toMatch(
      /^\| `aws_iam_role\.Movies_Role_12953A84` \| \(generated\) \| `movies` \| `movies-solution` \| .* \| PASS \|$/m,
    );
  });

  test("the same stack with one role broadened fails and names that role", async () => {
    const broadened = join(work, "broadened");
    mkdirSync(broadened);
    const json = readJson(join(stackDir, "cdk.tf.json")) as {
      data: Record<string, Record<string, { statement: unknown[] }>>;
    };
    const movies = Object.keys(json.data.aws_iam_policy_document ?? {}).find((n) =>
      n.startsWith("Movies_PermissionsDocument"),
    );
    json.data.aws_iam_policy_document?.[movies as string]?.statement.push({
      effect: "Allow",
      actions: ["personalize:*"],
      resources: ["*"],
    });
    writeFileSync(join(broadened, "cdk.tf.json"), JSON.stringify(json));
    const { code, stdout, result } = await reviewDir(broadened);
    expect(code).toBe(1);
    expect(result.review.roles.map((r) => [r.analysis.subject.role.address, r.analysis.passed])).toEqual([
      ["aws_iam_role.Books_Role_7AB8C5AE", true],
      ["aws_iam_role.Movies_Role_12953A84", false],
    ]);
    expect(stdout).toMatch(/^FAIL: aws_iam_role\.Movies_Role_12953A84$/m);
  });
});
