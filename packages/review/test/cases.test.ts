import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { caseRun, reviewAsModules, Run } from "./one-root";
import { tempDirs } from "./temp";

/**
 * The review cases: small Terraform roots written from IAM's documented evaluation logic, reviewed
 * through the real --dir path (real Terraform, the real provider, an offline plan), each with the
 * verdict of its set's expected.tsv and the reason its README gives. `review-proof` holds one case
 * of each kind with the reason checked below; `semantics` holds many more of the same kinds (trust
 * combinations, keys IAM always sends, policy variables, other Pinpoint roles, equivalent
 * rewrites, subtly wider roles, how Terraform puts policies on roles), checked by their verdicts;
 * `names`, roles whose names are generated.
 */
const FIXTURES = join(__dirname, "fixtures");
const temp = tempDirs();

/** A set's cases and the exit status each must get. */
const expectedOf = (set: string) =>
  new Map(
    readFileSync(join(FIXTURES, set, "expected.tsv"), "utf8")
      .trim()
      .split("\n")
      .map((line) => line.split("\t") as [string, string]),
  );
const analysisOf = (run: Run, address: string) =>
  run.result?.review.roles.find((r) => r.analysis.subject.role.address === address)?.analysis;

/** What each case must show beside its exit status, from its README. */
const REASONS: Record<string, (run: Run) => void> = {
  "01-trust-region-x-account-cross": (run) => {
    // Statement 2 lets Pinpoint acting for an account 5555xxxxxxxx in us-west-2 assume the role.
    const [difference] = analysisOf(run, "aws_iam_role.this")?.differences ?? [];
    expect(difference?.context["aws:SourceArn"]).toMatch(/^arn:aws:mobiletargeting:us-west-2:5555\d{8}:apps\//);
    expect(difference?.context["aws:SourceAccount"]).toMatch(/^5555\d{8}$/);
    expect(difference).toMatchObject({ principal: "pinpoint.amazonaws.com", outcome: "Allowed", expected: "Denied" });
  },
  "04-inline-block-vs-policies-exclusive": (run) => {
    const losses = analysisOf(run, "aws_iam_role.this")?.findings.filter((f) => f.id === "ROLE-ACCESS-LOSS") ?? [];
    expect(losses.map((f) => f.message).join("\n")).toContain(
      "aws_iam_role.this.inline_policy puts an inline policy on aws_iam_role.this, but aws_iam_role_policies_exclusive.this manages its inline policies exclusively and does not list it",
    );
  },
  "05-perm-deny-expired-currenttime": (run) => {
    // The Deny applies to every request from now on: none of the guide's pairs is granted.
    const analysis = analysisOf(run, "aws_iam_role.this");
    expect(analysis?.granted).toEqual([]);
    const refused = analysis?.differences
      .filter((d) => d.expected === "Allowed")
      .map((d) => d.action)
      .sort();
    expect(refused).toEqual([
      "personalize:DescribeCampaign",
      "personalize:DescribeSolution",
      "personalize:GetRecommendations",
    ]);
    expect(
      analysis?.differences.every(
        (d) => Date.parse(String(d.context["aws:CurrentTime"])) > Date.parse("2024-12-31T23:59:59Z"),
      ),
    ).toBe(true);
  },
  "08-pass-deny-long-term-credentials": (run) => {
    expect(analysisOf(run, "aws_iam_role.this")?.granted).toHaveLength(3);
  },
  "16-pass-for-each-key-zero-number-index": (run) => {
    const analysis = analysisOf(run, 'aws_iam_role.r["0"]');
    expect(analysis?.subject.policies.map((p) => [p.address, p.via])).toEqual([
      ["aws_iam_policy.guide", ["aws_iam_role_policy_attachment.a"]],
    ]);
    expect(analysis?.granted).toHaveLength(3);
  },
  "32-pass-source-arn-with-source-account-variable": (run) => {
    const admitted = analysisOf(run, "aws_iam_role.this")?.proof.admitted ?? [];
    expect(admitted.map((r) => r.context["aws:SourceAccount"])).toEqual(["111122223333"]);
  },
  "40-pass-event-stream-role-beside-guide": (run) => {
    expect(run.result?.review.roles.map((r) => r.analysis.subject.role.address)).toEqual(["aws_iam_role.this"]);
    expect(run.result?.review.notReviewed.map((r) => r.address)).toEqual(["aws_iam_role.events"]);
    expect(run.result?.review.notReviewed[0]?.reason).toMatch(/allow no Amazon Personalize action/);
  },
};

// `names`: roles whose names are unknown until apply (name_prefix), apart from the semantics set,
// whose trusts that admit any principal of the account may admit such a role's sessions.
const SETS = ["review-proof", "semantics", "names"] as const;
const namesOf = (set: string) =>
  readdirSync(join(FIXTURES, set)).filter((n) =>
    ["main.tf", "main.tf.json"].some((file) => existsSync(join(FIXTURES, set, n, file))),
  );

// Each set's cases as modules of one root, reviewed once. Not both sets in one root: a role is
// reviewed with every policy of its configuration that can reach it (a trust whose Principal is
// "*" elsewhere in the same account included), so a set's cases are written to share a root.
describe.each(SETS)("the %s cases, as modules of one configuration reviewed through --dir", (set) => {
  const names = namesOf(set);
  const expected = expectedOf(set);
  const all = reviewAsModules(new Map(names.map((name) => [name, join(FIXTURES, set, name)])), temp);

  test("each case has an exit status", () => {
    expect(names.sort()).toEqual([...expected.keys()].sort());
    if (set === "review-proof") expect(Object.keys(REASONS).sort()).toEqual([...expected.keys()].sort());
  });

  test("the review of them all fails (some cases must), and reviews every case's roles", async () => {
    const run = await all;
    expect(run.code).toBe(1);
    for (const name of names) {
      const part = caseRun(run, name);
      const roles = (part.result?.review.roles.length ?? 0) + (part.result?.review.notReviewed.length ?? 0);
      expect([name, roles > 0]).toEqual([name, true]);
    }
  });

  test.each(names)("%s", async (name) => {
    const run = caseRun(await all, name);
    try {
      expect(run.exit).toBe(Number(expected.get(name)));
      REASONS[name]?.(run);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n\nThe review's output:\n${run.output}`, { cause: error });
    }
  });
});
