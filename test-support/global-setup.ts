import { execFileSync } from "node:child_process";
import { join } from "node:path";

/**
 * Builds the app and the tools once before the suites run: several suites run them (as
 * `npm run synth`, `npm run review` and `npm pack` do), and concurrent builds would race on
 * their output directories.
 */
export default function globalSetup(): void {
  for (const config of [
    "tsconfig.build.json",
    "tsconfig.tools.json",
    "tsconfig.test-support.json",
    join("packages", "review", "tsconfig.json"),
  ]) {
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-b", config], {
      cwd: join(__dirname, ".."),
      stdio: "inherit",
    });
  }
}
