import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bindingSchema, unknownToSchema } from "../test-support/binding-schema";
import { installFixture } from "../test-support/consumer-app";
import { moduleCopy, moduleDir } from "../test-support/module-caller";
import { tempDirs } from "../test-support/temp";
import {
  EXAMPLES,
  GENERATED_FILES,
  main,
  MODULE_DIR,
  moduleFiles,
  moduleJson,
  moduleTerraformFiles,
  TESTED_TERRAFORM_VERSION,
  usageExample,
  writeModule,
} from "../tools/module";
import {
  ConfigModule,
  planOffline,
  planResources,
  TerraformPlan,
  terraformInit,
} from "../packages/review/src/offline-plan";
import { Json, synthesizedStack, TerraformJson } from "../tools/synthesized";
import { BlockSchema } from "../tools/terraform-schema";
import {
  diagnostics,
  errorMessages,
  terraform,
  terraformAsync,
  terraformOk,
  validation,
} from "../packages/review/src/terraform";

/**
 * The Terraform module in HCL (packages/terraform-module/): the committed files are what
 * `npm run module` writes now, in the shape HCL users expect; and, through real Terraform, it
 * plans exactly as the same module in Terraform's JSON syntax for several sets of inputs.
 */
const root = join(__dirname, "..");
const temp = tempDirs();
const committed = (name: string) => readFileSync(join(moduleDir, name), "utf8");

describe("the generated files", () => {
  let files: Record<string, string>;

  beforeAll(() => {
    files = moduleFiles();
  });

  test("are the committed ones: npm run module -- --check finds nothing to write", () => {
    expect(Object.keys(files)).toEqual([...GENERATED_FILES]);
    for (const name of GENERATED_FILES) expect({ name, text: committed(name) }).toEqual({ name, text: files[name] });
    const printed: string[] = [];
    expect(main(["--check"], (line) => printed.push(line))).toBe(0);
    expect(printed).toEqual([
      "The 5 generated files of packages/terraform-module/ are up to date: versions.tf, variables.tf, main.tf, outputs.tf, README.md.",
    ]);
  });

  test("npm run module rewrites only the stale ones, says which, and leaves examples/ and tests/ alone", () => {
    const dir = moduleCopy(temp("module-stale-"));
    writeFileSync(join(dir, "main.tf"), "# stale\n");
    rmSync(join(dir, "README.md"));
    writeFileSync(join(dir, "tests", "extra.tftest.hcl"), "# a consumer's own test\n");
    expect(writeModule(dir)).toEqual(["main.tf", "README.md"]);
    expect(readFileSync(join(dir, "main.tf"), "utf8")).toBe(committed("main.tf"));
    expect(readFileSync(join(dir, "tests", "extra.tftest.hcl"), "utf8")).toBe("# a consumer's own test\n");
    expect(writeModule(dir)).toEqual([]);
    // In the project's folder, which is up to date, it writes nothing and says so.
    const printed: string[] = [];
    expect(main([], (line) => printed.push(line))).toBe(0);
    expect(printed).toEqual([
      "The 5 generated files of packages/terraform-module/ are up to date: versions.tf, variables.tf, main.tf, outputs.tf, README.md.",
    ]);
    expect(MODULE_DIR).toBe(join("packages", "terraform-module"));
  });

  test("are HCL: validations and preconditions are blocks, and no expression is wrapped in a string", () => {
    const variables = files["variables.tf"];
    const stack = synthesizedStack();
    const rules = Object.entries(stack.variable ?? {})
      .filter(([name]) => name !== "adopt_existing_resources")
      .reduce((n, [, v]) => n + ((v.validation as unknown[] | undefined)?.length ?? 0), 0);
    expect(variables.match(/^ {2}validation \{$/gm)).toHaveLength(rules);
    const preconditions = [stack.data, stack.resource]
      .flatMap((kind) => Object.values(kind ?? {}).flatMap((byName) => Object.values(byName)))
      .reduce(
        (n, body) => n + ((body.lifecycle as { precondition?: unknown[] } | undefined)?.precondition?.length ?? 0),
        0,
      );
    expect(preconditions).toBeGreaterThanOrEqual(7);
    expect(files["main.tf"].match(/^ {4}precondition \{$/gm)).toHaveLength(preconditions);
    expect(files["main.tf"]).toMatch(/^ {2}statement \{\n(.*\n)*? {4}condition \{$/m);
    expect(files["main.tf"]).toMatch(/^ {4}principals \{$/m);
    for (const name of ["variables.tf", "main.tf", "outputs.tf"]) {
      expect(files[name]).not.toMatch(/= "\$\{[^"]*\}"$/m);
      expect(files[name]).not.toContain('"//"');
    }
    expect(variables).toContain("  type        = list(string)\n");
    expect(files["outputs.tf"].match(/^ {2}depends_on {2}= \[aws_iam_role_policy_attachment\.this\]$/gm)).toHaveLength(
      3,
    );
  });

  test("carry no provider configuration, no backend, no import blocks and no root-only variable", () => {
    const all = ["versions.tf", "variables.tf", "main.tf", "outputs.tf"].map((name) => files[name]).join("\n");
    expect(all).not.toMatch(/^\s*(provider|backend|import)\s*("|\{)|adopt_existing_resources/m);
  });

  test("terraform fmt -check -recursive finds nothing to change in the folder, examples and tests included", () => {
    const result = terraform(moduleDir, ["fmt", "-check", "-recursive"]);
    expect({ code: result.code, files: result.stdout }).toEqual({ code: 0, files: "" });
  });

  test("the README: usage from the for_each example, every example and test file, no machine path", () => {
    const readme = files["README.md"];
    expect(readme).toContain(`\`\`\`hcl\n${usageExample()}\n\`\`\``);
    expect(usageExample()).toContain('source = "./modules/pinpoint-personalize-role"');
    expect(readdirSync(join(moduleDir, "examples")).sort()).toEqual([...EXAMPLES].sort());
    for (const name of EXAMPLES) expect(readme).toContain(`](examples/${name}): `);
    for (const file of ["tests/documents.tftest.hcl", "tests/variables.tftest.hcl"])
      expect(readme).toMatch(new RegExp(`- \`${file}\` \\(\\d+ runs\\): \\w`));
    expect(readme).toContain("- `examples/adopt-existing/tests/import.tftest.hcl` (1 run): ");
    expect(readme).toContain("| Name | Description | Type | Default | Required |");
    expect(readme).toContain(`**Terraform ${TESTED_TERRAFORM_VERSION}**`);
    expect(readme).not.toMatch(/\/(tmp|work|root|home)\//);
  });

  test("the Terraform that runs these tests is the release the README says the module was tested with", () => {
    const { terraform_version: version } = JSON.parse(terraformOk(root, ["version", "-json"]).stdout) as {
      terraform_version: string;
    };
    expect(version).toBe(TESTED_TERRAFORM_VERSION);
  });

  test("the folder carries an MPL-2.0 LICENSE and a package.json that says so", () => {
    const license = committed("LICENSE");
    expect(license.startsWith("Mozilla Public License Version 2.0\n==================================\n")).toBe(true);
    expect(license).toContain('Exhibit B - "Incompatible With Secondary Licenses" Notice');
    const manifest = JSON.parse(committed("package.json")) as Record<string, unknown>;
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
});

describe("the writer, on stacks the project does not have yet", () => {
  const schema = {
    resource: new Map<string, BlockSchema>([
      [
        "aws_x",
        {
          attributes: new Set(["name", "tags"]),
          blocks: new Map([["rule", { attributes: new Set(["id"]), blocks: new Map() }]]),
        },
      ],
    ]),
    data: new Map<string, BlockSchema>(),
  };
  const stack = (resource: Record<string, Json>, extra: Record<string, Json> = {}) =>
    ({
      terraform: { required_version: ">= 1.9.0" },
      resource: { aws_x: { this: resource } },
      ...extra,
    }) as unknown as TerraformJson;

  test("writes a new resource's nested blocks, meta-arguments, lifecycle and a moved block", () => {
    const files = moduleTerraformFiles(
      stack(
        {
          count: "${var.n}",
          name: "x-${var.n}",
          tags: { a: "b" },
          rule: [{ id: "1" }, { id: "${var.n}" }],
          lifecycle: {
            create_before_destroy: true,
            postcondition: [{ condition: '${self.name != ""}', error_message: "e" }],
          },
          depends_on: ["aws_x.other"],
        },
        { moved: [{ from: "aws_x.old", to: "aws_x.this" }] },
      ),
      schema,
    );
    expect(files["main.tf"]).toContain(
      'resource "aws_x" "this" {\n  count = var.n\n\n  name = "x-${var.n}"\n  tags = {\n    a = "b"\n  }\n' +
        '  rule {\n    id = "1"\n  }\n  rule {\n    id = var.n\n  }\n\n' +
        '  lifecycle {\n    create_before_destroy = true\n    postcondition {\n      condition     = self.name != ""\n' +
        '      error_message = "e"\n    }\n  }\n  depends_on = [aws_x.other]\n}\n\nmoved {\n  from = aws_x.old\n  to   = aws_x.this\n}\n',
    );
  });

  test("refuses what it does not know rather than guess", () => {
    expect(() => moduleTerraformFiles(stack({ typo: "x" }), schema)).toThrow(
      "aws_x.this: typo is neither an argument nor a nested block in the provider's schema.",
    );
    expect(() => moduleTerraformFiles(stack({ lifecycle: { ignore: ["x"] } }), schema)).toThrow(
      "aws_x.this lifecycle: the module writer does not know ignore.",
    );
    expect(() => moduleTerraformFiles(stack({}, { check: {} }), schema)).toThrow(
      "The module writer does not know these blocks of the stack: check.",
    );
    expect(() =>
      moduleTerraformFiles(stack({}, { terraform: { required_providers: { aws: {}, random: {} } } }), schema),
    ).toThrow("The module requires only the aws provider; the stack requires aws, random.");
  });
});

describe("the module against hashicorp/aws's schema, as each provider binding carries it", () => {
  // Terraform here can install only 5.100.0 (run for real below). For 6.x, whose range the module
  // admits, every resource type, argument, nested block and attribute reference of the module is
  // checked against the schema that @cdktf/provider-aws 21.x was generated from. The JSON form
  // is the HCL form's equal (proven below).
  const json = moduleJson();
  const config = Object.assign(
    {},
    ...["main.tf.json", "outputs.tf.json", "variables.tf.json"].map((name) => JSON.parse(json[name]) as object),
  ) as TerraformJson;
  let aws6: string;

  beforeAll(() => {
    const dir = temp("binding-aws6-");
    installFixture("cdktf-aws6", dir, []);
    aws6 = join(dir, "node_modules", "@cdktf", "provider-aws");
  });

  test("the bindings are of the provider majors they are said to be", () => {
    const version = (binding: string) =>
      /providerVersion: '([^']+)'/.exec(readFileSync(join(binding, "lib", "provider", "index.js"), "utf8"))?.[1];
    expect(version(join(root, "node_modules", "@cdktf", "provider-aws"))).toBe("5.100.0");
    expect(version(aws6)).toMatch(/^6\.\d+\.\d+$/);
  });

  test("hashicorp/aws 5.100.0 has every argument, block and attribute the module uses", () => {
    expect(unknownToSchema(join(root, "node_modules", "@cdktf", "provider-aws"), config)).toEqual([]);
  });

  test("hashicorp/aws 6.x has every argument, block and attribute the module uses", () => {
    expect(unknownToSchema(aws6, config)).toEqual([]);
  });

  test("the check reads each major's own schema, and finds what a schema lacks", () => {
    const aws5 = join(root, "node_modules", "@cdktf", "provider-aws");
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

/** The sets of inputs both forms are planned with: each changes what the resources are. */
const CASES: Record<string, Record<string, Json>> = {
  defaults: {},
  name_prefixes: {
    name: "Pinpoint-",
    use_name_prefix: true,
    policy_name: "Recommendations-",
    policy_use_name_prefix: true,
    path: "/pinpoint/",
    policy_path: "/pinpoint/",
  },
  application_ids: {
    pinpoint_application_ids: ["0123456789abcdef0123456789abcdef", "abc"],
    // Text that a template would read otherwise: quotes, a backslash, ${ and %{, a newline, a tab.
    description: 'Reads "recommendations" \\ for ${project} %{ if x } only\n\tdone',
    policy_description: "One campaign.",
  },
  source_arns: {
    trusted_source_arns: [
      "arn:aws:mobiletargeting:us-east-1:111122223333:recommenders/*",
      "arn:aws:mobiletargeting:us-east-1:111122223333:apps/abc",
    ],
    max_session_duration: 7200,
  },
  tags_and_boundary: {
    tags: { Team: "recommendations", "cost:center": "42", "a b": "c=d" },
    permissions_boundary: "arn:aws:iam::aws:policy/PowerUserAccess",
  },
};
const FORMS = ["hcl", "json"] as const;

/** A literal value in Terraform's JSON syntax, where every string is a template. */
function escaped(value: Json): Json {
  if (typeof value === "string") return value.replace(/([$%])\{/g, "$1$1{");
  if (Array.isArray(value)) return value.map(escaped);
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escaped(v)]));
  return value;
}

/** A module's configuration with JSON's quirk removed: it also records a template's source as a "constant". */
function withoutTemplateSources(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTemplateSources);
  if (value === null || typeof value !== "object") return value;
  const object = value as Record<string, unknown>;
  const references = object.references;
  return Object.fromEntries(
    Object.entries(object)
      .filter(([k]) => !(k === "constant_value" && Array.isArray(references) && references.length > 0))
      .map(([k, v]) => [k, withoutTemplateSources(v)]),
  );
}

/** Values that break rules, in three sets: a variable whose rules read another is refused on its own. */
const REFUSED: Record<string, Json>[] = [
  {
    campaign_id: "arn:aws:personalize:us-east-1:111122223333:campaign/c",
    solution_id: "sol?",
    name: "r".repeat(65),
    policy_name: "a/b",
    path: "/p",
    policy_path: "//",
    description: "a bell \u0007",
    policy_description: "d".repeat(1001),
    max_session_duration: 3599,
    permissions_boundary: "arn:aws:iam::111122223333:role/admin",
    trusted_source_arns: ["arn:aws:mobiletargeting:us-east-1:*:apps/*"],
    tags: { team: "${x}" },
  },
  { campaign_id: "c", solution_id: "s", pinpoint_application_ids: ["abc", "*"] },
  {
    campaign_id: "c",
    solution_id: "s",
    name: "p".repeat(39),
    use_name_prefix: true,
    policy_name: "p".repeat(103),
    policy_use_name_prefix: true,
    pinpoint_application_ids: ["abc"],
    trusted_source_arns: ["arn:aws:mobiletargeting:us-east-1:111122223333:recommenders/*"],
    tags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"])),
  },
];

describe("the HCL module's variables refuse what the JSON form's refuse, with the same messages", () => {
  // The variables alone, with no provider and no resource: Terraform checks the rules in a second.
  const refusals = async (file: string, text: string) => {
    const dir = temp("module-variables-");
    writeFileSync(join(dir, file), text);
    await terraformInit(dir);
    return Promise.all(
      REFUSED.map(async (values, i) => {
        writeFileSync(join(dir, `case-${i}.tfvars.json`), JSON.stringify(values));
        const result = await terraformAsync(dir, [
          "plan",
          "-json",
          "-input=false",
          "-lock=false",
          `-var-file=case-${i}.tfvars.json`,
        ]);
        // Terraform checks the variables concurrently: the order of its messages varies.
        return { code: result.code, errors: errorMessages(diagnostics(result.stdout)).sort() };
      }),
    );
  };

  test("for each set of refused values", async () => {
    const [hcl, json] = await Promise.all([
      refusals("variables.tf", committed("variables.tf")),
      refusals("variables.tf.json", moduleJson()["variables.tf.json"]),
    ]);
    expect(hcl).toEqual(json);
    // 12 variables refused, campaign_id by both its rules.
    expect(hcl.map((r) => [r.code, r.errors.length])).toEqual([
      [1, 13],
      [1, 1],
      [1, 4],
    ]);
  });
});

describe("the HCL module plans exactly as its JSON form, for each set of inputs", () => {
  let dir: string;
  let plan: TerraformPlan;

  beforeAll(async () => {
    const workspace = temp("module-equivalence-");
    mkdirSync(join(workspace, "hcl"));
    for (const name of ["versions.tf", "variables.tf", "main.tf", "outputs.tf"])
      writeFileSync(join(workspace, "hcl", name), committed(name));
    mkdirSync(join(workspace, "json"));
    for (const [name, text] of Object.entries(moduleJson())) writeFileSync(join(workspace, "json", name), text);
    dir = join(workspace, "root");
    mkdirSync(dir);
    const instances = FORMS.flatMap((form) => Object.keys(CASES).map((key) => [`${form}_${key}`, form, key]));
    const config = {
      module: Object.fromEntries(
        instances.map(([name, form, key]) => [
          name,
          {
            source: `../${form}`,
            campaign_id: `${key}-campaign`,
            solution_id: `${key}-solution`,
            ...(escaped(CASES[key]) as Record<string, Json>),
          },
        ]),
      ),
      output: Object.fromEntries(instances.map(([name]) => [name, { value: `\${module.${name}}` }])),
      provider: { aws: [{}] },
    };
    writeFileSync(join(dir, "main.tf.json"), JSON.stringify(config, null, 2));
    plan = await planOffline(dir, []);
  });

  test("terraform validate reports no diagnostic for either form", () => {
    expect(validation(dir)).toEqual({ valid: true, warnings: 0, diagnostics: [] });
  });

  const instance = (form: string, key: string) => `module.${form}_${key}`;
  const changes = (form: string, key: string) =>
    (plan.resource_changes ?? [])
      .filter((c) => c.module_address === instance(form, key))
      .map((c) => ({ ...c, address: c.address.slice(instance(form, key).length + 1), module_address: undefined }));
  const resources = (form: string, key: string) =>
    planResources(plan)
      .filter((r) => r.moduleAddress === instance(form, key))
      .map((r) => ({ ...r, address: r.address.slice(instance(form, key).length + 1), moduleAddress: undefined }));

  test.each(Object.keys(CASES))(
    "%s: the same resource changes, data sources read, planned values and outputs",
    (key) => {
      expect(changes("hcl", key)).toHaveLength(3);
      expect(resources("hcl", key)).toHaveLength(8);
      expect(changes("hcl", key)).toEqual(changes("json", key));
      expect(resources("hcl", key)).toEqual(resources("json", key));
      expect(plan.output_changes?.[`hcl_${key}`]).toEqual(plan.output_changes?.[`json_${key}`]);
    },
  );

  test("the sets of inputs make different roles, so that the comparisons are not of one role five times", () => {
    const roles = Object.keys(CASES).map((key) =>
      JSON.stringify(changes("hcl", key).find((c) => c.address === "aws_iam_role.this")?.change.after),
    );
    expect(new Set(roles).size).toBe(Object.keys(CASES).length);
    const role = changes("hcl", "application_ids").find((c) => c.address === "aws_iam_role.this")?.change.after;
    expect(role?.description).toBe(CASES.application_ids.description);
    expect(role?.assume_role_policy).toContain("apps/abc");
  });

  test("the same configuration: variables, their defaults and descriptions, every expression's references, outputs' depends_on", () => {
    const modules = plan.configuration.root_module.module_calls ?? {};
    const form = (name: string) => withoutTemplateSources(modules[name]?.module) as ConfigModule;
    expect(form("hcl_defaults")).toEqual(form("json_defaults"));
    const variables = Object.keys(synthesizedStack().variable ?? {}).filter((v) => v !== "adopt_existing_resources");
    expect(Object.keys((form("hcl_defaults") as { variables?: object }).variables ?? {}).sort()).toEqual(
      variables.sort(),
    );
  });
});
