import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generatedBlocks } from "./readme-blocks";
import { replaceGenerated } from "./docs";

// `npm run docs`: rewrites the README's generated blocks (Inputs, Outputs, validation rules, the
// construct's props) from the code.
const file = join(process.cwd(), "README.md");
let readme = readFileSync(file, "utf8");
for (const [name, content] of Object.entries(generatedBlocks())) readme = replaceGenerated(readme, name, content);
writeFileSync(file, readme);
console.log(`Rewrote the generated blocks of README.md: ${Object.keys(generatedBlocks()).join(", ")}.`);
