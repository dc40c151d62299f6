import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { markdownCell, markers, replaceGenerated } from "../../tools/docs";
import { generatedBlocks, README_BLOCKS } from "../../tools/readme-blocks";
import { readmeCodeBlocks } from "../../test-support/readme";

/** The README tells the truth: its code compiles and its tables are the synthesized ones. */
const root = join(__dirname, "..", "..");
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

test("every generated block (inputs, validation rules, outputs, CDK Terrain's imports, requirements) is what the code generates now (npm run docs rewrites them)", async () => {
  const blocks = await generatedBlocks();
  expect(Object.keys(blocks).sort()).toEqual([
    "cdktn-imports",
    "inputs",
    "module-inputs",
    "module-outputs",
    "module-requirements",
    "outputs",
    "requirements",
    "rules",
  ]);
  expect([...new Set(Object.values(README_BLOCKS).flat())].sort()).toEqual(Object.keys(blocks).sort());
  expect(README_BLOCKS[join("packages", "cdktn", "README.md")]).toEqual(["cdktn-imports"]);
  for (const [file, names] of Object.entries(README_BLOCKS)) {
    const text = readFileSync(join(root, file), "utf8");
    for (const name of names) {
      const { begin, end } = markers(name);
      expect({ file, name, block: text.slice(text.indexOf(begin) + begin.length, text.indexOf(end)) }).toEqual({
        file,
        name,
        block: `\n${blocks[name]}\n`,
      });
    }
  }
});

test("every package@version the README tells users to install is one a test installs", () => {
  const pinned = (...path: string[]) => {
    const manifest = JSON.parse(readFileSync(join(root, ...path, "package.json"), "utf8")) as {
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    };
    return Object.entries({ ...manifest.dependencies, ...manifest.devDependencies }).map(([n, v]) => `${n}@${v}`);
  };
  const installed = new Set([
    ...pinned(),
    ...pinned("test-support", "consumers", "cdktf-aws6"),
    ...pinned("test-support", "consumers", "cdktn"),
  ]);
  const named = (text: string) =>
    [...text.matchAll(/(?<![\w/@.-])(@?[a-z0-9-]+(?:\/[a-z0-9-]+)?)@(\d+\.\d+\.\d+)\b/g)].map((m) => m[0]);
  expect(named(readme).length).toBeGreaterThanOrEqual(3);
  expect(named(readme).filter((p) => !installed.has(p))).toEqual([]);
  // CDK Terrain's package README: its install and move commands.
  const terrain = named(readFileSync(join(root, "packages", "cdktn", "README.md"), "utf8"));
  expect(terrain).toEqual(expect.arrayContaining(["cdktn@0.24.0", "@cdktn/provider-aws@25.7.0", "cdktn-cli@0.24.0"]));
  expect(terrain.filter((p) => !installed.has(p))).toEqual([]);
});

test("npm run docs replaces only what is between a block's markers", () => {
  const { begin, end } = markers("inputs");
  const text = `# T\n\n${begin}\n| old |\n${end}\n\nAfter.\n`;
  expect(replaceGenerated(text, "inputs", "| new |")).toBe(`# T\n\n${begin}\n| new |\n${end}\n\nAfter.\n`);
  expect(() => replaceGenerated(text, "outputs", "|")).toThrow('No generated block "outputs"');
});

test("Markdown cells escape | everywhere and < outside code spans", () => {
  expect(markdownCell("a|b <id> `apps/<id>`")).toBe("a\\|b &lt;id> `apps/<id>`");
});

test("the README fits its reader: at most 250 lines, and only tables and links over 100 characters", () => {
  const lines = readFileSync(join(root, "README.md"), "utf8").trimEnd().split("\n");
  expect(lines.length).toBeLessThanOrEqual(250);
  // Generated tables (terraform-docs' layout) and Markdown links cannot wrap; prose can.
  const wide = lines.filter((l) => l.length > 100 && !l.startsWith("|") && !/\]\([^)]*\)|^\[[^\]]+\]: /.test(l));
  expect(wide).toEqual([]);
});
