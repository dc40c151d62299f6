import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { planOffline } from "../packages/review/src/offline-plan";
import { benchRuns, measure, repeat, Summary } from "./measure";
import { scaleStack } from "./review-scale";

/**
 * The review as a pipeline runs it on a plan it already has: `pinpoint-personalize-review --plan
 * plan.json --stack-dir DIR`, the whole command (Node.js's start, loading the evaluator, reading
 * the configuration, the analysis, the three reports), on plans of 1 and 100 roles. Prints figures;
 * asserts nothing. Targets (issue: the review as a tool any team installs): 1 role within 1 s,
 * 100 roles within 3 s.
 */
const root = join(__dirname, "..", "..");
const cli = join(root, "packages", "review", "dist", "cli.js");

export interface ReviewPlanFigures {
  readonly roles: number;
  readonly wall: Summary;
  readonly peakMiB: Summary;
}

/** Synthesizes the scale app's stack of N roles, plans it offline, and times `--plan` runs on the plan. */
export async function benchReviewPlan(roles: number, times: number): Promise<ReviewPlanFigures> {
  const work = mkdtempSync(join(tmpdir(), "bench-review-plan-"));
  try {
    const stackDir = scaleStack(work, roles);
    const plan = join(work, "plan.json");
    writeFileSync(plan, JSON.stringify(await planOffline(stackDir, [])));
    const args = [cli, "--plan", plan, "--stack-dir", stackDir, "--out", join(work, "review")];
    measure(process.execPath, args, { cwd: work });
    const result = repeat(times, () => measure(process.execPath, args, { cwd: work }));
    return { roles, wall: result.seconds, peakMiB: result.peakMiB };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  void (async () => {
    const runs = benchRuns(5);
    for (const roles of [1, 100]) {
      const figures = await benchReviewPlan(roles, runs);
      console.log(
        `pinpoint-personalize-review --plan on ${roles} role${roles === 1 ? "" : "s"}, ${runs} runs after a warm-up: ` +
          `median ${figures.wall.median.toFixed(2)} s (min ${figures.wall.min.toFixed(2)}, max ${figures.wall.max.toFixed(2)}), ` +
          `peak RSS ${figures.peakMiB.median.toFixed(0)} MiB`,
      );
    }
  })();
}
