import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

// A cdktf project of a consumer's, made in a directory of its own: what the library test and the
// benchmark's stock project both install, with this project's exact versions of the peers.

/** The project's directory: tools/ is in it when run from source (the tests), dist/tools/ when compiled. */
export const projectRoot = existsSync(join(__dirname, "..", "package.json"))
  ? join(__dirname, "..")
  : join(__dirname, "..", "..");
const root = projectRoot;

/** This project's pinned version of a development dependency (the peers are pinned there). */
export function pinnedVersion(name: string): string {
  const { devDependencies } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    devDependencies: Record<string, string>;
  };
  const version = devDependencies[name];
  if (version === undefined) throw new Error(`package.json pins no development dependency named ${name}.`);
  return version;
}

/** The cdktf peers at this project's versions: cdktf, constructs and @cdktf/provider-aws. */
export function cdktfPeers(): Record<string, string> {
  return Object.fromEntries(["cdktf", "constructs", "@cdktf/provider-aws"].map((name) => [name, pinnedVersion(name)]));
}

/** Writes the project's package.json and installs it (from npm's cache where it can). */
export function installConsumerProject(
  dir: string,
  name: string,
  dependencies: Record<string, string>,
  devDependencies: Record<string, string> = {},
): void {
  writeFileSync(
    join(dir, "package.json"),
    `${JSON.stringify({ name, version: "1.0.0", private: true, dependencies, devDependencies }, null, 2)}\n`,
  );
  execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], { cwd: dir, stdio: "pipe" });
}
