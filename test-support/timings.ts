import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** One step's cost: wall-clock seconds, and CPU seconds of this process and the processes it ran. */
export interface StepTiming {
  readonly step: string;
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
}

/**
 * CPU seconds used so far by this process and by the child processes it has waited for (with
 * theirs), from /proc/self/stat (utime, stime, cutime, cstime, in clock ticks of 1/100 s).
 */
function cpuSeconds(): number {
  const fields = readFileSync("/proc/self/stat", "utf8")
    .replace(/^.*\) /s, "")
    .split(" ");
  // After the command name, the state is field 3; utime..cstime are fields 14-17.
  return fields.slice(11, 15).reduce((sum, ticks) => sum + Number(ticks), 0) / 100;
}

/** Times the steps of a suite, and writes what they cost to a file (under build/) for the notes. */
export class StepTimer {
  readonly steps: StepTiming[] = [];

  async time<T>(step: string, run: () => Promise<T> | T): Promise<T> {
    const wall = process.hrtime.bigint();
    const cpu = cpuSeconds();
    try {
      return await run();
    } finally {
      this.steps.push({
        step,
        wallSeconds: Number((process.hrtime.bigint() - wall) / 1_000_000n) / 1000,
        cpuSeconds: Math.round((cpuSeconds() - cpu) * 100) / 100,
      });
    }
  }

  write(file: string): void {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(this.steps, null, 2)}\n`);
  }
}
