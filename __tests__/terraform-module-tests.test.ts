import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { moduleCopy, moduleDir } from "../test-support/module-caller";
import { tempDirs } from "../test-support/temp";
import { synthesizedStack } from "../tools/synthesized";
import { terraformEnv } from "../packages/review/src/terraform";

/**
 * The `terraform test` files the module ships, run as a consumer runs them (`npm test` in the
 * module's folder: `terraform init`, then `terraform test`, offline), and run against a
 * deliberately broken copy to show that they fail.
 */
const temp = tempDirs();

interface TestReport {
  readonly code: number;
  /** `<file>#<run>` to its status. */
  readonly runs: Record<string, string>;
  /** The error diagnostics' summaries and details. */
  readonly errors: string[];
}

/**
 * `npm test` in a copy of the module's folder: its package.json's script, as a consumer runs it,
 * with `terraform test` made to write JSON (TF_CLI_ARGS_test) and providers from the project's
 * mirror, when the machine has one (TF_CLI_CONFIG_FILE).
 */
function npmTest(dir: string): Promise<TestReport> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["test", "--silent"], {
      cwd: dir,
      env: { ...terraformEnv(), TF_CLI_ARGS_test: "-json", TF_CLI_ARGS_init: "-no-color" },
    });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.resume();
    child.on("error", reject);
    child.on("close", (code) => resolve(report(code ?? 1, stdout)));
  });
}

function report(code: number, stdout: string): TestReport {
  const messages = stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map(
      (line) =>
        JSON.parse(line) as {
          type: string;
          "@testfile"?: string;
          test_run?: { path: string; run: string; progress: string; status?: string };
          diagnostic?: { severity: string; summary: string; detail?: string };
        },
    );
  const runs: Record<string, string> = {};
  for (const { test_run: run } of messages)
    if (run?.progress === "complete") runs[`${run.path}#${run.run}`] = run.status ?? "";
  const errors = messages
    .filter((m) => m.diagnostic?.severity === "error")
    .map((m) => `${m.diagnostic?.summary}: ${m.diagnostic?.detail ?? ""}`);
  return { code, runs, errors };
}

const VARIABLES_TEST = join("tests", "variables.tftest.hcl");
const DOCUMENTS_TEST = join("tests", "documents.tftest.hcl");
const IMPORT_TEST = join("tests", "import.tftest.hcl");

/** A test file's run blocks, by name, with their text. */
function runBlocks(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split(/^(?=run ")/m)
      .slice(1)
      .map((block) => [/^run "([^"]+)"/.exec(block)?.[1] ?? "", block]),
  );
}

let shipped: TestReport;
let broken: TestReport;

beforeAll(async () => {
  const copy = moduleCopy(temp("module-tests-"));
  // The broken copy: the permissions widened to every campaign, and policy_path's rule gone. Its
  // documents tests keep only the run that reads the permissions, to save the other runs' time.
  const bad = moduleCopy(temp("module-tests-broken-"));
  const edit = (file: string, from: RegExp, to: string) => {
    const text = readFileSync(join(bad, file), "utf8");
    const edited = text.replace(from, to);
    if (edited === text) throw new Error(`The broken copy's edit of ${file} found nothing to change.`);
    writeFileSync(join(bad, file), edited);
  };
  edit("main.tf", /:campaign\/\$\{local\.campaign_id\}",/, ':campaign/*",');
  edit("variables.tf", /(variable "policy_path" \{[\s\S]*?)\n\n {2}validation \{[\s\S]*?\n {2}\}\n/, "$1\n");
  const documents = readFileSync(join(bad, DOCUMENTS_TEST), "utf8");
  writeFileSync(join(bad, DOCUMENTS_TEST), `${documents.split(/^run "/m)[0]}${runBlocks(documents).defaults}`);

  [shipped, broken] = await Promise.all([npmTest(copy), npmTest(bad)]);
});

test("npm test in the module's folder passes every run of its tests and of examples/adopt-existing's", () => {
  expect({ code: shipped.code, errors: shipped.errors }).toEqual({ code: 0, errors: [] });
  const declared = [
    ...[DOCUMENTS_TEST, VARIABLES_TEST].map((file) => [file, join(moduleDir, file)]),
    [IMPORT_TEST, join(moduleDir, "examples", "adopt-existing", IMPORT_TEST)],
  ].flatMap(([file, path]) => Object.keys(runBlocks(readFileSync(path, "utf8"))).map((run) => `${file}#${run}`));
  expect(declared.length).toBeGreaterThanOrEqual(10);
  expect(shipped.runs).toEqual(Object.fromEntries(declared.map((run) => [run, "pass"])));
});

test("every validation rule of every variable has a run that expects its variable to fail", () => {
  // A variable with k rules is listed in expect_failures by at least k runs (each run breaks one
  // rule per variable; the file says which).
  const runs = Object.values(runBlocks(readFileSync(join(moduleDir, VARIABLES_TEST), "utf8")));
  const expected = (name: string) =>
    runs.filter((run) => new RegExp(`expect_failures = \\[[^\\]]*\\bvar\\.${name}\\b`).test(run)).length;
  const rules = Object.entries(synthesizedStack().variable ?? {})
    .filter(([name]) => name !== "adopt_existing_resources")
    .map(([name, v]) => ({ name, rules: (v.validation as unknown[] | undefined)?.length ?? 0 }))
    .filter((v) => v.rules > 0);
  expect(rules.length).toBeGreaterThanOrEqual(13);
  expect(rules.filter((v) => expected(v.name) < v.rules)).toEqual([]);
});

test("a broken module fails them: the widened policy and the missing rule are each caught", () => {
  expect(broken.code).toBe(1);
  // A missing expected failure is an error, and Terraform skips the file's later runs.
  expect(broken.runs).toEqual({
    [`${DOCUMENTS_TEST}#defaults`]: "fail",
    [`${VARIABLES_TEST}#first_rules`]: "error",
    [`${VARIABLES_TEST}#pinpoint_application_ids_rule`]: "skip",
    [`${VARIABLES_TEST}#second_rules`]: "skip",
    [`${VARIABLES_TEST}#third_rules`]: "skip",
    [`${VARIABLES_TEST}#reserved_tag_prefix`]: "skip",
    [`${VARIABLES_TEST}#values_at_the_limits`]: "skip",
  });
  expect(broken.errors).toEqual(
    expect.arrayContaining([
      expect.stringContaining("The policy must allow AWS's three actions on exactly the campaign and its solution"),
      expect.stringContaining("var.policy_path, was expected to report an error but did not"),
    ]),
  );
});
