import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { main, ReviewResult } from "../src/cli";
import { tempDirs } from "./temp";

/**
 * The review cases: small Terraform roots written from IAM's documented evaluation logic, reviewed
 * through the real --dir path (real Terraform, the real provider, an offline plan), each with the
 * verdict of its set's expected.tsv and the reason its README gives. `review-proof` holds one case
 * of each kind with the reason checked below; `semantics` holds many more of the same kinds (trust
 * combinations, keys IAM always sends, policy variables, other Pinpoint roles, equivalent
 * rewrites, subtly wider roles), checked by their verdicts.
 */
const FIXTURES = join(__dirname, "fixtures");
const temp = tempDirs();

interface Run {
  readonly code: number;
  readonly output: string;
  readonly result?: ReviewResult;
}

/** The provider most cases configure, the root's in the one configuration that holds them all. */
const ROOT_PROVIDER = 'provider "aws" {\n  region = "us-east-1"\n}\n';

/** The module name a case gets in the one configuration that holds them all. */
const moduleOf = (name: string) => `case_${name.replace(/-/g, "_")}`;

/**
 * Every case as a module of one root, reviewed once: one init and one plan for all of them (each
 * case keeps its own provider block, as a module may). A case's verdict is its roles' verdicts.
 */
async function reviewAll(set: string, names: readonly string[]): Promise<Run> {
  const root = temp("review-cases-");
  for (const name of names) {
    cpSync(join(FIXTURES, set, name), join(root, name), { recursive: true });
    // A case's provider that is the root's own is left to the root: one provider for all of them
    // (Terraform starts a provider for each configuration of one).
    const guide = join(root, name, "guide.tf");
    writeFileSync(guide, readFileSync(guide, "utf8").replace(ROOT_PROVIDER, ""));
  }
  writeFileSync(
    join(root, "main.tf"),
    [ROOT_PROVIDER, ...names.map((name) => `module "${moduleOf(name)}" {\n  source = "./${name}"\n}\n`)].join("\n"),
  );
  const out = temp("review-out-");
  let output = "";
  const code = await main(["--dir", root, "--out", out], { out: (t) => (output += t), err: (t) => (output += t) });
  const file = join(out, "review.json");
  return {
    code,
    output,
    ...(existsSync(file) ? { result: JSON.parse(readFileSync(file, "utf8")) as ReviewResult } : {}),
  };
}

/**
 * One case's part of the review of all of them: its roles, addressed as in the case's own root
 * (its module's prefix taken off), and its exit status as if reviewed alone.
 */
function caseRun(all: Run, name: string): Run & { exit: number } {
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

describe.each(["review-proof", "semantics"])(
  "the %s cases, as modules of one configuration reviewed through --dir",
  (set) => {
    const names = readdirSync(join(FIXTURES, set)).filter((n) => existsSync(join(FIXTURES, set, n, "main.tf")));
    const expected = expectedOf(set);
    const all = reviewAll(set, names);

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
  },
);
