import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { terraformBinary, terraformEnv, terraformOk } from "../packages/review/src/terraform";

// Which keys of a resource or data source are nested blocks, and which are attributes, as
// Terraform itself has it: `terraform providers schema -json` of the provider the stack pins. In
// JSON syntax both can be an array of objects; in HCL a block is written as a block.

/** The attributes and nested block types of one block of a provider's schema. */
export interface BlockSchema {
  readonly attributes: ReadonlySet<string>;
  readonly blocks: ReadonlyMap<string, BlockSchema>;
}

/** The schemas of a provider's resource and data source types. */
export interface ProviderSchema {
  readonly resource: ReadonlyMap<string, BlockSchema>;
  readonly data: ReadonlyMap<string, BlockSchema>;
}

interface RawBlock {
  readonly attributes?: Record<string, unknown>;
  readonly block_types?: Record<string, { readonly block: RawBlock }>;
}

function blockSchema(raw: RawBlock): BlockSchema {
  return {
    attributes: new Set(Object.keys(raw.attributes ?? {})),
    blocks: new Map(Object.entries(raw.block_types ?? {}).map(([name, nested]) => [name, blockSchema(nested.block)])),
  };
}

/**
 * The schema of `source` at `version` (as `required_providers` writes them), read from the
 * provider Terraform installs for it (from the mirror when the machine has one).
 */
export function providerSchema(source: string, version: string): ProviderSchema {
  const dir = mkdtempSync(join(tmpdir(), "provider-schema-"));
  try {
    writeFileSync(
      join(dir, "versions.tf.json"),
      JSON.stringify({ terraform: { required_providers: { aws: { source, version } } } }),
    );
    terraformOk(dir, ["init", "-input=false", "-backend=false"]);
    // About 14 MB for hashicorp/aws: to a file, past spawnSync's output buffer.
    const file = join(dir, "schema.json");
    const out = openSync(file, "w");
    try {
      const run = spawnSync(terraformBinary(), ["providers", "schema", "-json"], {
        cwd: dir,
        env: terraformEnv(),
        stdio: ["ignore", out, "pipe"],
        encoding: "utf8",
      });
      if (run.error) throw run.error;
      if (run.status !== 0) throw new Error(`terraform providers schema -json failed in ${dir}:\n${run.stderr}`);
    } finally {
      closeSync(out);
    }
    const schemas = JSON.parse(readFileSync(file, "utf8")) as {
      provider_schemas: Record<
        string,
        {
          resource_schemas?: Record<string, { block: RawBlock }>;
          data_source_schemas?: Record<string, { block: RawBlock }>;
        }
      >;
    };
    const [provider] = Object.values(schemas.provider_schemas);
    if (provider === undefined) throw new Error(`terraform providers schema returned no provider for ${source}.`);
    const map = (types: Record<string, { block: RawBlock }> = {}) =>
      new Map(Object.entries(types).map(([type, s]) => [type, blockSchema(s.block)]));
    return { resource: map(provider.resource_schemas), data: map(provider.data_source_schemas) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
