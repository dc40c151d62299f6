import { PinpointPersonalizeStack } from "../lib";
import { corpus, Kind, mutated, PLACE } from "../test-support/review-corpus";
import { synthDirs } from "../test-support/synth";
import { planOffline, TerraformPlan } from "../tools/offline-plan";
import { reviewPlan } from "../tools/review/cli";

/**
 * A generated corpus: mutations of one real plan of this project's stack (real Terraform, the
 * real provider, offline), each reviewed in-process. Every mutation that widens the role, in any
 * of the kinds below, fails; every rewrite that grants exactly the guide's access passes.
 */
const synthesized = synthDirs();
const mutations = corpus();
// The stack's configuration writes no dynamic block (the review would read that from cdk.tf.json).
const context = { dynamicBlock: () => false };

let plan: TerraformPlan;
beforeAll(async () => {
  const dir = synthesized((app) => new PinpointPersonalizeStack(app, "corpus"));
  plan = await planOffline(dir, [`-var=campaign_id=${PLACE.campaign}`, `-var=solution_id=${PLACE.solution}`]);
});

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
      const review = await reviewPlan(mutated(plan, mutation), context);
      const role = review.roles.find((r) => r.analysis.subject.role.address === "aws_iam_role.this")?.analysis;
      const errors = role?.findings.filter((f) => f.severity === "error").map((f) => `${f.id}: ${f.message}`) ?? [];
      expect({ verdict: review.passed ? "PASS" : "FAIL", errors: mutation.verdict === "PASS" ? errors : [] }).toEqual({
        verdict: mutation.verdict,
        errors: [],
      });
    },
  );
});
