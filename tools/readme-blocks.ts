import { join } from "node:path";
import { inputsTable, outputsTable, rulesTable } from "./docs";
import { cdktnImportsTable } from "./cdktn-package";
import { MODULE_DIR, moduleReadmeBlocks } from "./module";
import { requirementsTable } from "./requirements";
import { synthesizedStack } from "./synthesized";

/** Which READMEs and docs hold which generated blocks. */
export const README_BLOCKS: Readonly<Record<string, readonly string[]>> = {
  "README.md": ["inputs", "outputs"],
  [join("docs", "variables.md")]: ["rules"],
  [join("docs", "requirements.md")]: ["requirements"],
  [join("packages", "cdktn", "README.md")]: ["cdktn-imports"],
  [join(MODULE_DIR, "README.md")]: ["module-requirements", "module-inputs", "module-outputs"],
};

/**
 * The READMEs' generated blocks, by name, as `npm run docs` writes them and the tests expect them:
 * the stack's from its synthesized JSON, the Terraform module's from its `.tf` files.
 */
export async function generatedBlocks(): Promise<Record<string, string>> {
  const stack = synthesizedStack();
  return {
    inputs: inputsTable(stack.variable ?? {}),
    rules: rulesTable(stack.variable ?? {}),
    outputs: outputsTable(stack.output ?? {}),
    "cdktn-imports": cdktnImportsTable(),
    requirements: requirementsTable(),
    ...(await moduleReadmeBlocks()),
  };
}
