import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import {
  App,
  Aspects,
  Fn,
  Lazy,
  TerraformLocal,
  TerraformOutput,
  TerraformProvider,
  TerraformStack,
  TerraformVariable,
  Testing,
  Token,
} from "cdktf";
import { Construct } from "constructs";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PinpointPersonalizeRole, PinpointPersonalizeRoleProps } from "../../lib";
import { hclLiteral } from "../../lib/rules";
import { blocks, Block, only, rendered, synth, testStack, TerraformJson } from "../../test-support/synth";

const ACCOUNT = "111122223333";
/** Literal partition, Region and account, so that ARNs are plain strings. */
const PLACE = { partition: "aws", region: "us-east-1", accountId: ACCOUNT } as const;
const IDS = { campaignId: "my-campaign", solutionId: "my_solution" } as const;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function synthRole(props: Partial<PinpointPersonalizeRoleProps> = {}): TerraformJson {
  const stack = testStack();
  new PinpointPersonalizeRole(stack, "Role", { ...IDS, ...PLACE, ...props });
  return synth(stack);
}

function statements(json: TerraformJson, name: "Permissions" | "Trust"): Json[] {
  return only(json, "data", DataAwsIamPolicyDocument.tfResourceType, name).statement as Json[];
}
type Json = Block[string];

const PERMISSIONS_STATEMENT = {
  sid: "RetrieveRecommendationsOneCampaign",
  effect: "Allow",
  actions: ["personalize:DescribeSolution", "personalize:DescribeCampaign", "personalize:GetRecommendations"],
  resources: [
    `arn:aws:personalize:us-east-1:${ACCOUNT}:solution/my_solution`,
    `arn:aws:personalize:us-east-1:${ACCOUNT}:campaign/my-campaign`,
  ],
};

function trustStatement(sourceArns: string[]) {
  return {
    effect: "Allow",
    actions: ["sts:AssumeRole"],
    principals: [{ type: "Service", identifiers: ["pinpoint.amazonaws.com"] }],
    condition: [
      { test: "StringEquals", variable: "aws:SourceAccount", values: [ACCOUNT] },
      { test: "ArnLike", variable: "aws:SourceArn", values: sourceArns },
    ],
  };
}

describe("PinpointPersonalizeRole with defaults", () => {
  const json = synthRole();

  test("the permissions policy is AWS's one statement: three actions on the solution and the campaign", () => {
    expect(statements(json, "Permissions")).toEqual([PERMISSIONS_STATEMENT]);
  });

  test("the trust policy lets only Pinpoint assume the role, from this account's Pinpoint projects", () => {
    expect(statements(json, "Trust")).toEqual([
      trustStatement([`arn:aws:mobiletargeting:us-east-1:${ACCOUNT}:apps/*`]),
    ]);
  });

  test("the policy and the role carry AWS's default names and the rendered documents", () => {
    const permissions = Object.keys(blocks(json, "data", DataAwsIamPolicyDocument.tfResourceType)).find((n) =>
      n.includes("Permissions"),
    );
    const trust = Object.keys(blocks(json, "data", DataAwsIamPolicyDocument.tfResourceType)).find((n) =>
      n.includes("Trust"),
    );
    expect(only(json, "resource", IamPolicy.tfResourceType)).toEqual({
      name: "RetrieveRecommendationsPolicy",
      policy: `\${data.aws_iam_policy_document.${permissions}.json}`,
    });
    expect(only(json, "resource", IamRole.tfResourceType)).toEqual({
      name: "PinpointRoleforPersonalize",
      assume_role_policy: `\${data.aws_iam_policy_document.${trust}.json}`,
    });
  });

  test("a standalone attachment joins them; the role has no inline or exclusive managed policies", () => {
    const policy = Object.keys(blocks(json, "resource", IamPolicy.tfResourceType))[0];
    const role = Object.keys(blocks(json, "resource", IamRole.tfResourceType))[0];
    expect(only(json, "resource", IamRolePolicyAttachment.tfResourceType)).toEqual({
      policy_arn: `\${aws_iam_policy.${policy}.arn}`,
      role: `\${aws_iam_role.${role}.name}`,
    });
    expect(Object.keys(json.resource ?? {}).sort()).toEqual([
      "aws_iam_policy",
      "aws_iam_role",
      "aws_iam_role_policy_attachment",
    ]);
  });

  test("literal inputs need no plan-time checks but one: the given account is the provider's, its only data source", () => {
    const [permissions, trust] = ["Permissions", "Trust"].map((doc) =>
      only(json, "data", DataAwsIamPolicyDocument.tfResourceType, doc),
    );
    expect(trust.lifecycle).toBeUndefined();
    const read = "data.aws_caller_identity.PinpointPersonalizeCallerIdentity.account_id";
    expect(permissions.lifecycle).toEqual({
      precondition: [
        {
          condition: `\${"${PLACE.accountId}" == ${read}}`,
          error_message:
            "accountId must be the account ID of the role's AWS provider, where IAM makes the role and the policy " +
            `(\${${read}}). Received "${PLACE.accountId}".`,
        },
      ],
    });
    expect(Object.keys(json.data ?? {})).toEqual(["aws_caller_identity", "aws_iam_policy_document"]);
  });
});

describe("PinpointPersonalizeRole without partition, Region and account", () => {
  const stack = testStack();
  const role = new PinpointPersonalizeRole(stack, "Role", IDS);
  const json = synth(stack);
  const partition = Object.keys(blocks(json, "data", "aws_partition"))[0];
  const region = Object.keys(blocks(json, "data", "aws_service"))[0];
  const account = Object.keys(blocks(json, "data", "aws_caller_identity"))[0];
  const prefix =
    `arn:\${data.aws_partition.${partition}.partition}:personalize:\${data.aws_service.${region}.region}:` +
    `\${data.aws_caller_identity.${account}.account_id}`;

  test("reads them from the provider, never hard-coding the aws partition", () => {
    expect(statements(json, "Permissions")).toEqual([
      {
        ...PERMISSIONS_STATEMENT,
        resources: [`${prefix}:solution/my_solution`, `${prefix}:campaign/my-campaign`],
      },
    ]);
    expect(JSON.stringify(json)).not.toContain("arn:aws:");
  });

  test("campaignArn and solutionArn are the granted ARNs", () => {
    expect(rendered(stack, role.solutionArn)).toBe(`${prefix}:solution/my_solution`);
    expect(rendered(stack, role.campaignArn)).toBe(`${prefix}:campaign/my-campaign`);
  });
});

describe("PinpointPersonalizeRole public attributes", () => {
  test("expose the resources, the ARNs and the rendered documents", () => {
    const stack = testStack();
    const role = new PinpointPersonalizeRole(stack, "Role", { ...IDS, ...PLACE });
    expect(role.campaignArn).toBe(`arn:aws:personalize:us-east-1:${ACCOUNT}:campaign/my-campaign`);
    expect(role.solutionArn).toBe(`arn:aws:personalize:us-east-1:${ACCOUNT}:solution/my_solution`);
    expect(role.role).toBeInstanceOf(IamRole);
    expect(role.policy).toBeInstanceOf(IamPolicy);
    expect(role.attachment).toBeInstanceOf(IamRolePolicyAttachment);
    const resolved = (value: string) => rendered(stack, value) as string;
    expect(resolved(role.roleArn)).toMatch(/^\$\{aws_iam_role\.\w+\.arn\}$/);
    expect(resolved(role.roleName)).toMatch(/^\$\{aws_iam_role\.\w+\.name\}$/);
    expect(resolved(role.policyArn)).toMatch(/^\$\{aws_iam_policy\.\w+\.arn\}$/);
    expect(resolved(role.permissionsPolicyJson)).toMatch(
      /^\$\{data\.aws_iam_policy_document\.\w*Permissions\w*\.json\}$/,
    );
    expect(resolved(role.trustPolicyJson)).toMatch(/^\$\{data\.aws_iam_policy_document\.\w*Trust\w*\.json\}$/);
  });
});

describe("PinpointPersonalizeRole props beside others", () => {
  test("keys far from every prop are left alone: an object with more fields is valid TypeScript", () => {
    const stack = testStack();
    // Short fields near a short prop (stage, tags; account, accountId) are no slip.
    const config = { ...IDS, ...PLACE, team: "recs", environment: "prod", stage: "prod", account: "main", reason: "x" };
    const role = new PinpointPersonalizeRole(stack, "Role", config);
    expect(role.campaignArn).toBe(`arn:aws:personalize:us-east-1:${ACCOUNT}:campaign/my-campaign`);
  });

  test("a Lazy that produces nothing for a boolean prop reads as not given, as for the other props", () => {
    const stack = testStack();
    const nothing = Lazy.anyValue({ produce: () => undefined }) as unknown as boolean;
    const role = new PinpointPersonalizeRole(stack, "Role", {
      ...IDS,
      ...PLACE,
      adoptExisting: nothing,
      confusedDeputyProtection: nothing,
    });
    expect(role.importIds).toBeDefined();
    expect(role.role.lifecycle).toBeUndefined();
    const trust = JSON.stringify(only(synth(stack), "data", DataAwsIamPolicyDocument.tfResourceType, "Trust"));
    expect(trust).toContain("aws:SourceAccount");
  });
});

describe("PinpointPersonalizeRole attributes read in another stack", () => {
  test("campaignArn and solutionArn become cross-stack references to the role's stack, as roleArn does", () => {
    const outdir = mkdtempSync(join(tmpdir(), "cdktf-out-"));
    try {
      const app = new App({ outdir });
      const roles = new TerraformStack(app, "roles");
      new AwsProvider(roles, "aws", { region: "us-east-1" });
      const campaign = new TerraformVariable(roles, "campaign", { type: "string" });
      const books = new PinpointPersonalizeRole(roles, "R", { campaignId: campaign.stringValue, solutionId: "s" });
      // Another Region, with a role of the same id: the text of one stack would name the other's blocks.
      const consumer = new TerraformStack(app, "consumer");
      new AwsProvider(consumer, "aws", { region: "eu-west-1" });
      new PinpointPersonalizeRole(consumer, "R", { campaignId: "movies", solutionId: "movies-solution" });
      new TerraformOutput(consumer, "books_campaign_arn", { value: books.campaignArn });
      new TerraformOutput(consumer, "books_solution_arn", { value: books.solutionArn });
      new TerraformOutput(consumer, "books_role_arn", { value: books.roleArn });
      app.synth();
      const read = (name: string) =>
        JSON.parse(readFileSync(join(outdir, "stacks", name, "cdk.tf.json"), "utf8")) as TerraformJson;
      const [own, other] = [read("roles"), read("consumer")];
      const outputs = other.output as Record<string, { value: string }>;
      for (const name of ["books_campaign_arn", "books_solution_arn", "books_role_arn"]) {
        expect([name, outputs[name]?.value]).toEqual([
          name,
          expect.stringMatching(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-roles\.outputs\./),
        ]);
      }
      // The role's stack holds each ARN in a local, and gives it as an output; its blocks read the
      // ARN's text as before.
      const locals = own.locals as Record<string, string>;
      const arnLocals = Object.entries(locals).filter(([name]) => /_(campaignArn|solutionArn)_/.test(name));
      expect(arnLocals.map(([, value]) => value)).toEqual([
        expect.stringMatching(
          /^arn:\$\{data\.aws_partition\.\w+\.partition\}:personalize:.*:campaign\/\$\{local\.R_campaignId_\w+\}$/,
        ),
        expect.stringMatching(/^arn:\$\{data\.aws_partition\.\w+\.partition\}:personalize:.*:solution\/s$/),
      ]);
      const crossOutputs = Object.values(own.output as Record<string, { value: string }>).map((o) => o.value);
      for (const [name] of arnLocals) expect(crossOutputs).toContain(`\${local.${name}}`);
      const permissions = only(own, "data", DataAwsIamPolicyDocument.tfResourceType, "Permissions");
      expect(JSON.stringify(permissions)).not.toContain("_campaignArn_");
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  test("in the role's own stack, a function of campaignArn reads it as an HCL template string", () => {
    const stack = testStack();
    const campaign = new TerraformVariable(stack, "campaign", { type: "string" });
    const role = new PinpointPersonalizeRole(stack, "R", { campaignId: campaign.stringValue, solutionId: "s" });
    expect(rendered(stack, Fn.upper(role.campaignArn))).toMatch(
      /^\$\{upper\("arn:\$\{data\.aws_partition\.\w+\.partition\}:personalize:.*:campaign\/\$\{local\.R_campaignId_\w+\}"\)\}$/,
    );
    expect(rendered(stack, role.campaignArn)).toMatch(/^arn:\$\{data\.aws_partition\.\w+\.partition\}:/);
  });

  test("a role whose ARNs are literal gives them as text, in any stack", () => {
    const stack = testStack();
    const role = new PinpointPersonalizeRole(stack, "Role", { ...IDS, ...PLACE });
    expect(Token.isUnresolved(role.campaignArn)).toBe(false);
    expect(Token.isUnresolved(role.solutionArn)).toBe(false);
  });
});

describe("PinpointPersonalizeRole trust options", () => {
  test("pinpointApplicationIds narrows aws:SourceArn to those projects", () => {
    const json = synthRole({ pinpointApplicationIds: ["abc123", "def456"] });
    expect(statements(json, "Trust")).toEqual([
      trustStatement([
        `arn:aws:mobiletargeting:us-east-1:${ACCOUNT}:apps/abc123`,
        `arn:aws:mobiletargeting:us-east-1:${ACCOUNT}:apps/def456`,
      ]),
    ]);
  });

  test("an empty pinpointApplicationIds keeps every project of the account", () => {
    const json = synthRole({ pinpointApplicationIds: [] });
    expect(statements(json, "Trust")).toEqual([
      trustStatement([`arn:aws:mobiletargeting:us-east-1:${ACCOUNT}:apps/*`]),
    ]);
  });

  test("trustedSourceArns replaces the accepted source ARNs", () => {
    const recommenders = `arn:aws:mobiletargeting:us-east-1:${ACCOUNT}:recommenders/*`;
    const json = synthRole({ trustedSourceArns: [recommenders] });
    expect(statements(json, "Trust")).toEqual([trustStatement([recommenders])]);
  });

  test("confusedDeputyProtection: false gives the console's unconditioned trust policy", () => {
    const json = synthRole({ confusedDeputyProtection: false });
    expect(statements(json, "Trust")).toEqual([
      {
        effect: "Allow",
        actions: ["sts:AssumeRole"],
        principals: [{ type: "Service", identifiers: ["pinpoint.amazonaws.com"] }],
      },
    ]);
  });

  test("token lists become one Terraform expression that picks the first non-empty list, null read as empty", () => {
    const stack = testStack();
    const apps = new TerraformLocal(stack, "apps", ["abc123"]);
    new PinpointPersonalizeRole(stack, "Role", { ...IDS, ...PLACE, pinpointApplicationIds: apps.asList });
    const json = synth(stack);
    const [statement] = statements(json, "Trust") as Block[];
    const [name, value] =
      Object.entries(json.locals ?? {}).find(([n]) => n.startsWith("Role_pinpointApplicationIds")) ?? [];
    expect(value).toBe("${local.apps}");
    expect((statement?.condition as Block[])[1]).toEqual({
      test: "ArnLike",
      variable: "aws:SourceArn",
      values:
        `\${coalescelist(tolist([]), [for app in (local.${name} == null ? tolist([]) : tolist(local.${name})) : ` +
        `"arn:aws:mobiletargeting:us-east-1:${ACCOUNT}:apps/\${app}"], ["arn:aws:mobiletargeting:us-east-1:${ACCOUNT}:apps/*"])}`,
    });
  });
});

describe("PinpointPersonalizeRole names and settings", () => {
  test("every role and policy setting reaches its resource", () => {
    const json = synthRole({
      roleName: "role-a",
      rolePath: "/pinpoint/",
      roleDescription: "Lets Pinpoint read recommendations",
      maxSessionDuration: 7200,
      permissionsBoundary: `arn:aws:iam::${ACCOUNT}:policy/boundary`,
      policyName: "policy-a",
      policyPath: "/pinpoint/",
      policyDescription: "Reads one campaign",
      tags: { team: "growth", "cost-center": "42" },
    });
    expect(only(json, "resource", IamRole.tfResourceType)).toEqual(
      expect.objectContaining({
        name: "role-a",
        path: "/pinpoint/",
        description: "Lets Pinpoint read recommendations",
        max_session_duration: 7200,
        permissions_boundary: `arn:aws:iam::${ACCOUNT}:policy/boundary`,
        tags: { team: "growth", "cost-center": "42" },
      }),
    );
    expect(only(json, "resource", IamPolicy.tfResourceType)).toEqual(
      expect.objectContaining({
        name: "policy-a",
        path: "/pinpoint/",
        description: "Reads one campaign",
        tags: { team: "growth", "cost-center": "42" },
      }),
    );
  });

  test("name prefixes replace the names", () => {
    const json = synthRole({ roleNamePrefix: "pinpoint-", policyNamePrefix: "recs-" });
    const role = only(json, "resource", IamRole.tfResourceType);
    const policy = only(json, "resource", IamPolicy.tfResourceType);
    expect([role.name, role.name_prefix]).toEqual([undefined, "pinpoint-"]);
    expect([policy.name, policy.name_prefix]).toEqual([undefined, "recs-"]);
  });
});

describe("PinpointPersonalizeRole with values that hold tokens", () => {
  /** The role's local for a prop, and the permissions document's checks that read it. */
  function bound(props: (token: string) => Partial<PinpointPersonalizeRoleProps>, prop: string) {
    const stack = testStack();
    const token = new TerraformLocal(stack, "token", "value").asString;
    new PinpointPersonalizeRole(stack, "Role", { ...IDS, ...PLACE, ...props(token) });
    const json = synth(stack);
    const [name, value] = Object.entries(json.locals ?? {}).find(([n]) => n.startsWith(`Role_${prop}_`)) ?? [];
    const permissions = only(json, "data", DataAwsIamPolicyDocument.tfResourceType, "Permissions");
    const checks = ((permissions.lifecycle as Block | undefined)?.precondition ?? []) as Block[];
    // The prop's own checks (the provider's account ID, read when the prop is null, reads the local too).
    const own = (c: Block) =>
      JSON.stringify(c.condition).includes(`local.${name}`) && !/AWS provider/.test(c.error_message as string);
    return { json, name, value, checks: checks.filter(own), all: checks };
  }

  test("token IDs are checked by preconditions of the permissions document, with the same rule and wording", () => {
    const { json, name, value, checks } = bound((t) => ({ campaignId: t }), "campaignId");
    expect(value).toBe("${local.token}");
    expect(checks.map((c) => (c.error_message as string).replace(/ Received .*$/, ""))).toEqual([
      'campaignId must be the campaign name (the part after "campaign/" in its ARN), not an ARN.',
      "campaignId must be an Amazon Personalize campaign name: 1-63 characters, only letters, digits, '-' and '_', " +
        "starting with a letter or digit.",
    ]);
    expect(checks[1]?.condition).toBe(
      `\${local.${name} == null ? false : try(length(regexall("(?s).", local.${name})) >= 1 && ` +
        `length(regexall("(?s).", local.${name})) <= 63 && can(regex("^[a-zA-Z0-9][a-zA-Z0-9_-]*$", local.${name})), false)}`,
    );
    // The ARN reads the same local.
    expect((statements(json, "Permissions")[0] as Block | undefined)?.resources).toContain(
      `arn:aws:personalize:us-east-1:${ACCOUNT}:campaign/\${local.${name}}`,
    );
  });

  test.each([
    ["text joined with a token", (t: string) => ({ campaignId: `${t}*` }), "campaignId", "${local.token}*"],
    [
      "a list element",
      (t: string) => ({ pinpointApplicationIds: ["abc123", t] }),
      "pinpointApplicationIds",
      ["abc123", "${local.token}"],
    ],
    ["a tag key", (t: string) => ({ tags: { [`AWS:${t}`]: "v" } }), "tags", { "AWS:${local.token}": "v" }],
    ["a tag value", (t: string) => ({ tags: { team: t } }), "tags", { team: "${local.token}" }],
    ["an account ID", (t: string) => ({ accountId: `${t}1234567890123` }), "accountId", "${local.token}1234567890123"],
  ])(
    "%s is accepted when the app runs, bound to one local and checked by Terraform",
    (_name, props, prop, expected) => {
      const { value, checks } = bound(props, prop);
      expect(value).toEqual(expected);
      expect(checks.length).toBeGreaterThan(0);
      expect(
        checks.every((c) =>
          new RegExp(`^(each of |each entry of |the number of |the keys of )?${prop} `).test(c.error_message as string),
        ),
      ).toBe(true);
    },
  );
});

describe("what the role's AWS provider gives (partition, Region, account ID) is checked by the props' rules", () => {
  const providerChecks = (props: Partial<PinpointPersonalizeRoleProps>) => {
    const stack = testStack();
    new PinpointPersonalizeRole(stack, "Role", { ...IDS, ...props });
    const permissions = only(synth(stack), "data", DataAwsIamPolicyDocument.tfResourceType, "Permissions");
    return (((permissions.lifecycle as Block | undefined)?.precondition ?? []) as Block[]).filter((c) =>
      /AWS provider/.test(c.error_message as string),
    );
  };

  test("read from data sources, each value must follow its prop's rule, and null fails", () => {
    const checks = providerChecks({});
    expect(checks.map((c) => (c.error_message as string).replace(/ Received .*$/, ""))).toEqual([
      "the partition of the role's AWS provider must be an AWS partition such as aws, aws-cn or aws-us-gov.",
      "the Region of the role's AWS provider must be an AWS Region code such as us-east-1.",
      "the account ID of the role's AWS provider must be a 12-digit AWS account ID.",
    ]);
    const region = "data.aws_service.PinpointPersonalizeRegion.region";
    expect(checks[1]?.condition).toBe(
      `\${${region} == null ? false : try(length(regexall("(?s).", ${region})) >= 1 && ` +
        `length(regexall("(?s).", ${region})) <= 32 && can(regex("^[a-z]{2,}(-[a-z]+)+-[0-9]+$", ${region})), false)}`,
    );
  });

  test("given as literals, the partition and Region are not read, and the account is compared with the provider's", () => {
    expect(providerChecks(PLACE).map((c) => c.error_message)).toEqual([
      expect.stringMatching(/^accountId must be the account ID of the role's AWS provider, where IAM makes the role/),
    ]);
  });

  test("a prop that holds a token is the value; the provider's is checked only where the token is null", () => {
    const stack = testStack();
    const token = new TerraformLocal(stack, "token", "eu-west-1").asString;
    new PinpointPersonalizeRole(stack, "Role", { ...IDS, region: token });
    const json = synth(stack);
    const [name] = Object.keys(json.locals ?? {}).filter((n) => n.startsWith("Role_region_"));
    const permissions = only(json, "data", DataAwsIamPolicyDocument.tfResourceType, "Permissions");
    const checks = ((permissions.lifecycle as Block | undefined)?.precondition ?? []) as Block[];
    const x = `(local.${name} == null ? data.aws_service.PinpointPersonalizeRegion.region : null)`;
    const region = checks.filter((c) => /the Region of the role's AWS provider/.test(c.error_message as string));
    expect(region).toHaveLength(1);
    expect(region[0]?.condition).toMatch(new RegExp(`^\\$\\{${escape(x)} == null \\? true : `));
  });
});

describe("PinpointPersonalizeRole refuses literal input that breaks an AWS rule", () => {
  const cases: [string, Partial<PinpointPersonalizeRoleProps>, RegExp][] = [
    [
      "a wildcard campaign",
      { campaignId: "*" },
      /^campaignId must be an Amazon Personalize campaign name: 1-63 characters.*Received "\*"\.$/,
    ],
    [
      "a ? wildcard",
      { campaignId: "camp?ign" },
      /^campaignId must be an Amazon Personalize campaign name.*Received "camp\?ign"\.$/,
    ],
    [
      "a wildcard solution",
      { solutionId: "sol*" },
      /^solutionId must be an Amazon Personalize solution name.*Received "sol\*"\.$/,
    ],
    ["a slash", { campaignId: "a/b" }, /^campaignId must be .*Received "a\/b"\.$/],
    ["a colon", { solutionId: "a:b" }, /^solutionId must be .*Received "a:b"\.$/],
    ["whitespace", { campaignId: "my campaign" }, /^campaignId must be .*Received "my campaign"\.$/],
    ["an empty string", { campaignId: "" }, /^campaignId must be .*Received ""\.$/],
    ["64 characters", { campaignId: "a".repeat(64) }, /^campaignId must be .*1-63 characters.*Received "a{64}"\.$/],
    ["non-ASCII", { solutionId: "solución" }, /^solutionId must be .*Received "solución"\.$/],
    ["template syntax", { campaignId: "${var.x}" }, /^campaignId must be .*Received "\$\{var\.x\}"\.$/],
    [
      "a template directive",
      { solutionId: "%{if true}x%{endif}" },
      /^solutionId must be .*Received "%\{if true\}x%\{endif\}"\.$/,
    ],
    ["a leading hyphen", { campaignId: "-camp" }, /^campaignId must be .*starting with a letter or digit/],
    [
      "a campaign ARN",
      { campaignId: "arn:aws:personalize:us-east-1:111122223333:campaign/my-campaign" },
      /^campaignId must be the campaign name \(the part after "campaign\/" in its ARN\), not an ARN\. Received "arn:aws:personalize:.*"\.$/,
    ],
    [
      "a solution ARN",
      { solutionId: "arn:aws:personalize:us-east-1:111122223333:solution/s" },
      /^solutionId must be the solution name \(the part after "solution\/" in its ARN\), not an ARN\./,
    ],
    ["a wildcard account", { accountId: "*" }, /^accountId must be a 12-digit AWS account ID\. Received "\*"\.$/],
    ["a wildcard Region", { region: "*" }, /^region must be an AWS Region code such as us-east-1\. Received "\*"\.$/],
    ["a wildcard partition", { partition: "aws*" }, /^partition must be an AWS partition.*Received "aws\*"\.$/],
    [
      "a wildcard project",
      { pinpointApplicationIds: ["abc", "*"] },
      /^each of pinpointApplicationIds must be an Amazon Pinpoint project ID.*Received \["\*"\]\.$/,
    ],
    [
      "a source ARN of every account",
      { trustedSourceArns: ["arn:aws:mobiletargeting:us-east-1:*:apps/*"] },
      /^each of trustedSourceArns must be an Amazon Pinpoint ARN in one Region and account.*Received \["arn:aws:mobiletargeting:us-east-1:\*:apps\/\*"\]\.$/,
    ],
    [
      "a source ARN of another service",
      { trustedSourceArns: [`arn:aws:s3:::bucket`] },
      /^each of trustedSourceArns must be/,
    ],
    ["a bare wildcard source ARN", { trustedSourceArns: ["*"] }, /^each of trustedSourceArns must be/],
    [
      "a 65-character role name",
      { roleName: "r".repeat(65) },
      /^roleName must be an IAM role name: 1-64 characters.*Received "r{65}"\.$/,
    ],
    ["a role name with a space", { roleName: "my role" }, /^roleName must be an IAM role name/],
    [
      "a 39-character role name prefix",
      { roleNamePrefix: "p".repeat(39) },
      /^roleNamePrefix must be an IAM role name prefix: 1-38 characters/,
    ],
    [
      "a 129-character policy name",
      { policyName: "p".repeat(129) },
      /^policyName must be an IAM policy name: 1-128 characters/,
    ],
    [
      "a 103-character policy name prefix",
      { policyNamePrefix: "p".repeat(103) },
      /^policyNamePrefix must be an IAM policy name prefix: 1-102/,
    ],
    [
      "a role path without slashes",
      { rolePath: "pinpoint" },
      /^rolePath must be an IAM role path.*Received "pinpoint"\.$/,
    ],
    ["a policy path with a space", { policyPath: "/a b/" }, /^policyPath must be an IAM policy path/],
    [
      "a long role description",
      { roleDescription: "d".repeat(1001) },
      /^roleDescription must be an IAM role description: at most 1000/,
    ],
    [
      "a long policy description",
      { policyDescription: "d".repeat(1001) },
      /^policyDescription must be an IAM policy description: at most 1000/,
    ],
    [
      "a short session",
      { maxSessionDuration: 3599 },
      /^maxSessionDuration must be a whole number of seconds from 3600 to 43200.*Received 3599\.$/,
    ],
    ["a long session", { maxSessionDuration: 43201 }, /^maxSessionDuration must be .*Received 43201\.$/],
    ["a fractional session", { maxSessionDuration: 3600.5 }, /^maxSessionDuration must be .*Received 3600\.5\.$/],
    [
      "a boundary that is not a policy ARN",
      { permissionsBoundary: "arn:aws:iam::111122223333:role/x" },
      /^permissionsBoundary must be an IAM managed policy ARN/,
    ],
    [
      "51 tags",
      { tags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"])) },
      /^the number of tags must be at most 50\. Received 51\.$/,
    ],
    [
      "a tag with template syntax",
      { tags: { team: "${x}" } },
      /^each entry of tags must be an IAM tag key.*Received \{"team":"\$\{x\}"\}\.$/,
    ],
    ["an empty tag key", { tags: { "": "v" } }, /^each entry of tags must be/],
    [
      "a role name and a prefix",
      { roleName: "a", roleNamePrefix: "b" },
      /^roleName conflicts with roleNamePrefix: set one or the other, not both\.$/,
    ],
    [
      "a policy name and a prefix",
      { policyName: "a", policyNamePrefix: "b" },
      /^policyName conflicts with policyNamePrefix/,
    ],
    [
      "projects and source ARNs",
      { pinpointApplicationIds: ["abc"], trustedSourceArns: [`arn:aws:mobiletargeting:us-east-1:${ACCOUNT}:apps/*`] },
      /^pinpointApplicationIds conflicts with trustedSourceArns/,
    ],
    [
      "a tag key in IAM's reserved prefix",
      { tags: { "aws:team": "a" } },
      /^each entry of tags must be .*not starting with aws: in any letter case.*Received \{"aws:team":"a"\}\.$/,
    ],
    ["a tag value in the reserved prefix, in capitals", { tags: { team: "AWS:a" } }, /^each entry of tags must be /],
    [
      "tag keys that differ only in letter case",
      { tags: { Team: "a", team: "b" } },
      /^the keys of tags must be distinct ignoring letter case \(IAM compares a role's tag keys case-insensitively: "Duplicate tag keys found"\)\. Received \["Team","team"\]\.$/,
    ],
    [
      "a role description over hashicorp/aws's 1000 bytes",
      { roleDescription: "é".repeat(501) },
      /^roleDescription must be an IAM role description: .*at most 1000 bytes of UTF-8/,
    ],
    [
      "a boundary whose policy name IAM cannot hold",
      { permissionsBoundary: "arn:aws:iam::111122223333:policy/a*" },
      /^permissionsBoundary must be an IAM managed policy ARN/,
    ],
    [
      "a source ARN of another account than the role's",
      { trustedSourceArns: ["arn:aws:mobiletargeting:us-east-1:444455556666:apps/*"] },
      /^each of trustedSourceArns must be an ARN of the role's own partition, Region and account .*Received \["arn:aws:mobiletargeting:us-east-1:444455556666:apps\/\*"\]\.$/,
    ],
    [
      "a source ARN of another Region than the role's",
      { trustedSourceArns: ["arn:aws:mobiletargeting:eu-west-1:111122223333:apps/*"] },
      /^each of trustedSourceArns must be an ARN of the role's own partition, Region and account/,
    ],
    [
      "tag keys that differ only in letter case as Terraform's lower() compares them (Σ and final σ)",
      { tags: { ασ: "a", ΑΣ: "b" } },
      /^the keys of tags must be distinct ignoring letter case .*Received \["ασ","ΑΣ"\]\.$/,
    ],
    [
      "tag keys İd and id, one key to Terraform's lower()",
      { tags: { İd: "a", id: "b" } },
      /^the keys of tags must be distinct/,
    ],
    [
      "a campaign left out (JavaScript, or a cast)",
      { campaignId: undefined },
      /^campaignId is required: an Amazon Personalize campaign name: .*Received undefined\.$/,
    ],
    [
      "a campaign given as null (JavaScript, or a cast)",
      { campaignId: null as unknown as string },
      /^campaignId is required: .*Received null\.$/,
    ],
    [
      "a null element in a literal list (JavaScript, or a cast)",
      { trustedSourceArns: [`arn:aws:mobiletargeting:us-east-1:${ACCOUNT}:apps/*`, null as unknown as string] },
      /^each of trustedSourceArns must be an Amazon Pinpoint ARN .*Received \[null\]\.$/,
    ],
    [
      "a provider that is not AWS's",
      (() => {
        class RandomProvider extends TerraformProvider {
          constructor(scope: Construct) {
            super(scope, "random", { terraformResourceType: "random", terraformProviderSource: "hashicorp/random" });
          }
        }
        return { provider: new RandomProvider(new TerraformStack(Testing.app(), "other")) };
      })(),
      /^provider must be an AWS provider of the role's stack \(an AwsProvider object\)\. Received "random"\.$/,
    ],
    [
      "tags as a Map, whose entries JSON would drop",
      { tags: new Map([["team", "recs"]]) } as unknown as Partial<PinpointPersonalizeRoleProps>,
      /^tags must be a map of tag keys to tag values \(an object of strings\)\. Received a Map of 1 entries\.$/,
    ],
    [
      "tags as a Date",
      { tags: new Date(0) } as unknown as Partial<PinpointPersonalizeRoleProps>,
      /^tags must be a map of tag keys to tag values \(an object of strings\)\. Received "1970-01-01T00:00:00\.000Z"\.$/,
    ],
    [
      "a BigInt session, which JSON cannot show",
      { maxSessionDuration: BigInt(7200) } as unknown as Partial<PinpointPersonalizeRoleProps>,
      /^maxSessionDuration must be a whole number of seconds from 3600 to 43200 \(1 to 12 hours\)\. Received 7200n\.$/,
    ],
    [
      "adoptExisting as a Terraform variable's boolean, shown as a token (not its toJSON text)",
      {
        adoptExisting: new TerraformVariable(new TerraformStack(Testing.app(), "vars"), "adopt", { type: "bool" })
          .booleanValue,
      } as unknown as Partial<PinpointPersonalizeRoleProps>,
      /^adoptExisting must be true or false when the app runs: .*Received "\$\{…\}"\.$/,
    ],
    [
      'a Lazy that produces the text "false" as adoptExisting, shown as what it produces (not as a plan-time token)',
      {
        adoptExisting: Lazy.anyValue({ produce: () => "false" }),
      } as unknown as Partial<PinpointPersonalizeRoleProps>,
      /^adoptExisting must be true or false \(a boolean\)\. Received "false"\.$/,
    ],
    [
      "a key one letter short of a prop (pinpointApplicationId), which would leave the trust open to every project",
      { pinpointApplicationId: "0123456789abcdef0123456789abcdef" } as unknown as Partial<PinpointPersonalizeRoleProps>,
      /^pinpointApplicationId is not a prop of PinpointPersonalizeRoleProps: did you mean pinpointApplicationIds\? .*Received pinpointApplicationId: "0123456789abcdef0123456789abcdef"\.$/,
    ],
    [
      "a key in another letter case (pinpointApplicationIDs)",
      {
        pinpointApplicationIDs: ["0123456789abcdef0123456789abcdef"],
      } as unknown as Partial<PinpointPersonalizeRoleProps>,
      /^pinpointApplicationIDs is not a prop of PinpointPersonalizeRoleProps: did you mean pinpointApplicationIds\?/,
    ],
    [
      "a key two letters off a long prop (trustedSoruceArns)",
      {
        trustedSoruceArns: ["arn:aws:mobiletargeting:us-east-1:111122223333:apps/*"],
      } as unknown as Partial<PinpointPersonalizeRoleProps>,
      /^trustedSoruceArns is not a prop of PinpointPersonalizeRoleProps: did you mean trustedSourceArns\?/,
    ],
    [
      "a key in snake case (trusted_source_arns)",
      {
        trusted_source_arns: ["arn:aws:mobiletargeting:us-east-1:111122223333:apps/*"],
      } as unknown as Partial<PinpointPersonalizeRoleProps>,
      /^trusted_source_arns is not a prop of PinpointPersonalizeRoleProps: did you mean trustedSourceArns\?/,
    ],
    [
      "NaN as the session, which JSON shows as null",
      { maxSessionDuration: NaN },
      /^maxSessionDuration must be a whole number of seconds from 3600 to 43200 \(1 to 12 hours\)\. Received NaN\.$/,
    ],
    [
      "a Boolean object, which reads as false in JSON but is an object",
      { confusedDeputyProtection: new Boolean(false) } as unknown as Partial<PinpointPersonalizeRoleProps>,
      /^confusedDeputyProtection must be true or false \(a boolean\)\. Received new Boolean\(false\)\.$/,
    ],
    [
      "a String object as the campaign",
      { campaignId: new String("books") } as unknown as Partial<PinpointPersonalizeRoleProps>,
      /^campaignId must be an Amazon Personalize campaign name: .*Received new String\("books"\)\.$/,
    ],
    [
      "a list with a hole (JavaScript's [, x]), which filter and map would skip",
      // eslint-disable-next-line no-sparse-arrays
      { pinpointApplicationIds: [, "abc"] as unknown as string[] },
      /^each of pinpointApplicationIds must be an Amazon Pinpoint project ID: .*Received \[undefined\]\.$/,
    ],
    [
      "a TerraformLocal object as adoptExisting (not its asBoolean), shown by its path",
      {
        adoptExisting: new TerraformLocal(new TerraformStack(Testing.app(), "locals"), "adopt", false),
      } as unknown as Partial<PinpointPersonalizeRoleProps>,
      /^adoptExisting must be true or false \(a boolean\)\. Received the TerraformLocal locals\/adopt\.$/,
    ],
    [
      "a Symbol in a list, which JSON shows as null",
      { pinpointApplicationIds: [Symbol("abc")] as unknown as string[] },
      /^each of pinpointApplicationIds must be an Amazon Pinpoint project ID: .*Received \[Symbol\(abc\)\]\.$/,
    ],
    [
      "tags as an object of a class, whose fields JSON shows as a plain object's",
      {
        tags: new (class Tags {
          team = "recs";
        })(),
      } as unknown as Partial<PinpointPersonalizeRoleProps>,
      /^tags must be a map of tag keys to tag values \(an object of strings\)\. Received a Tags object \{"team":"recs"\}\.$/,
    ],
    [
      "a tag keyed __proto__ (from JSON.parse), which cdktf's JSON drops",
      { tags: JSON.parse('{"__proto__":"x","team":"recs"}') as Record<string, string> },
      /^the keys of tags must be other than "__proto__", which cdktf leaves out of the synthesized JSON\. Received \["__proto__","team"\]\.$/,
    ],
    [
      "a circular object as the Region",
      (() => {
        const region: Record<string, unknown> = {};
        region.self = region;
        return { region } as unknown as Partial<PinpointPersonalizeRoleProps>;
      })(),
      /^region must be an AWS Region code such as us-east-1\. Received \[object Object\]\.$/,
    ],
    [
      "a list token inside text",
      // What `${Fn.split(...)}` in a template makes.
      { roleDescription: `Recommendations for ${String(Fn.split(",", "a,b"))}` },
      /^roleDescription must be an IAM role description: .* \(a list or map token, such as Fn.split's, cannot be part of text/,
    ],
    [
      "a list token inside a project ID",
      { pinpointApplicationIds: ["abc", `app${String(Fn.split(",", "a,b"))}`] },
      /^each of pinpointApplicationIds must be an Amazon Pinpoint project ID: .* \(a list or map token.*Received \["app\$\{…\}"\]\.$/,
    ],
    [
      "projects without the conditions they narrow",
      { pinpointApplicationIds: ["abc"], confusedDeputyProtection: false },
      /^pinpointApplicationIds narrows the trust policy's aws:SourceArn condition, which confusedDeputyProtection: false removes/,
    ],
  ];

  test.each(cases)("%s", (_name, props, message) => {
    const stack = testStack();
    // The message names the construct that refused the prop, then the prop, the rule and the value.
    const withPath = new RegExp(message.source.replace(/^\^/, "^test\\/Role: "));
    expect(() => new PinpointPersonalizeRole(stack, "Role", { ...IDS, ...PLACE, ...props })).toThrow(withPath);
    // A plain Error, as jsii carries it to the other languages: no subclass of the library's.
    let thrown: unknown;
    try {
      new PinpointPersonalizeRole(stack, "Role", { ...IDS, ...PLACE, ...props });
    } catch (error) {
      thrown = error;
    }
    expect(Object.getPrototypeOf(thrown)).toBe(Error.prototype);
    // Nothing was added to the stack.
    expect(stack.node.children.map((c) => c.node.id)).toEqual(["aws"]);
  });

  test.each([
    ["1-character names", { campaignId: "a", solutionId: "0" }],
    ["63-character names with - and _", { campaignId: `a${"-_".repeat(31)}`, solutionId: "Z".repeat(63) }],
    ["64-character role and 128-character policy names", { roleName: "r".repeat(64), policyName: "p".repeat(128) }],
    ["IAM's punctuation in names", { roleName: "a+=,.@_-b", policyName: "a+=,.@_-b" }],
    ["a nested path", { rolePath: "/a/b/", policyPath: "/a/b/" }],
    [
      "the European Sovereign Cloud's Region and partition",
      {
        region: "eusc-de-east-1",
        partition: "aws-eusc",
        trustedSourceArns: [`arn:aws-eusc:mobiletargeting:eusc-de-east-1:${ACCOUNT}:apps/*`],
      },
    ],
    ["the session limits", { maxSessionDuration: 43200 }],
    ["50 tags", { tags: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k ${i}`, "v:/=+@-._"])) }],
    ["a GovCloud place", { partition: "aws-us-gov", region: "us-gov-west-1" }],
    ["tag keys and values with aws inside, not as a prefix", { tags: { "team-aws:": "my aws: x", awsTeam: "aws" } }],
    // Terraform sends the NFC form: "e" and a combining acute accent are one "é", a Latin-1 letter.
    ["a decomposed é in a role description", { roleDescription: "Caf" + "e\u0301" }],
    [
      "1000 decomposed é in a policy description: 1000 characters once normalized",
      { policyDescription: "e\u0301".repeat(1000) },
    ],
    ["500 two-byte letters in a role description", { roleDescription: "é".repeat(500) }],
    [
      "optional props given as null (JavaScript, or a cast): not given",
      { roleName: null, tags: null, trustedSourceArns: null } as unknown as Partial<PinpointPersonalizeRoleProps>,
    ],
  ] as [string, Partial<PinpointPersonalizeRoleProps>][])("accepts %s", (_name, props) => {
    expect(() => synthRole(props)).not.toThrow();
  });
});

describe("PinpointPersonalizeRole name collisions", () => {
  function twoRoles(
    a: Partial<PinpointPersonalizeRoleProps>,
    b: Partial<PinpointPersonalizeRoleProps>,
  ): TerraformStack {
    const stack = testStack();
    new PinpointPersonalizeRole(stack, "A", { ...IDS, ...PLACE, ...a });
    new PinpointPersonalizeRole(stack, "B", { ...IDS, ...PLACE, ...b });
    return stack;
  }

  test("two roles with the default names fail synth, naming both constructs", () => {
    expect(() => synth(twoRoles({}, {}))).toThrow(
      /test\/A and test\/B all name their IAM role "PinpointRoleforPersonalize" in the same account \(the same provider or the same accountId\); IAM role names are unique per account/,
    );
  });

  test("a Lazy name is compared by the value it produces at synth; a Lazy prefix that produces nothing reads as not given", () => {
    const lazy = (value: string | undefined) => Lazy.stringValue({ produce: () => value });
    expect(() =>
      synth(twoRoles({}, { roleName: lazy("pinpointroleforpersonalize"), policyName: lazy("other") })),
    ).toThrow(/test\/A and test\/B all name their IAM role "PinpointRoleforPersonalize" in the same account/);
    expect(() => synth(twoRoles({}, { roleNamePrefix: lazy(undefined), policyName: lazy("other") }))).toThrow(
      /all name their IAM role "PinpointRoleforPersonalize"/,
    );
    // A Lazy that produces another name, or a name prefix, collides with nothing.
    const stack = twoRoles({}, { roleName: lazy("other"), policyNamePrefix: lazy("p-") });
    expect(Object.keys(blocks(synth(stack), "resource", IamRole.tfResourceType))).toHaveLength(2);
  });

  test('a number token that resolves to text Terraform converts ("7200") is that number at synth, as at plan', () => {
    const withDuration = (text: string) => {
      const stack = testStack();
      new PinpointPersonalizeRole(stack, "Role", { ...IDS, maxSessionDuration: Token.asNumber(text) });
      return stack;
    };
    // Accepted, and bound to a local as every token is (Terraform converts the text to the number).
    for (const text of ["7200", "+7200", "7200.", ".72e4"]) {
      const json = synth(withDuration(text));
      const [local] = Object.entries(json.locals ?? {}).filter(([n]) => n.startsWith("Role_maxSessionDuration_"));
      expect(local?.[1]).toBe(text);
    }
    expect(() => synth(withDuration("99"))).toThrow(
      /\[test\/Role\] maxSessionDuration must be a whole number of seconds from 3600 to 43200 \(1 to 12 hours\)\. Received 99\./,
    );
  });

  test("a Lazy list that holds nothing narrows nothing beside confusedDeputyProtection: false; one that holds an ID at synth is refused", () => {
    const withList = (produce: () => string[] | undefined) => {
      const stack = testStack();
      new PinpointPersonalizeRole(stack, "Role", {
        ...IDS,
        confusedDeputyProtection: false,
        pinpointApplicationIds: Lazy.listValue({ produce }),
      });
      return stack;
    };
    expect(() => synth(withList(() => []))).not.toThrow();
    expect(() => synth(withList(() => undefined))).not.toThrow();
    let ids: string[] = [];
    const later = withList(() => ids);
    ids = ["abc123"];
    expect(() => synth(later)).toThrow(
      /\[test\/Role\] pinpointApplicationIds narrows the trust policy's aws:SourceArn condition, which confusedDeputyProtection: false removes/,
    );
  });

  test("adoptExisting checks, on the attachment, what the import would keep; a role made anew has no such checks", () => {
    const attachment = (adoptExisting: boolean) =>
      only(synthRole({ ...PLACE, adoptExisting }), "resource", IamRolePolicyAttachment.tfResourceType);
    const checks = (attachment(true).lifecycle as { precondition: { condition: string; error_message: string }[] })
      .precondition;
    expect(checks.map((c) => c.error_message.split(":")[0])).toEqual([
      "adoptExisting",
      "adoptExisting",
      "adoptExisting",
    ]);
    expect(checks.map((c) => c.condition).join(" ")).toMatch(
      /lookup\(aws_iam_role\.\w+, "managed_policy_arns", null\)/,
    );
    expect(checks.map((c) => c.condition).join(" ")).toMatch(/lookup\(aws_iam_role\.\w+, "inline_policy", null\)/);
    expect(checks.map((c) => c.condition).join(" ")).toMatch(/aws_iam_policy\.\w+\.attachment_count/);
    expect(attachment(false).lifecycle).toBeUndefined();
  });

  test("a number token followed by digits in text keeps its variable, and the digits as text", () => {
    const stack = testStack();
    const n = new TerraformVariable(stack, "n", { type: "number", default: 7 }).numberValue;
    new PinpointPersonalizeRole(stack, "Role", { ...IDS, campaignId: `books${n}1`, roleName: `Role${n}25` });
    const locals = Object.entries(synth(stack).locals ?? {});
    expect(locals.find(([name]) => name.startsWith("Role_campaignId_"))?.[1]).toBe("books${var.n}1");
    expect(locals.find(([name]) => name.startsWith("Role_roleName_"))?.[1]).toBe("Role${var.n}25");
  });

  test("Lazy values that conflict at synth are refused in the library's words, as literal ones are when the role is made", () => {
    const lazy = (value: string | undefined) => Lazy.stringValue({ produce: () => value });
    const withProps = (props: Partial<PinpointPersonalizeRoleProps>) => {
      const stack = testStack();
      new PinpointPersonalizeRole(stack, "Role", { ...IDS, ...PLACE, ...props });
      return stack;
    };
    // hashicorp/aws refused the first at plan ("conflicts with name_prefix"); Terraform the second
    // at import ("The import ID cannot be null").
    expect(() => synth(withProps({ roleName: lazy("r"), roleNamePrefix: lazy("p-") }))).toThrow(
      /\[test\/Role\] roleName conflicts with roleNamePrefix: set one or the other, not both\./,
    );
    expect(() => synth(withProps({ adoptExisting: true, policyNamePrefix: lazy("p-") }))).toThrow(
      /\[test\/Role\] adoptExisting must be false with policyNamePrefix: a generated name belongs to no existing resource\./,
    );
    expect(() =>
      synth(
        withProps({
          pinpointApplicationIds: Lazy.listValue({ produce: () => ["abc"] }),
          trustedSourceArns: Lazy.listValue({
            produce: () => [`arn:aws:mobiletargeting:us-east-1:${PLACE.accountId}:apps/abc`],
          }),
        }),
      ),
    ).toThrow(/pinpointApplicationIds conflicts with trustedSourceArns/);
    // A Lazy that produces nothing is not given: no conflict.
    for (const props of [
      { roleName: lazy("r"), roleNamePrefix: lazy(undefined) },
      { adoptExisting: true, roleName: lazy("r"), policyNamePrefix: lazy(undefined) },
      { adoptExisting: Lazy.anyValue({ produce: () => false }) as unknown as boolean, roleNamePrefix: lazy("p-") },
    ]) {
      expect(() => synth(withProps(props))).not.toThrow();
    }
  });

  test("IAM names are compared case-insensitively", () => {
    expect(() => synth(twoRoles({ roleName: "x", policyName: "P" }, { roleName: "y", policyName: "p" }))).toThrow(
      /all name their IAM policy "P"/,
    );
  });

  test("roles of two providers may share AWS's default names: IAM names are unique per account, not per stack", () => {
    const stack = testStack();
    const other = new AwsProvider(stack, "other", { alias: "other", region: "us-east-1" });
    new PinpointPersonalizeRole(stack, "A", { ...IDS, accountId: "111122223333" });
    new PinpointPersonalizeRole(stack, "B", { ...IDS, accountId: "444455556666", provider: other });
    // Unknown accounts on two providers: not refused either (IAM has the last word).
    new PinpointPersonalizeRole(stack, "C", { ...IDS, roleName: "c", policyName: "c", provider: other });
    new PinpointPersonalizeRole(stack, "D", {
      ...IDS,
      roleName: "C",
      policyName: "c",
      provider: new AwsProvider(stack, "third", { alias: "third" }),
    });
    expect(Object.keys(blocks(synth(stack), "resource", IamRole.tfResourceType))).toHaveLength(4);
  });

  test("the same literal account ID in two partitions is two accounts", () => {
    const stack = testStack();
    const china = new AwsProvider(stack, "china", { alias: "china", region: "cn-north-1" });
    new PinpointPersonalizeRole(stack, "A", { ...IDS, ...PLACE });
    new PinpointPersonalizeRole(stack, "B", {
      ...IDS,
      partition: "aws-cn",
      region: "cn-north-1",
      accountId: ACCOUNT,
      provider: china,
    });
    expect(Object.keys(blocks(synth(stack), "resource", IamRole.tfResourceType))).toHaveLength(2);
  });

  test("two providers with the same literal account ID are one account", () => {
    const stack = testStack();
    const other = new AwsProvider(stack, "other", { alias: "other", region: "eu-west-1" });
    new PinpointPersonalizeRole(stack, "A", { ...IDS, accountId: ACCOUNT });
    new PinpointPersonalizeRole(stack, "B", { ...IDS, accountId: ACCOUNT, provider: other });
    expect(() => synth(stack)).toThrow(
      /test\/A and test\/B all name their IAM role "PinpointRoleforPersonalize" in the same account/,
    );
  });

  test("the default provider given explicitly is the default provider", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    const aws = new AwsProvider(stack, "aws", { region: "us-east-1" });
    new PinpointPersonalizeRole(stack, "A", IDS);
    new PinpointPersonalizeRole(stack, "B", { ...IDS, provider: aws });
    expect(() => synth(stack)).toThrow(/test\/A and test\/B all name their IAM role/);
  });

  test("distinct names or prefixes synthesize both", () => {
    const json = synth(twoRoles({ roleName: "a", policyName: "a" }, { roleNamePrefix: "b", policyNamePrefix: "b" }));
    expect(Object.keys(blocks(json, "resource", IamRole.tfResourceType))).toHaveLength(2);
  });
});

describe("PinpointPersonalizeRole data sources and providers", () => {
  test("a provider of another stack is refused, naming both, and nothing is added", () => {
    const app = Testing.app();
    const a = new TerraformStack(app, "a");
    new AwsProvider(a, "aws", { region: "us-east-1" });
    const b = new TerraformStack(app, "b");
    const europe = new AwsProvider(b, "eu", { alias: "eu", region: "eu-west-1" });
    expect(() => new PinpointPersonalizeRole(a, "Role", { ...IDS, provider: europe })).toThrow(
      /^a\/Role: provider must be a provider of the role's own stack \(a\): .*Received the provider b\/eu\.$/,
    );
    expect(a.node.children.map((c) => c.node.id)).toEqual(["aws"]);
  });

  test("roles of one stack share the data sources of their provider; a role on another provider gets its own", () => {
    const stack = testStack();
    const europe = new AwsProvider(stack, "europe", { alias: "europe", region: "eu-west-1" });
    const books = new PinpointPersonalizeRole(stack, "Books", { ...IDS, roleName: "books", policyName: "books" });
    new PinpointPersonalizeRole(stack, "Movies", { ...IDS, roleName: "movies", policyName: "movies" });
    const ireland = new PinpointPersonalizeRole(stack, "Ireland", {
      ...IDS,
      roleName: "eu",
      policyName: "eu",
      provider: europe,
    });
    const json = synth(stack);
    for (const type of ["aws_partition", "aws_service", "aws_caller_identity"]) {
      expect(Object.keys(blocks(json, "data", type)).length).toBe(2);
    }
    const regions = blocks(json, "data", "aws_service");
    expect(Object.fromEntries(Object.entries(regions).map(([name, block]) => [name, block]))).toEqual({
      PinpointPersonalizeRegion: expect.objectContaining({ service_id: "personalize" }) as unknown,
      PinpointPersonalizeRegion_europe: expect.objectContaining({
        service_id: "personalize",
        provider: "aws.europe",
      }) as unknown,
    });
    expect(regions.PinpointPersonalizeRegion?.provider).toBeUndefined();
    expect(rendered(stack, books.campaignArn)).toContain("${data.aws_service.PinpointPersonalizeRegion.region}");
    expect(rendered(stack, ireland.campaignArn)).toContain(
      "${data.aws_service.PinpointPersonalizeRegion_europe.region}",
    );
    // Every resource and data source of the role on the other provider uses it.
    for (const type of ["aws_iam_role", "aws_iam_policy", "aws_iam_role_policy_attachment"]) {
      expect(only(json, "resource", type, "Ireland").provider).toBe("aws.europe");
    }
    for (const doc of ["Ireland_Permissions", "Ireland_Trust"]) {
      expect(only(json, "data", DataAwsIamPolicyDocument.tfResourceType, doc).provider).toBe("aws.europe");
    }
  });
});

describe("PinpointPersonalizeRole reads each prop once: what it checks is what it writes", () => {
  /** A value that gives `first` on its first `reads` reads and `then` after. */
  const flipping = <T>(reads: number, first: T, then: T) => {
    let count = 0;
    return () => (count++ < reads ? first : then);
  };
  const wide = "arn:aws:mobiletargeting:*:111122223333:*";

  test.each([1, 2, 3, 4, 5, 6, 8])(
    "a list element whose getter gives a wide ARN after %i reads is written as the ARN it checked",
    (reads) => {
      const stack = testStack();
      const arns: string[] = ["x"];
      Object.defineProperty(arns, 0, {
        enumerable: true,
        get: flipping(reads, `arn:aws:mobiletargeting:us-east-1:${ACCOUNT}:apps/abc`, wide),
      });
      new PinpointPersonalizeRole(stack, "Role", { ...IDS, ...PLACE, trustedSourceArns: arns });
      const text = JSON.stringify(synth(stack));
      expect(text).toContain(`arn:aws:mobiletargeting:us-east-1:${ACCOUNT}:apps/abc`);
      expect(text).not.toContain(wide);
    },
  );

  test("a tag whose getter gives a reserved value after the check is written as the value checked", () => {
    const stack = testStack();
    const tags: Record<string, string> = {};
    Object.defineProperty(tags, "team", { enumerable: true, get: flipping(1, "recs", "aws:reserved") });
    new PinpointPersonalizeRole(stack, "Role", { ...IDS, ...PLACE, tags });
    const role = only(synth(stack), "resource", IamRole.tfResourceType);
    expect(role.tags).toEqual({ team: "recs" });
  });

  test("a Proxy list is read once per element", () => {
    const stack = testStack();
    let reads = 0;
    const apps = new Proxy(["abc"], {
      get: (target, key, receiver) => {
        if (key === "0") reads++;
        return key === "0" && reads > 1 ? "*" : (Reflect.get(target, key, receiver) as unknown);
      },
    });
    new PinpointPersonalizeRole(stack, "Role", { ...IDS, ...PLACE, pinpointApplicationIds: apps });
    expect(JSON.stringify(synth(stack))).toContain(`:apps/abc`);
    expect(reads).toBe(1);
  });
});

describe("PinpointPersonalizeRole's Terraform addresses are its own", () => {
  test("a data source of the user's at a shared data source's address is refused at synth, naming both", () => {
    const stack = testStack();
    new PinpointPersonalizeRole(stack, "Role", IDS);
    new DataAwsCallerIdentity(stack, "Pinpoint Personalize Caller Identity");
    expect(() => synth(stack)).toThrow(
      "test/PinpointPersonalizeCallerIdentity and test/Pinpoint Personalize Caller Identity have the same Terraform " +
        "address data.aws_caller_identity.PinpointPersonalizeCallerIdentity, which Terraform would read as one block: " +
        "give test/Pinpoint Personalize Caller Identity another id (the address is the library's).",
    );
  });

  test("a resource of the user's given the role's logical ID is refused at synth", () => {
    const stack = testStack();
    const role = new PinpointPersonalizeRole(stack, "Role", IDS);
    const other = new IamRole(stack, "Other", { assumeRolePolicy: "{}" });
    other.overrideLogicalId(role.role.friendlyUniqueId);
    expect(() => synth(stack)).toThrow(
      `test/Role/Role and test/Other have the same Terraform address aws_iam_role.${role.role.friendlyUniqueId}`,
    );
  });

  test("an app made with skipValidation still refuses what would merge into the library's blocks or change its checked values", () => {
    const outdir = mkdtempSync(join(tmpdir(), "skip-validation-"));
    try {
      const make = (build: (stack: TerraformStack) => void) => {
        const app = new App({ skipValidation: true, outdir });
        const stack = new TerraformStack(app, "test");
        new AwsProvider(stack, "aws", { region: "us-east-1" });
        build(stack);
        return () => app.synth();
      };
      // A user's trust document at the role's address: cdktf would merge its statements into the role's.
      const merged = make((stack) => {
        const role = new PinpointPersonalizeRole(stack, "Role", IDS);
        new DataAwsIamPolicyDocument(stack, "Trust", {
          statement: [{ actions: ["sts:AssumeRole"], principals: [{ type: "AWS", identifiers: ["*"] }] }],
        }).overrideLogicalId(role.trustDocument.friendlyUniqueId);
      });
      expect(merged).toThrow(/\[test\] test\/Role\/TrustDocument and test\/Trust have the same Terraform address/);
      // A Lazy that produces a bad value at synth, and two roles of one name.
      const lazy = make((stack) => {
        new PinpointPersonalizeRole(stack, "Role", { ...IDS, campaignId: Lazy.stringValue({ produce: () => "*" }) });
      });
      expect(lazy).toThrow(/\[test\/Role\] campaignId must be an Amazon Personalize campaign name/);
      const named = make((stack) => {
        new PinpointPersonalizeRole(stack, "A", IDS);
        new PinpointPersonalizeRole(stack, "B", IDS);
      });
      expect(named).toThrow(/all name their IAM role "PinpointRoleforPersonalize"/);
      expect(make((stack) => new PinpointPersonalizeRole(stack, "Role", IDS))).not.toThrow();
      // An element that an aspect adds after the role (cdktf runs aspects in one pass, in tree order).
      const late = make((stack) => {
        const role = new PinpointPersonalizeRole(stack, "Role", IDS);
        let added = false;
        Aspects.of(stack).add({
          visit: () => {
            if (added) return;
            added = true;
            new IamRole(stack, "Late", { assumeRolePolicy: "{}" }).overrideLogicalId(role.role.friendlyUniqueId);
          },
        });
      });
      expect(late).toThrow(/test\/Role\/Role and test\/Late have the same Terraform address/);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  test("a Lazy that an aspect settles is checked as the aspect leaves it, with validation on or off", () => {
    const naming = { role: "placeholder name" };
    const stack = testStack();
    new PinpointPersonalizeRole(stack, "Role", { ...IDS, roleName: Lazy.stringValue({ produce: () => naming.role }) });
    Aspects.of(stack).add({ visit: () => (naming.role = "BooksRecommendations") });
    const json = synth(stack);
    expect(Object.values(json.locals ?? {})).toContain("BooksRecommendations");
  });

  test("two roles of one stack, and the user's own blocks beside them, are kept apart", () => {
    const stack = testStack();
    new PinpointPersonalizeRole(stack, "Books", { ...IDS, roleName: "books", policyName: "books" });
    new PinpointPersonalizeRole(stack, "Movies", { ...IDS, roleName: "movies", policyName: "movies" });
    new IamRole(stack, "Role", { assumeRolePolicy: "{}" });
    new DataAwsCallerIdentity(stack, "current");
    expect(Object.keys(blocks(synth(stack), "resource", "aws_iam_role"))).toHaveLength(3);
  });

  test('two roles whose paths differ only by a scope "Default" are refused with advice that names it', () => {
    const stack = testStack();
    new PinpointPersonalizeRole(stack, "Books", { ...IDS, roleName: "a", policyName: "a" });
    new PinpointPersonalizeRole(new Construct(stack, "Default"), "Books", { ...IDS, roleName: "b", policyName: "b" });
    expect(() => synth(stack)).toThrow(
      /test\/Books\/Policy and test\/Default\/Books\/Policy have the same Terraform address aws_iam_policy\.\w+, which Terraform would read as one block: give them ids that differ in letters or digits, not only by a scope whose id is "Default" \(cdktf leaves that id out of addresses\)\./,
    );
  });
});

describe("PinpointPersonalizeRole literal strings", () => {
  test("template syntax in a literal is escaped, so that Terraform passes it on as text", () => {
    const json = synthRole({
      roleDescription: "Reads ${var.secret} and %{ if true }x%{ endif }",
      rolePath: "/${path.module}/",
      policyDescription: "Costs $5, {braces} and %{x}",
    });
    expect(only(json, "resource", IamRole.tfResourceType)).toEqual(
      expect.objectContaining({
        description: "Reads $${var.secret} and %%{ if true }x%%{ endif }",
        path: "/$${path.module}/",
      }),
    );
    expect(only(json, "resource", IamPolicy.tfResourceType).description).toBe("Costs $5, {braces} and %%{x}");
  });

  test("the literal text of a value that holds a token is escaped the same way", () => {
    const stack = testStack();
    const v = new TerraformLocal(stack, "v", "x").asString;
    new PinpointPersonalizeRole(stack, "Role", {
      ...IDS,
      ...PLACE,
      // A "$" right before a token would read as the escape "$${": it is written as an interpolation.
      roleDescription: `Costs \${5}, %{if true}x%{endif} and $${v}`,
    });
    const locals = synth(stack).locals ?? {};
    const local = (prop: string) => Object.entries(locals).find(([n]) => n.startsWith(`Role_${prop}`))?.[1];
    expect(local("roleDescription")).toBe('Costs $${5}, %%{if true}x%%{endif} and ${"$"}${local.v}');
  });

  test("HCL string literals in plan-time checks are escaped the same way", () => {
    expect(hclLiteral("a${b}%{c}")).toBe('"a$${b}%%{c}"');
  });

  test("tokens are left as they are", () => {
    const stack = testStack();
    const description = new TerraformLocal(stack, "description", "from a local");
    new PinpointPersonalizeRole(stack, "Role", { ...IDS, ...PLACE, roleDescription: description.asString });
    const json = synth(stack);
    const [name, value] = Object.entries(json.locals ?? {}).find(([n]) => n.startsWith("Role_roleDescription")) ?? [];
    expect(value).toBe("${local.description}");
    expect(only(json, "resource", IamRole.tfResourceType).description).toBe(`\${local.${name}}`);
  });
});
