import { existsSync, readdirSync, readFileSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { ConfigModule, TerraformPlan } from "../offline-plan";
import { DynamicBlockLookup } from "./grants";
import { Instance, moduleCalls } from "./plan-model";

// What a plan's JSON leaves out and the configuration's files show: which resources write a
// `dynamic` block. The review reads them when it has the configuration (it planned it, or was
// given its directory); with a plan alone, it says what it could not see.

interface ModuleManifest {
  readonly Modules?: { readonly Key: string; readonly Dir: string }[];
}

/** The directory of each module of a configuration, from `terraform init`'s manifest or the calls' local sources. */
function moduleDirectory(
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
  // Without a manifest, local sources (./, ../, absolute) name their directories.
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

/** Whether a JSON configuration writes `dynamic "<block>"` in the resource. */
function jsonWritesDynamic(text: string, type: string, name: string, block: string): boolean {
  try {
    const config = JSON.parse(text) as {
      resource?: Record<string, Record<string, { dynamic?: Record<string, unknown> }>>;
    };
    const resource = config.resource?.[type]?.[name];
    return resource?.dynamic?.[block] !== undefined;
  } catch {
    // Not readable as this shape: say yes when it could be, so that the review fails closed.
    return text.includes(`"${block}"`) && text.includes('"dynamic"');
  }
}

/** Where a resource is written: a file of the configuration and the line its block starts on. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
}

/** A resource address's module instance, type and name: `module.a["x"].aws_iam_role.this[0]`. */
export function splitAddress(address: string): { moduleAddress: string; type: string; name: string } | undefined {
  const modules = /^((?:module\.[A-Za-z0-9_-]+(?:\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?\.)*)/.exec(address)?.[1] ?? "";
  const rest = /^((?:data\.)?[A-Za-z0-9_]+)\.([A-Za-z0-9_-]+)/.exec(address.slice(modules.length));
  if (rest === null) return undefined;
  return { moduleAddress: modules.replace(/\.$/, ""), type: rest[1] as string, name: rest[2] as string };
}

/** The line (1-based) where a file writes a resource's block (or, with type "module", a module call's), or undefined. */
function lineOf(file: { name: string; text: string }, type: string, name: string): number | undefined {
  const lines = file.text.split("\n");
  const kind = type === "module" ? "module" : type.startsWith("data.") ? "data" : "resource";
  const bare = type.replace(/^data\./, "");
  if (!file.name.endsWith(".json")) {
    const header = new RegExp(`^\\s*${kind}\\s+${kind === "module" ? "" : `"${bare}"\\s+`}"${name}"`);
    const i = lines.findIndex((l) => header.test(l));
    return i < 0 ? undefined : i + 1;
  }
  // JSON: the block's key inside its type's object (a module call's inside "module").
  const typeLine = lines.findIndex((l) => l.includes(`"${kind === "module" ? "module" : bare}": {`));
  if (typeLine < 0) return undefined;
  const i = lines.findIndex((l, n) => n > typeLine && l.trimStart().startsWith(`"${name}": {`));
  return i < 0 ? undefined : i + 1;
}

/**
 * A lookup of `dynamic` blocks in the configuration whose root module is `root` (with
 * `terraform init`'s files in `dataDir`). A resource in a module whose files cannot be found, or
 * read, is answered undefined: unknown.
 */
export function configurationFiles(
  plan: TerraformPlan,
  root: string,
  dataDir = join(root, ".terraform"),
): DynamicBlockLookup & { locate: (address: string) => SourceLocation | undefined } {
  const cache = new Map<string, { name: string; text: string }[] | undefined>();
  const files = (moduleAddress: string) => {
    const dir = moduleDirectory(plan, root, dataDir, moduleAddress.replace(/\[[^\]]*\]/g, ""));
    if (!cache.has(dir ?? "")) {
      cache.set(
        dir ?? "",
        dir === undefined || !existsSync(dir)
          ? undefined
          : readdirSync(dir)
              .filter((f) => /\.tf(\.json)?$/.test(f))
              .map((f) => ({ name: f, text: readFileSync(join(dir, f), "utf8") })),
      );
    }
    return cache.get(dir ?? "");
  };
  const dirs = new Map<string, string | undefined>();
  const dirOf = (moduleAddress: string) => {
    const key = moduleAddress.replace(/\[[^\]]*\]/g, "");
    if (!dirs.has(key)) dirs.set(key, moduleDirectory(plan, root, dataDir, key));
    return dirs.get(key);
  };
  const lookup = (instance: Instance, block: string) => {
    const found = files(instance.moduleAddress);
    if (found === undefined) return undefined;
    const header = new RegExp(`resource\\s+"${instance.type}"\\s+"${instance.name}"`);
    const dynamic = new RegExp(`dynamic\\s+"${block}"`);
    return found.some((f) =>
      f.name.endsWith(".json")
        ? jsonWritesDynamic(f.text, instance.type, instance.name, block)
        : header.test(f.text) && dynamic.test(f.text),
    );
  };
  const find = (moduleAddress: string, type: string, name: string): SourceLocation | undefined => {
    const dir = dirOf(moduleAddress);
    if (dir === undefined) return undefined;
    // A module that `terraform init` downloaded is not the user's to edit: its call is.
    if (resolve(dir).startsWith(resolve(dataDir))) {
      const calls = moduleCalls(moduleAddress);
      const call = calls.pop();
      if (call === undefined) return undefined;
      const parent = calls.map((c) => `module.${c.name}`).join(".");
      return find(parent, "module", call.name);
    }
    for (const f of files(moduleAddress) ?? []) {
      const line = lineOf(f, type, name);
      if (line !== undefined) return { file: join(dir, f.name), line };
    }
    return undefined;
  };
  const locate = (address: string): SourceLocation | undefined => {
    const parts = splitAddress(address);
    return parts === undefined ? undefined : find(parts.moduleAddress, parts.type, parts.name);
  };
  return Object.assign(lookup, { locate });
}
