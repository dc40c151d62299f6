import { execFileSync } from "node:child_process";
import { terraformEnv } from "../packages/review/src/terraform";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { tempDirs } from "../test-support/temp";
import { join, relative } from "node:path";

/**
 * `npm run synth` (the app run by node directly) and `npx cdktf synth` (the CLI) must write the
 * same files: the fast path is only a shortcut, never a different result.
 */
const root = join(__dirname, "..");
const temp = tempDirs();

function tempOut(): string {
  const dir = temp("synth-");
  return join(dir, "cdktf.out");
}

function files(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) =>
    readdirSync(d).forEach((name) => {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(dir, path)] = readFileSync(path, "utf8");
    });
  walk(dir);
  return out;
}

// Terraform's environment (the CLI configuration with the provider mirror, where there is one), as
// the cdktf CLI runs terraform itself.
const env = { ...terraformEnv(), CHECKPOINT_DISABLE: "1", CI: "1" };

let fast: string;
let cli: string;
let fastOutput: string;
let cliOutput: string;

beforeAll(() => {
  fast = tempOut();
  fastOutput = execFileSync("npm", ["run", "--silent", "synth"], {
    cwd: root,
    env: { ...env, CDKTF_OUTDIR: fast },
    encoding: "utf8",
  });
  cli = tempOut();
  cliOutput = execFileSync("npx", ["cdktf", "synth", "--output", cli], { cwd: root, env, encoding: "utf8" });
});

test("npm run synth and npx cdktf synth write identical files", () => {
  const fastFiles = files(fast);
  expect(Object.keys(fastFiles).sort()).toEqual(["manifest.json", "stacks/pinpoint-personalize/cdk.tf.json"]);
  expect(files(cli)).toEqual(fastFiles);
});

test("npm run synth says what it wrote, in cdktf synth's words, and where", () => {
  const generated = "Generated Terraform code for the stacks: pinpoint-personalize";
  expect(cliOutput).toContain(generated);
  const file = join(fast, "stacks", "pinpoint-personalize", "cdk.tf.json");
  expect(fastOutput).toBe(`${generated}\n  pinpoint-personalize: ${relative(root, file)}\n`);
  expect(statSync(join(root, relative(root, file))).isFile()).toBe(true);
});
