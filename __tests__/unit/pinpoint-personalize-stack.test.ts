import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { App, Lazy, TerraformLocal, TerraformOutput, Testing } from "cdktf";
import { readFileSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { PinpointPersonalizeStack } from "../../lib";
import { Block, Json, removeSynthOutput, synth, synthToDisk, TerraformJson } from "../../test-support/synth";
import { withoutMetadata } from "../../tools/synthesized";

function synthStack(): TerraformJson {
  return synth(new PinpointPersonalizeStack(Testing.app(), "pinpoint-personalize"));
}

/** Every Terraform address in a configuration: resources, data sources, variables and outputs. */
function addresses(json: TerraformJson): string[] {
  const of = (kind: "resource" | "data") =>
    Object.entries(json[kind] ?? {}).flatMap(([type, byName]) =>
      Object.keys(byName).map((name) => (kind === "data" ? `data.${type}.${name}` : `${type}.${name}`)),
    );
  return [
    ...of("resource"),
    ...of("data"),
    ...Object.keys(json.variable ?? {}).map((name) => `var.${name}`),
    ...Object.keys(json.output ?? {}).map((name) => `output.${name}`),
  ].sort();
}

const PREFIX =
  "arn:${data.aws_partition.current.partition}:personalize:${data.aws_service.personalize.region}:" +
  "${data.aws_caller_identity.current.account_id}";

describe("PinpointPersonalizeStack", () => {
  const json = synthStack();

  test("Terraform addresses are locked: a change here destroys and recreates the role", () => {
    expect(addresses(json)).toEqual([
      "aws_iam_policy.this",
      "aws_iam_role.this",
      "aws_iam_role_policy_attachment.this",
      "data.aws_caller_identity.current",
      "data.aws_iam_policy_document.permissions",
      "data.aws_iam_policy_document.trust",
      "data.aws_iam_role.adopted",
      "data.aws_partition.current",
      "data.aws_service.personalize",
      "output.campaign_arn",
      "output.policy_arn",
      "output.policy_name",
      "output.role_arn",
      "output.role_name",
      "output.role_unique_id",
      "output.solution_arn",
      "var.adopt_existing_resources",
      "var.campaign_id",
      "var.description",
      "var.max_session_duration",
      "var.name",
      "var.path",
      "var.permissions_boundary",
      "var.pinpoint_application_ids",
      "var.policy_description",
      "var.policy_name",
      "var.policy_path",
      "var.policy_use_name_prefix",
      "var.solution_id",
      "var.tags",
      "var.trusted_source_arns",
      "var.use_name_prefix",
    ]);
  });

  test("the partition, Region and account come from the provider: the Region from Amazon Personalize's aws_service", () => {
    const strip = (block: unknown) => withoutMetadata(block as Json);
    expect(strip(json.data?.aws_partition?.current)).toEqual({});
    expect(strip(json.data?.aws_service?.personalize)).toEqual({ service_id: "personalize" });
    expect(strip(json.data?.aws_caller_identity?.current)).toEqual({});
  });

  test("each prop the stack passes is one local, read from its variable (the name or the prefix, as use_name_prefix says)", () => {
    expect(json.locals).toEqual({
      campaign_id: "${var.campaign_id}",
      solution_id: "${var.solution_id}",
      pinpoint_application_ids: "${var.pinpoint_application_ids}",
      trusted_source_arns: "${var.trusted_source_arns}",
      role_name: "${var.use_name_prefix ? null : var.name}",
      role_name_prefix: "${var.use_name_prefix ? var.name : null}",
      role_path: "${var.path}",
      role_description: "${var.description}",
      max_session_duration: "${var.max_session_duration}",
      permissions_boundary: "${var.permissions_boundary}",
      policy_name: "${var.policy_use_name_prefix ? null : var.policy_name}",
      policy_name_prefix: "${var.policy_use_name_prefix ? var.policy_name : null}",
      policy_path: "${var.policy_path}",
      policy_description: "${var.policy_description}",
      tags: "${var.tags}",
    });
  });

  test("the permissions policy grants the three actions on the variables' solution and campaign", () => {
    expect(json.data?.aws_iam_policy_document?.permissions?.statement).toEqual([
      {
        sid: "RetrieveRecommendationsOneCampaign",
        effect: "Allow",
        actions: ["personalize:DescribeSolution", "personalize:DescribeCampaign", "personalize:GetRecommendations"],
        resources: [`${PREFIX}:solution/\${local.solution_id}`, `${PREFIX}:campaign/\${local.campaign_id}`],
      },
    ]);
  });

  test("the trust policy's source ARNs come from trusted_source_arns, else pinpoint_application_ids, else apps/*", () => {
    const place =
      "${data.aws_partition.current.partition}:mobiletargeting:${data.aws_service.personalize.region}:" +
      "${data.aws_caller_identity.current.account_id}";
    // A list that Terraform gives as null reads as empty.
    const list = (name: string) => `(local.${name} == null ? tolist([]) : tolist(local.${name}))`;
    expect(json.data?.aws_iam_policy_document?.trust?.statement).toEqual([
      {
        effect: "Allow",
        actions: ["sts:AssumeRole"],
        principals: [{ type: "Service", identifiers: ["pinpoint.amazonaws.com"] }],
        condition: [
          {
            test: "StringEquals",
            variable: "aws:SourceAccount",
            values: ["${data.aws_caller_identity.current.account_id}"],
          },
          {
            test: "ArnLike",
            variable: "aws:SourceArn",
            values:
              `\${coalescelist(${list("trusted_source_arns")}, ` +
              `[for app in ${list("pinpoint_application_ids")} : "arn:${place}:apps/\${app}"], ["arn:${place}:apps/*"])}`,
          },
        ],
      },
    ]);
  });

  test("the role and the policy take their settings from the variables' locals", () => {
    // A name and a prefix both null (not given) is the default name.
    expect(json.resource?.aws_iam_role?.this).toEqual({
      name: '${local.role_name == null && local.role_name_prefix == null ? "PinpointRoleforPersonalize" : local.role_name}',
      name_prefix: "${local.role_name_prefix}",
      path: "${local.role_path}",
      description: "${local.role_description}",
      max_session_duration: "${local.max_session_duration}",
      permissions_boundary: "${local.permissions_boundary}",
      assume_role_policy: "${data.aws_iam_policy_document.trust.json}",
      tags: "${local.tags}",
    });
    expect(json.resource?.aws_iam_policy?.this).toEqual({
      name: '${local.policy_name == null && local.policy_name_prefix == null ? "RetrieveRecommendationsPolicy" : local.policy_name}',
      name_prefix: "${local.policy_name_prefix}",
      path: "${local.policy_path}",
      description: "${local.policy_description}",
      policy: "${data.aws_iam_policy_document.permissions.json}",
      tags: "${local.tags}",
    });
    expect(json.resource?.aws_iam_role_policy_attachment?.this).toEqual({
      role: "${aws_iam_role.this.name}",
      policy_arn: "${aws_iam_policy.this.arn}",
      // What an import would keep, and an import that would replace the role, checked while
      // adoption is on (lifecycle-adoption.test.ts plans them).
      lifecycle: {
        precondition: [0, 1, 2, 3].map(() => ({
          condition: expect.stringMatching(/^\$\{!\(var\.adopt_existing_resources\) \|\| \(.+\)\}$/) as unknown,
          error_message: expect.stringMatching(/^adopt_existing_resources: /) as unknown,
        })),
      },
    });
  });

  test("the permissions document carries the construct's plan-time checks of every token prop, and the trust document follows it", () => {
    const inputs = (block: Block | undefined) =>
      (((block?.lifecycle as Block | undefined)?.precondition ?? []) as Block[]).map((p) =>
        (p.error_message as string).replace(/ (must be|conflicts with) .*$/s, ""),
      );
    const documents = json.data?.aws_iam_policy_document;
    expect(inputs(documents?.permissions)).toEqual([
      // What the provider gives, read from data sources: the rules of the props that would give it.
      "the partition of the role's AWS provider",
      "the Region of the role's AWS provider",
      "the account ID of the role's AWS provider",
      "campaignId",
      "campaignId",
      "solutionId",
      "solutionId",
      "each of pinpointApplicationIds",
      "each of trustedSourceArns",
      "roleName",
      "roleNamePrefix",
      "rolePath",
      "roleDescription",
      "maxSessionDuration",
      "permissionsBoundary",
      "policyName",
      "policyNamePrefix",
      "policyPath",
      "policyDescription",
      "the number of tags",
      "each entry of tags",
      "the keys of tags",
      "roleName",
      "policyName",
      "pinpointApplicationIds",
      "each of trustedSourceArns",
    ]);
    // The role reads the trust document and the policy the permissions document: neither is made
    // before every check has passed.
    expect(documents?.trust?.depends_on).toEqual(["data.aws_iam_policy_document.permissions"]);
    expect([documents?.trust?.lifecycle, json.resource?.aws_iam_role?.this?.lifecycle]).toEqual([undefined, undefined]);
  });

  test("variables: types, defaults and descriptions as a Terraform user expects", () => {
    const summary = Object.fromEntries(
      Object.entries(json.variable ?? {}).map(([name, v]) => [name, [v.type, v.default, v.nullable]]),
    );
    expect(summary).toEqual({
      campaign_id: ["string", undefined, false],
      solution_id: ["string", undefined, false],
      pinpoint_application_ids: ["list(string)", [], false],
      trusted_source_arns: ["list(string)", [], false],
      name: ["string", "PinpointRoleforPersonalize", false],
      use_name_prefix: ["bool", false, false],
      path: ["string", "/", false],
      description: ["string", null, true],
      max_session_duration: ["number", 3600, false],
      permissions_boundary: ["string", null, true],
      policy_name: ["string", "RetrieveRecommendationsPolicy", false],
      policy_use_name_prefix: ["bool", false, false],
      policy_path: ["string", "/", false],
      policy_description: ["string", null, true],
      tags: ["map(string)", {}, false],
      adopt_existing_resources: ["bool", false, false],
    });
    for (const [name, v] of Object.entries(json.variable ?? {})) {
      expect([name, typeof v.description === "string" && v.description.length > 20]).toEqual([name, true]);
    }
  });

  test("every variable with an AWS rule has validations written as JSON-syntax templates", () => {
    const unvalidated = Object.entries(json.variable ?? {})
      .filter(([, v]) => !Array.isArray(v.validation) || v.validation.length === 0)
      .map(([name]) => name);
    expect(unvalidated).toEqual(["policy_use_name_prefix", "use_name_prefix"]);
    for (const v of Object.values(json.variable ?? {})) {
      for (const validation of (v.validation ?? []) as Block[]) {
        // Terraform's JSON syntax requires "${...}"; a bare expression is rejected ("must refer to var.x").
        expect(validation.condition).toMatch(/^\$\{.*\}$/s);
        expect(validation.error_message).toMatch(/ must be | conflicts with /);
      }
    }
  });

  test("outputs, each described, give Pinpoint's two inputs", () => {
    const outputs = json.output ?? {};
    expect(Object.fromEntries(Object.entries(outputs).map(([name, o]) => [name, o.value]))).toEqual({
      role_arn: "${aws_iam_role.this.arn}",
      role_name: "${aws_iam_role.this.name}",
      role_unique_id: "${aws_iam_role.this.unique_id}",
      policy_arn: "${aws_iam_policy.this.arn}",
      policy_name: "${aws_iam_policy.this.name}",
      campaign_arn: `${PREFIX}:campaign/\${local.campaign_id}`,
      solution_arn: `${PREFIX}:solution/\${local.solution_id}`,
    });
    expect(outputs.role_arn?.description).toMatch(/RecommendationProviderRoleArn/);
    expect(outputs.campaign_arn?.description).toMatch(/RecommendationProviderUri/);
    for (const output of Object.values(outputs)) expect(output.description).toEqual(expect.any(String));
  });

  test("the AWS provider is pinned to 5.100.0 and Terraform to 1.9 or later", () => {
    expect(json.provider).toEqual({ aws: [{}] });
    expect(json.terraform?.required_providers).toEqual({ aws: { source: "aws", version: "5.100.0" } });
    expect(json.terraform?.required_version).toBe(">= 1.9.0");
  });

  test("the state lives in the project directory, outside cdktf.out, by a relative path", () => {
    expect(json.terraform?.backend).toEqual({ local: { path: "../../../terraform.pinpoint-personalize.tfstate" } });
  });

  test("a Region that a Lazy gives is checked at synth, as a literal one is in the constructor", () => {
    const bad = new PinpointPersonalizeStack(Testing.app(), "s", {
      region: Lazy.stringValue({ produce: () => "us-east-1*" }),
    });
    expect(() => synth(bad)).toThrow(
      /\[s\] region must be an AWS Region code such as us-east-1\. Received "us-east-1\*"\./,
    );
    const good = new PinpointPersonalizeStack(Testing.app(), "s", {
      region: Lazy.stringValue({ produce: () => "eu-west-1" }),
    });
    expect(synth(good).provider).toEqual({ aws: [{ region: "eu-west-1" }] });
  });

  test("the region prop configures the provider", () => {
    const stack = new PinpointPersonalizeStack(Testing.app(), "s", { region: "eu-west-1" });
    expect(synth(stack).provider).toEqual({ aws: [{ region: "eu-west-1" }] });
  });
});

describe("PinpointPersonalizeStack's props, checked as jsii checks them in other languages", () => {
  test.each([
    ["a Region of the wrong type", { region: 1 }, "region must be an AWS Region code such as us-east-1. Received 1."],
    [
      "an object as the Region",
      { region: { name: "eu-west-1" } },
      'region must be an AWS Region code such as us-east-1. Received {"name":"eu-west-1"}.',
    ],
    [
      "a literal that is no Region",
      { region: "*" },
      'region must be an AWS Region code such as us-east-1. Received "*".',
    ],
    [
      "a key one letter off a prop (regions)",
      { regions: "eu-west-1" },
      'regions is not a prop of PinpointPersonalizeStackProps: did you mean region? A key that is no prop is not read, so the prop it stands for would keep its default. Received regions: "eu-west-1".',
    ],
    [
      "an S3 backend without its bucket (not local state)",
      { backend: { region: "eu-west-1" } },
      'with its required ones. Received {"region":"eu-west-1"}.',
    ],
    [
      "a backend field of the wrong type",
      { backend: { path: 1 } },
      'whose fields are strings (path is not). Received {"path":1}.',
    ],
  ])("refuses %s, naming the stack and the prop, adding nothing", (_name, props, message) => {
    const app = Testing.app();
    let thrown: unknown;
    try {
      new PinpointPersonalizeStack(app, "s", props as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).message.startsWith("s: ")).toBe(true);
    expect((thrown as Error).message.endsWith(message)).toBe(true);
    if (!("backend" in props)) expect(app.node.children).toEqual([]);
  });

  test.each([
    ["null props", null],
    ["a null Region and backend", { region: null, backend: null }],
  ])("reads %s as not given: the provider's environment and local state", (_name, props) => {
    const json = synth(new PinpointPersonalizeStack(Testing.app(), "s", props as never));
    expect((json.provider as Record<string, unknown[]>).aws).toEqual([{}]);
    expect(json.terraform?.backend).toEqual({ local: { path: "../../../terraform.s.tfstate" } });
  });
});

describe("the stack's addresses are its own: another element of the stack at one of them is refused at synth", () => {
  // cdktf merges two elements with one address into one block, lists appended: a user's role at
  // aws_iam_role.this would be the stack's role, with both trusts.
  const withUsers = (add: (stack: PinpointPersonalizeStack) => void) => {
    const stack = new PinpointPersonalizeStack(Testing.app(), "pinpoint-personalize");
    add(stack);
    return () => synth(stack);
  };
  const ec2Trust = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
  });

  test.each([
    [
      "a role at aws_iam_role.this",
      (stack: PinpointPersonalizeStack) => new IamRole(stack, "this", { name: "ec2-role", assumeRolePolicy: ec2Trust }),
      "pinpoint-personalize/this",
      "aws_iam_role.this",
    ],
    [
      "a policy document at data.aws_iam_policy_document.trust that trusts AWS *",
      (stack: PinpointPersonalizeStack) =>
        new DataAwsIamPolicyDocument(stack, "trust", {
          statement: [{ actions: ["sts:AssumeRole"], principals: [{ type: "AWS", identifiers: ["*"] }] }],
        }),
      "pinpoint-personalize/trust",
      "data.aws_iam_policy_document.trust",
    ],
    [
      "a local at local.role_name",
      (stack: PinpointPersonalizeStack) => new TerraformLocal(stack, "role_name", "OtherTeamRole"),
      "pinpoint-personalize/role_name",
      "local.role_name",
    ],
    [
      "an output at output.role_arn",
      (stack: PinpointPersonalizeStack) => new TerraformOutput(stack, "role_arn", { value: "elsewhere" }),
      "pinpoint-personalize/role_arn",
      "output.role_arn",
    ],
  ])("%s", (_, add, userPath, address) => {
    const synthesize = withUsers(add);
    expect(synthesize).toThrow(
      `have the same Terraform address ${address}, which Terraform would read as one block: give ${userPath} another id (the address is the library's).`,
    );
  });

  test("the user's own blocks at other addresses are kept apart, and the role is the stack's alone", () => {
    const json = withUsers((stack) => {
      new IamRole(stack, "ec2", { name: "ec2-role", assumeRolePolicy: ec2Trust });
      new TerraformLocal(stack, "team", "books");
    })();
    expect(Object.keys(json.resource?.aws_iam_role ?? {}).sort()).toEqual(["ec2", "this"]);
    expect(json.resource?.aws_iam_role?.this?.assume_role_policy).toBe("${data.aws_iam_policy_document.trust.json}");
  });
});

describe("synthesized output", () => {
  function synthFile(): { file: string; text: string } {
    const dir = synthToDisk((app: App) => new PinpointPersonalizeStack(app, "pinpoint-personalize"));
    const file = join(dir, "cdk.tf.json");
    return { file, text: readFileSync(file, "utf8") };
  }

  test("is byte-identical from one synth to the next", () => {
    const first = synthFile();
    const second = synthFile();
    expect(second.text).toBe(first.text);
    for (const { file } of [first, second]) removeSynthOutput(dirname(file));
  });

  test("carries no path of the machine it was made on", () => {
    const { file, text } = synthFile();
    const outdir = dirname(dirname(dirname(file)));
    for (const path of [outdir, process.cwd(), homedir(), tmpdir()]) expect(text).not.toContain(path);
    rmSync(outdir, { recursive: true });
  });
});
