import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { terraformAgainst } from "../test-support/lifecycle";
import { IamDouble } from "../test-support/iam-double/server";
import { tempDirs } from "../test-support/temp";
import { moduleCopy } from "../test-support/module-caller";
import { caseRun, reviewAsModules, reviewRun, Run } from "../packages/review/test/one-root";

/**
 * The review cases (`packages/review/test/fixtures/review-cases/`, each a small Terraform root
 * module modelled on a public bug report about IAM tooling), reviewed through the real `--dir`
 * path as modules of one root: real Terraform, the real provider, one offline plan. The update case is a real update plan
 * against the IAM double, reviewed with `--plan` and its configuration.
 */
const CASES = join(__dirname, "..", "packages", "review", "test", "fixtures", "review-cases");
const temp = tempDirs();

/** A copy of a case, with MODULE_SOURCE standing for this project's Terraform module. */
function caseCopy(name: string): string {
  const workspace = temp(`case-${name}-`);
  const module = moduleCopy(join(workspace, "module"));
  const dir = join(workspace, name);
  cpSync(join(CASES, name), dir, { recursive: true });
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".tf"))) {
    const path = join(dir, file);
    writeFileSync(path, readFileSync(path, "utf8").replace(/MODULE_SOURCE/g, module));
  }
  return dir;
}

const roleOf = (run: Run, address: string) =>
  run.result?.review.roles.find((r) => r.analysis.subject.role.address === address)?.analysis;
const grants = (run: Run, address: string) => (roleOf(run, address)?.granted ?? []).map((g) => g.action);

/** What each case must give (the cases' README); a case with no entry here fails, so none is skipped. */
const EXPECTED: Record<string, (run: Run) => void> = {
  "module-output-attachment": (run) => {
    // The broad policy reaches the module's role through its role_name output: found and failed.
    const role = roleOf(run, "module.pinpoint.aws_iam_role.this");
    expect(role?.passed).toBe(false);
    const extra = role?.subject.policies.find((p) => p.address === "aws_iam_policy.extra");
    expect(extra?.via).toEqual(["aws_iam_role_policy_attachment.extra"]);
    expect(grants(run, "module.pinpoint.aws_iam_role.this")).toContain("personalize:CreateCampaign");
    expect(run.code).toBe(1);
  },
  "trust-assume-wildcard": (run) => {
    // sts:Assume* lets Pinpoint in: the role is reviewed, and fails; the module's own role passes.
    expect(roleOf(run, "aws_iam_role.wildcard_action")?.passed).toBe(false);
    expect(grants(run, "aws_iam_role.wildcard_action")).toContain("personalize:CreateCampaign");
    expect(roleOf(run, "module.pinpoint.aws_iam_role.this")?.passed).toBe(true);
    expect(run.result?.review.notReviewed).toEqual([]);
    expect(run.code).toBe(1);
  },
  "dynamic-inline-policy": (run) => {
    const role = roleOf(run, "aws_iam_role.this");
    expect(role?.subject.policies.map((p) => p.address).sort()).toEqual([
      "aws_iam_policy.this",
      'aws_iam_role.this.inline_policy["everything"]',
    ]);
    expect(grants(run, "aws_iam_role.this")).toContain("personalize:CreateCampaign");
    expect(role?.passed).toBe(false);
    expect(run.code).toBe(1);
  },
  "lowercase-actions": (run) => {
    // The same access as the guide's: no false alarm.
    const role = roleOf(run, "aws_iam_role.this");
    expect(role?.findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(grants(run, "aws_iam_role.this").sort()).toEqual([
      "personalize:DescribeCampaign",
      "personalize:DescribeSolution",
      "personalize:GetRecommendations",
    ]);
    expect(run.code).toBe(0);
  },
};

const UPDATE_CASE = "inline-policy-update";

describe("the review cases of packages/review/test/fixtures/review-cases", () => {
  const names = existsSync(CASES) ? readdirSync(CASES).filter((n) => existsSync(join(CASES, n, "main.tf"))) : [];

  test("are there, and each has what it must give", () => {
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((n) => n !== UPDATE_CASE && EXPECTED[n] === undefined)).toEqual([]);
    expect(names).toContain(UPDATE_CASE);
  });

  // Every case as a module of one root: one init, one plan and one show for all of them.
  let all: Promise<Run> | undefined;
  const runOf = async (name: string): Promise<Run> => {
    all ??= reviewAsModules(new Map(Object.keys(EXPECTED).map((n) => [n, caseCopy(n)])), temp);
    const part = caseRun(await all, name);
    // Its exit status as if reviewed alone.
    return { ...part, code: part.exit };
  };
  beforeAll(() => void runOf(Object.keys(EXPECTED)[0]));

  test.each(Object.keys(EXPECTED))("%s, through --dir", async (name) => {
    const run = await runOf(name);
    try {
      EXPECTED[name]?.(run);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n\nThe review's output:\n${run.output}`, { cause: error });
    }
  });
});

describe(`${UPDATE_CASE}: an inline policy moved from one campaign to another, planned against the IAM double`, () => {
  const double = new IamDouble();
  let run: Run;

  beforeAll(async () => {
    await double.start();
    const dir = caseCopy(UPDATE_CASE);
    for (const args of [
      ["init", "-input=false"],
      ["apply", "-auto-approve", "-input=false"],
    ]) {
      const result = await terraformAgainst(dir, double, args);
      if (result.code !== 0) throw new Error(`terraform ${args[0]} failed:\n${result.output}`);
    }
    const main = join(dir, "main.tf");
    writeFileSync(
      main,
      readFileSync(main, "utf8")
        .replace('campaign = "movies"', 'campaign = "books"')
        .replace('solution = "movies-solution"', 'solution = "books-solution"'),
    );
    const plan = await terraformAgainst(dir, double, ["plan", "-input=false", "-out=update.tfplan"]);
    if (plan.code !== 0) throw new Error(`terraform plan failed:\n${plan.output}`);
    const file = join(dir, "update.json");
    writeFileSync(file, (await terraformAgainst(dir, double, ["show", "-json", "update.tfplan"])).stdout);
    run = await reviewRun(["--plan", file, "--dir", dir], temp);
  });
  afterAll(() => double.close());

  test("the double holds the inline policy that the first apply put", () => {
    expect(double.iam.rolePolicyNames("PinpointRoleforPersonalize")).toEqual(["RetrieveRecommendationsPolicy"]);
  });

  test("the access diff revokes the three grants on movies and grants them on books, from each side's own documents", () => {
    const arn = (kind: string, id: string) => `arn:aws:personalize:us-east-1:${double.accountId}:${kind}/${id}`;
    const pairs = (list: { action: string; resource: string }[] = []) =>
      list.map((p) => `${p.action} ${p.resource}`).sort();
    const diff = run.result?.review.roles[0]?.diff;
    expect(pairs(diff?.revoked)).toEqual([
      `personalize:DescribeCampaign ${arn("campaign", "movies")}`,
      `personalize:DescribeSolution ${arn("solution", "movies-solution")}`,
      `personalize:GetRecommendations ${arn("campaign", "movies")}`,
    ]);
    expect(pairs(diff?.granted)).toEqual([
      `personalize:DescribeCampaign ${arn("campaign", "books")}`,
      `personalize:DescribeSolution ${arn("solution", "books-solution")}`,
      `personalize:GetRecommendations ${arn("campaign", "books")}`,
    ]);
    expect(diff?.trust).toEqual([]);
    expect(run.output).toContain(`change revokes personalize:GetRecommendations on ${arn("campaign", "movies")}`);
    expect(run.code).toBe(0);
  });
});
