import { join } from "node:path";
import { inputsTable, outputsTable, rulesTable } from "./docs";
import { cdktnImportsTable } from "./cdktn-package";
import { requirementsTable } from "./requirements";
import { synthesizedStack } from "./synthesized";

/** Which READMEs and docs hold which generated blocks. */
export const README_BLOCKS: Readonly<Record<string, readonly string[]>> = {
  "README.md": ["inputs", "outputs"],
  [join("docs", "variables.md")]: ["rules"],
  [join("docs", "requirements.md")]: ["requirements"],
  [join("packages", "cdktn", "README.md")]: ["cdktn-imports"],
};

/** The READMEs' generated blocks, by name, as `npm run docs` writes them and the tests expect them. */
export function generatedBlocks(): Record<string, string> {
  const stack = synthesizedStack();
  return {
    inputs: inputsTable(stack.variable ?? {}),
    rules: rulesTable(stack.variable ?? {}),
    outputs: outputsTable(stack.output ?? {}),
    "cdktn-imports": cdktnImportsTable(),
    requirements: requirementsTable(),
  };
}
