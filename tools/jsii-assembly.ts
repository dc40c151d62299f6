import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { projectRoot as root } from "./consumer-project";

// `.jsii`, the assembly that jsii writes for the library: the package carries it so that jsii's
// other languages (jsii-pacmak's Python, Java, Go and .NET packages, which embed the npm package)
// and Construct Hub can load the library. jsii compiles a copy of the package in a folder of its
// own: its JavaScript would otherwise replace tsc's in dist/lib, which the package ships and the
// tests run while other suites pack the library. `npm pack` builds it (prepack).

/** What jsii reads: the manifest, its compiler settings, the README it embeds, and the sources. */
const JSII_INPUTS = ["package.json", "tsconfig.jsii.json", "README.md", "LICENSE", "lib"];
const ASSEMBLY = join(root, ".jsii");
const STAMP = join(root, "build", "jsii-assembly.sha256");

function files(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** A digest of jsii's inputs and version: the assembly is rebuilt when it changes. */
function inputsDigest(): string {
  const hash = createHash("sha256");
  const jsii = JSON.parse(readFileSync(join(root, "node_modules", "jsii", "package.json"), "utf8")) as {
    version: string;
  };
  hash.update(`jsii ${jsii.version}\n`);
  for (const input of JSII_INPUTS) {
    const paths = input === "lib" ? files(input).sort() : [join(root, input)];
    for (const path of paths) hash.update(`${path.slice(root.length)}\n`).update(readFileSync(path));
  }
  return hash.digest("hex");
}

/** Writes `.jsii` unless it is up to date; concurrent builds each write it whole (rename). */
export function buildAssembly(): void {
  const digest = inputsDigest();
  if (existsSync(ASSEMBLY) && existsSync(STAMP) && readFileSync(STAMP, "utf8") === digest) return;
  mkdirSync(join(root, "build"), { recursive: true });
  const stage = mkdtempSync(join(root, "build", "jsii-stage-"));
  try {
    for (const input of JSII_INPUTS) cpSync(join(root, input), join(stage, input), { recursive: true });
    symlinkSync(join(root, "node_modules"), join(stage, "node_modules"), "dir");
    const jsii = spawnSync(
      process.execPath,
      [join(root, "node_modules", "jsii", "bin", "jsii"), "--silence-warnings=reserved-word"],
      { cwd: stage, encoding: "utf8" },
    );
    if (jsii.status !== 0) throw new Error(`jsii failed (${jsii.status}):\n${jsii.stdout}${jsii.stderr}`);
    renameSync(join(stage, ".jsii"), ASSEMBLY);
    writeFileSync(STAMP, digest);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (require.main === module) buildAssembly();
