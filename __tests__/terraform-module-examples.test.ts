import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { moduleCopy } from "../test-support/module-caller";
import { tempDirs } from "../test-support/temp";
import { EXAMPLES } from "../tools/module";
import { EXAMPLE_PLACE } from "../packages/review/src/offline-plan";
import { main as review, ReviewResult } from "../packages/review/src/cli";

/**
 * The module's examples as each README says to try them offline, `npm run review -- --dir
 * packages/terraform-module/examples/<name>`: the review's own command line, which plans the
 * example with real Terraform (init, plan, show: the example is valid and plans) and proves what
 * its roles grant. (Adopting needs the resources made by hand: lifecycle-adoption.test.ts plans
 * and applies that example against a double of IAM, and terraform-module.test.ts runs its
 * `terraform test` file.)
 */
const temp = tempDirs();
const { accountId: account, region } = EXAMPLE_PLACE;
let copy: string;
const example = (name: string) => join(copy, "examples", name);

interface Reviewed {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly result?: ReviewResult;
}

async function reviewed(name: string, extra: string[] = []): Promise<Reviewed> {
  const out = temp(`review-${name}-`);
  let stdout = "";
  let stderr = "";
  const code = await review(["--dir", example(name), "--out", out, ...extra], {
    out: (t) => (stdout += t),
    err: (t) => (stderr += t),
  });
  const file = join(out, "review.json");
  return {
    code,
    stdout,
    stderr,
    ...(existsSync(file) ? { result: JSON.parse(readFileSync(file, "utf8")) as ReviewResult } : {}),
  };
}

const runs: Record<string, Reviewed> = {};

beforeAll(async () => {
  copy = moduleCopy(temp("module-examples-"));
  // Each review is one init, one plan and one show: the three at once keep both cores busy.
  const names = ["one-role", "for-each", "adopt-existing"];
  // for-each also with another default Region than its provider's: the plan's must win, in the
  // ARNs and in the progress line (which once named the default).
  const results = await Promise.all(
    names.map((name) => reviewed(name, name === "for-each" ? ["--region", "eu-west-1"] : [])),
  );
  names.forEach((name, i) => (runs[name] = results[i]));
});

test("every example's README says how to try it offline, with the command this suite runs", () => {
  expect(readdirSync(join(copy, "examples")).sort()).toEqual([...EXAMPLES].sort());
  for (const name of EXAMPLES) {
    const readme = readFileSync(join(example(name), "README.md"), "utf8");
    expect(readme).toContain("\n## Try it offline\n");
    expect(readme).toContain(`npm run review -- --dir packages/terraform-module/examples/${name}`);
  }
});

describe("one-role", () => {
  test("the review passes one role, and prints its verdict and grants", () => {
    const { code, stdout, stderr } = runs["one-role"];
    expect({ code, stdout: code === 0 ? "" : stdout + stderr }).toEqual({ code: 0, stdout: "" });
    // The Region is the example's provider's (us-east-1), which the progress line names.
    expect(stdout).toContain(`[3/4] plan: offline, account ${account}, ${region} (`);
    expect(stdout).toContain(`PASS module.pinpoint_recommendations.aws_iam_role.this: 3 granted pairs;`);
    expect(stdout).toContain(
      `grants personalize:GetRecommendations on arn:aws:personalize:${region}:${account}:campaign/my-campaign`,
    );
    expect(stdout.trimEnd().split("\n").at(-1)).toBe("PASS: 1 role");
  });

  test("the role has the guide's name and the tag, and trusts Pinpoint for the one project", () => {
    const [role] = runs["one-role"].result?.review.roles ?? [];
    const subject = role.analysis.subject;
    expect(subject.role.name).toBe("PinpointRoleforPersonalize");
    expect(subject.role.tags).toEqual({ Team: "recommendations" });
    expect(subject.role.trustPolicy).toEqual(
      expect.objectContaining({
        Statement: [
          expect.objectContaining({
            Condition: {
              ArnLike: {
                "aws:SourceArn": `arn:aws:mobiletargeting:${region}:${account}:apps/0123456789abcdef0123456789abcdef`,
              },
              StringEquals: { "aws:SourceAccount": account },
            },
          }),
        ],
      }),
    );
    expect(subject.campaignArn).toBe(`arn:aws:personalize:${region}:${account}:campaign/my-campaign`);
  });
});

describe("for-each", () => {
  test("the review passes each instance's role on its own, with its own names and campaign", () => {
    const { code, stdout, stderr, result } = runs["for-each"];
    expect({ code, stdout: code === 0 ? "" : stdout + stderr }).toEqual({ code: 0, stdout: "" });
    expect(stdout.trimEnd().split("\n").at(-1)).toBe("PASS: 2 roles");
    expect(stdout).toContain(`[3/4] plan: offline, account ${account}, us-east-1 (`);
    expect(region).toBe("us-east-1");
    expect(result?.context).toEqual(
      expect.objectContaining({
        mode: "offline",
        source: `module directory ${relative(process.cwd(), example("for-each"))}`,
        // The version Terraform selected, not the module's constraint.
        providerVersion: expect.stringMatching(/^\d+\.\d+\.\d+$/) as string,
      }),
    );
    expect(
      result?.review.roles.map((r) => [
        r.analysis.subject.role.address,
        r.analysis.subject.role.name,
        r.analysis.subject.campaignArn,
        r.analysis.subject.policies.map((p) => p.address),
        r.analysis.passed,
      ]),
    ).toEqual(
      ["books", "movies"].map((key) => [
        `module.pinpoint_recommendations["${key}"].aws_iam_role.this`,
        `PinpointRoleforPersonalize-${key}`,
        `arn:aws:personalize:${region}:${account}:campaign/${key}-campaign`,
        [`module.pinpoint_recommendations["${key}"].aws_iam_policy.this`],
        true,
      ]),
    );
  });
});

describe("adopt-existing", () => {
  test("the review cannot plan it offline (its import blocks read AWS): exit 2 says what to do, and the folder is left as found", () => {
    const { code, stderr } = runs["adopt-existing"];
    expect(code).toBe(2);
    expect(stderr).toContain(
      "terraform plan failed. The configuration reads from AWS while it plans (an import block, or a data source that calls an AWS API)",
    );
    expect(stderr).toContain("--plan tfplan --dir DIR");
  });

  test("every example folder is left as found: no lock file, no override, no .terraform", () => {
    for (const name of EXAMPLES)
      expect({ name, files: readdirSync(example(name)).sort() }).toEqual({
        name,
        files: readdirSync(join(__dirname, "..", "packages", "terraform-module", "examples", name)).sort(),
      });
  });
});
