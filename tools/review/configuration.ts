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

/**
 * A lookup of `dynamic` blocks in the configuration whose root module is `root` (with
 * `terraform init`'s files in `dataDir`). A resource in a module whose files cannot be found, or
 * read, is answered undefined: unknown.
 */
export function configurationFiles(
  plan: TerraformPlan,
  root: string,
  dataDir = join(root, ".terraform"),
): DynamicBlockLookup {
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
  return (instance: Instance, block: string) => {
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
}
