import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { inputsTable, OutputBlock, outputsTable, replaceTable, VariableBlock } from "./docs";
import { synthesizedStack } from "./synthesized";

/** `npm run docs`: rewrites the README's Inputs and Outputs tables from the synthesized stack. */
const file = join(process.cwd(), "README.md");
const stack = synthesizedStack();
let readme = readFileSync(file, "utf8");
readme = replaceTable(readme, "## Inputs", inputsTable(stack.variable as Record<string, VariableBlock>));
readme = replaceTable(readme, "## Outputs", outputsTable(stack.output as Record<string, OutputBlock>));
writeFileSync(file, readme);
console.log("Rewrote the Inputs and Outputs tables of README.md.");
