import { parse } from "@cdktf/hcl2json";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { ConfigModule, TerraformPlan } from "./offline-plan";
import { moduleCalls } from "./plan-model";

// The configuration's own text, for what a plan's JSON leaves out or blurs: `dynamic` blocks, and
// the exact expression of an argument (a plan's JSON gives only the references an expression reads,
// so `aws_iam_policy.this.arn` and `replace(aws_iam_policy.this.arn, ...)` look the same there).
// HCL files are read with HashiCorp's own parser (@cdktf/hcl2json, Go's hcl compiled to
// WebAssembly) into Terraform's JSON syntax, where JSON files already are: expressions as "${...}".

/** A block's body in Terraform's JSON syntax. */
export type Body = Record<string, unknown>;

/** One module's configuration: its blocks by kind and name. */
export interface ModuleSource {
  readonly dir: string;
  readonly resources: Map<string, Body>;
  readonly outputs: Map<string, Body>;
  readonly locals: Map<string, unknown>;
  readonly calls: Map<string, Body>;
  /** The module's `variable` blocks by name. */
  readonly variables: Map<string, Body>;
}

interface ModuleManifest {
  readonly Modules?: { readonly Key: string; readonly Dir: string }[];
}

/** A block in Terraform's JSON syntax may be an object or a list of objects (HCL's parser writes lists). */
export function bodies(value: unknown): Body[] {
  if (Array.isArray(value)) return value.flatMap(bodies);
  return value !== null && typeof value === "object" ? [value as Body] : [];
}

function entries(value: unknown): [string, unknown][] {
  return bodies(value).flatMap((b) => Object.entries(b));
}

/**
 * A block merged with an override file's block of the same name, as Terraform merges them
 * (Terraform: Override Files): each argument of the override replaces the base's; each nested
 * block type the override writes (as blocks or as `dynamic` blocks) replaces all of the base's
 * blocks of that type, static and dynamic alike, except `lifecycle`, merged argument by argument.
 */
export function mergeOverride(base: Body, override: Body): Body {
  const merged: Body = { ...base };
  delete merged.dynamic;
  const dynamic = dynamicBlocks(base.dynamic);
  const overridden = dynamicBlocks(override.dynamic);
  for (const type of overridden.keys()) {
    delete merged[type];
    dynamic.delete(type);
  }
  for (const [key, value] of Object.entries(override)) {
    if (key === "dynamic") continue;
    // "The contents of any lifecycle nested block are merged on an argument-by-argument basis."
    merged[key] =
      key === "lifecycle" ? [Object.assign({}, ...bodies(base.lifecycle), ...bodies(value)) as Body] : value;
    dynamic.delete(key);
  }
  for (const [type, blocks] of overridden) dynamic.set(type, blocks);
  if (dynamic.size > 0) merged.dynamic = Object.fromEntries(dynamic);
  return merged;
}

/**
 * A `dynamic` argument's blocks by type, every one kept: JSON syntax may write several blocks of
 * one type as several objects (`"dynamic": [{"x": {...}}, {"x": {...}}]`), HCL's parser as a list.
 */
function dynamicBlocks(value: unknown): Map<string, Body[]> {
  const byType = new Map<string, Body[]>();
  for (const body of bodies(value)) {
    for (const [type, blocks] of Object.entries(body))
      byType.set(type, [...(byType.get(type) ?? []), ...bodies(blocks)]);
  }
  return byType;
}

/**
 * One module's configuration, from each of its files in Terraform's JSON syntax (HCL's parsed),
 * primary files first, then override files merged into them.
 */
function moduleSource(dir: string, files: readonly ConfigFile[]): ModuleSource {
  const resources = new Map<string, Body>();
  const outputs = new Map<string, Body>();
  const calls = new Map<string, Body>();
  const variables = new Map<string, Body>();
  const locals = new Map<string, unknown>();
  const ordered = [...files.filter((f) => !f.override), ...files.filter((f) => f.override)];
  for (const { config, override } of ordered) {
    const put = (map: Map<string, Body>, key: string, body: Body) => {
      const base = map.get(key);
      map.set(key, override && base !== undefined ? mergeOverride(base, body) : body);
    };
    for (const [kind, prefix] of [
      ["resource", ""],
      ["data", "data."],
    ] as const) {
      for (const [type, byName] of entries(config[kind])) {
        for (const [name, body] of entries(byName)) {
          const first = bodies(body)[0];
          if (first) put(resources, `${prefix}${type}.${name}`, first);
        }
      }
    }
    for (const [kind, map] of [
      ["output", outputs],
      ["module", calls],
      ["variable", variables],
    ] as const) {
      for (const [name, body] of entries(config[kind])) {
        const first = bodies(body)[0];
        if (first) put(map, name, first);
      }
    }
    for (const [name, value] of entries(config.locals)) locals.set(name, value);
  }
  return { dir, resources, outputs, locals, calls, variables };
}

/** One file of a module, parsed, and whether it is an override file. */
interface ConfigFile {
  readonly config: Record<string, unknown>;
  readonly override: boolean;
}

/**
 * Whether Terraform reads a file of a module's directory as configuration: a `.tf` or `.tf.json`
 * file, except the names it ignores (starting with `.`, ending with `~`, or between `#`s).
 */
export function isConfigurationFile(name: string): boolean {
  if (name.startsWith(".") || name.endsWith("~") || (name.startsWith("#") && name.endsWith("#"))) return false;
  return /\.tf(\.json)?$/.test(name);
}

/** Whether Terraform reads a configuration file as an override file (`override.tf`, `*_override.tf`, and JSON). */
function isOverrideFile(name: string): boolean {
  const stem = name.replace(/\.tf(\.json)?$/, "");
  return stem === "override" || stem.endsWith("_override");
}

/**
 * File names in the order Terraform reads them: by their bytes in UTF-8 (Go's `sort.Strings`), not
 * JavaScript's UTF-16 order. It decides which override file is merged last.
 */
export function inTerraformOrder(names: readonly string[]): string[] {
  return [...names].sort((a, b) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8")));
}

/** Every configuration file of a module's directory: `.tf` parsed with HashiCorp's HCL parser, `.tf.json` as JSON. */
async function readModule(dir: string): Promise<ConfigFile[]> {
  const names = inTerraformOrder(readdirSync(dir).filter(isConfigurationFile));
  return Promise.all(
    names.map(async (name) => {
      const text = readFileSync(join(dir, name), "utf8");
      const config = (name.endsWith(".json") ? JSON.parse(text) : await parse(name, text)) as Record<string, unknown>;
      return { config, override: isOverrideFile(name) };
    }),
  );
}

/** The directory of each module instance of the plan: `terraform init`'s manifest, or the calls' local sources. */
export function moduleDirectory(
  plan: TerraformPlan,
  root: string,
  dataDir: string,
  moduleAddress: string,
): string | undefined {
  const calls = moduleCalls(moduleAddress);
  if (calls.length === 0) return root;
  const manifest = join(dataDir, "modules", "modules.json");
  if (existsSync(manifest)) {
    const key = calls.map((c) => c.name).join(".");
    const entry = (JSON.parse(readFileSync(manifest, "utf8")) as ModuleManifest).Modules?.find((m) => m.Key === key);
    if (entry) return isAbsolute(entry.Dir) ? entry.Dir : resolve(root, entry.Dir);
  }
  let dir = root;
  let module: ConfigModule | undefined = plan.configuration.root_module;
  for (const call of calls) {
    const source = module?.module_calls?.[call.name]?.source;
    if (source === undefined || !/^(\.\.?\/|\/)/.test(source)) return undefined;
    dir = resolve(dir, source);
    module = module?.module_calls?.[call.name]?.module;
  }
  return dir;
}

/** Every module of the configuration, by the address of its calls (`module.a.module.b`; "" for the root). */
function moduleAddresses(module: ConfigModule | undefined, prefix = ""): string[] {
  return [
    prefix,
    ...Object.entries(module?.module_calls ?? {}).flatMap(([name, call]) =>
      moduleAddresses(call.module, prefix === "" ? `module.${name}` : `${prefix}.module.${name}`),
    ),
  ];
}

/** The configuration of a plan, read from its files: every module's that can be found. */
export class ConfigurationSource {
  private constructor(
    private readonly modules: Map<string, ModuleSource>,
    /** Where `terraform init` put downloaded modules: not the user's files to point at. */
    readonly dataDir: string,
  ) {}

  /** Reads every module of the plan's configuration from `root` (and `dataDir`'s downloaded modules). */
  static async read(
    plan: TerraformPlan,
    root: string,
    dataDir = join(root, ".terraform"),
  ): Promise<ConfigurationSource> {
    const modules = new Map<string, ModuleSource>();
    const byDir = new Map<string, Promise<ConfigFile[]>>();
    for (const address of moduleAddresses(plan.configuration.root_module)) {
      const dir = moduleDirectory(plan, root, dataDir, address);
      if (dir === undefined || !existsSync(dir) || !readdirSync(dir).some(isConfigurationFile)) continue;
      let files = byDir.get(dir);
      if (files === undefined) {
        files = readModule(dir);
        byDir.set(dir, files);
      }
      modules.set(address, moduleSource(dir, await files));
    }
    return new ConfigurationSource(modules, dataDir);
  }

  /** A module instance's configuration (`module.a["x"]` reads `module.a`'s), or undefined when its files were not found. */
  module(moduleAddress: string): ModuleSource | undefined {
    return this.modules.get(moduleAddress.replace(/\[(?:"(?:[^"\\]|\\.)*"|\d+)\]/g, ""));
  }
}

// ---------------------------------------------------------------------------------------------
// Expressions: a reference and nothing else, or something the review does not evaluate.

/** An index of a reference: a literal key, the referrer's own key (`each.key`, `count.index`), every key, or an expression. */
export type Index =
  | { readonly kind: "literal"; readonly key: string | number }
  | { readonly kind: "own" }
  | { readonly kind: "all" }
  | { readonly kind: "expression"; readonly text: string };

/**
 * A reference and nothing else, as its parts: `aws_iam_role.fe[each.key].name` is
 * `["aws_iam_role", "fe", { kind: "own" }, "name"]`.
 */
export type Traversal = (string | Index)[];

function indexOf(text: string): Index {
  const t = text.trim();
  if (t === "*") return { kind: "all" };
  // A number beyond 2^53 loses digits in JavaScript, where Terraform's numbers are exact: left to
  // the plan's values, as an expression.
  if (/^\d+$/.test(t) && Number.isSafeInteger(Number(t))) return { kind: "literal", key: Number(t) };
  if (/^"(?:[^"\\$%]|\\.)*"$/.test(t)) return { kind: "literal", key: JSON.parse(t) as string };
  if (t === "each.key" || t === "count.index") return { kind: "own" };
  return { kind: "expression", text: t };
}

/**
 * The reference that an argument's value is, when it is one and nothing else (`"${a.b[c].d}"`);
 * undefined for anything else (a literal, a template with text, a function call, an operator).
 */
export function traversal(value: unknown): Traversal | undefined {
  if (typeof value !== "string") return undefined;
  const whole = /^\$\{([\s\S]*)\}$/.exec(value);
  if (whole === null) return undefined;
  let rest = (whole[1] ?? "").trim();
  const first = /^([A-Za-z_][A-Za-z0-9_-]*)/.exec(rest);
  if (first === null) return undefined;
  const parts: Traversal = [first[1]];
  rest = rest.slice(first[0].length);
  while (rest.length > 0) {
    const attribute = /^\.([A-Za-z_][A-Za-z0-9_-]*|\*)/.exec(rest);
    if (attribute) {
      parts.push(attribute[1] === "*" ? { kind: "all" } : attribute[1]);
      rest = rest.slice(attribute[0].length);
      continue;
    }
    // An index: a string literal, or text with balanced brackets and no string containing "]".
    const bracket = /^\[((?:"(?:[^"\\]|\\.)*"|[^[\]"])*)\]/.exec(rest);
    if (bracket) {
      parts.push(indexOf(bracket[1]));
      rest = rest.slice(bracket[0].length);
      continue;
    }
    return undefined;
  }
  return parts;
}
