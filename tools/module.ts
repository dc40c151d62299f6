import { parse } from "@cdktf/hcl2json";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "./consumer-project";
import { inputsTable, outputsTable } from "./docs";
import { Block, Json, synthesizedStack, TerraformJson } from "./synthesized";

// The Terraform module in HCL (packages/terraform-module/) is written by hand, as Terraform
// authors write modules. What ties it to the cdktf stack is a proof, not a generator: the stack,
// turned into a module in Terraform's JSON syntax here (`moduleJson`), is planned beside the HCL
// module for many inputs, and both must plan the same resources and refuse the same values
// (__tests__/terraform-module-equivalence.test.ts). `moduleHcl` reads the HCL module for the
// tests that check its shape and for the tables of its README (`npm run docs`).

/** The module's folder, relative to the project's root. */
export const MODULE_DIR = join("packages", "terraform-module");
/** The Terraform release the project's tests run the module with (a test checks it is the one on PATH). */
export const TESTED_TERRAFORM_VERSION = "1.11.4";
/** The examples, in the order the module's README lists them: each a root module with a README. */
export const EXAMPLES = ["one-role", "for-each", "adopt-existing"] as const;

/** What a child module cannot carry: the stack's provider, its import blocks, the variable that drives them. */
const ROOT_ONLY_BLOCKS = ["provider", "import", "//"];
const ROOT_ONLY_VARIABLES = ["adopt_existing_resources"];

/**
 * The synthesized stack as a child module in Terraform's JSON syntax (`*.tf.json` files by name):
 * its variables, locals, data sources, resources and outputs as cdktf writes them, without the
 * provider, the backend and the import blocks. The reference that the HCL module must plan as.
 */
export function moduleJson(stack: TerraformJson = synthesizedStack()): Record<string, string> {
  const unknown = Object.keys(stack).filter(
    (key) =>
      ![...ROOT_ONLY_BLOCKS, "terraform", "variable", "output", "locals", "data", "resource", "moved"].includes(key),
  );
  if (unknown.length > 0) throw new Error(`The stack has blocks a module form does not know: ${unknown.join(", ")}.`);
  const providers = Object.keys((stack.terraform?.required_providers as Record<string, unknown> | undefined) ?? {});
  if (providers.some((name) => name !== "aws"))
    throw new Error(`The module requires only the aws provider; the stack requires ${providers.join(", ")}.`);
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  const variables = Object.fromEntries(
    Object.entries(stack.variable ?? {}).filter(([name]) => !ROOT_ONLY_VARIABLES.includes(name)),
  );
  return {
    "versions.tf.json": json({
      terraform: {
        required_version: stack.terraform?.required_version,
        required_providers: { aws: { source: "hashicorp/aws" } },
      },
    }),
    "variables.tf.json": json({ variable: variables }),
    "main.tf.json": json({
      ...(stack.locals ? { locals: stack.locals } : {}),
      data: withoutRootOnlyBlocks(stack.data),
      resource: withoutRootOnlyChecks(stack.resource),
      ...(stack.moved ? { moved: stack.moved } : {}),
    }),
    "outputs.tf.json": json({ output: stack.output ?? {} }),
  };
}

/** The data sources without those that read a root-only variable (the role that adoption imports). */
function withoutRootOnlyBlocks(data: TerraformJson["data"]): TerraformJson["data"] {
  if (data === undefined) return undefined;
  const rootOnly = (block: unknown) =>
    ROOT_ONLY_VARIABLES.some((name) => JSON.stringify(block).includes(`var.${name}`));
  return Object.fromEntries(
    Object.entries(data)
      .map(
        ([type, blocks]) => [type, Object.fromEntries(Object.entries(blocks).filter(([, b]) => !rootOnly(b)))] as const,
      )
      .filter(([, blocks]) => Object.keys(blocks).length > 0),
  );
}

/**
 * The resources without the preconditions that read a root-only variable (the adoption's checks,
 * which hold while `adopt_existing_resources` is true: a module cannot tell an import).
 */
function withoutRootOnlyChecks(resources: TerraformJson["resource"]): TerraformJson["resource"] {
  if (resources === undefined) return undefined;
  const rootOnly = (condition: unknown) =>
    ROOT_ONLY_VARIABLES.some((name) => typeof condition === "string" && condition.includes(`var.${name}`));
  return Object.fromEntries(
    Object.entries(resources).map(([type, blocks]) => [
      type,
      Object.fromEntries(
        Object.entries(blocks).map(([name, block]) => {
          const lifecycle = block.lifecycle as Block | undefined;
          const checks = lifecycle?.precondition as Block[] | undefined;
          if (lifecycle === undefined || checks === undefined) return [name, block];
          const kept = checks.filter((p) => !rootOnly(p.condition));
          const rest: Block = Object.fromEntries(Object.entries(block).filter(([k]) => k !== "lifecycle"));
          const others: Block = Object.fromEntries(Object.entries(lifecycle).filter(([k]) => k !== "precondition"));
          const next: Block = kept.length > 0 ? { ...others, precondition: kept } : others;
          return [name, Object.keys(next).length > 0 ? { ...rest, lifecycle: next } : rest];
        }),
      ),
    ]),
  );
}

/**
 * The module README's usage: examples/for-each's main.tf without its provider block, its module
 * source the folder a caller copies it to, `modules/pinpoint-personalize-role`.
 */
export function usageExample(dir: string = join(projectRoot, MODULE_DIR)): string {
  const main = readFileSync(join(dir, "examples", "for-each", "main.tf"), "utf8");
  const withoutProvider = main.replace(/^provider "aws" \{\n[\s\S]*?^\}\n\n/m, "");
  const usage = withoutProvider.replace(
    /^(\s*source\s*=\s*)"\.\.\/\.\.\/"$/m,
    '$1"./modules/pinpoint-personalize-role"',
  );
  if (usage === withoutProvider || withoutProvider === main)
    throw new Error("examples/for-each/main.tf must start with its provider block and call the module at ../../.");
  return usage.trimEnd();
}

/** The usage the module README shows, which the tests run as a caller. */
export const USAGE_EXAMPLE = usageExample();

/** The HCL module's blocks as Terraform's JSON syntax writes them (expressions as "${...}"). */
export interface ModuleHcl extends TerraformJson {
  readonly locals: Record<string, Json>;
  readonly terraform: Block;
  /** Each `.tf` file's text, by name. */
  readonly files: Record<string, string>;
}

/** The module's `.tf` files, read with HashiCorp's HCL parser (hcl2json, Go compiled to WASM). */
export async function moduleHcl(dir: string = join(projectRoot, MODULE_DIR)): Promise<ModuleHcl> {
  const names = readdirSync(dir)
    .filter((name) => name.endsWith(".tf"))
    .sort();
  const files = Object.fromEntries(names.map((name) => [name, readFileSync(join(dir, name), "utf8")]));
  const parsed = await Promise.all(names.map(async (name) => (await parse(name, files[name])) as Record<string, Json>));
  // hcl2json writes each block as a list of bodies, since a label may repeat; the module declares each once.
  const single = (where: string, value: Json): Block => {
    const list = value as Block[];
    if (list.length !== 1) throw new Error(`${where} is declared ${list.length} times.`);
    return list[0];
  };
  const section = (key: string) => parsed.map((file) => (file[key] ?? {}) as Record<string, Json>);
  const named = (key: string) =>
    Object.fromEntries(section(key).flatMap((s) => Object.entries(s).map(([n, v]) => [n, single(`${key} ${n}`, v)])));
  const typed = (key: string) => {
    const result: Record<string, Record<string, Block>> = {};
    for (const byType of section(key))
      for (const [type, byName] of Object.entries(byType))
        for (const [name, body] of Object.entries(byName as Record<string, Json>))
          (result[type] ??= {})[name] = single(`${key} ${type}.${name}`, body);
    return result;
  };
  const merged = (key: string) => Object.assign({}, ...parsed.flatMap((file) => (file[key] ?? []) as Block[])) as Block;
  const rootOnly = Object.fromEntries(
    ["provider", "import", "backend"].filter((key) => parsed.some((file) => key in file)).map((key) => [key, {}]),
  );
  return {
    ...rootOnly,
    files,
    variable: named("variable"),
    output: named("output"),
    data: typed("data"),
    resource: typed("resource"),
    locals: merged("locals"),
    terraform: merged("terraform"),
  };
}

/** An expression of hcl2json's output without its "${...}": `${list(string)}` is `list(string)`. */
export const bare = (value: Json | undefined): string =>
  typeof value === "string" ? value.replace(/^\$\{([\s\S]*)\}$/, "$1") : JSON.stringify(value);

const oneLine = (text: Json | undefined) => (typeof text === "string" ? text.trim().replace(/\s+/g, " ") : "");

/** The module README's generated blocks: its Requirements, Inputs and Outputs, from its `.tf` files. */
export async function moduleReadmeBlocks(dir?: string): Promise<Record<string, string>> {
  const hcl = await moduleHcl(dir);
  const providers = (hcl.terraform.required_providers as Block[] | undefined)?.[0] ?? {};
  const aws = providers.aws as Block;
  const variables = Object.fromEntries(
    Object.entries(hcl.variable ?? {}).map(([name, v]) => [
      name,
      { ...v, type: bare(v.type), description: oneLine(v.description) },
    ]),
  );
  const outputs = Object.fromEntries(
    Object.entries(hcl.output ?? {}).map(([name, o]) => [name, { description: oneLine(o.description) }]),
  );
  return {
    "module-requirements": [
      "| Name | Version |",
      "|---|---|",
      `| terraform | \`${bare(hcl.terraform.required_version)}\` |`,
      `| ${bare(aws.source)} | \`${bare(aws.version)}\` |`,
    ].join("\n"),
    "module-inputs": inputsTable(variables),
    "module-outputs": outputsTable(outputs),
  };
}
