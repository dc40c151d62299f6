import { spawnSync } from "node:child_process";
import { join } from "node:path";

/**
 * The whole project type-checks: `tsc -p tsconfig.json` (strict, no output) over the library, the
 * app, the review, the tools, the benchmarks and every test. Jest's transform only strips types,
 * so this suite is where a type error fails `npm test`; as a suite it runs beside the others
 * instead of ahead of them all (`npm run typecheck` runs it alone).
 */
const root = join(__dirname, "..");

test("tsc -p tsconfig.json reports no error", () => {
  const tsc = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.json"], {
    cwd: root,
    encoding: "utf8",
  });
  expect(`${tsc.stdout}${tsc.stderr}${tsc.error?.message ?? ""}`).toBe("");
  expect(tsc.status).toBe(0);
});
