import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bindingSchema, unknownToSchema } from "../test-support/binding-schema";
import { installFixture } from "../test-support/consumer-app";
import { moduleCopy, moduleDir } from "../test-support/module-caller";
import { tempDirs } from "../test-support/temp";
import { ModuleHcl, moduleHcl, TESTED_TERRAFORM_VERSION } from "../tools/module";
import { TerraformJson } from "../tools/synthesized";
import { terraform, terraformEnv, terraformOk } from "../packages/review/src/terraform";

/**
 * The Terraform module in HCL with real Terraform and the provider's schemas: `terraform fmt`,
 * the module's own `terraform test` files run as a consumer runs them (and against a broken copy,
 * to show that they fail), and every argument and attribute it uses in hashicorp/aws 5.x's and
 * 6.x's schemas. Its shape is in unit/terraform-module.test.ts; its equivalence with the stack in
 * terraform-module-equivalence.test.ts; its examples in terraform-module-examples.test.ts.
 */
const root = join(__dirname, "..");
const temp = tempDirs();

test("terraform fmt -check -recursive finds nothing to change in the folder, examples and tests included", () => {
  const result = terraform(moduleDir, ["fmt", "-check", "-recursive"]);
  expect({ code: result.code, files: result.stdout }).toEqual({ code: 0, files: "" });
});

test("the Terraform that runs these tests is the release the README says the module was tested with", () => {
  const { terraform_version: version } = JSON.parse(terraformOk(root, ["version", "-json"]).stdout) as {
    terraform_version: string;
  };
  expect(version).toBe(TESTED_TERRAFORM_VERSION);
  expect(readFileSync(join(moduleDir, "README.md"), "utf8")).toContain(`**Terraform ${TESTED_TERRAFORM_VERSION}**`);
});

describe("the module's terraform test files", () => {
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
  const runBlocks = (text: string): Record<string, string> =>
    Object.fromEntries(
      text
        .split(/^(?=run ")/m)
        .slice(1)
        .map((block) => [/^run "([^"]+)"/.exec(block)?.[1] ?? "", block]),
    );

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
    edit("main.tf", /:campaign\/\$\{var\.campaign_id\}"/, ':campaign/*"');
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
});

describe("the module against hashicorp/aws's schema, as each provider binding carries it", () => {
  // Terraform here can install only 5.100.0 (the suites above and the equivalence run it for
  // real). For 6.x, whose range the module admits, every resource type, argument, nested block
  // and attribute reference of the module is checked against the schema that
  // @cdktf/provider-aws 21.x was generated from.
  let hcl: ModuleHcl;
  let aws6: string;
  const aws5 = join(root, "node_modules", "@cdktf", "provider-aws");

  beforeAll(async () => {
    hcl = await moduleHcl();
    const dir = temp("binding-aws6-");
    installFixture("cdktf-aws6", dir, []);
    aws6 = join(dir, "node_modules", "@cdktf", "provider-aws");
  });

  test("the bindings are of the provider majors they are said to be", () => {
    const version = (binding: string) =>
      /providerVersion: '([^']+)'/.exec(readFileSync(join(binding, "lib", "provider", "index.js"), "utf8"))?.[1];
    expect(version(aws5)).toBe("5.100.0");
    expect(version(aws6)).toMatch(/^6\.\d+\.\d+$/);
  });

  test("hashicorp/aws 5.100.0 and 6.x have every argument, block and attribute the module uses", () => {
    const config = { data: hcl.data, resource: hcl.resource, locals: hcl.locals, output: hcl.output };
    expect(Object.keys(hcl.resource ?? {}).sort()).toEqual([
      "aws_iam_policy",
      "aws_iam_role",
      "aws_iam_role_policy_attachment",
    ]);
    expect(unknownToSchema(aws5, config as TerraformJson)).toEqual([]);
    expect(unknownToSchema(aws6, config as TerraformJson)).toEqual([]);
  });

  test("the check reads each major's own schema, and finds what a schema lacks", () => {
    // 6.x adds the Region data source's `region` argument (and deprecates its `name` and `id`).
    const perRegion = { data: { aws_region: { current: { region: "eu-west-1" } } } } as unknown as TerraformJson;
    expect(unknownToSchema(aws5, perRegion)).toEqual(["data.aws_region.current: argument region"]);
    expect(unknownToSchema(aws6, perRegion)).toEqual([]);
    const broken = {
      data: {
        aws_iam_policy_document: {
          d: { statement: [{ actions: ["a"], condition: [{ test: "t", values: [], variable: "v", typo: 1 }] }] },
        },
      },
      resource: { aws_iam_role: { r: { assume_role_policy: "{}", inline_policy_json: "{}" } } },
      output: { o: { value: "${data.aws_region.current.nope} ${aws_iam_role.r.unique_id}" } },
    } as unknown as TerraformJson;
    expect(unknownToSchema(aws6, broken)).toEqual([
      "aws_iam_role.r: argument inline_policy_json",
      "data.aws_iam_policy_document.d.statement[0].condition[0]: argument typo",
      "data.aws_region.current.nope: attribute nope",
    ]);
    expect(bindingSchema(aws6, "resource", "aws_iam_role").attributes.has("unique_id")).toBe(true);
  });
});
