import { PinpointPersonalizeStack } from "../lib";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { corpus, Kind, Mutation, mutated, PLACE } from "../test-support/review-corpus";
import { tempDirs } from "../test-support/temp";
import { synthDirs } from "../test-support/synth";
import { planOffline, TerraformPlan } from "../packages/review/src/offline-plan";
import { reviewPlan } from "../packages/review/src/review";
import { ConfigurationSource } from "../packages/review/src/source";
import { ReviewContext } from "../packages/review/src/subject";

/**
 * A generated corpus: mutations of one real plan of this project's stack (real Terraform, the
 * real provider, offline), each reviewed in-process. Every mutation that widens the role, in any
 * of the kinds below, fails; every rewrite that grants exactly the guide's access passes.
 */
const synthesized = synthDirs();
const mutations = corpus();
const temp = tempDirs();
let plan: TerraformPlan;
let stackDir: string;
// The stack's configuration, as the review reads it with --stack-dir.
let context: ReviewContext;
beforeAll(async () => {
  stackDir = synthesized((app) => new PinpointPersonalizeStack(app, "corpus"));
  plan = await planOffline(stackDir, [`-var=campaign_id=${PLACE.campaign}`, `-var=solution_id=${PLACE.solution}`]);
  context = { source: await ConfigurationSource.read(plan, stackDir) };
});

/** The review's context for a mutation: the stack's configuration, changed as the mutation changes it. */
async function contextOf(mutation: Mutation, changed: TerraformPlan): Promise<ReviewContext> {
  if (mutation.configuration === undefined) return context;
  const dir = temp("corpus-configuration-");
  const config = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as Parameters<
    NonNullable<Mutation["configuration"]>
  >[0];
  mutation.configuration(config);
  writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify(config));
  return { source: await ConfigurationSource.read(changed, dir) };
}

test("the unmutated plan passes, and the corpus covers every kind with both verdicts where a kind has both", async () => {
  expect((await reviewPlan(plan, context)).passed).toBe(true);
  const count = (kind: Kind, verdict: "PASS" | "FAIL") =>
    mutations.filter((m) => m.kind === kind && m.verdict === verdict).length;
  const kinds: Kind[] = ["actions", "resources", "accounts", "regions", "principals", "conditions", "placement"];
  for (const kind of kinds) expect([kind, count(kind, "FAIL") >= 5]).toEqual([kind, true]);
  expect(count("equivalent", "PASS")).toBeGreaterThanOrEqual(15);
  expect(new Set(mutations.map((m) => `${m.kind} ${m.name}`)).size).toBe(mutations.length);
});

describe.each([...new Set(mutations.map((m) => m.kind))])("%s", (kind) => {
  test.each(mutations.filter((m) => m.kind === kind).map((m) => [m.name, m] as const))(
    "%s",
    async (_name, mutation) => {
      const changed = mutated(plan, mutation);
      const review = await reviewPlan(changed, await contextOf(mutation, changed));
      const role = review.roles.find((r) => r.analysis.subject.role.address === "aws_iam_role.this")?.analysis;
      const errors = role?.findings.filter((f) => f.severity === "error").map((f) => `${f.id}: ${f.message}`) ?? [];
      expect({ verdict: review.passed ? "PASS" : "FAIL", errors: mutation.verdict === "PASS" ? errors : [] }).toEqual({
        verdict: mutation.verdict,
        errors: [],
      });
    },
  );
});
