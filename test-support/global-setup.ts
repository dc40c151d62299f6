import { execFileSync } from "node:child_process";
import { join } from "node:path";

/**
 * Builds the app once before the suites run: several suites run it (as `npm run synth` and the
 * review do), and concurrent builds would race on dist/.
 */
export default function globalSetup(): void {
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-b", "tsconfig.build.json"], {
    cwd: join(__dirname, ".."),
    stdio: "inherit",
  });
}
