import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { planOffline, planResources } from "../packages/review/src/offline-plan";

/**
 * `terraform plan` (offline, real provider) of the scale app's stack of N roles: what the number
 * of data sources and STS calls per role costs. Prints figures; asserts nothing.
 * Usage: node dist/bench/plan-scale.js N [N...]
 */
const root = join(__dirname, "..", "..");

export async function planSeconds(roles: number): Promise<{ seconds: number; dataSources: number }> {
  const work = mkdtempSync(join(tmpdir(), "bench-plan-scale-"));
  try {
    execFileSync(process.execPath, [join(root, "dist", "bench", "scale-app.js"), String(roles)], {
      env: { ...process.env, CDKTF_OUTDIR: join(work, "cdktf.out") },
      stdio: "ignore",
    });
    const start = process.hrtime.bigint();
    const plan = await planOffline(join(work, "cdktf.out", "stacks", "scale"), []);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const dataSources = planResources(plan).filter(
      (r) => r.mode === "data" && r.type !== "aws_iam_policy_document",
    ).length;
    return { seconds, dataSources };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  for (const roles of process.argv.slice(2).map(Number)) {
    const { seconds, dataSources } = await planSeconds(roles);
    console.log(
      `${roles} roles: init + plan ${seconds.toFixed(1)} s; ${dataSources} partition, Region and caller-identity data sources`,
    );
  }
}

if (require.main === module) void main();
