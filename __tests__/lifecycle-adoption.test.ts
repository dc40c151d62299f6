import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { LocalBackend, TerraformStack } from "cdktf";
import { readFileSync } from "node:fs";
import { tempDirs } from "../test-support/temp";
import { join } from "node:path";
import { PinpointPersonalizeRole, PinpointPersonalizeStack } from "../lib";
import { IamDouble } from "../test-support/iam-double/server";
import {
  cdktf,
  withDouble,
  cdktfFlags,
  CommandResult,
  iamApi,
  makeRoleByHand,
  projectCopy,
  removeDir,
  seedDocuments,
  stateResources,
  terraformAgainst,
  trackedEntities,
} from "../test-support/lifecycle";
import { moduleCaller, moduleCopy, moduleDir } from "../test-support/module-caller";
import { removeSynthOutput, synthToDisk } from "../test-support/synth";
import { USAGE_EXAMPLE } from "../tools/module";

/**
 * Adopting a role made by hand with AWS's guide (its own documents, test-support/seed/), in each
 * of the project's usages, following the project's own documentation; the HCL module's adoption
 * example; and the HCL module's whole lifecycle with for_each.
 */
const README = readFileSync(join(__dirname, "..", "README.md"), "utf8");
const GUIDE_NAMES = { role: "PinpointRoleforPersonalize", policy: "RetrieveRecommendationsPolicy" };
const IDS = { campaignId: "books", solutionId: "books-solution" };

const temp = tempDirs();
let double: IamDouble;

function expectSuccess(result: CommandResult): void {
  expect({ code: result.code, output: result.code === 0 ? "" : result.output }).toEqual({ code: 0, output: "" });
}

const mutations = () =>
  double.calls.filter((c) => !/^(Get|List)/.test(c.action) && !c.error).map((c) => `${c.action} ${c.target ?? ""}`);

describe("the stack, following the README's adoption steps", () => {
  withDouble((d) => (double = d));
  let project: string;
  const vars = ["--var", `campaign_id=${IDS.campaignId}`, "--var", `solution_id=${IDS.solutionId}`];

  beforeAll(async () => {
    project = projectCopy();
    await makeRoleByHand(double, GUIDE_NAMES, IDS);
  });
  afterAll(() => removeDir(project));

  test("without adoption, the deploy fails with EntityAlreadyExists, changes nothing, and the README says what to do", async () => {
    const before = mutations().length;
    const result = await cdktf(project, double, ["deploy", "--auto-approve", ...cdktfFlags(), ...vars]);
    expect(result.code).not.toBe(0);
    const seen = "EntityAlreadyExists: Role with name PinpointRoleforPersonalize already exists.";
    expect(result.output).toContain(seen);
    expect(result.output).toMatch(
      /Error: creating IAM Role \(PinpointRoleforPersonalize\): operation error IAM: CreateRole, /,
    );
    expect(mutations().length).toBe(before);
    // What the user sees is what the README's adoption section quotes, before its steps.
    const adoption = README.slice(README.indexOf("## Adopting a role made by hand"));
    expect(adoption.indexOf(`\`${seen.replace(/\.$/, "")}\``)).toBeGreaterThan(0);
    expect(adoption.indexOf(seen.replace(/\.$/, ""))).toBeLessThan(adoption.indexOf("1. Plan with adoption on"));
  });

  test("step 1: the plan with adoption on shows three imports and no creation", async () => {
    const result = await cdktf(project, double, [
      "plan",
      ...cdktfFlags(),
      ...vars,
      "--var",
      "adopt_existing_resources=true",
    ]);
    expectSuccess(result);
    expect(result.output).toMatch(/Plan: 3 to import, 0 to add, \d+ to change, 0 to destroy\./);
  });

  test("step 2: the deploy imports the three, creates nothing, and hardens the trust", async () => {
    const before = mutations().length;
    const result = await cdktf(project, double, [
      "deploy",
      "--auto-approve",
      ...cdktfFlags(),
      ...vars,
      "--var",
      "adopt_existing_resources=true",
    ]);
    expectSuccess(result);
    expect(result.output).toMatch(/Apply complete! Resources: 3 imported, 0 added, \d+ changed, 0 destroyed\./);
    expect(mutations().slice(before)).toEqual(["UpdateAssumeRolePolicy PinpointRoleforPersonalize"]);
    const trust = double.iam.getRole("PinpointRoleforPersonalize").trustPolicy;
    expect(trust).toContain("aws:SourceAccount");
    expect(trust).toContain("aws:SourceArn");
    expect(trackedEntities(stateResources(join(project, "terraform.pinpoint-personalize.tfstate")))).toEqual(
      double.iam.snapshot(),
    );
  });

  test("step 3: later runs leave the variable out and change nothing", async () => {
    const result = await terraformAgainst(join(project, "cdktf.out", "stacks", "pinpoint-personalize"), double, [
      "plan",
      "-detailed-exitcode",
      "-input=false",
      `-var=campaign_id=${IDS.campaignId}`,
      `-var=solution_id=${IDS.solutionId}`,
    ]);
    expect({ code: result.code, output: result.code === 0 ? "" : result.output }).toEqual({ code: 0, output: "" });
  });
});

describe("the construct library's adoptExisting", () => {
  withDouble((d) => (double = d));

  test("imports the hand-made role, policy and attachment, and tracks them", async () => {
    await makeRoleByHand(double, GUIDE_NAMES, IDS);
    const dir = synthToDisk((app) => {
      const stack = new TerraformStack(app, "library-adoption");
      new AwsProvider(stack, "aws", {});
      new LocalBackend(stack, { path: "terraform.tfstate" });
      new PinpointPersonalizeRole(stack, "Recommendations", { ...IDS, adoptExisting: true });
      return stack;
    });
    try {
      expect((await terraformAgainst(dir, double, ["init", "-input=false"])).code).toBe(0);
      const apply = await terraformAgainst(dir, double, ["apply", "-auto-approve", "-input=false"]);
      expectSuccess(apply);
      expect(apply.output).toMatch(/Apply complete! Resources: 3 imported, 0 added, \d+ changed, 0 destroyed\./);
      expect(double.iam.snapshot().roles).toEqual(["PinpointRoleforPersonalize"]);
      expect(trackedEntities(stateResources(join(dir, "terraform.tfstate")))).toEqual(double.iam.snapshot());
    } finally {
      removeSynthOutput(dir);
    }
  });

  test("an adoption that the plan would replace (the role's name in another letter case) fails, destroying nothing", async () => {
    const before = mutations().length;
    const dir = synthToDisk((app) => {
      const stack = new TerraformStack(app, "library-adoption-case");
      new AwsProvider(stack, "aws", {});
      new LocalBackend(stack, { path: "terraform.tfstate" });
      new PinpointPersonalizeRole(stack, "Recommendations", {
        ...IDS,
        roleName: GUIDE_NAMES.role.toLowerCase(),
        adoptExisting: true,
      });
      return stack;
    });
    try {
      expect((await terraformAgainst(dir, double, ["init", "-input=false"])).code).toBe(0);
      const apply = await terraformAgainst(dir, double, ["apply", "-auto-approve", "-input=false", "-no-color"]);
      expect(apply.code).not.toBe(0);
      expect(apply.output.replace(/\s+/g, " ")).toMatch(
        /Resource aws_iam_role\.Recommendations_Role_\w+ has lifecycle\.prevent_destroy set, but the plan calls for this resource to be destroyed/,
      );
      expect(mutations().slice(before)).toEqual([]);
      expect(double.iam.snapshot().roles).toEqual([GUIDE_NAMES.role]);
    } finally {
      removeSynthOutput(dir);
    }
  });

  test("the stack's adopt_existing_resources refuses the same plan, naming both names", async () => {
    const before = mutations().length;
    const dir = synthToDisk((app) => new PinpointPersonalizeStack(app, "stack-adoption-case", {}));
    try {
      expect((await terraformAgainst(dir, double, ["init", "-input=false"])).code).toBe(0);
      const plan = await terraformAgainst(dir, double, [
        "plan",
        "-input=false",
        "-no-color",
        "-lock=false",
        `-var=campaign_id=${IDS.campaignId}`,
        `-var=solution_id=${IDS.solutionId}`,
        `-var=name=${GUIDE_NAMES.role.toLowerCase()}`,
        "-var=adopt_existing_resources=true",
      ]);
      expect(plan.code).not.toBe(0);
      expect(plan.output.replace(/[│╷╵]/g, " ").replace(/\s+/g, " ")).toContain(
        `adopt_existing_resources: the existing role is /${GUIDE_NAMES.role}, and this configuration's is ` +
          `/${GUIDE_NAMES.role.toLowerCase()}: importing it would replace it, destroying the role.`,
      );
      expect(mutations().slice(before)).toEqual([]);
    } finally {
      removeSynthOutput(dir);
    }
  });
});

describe("adoption of a role that holds more than the guide's policy, or whose policy is attached elsewhere", () => {
  withDouble((d) => (double = d));

  test("the plan refuses it, naming what the import would keep, for the construct and the stack; nothing changes", async () => {
    const ours = await makeRoleByHand(double, GUIDE_NAMES, IDS);
    // What the import would keep: a wider policy attached to the role, an inline policy on it, and
    // the guide's policy attached to another team's role.
    const everything = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
    });
    await iamApi(double, "CreatePolicy", { PolicyName: "Everything", PolicyDocument: everything });
    const wide = `arn:aws:iam::${double.accountId}:policy/Everything`;
    await iamApi(double, "AttachRolePolicy", { RoleName: GUIDE_NAMES.role, PolicyArn: wide });
    await iamApi(double, "PutRolePolicy", {
      RoleName: GUIDE_NAMES.role,
      PolicyName: "AllPersonalize",
      PolicyDocument: everything,
    });
    const other = seedDocuments({ accountId: double.accountId, region: "us-east-1" }, IDS).trust;
    await iamApi(double, "CreateRole", { RoleName: "OtherTeamRole", AssumeRolePolicyDocument: other });
    await iamApi(double, "AttachRolePolicy", { RoleName: "OtherTeamRole", PolicyArn: ours });
    const before = mutations().length;

    const dir = synthToDisk((app) => {
      const stack = new TerraformStack(app, "library-adoption-wider");
      new AwsProvider(stack, "aws", {});
      new LocalBackend(stack, { path: "terraform.tfstate" });
      new PinpointPersonalizeRole(stack, "Recommendations", { ...IDS, adoptExisting: true });
      return stack;
    });
    const project = projectCopy();
    try {
      expect((await terraformAgainst(dir, double, ["init", "-input=false"])).code).toBe(0);
      const plan = await terraformAgainst(dir, double, ["plan", "-input=false", "-no-color"]);
      const stack = await cdktf(project, double, [
        "plan",
        ...cdktfFlags(),
        "--var",
        `campaign_id=${IDS.campaignId}`,
        "--var",
        `solution_id=${IDS.solutionId}`,
        "--var",
        "adopt_existing_resources=true",
      ]);
      for (const [prop, result] of [
        ["adoptExisting", plan],
        ["adopt_existing_resources", stack],
      ] as const) {
        expect(result.code).not.toBe(0);
        // Terraform's frame and its line breaks taken out.
        const said = result.output.replace(/[│╷╵]/g, " ").replace(/\s+/g, " ");
        expect(said).toContain(
          `${prop}: the role PinpointRoleforPersonalize has managed policies attached besides this one, ["${wide}"], which adopting it would keep: detach them first.`,
        );
        expect(said).toContain(
          `${prop}: the role PinpointRoleforPersonalize has inline policies, ["AllPersonalize"], which adopting it would keep: delete them first.`,
        );
        expect(said).toContain(
          `${prop}: the policy ${ours} is attached elsewhere than to the role (2 attachments in all), and each would take this policy's document: detach it from the others first.`,
        );
      }
      expect(mutations().length).toBe(before);
    } finally {
      removeSynthOutput(dir);
      removeDir(project);
    }
  });
});

describe("the Terraform module's examples/adopt-existing, after AWS's guide made by hand", () => {
  withDouble((d) => (double = d));
  let dir: string;

  beforeAll(async () => {
    dir = join(moduleCopy(temp("adopt-example-")), "examples", "adopt-existing");
    await makeRoleByHand(double, GUIDE_NAMES, { campaignId: "my-campaign", solutionId: "my-solution" });
    expect((await terraformAgainst(dir, double, ["init", "-input=false"])).code).toBe(0);
  });

  test("the first apply imports the three, creates nothing, and hardens the trust", async () => {
    const before = mutations().length;
    const apply = await terraformAgainst(dir, double, ["apply", "-auto-approve", "-input=false"]);
    expectSuccess(apply);
    expect(apply.output).toMatch(/Apply complete! Resources: 3 imported, 0 added, \d+ changed, 0 destroyed\./);
    expect(mutations().slice(before)).toEqual(["UpdateAssumeRolePolicy PinpointRoleforPersonalize"]);
    expect(trackedEntities(stateResources(join(dir, "terraform.tfstate")))).toEqual(double.iam.snapshot());
  });

  test("converges: a second plan shows no changes", async () => {
    const plan = await terraformAgainst(dir, double, ["plan", "-detailed-exitcode", "-input=false"]);
    expect({ code: plan.code, output: plan.code === 0 ? "" : plan.output }).toEqual({ code: 0, output: "" });
  });
});

describe("the Terraform module from HCL, with for_each", () => {
  withDouble((d) => (double = d));
  let caller: string;
  const moduleReadme = readFileSync(join(moduleDir, "README.md"), "utf8");
  /** The module README's import blocks, as a user copies them into the root module. */
  const importBlocks = [...moduleReadme.matchAll(/^import \{\n[\s\S]*?^\}$/gm)].map((m) => m[0]).join("\n");
  const books = { role: "PinpointRoleforPersonalize-books", policy: "RetrieveRecommendationsPolicy-books" };
  // Consumes the role's ARN: Terraform must create it only once the role has its permissions.
  const consumer = `
resource "aws_iam_policy" "consumer" {
  name   = "consumer-of-movies-role"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:GetRole", Resource = module.pinpoint_recommendations["movies"].role_arn }]
  })
}
`;

  beforeAll(async () => {
    caller = moduleCaller(temp("hcl-lifecycle-"), `${USAGE_EXAMPLE}\n${importBlocks}\n${consumer}`);
    await makeRoleByHand(double, books, { campaignId: "books-campaign", solutionId: "books-solution" });
    expect((await terraformAgainst(caller, double, ["init", "-input=false"])).code).toBe(0);
  });

  test("the module README's import blocks adopt one instance while the other is created", async () => {
    expect(importBlocks.match(/^import \{/gm)).toHaveLength(3);
    const apply = await terraformAgainst(caller, double, ["apply", "-auto-approve", "-input=false"]);
    expectSuccess(apply);
    expect(apply.output).toMatch(/Apply complete! Resources: 3 imported, 4 added, \d+ changed, 0 destroyed\./);
    expect(double.iam.snapshot().roles).toEqual([
      "PinpointRoleforPersonalize-books",
      "PinpointRoleforPersonalize-movies",
    ]);
  });

  test("a resource that consumes role_arn is created only after the role's policy is attached", () => {
    const order = mutations().map(
      (m) => m.split(" ")[0] + " " + (m.includes("movies") || m.includes("consumer") ? m.split(" ")[1] : ""),
    );
    const attached = order.findIndex((m) => m.startsWith("AttachRolePolicy PinpointRoleforPersonalize-movies"));
    const consumed = order.findIndex((m) =>
      m.startsWith("CreatePolicy arn:aws:iam::111122223333:policy/consumer-of-movies-role"),
    );
    expect(attached).toBeGreaterThanOrEqual(0);
    expect(consumed).toBeGreaterThan(attached);
  });

  test("converges: a second plan shows no changes", async () => {
    const plan = await terraformAgainst(caller, double, ["plan", "-detailed-exitcode", "-input=false"]);
    expect({ code: plan.code, output: plan.code === 0 ? "" : plan.output }).toEqual({ code: 0, output: "" });
  });

  test("destroy leaves nothing", async () => {
    expectSuccess(await terraformAgainst(caller, double, ["destroy", "-auto-approve", "-input=false"]));
    expect(double.iam.snapshot()).toEqual({ roles: [], policies: [], attachments: [] });
  });
});
