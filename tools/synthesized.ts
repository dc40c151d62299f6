import { App, TerraformStack } from "cdktf";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { PinpointPersonalizeStack } from "../lib";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

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
export function synthesizedStack(): JsonObject {
  const dir = synthToDisk((app) => new PinpointPersonalizeStack(app, "pinpoint-personalize"));
  try {
    return withoutMetadata(JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")) as Json) as JsonObject;
  } finally {
    removeSynthOutput(dir);
  }
}
