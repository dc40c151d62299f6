import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { inputsTable, OutputBlock, outputsTable, replaceTable, VariableBlock } from "../tools/docs";
import { USAGE_EXAMPLE } from "../tools/module";
import { synthesizedStack } from "../tools/synthesized";
import { readmeCodeBlocks } from "../test-support/readme";

/** The README tells the truth: its code compiles and its tables are the synthesized ones. */
const root = join(__dirname, "..");
const readme = readFileSync(join(root, "README.md"), "utf8");

test("every TypeScript snippet compiles, strictly, against the library as consumers import it", () => {
  const blocks = readmeCodeBlocks("ts");
  expect(blocks.length).toBeGreaterThanOrEqual(2);
  const dir = join(root, "build", "readme-snippets");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = blocks.map((block, i) => {
    const file = `snippet-${i + 1}.ts`;
    // Each snippet is a module of its own, as each would be a main.ts.
    writeFileSync(join(dir, file), `${block}\nexport {};\n`);
    return file;
  });
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      extends: "../../tsconfig.json",
      compilerOptions: {
        noEmit: true,
        types: [],
        baseUrl: ".",
        paths: { "pinpoint-personalize-role": ["../../lib/index.ts"] },
      },
      files,
      include: [],
    }),
  );
  const tsc = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", join(dir, "tsconfig.json")], {
    encoding: "utf8",
  });
  expect(tsc.stdout).toBe("");
  expect(tsc.status).toBe(0);
  rmSync(dir, { recursive: true, force: true });
});

test("the Inputs and Outputs tables are the synthesized stack's variables and outputs (npm run docs rewrites them)", () => {
  const stack = synthesizedStack();
  expect(readme).toContain(`## Inputs\n\n${inputsTable(stack.variable as Record<string, VariableBlock>)}\n`);
  expect(readme).toContain(`## Outputs\n\n${outputsTable(stack.output as Record<string, OutputBlock>)}\n`);
});

test("the HCL module example is the one the module's tests run", () => {
  const [example] = readmeCodeBlocks("hcl");
  expect(
    USAGE_EXAMPLE.startsWith(
      example.replace("./modules/pinpoint-personalize-role", "../pinpoint-personalize-role").trimEnd(),
    ),
  ).toBe(true);
});

test("npm run docs replaces only the table under each heading", () => {
  const text = "# T\n\n## Inputs\n\nIntro.\n\n| Name |\n|---|\n| `old` |\n\nAfter.\n";
  expect(replaceTable(text, "## Inputs", "| Name |\n|---|\n| `new` |")).toBe(
    "# T\n\n## Inputs\n\nIntro.\n\n| Name |\n|---|\n| `new` |\n\nAfter.\n",
  );
  expect(() => replaceTable(text, "## Outputs", "|")).toThrow('No table after "## Outputs".');
});
