import { join } from "node:path";
import { benchRuns, measure, repeat } from "./measure";

/**
 * `npm run synth` as a user runs it: wall time and the peak RSS of its largest process, over
 * several runs after a warm-up. Prints figures; asserts nothing (machines here are shared).
 * Targets (issue: core module): within 1 s wall and 100 MB peak RSS.
 */
const root = join(__dirname, "..", "..");
const runs = benchRuns(7);

measure("npm", ["run", "synth"], { cwd: root });
const { seconds, peakMiB, runs: all } = repeat(runs, () => measure("npm", ["run", "synth"], { cwd: root }));
console.log(`npm run synth, ${runs} runs after a warm-up:`);
console.log(
  `  wall      median ${seconds.median.toFixed(2)} s  (min ${seconds.min.toFixed(2)}, max ${seconds.max.toFixed(2)})`,
);
console.log(
  `  peak RSS  median ${peakMiB.median.toFixed(0)} MiB  (min ${peakMiB.min.toFixed(0)}, max ${peakMiB.max.toFixed(0)}), largest process: ${all[0]?.peakProcess}`,
);
