import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDirs } from "../../test-support/temp";
import { pruneStaleOutputs } from "../../tools/stale-outputs";

const temp = tempDirs();

test("the build's outputs of a deleted source are removed before npm pack, and the others kept", () => {
  const root = temp("stale-outputs-");
  const write = (path: string) => {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), "");
  };
  ["lib/index.ts", "lib/rules.ts", "lib/nested/place.ts"].forEach(write);
  [
    "dist/lib/index.js",
    "dist/lib/index.d.ts",
    "dist/lib/rules.js",
    "dist/lib/rules.d.ts",
    "dist/lib/template.js",
    "dist/lib/template.d.ts",
    "dist/lib/template.js.map",
    "dist/lib/nested/place.js",
    "dist/lib/nested/gone.js",
    "dist/lib/old/never-null.js",
    "dist/lib/notes.txt",
  ].forEach(write);
  expect(pruneStaleOutputs(join(root, "lib"), join(root, "dist", "lib"))).toEqual([
    join("nested", "gone.js"),
    "old",
    "template.d.ts",
    "template.js",
    "template.js.map",
  ]);
  // A second run finds nothing more.
  expect(pruneStaleOutputs(join(root, "lib"), join(root, "dist", "lib"))).toEqual([]);
});
