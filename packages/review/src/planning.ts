import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import {
  PlanError,
  TerraformPlan,
  terraformInit,
  terraformPlan,
  withOfflineEnvironment,
  withOfflineProvider,
} from "./offline-plan";
import { providerMirror, terraformAsync } from "./terraform";
import { locator } from "./configuration";
import { ConfigurationSource } from "./source";
import { ReviewContext } from "./subject";

// The review's first phases: the plan to review, made offline (or online) from a cdktf app, a
// synthesized stack or a Terraform root module, or read from a plan file; and the configuration it
// was made from, where the review has it.

/** Example values for the required variables, used when none are given. */
export const EXAMPLE_VALUES: Readonly<Record<string, string>> = {
  campaign_id: "example-campaign",
  solution_id: "example-solution",
};

/** A command line's request the review cannot act on: the message says why and what to give. */
export class UsageError extends Error {}
/** The review could not run (the app failed to synthesize): the message says why. */
export class ReviewError extends Error {}

/** What to plan, and how. */
export interface PlanOptions {
  readonly vars: string[];
  readonly varFiles: string[];
  readonly accountId: string;
  readonly region: string;
  readonly online: boolean;
  readonly stack?: string;
  readonly stackDir?: string;
  readonly dir?: string;
  readonly planFile?: string;
}

/** Where the review writes: the terminal, or a test's buffers. */
export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}
export const TERMINAL: Io = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

/** Step-by-step progress: "[2/4] init: ... (1.6 s)". */
export class Progress {
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

/** How long each phase took, in seconds. */
export type PhaseSeconds = Partial<Record<"synth" | "init" | "plan" | "analysis", number>>;

/** Terraform's variable arguments: the given ones, and example values for the project's required variables. */
function variableArguments(
  opts: PlanOptions,
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

export interface Planned {
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
  opts: PlanOptions,
  work: string,
  progress: Progress,
  seconds: PhaseSeconds,
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
  opts: PlanOptions,
  progress: Progress,
  seconds: PhaseSeconds,
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
  seconds.plan = progress.done(
    opts.online ? "online" : `offline, account ${opts.accountId}, ${planRegions(plan, opts.region).join(", ")}`,
  );
  return { plan, ...(providerVersion ? { providerVersion } : {}) };
}

/**
 * The Regions an offline plan's AWS providers are in: each configuration's own where it sets one
 * (a constant), the review's default (`--region`) for the others.
 */
function planRegions(plan: TerraformPlan, fallback: string): string[] {
  const configs = Object.entries(plan.configuration.provider_config ?? {}).filter(
    ([key]) => key === "aws" || key.startsWith("aws.") || key.endsWith(":aws") || key.includes(":aws."),
  );
  const regions = configs.map(([, config]) => {
    const region = config.expressions?.region?.constant_value;
    return typeof region === "string" ? region : fallback;
  });
  return [...new Set(regions.length > 0 ? regions : [fallback])].sort();
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
  opts: PlanOptions,
  io: Io,
  work: string,
  progress: Progress,
  seconds: PhaseSeconds,
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
  opts: PlanOptions,
  dir: string,
  io: Io,
  work: string,
  progress: Progress,
  seconds: PhaseSeconds,
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

/** The plan to review, as the options ask for it: read, or made in `work`. */
export function planOf(
  opts: PlanOptions,
  io: Io,
  work: string,
  progress: Progress,
  seconds: PhaseSeconds,
): Promise<Planned> {
  if (opts.planFile) return readPlanFile(opts.planFile, opts.dir ?? opts.stackDir, work, progress);
  if (opts.dir) return planDirectory(opts, opts.dir, io, work, progress, seconds);
  return planStack(opts, io, work, progress, seconds);
}
