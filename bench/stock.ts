import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cdktfPeers, installConsumerProject, pinnedVersion } from "../tools/consumer-project";

/**
 * The same stack, set up the stock cdktf way in a temporary folder (never project code): the
 * TypeScript template's tsconfig and `ts-node main.ts` app, and the package-index import of
 * @cdktf/provider-aws that cdktf's documentation shows.
 */
const root = join(__dirname, "..", "..");

function camel(module: string): string {
  return module.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Rewrites `import { A, B } from "@cdktf/provider-aws/lib/iam-role"` as the index import
 * `import { iamRole } from "@cdktf/provider-aws"` with `import A = iamRole.A` aliases.
 */
export function toIndexImports(source: string): string {
  const namespaces = new Set<string>();
  const body = source.replace(
    /^import \{([^}]*)\} from "@cdktf\/provider-aws\/lib\/([a-z0-9-]+)";$/gm,
    (_, names: string, module: string) => {
      const ns = camel(module);
      namespaces.add(ns);
      return names
        .split(",")
        .map((n) => n.trim())
        .filter(Boolean)
        .map((n) => `import ${n} = ${ns}.${n};`)
        .join("\n");
    },
  );
  return namespaces.size === 0 ? body : `import { ${[...namespaces].join(", ")} } from "@cdktf/provider-aws";\n${body}`;
}

/** Creates the stock project and installs its dependencies; returns its directory. */
export function createStockProject(): string {
  const dir = mkdtempSync(join(tmpdir(), "stock-cdktf-"));
  const template = join(root, "node_modules", "cdktf-cli", "bundle", "templates", "typescript");
  copyFileSync(join(template, "tsconfig.json"), join(dir, "tsconfig.json"));
  writeFileSync(
    join(dir, "cdktf.json"),
    JSON.stringify({ language: "typescript", app: "npx ts-node main.ts" }, null, 2),
  );
  mkdirSync(join(dir, "lib"));
  for (const file of readdirSync(join(root, "lib")).filter((f) => f.endsWith(".ts"))) {
    writeFileSync(join(dir, "lib", file), toIndexImports(readFileSync(join(root, "lib", file), "utf8")));
  }
  copyFileSync(join(root, "main.ts"), join(dir, "main.ts"));
  installConsumerProject(dir, "stock-cdktf", cdktfPeers(), {
    "ts-node": "10.9.2",
    typescript: pinnedVersion("typescript"),
    "@types/node": pinnedVersion("@types/node"),
  });
  return dir;
}
