const { relative, sep } = require("node:path");
const TestSequencer = require("@jest/test-sequencer").default;

/**
 * Jest starts the suites it expects to take longest first, so that neither core idles at the end
 * while one long suite finishes. It knows a suite's duration from its last run here; on a fresh
 * clone (CI) it has none and orders by file size, which starts the package-installing suites
 * (cdktn, jsii, library: small files, the longest runs) last. For those, these figures stand in:
 * the seconds of wall time each took in a clean clone's `.ci/run` (three workers on two cores; on
 * 2026-12-07, in a slow period: only their order matters).
 * Jest counts durations in milliseconds; any other suite without a measured one counts a
 * millisecond per byte of its file (Jest's own rule, by size, on that scale). A duration Jest
 * measured wins. These figures only order the run; each is over a second, so a fresh clone's few
 * suites are not taken for fast ones that Jest would run in its own process, one at a time.
 */
const FRESH_CLONE_SECONDS = {
  "__tests__/cdktn.test.ts": 386,
  "__tests__/jsii.test.ts": 298,
  "__tests__/lifecycle.test.ts": 175,
  "__tests__/library.test.ts": 168,
  "__tests__/lifecycle-adoption.test.ts": 159,
  "__tests__/review.test.ts": 125,
  "__tests__/preconditions.test.ts": 109,
  "__tests__/lifecycle-faults.test.ts": 95,
  "__tests__/review-package.test.ts": 92,
  "__tests__/terraform-module-equivalence.test.ts": 87,
  "packages/review/test/cases.test.ts": 79,
  "__tests__/review-cases.test.ts": 75,
  "__tests__/review-corpus.test.ts": 65,
  "__tests__/properties.test.ts": 64,
  "__tests__/terraform-module.test.ts": 56,
  "__tests__/cdktf-init.test.ts": 48,
  "__tests__/cases.test.ts": 41,
  "__tests__/terraform-module-examples.test.ts": 31,
  "__tests__/providers.test.ts": 28,
  "packages/review/test/adversarial.test.ts": 26,
  "__tests__/typecheck.test.ts": 11,
};

class LongestFirst extends TestSequencer {
  time(test) {
    const measured = super.time(test);
    if (measured !== undefined) return measured;
    const listed = FRESH_CLONE_SECONDS[relative(test.context.config.rootDir, test.path).split(sep).join("/")];
    return listed === undefined ? (test.context.hasteFS.getSize(test.path) ?? 0) : listed * 1000;
  }
}

module.exports = LongestFirst;
module.exports.FRESH_CLONE_SECONDS = FRESH_CLONE_SECONDS;
