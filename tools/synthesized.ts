import { App, TerraformStack } from "cdktf";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { PinpointPersonalizeStack } from "../lib";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** A block of a synthesized configuration (a resource, a variable, ...). */
export type Block = { [key: string]: Json };
/** A variable block, with the keys that documentation reads. */
export type VariableBlock = Block & { readonly type?: string; readonly description?: string };
/** An output block, with the key that documentation reads. */
export type OutputBlock = Block & { readonly description?: string };

/** A synthesized `cdk.tf.json`, parsed: the one typing of it that tools and tests share. */
export interface TerraformJson {
  readonly data?: Record<string, Record<string, Block>>;
  readonly resource?: Record<string, Record<string, Block>>;
  readonly variable?: Record<string, VariableBlock>;
  readonly output?: Record<string, OutputBlock>;
  readonly provider?: Record<string, Block[]>;
  readonly terraform?: Block;
  readonly import?: Block[];
  readonly moved?: Block[];
  readonly locals?: Record<string, Json>;
}

/** Removes cdktf's "//" metadata keys, which Terraform reads as comments. */
export function withoutMetadata(value: Json): Json {
  if (Array.isArray(value)) return value.map(withoutMetadata);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== "//")
        .map(([k, v]) => [k, withoutMetadata(v)]),
    );
  }
  return value;
}

/**
 * Synthesizes an app into a fresh temporary directory, as `cdktf synth` would; returns the
 * stack's directory (`<outdir>/stacks/<stack>`).
 */
export function synthToDisk(build: (app: App) => TerraformStack): string {
  const outdir = mkdtempSync(join(tmpdir(), "cdktf-out-"));
  const app = new App({ outdir });
  const stack = build(app);
  app.synth();
  return join(outdir, "stacks", stack.node.id);
}

/** Removes the whole output directory of a `synthToDisk` stack directory. */
export function removeSynthOutput(stackDir: string): void {
  rmSync(dirname(dirname(stackDir)), { recursive: true, force: true });
}

/** The stack as `npm run synth` writes it (default props), parsed, without metadata. */
export function synthesizedStack(): TerraformJson {
  const dir = synthToDisk((app) => new PinpointPersonalizeStack(app, "pinpoint-personalize"));
  try {
    return withoutMetadata(JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")) as Json) as TerraformJson;
  } finally {
    removeSynthOutput(dir);
  }
}
