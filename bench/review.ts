import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { benchRuns, measure, summarize } from "./measure";

/**
 * `npm run review` as a user runs it (offline, example values): the wall time of the whole command
 * and of each phase, over several runs after a warm-up. Prints figures; asserts nothing.
 * Targets (issue: offline plan review): the whole review within 20 s, the analysis within 2 s.
 */
const root = join(__dirname, "..", "..");
const runs = benchRuns(5);

export interface ReviewFigures {
  readonly wall: ReturnType<typeof summarize>;
  readonly phases: Record<string, ReturnType<typeof summarize>>;
  readonly peakMiB: ReturnType<typeof summarize>;
}

export function benchReview(times: number): ReviewFigures {
  const out = mkdtempSync(join(tmpdir(), "bench-review-"));
  try {
    measure("npm", ["run", "--silent", "review", "--", "--out", out], { cwd: root });
    const walls: number[] = [];
    const peaks: number[] = [];
    const phases: Record<string, number[]> = {};
    for (let i = 0; i < times; i++) {
      const run = measure("npm", ["run", "--silent", "review", "--", "--out", out], { cwd: root });
      walls.push(run.seconds);
      peaks.push(run.peakMiB);
      const { seconds } = JSON.parse(readFileSync(join(out, "review.json"), "utf8")) as {
        seconds: Record<string, number>;
      };
      for (const [phase, value] of Object.entries(seconds)) (phases[phase] ??= []).push(value);
    }
    return {
      wall: summarize(walls),
      peakMiB: summarize(peaks),
      phases: Object.fromEntries(Object.entries(phases).map(([phase, values]) => [phase, summarize(values)])),
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const figures = benchReview(runs);
  const f = (s: ReturnType<typeof summarize>) =>
    `median ${s.median.toFixed(2)} s (min ${s.min.toFixed(2)}, max ${s.max.toFixed(2)})`;
  console.log(`npm run review (offline, example values), ${runs} runs after a warm-up:`);
  console.log(`  whole command  ${f(figures.wall)}`);
  for (const [phase, s] of Object.entries(figures.phases)) console.log(`  ${phase.padEnd(13)}  ${f(s)}`);
  console.log(`  peak RSS of the largest Node process: median ${figures.peakMiB.median.toFixed(0)} MiB`);
}
