import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";

// `tsc -b` writes the outputs of the sources it compiles and never deletes those of a source that
// is gone: a module deleted from lib/ would stay in dist/lib, and `npm pack` (whose `files` are
// dist/lib's) would ship it. This removes every compiled file whose source no longer exists.

const OUTPUT = /^(.*?)(\.d\.ts|\.js|\.js\.map|\.d\.ts\.map)$/;

/**
 * Deletes from `outDir` (recursively) each `.js`, `.d.ts` and map whose `.ts` source is not in
 * `sourceDir` at the same relative path. Returns the deleted paths, relative to `outDir`, sorted.
 */
export function pruneStaleOutputs(sourceDir: string, outDir: string): string[] {
  const deleted: string[] = [];
  const walk = (relative: string): void => {
    const dir = join(outDir, relative);
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(relative, entry.name);
      if (entry.isDirectory()) {
        if (existsSync(join(sourceDir, path))) walk(path);
        else {
          rmSync(join(outDir, path), { recursive: true });
          deleted.push(path);
        }
        continue;
      }
      const output = OUTPUT.exec(entry.name);
      if (output === null) continue;
      if (!existsSync(join(sourceDir, relative, `${output[1]}.ts`))) {
        rmSync(join(outDir, path));
        deleted.push(path);
      }
    }
  };
  walk("");
  return deleted.sort();
}

if (require.main === module) {
  const root = join(__dirname, "..", "..");
  for (const path of pruneStaleOutputs(join(root, "lib"), join(root, "dist", "lib"))) {
    // On stderr: `npm pack --json` prints its report on stdout.
    console.error(`removed dist/lib/${path} (its source is gone)`);
  }
}
