import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Json, TerraformJson, withoutMetadata } from "../tools/synthesized";

/** The tsconfig.json of a consumer app: strict, the declarations it installs checked too. */
export const APP_TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    module: "commonjs",
    strict: true,
    outDir: "dist",
    types: [],
    skipLibCheck: false,
  },
  files: ["main.ts"],
};

// A consumer's cdktf or CDK Terrain app, made the way a user makes one: packages installed from
// npm (a committed fixture's lockfile, or this project's pins) and a tarball of the library, the
// app's main.ts compiled strictly against the installed declarations, then run with node.

const root = join(__dirname, "..");

/** Packs a package directory with `npm pack` into `into`; returns the tarball and the files it holds. */
export function npmPack(dir: string, into: string): { tarball: string; files: string[] } {
  const [pack] = JSON.parse(
    execFileSync("npm", ["pack", "--json", "--pack-destination", into], {
      cwd: dir,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    }),
  ) as { filename: string; files: { path: string }[] }[];
  if (pack === undefined) throw new Error(`npm pack wrote nothing for ${dir}.`);
  return { tarball: join(into, pack.filename), files: pack.files.map((f) => f.path).sort() };
}

const npmQuiet = ["--no-audit", "--no-fund", "--prefer-offline"];

/**
 * Installs test-support/consumers/<fixture> (its package.json and lockfile, with `npm ci`) into
 * `dir`, then the tarballs beside it, without changing its lockfile.
 */
export function installFixture(fixture: string, dir: string, tarballs: string[]): void {
  for (const file of ["package.json", "package-lock.json"]) {
    copyFileSync(join(root, "test-support", "consumers", fixture, file), join(dir, file));
  }
  execFileSync("npm", ["ci", ...npmQuiet], { cwd: dir, stdio: "pipe" });
  if (tarballs.length > 0) {
    execFileSync("npm", ["install", "--no-save", ...npmQuiet, ...tarballs], { cwd: dir, stdio: "pipe" });
  }
}

/**
 * Writes `source` as the app's main.ts, compiles it strictly (no skipLibCheck: the installed
 * declarations are compiled too), runs it with `node`, and returns the named stack's JSON, with
 * the app's directory written `<app>` (cdktf's default local backend names it, so apps in two
 * directories compare equal). Throws with the compiler's output if the app does not compile.
 */
export function synthesizeApp(dir: string, source: string, stack: string, node = process.execPath): TerraformJson {
  writeFileSync(join(dir, "main.ts"), source);
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(APP_TSCONFIG));
  const tsc = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.json"], {
    cwd: dir,
    encoding: "utf8",
  });
  if (tsc.status !== 0) throw new Error(`The app in ${dir} does not compile:\n${tsc.stdout}${tsc.stderr}`);
  execFileSync(node, ["dist/main.js"], { cwd: dir, stdio: "pipe" });
  const text = readFileSync(join(dir, "cdktf.out", "stacks", stack, "cdk.tf.json"), "utf8");
  return JSON.parse(text.split(dir).join("<app>")) as TerraformJson;
}

/** A provider's full source address, as Terraform reads `source` ("aws" and "hashicorp/aws" are one provider). */
export function providerAddress(source: string): string {
  const parts = source.split("/");
  if (parts.length === 1) return `registry.terraform.io/hashicorp/${source}`;
  if (parts.length === 2) return `registry.terraform.io/${source}`;
  return source;
}

/**
 * What a stack configures, whatever toolchain synthesized it: the JSON without cdktf's "//"
 * metadata and without the AWS provider's requirement (each binding pins its own version, and
 * writes its source its own way), returned apart with the source as Terraform reads it.
 */
export function configured(json: TerraformJson): { config: Json; aws: { address: string; version: string } } {
  const { terraform, ...rest } = withoutMetadata(json as Json) as { terraform?: { [k: string]: Json } };
  const { required_providers: providers, ...terraformRest } = terraform ?? {};
  const { aws, ...otherProviders } = (providers ?? {}) as { aws?: { source: string; version: string } };
  if (aws === undefined) throw new Error("The stack requires no AWS provider.");
  return {
    config: { ...rest, terraform: { ...terraformRest, required_providers: otherProviders } },
    aws: { address: providerAddress(aws.source), version: aws.version },
  };
}

/** A stack's configuration on another toolchain: the same in everything but the AWS provider's version. */
export function expectSameConfiguration(json: TerraformJson, expected: TerraformJson, awsVersion: RegExp) {
  const actual = configured(json);
  expect(actual.config).toEqual(configured(expected).config);
  expect(actual.aws.address).toBe("registry.terraform.io/hashicorp/aws");
  expect(actual.aws.version).toMatch(awsVersion);
}
