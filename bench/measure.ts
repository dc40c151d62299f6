import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Run {
  /** Wall time of the whole command, in seconds. */
  readonly seconds: number;
  /** Peak RSS of the largest Node process of the command (npm, tsc, the app), in MiB. */
  readonly peakMiB: number;
  /** The process that had that peak. */
  readonly peakProcess: string;
}

const REPORTER = join(__dirname, "report-rss.js");

/** Runs a command once, timing it and reading the peak RSS of each Node process it starts. */
export function measure(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Run {
  const dir = mkdtempSync(join(tmpdir(), "bench-"));
  const rssFile = join(dir, "rss");
  const env = {
    ...process.env,
    ...options.env,
    BENCH_RSS_FILE: rssFile,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${REPORTER}`.trim(),
  };
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd: options.cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed (exit ${result.status}):\n${result.stderr.toString()}`);
  }
  const processes = readFileSync(rssFile, "utf8")
    .trim()
    .split("\n")
    .map((line) => {
      const [, kib, ...argv] = line.split(" ");
      return { mib: Number(kib) / 1024, argv: argv.join(" ") };
    });
  rmSync(dir, { recursive: true, force: true });
  const peak = processes.reduce((a, b) => (b.mib > a.mib ? b : a));
  return { seconds, peakMiB: peak.mib, peakProcess: peak.argv };
}

export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

export function repeat(times: number, run: () => Run): { seconds: Summary; peakMiB: Summary; runs: Run[] } {
  const runs = Array.from({ length: times }, run);
  return { seconds: summarize(runs.map((r) => r.seconds)), peakMiB: summarize(runs.map((r) => r.peakMiB)), runs };
}

/** How many measured runs a benchmark makes: `BENCH_RUNS`, or the benchmark's own default. */
export function benchRuns(defaultRuns: number): number {
  const runs = Number(process.env.BENCH_RUNS ?? defaultRuns);
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error(`BENCH_RUNS must be a whole number of runs, 1 or more. Received "${process.env.BENCH_RUNS}".`);
  return runs;
}
