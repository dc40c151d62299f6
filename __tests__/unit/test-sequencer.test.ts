import { existsSync, statSync } from "node:fs";
import TestSequencer from "@jest/test-sequencer";
import { join } from "node:path";
import { tempDirs } from "../../test-support/temp";

// The order the suites start in (test-support/test-sequencer.js), on a fresh clone: Jest has no
// durations of its own there.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const LongestFirst = require("../../test-support/test-sequencer.js") as {
  new (): { sort(tests: FakeTest[]): (FakeTest & { duration?: number })[] };
  FRESH_CLONE_SECONDS: Record<string, number>;
};
const { FRESH_CLONE_SECONDS } = LongestFirst;

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

/** A Jest context with no durations of its own: a cache directory with nothing in it. */
const freshContext = () => ({
  config: { rootDir: root, cacheDirectory: temp("jest-cache-"), name: "fresh" },
  hasteFS: { getSize: (path: string) => statSync(path).size },
});

test("with no durations of Jest's own, the listed suites start first, longest first, then the rest by size", () => {
  const context = freshContext();
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

test("durations are Jest's milliseconds: a duration Jest measured wins, and every stand-in is over a second", () => {
  // Over a second: with 20 suites or fewer all under one, Jest runs them in its own process, one at a time.
  // review.test.ts's measured duration is longer than any stand-in, cdktn's included: it starts first.
  const longest = (Math.max(...Object.values(FRESH_CLONE_SECONDS)) + 1) * 1000;
  const measured: Record<string, number> = {
    "__tests__/unit/readme.test.ts": 152,
    "__tests__/review.test.ts": longest,
  };
  // Jest's own sequencer reads the durations it measured through `time` (not in its typings).
  const base = TestSequencer.prototype as unknown as { time(test: { path: string }): number | undefined };
  const time = jest.spyOn(base, "time").mockImplementation((test) => measured[test.path.slice(root.length + 1)]);
  try {
    const files = [
      "__tests__/unit/readme.test.ts",
      "__tests__/synth-commands.test.ts",
      "__tests__/cdktn.test.ts",
      "__tests__/review.test.ts",
    ];
    const sorted = new LongestFirst().sort(files.map((file) => ({ path: join(root, file), context: freshContext() })));
    expect(sorted.map((t) => [t.path.slice(root.length + 1), t.duration])).toEqual([
      ["__tests__/review.test.ts", longest],
      ["__tests__/cdktn.test.ts", FRESH_CLONE_SECONDS["__tests__/cdktn.test.ts"] * 1000],
      ["__tests__/synth-commands.test.ts", statSync(join(root, "__tests__/synth-commands.test.ts")).size],
      ["__tests__/unit/readme.test.ts", 152],
    ]);
  } finally {
    time.mockRestore();
  }
  const fresh = new LongestFirst().sort(
    Object.keys(FRESH_CLONE_SECONDS).map((file) => ({ path: join(root, file), context: freshContext() })),
  );
  expect(fresh.filter((t) => (t.duration ?? 0) < 1000)).toEqual([]);
});
