import { runSimulation } from "@cloud-copilot/iam-simulate";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack, TerraformVariable } from "cdktf";
import { PinpointPersonalizeRole, PinpointPersonalizeStack } from "../lib";
import { synthDirs } from "../test-support/synth";
import { tempDirs } from "../test-support/temp";
import { Analysis, DecidedRequest } from "../packages/review/src/analyze";
import { main, ReviewResult } from "../packages/review/src/cli";
import { planOffline, planResources, TerraformPlan } from "../packages/review/src/offline-plan";
import { asPreviousRelease } from "../test-support/previous-release";
import { TerraformJson } from "../tools/synthesized";
import { PolicyDocument, statements, list } from "../packages/review/src/subject";
import { inTerraformOrder, isConfigurationFile, mergeOverride } from "../packages/review/src/source";

/**
 * `npm run review` end to end: real Terraform, the real AWS provider, an offline plan, and the
 * report's claims checked against the plan and against AWS's guide.
 */
const root = join(__dirname, "..");
const temp = tempDirs();
const synthesized = synthDirs();

function readResult(out: string): { result: ReviewResult; markdown: string } {
  return {
    result: JSON.parse(readFileSync(join(out, "review.json"), "utf8")) as ReviewResult,
    markdown: readFileSync(join(out, "review.md"), "utf8"),
  };
}

/** Runs the review in-process on one input (`--stack-dir <dir>`, `--plan <file>`); returns its exit code, output and results. */
async function reviewOf(input: string[], extra: string[] = []) {
  const out = temp("review-out-");
  let stdout = "";
  let stderr = "";
  const code = await main([...input, "--out", out, ...extra], {
    out: (t) => (stdout += t),
    err: (t) => (stderr += t),
  });
  return { code, stdout, stderr, out };
}

/** Runs the review in-process on a synthesized stack directory. */
const reviewStackDir = (dir: string, extra: string[] = []) => reviewOf(["--stack-dir", dir], extra);

const ACCOUNT = "111122223333";
const CAMPAIGN_ARN = `arn:aws:personalize:us-east-1:${ACCOUNT}:campaign/example-campaign`;
const SOLUTION_ARN = `arn:aws:personalize:us-east-1:${ACCOUNT}:solution/example-solution`;
const INTENDED = [
  { action: "personalize:DescribeCampaign", resource: CAMPAIGN_ARN },
  { action: "personalize:DescribeSolution", resource: SOLUTION_ARN },
  { action: "personalize:GetRecommendations", resource: CAMPAIGN_ARN },
];
const byPair = (a: { action: string; resource: string }, b: { action: string; resource: string }) =>
  `${a.action} ${a.resource}`.localeCompare(`${b.action} ${b.resource}`);
/** Whether a request to assume the role is Pinpoint's for one of this account's projects in us-east-1. */
const ownProject = (r: DecidedRequest) =>
  r.principal === "pinpoint.amazonaws.com" &&
  r.action === "sts:AssumeRole" &&
  r.context["aws:SourceAccount"] === ACCOUNT &&
  String(r.context["aws:SourceArn"]).startsWith(`arn:aws:mobiletargeting:us-east-1:${ACCOUNT}:apps/`);

describe("npm run review, offline, with example values", () => {
  let run: { status: number | null; stdout: string; stderr: string };
  let analysis: Analysis;
  let markdown: string;
  let result: ReviewResult;

  beforeAll(() => {
    const out = temp("review-out-");
    run = spawnSync("npm", ["run", "--silent", "review", "--", "--out", out], { cwd: root, encoding: "utf8" });
    ({ result, markdown } = readResult(out));
    analysis = result.review.roles[0]?.analysis;
  });

  test("reports each step and exits 0", () => {
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const steps = run.stdout.split("\n").filter((line) => /^\[\d\/4\]/.test(line));
    expect(steps.map((line) => line.replace(/:.*$/, ""))).toEqual([
      "[1/4] synth",
      "[2/4] init",
      "[3/4] plan",
      "[4/4] analysis",
    ]);
    expect(run.stdout).toContain("using example values campaign_id=example-campaign, solution_id=example-solution");
    expect(run.stdout).toMatch(
      /^PASS aws_iam_role\.this: 3 granted pairs; \d+ request classes decided \(\d+ to assume it, \d+ of its sessions\); 0 findings, 0 warnings\.$/m,
    );
    expect(run.stdout).toMatch(/^PASS: 1 role$/m);
  });

  test("the evaluator allows exactly the three intended pairs, and nothing was left undecided", () => {
    expect([...analysis.granted].sort(byPair)).toEqual(INTENDED);
    expect(analysis.differences).toEqual([]);
    expect(analysis.findings).toEqual([]);
    expect(analysis.proof.unmodelled).toEqual([]);
    expect(analysis.proof.stoppedEarly).toBe(false);
    expect(analysis.passed).toBe(true);
  });

  test("every request to assume it was decided: the trust allows Pinpoint for this account's projects only", () => {
    const { trust, permissions, admitted } = analysis.proof;
    expect(trust.classes).toBeGreaterThan(admitted.length);
    expect(permissions.classes).toBeGreaterThan(3);
    expect(admitted.length).toBeGreaterThan(0);
    expect(admitted.filter((r) => !ownProject(r))).toEqual([]);
    expect(trust.allowed).toBe(admitted.length);
    // The three pairs, each allowed; every other class of the sessions' requests denied.
    expect(permissions.allowed).toBe(3);
  });

  test("the Markdown report states the same claims", () => {
    const classes = analysis.proof.trust.classes + analysis.proof.permissions.classes;
    expect(markdown).toContain(
      "**PASS**: the role grants exactly 3 (action, resource) pairs, and only Pinpoint for this account's projects " +
        `can assume it: ${classes} classes of requests decided, every one as AWS's guide intends.`,
    );
    expect(markdown).toContain("```mermaid\nflowchart LR");
    expect(markdown).toContain('P0(["pinpoint.amazonaws.com"])');
    // One edge: the one statement, its action, and its two conditions below it.
    expect(markdown).toContain(
      `P0 -- "statement 0: sts:AssumeRole<br/>if aws:SourceArn ArnLike arn:aws:mobiletargeting:us-east-1:${ACCOUNT}:apps/*<br/>and aws:SourceAccount StringEquals ${ACCOUNT}" --> R`,
    );
    for (const { action, resource } of INTENDED) expect(markdown).toContain(`| \`${action}\` | \`${resource}\` |`);
    expect(markdown).toContain("**Statement 0**: Allow `sts:AssumeRole` to `pinpoint.amazonaws.com` when all of:");
    expect(markdown).toContain(`| StringEquals | \`aws:SourceAccount\` | \`${ACCOUNT}\` |`);
    expect(markdown).toContain(
      `| ArnLike | \`aws:SourceArn\` | \`arn:aws:mobiletargeting:us-east-1:${ACCOUNT}:apps/*\` |`,
    );
    expect(markdown).toContain(
      `| What the role grants: only the guide's three (action, resource) pairs, each in every request Pinpoint makes with it | ${analysis.proof.permissions.classes} | 3 |`,
    );
    expect(markdown).toContain("Every class decided as AWS's guide intends.");
    expect(markdown).toMatch(/### Findings\n\nNone\./);
    expect(result.seconds.analysis).toBeGreaterThan(0);
  });

  describe("seed parity: the plan against AWS's guide, for the same IDs", () => {
    const seed = (file: string) => readFileSync(join(root, "test-support", "seed", file), "utf8");
    const seedPolicy = JSON.parse(
      seed("RetrieveRecommendationsPolicy.json")
        .replace(/:region:accountId:/g, `:us-east-1:${ACCOUNT}:`)
        .replace("solution/solutionId", "solution/example-solution")
        .replace("campaign/campaignId", "campaign/example-campaign"),
    ) as PolicyDocument;
    const seedTrust = JSON.parse(seed("RecommendationsTrustPolicy.json")) as PolicyDocument;
    const pairs = (document: PolicyDocument) =>
      statements(document)
        .filter((s) => s.Effect === "Allow")
        .flatMap((s) => list(s.Action).flatMap((action) => list(s.Resource).map((resource) => `${action} ${resource}`)))
        .sort();

    test("the permissions policy grants the same (action, resource) pairs as the seed's policy", () => {
      const [policy] = analysis.subject.policies;
      expect(analysis.subject.policies.map((p) => p.address)).toEqual(["aws_iam_policy.this"]);
      expect(pairs(policy?.document)).toEqual(pairs(seedPolicy));
      expect(statements(policy?.document).map((s) => s.Sid)).toEqual(["RetrieveRecommendationsOneCampaign"]);
    });

    test("the trust policy allows nothing that the seed's trust policy does not, and is narrower", async () => {
      const underSeed = (r: Pick<DecidedRequest, "principal" | "action" | "context">) =>
        runSimulation(
          {
            request: {
              principal: r.principal,
              action: r.action,
              resource: { resource: analysis.subject.role.arn, accountId: ACCOUNT },
              contextVariables: Object.fromEntries(
                Object.entries(r.context).map(([k, v]) => [k, typeof v === "string" ? v : [...v]]),
              ),
            },
            identityPolicies: [],
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            resourcePolicy: seedTrust,
          },
          {},
        ).then((o) => (o.resultType !== "error" && o.overallResult === "Allowed" ? "Allowed" : "Denied"));
      // Every class the trust allows, the seed's allows too.
      for (const r of analysis.proof.admitted) expect([r.context, await underSeed(r)]).toEqual([r.context, "Allowed"]);
      // The confused-deputy conditions refuse what the seed's trust lets in: Pinpoint for another account.
      const otherAccount = {
        principal: "pinpoint.amazonaws.com",
        action: "sts:AssumeRole",
        context: {
          "aws:SourceAccount": "444455556666",
          "aws:SourceArn": "arn:aws:mobiletargeting:us-east-1:444455556666:apps/x",
        },
      };
      expect(await underSeed(otherAccount)).toBe("Allowed");
      const trust = analysis.subject.role.trustPolicy;
      const ours = await runSimulation(
        {
          request: {
            principal: otherAccount.principal,
            action: otherAccount.action,
            resource: { resource: analysis.subject.role.arn, accountId: ACCOUNT },
            contextVariables: otherAccount.context,
          },
          identityPolicies: [],
          serviceControlPolicies: [],
          resourceControlPolicies: [],
          resourcePolicy: trust,
        },
        {},
      );
      expect(ours.resultType !== "error" && ours.overallResult).toBe("ImplicitlyDenied");
    });
  });
});

/**
 * Two roles wider than the guide's in one stack, reviewed once: a deliberately broadened policy,
 * and the construct's console-parity trust without the confused-deputy conditions.
 */
describe("what IAM refuses at apply, for what the apply sends", () => {
  const fixture = join(root, "packages", "review", "test", "fixtures", "plans", "unchanged-long-trust");

  test("an update that leaves a long trust as it is passes; the same trust sent, in a new role, fails", async () => {
    const kept = await reviewOf(["--plan", join(fixture, "plan.json"), "--dir", fixture]);
    expect({ code: kept.code, stderr: kept.stderr }).toEqual({ code: 0, stderr: "" });
    // The same plan, as though the apply made the role: its trust is sent.
    const plan = JSON.parse(readFileSync(join(fixture, "plan.json"), "utf8")) as {
      resource_changes: { address: string; change: { actions: string[]; before: unknown } }[];
    };
    for (const change of plan.resource_changes.filter((c) => c.address === "aws_iam_role.this")) {
      change.change.actions = ["create"];
      change.change.before = null;
    }
    const dir = temp("new-long-trust-");
    cpSync(fixture, dir, { recursive: true });
    writeFileSync(join(dir, "plan.json"), JSON.stringify(plan));
    const made = await reviewOf(["--plan", join(dir, "plan.json"), "--dir", dir]);
    expect(made.code).toBe(1);
    expect(made.stdout).toMatch(
      /IAM refuses aws_iam_role\.this\.assume_role_policy at apply: it has 2838 characters without white space, over IAM's default quota of 2048/,
    );
  });
});

describe("npm run review on roles wider than the guide's", () => {
  let review: Promise<Awaited<ReturnType<typeof reviewStackDir>> & ReturnType<typeof readResult>>;
  const analysisOf = async (name: string) => {
    const { result } = await review;
    const role = result.review.roles.find((r) => r.analysis.subject.role.name === name);
    if (role === undefined) throw new Error(`The review has no role ${name}.`);
    return role.analysis;
  };

  beforeAll(() => {
    const dir = synthesized((app) => {
      const stack = new TerraformStack(app, "wider");
      new AwsProvider(stack, "aws", {});
      const campaign = new TerraformVariable(stack, "campaign_id", { type: "string" });
      const solution = new TerraformVariable(stack, "solution_id", { type: "string" });
      const broadened = new PinpointPersonalizeRole(stack, "Broadened", {
        campaignId: campaign.stringValue,
        solutionId: solution.stringValue,
        roleName: "broadened",
        policyName: "broadened",
      });
      // A test-only variant: a second statement that a careless edit might add.
      broadened.permissionsDocument.addOverride("statement.1", {
        sid: "TooBroad",
        effect: "Allow",
        actions: ["personalize:Get*", "iam:PassRole"],
        resources: ["*"],
      });
      // The construct's own option, as a console-parity user would set it: wider than AWS's guide.
      new PinpointPersonalizeRole(stack, "Unconditioned", {
        campaignId: campaign.stringValue,
        solutionId: solution.stringValue,
        roleName: "unconditioned",
        policyName: "unconditioned",
        confusedDeputyProtection: false,
      });
      return stack;
    });
    review = reviewStackDir(dir).then((run) => ({ ...run, ...readResult(run.out) }));
  });

  test("fails, exit 1, with FAIL in the summary and the report", async () => {
    const { code, stdout, markdown } = await review;
    expect(code).toBe(1);
    expect(stdout).toMatch(/^FAIL: /m);
    expect(markdown).toContain("**FAIL**");
  });

  test("the broadened policy: the static findings and the evaluator's failures", async () => {
    const analysis = await analysisOf("broadened");
    // The decision's counterexamples and the extra action fail it; how it is written is said beside.
    const ids = (severity: string) =>
      [...new Set(analysis.findings.filter((f) => f.severity === severity).map((f) => f.id))].sort();
    expect(ids("error")).toEqual(["EVALUATOR", "IAM-EXTRA-ACTION"]);
    expect(ids("warning")).toEqual(["IAM-PASSROLE", "IAM-WILDCARD-ACTION", "IAM-WILDCARD-RESOURCE"]);
    // personalize:Get* reaches other actions on the campaign; iam:PassRole reaches roles.
    expect(
      analysis.granted.filter(
        (g) =>
          /^personalize:Get/.test(g.action) &&
          g.action !== "personalize:GetRecommendations" &&
          g.resource === CAMPAIGN_ARN,
      ),
    ).not.toEqual([]);
    expect(analysis.granted.map((g) => g.action)).toContain("iam:PassRole");
    // Each difference is a concrete request the evaluator allowed, with why it should not be.
    expect(analysis.differences.map((d) => d.outcome)).toEqual(Array(analysis.differences.length).fill("Allowed"));
    expect(analysis.passed).toBe(false);
  });

  test("the trust without conditions: Pinpoint acting for another account, Region or resource can assume the role", async () => {
    const analysis = await analysisOf("unconditioned");
    const { markdown } = await review;
    expect(analysis.findings.filter((f) => f.id === "TRUST-NO-CONDITIONS").map((f) => f.severity)).toEqual([
      "warning",
      "warning",
    ]);
    // Pinpoint acting for another account, or for nothing, is allowed: each a difference, as a concrete request.
    const trust = analysis.differences.filter((d) => d.question === "trust");
    expect(trust.every((d) => d.principal === "pinpoint.amazonaws.com" && d.outcome === "Allowed")).toBe(true);
    expect(trust.some((d) => !ownProject(d) && d.context["aws:SourceArn"] !== undefined)).toBe(true);
    expect(trust.some((d) => d.context["aws:SourceArn"] === undefined)).toBe(true);
    const errors = analysis.findings.filter((f) => f.severity === "error");
    expect(errors.map((f) => f.id)).toEqual(Array(errors.length).fill("EVALUATOR"));
    expect(analysis.granted).toHaveLength(3);
    expect(markdown).toContain(
      "**Statement 0**: Allow `sts:AssumeRole` to `pinpoint.amazonaws.com`, with no conditions.",
    );
    expect(analysis.passed).toBe(false);
  });
});

/** Two roles, one behind the default provider and one behind an aliased provider in Ireland. */
function twoRegions(app: Parameters<Parameters<typeof synthesized>[0]>[0]): TerraformStack {
  const stack = new TerraformStack(app, "two-regions");
  new AwsProvider(stack, "aws", {});
  const europe = new AwsProvider(stack, "europe", { alias: "europe", region: "eu-west-1" });
  new PinpointPersonalizeRole(stack, "Virginia", {
    campaignId: "us-campaign",
    solutionId: "us-solution",
    roleName: "us",
    policyName: "us",
  });
  new PinpointPersonalizeRole(stack, "Ireland", {
    campaignId: "eu-campaign",
    solutionId: "eu-solution",
    roleName: "eu",
    policyName: "eu",
    provider: europe,
  });
  return stack;
}

const TWO_REGIONS = [
  ["eu", "eu-west-1", `arn:aws:personalize:eu-west-1:${ACCOUNT}:campaign/eu-campaign`],
  ["us", "us-east-1", `arn:aws:personalize:us-east-1:${ACCOUNT}:campaign/us-campaign`],
];

/** Each reviewed role's name, Region and campaign ARN. */
const rolePlaces = (result: ReviewResult) =>
  result.review.roles.map((r) => [
    r.analysis.subject.role.name,
    r.analysis.subject.region,
    r.analysis.subject.campaignArn,
  ]);

/**
 * A plan as hashicorp/aws 6.x writes it, from a real 5.100.0 plan of the same configuration:
 * aws_region gains `region` (the binding schemas in terraform-module.test.ts show 6.x adds it)
 * and, the strictest case, loses `name` and `id`, which 6.x deprecates. IAM's resource types and
 * the other data sources have the same attributes in both majors.
 */
function asAws6Plan(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asAws6Plan);
  if (value === null || typeof value !== "object") return value;
  const object = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asAws6Plan(v)]));
  if (object.mode === "data" && object.type === "aws_region" && object.values && typeof object.values === "object") {
    const { name, id: _id, ...values } = object.values as Record<string, unknown>;
    return { ...object, values: { ...values, region: name } };
  }
  return object;
}

// Two roles, one behind an aliased provider in another Region: each is checked in its own Region.
describe("npm run review --plan reads the Region from either provider major's data sources", () => {
  // This project's roles read it from Amazon Personalize's aws_service; others (the previous
  // release's included) from aws_region, whose attribute differs between 5.x and 6.x.
  const plans = { aws_service: "", "aws_region 5.x": "", "aws_region 6.x": "" };
  // The configuration each plan was made from (it shows what a plan's JSON leaves out).
  const configurations = { aws_service: "", "aws_region 5.x": "", "aws_region 6.x": "" };

  beforeAll(async () => {
    const dir = temp("plans-");
    const current = synthesized(twoRegions);
    const previous = temp("previous-release-");
    Object.assign(configurations, { aws_service: current, "aws_region 5.x": previous, "aws_region 6.x": previous });
    writeFileSync(
      join(previous, "cdk.tf.json"),
      JSON.stringify(
        asPreviousRelease(JSON.parse(readFileSync(join(current, "cdk.tf.json"), "utf8")) as TerraformJson),
      ),
    );
    const [service, region] = await Promise.all([planOffline(current, []), planOffline(previous, [])]);
    for (const [name, plan] of [
      ["aws_service", service],
      ["aws_region 5.x", region],
      ["aws_region 6.x", asAws6Plan(region)],
    ] as const) {
      plans[name] = join(dir, `${name.replace(/\W/g, "-")}.json`);
      writeFileSync(plans[name], JSON.stringify(plan));
    }
  });

  const regionSources = (name: keyof typeof plans) =>
    planResources(JSON.parse(readFileSync(plans[name], "utf8")) as TerraformPlan)
      .filter((r) => r.type === "aws_service" || r.type === "aws_region")
      .map((r) => [r.type, r.values.region, r.values.name])
      .sort();

  test("each plan reads the Region its own way", () => {
    expect(regionSources("aws_service")).toEqual([
      ["aws_service", "eu-west-1", undefined],
      ["aws_service", "us-east-1", undefined],
    ]);
    expect(regionSources("aws_region 5.x")).toEqual([
      ["aws_region", undefined, "eu-west-1"],
      ["aws_region", undefined, "us-east-1"],
    ]);
    expect(regionSources("aws_region 6.x")).toEqual([
      ["aws_region", "eu-west-1", undefined],
      ["aws_region", "us-east-1", undefined],
    ]);
  });

  test.each(Object.keys(plans))("%s: each role in its own Region, and the same verdicts", async (name) => {
    const key = name as keyof typeof plans;
    const { code, stdout, out } = await reviewOf(["--plan", plans[key], "--stack-dir", configurations[key]]);
    const { result } = readResult(out);
    expect({ code, stdout: code === 0 ? "" : stdout }).toEqual({ code: 0, stdout: "" });
    expect(rolePlaces(result)).toEqual(TWO_REGIONS);
    expect(result.review.roles.map((r) => r.analysis.subject.problems)).toEqual([[], []]);
    // Each role's trust names its own Region's Pinpoint projects, and admits no request from another Region.
    const eu = result.review.roles[0]?.analysis;
    expect(eu?.trustStatements.flatMap((s) => s.conditions).find((c) => c.key === "aws:SourceArn")?.values).toEqual([
      `arn:aws:mobiletargeting:eu-west-1:${ACCOUNT}:apps/*`,
    ]);
    expect(eu?.proof.admitted.map((r) => String(r.context["aws:SourceArn"]).split(":")[3])).toEqual(["eu-west-1"]);
  });

  test("a plan alone cannot show what new roles are given: exit 2, no report, and it says to give the configuration", async () => {
    const { code, stderr, out } = await reviewOf(["--plan", plans.aws_service]);
    // Not a finding about the roles (1), nor a pass: the review could not read them (2), and
    // writes no report that a pipeline could post as a verdict.
    expect(code).toBe(2);
    expect(existsSync(join(out, "review.md"))).toBe(false);
    expect(existsSync(join(out, "review.json"))).toBe(false);
    // The new policy's ARN, what the new role's inline_policy holds: a plan's JSON cannot tell either.
    const addresses = [
      "aws_iam_role.Ireland_Role_78E98D4B",
      "aws_iam_role.Virginia_Role_02B4F016",
      "aws_iam_role_policy_attachment.Ireland_Attachment_C917BF91",
      "aws_iam_role_policy_attachment.Virginia_Attachment_5B253F1C",
    ];
    expect(stderr).toContain(
      `This plan alone cannot show what its roles are given: ${addresses.join(", ")} name a role or policy that is unknown until apply`,
    );
    expect(stderr).toContain("--plan FILE --dir DIR for a Terraform module, --plan FILE --stack-dir DIR");
    // The reason first: the progress lines go to standard output, the reason to standard error.
    expect(stderr.indexOf("This plan alone")).toBe(0);
  });

  test.each(["aws_service", "aws_region 6.x"] as const)(
    "%s: a Region that disagrees with a role's ARNs fails that role",
    async (name) => {
      const plan = JSON.parse(readFileSync(plans[name], "utf8")) as TerraformPlan;
      for (const r of planResources(plan).filter((r) => r.values.region === "us-east-1" && r.mode === "data")) {
        r.values.region = "us-west-2";
      }
      const file = join(temp("plans-"), "moved.json");
      writeFileSync(file, JSON.stringify(plan));
      const { code, out } = await reviewOf(["--plan", file, "--stack-dir", configurations[name]]);
      const { result } = readResult(out);
      expect(code).toBe(1);
      expect(result.review.roles.map((r) => [r.analysis.subject.role.name, r.analysis.subject.problems])).toEqual([
        ["eu", []],
        ["us", ["The campaign is in region us-east-1, but the plan's is us-west-2."]],
      ]);
    },
  );
});

describe("npm run review with a bad variable", () => {
  test("exits 2 with Terraform's validation message and what to do", async () => {
    const dir = synthesized((app) => new PinpointPersonalizeStack(app, "bad-variable"));
    const { code, stdout, stderr } = await reviewStackDir(dir, ["--var", "campaign_id=*", "--var", "solution_id=s"]);
    expect(stdout).toContain("[3/4] plan: failed");
    expect(stderr).toContain("terraform plan failed. Terraform rejected a variable value. Fix it and run again");
    expect(stderr).toContain("campaign_id must be an Amazon Personalize campaign name: 1-63 characters");
    expect(stderr).toContain('Received "*".');
    expect(code).toBe(2);
  });

  test("a malformed option exits 2 with the usage", async () => {
    let stderr = "";
    const code = await main(["--account-id", "12345"], { out: () => undefined, err: (t) => (stderr += t) });
    expect(stderr).toMatch(
      /^--account-id must be a 12-digit AWS account ID; received "12345"\.\n\nUsage: pinpoint-personalize-review/,
    );
    expect(code).toBe(2);
    stderr = "";
    expect(await main(["--stack-dir", "no-such-dir"], { out: () => undefined, err: (t) => (stderr += t) })).toBe(2);
    expect(stderr).toMatch(
      /^--stack-dir must be a synthesized stack directory, with a cdk\.tf\.json; received "no-such-dir"\./,
    );
  });
});

describe("npm run review with inputs it cannot review", () => {
  async function run(args: string[]) {
    let stderr = "";
    const code = await main([...args, "--out", temp("review-out-")], {
      out: () => undefined,
      err: (t) => (stderr += t),
    });
    return { code, stderr };
  }
  function planFile(content: unknown): string {
    const file = join(temp("plan-"), "plan.json");
    writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
    return file;
  }
  const role = (name: string, values: Record<string, unknown>) => ({
    address: `aws_iam_role.${name}`,
    mode: "managed",
    type: "aws_iam_role",
    name,
    values,
  });
  const plan = (resources: unknown[]) => ({
    terraform_version: "1.11.4",
    planned_values: { root_module: { resources } },
    configuration: { root_module: {} },
  });
  const lambdaTrust = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
  });
  const pinpointTrust = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "pinpoint.amazonaws.com" }, Action: "sts:AssumeRole" }],
  });

  test.each([
    ["a file that is neither JSON nor a binary plan", () => ["--plan", planFile("not json")], /is neither\./],
    [
      "JSON that is not a plan",
      () => ["--plan", planFile({ format_version: "1.0" })],
      /has no planned_values and configuration\./,
    ],
    ["a file that does not exist", () => ["--plan", "/nonexistent/plan.json"], /does not exist\./],
    [
      "a plan with no Pinpoint role: it lists the roles it found",
      () => ["--plan", planFile(plan([role("worker", { name: "worker", assume_role_policy: lambdaTrust })]))],
      /^The plan has no IAM role that pinpoint\.amazonaws\.com can assume; the roles it has: aws_iam_role\.worker\.$/m,
    ],
    [
      "a directory with no Terraform files",
      () => ["--dir", temp("empty-")],
      /^--dir must be a Terraform root module, a directory with \.tf or \.tf\.json files/,
    ],
    [
      "two configurations at once",
      () => ["--stack-dir", ".", "--dir", "."],
      /^Give one of --stack-dir and --dir \(with or without --plan\); received --stack-dir and --dir\./,
    ],
  ])("%s: exit 2 with a clear message", async (_name, args, message) => {
    const { code, stderr } = await run(args());
    expect(stderr).toMatch(message);
    expect(code).toBe(2);
  });

  test.each([
    [
      "is unknown at plan time",
      role("recs", { name: "recs" }),
      "FAIL aws_iam_role.recs: aws_iam_role.recs.assume_role_policy is not known at plan time (it depends on a value that only exists after apply)",
    ],
    [
      "is not a policy document IAM accepts",
      role("broken", { name: "broken", assume_role_policy: '{"Version":"2012-10-17","Statement":[null]}' }),
      "FAIL aws_iam_role.broken: aws_iam_role.broken.assume_role_policy is not an IAM policy document IAM accepts: statement 0 is not an object.",
    ],
  ])(
    "a role whose trust %s fails the review, beside the Pinpoint roles, naming the role and why",
    async (_name, unreadable, line) => {
      let stdout = "";
      const out = temp("review-out-");
      const code = await main(
        [
          "--plan",
          planFile(plan([unreadable, role("bare", { name: "bare", assume_role_policy: pinpointTrust })])),
          "--out",
          out,
        ],
        { out: (t) => (stdout += t), err: (t) => (stdout += t) },
      );
      expect(code).toBe(1);
      expect(stdout).toContain(line);
      const sarif = JSON.parse(readFileSync(join(out, "review.sarif"), "utf8")) as {
        runs: { results: { ruleId: string }[] }[];
      };
      expect(sarif.runs[0]?.results.map((r) => r.ruleId)).toContain("TRUST-UNREADABLE");
    },
  );

  test("a plan whose Pinpoint role reaches no policy fails, naming the role", async () => {
    let stdout = "";
    const code = await main(
      [
        "--plan",
        planFile(plan([role("bare", { name: "bare", assume_role_policy: pinpointTrust })])),
        "--out",
        temp("review-out-"),
      ],
      {
        out: (t) => (stdout += t),
        err: (t) => (stdout += t),
      },
    );
    expect(code).toBe(1);
    expect(stdout).toContain("error ROLE-GRANTS: No policy reaches aws_iam_role.bare: it grants nothing.");
    expect(stdout).toMatch(/^FAIL: aws_iam_role\.bare$/m);
  });
});

describe("the configuration's files, as Terraform reads them", () => {
  test("an override replaces each argument it writes, and every block of each type it writes, static or dynamic", () => {
    const base = {
      name: "guide",
      policy_arn: "${aws_iam_policy.guide.arn}",
      inline_policy: [{ name: "static" }],
      tag: [{ key: "kept" }],
      dynamic: { inline_policy: [{ for_each: "${var.a}" }], setting: [{ for_each: "${var.b}" }] },
    };
    expect(mergeOverride(base, { policy_arn: "${aws_iam_policy.admin.arn}" })).toEqual({
      ...base,
      policy_arn: "${aws_iam_policy.admin.arn}",
    });
    // A dynamic block of a type replaces the static and dynamic blocks of that type; a static block, the same.
    expect(mergeOverride(base, { dynamic: { inline_policy: [{ for_each: "${var.c}" }] } })).toEqual({
      name: "guide",
      policy_arn: "${aws_iam_policy.guide.arn}",
      tag: [{ key: "kept" }],
      dynamic: { inline_policy: [{ for_each: "${var.c}" }], setting: [{ for_each: "${var.b}" }] },
    });
    expect(mergeOverride(base, { inline_policy: [{ name: "override" }] })).toEqual({
      name: "guide",
      policy_arn: "${aws_iam_policy.guide.arn}",
      inline_policy: [{ name: "override" }],
      tag: [{ key: "kept" }],
      dynamic: { setting: [{ for_each: "${var.b}" }] },
    });
    // "The contents of any lifecycle nested block are merged on an argument-by-argument basis."
    expect(
      mergeOverride(
        { lifecycle: [{ ignore_changes: ["${managed_policy_arns}"], prevent_destroy: true }] },
        { lifecycle: [{ create_before_destroy: true, prevent_destroy: false }] },
      ),
    ).toEqual({
      lifecycle: [{ ignore_changes: ["${managed_policy_arns}"], create_before_destroy: true, prevent_destroy: false }],
    });
  });

  test("override files are merged in Terraform's order, by their names' UTF-8 bytes", () => {
    // U+FF5E is EF BD 9E in UTF-8, before the emoji's F0; in UTF-16 the emoji's surrogate D83D comes first.
    expect(inTerraformOrder(["😀_override.tf", "～_override.tf", "b_override.tf", "a_override.tf"])).toEqual([
      "a_override.tf",
      "b_override.tf",
      "～_override.tf",
      "😀_override.tf",
    ]);
  });

  test("files Terraform ignores are not configuration", () => {
    expect(
      ["main.tf", "a.tf.json", "x_override.tf", ".hidden.tf", "main.tf~", "#main.tf#", "main.tfvars"].filter(
        isConfigurationFile,
      ),
    ).toEqual(["main.tf", "a.tf.json", "x_override.tf"]);
  });
});
