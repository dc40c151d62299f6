import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parse } from "yaml";
import { PinpointPersonalizeStack } from "../lib";
import { readmeCodeBlocks } from "../test-support/readme";
import { synthDirs } from "../test-support/synth";
import { tempDirs } from "../test-support/temp";
import { OPTIONS, REPORT_FILES } from "../packages/review/src/cli";
import { CheckId, CHECKS } from "../packages/review/src/checks";
import { planOffline, TerraformPlan } from "../packages/review/src/offline-plan";
import { SarifLog } from "../packages/review/src/sarif";
import { terraformEnv } from "../packages/review/src/terraform";

/**
 * The review as a team installs it: its own package, packed, installed into an empty folder outside
 * this repository (no dev dependencies, no access to the repository's node_modules), and run on
 * plans as pipelines have them. And its CI examples, as its README documents them.
 */
const root = join(__dirname, "..");
const packageDir = join(root, "packages", "review");
const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as {
  name: string;
  version: string;
  bin: Record<string, string>;
  dependencies: Record<string, string>;
};
const temp = tempDirs();
const synthesized = synthDirs();

let consumer: string;
let bin: string;
let stackDir: string;
let planJson: string;
let packed: string[];
/** Where the packed tarball is, and its file name. */
let packs: string;
let tarball: string;
/** npm's cache on this machine, so that npx installs the tarball's dependencies as a warm runner does. */
const npmCache = execFileSync("npm", ["config", "get", "cache"], { encoding: "utf8" }).trim();

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly out: string;
}

/** Runs the installed command in `cwd`, with only Node.js on PATH unless told otherwise. */
function run(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): Run {
  const out = temp("review-out-");
  const result = spawnSync(bin, [...args, "--out", out], {
    cwd: consumer,
    encoding: "utf8",
    input: options.input,
    env: options.env ?? { PATH: dirname(process.execPath), HOME: consumer },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, out };
}

beforeAll(async () => {
  packs = temp("review-pack-");
  const pack = JSON.parse(
    execFileSync("npm", ["pack", "-w", manifest.name, "--json", "--pack-destination", packs], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    }),
  ) as { filename: string; files: { path: string }[] }[];
  packed = (pack[0]?.files ?? []).map((f) => f.path).sort();
  tarball = pack[0]?.filename ?? "";
  consumer = temp("review-consumer-");
  writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "pipeline", private: true }));
  execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", join(packs, tarball)], {
    cwd: consumer,
    stdio: "pipe",
  });
  bin = join(consumer, "node_modules", ".bin", Object.keys(manifest.bin)[0] ?? "");
  // A real plan of this project's stack, offline; the binary plan file stays beside its configuration.
  stackDir = synthesized((app) => new PinpointPersonalizeStack(app, "pipeline"));
  const plan = await planOffline(stackDir, ["-var=campaign_id=books", "-var=solution_id=books-solution"]);
  planJson = join(temp("plan-"), "plan.json");
  writeFileSync(planJson, JSON.stringify(plan));
});

describe("the packed review, installed alone", () => {
  test("holds compiled JavaScript, declarations, its README and its CI examples, and needs only its dependencies", () => {
    expect(packed.filter((f) => !/^dist\/.*\.(js|d\.ts)$/.test(f))).toEqual([
      "LICENSE",
      "README.md",
      "examples/github-actions.yml",
      "examples/gitlab-ci.yml",
      "package.json",
    ]);
    expect(packed).toContain("dist/cli.js");
    const modules = join(consumer, "node_modules");
    for (const name of Object.keys(manifest.dependencies)) expect(existsSync(join(modules, name))).toBe(true);
    // No TypeScript, no cdktf, no test tooling: nothing at run time that only this repository needs.
    for (const name of ["typescript", "cdktf", "@cdktf/provider-aws", "jest", "pinpoint-personalize-role"]) {
      expect([name, existsSync(join(modules, name))]).toEqual([name, false]);
    }
  });

  test("reviews a JSON plan with its configuration, with no Terraform on PATH: exit 0 and the three reports", () => {
    const { code, stdout, stderr, out } = run(["--plan", planJson, "--stack-dir", stackDir]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toMatch(/^PASS: 1 role$/m);
    for (const file of Object.values(REPORT_FILES)) expect(existsSync(join(out, file))).toBe(true);
  });

  test("reads the plan from standard input with -", () => {
    const { code, stdout } = run(["--plan", "-", "--stack-dir", stackDir], { input: readFileSync(planJson, "utf8") });
    expect(code).toBe(0);
    expect(stdout).toContain("[1/2] read: Terraform");
  });

  test("reads a binary plan file in its configuration directory, running terraform show itself", () => {
    const binary = join(stackDir, "review.tfplan");
    expect(readFileSync(binary).subarray(0, 2).toString()).toBe("PK");
    const { code, stdout, stderr } = run(["--plan", binary, "--dir", stackDir], {
      env: { ...terraformEnv(), HOME: consumer },
    });
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toContain("binary plan read with terraform show");
  });

  test("a binary plan without its configuration: exit 2, saying what to give", () => {
    const { code, stderr } = run(["--plan", join(stackDir, "review.tfplan")]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/is a binary plan file: give the directory it was planned in with --dir/);
  });

  test("exit 1 on a wider role, 2 on a file that is no plan", () => {
    const plan = JSON.parse(readFileSync(planJson, "utf8")) as TerraformPlan;
    const policy = plan.planned_values.root_module.resources?.find((r) => r.address === "aws_iam_policy.this");
    if (policy === undefined) throw new Error("the plan has no aws_iam_policy.this");
    policy.values.policy = (policy.values.policy as string).replace("personalize:GetRecommendations", "personalize:*");
    const wider = join(temp("plan-"), "wider.json");
    writeFileSync(wider, JSON.stringify(plan));
    expect(run(["--plan", wider, "--stack-dir", stackDir]).code).toBe(1);
    const notPlan = join(temp("plan-"), "not-a-plan.json");
    writeFileSync(notPlan, "{}");
    expect(run(["--plan", notPlan]).code).toBe(2);
  });
});

describe("the SARIF it writes, for GitHub code scanning", () => {
  let failing: SarifLog;
  let passing: SarifLog;
  const multitool = require.resolve("@microsoft/sarif-multitool-linux/Sarif.Multitool");

  beforeAll(() => {
    const plan = JSON.parse(readFileSync(planJson, "utf8")) as TerraformPlan;
    const policy = plan.planned_values.root_module.resources?.find((r) => r.address === "aws_iam_policy.this");
    if (policy === undefined) throw new Error("the plan has no aws_iam_policy.this");
    policy.values.policy = (policy.values.policy as string).replace('"Resource":[', '"Resource":["*",');
    const wider = join(temp("plan-"), "wider.json");
    writeFileSync(wider, JSON.stringify(plan));
    const read = (r: Run) => JSON.parse(readFileSync(join(r.out, REPORT_FILES.sarif), "utf8")) as SarifLog;
    failing = read(run(["--plan", wider, "--stack-dir", stackDir]));
    passing = read(run(["--plan", planJson, "--stack-dir", stackDir]));
  });

  test.each([
    ["a failing review", () => failing],
    ["a passing review", () => passing],
  ])("%s is valid SARIF 2.1.0 by the SARIF Multitool", (_name, log) => {
    const dir = temp("sarif-");
    const file = join(dir, "review.sarif");
    writeFileSync(file, JSON.stringify(log()));
    // validate prints "error ..." lines and exits 0 either way: its output is the verdict.
    const result = spawnSync(multitool, ["validate", file, "--output", join(dir, "validation.sarif")], {
      encoding: "utf8",
      env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: "1" },
    });
    expect(result.stdout).toContain("Analysis completed successfully");
    expect(result.stdout.split("\n").filter((l) => /\berror\b/i.test(l))).toEqual([]);
  });

  test("one rule per check, with the fields GitHub reads; results only of those rules, located at a file and line of the configuration", () => {
    expect(failing.version).toBe("2.1.0");
    const run0 = failing.runs[0];
    const driver = run0?.tool.driver as { name: string; version: string; rules: Record<string, unknown>[] };
    expect([driver.name, driver.version]).toEqual([manifest.name, manifest.version]);
    expect(driver.rules.map((r) => r.id)).toEqual(Object.keys(CHECKS));
    for (const rule of driver.rules as {
      id: string;
      shortDescription?: { text?: unknown };
      fullDescription?: { text?: unknown };
      help?: { text?: unknown };
      properties?: Record<string, unknown>;
    }[]) {
      const texts = [rule.shortDescription?.text, rule.fullDescription?.text, rule.help?.text];
      expect([rule.id, texts.every((t) => typeof t === "string" && t.length > 10)]).toEqual([rule.id, true]);
      expect([rule.id, rule.properties?.["security-severity"]]).toEqual([
        rule.id,
        CHECKS[rule.id as CheckId].securitySeverity.toFixed(1),
      ]);
    }
    const results = run0?.results as {
      ruleId: string;
      level: string;
      message: { text: string };
      locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
    }[];
    expect(results.length).toBeGreaterThan(0);
    expect(results.map((r) => r.ruleId)).toContain("IAM-WILDCARD-RESOURCE");
    for (const r of results) {
      expect(Object.keys(CHECKS)).toContain(r.ruleId);
      const { artifactLocation, region } = r.locations[0]?.physicalLocation ?? {
        artifactLocation: { uri: "" },
        region: { startLine: 0 },
      };
      // Relative to the working directory (the repository's root, in a pipeline), and a line that writes a resource.
      expect(artifactLocation.uri).not.toMatch(/^(\/|file:)/);
      const line = readFileSync(join(consumer, artifactLocation.uri), "utf8").split("\n")[region.startLine - 1];
      expect(line).toMatch(/^\s*"[^"]+": \{$/);
    }
    expect(passing.runs[0]?.results).toEqual([]);
  });
});

describe("the CI examples the review's README documents, run as written", () => {
  const readme = readFileSync(join(packageDir, "README.md"), "utf8");
  // The review's own options: those after the command's name (npx's options come before it).
  const flags = (line: string) =>
    [...line.slice(line.lastIndexOf(Object.keys(manifest.bin)[0] ?? "")).matchAll(/ --([a-z-]+)/g)].map((m) => m[1]);

  /**
   * A pipeline's workspace: the review's tarball where REVIEW_PACKAGE names it, and infra/, the
   * configuration (this project's stack, initialized and planned, its plan file as tfplan).
   */
  function workspace(reviewPackage: string): string {
    const ws = temp("pipeline-");
    expect(reviewPackage).toBe(`./ci/${tarball}`);
    mkdirSync(join(ws, "ci"));
    copyFileSync(join(packs, tarball), join(ws, reviewPackage));
    cpSync(stackDir, join(ws, "infra"), { recursive: true });
    copyFileSync(join(stackDir, "review.tfplan"), join(ws, "infra", "tfplan"));
    copyFileSync(planJson, join(ws, "plan.json"));
    return ws;
  }

  /** A step's shell command, as the runner runs it: REVIEW_PACKAGE set, npm's cache the machine's. */
  function runStep(command: string, ws: string, reviewPackage: string, env: NodeJS.ProcessEnv) {
    return spawnSync("bash", ["-c", command], {
      cwd: ws,
      encoding: "utf8",
      env: {
        ...env,
        HOME: ws,
        REVIEW_PACKAGE: reviewPackage,
        npm_config_cache: npmCache,
        npm_config_update_notifier: "false",
      },
    });
  }

  test("GitHub Actions: it plans, reviews the binary plan with npx and the tarball, uploads the SARIF and comments the report", () => {
    const workflow = parse(readFileSync(join(packageDir, "examples", "github-actions.yml"), "utf8")) as {
      permissions: Record<string, string>;
      env: Record<string, string>;
      jobs: { review: { steps: { name?: string; run?: string; uses?: string; with?: Record<string, string> }[] } };
    };
    expect(workflow.permissions["security-events"]).toBe("write");
    const steps = workflow.jobs.review.steps;
    const review = steps.find((s) => s.name === "Review the plan")?.run ?? "";
    // The command is the README's and takes only options the command has.
    expect(readmeCodeBlocks("yaml", join(packageDir, "README.md")).some((block) => block.includes(review))).toBe(true);
    for (const flag of flags(review)) expect(Object.keys(OPTIONS)).toContain(flag);
    expect(steps.some((s) => s.run?.includes("terraform -chdir=infra plan -input=false -out=tfplan"))).toBe(true);

    const ws = workspace(workflow.env.REVIEW_PACKAGE ?? "");
    const result = runStep(review, ws, workflow.env.REVIEW_PACKAGE ?? "", terraformEnv());
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: "" });
    const upload = steps.find((s) => s.uses?.startsWith("github/codeql-action/upload-sarif@"));
    expect(existsSync(join(ws, upload?.with?.sarif_file ?? "none"))).toBe(true);
    const comment = /--body-file (\S+)/.exec(steps.map((s) => s.run ?? "").join("\n"))?.[1] ?? "none";
    expect(readFileSync(join(ws, comment), "utf8")).toMatch(/^# IAM review: PASS, 1 Pinpoint role$/m);
  });

  test("GitLab CI: it reviews the plan's JSON with npx and the tarball, with no Terraform, and keeps the reports", () => {
    const pipeline = parse(readFileSync(join(packageDir, "examples", "gitlab-ci.yml"), "utf8")) as Record<
      string,
      { script?: string[]; artifacts?: { paths?: string[] } }
    > & { variables: Record<string, string> };
    const script = pipeline["iam-review"]?.script ?? [];
    const review = script.find((l) => l.includes(Object.keys(manifest.bin)[0] ?? "")) ?? "";
    expect(readmeCodeBlocks("yaml", join(packageDir, "README.md")).some((block) => block.includes(review))).toBe(true);
    for (const flag of flags(review)) expect(Object.keys(OPTIONS)).toContain(flag);
    expect(pipeline.plan?.script).toContain("terraform -chdir=infra show -json tfplan > plan.json");

    const ws = workspace(pipeline.variables.REVIEW_PACKAGE ?? "");
    // Node's image: Node.js and npm, no Terraform.
    const result = runStep(review, ws, pipeline.variables.REVIEW_PACKAGE ?? "", { PATH: dirname(process.execPath) });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: "" });
    for (const kept of pipeline["iam-review"]?.artifacts?.paths ?? []) {
      for (const file of Object.values(REPORT_FILES)) expect(existsSync(join(ws, kept, file))).toBe(true);
    }
  });

  test("the README says how to install the package until a registry has it", () => {
    expect(readme).toContain("npm pack -w pinpoint-personalize-review");
  });
});

test("the construct library's package depends on none of the review's packages", () => {
  const library = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as Record<string, unknown>;
  expect(library.dependencies).toBeUndefined();
  expect(Object.keys((library.peerDependencies as Record<string, string>) ?? {}).sort()).toEqual([
    "@cdktf/provider-aws",
    "cdktf",
    "constructs",
  ]);
  const files = JSON.parse(
    execFileSync("npm", ["pack", "--dry-run", "--json"], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    }),
  ) as {
    files: { path: string }[];
  }[];
  expect((files[0]?.files ?? []).map((f) => f.path)).toEqual(expect.arrayContaining([".jsii", "dist/lib/index.js"]));
  expect(
    (files[0]?.files ?? []).filter(
      (f) => !f.path.startsWith("dist/lib/") && ![".jsii", "LICENSE", "package.json", "README.md"].includes(f.path),
    ),
  ).toEqual([]);
});

test("no package runs a script when a consumer installs it: npm warns of any that allowScripts does not cover", () => {
  const lifecycle = ["preinstall", "install", "postinstall", "prepare"];
  for (const dir of [root, packageDir, join(root, "packages", "cdktn")]) {
    const { name, scripts = {} } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
      name: string;
      scripts?: Record<string, string>;
    };
    expect([name, Object.keys(scripts).filter((s) => lifecycle.includes(s))]).toEqual([name, []]);
  }
});
