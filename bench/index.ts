import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, release, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { benchRuns, measure, repeat, Summary } from "./measure";
import { benchReview } from "./review";
import { planSeconds } from "./plan-scale";
import { benchReviewPlan, ReviewPlanFigures } from "./review-plan";
import { benchReviewScale } from "./review-scale";
import { createStockProject } from "./stock";
import { benchmarksParts } from "./tests";
import { terraformBinary, terraformEnv } from "../packages/review/src/terraform";

/**
 * `npm run bench`: synth and review costs, against the stock cdktf setup, in one run on one
 * machine. Writes BENCHMARKS.md. Not part of `npm test`: it takes minutes and its figures
 * depend on the machine; it asserts nothing, it reports (targets met or missed).
 */
const root = join(__dirname, "..", "..");
const RUNS = benchRuns(5);
const SCALES = [1, 10, 100, 1000];

function log(text: string): void {
  process.stdout.write(`${text}\n`);
}

function fmt(s: Summary, unit: "s" | "MiB"): string {
  const digits = unit === "s" ? 2 : 0;
  return `${s.median.toFixed(digits)} ${unit} (${s.min.toFixed(digits)}-${s.max.toFixed(digits)})`;
}

function outdir(): { env: NodeJS.ProcessEnv; dispose: () => void; path: string } {
  const dir = mkdtempSync(join(tmpdir(), "bench-out-"));
  return {
    env: { CDKTF_OUTDIR: dir, CHECKPOINT_DISABLE: "1" },
    path: dir,
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Runs a command RUNS times after one warm-up. */
function bench(label: string, command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  log(`- ${label}`);
  measure(command, args, { cwd, env });
  const result = repeat(RUNS, () => measure(command, args, { cwd, env }));
  log(`  wall ${fmt(result.seconds, "s")}, peak RSS ${fmt(result.peakMiB, "MiB")}`);
  return result;
}

function machine(): string[] {
  const terraform = execFileSync(terraformBinary(), ["version", "-json"], {
    encoding: "utf8",
    env: terraformEnv(),
    stdio: ["ignore", "pipe", "ignore"],
  });
  return [
    `- CPU: ${cpus()[0]?.model ?? "unknown"}, ${cpus().length} cores; memory ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Linux ${release()}`,
    `- Node.js ${process.version}; Terraform ${(JSON.parse(terraform) as { terraform_version: string }).terraform_version}`,
    `- Date: ${new Date().toISOString().slice(0, 10)}; ${RUNS} runs per figure after one warm-up, median (min-max)`,
  ];
}

function verdict(met: boolean): string {
  return met ? "met" : "**missed**";
}

async function main(): Promise<void> {
  log("Benchmarking; this takes a few minutes.");
  const lines: string[] = [];

  const ours = outdir();
  const synth = bench("npm run synth (this project)", "npm", ["run", "--silent", "synth"], root, ours.env);
  const app = bench(
    "node --max-semi-space-size=1 dist/main.js (the app alone)",
    process.execPath,
    ["--max-semi-space-size=1", "dist/main.js"],
    root,
    ours.env,
  );
  const oursJson = readFileSync(join(ours.path, "stacks", "pinpoint-personalize", "cdk.tf.json"), "utf8");
  // The floor under any `npm run` command that loads cdktf: npm's own start, and loading cdktf.
  const npmAlone = bench("npm run env (npm's own cost)", "npm", ["run", "--silent", "env"], root);
  const cdktfAlone = bench(
    "node -e require('cdktf') (loading cdktf)",
    process.execPath,
    ["-e", "require('cdktf')"],
    root,
  );
  const cli = bench(
    "npx cdktf synth (this project's precompiled app)",
    "npx",
    ["cdktf", "synth", "--output", ours.path],
    root,
    ours.env,
  );

  log("- creating the stock cdktf project (template tsconfig, ts-node, package-index imports)");
  const stockDir = createStockProject();
  const stockOut = outdir();
  const stock = bench("npx ts-node main.ts (the stock way)", "npx", ["ts-node", "main.ts"], stockDir, stockOut.env);
  const stockJson = readFileSync(join(stockOut.path, "stacks", "pinpoint-personalize", "cdk.tf.json"), "utf8");
  const same = stockJson === oursJson;
  rmSync(stockDir, { recursive: true, force: true });
  stockOut.dispose();
  ours.dispose();

  const ratio = stock.seconds.median / synth.seconds.median;
  const appRatio = stock.seconds.median / app.seconds.median;
  const synthMiB = synth.peakMiB.median;
  const synthMB = (synthMiB * 2 ** 20) / 1e6;

  const scaling: { count: number; result: ReturnType<typeof repeat> }[] = [];
  for (const count of SCALES) {
    const out = outdir();
    scaling.push({
      count,
      result: bench(
        `${count} role constructs in one stack`,
        process.execPath,
        ["dist/bench/scale-app.js", String(count)],
        root,
        out.env,
      ),
    });
    out.dispose();
  }
  const thousand = scaling.find((s) => s.count === 1000)?.result.seconds.median ?? Number.NaN;

  log("- npm run review (offline, example values)");
  const review = benchReview(RUNS);
  log(`  wall ${fmt(review.wall, "s")}`);

  log("- npm run review --stack-dir on 100 roles");
  const scaled = benchReviewScale(100, RUNS);
  log(`  wall ${fmt(scaled.wall, "s")}`);

  log("- pinpoint-personalize-review --plan on plans of 1 and 100 roles");
  const onPlans: ReviewPlanFigures[] = [];
  for (const roles of [1, 100]) {
    const figures = await benchReviewPlan(roles, RUNS);
    onPlans.push(figures);
    log(`  ${roles} role(s): wall ${fmt(figures.wall, "s")}`);
  }
  const onPlan = (roles: number) => onPlans.find((f) => f.roles === roles)?.wall.median ?? Number.NaN;

  log("- offline plans of 100 and 1000 roles (once each)");
  const plans = [];
  for (const roles of [100, 1000]) plans.push({ roles, ...(await planSeconds(roles)) });

  lines.push(
    "# Benchmarks",
    "",
    "Written by `npm run bench` (not part of `npm test`). Wall time and peak RSS of the largest Node",
    "process of each command (npm, tsc, the app, ts-node, the cdktf CLI), read by a preloaded",
    "`process.resourceUsage()` reporter.",
    "",
    ...machine(),
    "",
    "## Synth: this project against the stock cdktf way",
    "",
    "The stock way is the same stack in a temporary project made from cdktf's TypeScript template",
    "(its tsconfig, `ts-node main.ts` as the app) with the package-index import of",
    "`@cdktf/provider-aws` that cdktf's documentation shows.",
    `Its output is ${same ? "byte-identical to" : "**different from**"} this project's.`,
    "",
    "| Command | Wall | Peak RSS |",
    "|---|---|---|",
    `| \`npm run synth\` (incremental build + \`node --max-semi-space-size=1 dist/main.js\`) | ${fmt(synth.seconds, "s")} | ${fmt(synth.peakMiB, "MiB")} |`,
    `| \`node --max-semi-space-size=1 dist/main.js\` (the app alone) | ${fmt(app.seconds, "s")} | ${fmt(app.peakMiB, "MiB")} |`,
    `| \`npx cdktf synth\` (this project's precompiled app) | ${fmt(cli.seconds, "s")} | ${fmt(cli.peakMiB, "MiB")} |`,
    `| stock: \`npx ts-node main.ts\`, package-index import | ${fmt(stock.seconds, "s")} | ${fmt(stock.peakMiB, "MiB")} |`,
    "",
    "| Target | Measured | |",
    "|---|---|---|",
    `| \`npm run synth\` at least 25x faster than the stock way | ${ratio.toFixed(1)}x (the app alone: ${appRatio.toFixed(1)}x) | ${verdict(ratio >= 25)} |`,
    `| \`npm run synth\` within 80 MB peak RSS | ${synthMB.toFixed(0)} MB (${synthMiB.toFixed(0)} MiB) | ${verdict(synthMB <= 80)} |`,
    "",
    `The floor under any \`npm run\` command that loads cdktf: npm's own start (\`npm run env\`) takes ` +
      `${fmt(npmAlone.seconds, "s")}, and loading cdktf (\`node -e "require('cdktf')"\`) ${fmt(cdktfAlone.seconds, "s")}; ` +
      `together ${(npmAlone.seconds.median + cdktfAlone.seconds.median).toFixed(2)} s, against ` +
      `${(stock.seconds.median / 25).toFixed(2)} s for 25x the stock way measured here. The app adds ` +
      `${(app.seconds.median - cdktfAlone.seconds.median).toFixed(2)} s to loading cdktf; the incremental build's ` +
      "up-to-date check (`tsc -b`) adds the rest.",
    "",
    "## Scaling: role constructs in one stack",
    "",
    "One stack, N `PinpointPersonalizeRole`s with their own names (`node dist/bench/scale-app.js N`).",
    "",
    "| Roles | Wall | Peak RSS |",
    "|---:|---|---|",
    ...scaling.map(({ count, result }) => `| ${count} | ${fmt(result.seconds, "s")} | ${fmt(result.peakMiB, "MiB")} |`),
    "",
    "| Target | Measured | |",
    "|---|---|---|",
    `| 1000 roles within 5 s | ${thousand.toFixed(2)} s | ${verdict(thousand <= 5)} |`,
    "",
    "## Review: `npm run review`, offline",
    "",
    "| Phase | Wall |",
    "|---|---|",
    ...Object.entries(review.phases).map(([phase, s]) => `| ${phase} | ${fmt(s, "s")} |`),
    `| whole command | ${fmt(review.wall, "s")} |`,
    "",
    "| Target | Measured | |",
    "|---|---|---|",
    `| whole review within 20 s | ${review.wall.median.toFixed(1)} s | ${verdict(review.wall.median <= 20)} |`,
    `| analysis within 2 s | ${(review.phases.analysis?.median ?? Number.NaN).toFixed(2)} s | ${verdict((review.phases.analysis?.median ?? Infinity) <= 2)} |`,
    "",
    "## Review at scale: 100 roles",
    "",
    "`npm run review -- --stack-dir DIR` on the scale app's stack of 100 roles (each with its own",
    "campaign, solution and names). Roles whose policies name nothing but their own campaign and",
    "solution share one set of probes, their IDs renamed; roles with one trust share its answers;",
    "each role's static checks run on their own.",
    "",
    "| Phase | Wall |",
    "|---|---|",
    ...Object.entries(scaled.phases).map(([phase, s]) => `| ${phase} | ${fmt(s, "s")} |`),
    `| whole command | ${fmt(scaled.wall, "s")} |`,
    "",
    "| Target | Measured | |",
    "|---|---|---|",
    `| 100 roles within 30 s, whole command | ${scaled.wall.median.toFixed(1)} s | ${verdict(scaled.wall.median <= 30)} |`,
    "",
    "## The installed review on a plan: `pinpoint-personalize-review --plan`",
    "",
    "The whole command as a pipeline runs it on a plan it already has (`--plan plan.json --stack-dir DIR`:",
    "Node.js's start, loading the evaluator, reading the configuration, the analysis, the three reports),",
    "on offline plans of the scale app's stack.",
    "",
    "| Roles | Wall | Peak RSS |",
    "|---:|---|---|",
    ...onPlans.map((f) => `| ${f.roles} | ${fmt(f.wall, "s")} | ${fmt(f.peakMiB, "MiB")} |`),
    "",
    "| Target | Measured | |",
    "|---|---|---|",
    `| 1 role within 1 s | ${onPlan(1).toFixed(2)} s | ${verdict(onPlan(1) <= 1)} |`,
    `| 100 roles within 3 s | ${onPlan(100).toFixed(2)} s | ${verdict(onPlan(100) <= 3)} |`,
    "",
    "## Plans at scale: shared data sources",
    "",
    "`terraform init` and an offline `terraform plan` of the scale app's stack (`node dist/bench/plan-scale.js N`),",
    "once each. Every role of a stack and provider shares one `aws_partition`, `aws_service` (the Region) and",
    "`aws_caller_identity`; before that (commit b52493b), each role read its own, measured on this",
    "machine the same way on 2026-11-26: 100 roles 14.6 s, 1000 roles 53.1 s (300 and 3000 data",
    "sources, and as many STS calls per plan).",
    "",
    "| Roles | init + plan | Partition, Region and caller-identity data sources |",
    "|---:|---|---:|",
    ...plans.map((p) => `| ${p.roles} | ${p.seconds.toFixed(1)} s | ${p.dataSources} |`),
    "",
  );
  // The test suite's section is npm run bench:tests's (it takes about 25 minutes of its own): kept as it is.
  const { tests } = benchmarksParts();
  if (tests !== "") lines.push(tests, "");
  writeFileSync(join(root, "BENCHMARKS.md"), lines.join("\n"));
  log("Wrote BENCHMARKS.md");
}

void main();
