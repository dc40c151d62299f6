import { execFileSync } from "node:child_process";
import { join } from "node:path";

/**
 * Builds the app and the tools once before the suites run: several suites run them (as
 * `npm run synth`, `npm run review` and `npm pack` do), and concurrent builds would race on
 * their output directories.
 */
export default function globalSetup(): void {
  goRuntimeForTests();
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

/**
 * Terraform and its providers are Go programs, and most of the integration tier's CPU is theirs:
 * the AWS provider builds its schema of some 1,500 resource types at each start (each plan, show,
 * apply or validate). With Go's default GOGC=100, garbage collection is about a third of that CPU
 * (`terraform plan` of one policy: 3.5 s of CPU, 2.4 s with collection off). Here collection runs
 * only near a soft limit of 1 GiB per process (GOMEMLIMIT), so no run can grow without bound.
 * Jest's workers, and every process they start, inherit the setting; a value already set wins.
 */
function goRuntimeForTests(): void {
  process.env.GOGC ??= "off";
  process.env.GOMEMLIMIT ??= "1GiB";
}
