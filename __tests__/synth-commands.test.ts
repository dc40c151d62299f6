import { execFileSync } from "node:child_process";
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

const env = { ...process.env, CHECKPOINT_DISABLE: "1", CI: "1" };

test("npm run synth and npx cdktf synth write identical files", () => {
  const fast = tempOut();
  execFileSync("npm", ["run", "--silent", "synth"], { cwd: root, env: { ...env, CDKTF_OUTDIR: fast }, stdio: "pipe" });
  const cli = tempOut();
  execFileSync("npx", ["cdktf", "synth", "--output", cli], { cwd: root, env, stdio: "pipe" });

  const fastFiles = files(fast);
  expect(Object.keys(fastFiles).sort()).toEqual(["manifest.json", "stacks/pinpoint-personalize/cdk.tf.json"]);
  expect(files(cli)).toEqual(fastFiles);
});
