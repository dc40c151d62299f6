/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__", "<rootDir>/packages/review"],
  testMatch: ["**/*.test.ts"],
  // Type-checking is `tsc` in `npm test`; swc only strips types, so a test file loads in milliseconds.
  transform: {
    "^.+\\.ts$": [
      "@swc/jest",
      { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } },
    ],
  },
  globalSetup: "<rootDir>/test-support/global-setup.ts",
  // Most of the time goes to subprocesses (terraform, the cdktf CLI) and to the provider's retry
  // back-offs in the lifecycle suites: three suites at once keep both cores busy (measured: 174 s
  // against 185-194 s with two).
  maxWorkers: 3,
  // Real Terraform runs in some suites.
  testTimeout: 120000,
};
