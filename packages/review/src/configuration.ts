import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { TerraformPlan } from "./offline-plan";
import { moduleCalls } from "./plan-model";
import { isConfigurationFile, moduleDirectory } from "./source";

// Where the configuration writes each resource: the file and line a SARIF result points at.

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
  return { moduleAddress: modules.replace(/\.$/, ""), type: rest[1], name: rest[2] };
}

/** The line (1-based) where a file writes a resource's block (or, with type "module", a module call's), or undefined. */
function lineOf(file: { name: string; text: string }, type: string, name: string): number | undefined {
  const lines = file.text.split("\n");
  const kind = type === "module" ? "module" : type.startsWith("data.") ? "data" : "resource";
  const bare = type.replace(/^data\./, "");
  if (!file.name.endsWith(".json")) {
    const label = (text: string) => `"?${text}"?`;
    const header = new RegExp(`^\\s*${kind}\\s+${kind === "module" ? "" : `${label(bare)}\\s+`}${label(name)}\\s*\\{`);
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
 * Where the configuration whose root module is `root` (with `terraform init`'s files in
 * `dataDir`) writes a resource: its block's file and line, or, for a module that `terraform init`
 * downloaded, the module call's. Undefined where the files cannot be found.
 */
export function locator(
  plan: TerraformPlan,
  root: string,
  dataDir = join(root, ".terraform"),
): (address: string) => SourceLocation | undefined {
  const files = new Map<string, { name: string; text: string }[]>();
  const filesOf = (dir: string) => {
    let found = files.get(dir);
    if (found === undefined) {
      found = existsSync(dir)
        ? readdirSync(dir)
            .filter(isConfigurationFile)
            .map((f) => ({ name: f, text: readFileSync(join(dir, f), "utf8") }))
        : [];
      files.set(dir, found);
    }
    return found;
  };
  const find = (moduleAddress: string, type: string, name: string): SourceLocation | undefined => {
    const dir = moduleDirectory(plan, root, dataDir, moduleAddress.replace(/\[[^\]]*\]/g, ""));
    if (dir === undefined) return undefined;
    // A module that `terraform init` downloaded is not the user's to edit: its call is.
    if (resolve(dir).startsWith(resolve(dataDir))) {
      const calls = moduleCalls(moduleAddress);
      const call = calls.pop();
      if (call === undefined) return undefined;
      return find(calls.map((c) => `module.${c.name}`).join("."), "module", call.name);
    }
    for (const f of filesOf(dir)) {
      const line = lineOf(f, type, name);
      if (line !== undefined) return { file: join(dir, f.name), line };
    }
    return undefined;
  };
  return (address) => {
    const parts = splitAddress(address);
    return parts === undefined ? undefined : find(parts.moduleAddress, parts.type, parts.name);
  };
}
