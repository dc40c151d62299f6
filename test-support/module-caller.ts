import { cpSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../tools/consumer-project";
import { MODULE_DIR } from "../tools/module";

/** The Terraform module's folder as committed: its .tf files, examples/, tests/. */
export const moduleDir = join(projectRoot, MODULE_DIR);

/** A copy of the module's folder in `dir`, without Terraform's working files; returns it. */
export function moduleCopy(dir: string): string {
  cpSync(moduleDir, dir, {
    recursive: true,
    filter: (src) =>
      !/(^|\/)(\.terraform|\.terraform\.lock\.hcl|terraform\.tfstate.*|offline_override\.tf\.json)$/.test(src),
  });
  return dir;
}

/**
 * A root module (`workspace/caller/`) whose main.tf is `main` and whose AWS provider is configured
 * by the environment, with the Terraform module copied in as the README says,
 * `modules/pinpoint-personalize-role/`; returns the caller's directory.
 */
export function moduleCaller(workspace: string, main: string): string {
  const caller = join(workspace, "caller");
  moduleCopy(join(caller, "modules", "pinpoint-personalize-role"));
  writeFileSync(join(caller, "main.tf"), main);
  writeFileSync(join(caller, "providers.tf"), 'provider "aws" {}\n');
  return caller;
}
