import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generatedBlocks, README_BLOCKS } from "./readme-blocks";
import { replaceGenerated } from "./docs";

// `npm run docs`: rewrites the READMEs' generated blocks (Inputs, Outputs, validation rules, the
// construct's props...) from the code.
async function main(): Promise<void> {
  const blocks = await generatedBlocks();
  for (const [file, names] of Object.entries(README_BLOCKS)) {
    const path = join(process.cwd(), file);
    const before = readFileSync(path, "utf8");
    let readme = before;
    for (const name of names) readme = replaceGenerated(readme, name, blocks[name] ?? "");
    if (readme === before) {
      console.log(`The generated blocks of ${file} are up to date: ${names.join(", ")}.`);
    } else {
      writeFileSync(path, readme);
      console.log(`Rewrote the generated blocks of ${file}: ${names.join(", ")}.`);
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
