import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { benchRuns, measure, summarize, Summary } from "./measure";

/**
 * `npm run review -- --stack-dir DIR` on a stack of N roles (the scale app's): the whole command
 * and each phase, over several runs after a warm-up. Prints figures; asserts nothing.
 * Target (issue: review any plan): 100 roles within 30 s for the whole command.
 */
const root = join(__dirname, "..", "..");

export interface ReviewScaleFigures {
  readonly roles: number;
  readonly wall: Summary;
  readonly phases: Record<string, Summary>;
}

/** Synthesizes the scale app's stack of N roles into `work`; returns the stack's directory. */
export function scaleStack(work: string, roles: number): string {
  execFileSync(process.execPath, [join(root, "dist", "bench", "scale-app.js"), String(roles)], {
    cwd: root,
    env: { ...process.env, CDKTF_OUTDIR: join(work, "cdktf.out") },
    stdio: "ignore",
  });
  return join(work, "cdktf.out", "stacks", "scale");
}

export function benchReviewScale(roles: number, times: number): ReviewScaleFigures {
  const work = mkdtempSync(join(tmpdir(), "bench-review-scale-"));
  try {
    const stackDir = scaleStack(work, roles);
    const out = join(work, "review");
    const args = ["run", "--silent", "review", "--", "--stack-dir", stackDir, "--out", out];
    measure("npm", args, { cwd: root });
    const walls: number[] = [];
    const phases: Record<string, number[]> = {};
    for (let i = 0; i < times; i++) {
      walls.push(measure("npm", args, { cwd: root }).seconds);
      const { seconds } = JSON.parse(readFileSync(join(out, "review.json"), "utf8")) as {
        seconds: Record<string, number>;
      };
      for (const [phase, value] of Object.entries(seconds)) (phases[phase] ??= []).push(value);
    }
    return {
      roles,
      wall: summarize(walls),
      phases: Object.fromEntries(Object.entries(phases).map(([phase, values]) => [phase, summarize(values)])),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const roles = Number(process.argv[2] ?? 100);
  const runs = benchRuns(3);
  const figures = benchReviewScale(roles, runs);
  const f = (s: Summary) => `median ${s.median.toFixed(2)} s (min ${s.min.toFixed(2)}, max ${s.max.toFixed(2)})`;
  console.log(`npm run review --stack-dir on ${roles} roles, ${runs} runs after a warm-up:`);
  console.log(`  whole command  ${f(figures.wall)}`);
  for (const [phase, s] of Object.entries(figures.phases)) console.log(`  ${phase.padEnd(13)}  ${f(s)}`);
}
