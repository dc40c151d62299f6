import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { App, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import * as fc from "fast-check";
import { PinpointPersonalizeRole } from "../lib";
import { RULES } from "../lib/rules";
import { checkString } from "../test-support/literal-checks";
import { Block, only, removeSynthOutput, synth, synthToDisk, testStack } from "../test-support/synth";
import { VariablesPlan } from "../test-support/variables-plan";
import { EXAMPLE_PLACE, planOffline, PlanResource, planResources } from "../packages/review/src/offline-plan";
import { analyze } from "../packages/review/src/analyze";
import { PolicyDocument, Subject } from "../packages/review/src/subject";

/**
 * Property-based tests (fast-check): every ID the rule accepts yields a policy that the IAM
 * evaluator shows grants exactly the intended resources; every ID it rejects never reaches a plan.
 */
const ACCOUNT = EXAMPLE_PLACE.accountId;
const REGION = EXAMPLE_PLACE.region;

const FIRST = [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"];
const REST = [...FIRST, "-", "_"];
/** Every name the Personalize rule accepts: 1-63 characters, a letter or digit first. */
const acceptedId = fc
  .tuple(fc.constantFrom(...FIRST), fc.array(fc.constantFrom(...REST), { maxLength: 62 }))
  .map(([first, rest]) => first + rest.join(""));

const DANGEROUS = [
  "*",
  "?",
  "/",
  ":",
  " ",
  "\t",
  "\n",
  "${x}",
  "%{x}",
  "arn:",
  "é",
  "ü",
  "名",
  ".",
  "[",
  "]",
  "$",
  "{",
  "}",
];
/** Strings the rule must refuse: anything with a dangerous fragment, an empty string, or more than 63 characters. */
const rejectedId = fc
  .oneof(
    fc
      .tuple(fc.string({ maxLength: 20 }), fc.constantFrom(...DANGEROUS), fc.string({ maxLength: 20 }))
      .map((p) => p.join("")),
    fc.constant(""),
    acceptedId.map((id) => id.padEnd(64, "x")),
    fc.tuple(fc.constantFrom("-", "_"), acceptedId).map((p) => p.join("")),
    fc.string({ maxLength: 80 }),
  )
  .filter((s) => !accepts(s));

function accepts(value: string): boolean {
  try {
    checkString("campaignId", value, RULES.campaignId);
    return true;
  } catch {
    return false;
  }
}

/** The permissions policy as aws_iam_policy_document renders the construct's statement. */
function renderedPolicy(statement: Block): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: statement.sid as string,
        Effect: "Allow",
        Action: statement.actions as string[],
        Resource: statement.resources as string[],
      },
    ],
  };
}

async function allowed(policy: PolicyDocument, action: string, resource: string): Promise<boolean> {
  const result = await runSimulation(
    {
      request: {
        principal: `arn:aws:iam::${ACCOUNT}:role/PinpointRoleforPersonalize`,
        action,
        resource: { resource, accountId: ACCOUNT },
        contextVariables: {},
      },
      identityPolicies: [{ name: "permissions", policy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (result.resultType === "error") throw new Error(JSON.stringify(result.errors));
  return result.overallResult === "Allowed";
}

test("the rule's JavaScript check is its documented grammar", () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 70 }), (value) => {
      expect(accepts(value)).toBe(/^[a-zA-Z0-9][a-zA-Z0-9_-]{0,62}$/.test(value));
    }),
    { numRuns: 2000 },
  );
  fc.assert(fc.property(acceptedId, (id) => expect(accepts(id)).toBe(true)));
});

test("every accepted pair of IDs yields a policy that grants its own campaign and solution and nothing near them", async () => {
  const arn = (kind: string, id: string) => `arn:aws:personalize:${REGION}:${ACCOUNT}:${kind}/${id}`;
  await fc.assert(
    fc.asyncProperty(acceptedId, acceptedId, acceptedId, async (campaign, solution, other) => {
      fc.pre(other !== campaign && other !== solution);
      const stack = testStack();
      new PinpointPersonalizeRole(stack, "Role", {
        campaignId: campaign,
        solutionId: solution,
        partition: "aws",
        region: REGION,
        accountId: ACCOUNT,
      });
      const [statement] = only(synth(stack), "data", DataAwsIamPolicyDocument.tfResourceType, "Permissions")
        .statement as Block[];
      const policy = renderedPolicy(statement);
      expect(await allowed(policy, "personalize:GetRecommendations", arn("campaign", campaign))).toBe(true);
      expect(await allowed(policy, "personalize:DescribeCampaign", arn("campaign", campaign))).toBe(true);
      expect(await allowed(policy, "personalize:DescribeSolution", arn("solution", solution))).toBe(true);
      expect(await allowed(policy, "personalize:GetRecommendations", arn("campaign", `${campaign}x`))).toBe(false);
      expect(await allowed(policy, "personalize:GetRecommendations", arn("campaign", other))).toBe(false);
      expect(await allowed(policy, "personalize:DescribeSolution", arn("solution", other))).toBe(false);
      if (campaign.length > 1) {
        expect(await allowed(policy, "personalize:GetRecommendations", arn("campaign", campaign.slice(0, -1)))).toBe(
          false,
        );
      }
    }),
    { numRuns: 150 },
  );
});

describe("IDs the rule rejects", () => {
  let variables: VariablesPlan;
  beforeAll(() => (variables = new VariablesPlan()));
  afterAll(() => variables.dispose());

  test("are refused by the construct and never reach a plan", async () => {
    await fc.assert(
      fc.asyncProperty(rejectedId, async (id) => {
        expect(() => new PinpointPersonalizeRole(testStack(), "Role", { campaignId: id, solutionId: "s" })).toThrow(
          /^test\/Role: campaignId must be /,
        );
        const { code, errors } = await variables.plan({ campaign_id: id });
        expect(code).toBe(1);
        expect(errors.length).toBeGreaterThan(0);
        for (const message of errors) expect(message).toMatch(/^campaign_id must be /);
      }),
      { numRuns: 40 },
    );
  });
});

describe("accepted IDs through a real plan", () => {
  const ids = fc.sample(fc.tuple(acceptedId, acceptedId), { numRuns: 12, seed: 20261126 });
  let resources: PlanResource[];
  let roles: PinpointPersonalizeRole[];
  let dir: string;

  beforeAll(async () => {
    roles = [];
    dir = synthToDisk((app: App) => {
      const stack = new TerraformStack(app, "generated");
      new AwsProvider(stack, "aws", {});
      ids.forEach(([campaignId, solutionId], i) => {
        roles.push(
          new PinpointPersonalizeRole(stack, `Role${i}`, {
            campaignId,
            solutionId,
            roleNamePrefix: `generated-${i}-`,
            policyNamePrefix: `generated-${i}-`,
          }),
        );
      });
      return stack;
    });
    resources = planResources(await planOffline(dir, []));
  });
  afterAll(() => removeSynthOutput(dir));

  test("each rendered policy grants exactly its three intended pairs, proven by the review's analysis", async () => {
    const byAddress = new Map(resources.map((r) => [r.address, r]));
    for (const [i, role] of roles.entries()) {
      const [campaignId, solutionId] = ids[i];
      const roleResource = byAddress.get(`aws_iam_role.${role.role.friendlyUniqueId}`);
      const policyResource = byAddress.get(`aws_iam_policy.${role.policy.friendlyUniqueId}`);
      const personalize = `arn:aws:personalize:${REGION}:${ACCOUNT}`;
      const subject: Subject = {
        partition: "aws",
        region: REGION,
        accountId: ACCOUNT,
        campaignId,
        solutionId,
        campaignArn: `${personalize}:campaign/${campaignId}`,
        solutionArn: `${personalize}:solution/${solutionId}`,
        role: {
          address: roleResource?.address ?? "missing",
          arn: `arn:aws:iam::${ACCOUNT}:role/generated-${i}`,
          arnKnown: true,
          trustPolicy: JSON.parse(roleResource?.values.assume_role_policy as string) as PolicyDocument,
          maxSessionDuration: 3600,
        },
        policies: [
          {
            address: policyResource?.address ?? "missing",
            document: JSON.parse(policyResource?.values.policy as string) as PolicyDocument,
            via: [],
          },
        ],
        problems: [],
        targetProblems: [],
        losses: [],
      };
      const analysis = await analyze(subject);
      expect({ id: campaignId, findings: analysis.findings }).toEqual({ id: campaignId, findings: [] });
      expect(analysis.granted.map((g) => `${g.action} ${g.resource}`).sort()).toEqual([
        `personalize:DescribeCampaign ${subject.campaignArn}`,
        `personalize:DescribeSolution ${subject.solutionArn}`,
        `personalize:GetRecommendations ${subject.campaignArn}`,
      ]);
    }
  });
});

describe("free-text props through a real plan", () => {
  // Printable Latin-1 with Terraform's template openers mixed in: what a description may hold.
  const FRAGMENTS = ["${", "%{", "}", "$", "%", "{", "${var.x}", "%{ if true }y%{ endif }", "\\", '"'];
  const latin1 = fc
    .integer({ min: 0x20, max: 0xff })
    .filter((c) => c < 0x7f || c > 0xa0)
    .map((c) => String.fromCharCode(c));
  const freeText = (max: number) =>
    fc
      .array(fc.oneof(latin1, fc.constantFrom(...FRAGMENTS)), { maxLength: 30 })
      .map((parts) => parts.join("").slice(0, max));
  const pathSegment = fc.array(
    fc.oneof(
      fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
      fc.constantFrom("${", "%{"),
    ),
    {
      minLength: 1,
      maxLength: 12,
    },
  );
  const samples = fc.sample(
    fc.record({
      roleDescription: freeText(200),
      policyDescription: freeText(200),
      rolePath: pathSegment.map((p) => `/${p.join("")}/`),
    }),
    { numRuns: 8, seed: 20261126 },
  );
  let resources: PlanResource[];
  let dir: string;

  beforeAll(async () => {
    dir = synthToDisk((app: App) => {
      const stack = new TerraformStack(app, "free-text");
      new AwsProvider(stack, "aws", {});
      samples.forEach((props, i) => {
        new PinpointPersonalizeRole(stack, `Role${i}`, {
          campaignId: `c${i}`,
          solutionId: `s${i}`,
          roleName: `r${i}`,
          policyName: `p${i}`,
          ...props,
        });
      });
      return stack;
    });
    resources = planResources(await planOffline(dir, []));
  });
  afterAll(() => removeSynthOutput(dir));

  test("the value AWS would receive is the value given, template syntax included", () => {
    expect(samples.some((p) => p.roleDescription.includes("${") || p.policyDescription.includes("%{"))).toBe(true);
    samples.forEach((props, i) => {
      const role = resources.find((r) => r.type === "aws_iam_role" && r.values.name === `r${i}`);
      const policy = resources.find((r) => r.type === "aws_iam_policy" && r.values.name === `p${i}`);
      expect({ i, description: role?.values.description ?? "", path: role?.values.path }).toEqual({
        i,
        description: props.roleDescription,
        path: props.rolePath,
      });
      expect({ i, description: policy?.values.description ?? "" }).toEqual({ i, description: props.policyDescription });
    });
  });
});
