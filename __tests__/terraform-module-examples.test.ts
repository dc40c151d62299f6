import { existsSync, readFileSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { moduleCopy } from "../test-support/module-caller";
import { tempDirs } from "../test-support/temp";
import { EXAMPLES } from "../tools/module";
import {
  EXAMPLE_PLACE,
  OVERRIDE_FILE,
  planOffline,
  TerraformPlan,
  terraformInit,
} from "../packages/review/src/offline-plan";
import { main as review, ReviewResult } from "../packages/review/src/cli";
import { validation } from "../packages/review/src/terraform";

/**
 * The module's examples, each a root module of its own, as a user runs them in a copy of the
 * module's folder: `terraform init`, `terraform validate` and an offline plan. (Adopting needs the
 * resources made by hand: lifecycle-adoption.test.ts plans and applies that example against a
 * double of IAM.)
 */
const temp = tempDirs();
const { accountId: account, region } = EXAMPLE_PLACE;
let copy: string;
const example = (name: string) => join(copy, "examples", name);

beforeAll(() => {
  copy = moduleCopy(temp("module-examples-"));
});

test.each(EXAMPLES)("%s: terraform validate reports no diagnostic", async (name) => {
  await terraformInit(example(name));
  expect(validation(example(name))).toEqual({ valid: true, warnings: 0, diagnostics: [] });
});

const created = (plan: TerraformPlan) =>
  (plan.resource_changes ?? [])
    .filter((c) => c.change.actions.includes("create"))
    .map((c) => c.address)
    .sort();
const after = (plan: TerraformPlan, address: string) =>
  plan.resource_changes?.find((c) => c.address === address)?.change.after ?? {};

describe("one-role", () => {
  let plan: TerraformPlan;
  beforeAll(async () => {
    plan = await planOffline(example("one-role"), []);
  });

  test("plans one role, its policy and their attachment", () => {
    expect(created(plan)).toEqual([
      "module.pinpoint_recommendations.aws_iam_policy.this",
      "module.pinpoint_recommendations.aws_iam_role.this",
      "module.pinpoint_recommendations.aws_iam_role_policy_attachment.this",
    ]);
  });

  test("the role trusts Pinpoint for the one project, and carries the tag", () => {
    const role = after(plan, "module.pinpoint_recommendations.aws_iam_role.this");
    expect(role.name).toBe("PinpointRoleforPersonalize");
    expect(role.tags).toEqual({ Team: "recommendations" });
    const trust = JSON.parse(role.assume_role_policy as string) as {
      Statement: { Condition: { ArnLike: Record<string, unknown> } }[];
    };
    expect(trust.Statement[0].Condition.ArnLike).toEqual({
      "aws:SourceArn": `arn:aws:mobiletargeting:${region}:${account}:apps/0123456789abcdef0123456789abcdef`,
    });
    expect(plan.output_changes?.campaign_arn?.after).toBe(
      `arn:aws:personalize:${region}:${account}:campaign/my-campaign`,
    );
  });
});

describe("for-each", () => {
  let plan: TerraformPlan;
  beforeAll(async () => {
    plan = await planOffline(example("for-each"), []);
  });

  test("plans 2 x 3 resources, one set per campaign", () => {
    expect(created(plan)).toEqual(
      ["books", "movies"].flatMap((key) => [
        `module.pinpoint_recommendations["${key}"].aws_iam_policy.this`,
        `module.pinpoint_recommendations["${key}"].aws_iam_role.this`,
        `module.pinpoint_recommendations["${key}"].aws_iam_role_policy_attachment.this`,
      ]),
    );
  });

  test("outputs what each campaign's recommender model takes", () => {
    const inputs = plan.output_changes?.recommender_inputs?.after as Record<string, Record<string, unknown>>;
    expect(Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v.RecommendationProviderUri]))).toEqual({
      books: `arn:aws:personalize:${region}:${account}:campaign/books-campaign`,
      movies: `arn:aws:personalize:${region}:${account}:campaign/movies-campaign`,
    });
  });

  test("npm run review --dir reviews each instance's role on its own", async () => {
    const dir = example("for-each");
    // The offline plan left its override here; a user's module has none.
    rmSync(join(dir, OVERRIDE_FILE), { force: true });
    const out = join(copy, "review");
    let stdout = "";
    const code = await review(["--dir", dir, "--out", out], {
      out: (t) => (stdout += t),
      err: (t) => (stdout += t),
    });
    expect({ code, stdout: code === 0 ? "" : stdout }).toEqual({ code: 0, stdout: "" });
    const result = JSON.parse(readFileSync(join(out, "review.json"), "utf8")) as ReviewResult;
    expect(result.context).toEqual(
      expect.objectContaining({
        mode: "offline",
        source: `module directory ${relative(process.cwd(), dir)}`,
        // The version Terraform selected, not the module's constraint.
        providerVersion: expect.stringMatching(/^\d+\.\d+\.\d+$/) as string,
      }),
    );
    expect(
      result.review.roles.map((r) => [
        r.analysis.subject.role.address,
        r.analysis.subject.campaignArn,
        r.analysis.passed,
      ]),
    ).toEqual(
      ["books", "movies"].map((key) => [
        `module.pinpoint_recommendations["${key}"].aws_iam_role.this`,
        `arn:aws:personalize:${region}:${account}:campaign/${key}-campaign`,
        true,
      ]),
    );
    expect(result.review.roles.map((r) => r.analysis.subject.policies.map((p) => p.address))).toEqual(
      ["books", "movies"].map((key) => [`module.pinpoint_recommendations["${key}"].aws_iam_policy.this`]),
    );
  });
});

describe("adopt-existing", () => {
  test("npm run review --dir: its import blocks read AWS while planning, so exit 2 says what to do, and the folder is left as found", async () => {
    const dir = example("adopt-existing");
    const lockFile = join(dir, ".terraform.lock.hcl");
    rmSync(lockFile, { force: true });
    rmSync(join(dir, OVERRIDE_FILE), { force: true });
    let stderr = "";
    const code = await review(["--dir", dir, "--out", temp("review-out-")], {
      out: () => undefined,
      err: (t) => (stderr += t),
    });
    expect(code).toBe(2);
    expect(stderr).toContain(
      "terraform plan failed. The configuration reads from AWS while it plans (an import block, or a data source that calls an AWS API)",
    );
    expect(stderr).toContain("--plan tfplan --dir DIR");
    // terraform init wrote a dependency lock file; the review took it away again.
    expect(existsSync(lockFile)).toBe(false);
  });
});
