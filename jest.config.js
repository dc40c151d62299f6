/** @type {import('jest').Config} */

// Two tiers. `unit`: the construct, the stack, the review's decision and the IAM double, in
// process, with no Terraform (`npm run test:unit`, seconds). `integration`: everything that runs
// real Terraform, the cdktf CLI, npm or Python. `npm test` runs both.
const common = {
  testEnvironment: "node",
  // The run's temporary files in one directory, removed at its end (test-support/run-tmpdir.ts).
  globalTeardown: "<rootDir>/test-support/run-tmpdir-teardown.ts",
  // swc only strips types (typecheck.test.ts type-checks), so a test file loads in milliseconds.
  transform: {
    "^.+\\.ts$": [
      "@swc/jest",
      { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } },
    ],
  },
};

module.exports = {
  projects: [
    {
      ...common,
      displayName: "unit",
      globalSetup: "<rootDir>/test-support/run-tmpdir.ts",
      testMatch: ["<rootDir>/__tests__/unit/**/*.test.ts", "<rootDir>/packages/review/src/**/*.test.ts"],
    },
    {
      ...common,
      displayName: "integration",
      testMatch: ["<rootDir>/__tests__/*.test.ts", "<rootDir>/packages/review/test/**/*.test.ts"],
      globalSetup: "<rootDir>/test-support/global-setup.ts",
    },
  ],
  // Most of the integration tier's time goes to subprocesses (terraform, the cdktf CLI): three
  // suites at once keep both cores busy.
  maxWorkers: 3,
  // The longest suites first, on a fresh clone too (Jest's own order then is by file size).
  testSequencer: "<rootDir>/test-support/test-sequencer.js",
  // A hang detector, not a speed limit: no step waits on a person (Terraform runs with
  // -input=false), and a test's real cost is in Terraform's and the CLI's own time, which a busy
  // machine stretches several times over. Benchmarks measure speed (npm run bench).
  testTimeout: 20 * 60 * 1000,
};
