import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { INPUTS } from "../../lib/inputs";
import { bare, EXAMPLES, MODULE_DIR, ModuleHcl, moduleHcl, usageExample } from "../../tools/module";
import { Block, synthesizedStack } from "../../tools/synthesized";

/**
 * The Terraform module in HCL as its authors write it, read with HashiCorp's HCL parser (no
 * Terraform runs here): terraform-aws-modules' layout, one rule in one place, messages in the
 * module's own names, lines a reviewer does not scroll. That it plans and refuses as the stack
 * does is terraform-module-equivalence.test.ts's proof.
 */
const root = join(__dirname, "..", "..");
const moduleDir = join(root, MODULE_DIR);
let hcl: ModuleHcl;

beforeAll(async () => {
  hcl = await moduleHcl();
});

/** Every file of the folder, examples and tests included, by path relative to it. */
function folderFiles(dir = moduleDir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? folderFiles(join(dir, entry.name)) : [relative(moduleDir, join(dir, entry.name))],
  );
}

const validations = (name: string) => (hcl.variable?.[name]?.validation ?? []) as Block[];
const preconditions = () =>
  Object.entries({ ...hcl.data, ...hcl.resource }).flatMap(([type, byName]) =>
    Object.entries(byName).flatMap(([name, body]) =>
      ((body.lifecycle ?? []) as Block[]).flatMap((l) =>
        ((l.precondition ?? []) as Block[]).map((p): Block => ({ ...p, address: `${type}.${name}` })),
      ),
    ),
  );

test("terraform-aws-modules' layout: versions, variables, main and outputs; no provider, backend or import block", () => {
  expect(Object.keys(hcl.files)).toEqual(["main.tf", "outputs.tf", "variables.tf", "versions.tf"]);
  expect(Object.keys(hcl).filter((k) => ["provider", "import", "backend"].includes(k))).toEqual([]);
  expect(Object.keys(hcl.resource ?? {}).sort()).toEqual([
    "aws_iam_policy",
    "aws_iam_role",
    "aws_iam_role_policy_attachment",
  ]);
  expect(JSON.stringify(hcl)).not.toContain("adopt_existing_resources");
});

test("the stack's variables, each with its type, default and nullability, and a description", () => {
  const stack = Object.fromEntries(
    Object.entries(synthesizedStack().variable ?? {}).filter(([name]) => name !== "adopt_existing_resources"),
  );
  const shape = (v: Block) => ({
    type: bare(v.type),
    default: "default" in v ? v.default : "(required)",
    nullable: v.nullable ?? true,
  });
  const ofHcl = Object.fromEntries(Object.entries(hcl.variable ?? {}).map(([n, v]) => [n, shape(v)]));
  const ofStack = Object.fromEntries(Object.entries(stack).map(([n, v]) => [n, shape(v)]));
  expect(ofHcl).toEqual(ofStack);
  for (const [name, v] of Object.entries(hcl.variable ?? {}))
    expect({ name, description: typeof v.description === "string" && v.description.length > 40 }).toEqual({
      name,
      description: true,
    });
});

test("one rule, one place: every variable with a rule in the stack has its own validation blocks, as many", () => {
  const stack = synthesizedStack().variable ?? {};
  const counts = (vs: Record<string, Block>) =>
    Object.fromEntries(
      Object.entries(vs)
        .filter(([name]) => name !== "adopt_existing_resources")
        .map(([name, v]) => [name, ((v.validation ?? []) as Block[]).length]),
    );
  const ofHcl = counts(hcl.variable ?? {});
  // The stack checks a tag's key and value in one rule; the module in two, each naming its half.
  expect(ofHcl).toEqual({ ...counts(stack), tags: (counts(stack).tags ?? 0) + 1 });
  // Only booleans, which their type decides, have none.
  for (const [name, n] of Object.entries(ofHcl))
    expect({ name, ruled: n > 0 }).toEqual({ name, ruled: bare(hcl.variable?.[name]?.type) !== "bool" });
});

test("every message names its variable in snake_case, and none names a prop of the construct", () => {
  const props = INPUTS.map((i) => i.prop as string).filter((p) => /[A-Z]/.test(p));
  expect(props.length).toBeGreaterThan(10);
  const messages = [
    ...Object.keys(hcl.variable ?? {}).flatMap((name) =>
      validations(name).map((v) => ({ name, message: bare(v.error_message) })),
    ),
    ...preconditions().map((p) => ({ name: "trusted_source_arns", message: bare(p.error_message) })),
  ];
  expect(messages.length).toBeGreaterThanOrEqual(20);
  for (const { name, message } of messages) {
    expect({ name, message, names: message.includes(name) }).toEqual({ name, message, names: true });
    expect({ message, props: props.filter((p) => message.includes(p)) }).toEqual({ message, props: [] });
    // Short: a rule and, for a list or a map, the value; no paragraph.
    expect({ message, short: message.trim().split("\n").length <= 3 && message.length < 300 }).toEqual({
      message,
      short: true,
    });
  }
});

test("preconditions only where a variable alone cannot decide: each reads the provider's place", () => {
  const checks = preconditions();
  expect(checks.map((c) => c.address)).toEqual(["aws_iam_policy_document.trust"]);
  for (const check of checks) {
    // It reads a variable and something only the provider knows (through a local built from
    // data sources): a variable's own validation could not.
    expect(bare(check.condition)).toMatch(/\bvar\.trusted_source_arns\b/);
    expect(bare(check.condition)).toMatch(/\blocal\.source_arn_prefix\b/);
    expect(JSON.stringify(hcl.locals.source_arn_prefix)).toMatch(/local\.(partition|region|account_id)/);
  }
});

test("named locals explain what is not obvious; expressions fit a pull request: no line over 100 characters", () => {
  const long = folderFiles()
    .filter((file) => /\.(tf|hcl)$/.test(file))
    .flatMap((file) =>
      readFileSync(join(moduleDir, file), "utf8")
        .split("\n")
        .map((line, i) => ({ file, line: i + 1, length: line.length }))
        .filter((l) => l.length > 100),
    );
  expect(long).toEqual([]);
  expect(Object.keys(hcl.locals).sort()).toEqual([
    "account_id",
    "campaign_arn",
    "partition",
    "personalize_arn_prefix",
    "project_arns",
    "region",
    "solution_arn",
    "source_arn_prefix",
    "trusted_source_arns",
  ]);
  // Counting code points rather than length()'s grapheme clusters is said once, where it is done.
  expect(hcl.files["variables.tf"]).toMatch(/^# Lengths count Unicode code points, as AWS does/m);
  expect(hcl.files["main.tf"]).not.toMatch(/"\(\?s\)\."/);
});

test("the role's outputs wait for the policy's attachment; every output has a description", () => {
  const outputs = hcl.output ?? {};
  for (const name of ["role_arn", "role_name", "role_unique_id"])
    expect({ name, depends_on: outputs[name]?.depends_on }).toEqual({
      name,
      depends_on: ["${aws_iam_role_policy_attachment.this}"],
    });
  expect(Object.keys(outputs).sort()).toEqual(Object.keys(synthesizedStack().output ?? {}).sort());
  for (const [name, o] of Object.entries(outputs))
    expect({ name, described: typeof o.description === "string" }).toEqual({ name, described: true });
});

test("every validation rule of every variable has a run of tests/variables.tftest.hcl that expects its variable to fail", () => {
  // A variable with k rules is listed in expect_failures by at least k runs (each run breaks one
  // rule per variable; the file says which).
  const runs = readFileSync(join(moduleDir, "tests", "variables.tftest.hcl"), "utf8")
    .split(/^run "/m)
    .slice(1);
  const expected = (name: string) =>
    runs.filter((run) => new RegExp(`expect_failures = \\[[^\\]]*\\bvar\\.${name}\\b`).test(run)).length;
  const ruled = Object.keys(hcl.variable ?? {}).filter((name) => validations(name).length > 0);
  expect(ruled.length).toBeGreaterThanOrEqual(13);
  expect(ruled.filter((name) => expected(name) < validations(name).length)).toEqual([]);
});

test("the README: the for_each example as its usage, every example with how to try it, no machine path", () => {
  const readme = readFileSync(join(moduleDir, "README.md"), "utf8");
  expect(readme).toContain(`\`\`\`hcl\n${usageExample()}\n\`\`\``);
  expect(usageExample()).toContain('source = "./modules/pinpoint-personalize-role"');
  expect(readdirSync(join(moduleDir, "examples")).sort()).toEqual([...EXAMPLES].sort());
  for (const name of EXAMPLES) expect(readme).toContain(`](examples/${name}): `);
  expect(readme).toContain("npm run review -- --dir packages/terraform-module/examples/one-role\n");
  for (const file of ["tests/documents.tftest.hcl", "tests/variables.tftest.hcl"]) expect(readme).toContain(file);
  expect(readme).not.toMatch(/\/(tmp|work|root|home)\//);
});

test("the folder carries an MPL-2.0 LICENSE and a package.json that says so and runs terraform test", () => {
  const license = readFileSync(join(moduleDir, "LICENSE"), "utf8");
  expect(license.startsWith("Mozilla Public License Version 2.0\n==================================\n")).toBe(true);
  expect(license).toContain('Exhibit B - "Incompatible With Secondary Licenses" Notice');
  const manifest = JSON.parse(readFileSync(join(moduleDir, "package.json"), "utf8")) as Record<string, unknown>;
  const project = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as Record<string, unknown>;
  expect(manifest).toEqual(
    expect.objectContaining({
      name: "pinpoint-personalize-role-terraform-module",
      private: true,
      license: project.license,
    }),
  );
  expect((manifest.scripts as Record<string, string>).test).toContain("terraform test");
});
