import { readFileSync, rmSync } from "node:fs";
import { moduleCaller } from "../test-support/module-caller";
import { tempDirs } from "../test-support/temp";
import { join, relative } from "node:path";
import { spawnSync } from "node:child_process";
import { EXAMPLE_PLACE, OVERRIDE_FILE, planOffline, TerraformPlan } from "../tools/offline-plan";
import { MODULE_DIR, moduleFiles, USAGE_EXAMPLE } from "../tools/module";
import { validation } from "../tools/terraform";
import { main as review, ReviewResult } from "../tools/review/cli";
import { bindingSchema, unknownToSchema } from "../test-support/binding-schema";
import { installFixture } from "../test-support/consumer-app";
import { TerraformJson } from "../tools/synthesized";

/**
 * The plain Terraform module, called from HCL with for_each, through real Terraform: init,
 * validate and an offline plan. The caller is the module README's own usage example.
 */
const root = join(__dirname, "..");
const files = moduleFiles();
const json = (name: string) => JSON.parse(files[name]) as Record<string, Record<string, unknown>>;

describe("the module's files", () => {
  test("carry variables with validations, data sources, resources, outputs and required_providers", () => {
    expect(Object.keys(files).sort()).toEqual([
      "README.md",
      "main.tf.json",
      "outputs.tf.json",
      "variables.tf.json",
      "versions.tf.json",
    ]);
    expect(json("versions.tf.json")).toEqual({
      terraform: {
        required_version: ">= 1.9.0",
        required_providers: { aws: { source: "hashicorp/aws", version: ">= 5.100.0, < 7.0.0" } },
      },
    });
    const variables = json("variables.tf.json").variable as Record<string, { validation?: unknown[] }>;
    expect(variables.campaign_id?.validation).toHaveLength(2);
    expect(Object.keys(json("main.tf.json")).sort()).toEqual(["data", "resource"]);
    expect(Object.keys(json("outputs.tf.json").output as object)).toContain("role_arn");
  });

  test("carry no provider configuration, no backend, no import blocks and no cdktf metadata", () => {
    const all = Object.entries(files)
      .filter(([name]) => name.endsWith(".json"))
      .map(([, text]) => text)
      .join("\n");
    expect(all).not.toMatch(/"provider"|"backend"|"import"|"\/\/"|adopt_existing_resources/);
  });

  test("npm run module writes them to dist/terraform-module", () => {
    const run = spawnSync("npm", ["run", "--silent", "module"], { cwd: root, encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe(
      "Wrote the Terraform module to dist/terraform-module/: versions.tf.json, variables.tf.json, main.tf.json, outputs.tf.json, README.md\n",
    );
    for (const [name, text] of Object.entries(files))
      expect(readFileSync(join(root, MODULE_DIR, name), "utf8")).toBe(text);
  });
});

const temp = tempDirs();

describe("the module against hashicorp/aws's schema, as each provider binding carries it", () => {
  // Terraform here can install only 5.100.0 (run for real below). For 6.x, whose range the module
  // admits, every resource type, argument, nested block and attribute reference of the module is
  // checked against the schema that @cdktf/provider-aws 21.x was generated from.
  const config = {
    ...json("main.tf.json"),
    ...json("outputs.tf.json"),
    ...json("variables.tf.json"),
  } as TerraformJson;
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

describe("an HCL root module calling it with for_each over two campaigns", () => {
  let workspace: string;
  let caller: string;
  let plan: TerraformPlan;

  beforeAll(async () => {
    workspace = temp("hcl-");
    caller = moduleCaller(workspace, `${USAGE_EXAMPLE}\n`, files);
    plan = await planOffline(caller, []);
  });

  test("the README's usage example is the caller", () => {
    expect(files["README.md"]).toContain(`\`\`\`hcl\n${USAGE_EXAMPLE}\n\`\`\``);
  });

  test("terraform validate accepts it, with no warning (no deprecation on 5.100.0)", () => {
    expect(validation(caller)).toEqual({ valid: true, warnings: 0, diagnostics: [] });
  });

  test("the offline plan creates 2 x 3 resources", () => {
    const created = (plan.resource_changes ?? [])
      .filter((c) => c.change.actions.includes("create"))
      .map((c) => c.address)
      .sort();
    expect(created).toEqual(
      ["books", "movies"].flatMap((key) => [
        `module.pinpoint_recommendations["${key}"].aws_iam_policy.this`,
        `module.pinpoint_recommendations["${key}"].aws_iam_role.this`,
        `module.pinpoint_recommendations["${key}"].aws_iam_role_policy_attachment.this`,
      ]),
    );
  });

  test("npm run review --dir reviews each instance's role on its own", async () => {
    // The earlier offline plan left its override here; a user's module has none.
    rmSync(join(caller, OVERRIDE_FILE), { force: true });
    const out = join(workspace, "review");
    let stdout = "";
    const code = await review(["--dir", caller, "--out", out], {
      out: (t) => (stdout += t),
      err: (t) => (stdout += t),
    });
    expect({ code, stdout: code === 0 ? "" : stdout }).toEqual({ code: 0, stdout: "" });
    const result = JSON.parse(readFileSync(join(out, "review.json"), "utf8")) as ReviewResult;
    expect(result.context).toEqual(
      expect.objectContaining({ mode: "offline", source: `module directory ${relative(process.cwd(), caller)}` }),
    );
    expect(
      result.review.roles.map((r) => [
        r.analysis.subject.role.address,
        r.analysis.subject.campaignArn,
        r.analysis.passed,
      ]),
    ).toEqual(
      ["books", "movies"].map((key) => [
        `module.pinpoint_recommendations["${key}"].aws_iam_role.this`,
        `arn:aws:personalize:${EXAMPLE_PLACE.region}:${EXAMPLE_PLACE.accountId}:campaign/${key}-campaign`,
        true,
      ]),
    );
    expect(result.review.roles.map((r) => r.analysis.subject.policies.map((p) => p.address))).toEqual(
      ["books", "movies"].map((key) => [`module.pinpoint_recommendations["${key}"].aws_iam_policy.this`]),
    );
  });

  test("outputs come per instance", () => {
    const { accountId: account, region } = EXAMPLE_PLACE;
    const after = plan.output_changes?.recommender_inputs?.after as Record<string, Record<string, unknown>>;
    expect(Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v.RecommendationProviderUri]))).toEqual({
      books: `arn:aws:personalize:${region}:${account}:campaign/books-campaign`,
      movies: `arn:aws:personalize:${region}:${account}:campaign/movies-campaign`,
    });
  });
});
