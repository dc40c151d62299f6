import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { main, ReviewResult } from "../src/cli";

// Many small Terraform roots reviewed as modules of one root: one `terraform init`, one plan and
// one `terraform show` for all of them, where each root alone would cost its own (each loads the
// AWS provider's schema, seconds of processor time). Each root keeps its own provider block, as a
// module may; a case's part of the review is its roles with its module's prefix taken off.

/** A review's exit status, what it printed, and its JSON result when it wrote one. */
export interface Run {
  readonly code: number;
  readonly output: string;
  readonly result?: ReviewResult;
}

/** The provider most cases configure, left to the root: Terraform starts a provider for each configuration of one. */
export const ROOT_PROVIDER = 'provider "aws" {\n  region = "us-east-1"\n}\n';

/** The module name a case gets in the root that holds them all. */
export const moduleOf = (name: string) => `case_${name.replace(/[^A-Za-z0-9_]/g, "_")}`;

/**
 * Reviews the roots `cases` (name to folder) as modules of one root in a new folder `temp` makes,
 * through the real `--dir` path. Each case's `ROOT_PROVIDER` block is left to the root.
 */
export async function reviewAsModules(
  cases: ReadonlyMap<string, string>,
  temp: (prefix: string) => string,
): Promise<Run> {
  const root = temp("review-root-");
  const modules: string[] = [];
  for (const [name, source] of cases) {
    const dir = join(root, moduleOf(name));
    cpSync(source, dir, { recursive: true });
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".tf"))) {
      const path = join(dir, file);
      writeFileSync(path, readFileSync(path, "utf8").replace(ROOT_PROVIDER, ""));
    }
    modules.push(`module "${moduleOf(name)}" {\n  source = "./${moduleOf(name)}"\n}\n`);
  }
  writeFileSync(join(root, "main.tf"), [ROOT_PROVIDER, ...modules].join("\n"));
  return reviewRun(["--dir", root], temp);
}

/** The review run in process with `args`, its reports written to a new folder that `temp` makes. */
export async function reviewRun(args: readonly string[], temp: (prefix: string) => string): Promise<Run> {
  const out = temp("review-out-");
  let output = "";
  const code = await main([...args, "--out", out], { out: (t) => (output += t), err: (t) => (output += t) });
  const file = join(out, "review.json");
  return {
    code,
    output,
    ...(existsSync(file) ? { result: JSON.parse(readFileSync(file, "utf8")) as ReviewResult } : {}),
  };
}

/**
 * One case's part of the review of all of them: its roles, addressed as in the case's own root
 * (its module's prefix taken off), and its exit status as if reviewed alone (`exit`).
 */
export function caseRun(all: Run, name: string): Run & { exit: number } {
  const prefix = `module.${moduleOf(name)}.`;
  const own = all.result && {
    ...all.result,
    review: {
      ...all.result.review,
      roles: all.result.review.roles.filter((r) => r.analysis.subject.role.address.startsWith(prefix)),
      notReviewed: all.result.review.notReviewed.filter((r) => r.address.startsWith(prefix)),
    },
  };
  const result = own && (JSON.parse(JSON.stringify(own).split(prefix).join("")) as ReviewResult);
  const exit = result === undefined ? 2 : result.review.roles.every((r) => r.analysis.passed) ? 0 : 1;
  return { code: all.code, output: all.output, exit, ...(result ? { result } : {}) };
}
