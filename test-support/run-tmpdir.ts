import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * One temporary directory for a whole test run, removed when the run ends. The tests, cdktf
 * (`Testing.app()` makes an output directory for each app and leaves it), Terraform and npm put
 * their temporary files in the system's temporary directory; with `TMPDIR` pointed here, every
 * process of the run (Jest's workers, and each process they start) puts them in this one, and no
 * run leaves thousands of directories behind in /tmp. Jest's global setup of each project calls
 * `useRunTmpdir`; the first makes the directory. The global teardown removes it and gives `TMPDIR`
 * back its value from before the run, so that the next run in the same process (`--watch`) makes
 * its own.
 */
const RUN_TMPDIR = "PINPOINT_TEST_RUN_TMPDIR";
/** `TMPDIR` before the run: its value, or "" where it was not set. */
const PREVIOUS_TMPDIR = "PINPOINT_TEST_PREVIOUS_TMPDIR";

export function useRunTmpdir(): void {
  if (process.env[RUN_TMPDIR]) return;
  const dir = mkdtempSync(join(tmpdir(), "pinpoint-personalize-tests-"));
  process.env[PREVIOUS_TMPDIR] = process.env.TMPDIR ?? "";
  process.env[RUN_TMPDIR] = dir;
  process.env.TMPDIR = dir;
}

export function removeRunTmpdir(): void {
  const dir = process.env[RUN_TMPDIR];
  if (!dir) return;
  rmSync(dir, { recursive: true, force: true });
  const previous = process.env[PREVIOUS_TMPDIR];
  if (previous) process.env.TMPDIR = previous;
  else delete process.env.TMPDIR;
  delete process.env[RUN_TMPDIR];
  delete process.env[PREVIOUS_TMPDIR];
}

export default useRunTmpdir;
