import { lstatSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, relative, resolve, sep } from "node:path";
import { main as review, ReviewResult } from "../packages/review/src/cli";
import { TerraformPlan } from "../packages/review/src/offline-plan";
import { providerMirror } from "../packages/review/src/terraform";
import { analyze } from "../packages/review/src/analyze";
import { subjectsOf } from "../packages/review/src/subject";
import { IamDouble } from "../test-support/iam-double/server";
import { asPreviousRelease } from "../test-support/previous-release";
import { TerraformJson } from "../tools/synthesized";
import {
  cdktf,
  cdktfFlags,
  CommandResult,
  projectCopy,
  removeDir,
  stateResources,
  terraformAgainst,
  trackedEntities,
} from "../test-support/lifecycle";

/**
 * The whole lifecycle as a user runs it: the real `npx cdktf deploy`, `diff` and `destroy`, real
 * Terraform and the real hashicorp/aws provider, against a local double of IAM reached only
 * through the standard AWS environment variables. The app and cdk.tf.json are exactly what a
 * user deploys.
 */
const STACK = "pinpoint-personalize";
const IDS = ["--var", "campaign_id=books", "--var", "solution_id=books-solution"];

let double: IamDouble;
let project: string;
let stackDir: string;
let stateFile: string;

beforeAll(async () => {
  double = new IamDouble();
  await double.start();
  project = projectCopy();
  stackDir = join(project, "cdktf.out", "stacks", STACK);
  stateFile = join(project, `terraform.${STACK}.tfstate`);
});
afterAll(async () => {
  await double.close();
  removeDir(project);
});

const deploy = (...vars: string[]) => cdktf(project, double, ["deploy", "--auto-approve", ...cdktfFlags(), ...vars]);
/** `terraform plan -detailed-exitcode` in the stack directory: 0 means no changes. */
const plan = (...args: string[]) =>
  terraformAgainst(stackDir, double, [
    "plan",
    "-detailed-exitcode",
    "-input=false",
    ...args.filter((a) => a !== "--var").map((a) => (a.startsWith("-") ? a : `-var=${a}`)),
  ]);

function expectSuccess(result: CommandResult): void {
  expect({ code: result.code, output: result.code === 0 ? "" : result.output }).toEqual({ code: 0, output: "" });
}

/** The documents the double holds, parsed: the role's trust and the policy's default version. */
function storedDocuments() {
  const role = double.iam.getRole("PinpointRoleforPersonalize");
  const policy = double.iam.getPolicy(`arn:aws:iam::${double.accountId}:policy/RetrieveRecommendationsPolicy`);
  const version = policy.versions.find((v) => v.id === policy.defaultVersionId);
  return {
    trust: JSON.parse(role.trustPolicy) as unknown,
    permissions: JSON.parse(version?.document ?? "null") as unknown,
    role,
    policy,
  };
}

let firstRoleId: string;

describe("npx cdktf deploy", () => {
  let result: CommandResult;
  beforeAll(async () => {
    result = await deploy(...IDS);
  });

  test("creates exactly the role, the policy and the attachment", () => {
    expectSuccess(result);
    expect(result.output).toContain("Apply complete! Resources: 3 added, 0 changed, 0 destroyed.");
    const policyArn = `arn:aws:iam::${double.accountId}:policy/RetrieveRecommendationsPolicy`;
    expect(double.iam.snapshot()).toEqual({
      roles: ["PinpointRoleforPersonalize"],
      policies: [policyArn],
      attachments: [`PinpointRoleforPersonalize -> ${policyArn}`],
    });
    expect(trackedEntities(stateResources(stateFile))).toEqual(double.iam.snapshot());
    firstRoleId = double.iam.getRole("PinpointRoleforPersonalize").id;
  });

  test("prints the outputs, with the double's values", () => {
    const account = double.accountId;
    for (const line of [
      `role_arn = arn:aws:iam::${account}:role/PinpointRoleforPersonalize`,
      `campaign_arn = arn:aws:personalize:us-east-1:${account}:campaign/books`,
      `role_unique_id = ${firstRoleId}`,
    ]) {
      expect(result.output.replace(/\s+/g, " ")).toContain(line.replace(/\s+/g, " "));
    }
  });

  test("attaches the policy before anything can read the role's outputs, in the order the double records", () => {
    const order = double.calls
      .filter((c) => ["CreateRole", "CreatePolicy", "AttachRolePolicy"].includes(c.action))
      .map((c) => c.action);
    expect(order.indexOf("AttachRolePolicy")).toBe(2);
    // The outputs that name the role depend on the attachment, so Terraform evaluates them after it.
    const config = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as {
      output: Record<string, { depends_on?: string[] }>;
    };
    for (const name of ["role_arn", "role_name", "role_unique_id"]) {
      expect([name, config.output[name]?.depends_on]).toEqual([name, ["aws_iam_role_policy_attachment.this"]]);
    }
  });
});

test("the deploy's init installed the provider without the machine's plugin cache, from the mirror when there is one", () => {
  // Terraform documents its plugin cache as unsafe for inits at the same time; the test setup
  // turns off the cdktf CLI's (see test-support/global-setup.ts).
  const installed = join(stackDir, ".terraform", "providers", "registry.terraform.io", "hashicorp", "aws");
  const [version] = readdirSync(installed);
  const platform = `${process.platform}_${process.arch === "x64" ? "amd64" : process.arch}`;
  const entry = join(installed, version ?? "", platform);
  // A link to where init found it, or (downloaded from the registry) a directory of its own.
  const source = lstatSync(entry).isSymbolicLink() ? resolve(installed, version ?? "", readlinkSync(entry)) : entry;
  const mirror = providerMirror();
  const within = (dir: string) => source.startsWith(`${resolve(dir)}${sep}`);
  expect({ source, inSharedCache: within(join(homedir(), ".terraform.d", "plugin-cache")) }).toEqual({
    source,
    inSharedCache: false,
  });
  expect({ source, fromMirror: mirror ? within(mirror) : false }).toEqual({ source, fromMirror: mirror !== undefined });
});

describe("converged", () => {
  test("a plan right after the deploy shows no changes, and the review's analysis of it proves what the double stores", async () => {
    const result = await plan("-out=converged.tfplan", ...IDS);
    expect({ code: result.code, output: result.code === 0 ? "" : result.output }).toEqual({ code: 0, output: "" });
    // No perpetual diff on either document; and the documents the double holds are the ones the
    // review proves (the same statements, the same conditions), read from this real plan.
    const show = await terraformAgainst(stackDir, double, ["show", "-json", "converged.tfplan"]);
    const { subjects, notReviewed } = await subjectsOf(JSON.parse(show.stdout) as TerraformPlan);
    expect([subjects.map((s) => s.role.address), notReviewed]).toEqual([["aws_iam_role.this"], []]);
    const subject = subjects[0];
    const analysis = await analyze(subject);
    expect(analysis.passed).toBe(true);
    expect(analysis.granted.map((g) => g.action).sort()).toEqual([
      "personalize:DescribeCampaign",
      "personalize:DescribeSolution",
      "personalize:GetRecommendations",
    ]);
    const stored = storedDocuments();
    expect(subject.policies.map((p) => p.address)).toEqual(["aws_iam_policy.this"]);
    expect(stored.permissions).toEqual(subject.policies[0]?.document);
    expect(stored.trust).toEqual(subject.role.trustPolicy);
  });

  test("the previous release's stack, which read the Region from data.aws_region's name, plans no change against this one's deployment", async () => {
    // This release reads it from Amazon Personalize's aws_service (`region`, undeprecated in
    // hashicorp/aws 5.x and 6.x). Both render the same documents, so a deployment made by either
    // is converged for the other.
    const file = join(stackDir, "cdk.tf.json");
    const current = readFileSync(file, "utf8");
    const previous = JSON.stringify(asPreviousRelease(JSON.parse(current) as TerraformJson));
    expect(previous).toContain("${data.aws_region.personalize.name}");
    expect(previous).not.toContain("aws_service");
    try {
      writeFileSync(file, previous);
      const result = await plan(...IDS);
      expect({ code: result.code, output: result.code === 0 ? "" : result.output }).toEqual({ code: 0, output: "" });
    } finally {
      writeFileSync(file, current);
    }
  });

  test("after rm -rf cdktf.out, npx cdktf diff synthesizes anew and finds no changes: the state is outside cdktf.out", async () => {
    rmSync(join(project, "cdktf.out"), { recursive: true, force: true });
    const result = await cdktf(project, double, ["diff", ...cdktfFlags(), ...IDS]);
    expectSuccess(result);
    expect(result.output).toContain("No changes. Your infrastructure matches the configuration.");
    expect(double.iam.getRole("PinpointRoleforPersonalize").id).toBe(firstRoleId);
  });
});

describe("updates", () => {
  test("npm run review --plan on the update's own plan, made separately: what it revokes and grants, and the trust it narrows", async () => {
    const planned = await terraformAgainst(stackDir, double, [
      "plan",
      "-input=false",
      "-out=update.tfplan",
      "-var=campaign_id=movies",
      "-var=solution_id=books-solution",
      '-var=pinpoint_application_ids=["0123456789abcdef0123456789abcdef"]',
    ]);
    expect(planned.code).toBe(0);
    const file = join(project, "update.json");
    writeFileSync(file, (await terraformAgainst(stackDir, double, ["show", "-json", "update.tfplan"])).stdout);
    const out = join(project, "review");
    let stdout = "";
    const code = await review(["--plan", file, "--out", out], { out: (t) => (stdout += t), err: (t) => (stdout += t) });
    expect({ code, stdout: code === 0 ? "" : stdout }).toEqual({ code: 0, stdout: "" });
    const result = JSON.parse(readFileSync(join(out, "review.json"), "utf8")) as ReviewResult;
    expect(result.context).toEqual(
      expect.objectContaining({ mode: "file", source: "plan file " + relative(process.cwd(), file) }),
    );
    const diff = result.review.roles[0]?.diff;
    const arn = (kind: string, id: string) => `arn:aws:personalize:us-east-1:${double.accountId}:${kind}/${id}`;
    const sorted = (pairs: { action: string; resource: string }[] = []) =>
      pairs.map((p) => `${p.action} ${p.resource}`).sort();
    expect(sorted(diff?.revoked)).toEqual([
      `personalize:DescribeCampaign ${arn("campaign", "books")}`,
      `personalize:GetRecommendations ${arn("campaign", "books")}`,
    ]);
    expect(sorted(diff?.granted)).toEqual([
      `personalize:DescribeCampaign ${arn("campaign", "movies")}`,
      `personalize:GetRecommendations ${arn("campaign", "movies")}`,
    ]);
    // The trust narrows from every project of the account to one.
    expect(diff?.trust.every((t) => t.before === "Allowed" && t.after === "Denied")).toBe(true);
    expect(diff?.trust.length).toBeGreaterThan(0);
    const markdown = readFileSync(join(out, "review.md"), "utf8");
    expect(markdown).toContain(
      `- revokes \`personalize:DescribeCampaign\` on \`${arn("campaign", "books")}\`; \`personalize:GetRecommendations\` on \`${arn("campaign", "books")}\``,
    );
    expect(markdown).toContain("- trust conditions: ");
    expect(markdown).toContain("a plan made elsewhere");
  });

  test("new IDs, projects and role settings update the policy, the trust and the role in place; the role's unique_id stays", async () => {
    const before = double.calls.length;
    expectSuccess(
      await deploy(
        "--var",
        "campaign_id=movies",
        "--var",
        "solution_id=books-solution",
        "--var",
        'pinpoint_application_ids=["0123456789abcdef0123456789abcdef"]',
        "--var",
        "description=Reads recommendations",
        "--var",
        "max_session_duration=7200",
        "--var",
        "permissions_boundary=arn:aws:iam::aws:policy/PowerUserAccess",
        "--var",
        'tags={team="growth"}',
      ),
    );
    const mutations = double.calls
      .slice(before)
      .filter((c) => !/^(Get|List)/.test(c.action))
      .map((c) => c.action);
    expect(mutations.sort()).toEqual([
      "CreatePolicyVersion",
      "PutRolePermissionsBoundary",
      "TagPolicy",
      "TagRole",
      "UpdateAssumeRolePolicy",
      "UpdateRole",
      "UpdateRoleDescription",
    ]);
    const { policy, permissions, trust, role } = storedDocuments();
    // The policy: a new default version.
    expect(policy.defaultVersionId).toBe("v2");
    expect(JSON.stringify(permissions)).toContain(":campaign/movies");
    expect(JSON.stringify(permissions)).not.toContain(":campaign/books");
    // The trust: the one project.
    expect(JSON.stringify(trust)).toContain(":apps/0123456789abcdef0123456789abcdef");
    expect([role.description, role.maxSessionDuration, role.permissionsBoundary, role.tags]).toEqual([
      "Reads recommendations",
      7200,
      "arn:aws:iam::aws:policy/PowerUserAccess",
      [{ key: "team", value: "growth" }],
    ]);
    expect(role.id).toBe(firstRoleId);
    const state = stateResources(stateFile).find((r) => r.type === "aws_iam_role");
    expect(state?.attributes.unique_id).toBe(firstRoleId);
  });

  test("which inputs replace and which update in place, read from one plan's replace_paths", async () => {
    const changed = [
      "-var=campaign_id=movies",
      "-var=solution_id=books-solution",
      '-var=pinpoint_application_ids=["0123456789abcdef0123456789abcdef"]',
      "-var=name=PinpointRoleforMovies",
      "-var=path=/pinpoint/",
      "-var=description=Reads recommendations",
      "-var=max_session_duration=7200",
      "-var=permissions_boundary=arn:aws:iam::aws:policy/PowerUserAccess",
      '-var=tags={team="growth"}',
      "-var=policy_name=RetrieveMoviesRecommendations",
      "-var=policy_path=/pinpoint/",
      "-var=policy_description=Reads one campaign",
    ];
    const planned = await terraformAgainst(stackDir, double, [
      "plan",
      "-input=false",
      "-out=changes.tfplan",
      ...changed,
    ]);
    expect(planned.code).toBe(0);
    const show = await terraformAgainst(stackDir, double, ["show", "-json", "changes.tfplan"]);
    const changes = (
      JSON.parse(show.stdout) as {
        resource_changes: { address: string; change: { actions: string[]; replace_paths?: string[][] } }[];
      }
    ).resource_changes;
    const summary = Object.fromEntries(
      changes.map((c) => [
        c.address,
        { actions: c.change.actions, replaceBecause: (c.change.replace_paths ?? []).map((p) => p.join(".")).sort() },
      ]),
    );
    // Role: name and path replace; description, session, boundary and tags alone would update in place.
    expect(summary["aws_iam_role.this"]).toEqual({ actions: ["delete", "create"], replaceBecause: ["name", "path"] });
    // Policy: name, path and description replace (IAM cannot change them).
    expect(summary["aws_iam_policy.this"]).toEqual({
      actions: ["delete", "create"],
      replaceBecause: ["description", "name", "path"],
    });
    expect(summary["aws_iam_role_policy_attachment.this"]?.actions).toEqual(["delete", "create"]);
  });
});

describe("npx cdktf destroy", () => {
  test("leaves the double with no role, no policy and no attachment", async () => {
    const result = await cdktf(project, double, [
      "destroy",
      "--auto-approve",
      ...cdktfFlags(),
      "--var",
      "campaign_id=movies",
      "--var",
      "solution_id=books-solution",
    ]);
    expectSuccess(result);
    expect(result.output).toContain("Destroy complete! Resources: 3 destroyed.");
    expect(double.iam.snapshot()).toEqual({ roles: [], policies: [], attachments: [] });
    expect(stateResources(stateFile)).toEqual([]);
  });
});
