import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { LocalBackend, TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import { PinpointPersonalizeRole } from "../lib";
import { SHARED_DATA_SOURCE_IDS } from "../lib/place";
import { IamDouble } from "../test-support/iam-double/server";
import { CommandResult, terraformAgainst } from "../test-support/lifecycle";
import { blocks, rendered, synth, synthDirs } from "../test-support/synth";
import { TerraformPlan } from "../packages/review/src/offline-plan";
import { terraformInit } from "../packages/review/src/offline-plan";

/**
 * Each role in its own provider's place. A reusable construct that makes its own
 * `new AwsProvider(this, "aws", ...)` (the same id in every instance) and passes it to the role:
 * each instance's role must take its partition, Region and account from its own provider, never
 * from another provider of the same id; roles of one provider share one set of data sources.
 */
const synthDir = synthDirs();

/** A reusable construct: its own AWS provider, with the same id in every instance, and a role on it. */
class RegionalRecommendations extends Construct {
  readonly role: PinpointPersonalizeRole;
  readonly provider: AwsProvider;
  constructor(
    scope: Construct,
    id: string,
    props: { region: string; alias: string; names?: string; account?: IamDouble; extraRole?: boolean },
  ) {
    super(scope, id);
    this.provider = new AwsProvider(this, "aws", {
      alias: props.alias,
      region: props.region,
      // A second account: the provider's own keys and endpoints (in a real app, assumeRole).
      ...(props.account
        ? {
            accessKey: "AKIAIAMDOUBLE0000002",
            secretKey: "iam-double-not-a-secret",
            endpoints: [{ iam: props.account.url, sts: props.account.url }],
          }
        : {}),
    });
    this.role = new PinpointPersonalizeRole(this, "Role", {
      campaignId: `${props.alias}-campaign`,
      solutionId: `${props.alias}-solution`,
      // AWS's default names unless given.
      ...(props.names ? { roleName: props.names, policyName: props.names } : {}),
      provider: this.provider,
    });
    if (props.extraRole) {
      new PinpointPersonalizeRole(this, "Second", {
        campaignId: `${props.alias}-second`,
        solutionId: `${props.alias}-solution`,
        roleName: `${props.names}-second`,
        policyName: `${props.names}-second`,
        provider: this.provider,
      });
    }
  }
}

describe("at synth", () => {
  const stack = new TerraformStack(Testing.app(), "regions");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  const europe = new RegionalRecommendations(stack, "Europe", {
    region: "eu-west-1",
    alias: "europe",
    names: "europe",
    extraRole: true,
  });
  const sydney = new RegionalRecommendations(stack, "Sydney", {
    region: "ap-southeast-2",
    alias: "sydney",
    names: "sydney",
  });
  const json = synth(stack);

  test("providers of equal ids in other scopes each get their own partition, Region and account", () => {
    const regions = blocks(json, "data", "aws_service");
    expect(Object.fromEntries(Object.entries(regions).map(([name, b]) => [name, b.provider]))).toEqual({
      [`${SHARED_DATA_SOURCE_IDS.region}_Europe_aws`]: "aws.europe",
      [`${SHARED_DATA_SOURCE_IDS.region}_Sydney_aws`]: "aws.sydney",
    });
    for (const type of ["aws_partition", "aws_caller_identity"])
      expect(Object.keys(blocks(json, "data", type))).toHaveLength(2);
    expect(rendered(stack, europe.role.campaignArn)).toContain(
      "${data.aws_service.PinpointPersonalizeRegion_Europe_aws.region}",
    );
    expect(rendered(stack, sydney.role.campaignArn)).toContain(
      "${data.aws_caller_identity.PinpointPersonalizeCallerIdentity_Sydney_aws.account_id}",
    );
    expect(rendered(stack, sydney.role.campaignArn)).not.toContain("Europe");
  });

  test("roles of one provider share its set", () => {
    const second = Object.values(blocks(json, "data", "aws_iam_policy_document")).filter(
      (d) => d.provider === "aws.europe",
    );
    // Two roles on Europe's provider, two documents each, one set of place data sources.
    expect(second).toHaveLength(4);
    expect(Object.keys(blocks(json, "data", "aws_partition"))).toEqual([
      `${SHARED_DATA_SOURCE_IDS.partition}_Europe_aws`,
      `${SHARED_DATA_SOURCE_IDS.partition}_Sydney_aws`,
    ]);
  });
});

describe("planned offline and applied against two accounts' IAM", () => {
  const accountA = new IamDouble({ accountId: "111122223333" });
  const accountB = new IamDouble({ accountId: "444455556666" });
  let dir: string;
  let plan: TerraformPlan;
  let apply: CommandResult;

  beforeAll(async () => {
    await accountA.start();
    await accountB.start();
    dir = synthDir((app) => {
      const stack = new TerraformStack(app, "two-accounts");
      new LocalBackend(stack, { path: "terraform.tfstate" });
      // Account A by the environment, in Ireland; account B by its provider's own keys, in Sydney.
      // AWS's default names in both: a valid layout, as IAM names are unique per account.
      const europe = new RegionalRecommendations(stack, "Europe", { region: "eu-west-1", alias: "europe" });
      new RegionalRecommendations(stack, "Sydney", { region: "ap-southeast-2", alias: "sydney", account: accountB });
      // What a user would see without the construct's check of tag keys: tags set past it, by
      // cdktf's escape hatch, that IAM refuses.
      const unchecked = new PinpointPersonalizeRole(stack, "Unchecked", {
        campaignId: "unchecked",
        solutionId: "unchecked",
        roleName: "unchecked",
        policyName: "unchecked",
        provider: europe.provider,
      });
      unchecked.role.addOverride("tags", { Team: "growth", team: "growth" });
      return stack;
    });
    const run = async (args: string[]) => {
      const result = await terraformAgainst(dir, accountA, args);
      if (result.code !== 0) throw new Error(`terraform ${args[0]} failed:\n${result.output}`);
      return result;
    };
    await terraformInit(dir, accountA.env());
    await run(["plan", "-input=false", "-out=two.tfplan"]);
    plan = JSON.parse((await run(["show", "-json", "two.tfplan"])).stdout) as TerraformPlan;
    apply = await terraformAgainst(dir, accountA, ["apply", "-input=false", "two.tfplan"]);
  });
  afterAll(async () => {
    await accountA.close();
    await accountB.close();
  });

  /** A planned policy's resources, by the role's construct id. */
  function plannedResources(id: string): string[] {
    const policy = plan.resource_changes?.find(
      (r) => r.type === "aws_iam_policy" && r.address.startsWith(`aws_iam_policy.${id}_`),
    );
    const document = JSON.parse(policy?.change.after?.policy as string) as { Statement: { Resource: string[] }[] };
    return document.Statement[0]?.Resource ?? [];
  }

  test("the plan puts each role's ARNs in its own provider's Region and account", () => {
    expect({
      unchecked: plannedResources("Unchecked"),
      europe: plannedResources("Europe_Role"),
      sydney: plannedResources("Sydney_Role"),
    }).toEqual({
      unchecked: [
        "arn:aws:personalize:eu-west-1:111122223333:solution/unchecked",
        "arn:aws:personalize:eu-west-1:111122223333:campaign/unchecked",
      ],
      europe: [
        "arn:aws:personalize:eu-west-1:111122223333:solution/europe-solution",
        "arn:aws:personalize:eu-west-1:111122223333:campaign/europe-campaign",
      ],
      sydney: [
        "arn:aws:personalize:ap-southeast-2:444455556666:solution/sydney-solution",
        "arn:aws:personalize:ap-southeast-2:444455556666:campaign/sydney-campaign",
      ],
    });
  });

  test("without the construct's check, IAM's own refusal is what the user sees: InvalidInput, and no role", () => {
    expect(apply.code).toBe(1);
    const errors = apply.output.match(/^Error: .*$/gm) ?? [];
    expect(errors).toEqual([expect.stringMatching(/^Error: creating IAM Role \(unchecked\)/)]);
    expect(apply.output.replace(/\s+/g, " ")).toContain(
      "InvalidInput: Duplicate tag keys found. Please note that Tag keys are case insensitive.",
    );
    expect(accountA.iam.snapshot().roles).not.toContain("unchecked");
  });

  test("the apply creates each role in its own account, the guide's names in both, each trusting its own account and Region", () => {
    expect(accountA.iam.snapshot().roles).toEqual(["PinpointRoleforPersonalize"]);
    expect(accountB.iam.snapshot().roles).toEqual(["PinpointRoleforPersonalize"]);
    const trust = (iam: IamDouble, role: string) =>
      (
        JSON.parse(iam.iam.getRole(role).trustPolicy) as {
          Statement: { Condition: Record<string, Record<string, string | string[]>> }[];
        }
      ).Statement[0]?.Condition;
    expect(trust(accountB, "PinpointRoleforPersonalize")).toEqual({
      StringEquals: { "aws:SourceAccount": "444455556666" },
      ArnLike: { "aws:SourceArn": "arn:aws:mobiletargeting:ap-southeast-2:444455556666:apps/*" },
    });
    expect(trust(accountA, "PinpointRoleforPersonalize")?.ArnLike).toEqual({
      "aws:SourceArn": "arn:aws:mobiletargeting:eu-west-1:111122223333:apps/*",
    });
    const policy = accountB.iam.getPolicy("arn:aws:iam::444455556666:policy/RetrieveRecommendationsPolicy");
    expect(policy.versions[0]?.document).toContain(
      "arn:aws:personalize:ap-southeast-2:444455556666:campaign/sydney-campaign",
    );
  });
});
