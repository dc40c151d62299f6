#!/usr/bin/env node
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { parseArgs, ParseArgsConfig } from "node:util";
import { EXAMPLE_PLACE, PlanError } from "./offline-plan";
import { TerraformNotFoundError } from "./terraform";
import { configurationAdvice, PlanContext, PlanReview, renderReport, summary } from "./report";
import { SarifLog, sarifOf } from "./sarif";
import { SubjectError } from "./subject";
import { isConfigurationFile } from "./source";
import { Io, PhaseSeconds, PlanOptions, planOf, Progress, ReviewError, TERMINAL, UsageError } from "./planning";
import { reviewPlan } from "./review";

// The command line: its options, the phases in order with their progress, the three reports, and
// an exit status that tells a finding (1) from a review that could not run (2).

export type { Io };

const USAGE = `Usage: pinpoint-personalize-review [options]

Proves with an IAM policy evaluator exactly what every Amazon Pinpoint role of a plan grants and
who can assume it, and what a change grants or revokes. It reviews a plan you give it, or plans
with real Terraform and the real AWS provider, offline: no AWS account, no network.

What to review (one of):
  (nothing)            the cdktf project in this directory (cdktf.json's app)
  --stack-dir DIR      an already synthesized cdktf stack directory (with its cdk.tf.json)
  --dir DIR            a plain Terraform root module (HCL or JSON), planned offline the same way
  --plan FILE          a plan that already exists: no plan is made. JSON from \`terraform show -json\`,
                       - for that JSON on standard input, or a binary plan file (with --dir). With
                       --dir DIR or --stack-dir DIR, the configuration it was made from, which shows
                       what a plan's JSON leaves out (dynamic blocks, the exact expressions)

Options:
  --var NAME=VALUE     a Terraform variable value (repeatable), as with cdktf
  --var-file FILE      a Terraform variables file (repeatable)
  --account-id ID      account of the offline plan (default ${EXAMPLE_PLACE.accountId})
  --region REGION      Region of the offline plan (default ${EXAMPLE_PLACE.region})
  --online             plan against your own account with your usual credentials, no overrides
  --stack NAME         the app's stack to review (default: the app's only stack)
  --out DIR            where review.md, review.json and review.sarif go (default cdktf.out/review
                       for a cdktf app or stack, review for --dir or --plan alone)
  -h, --help           this text

Environment:
  TF_PROVIDER_MIRROR   a provider mirror directory holding hashicorp/aws, for planning with no
                       network (default /opt/tf-plugins where it exists; otherwise the registry)
  TERRAFORM_BINARY     the terraform executable (default: terraform on PATH)

Exit status: 0 when every role passes every check, 1 when any role has a finding or a failed
check (the report names it), 2 when the review could not run, or could not read a plan's roles
without the configuration it was made from (the message says what to do).`;

/** What the place of an offline plan must be: AWS's rules for an account ID and a Region code. */
const PLACE_RULES = {
  "account-id": { pattern: /^[0-9]{12}$/, requirement: "a 12-digit AWS account ID" },
  region: { pattern: /^[a-z]{2,}(-[a-z]+)+-[0-9]+$/, requirement: "an AWS Region code such as us-east-1" },
} as const;

interface Options extends PlanOptions {
  readonly out: string;
}

/** The command line's options, as node:util's parseArgs reads them. */
export const OPTIONS = {
  var: { type: "string", multiple: true, default: [] },
  "var-file": { type: "string", multiple: true, default: [] },
  "account-id": { type: "string", default: EXAMPLE_PLACE.accountId },
  region: { type: "string", default: EXAMPLE_PLACE.region },
  online: { type: "boolean", default: false },
  stack: { type: "string" },
  "stack-dir": { type: "string" },
  dir: { type: "string" },
  plan: { type: "string" },
  out: { type: "string" },
  help: { type: "boolean", short: "h", default: false },
} as const satisfies ParseArgsConfig["options"];

function options(argv: string[]): Options | "help" {
  const { values } = parseArgs({ args: argv, options: OPTIONS, strict: true });
  if (values.help) return "help";
  for (const v of values.var) {
    if (!/^[A-Za-z_][A-Za-z0-9_-]*=/.test(v)) throw new UsageError(`--var takes NAME=VALUE; received "${v}".`);
  }
  for (const [option, rule] of Object.entries(PLACE_RULES)) {
    const value = values[option as keyof typeof PLACE_RULES];
    if (!rule.pattern.test(value))
      throw new UsageError(`--${option} must be ${rule.requirement}; received "${value}".`);
  }
  const inputs = (["stack-dir", "dir"] as const).filter((name) => values[name] !== undefined);
  if (inputs.length > 1)
    throw new UsageError(
      `Give one of --stack-dir and --dir (with or without --plan); received ${inputs.map((i) => `--${i}`).join(" and ")}.`,
    );
  const stackDir = values["stack-dir"] ? resolve(values["stack-dir"]) : undefined;
  if (stackDir && !existsSync(join(stackDir, "cdk.tf.json"))) {
    throw new UsageError(
      `--stack-dir must be a synthesized stack directory, with a cdk.tf.json; received "${values["stack-dir"]}".`,
    );
  }
  const dir = values.dir ? resolve(values.dir) : undefined;
  if (dir && !(existsSync(dir) && readdirSync(dir).some(isConfigurationFile))) {
    throw new UsageError(
      `--dir must be a Terraform root module, a directory with .tf or .tf.json files; received "${values.dir}".`,
    );
  }
  const planFile = values.plan === "-" ? "-" : values.plan ? resolve(values.plan) : undefined;
  if (planFile && planFile !== "-" && !existsSync(planFile))
    throw new UsageError(
      `--plan must be a file, or - for standard input; received "${values.plan}", which does not exist.`,
    );
  return {
    vars: values.var,
    varFiles: values["var-file"].map((f) => resolve(f)),
    accountId: values["account-id"],
    region: values.region,
    online: values.online,
    ...(values.stack ? { stack: values.stack } : {}),
    ...(stackDir ? { stackDir } : {}),
    ...(dir ? { dir } : {}),
    ...(planFile ? { planFile } : {}),
    // Beside cdktf's own output in a cdktf project; a folder of its own in a Terraform one.
    out: resolve(values.out ?? (dir || (planFile && !stackDir) ? "review" : join("cdktf.out", "review"))),
  };
}

export interface ReviewResult {
  readonly review: PlanReview;
  readonly context: PlanContext;
  readonly seconds: PhaseSeconds;
}

/** Where the review writes its three reports, in the out directory. */
export const REPORT_FILES = { markdown: "review.md", json: "review.json", sarif: "review.sarif" } as const;

/** The review's own name, version and page: its package's. */
function toolInfo(): { name: string; version: string; informationUri: string } {
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    const file = join(dir, "package.json");
    if (existsSync(file)) {
      const manifest = JSON.parse(readFileSync(file, "utf8")) as { name: string; version: string };
      return {
        name: manifest.name,
        version: manifest.version,
        informationUri: `https://www.npmjs.com/package/${manifest.name}`,
      };
    }
  }
  throw new Error(`The review's package.json was not found above ${__dirname}.`);
}

async function review(opts: Options, io: Io, progress: Progress): Promise<{ result: ReviewResult; sarif: SarifLog }> {
  const work = mkdtempSync(join(tmpdir(), "review-"));
  try {
    const seconds: PhaseSeconds = {};
    const planned = await planOf(opts, io, work, progress, seconds);
    progress.begin("analysis");
    const result = await reviewPlan(planned.plan, planned.context);
    const decided = result.roles.reduce(
      (n, r) => n + r.analysis.proof.trust.classes + r.analysis.proof.permissions.classes,
      0,
    );
    seconds.analysis = progress.done(
      `${result.roles.length} role${result.roles.length === 1 ? "" : "s"}, ${decided} request classes decided by the IAM evaluator`,
    );
    const providerConstraint = planned.plan.configuration.provider_config?.aws?.version_constraint;
    const context: PlanContext = {
      mode: opts.planFile ? "file" : opts.online ? "online" : "offline",
      source: planned.source,
      terraformVersion: planned.plan.terraform_version,
      ...(planned.providerVersion
        ? { providerVersion: planned.providerVersion }
        : providerConstraint
          ? { providerConstraint }
          : {}),
      exampleValues: planned.exampleValues,
    };
    const sarif = sarifOf(result, {
      tool: toolInfo(),
      ...(planned.context.locate ? { locate: planned.context.locate } : {}),
      ...(planned.file ? { planFile: planned.file } : {}),
    });
    return { result: { review: result, context, seconds }, sarif };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export async function main(argv: string[], io: Io = TERMINAL): Promise<number> {
  let opts: Options | "help";
  try {
    opts = options(argv);
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (opts === "help") {
    io.out(`${USAGE}\n`);
    return 0;
  }
  const progress = new Progress(io, opts.planFile ? 2 : 4);
  try {
    const { result, sarif } = await review(opts, io, progress);
    if (!result.review.passed && result.review.needConfiguration.length > 0) {
      // Not a finding about the roles: the review could not read them from the plan alone. No report.
      io.err(`${configurationAdvice(result.review.needConfiguration)}\n`);
      return 2;
    }
    mkdirSync(opts.out, { recursive: true });
    writeFileSync(join(opts.out, REPORT_FILES.markdown), renderReport(result.review, result.context));
    writeFileSync(join(opts.out, REPORT_FILES.json), `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync(join(opts.out, REPORT_FILES.sarif), `${JSON.stringify(sarif, null, 2)}\n`);
    io.out(`report: ${relative(process.cwd(), join(opts.out, "review.md"))}\n${summary(result.review)}\n`);
    return result.review.passed ? 0 : 1;
  } catch (error) {
    progress.interrupt();
    if (error instanceof PlanError) {
      io.err(`terraform ${error.stage} failed. ${error.advice}\n`);
      for (const message of error.terraformMessages) io.err(`  ${message.replace(/\n/g, "\n  ")}\n`);
    } else if (
      error instanceof TerraformNotFoundError ||
      error instanceof UsageError ||
      error instanceof ReviewError ||
      error instanceof SubjectError
    ) {
      io.err(`${error.message}\n`);
    } else {
      // Never an unexplained exit: CI must tell a review that could not run from a finding.
      io.err(`The review failed unexpectedly: ${(error as Error).stack ?? String(error)}\n`);
    }
    return 2;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
