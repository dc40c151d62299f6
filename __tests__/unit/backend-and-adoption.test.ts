import { Testing } from "cdktf";
import { PinpointPersonalizeRole, PinpointPersonalizeStack } from "../../lib";
import { backendFromEnvironment, StateBackend } from "../../lib/backend";
import { only, synth, testStack } from "../../test-support/synth";

/** Remote state for teams, and adopting the role, policy and attachment made by hand. */
function stackJson(backend?: StateBackend) {
  return synth(new PinpointPersonalizeStack(Testing.app(), "pinpoint-personalize", backend ? { backend } : {}));
}

describe("state backends", () => {
  test("the default is a local file in the project directory", () => {
    expect(backendFromEnvironment({})).toEqual({});
    expect(stackJson().terraform?.backend).toEqual({
      local: { path: "../../../terraform.pinpoint-personalize.tfstate" },
    });
  });

  test("STATE_BACKEND=s3 gives an encrypted S3 backend that locks with a lock file (Terraform 1.10+)", () => {
    const backend = backendFromEnvironment({
      STATE_BACKEND: "s3",
      STATE_BUCKET: "team-state",
      AWS_REGION: "eu-west-1",
    });
    expect(backend).toEqual({ bucket: "team-state", region: "eu-west-1" });
    const json = stackJson(backend);
    expect(json.terraform?.backend).toEqual({
      s3: {
        bucket: "team-state",
        key: "pinpoint-personalize/terraform.tfstate",
        region: "eu-west-1",
        encrypt: true,
        use_lockfile: true,
      },
    });
    expect(json.terraform?.required_version).toBe(">= 1.10.0");
    expect(
      backendFromEnvironment({
        STATE_BACKEND: "s3",
        STATE_BUCKET: "b",
        STATE_KEY: "k",
        STATE_REGION: "us-east-2",
        AWS_REGION: "x",
      }),
    ).toEqual({
      bucket: "b",
      key: "k",
      region: "us-east-2",
    });
  });

  test("STATE_BACKEND=cloud gives an HCP Terraform cloud block from HCP Terraform's own variables", () => {
    const backend = backendFromEnvironment({
      STATE_BACKEND: "cloud",
      TF_CLOUD_ORGANIZATION: "acme",
      TF_CLOUD_PROJECT: "growth",
    });
    expect(backend).toEqual({ organization: "acme", project: "growth" });
    const terraform = stackJson(backend).terraform;
    expect(terraform?.cloud).toEqual({
      organization: "acme",
      workspaces: { name: "pinpoint-personalize", project: "growth" },
    });
    // Terraform refuses a cloud block beside a backend block ("Both a backend and cloud
    // configuration are present"): the local default must be gone.
    expect(terraform?.backend).toBeUndefined();
    expect(
      stackJson(
        backendFromEnvironment({
          STATE_BACKEND: "cloud",
          TF_CLOUD_ORGANIZATION: "acme",
          TF_WORKSPACE: "recs",
          TF_CLOUD_HOSTNAME: "tfe.example.com",
        }),
      ).terraform?.cloud,
    ).toEqual({ organization: "acme", hostname: "tfe.example.com", workspaces: { name: "recs" } });
  });

  test.each([
    [{ STATE_BACKEND: "gcs" }, 'STATE_BACKEND must be local, s3 or cloud. Received "gcs".'],
    [
      { STATE_BACKEND: "s3", AWS_REGION: "us-east-1" },
      "STATE_BUCKET must be set when STATE_BACKEND is s3: the S3 bucket that holds the state.",
    ],
    [
      { STATE_BACKEND: "s3", STATE_BUCKET: "b" },
      "STATE_REGION (or AWS_REGION) must be set when STATE_BACKEND is s3: the Region of the state bucket.",
    ],
    [
      { STATE_BACKEND: "cloud" },
      "TF_CLOUD_ORGANIZATION must be set when STATE_BACKEND is cloud: the HCP Terraform organization.",
    ],
  ])("a missing or unknown setting is named: %j", (env, message) => {
    expect(() => backendFromEnvironment(env)).toThrow(message);
  });
});

describe("adopting resources made by hand", () => {
  const ACCOUNT = "111122223333";
  const policyArn = `arn:aws:iam::${ACCOUNT}:policy/RetrieveRecommendationsPolicy`;

  test("adoptExisting imports the role, the policy and the attachment under AWS's guide's names", () => {
    const stack = testStack();
    new PinpointPersonalizeRole(stack, "Role", {
      campaignId: "c",
      solutionId: "s",
      partition: "aws",
      region: "us-east-1",
      accountId: ACCOUNT,
      adoptExisting: true,
    });
    const json = synth(stack);
    const address = (type: string) => `${type}.${Object.keys(json.resource?.[type] ?? {})[0]}`;
    expect(json.import).toHaveLength(3);
    expect(json.import).toEqual(
      expect.arrayContaining([
        { to: address("aws_iam_role"), id: "PinpointRoleforPersonalize" },
        { to: address("aws_iam_policy"), id: policyArn },
        { to: address("aws_iam_role_policy_attachment"), id: `PinpointRoleforPersonalize/${policyArn}` },
      ]),
    );
    expect(only(json, "resource", "aws_iam_role").name).toBe("PinpointRoleforPersonalize");
  });

  test("without adoptExisting there is no import block", () => {
    const stack = testStack();
    new PinpointPersonalizeRole(stack, "Role", { campaignId: "c", solutionId: "s" });
    expect(synth(stack).import).toBeUndefined();
  });

  test("a name prefix cannot be adopted", () => {
    const prefixed = new PinpointPersonalizeRole(testStack(), "Role", {
      campaignId: "c",
      solutionId: "s",
      roleNamePrefix: "p-",
    });
    expect(prefixed.importIds).toBeUndefined();
    expect(
      () =>
        new PinpointPersonalizeRole(testStack(), "Role", {
          campaignId: "c",
          solutionId: "s",
          roleNamePrefix: "p-",
          adoptExisting: true,
        }),
    ).toThrow("adoptExisting must be false with roleNamePrefix: a generated name belongs to no existing resource.");
  });

  test("the stack's adopt_existing_resources variable drives one import block per resource", () => {
    const json = stackJson();
    const forEach = '${var.adopt_existing_resources ? toset(["adopt"]) : toset([])}';
    // The names the role and policy get (the default when neither a name nor a prefix is set),
    // read from the locals that the construct checks.
    const policy =
      "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:policy" +
      '${local.policy_path == null ? "/" : local.policy_path}' +
      '${local.policy_name == null && local.policy_name_prefix == null ? "RetrieveRecommendationsPolicy" : local.policy_name}';
    const role =
      '${local.role_name == null && local.role_name_prefix == null ? "PinpointRoleforPersonalize" : local.role_name}';
    expect(json.import).toEqual([
      { for_each: forEach, to: "aws_iam_role.this", id: role },
      { for_each: forEach, to: "aws_iam_policy.this", id: policy },
      { for_each: forEach, to: "aws_iam_role_policy_attachment.this", id: `${role}/${policy}` },
    ]);
    // The locals are the variables: the IDs name what name, policy_name and policy_path say.
    expect(json.locals).toEqual(
      expect.objectContaining({
        role_name: "${var.use_name_prefix ? null : var.name}",
        policy_name: "${var.policy_use_name_prefix ? null : var.policy_name}",
        policy_path: "${var.policy_path}",
      }),
    );
    expect(json.variable?.adopt_existing_resources).toEqual(expect.objectContaining({ type: "bool", default: false }));
  });
});
