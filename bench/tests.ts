import { execFileSync, spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { basename, dirname, join, relative } from "node:path";

/**
 * `npm run bench:tests`: what the README's test command costs, alone on the machine and beside a
 * second run of itself. Two clean clones of HEAD (what is committed; `npm ci` in each before any
 * clock starts, as CI installs them):
 *
 * 1. `npm test` in the first clone, alone: its first run, so with no caches of its own (the
 *    Python virtual environment, the CDK Terrain binding, Jest's durations), as on CI;
 * 2. `npm test` in the first clone again, alone: with its caches, as a contributor reruns it;
 * 3. `npm test` in both clones at once: the first with its caches, the second with none.
 *
 * Each figure is the command's wall time and the processor time of everything it ran (user and
 * system, from bash's `times`), and its tests' outcome. Writes the "## Tests" section of
 * BENCHMARKS.md (`npm run bench` keeps it) and prints the figures. It asserts nothing: a failing
 * run is reported as one, its output kept in build/. Takes about 25 minutes on a 2-core machine.
 */
const root = join(__dirname, "..", "..");
const BENCHMARKS = join(root, "BENCHMARKS.md");
const TESTS_SECTION = "## Tests";
/** What the suite's time budget asks: within 3 minutes on an idle machine. */
const IDLE_TARGET_SECONDS = 180;

interface TestRun {
  readonly label: string;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly code: number;
  /** Jest's summary line ("Tests: 983 passed, 983 total"), or what ended the run. */
  readonly outcome: string;
}

function log(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** A clean clone of HEAD with its packages installed from the lockfile. */
function cleanClone(name: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), "bench-tests-")), name);
  execFileSync("git", ["clone", "--quiet", "--no-hardlinks", root, dir], { stdio: "inherit" });
  execFileSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: dir, stdio: "ignore" });
  return dir;
}

/** bash's `times`, second line: the children's user and system time, as `1m2.345s 0m6.789s`. */
function childSeconds(times: string): number {
  const lines = times.trim().split("\n");
  const children = lines[lines.length - 1] ?? "";
  return [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, [, m, s]) => sum + Number(m) * 60 + Number(s), 0);
}

/** Runs `npm test` in `dir`; resolves with its wall and processor time and its outcome. */
function npmTest(label: string, dir: string): Promise<TestRun> {
  const logFile = join(dir, "bench-npm-test.log");
  const start = process.hrtime.bigint();
  const child = spawn("bash", ["-c", 'npm test > "$1" 2>&1; code=$?; times; exit $code', "bash", logFile], {
    cwd: dir,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let times = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (times += chunk));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const output = existsSync(logFile) ? readFileSync(logFile, "utf8") : "";
      let summary = /^Tests:.*$/m.exec(output)?.[0] ?? `no Jest summary (exit ${code})`;
      if (code !== 0 && existsSync(logFile)) {
        // The clone goes at the end; a failing run's output stays where it can be read.
        const kept = join(root, "build", `bench-tests-${basename(dir)}-${Date.now()}.log`);
        mkdirSync(dirname(kept), { recursive: true });
        copyFileSync(logFile, kept);
        summary += `; output in ${relative(root, kept)}`;
      }
      resolve({ label, seconds, cpuSeconds: childSeconds(times), code: code ?? 1, outcome: summary });
    });
  });
}

function row(run: TestRun): string {
  const whole = Math.round(run.seconds);
  const minutes = `${Math.floor(whole / 60)} min ${whole % 60} s`;
  return `| ${run.label} | ${whole} s (${minutes}) | ${run.cpuSeconds.toFixed(0)} s | ${run.code === 0 ? "passed" : `**failed** (exit ${run.code})`}: ${run.outcome.replace(/^Tests:\s*/, "")} |`;
}

/**
 * BENCHMARKS.md in two parts: what `npm run bench` writes, and this script's "## Tests" section
 * (from its heading to the end of the file; empty when there is none). Each script rewrites its own.
 */
export function benchmarksParts(): { head: string; tests: string } {
  const current = existsSync(BENCHMARKS) ? readFileSync(BENCHMARKS, "utf8") : "# Benchmarks\n";
  const at = current.indexOf(`\n${TESTS_SECTION}\n`);
  if (at === -1) return { head: current.trimEnd(), tests: "" };
  return { head: current.slice(0, at).trimEnd(), tests: current.slice(at + 1).trimEnd() };
}

/** Replaces BENCHMARKS.md's "## Tests" section with `section`. */
function writeSection(section: string[]): void {
  writeFileSync(BENCHMARKS, `${benchmarksParts().head}\n\n${section.join("\n")}\n`);
}

async function main(): Promise<void> {
  log("- two clean clones of HEAD, npm ci in each");
  const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
  const clones: string[] = [];
  try {
    const first = cleanClone("first");
    clones.push(first);
    const second = cleanClone("second");
    clones.push(second);
    log("- npm test in the first clone, alone (its first run)");
    const alone = await npmTest("alone, first run in a clean clone", first);
    log(`  ${row(alone)}`);
    log("- npm test in the first clone again, alone");
    const again = await npmTest("alone, again in the same clone (its caches made)", first);
    log(`  ${row(again)}`);
    log("- npm test in both clones at once");
    const [warm, cold] = await Promise.all([
      npmTest("beside a second `npm test`: the first clone, its caches made", first),
      npmTest("beside a second `npm test`: the second clone, its first run", second),
    ]);
    log(`  ${row(warm)}\n  ${row(cold)}`);
    const met = again.code === 0 && again.seconds <= IDLE_TARGET_SECONDS;
    writeSection([
      TESTS_SECTION,
      "",
      `Written by \`npm run bench:tests\` on ${new Date().toISOString().slice(0, 10)} (${cpus().length} cores):`,
      `\`npm test\` in clean clones of commit ${commit}, each installed with \`npm ci\` first. Processor time is`,
      "the user and system time of everything the command ran.",
      "",
      "| Run | Wall | Processor | Tests |",
      "|---|---|---|---|",
      ...[alone, again, warm, cold].map(row),
      "",
      `Target: within 3 minutes on an idle machine: ${met ? "met" : "**missed**"} (${again.seconds.toFixed(0)} s, its caches made).`,
      "",
    ]);
    log("Wrote the Tests section of BENCHMARKS.md");
  } finally {
    for (const dir of clones) rmSync(join(dir, ".."), { recursive: true, force: true });
  }
}

if (require.main === module) void main();
