import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { moduleFiles } from "../tools/module";

/**
 * The generated Terraform module in `workspace/pinpoint-personalize-role/`, and beside it a root
 * module (`workspace/caller/`) whose main.tf is `main` and whose AWS provider is configured by the
 * environment; returns the caller's directory.
 */
export function moduleCaller(workspace: string, main: string, files: Record<string, string> = moduleFiles()): string {
  const module = join(workspace, "pinpoint-personalize-role");
  mkdirSync(module);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(module, name), text);
  const caller = join(workspace, "caller");
  mkdirSync(caller);
  writeFileSync(join(caller, "main.tf"), main);
  writeFileSync(join(caller, "providers.tf"), 'provider "aws" {}\n');
  return caller;
}
