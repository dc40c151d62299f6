import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { tempDirs } from "../../test-support/temp";

// The order the suites start in (test-support/test-sequencer.js), on a fresh clone: Jest has no
// durations of its own there.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const LongestFirst = require("../../test-support/test-sequencer.js") as new () => {
  sort(tests: FakeTest[]): FakeTest[];
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { FRESH_CLONE_SECONDS } = require("../../test-support/test-sequencer.js") as {
  FRESH_CLONE_SECONDS: Record<string, number>;
};

interface FakeTest {
  path: string;
  context: {
    config: { rootDir: string; cacheDirectory: string; name: string };
    hasteFS: { getSize(path: string): number };
  };
}

const root = join(__dirname, "..", "..");
const temp = tempDirs();

test("every suite with a fresh-clone figure exists, so none of the figures is stale", () => {
  const listed = Object.keys(FRESH_CLONE_SECONDS);
  expect(listed.length).toBeGreaterThan(0);
  expect(listed.filter((file) => !existsSync(join(root, file)))).toEqual([]);
});

test("with no durations of Jest's own, the listed suites start first, longest first, then the rest by size", () => {
  const context = {
    config: { rootDir: root, cacheDirectory: temp("jest-cache-"), name: "fresh" },
    hasteFS: { getSize: (path: string) => statSync(path).size },
  };
  const files = [
    "__tests__/synth-commands.test.ts",
    "__tests__/jsii.test.ts",
    "__tests__/review.test.ts",
    "__tests__/cdktn.test.ts",
  ];
  const order = new LongestFirst()
    .sort(files.map((file) => ({ path: join(root, file), context })))
    .map((t) => t.path.slice(root.length + 1));
  expect(order).toEqual([
    "__tests__/cdktn.test.ts",
    "__tests__/jsii.test.ts",
    "__tests__/review.test.ts",
    "__tests__/synth-commands.test.ts",
  ]);
});
