import { App } from "cdktf";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PinpointPersonalizeStack } from "../lib";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Removes cdktf's "//" metadata keys, which Terraform reads as comments. */
export function withoutMetadata(value: Json): Json {
  if (Array.isArray(value)) return value.map(withoutMetadata);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== "//").map(([k, v]) => [k, withoutMetadata(v)]));
  }
  return value;
}

/** The stack as `npm run synth` writes it (default props), parsed, without metadata. */
export function synthesizedStack(): JsonObject {
  const outdir = mkdtempSync(join(tmpdir(), "stack-"));
  try {
    const app = new App({ outdir });
    new PinpointPersonalizeStack(app, "pinpoint-personalize");
    app.synth();
    const text = readFileSync(join(outdir, "stacks", "pinpoint-personalize", "cdk.tf.json"), "utf8");
    return withoutMetadata(JSON.parse(text) as Json) as JsonObject;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
