import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformOutput, TerraformStack, Testing } from "cdktf";
import { readFileSync } from "node:fs";
import { Block, Json, TerraformJson } from "../tools/synthesized";

import { removeSynthOutput, synthToDisk } from "../tools/synthesized";

export { removeSynthOutput, synthToDisk };
export type { Block, Json, TerraformJson };

/** A stack with an AWS provider, for constructs under test. */
export function testStack(id = "test"): TerraformStack {
  const stack = new TerraformStack(Testing.app(), id);
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  return stack;
}

/** Synthesizes with validations on, as `cdktf synth` does, and parses the result. */
export function synth(stack: TerraformStack): TerraformJson {
  return JSON.parse(Testing.synth(stack, true)) as TerraformJson;
}

/** The blocks of one resource or data source type, by logical name. */
export function blocks(json: TerraformJson, kind: "resource" | "data", type: string): Record<string, Block> {
  return json[kind]?.[type] ?? {};
}

/** The one block of a type whose logical name contains `name`; fails unless there is exactly one. */
export function only(json: TerraformJson, kind: "resource" | "data", type: string, name = ""): Block {
  const matches = Object.entries(blocks(json, kind, type)).filter(([logical]) => logical.includes(name));
  if (matches.length !== 1) {
    throw new Error(
      `expected one ${kind} ${type} named like "${name}", found ${matches.map(([n]) => n).join(", ") || "none"}`,
    );
  }
  return matches[0][1];
}

export function readJson(file: string): TerraformJson {
  return JSON.parse(readFileSync(file, "utf8")) as TerraformJson;
}

let probes = 0;
/** How Terraform will see a value: its rendering in the synthesized JSON (adds an output to read it). */
export function rendered(stack: TerraformStack, value: unknown): Json {
  const id = `probe_${++probes}`;
  new TerraformOutput(stack, id, { value });
  return (JSON.parse(Testing.synth(stack)) as TerraformJson).output?.[id]?.value ?? null;
}

/**
 * `synthToDisk` for one test file: call it at the file's top level; each output directory it
 * makes is removed after the file's tests.
 */
export function synthDirs(): typeof synthToDisk {
  const made: string[] = [];
  afterAll(() => made.forEach(removeSynthOutput));
  return (build) => {
    const dir = synthToDisk(build);
    made.push(dir);
    return dir;
  };
}
