import { planResources, PlanResource, TerraformPlan } from "../offline-plan";

/** An IAM policy document as AWS receives it (parsed from the plan). */
export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: Statement[] | Statement;
}
export interface Statement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: string | string[];
  readonly NotResource?: string | string[];
  readonly Principal?: "*" | Record<string, string | string[]>;
  readonly NotPrincipal?: "*" | Record<string, string | string[]>;
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

export function statements(document: PolicyDocument): Statement[] {
  return Array.isArray(document.Statement) ? document.Statement : [document.Statement];
}

export function list(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** What a review is about: the role, what it trusts and grants, and what it is meant to reach. */
export interface Subject {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly campaignId: string;
  readonly solutionId: string;
  readonly campaignArn: string;
  readonly solutionArn: string;
  /** The variables as Terraform planned them. */
  readonly variables: Record<string, unknown>;
  readonly role: {
    readonly address: string;
    /** The planned name; a generated name (name_prefix) is unknown until apply. */
    readonly name?: string;
    readonly arn: string;
    readonly trustPolicy: PolicyDocument;
  };
  readonly policy: {
    readonly address: string;
    readonly name?: string;
    readonly document: PolicyDocument;
  };
  /** Other resources that grant the role permissions: none is expected. */
  readonly otherGrants: string[];
}

/** Resource types that give a role permissions besides its trust policy. */
const GRANTING_TYPES = new Set([
  "aws_iam_role_policy",
  "aws_iam_role_policy_attachment",
  "aws_iam_policy_attachment",
  "aws_iam_role_policies_exclusive",
  "aws_iam_role_policy_attachments_exclusive",
]);

export class SubjectError extends Error {}

function one(resources: PlanResource[], type: string, mode: "managed" | "data"): PlanResource {
  const found = resources.filter((r) => r.type === type && r.mode === mode);
  if (found.length !== 1) {
    throw new SubjectError(
      `The review expects one ${mode === "data" ? "data source" : "resource"} of type ${type} in the plan; found ${found.length}` +
        (found.length ? ` (${found.map((r) => r.address).join(", ")})` : "") +
        ".",
    );
  }
  return found[0] as PlanResource;
}

function knownString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function parsePolicy(address: string, attribute: string, value: unknown): PolicyDocument {
  if (typeof value !== "string") {
    throw new SubjectError(`${address}.${attribute} is not known at plan time, so the review cannot read it.`);
  }
  return JSON.parse(value) as PolicyDocument;
}

/** Reads the subject of the review from a plan of the stack (`terraform show -json`). */
export function subjectOf(plan: TerraformPlan): Subject {
  const resources = planResources(plan);
  const accountId = knownString(one(resources, "aws_caller_identity", "data").values.account_id);
  const region = knownString(one(resources, "aws_region", "data").values.name);
  const partition = knownString(one(resources, "aws_partition", "data").values.partition);
  if (!accountId || !region || !partition) throw new SubjectError("The plan does not know the account, Region or partition.");

  const variables = Object.fromEntries(Object.entries(plan.variables ?? {}).map(([name, v]) => [name, v.value]));
  const campaignId = knownString(variables.campaign_id);
  const solutionId = knownString(variables.solution_id);
  if (!campaignId || !solutionId) throw new SubjectError("The plan has no campaign_id and solution_id variables.");

  const role = one(resources, "aws_iam_role", "managed");
  const policy = one(resources, "aws_iam_policy", "managed");
  const roleName = knownString(role.values.name);

  const config = plan.configuration.root_module.resources ?? [];
  const references = (address: string, attribute: string): string[] => {
    const expression = config.find((r) => r.address === address)?.expressions?.[attribute];
    return (expression as { references?: string[] } | undefined)?.references ?? [];
  };
  const roleConfig = config.find((r) => r.address === role.address)?.expressions ?? {};
  const otherGrants = [
    ...config
      .filter((r) => r.mode === "managed" && GRANTING_TYPES.has(r.type))
      .filter(
        (r) =>
          r.type !== "aws_iam_role_policy_attachment" ||
          !references(r.address, "role").includes(role.address) ||
          !references(r.address, "policy_arn").includes(policy.address),
      )
      .map((r) => r.address),
    ...["inline_policy", "managed_policy_arns"].filter((a) => a in roleConfig).map((a) => `${role.address}.${a}`),
  ];
  const attached = config.some(
    (r) =>
      r.type === "aws_iam_role_policy_attachment" &&
      references(r.address, "role").includes(role.address) &&
      references(r.address, "policy_arn").includes(policy.address),
  );
  if (!attached) throw new SubjectError(`No aws_iam_role_policy_attachment attaches ${policy.address} to ${role.address}.`);

  const personalize = `arn:${partition}:personalize:${region}:${accountId}`;
  return {
    partition,
    region,
    accountId,
    campaignId,
    solutionId,
    campaignArn: `${personalize}:campaign/${campaignId}`,
    solutionArn: `${personalize}:solution/${solutionId}`,
    variables,
    role: {
      address: role.address,
      name: roleName,
      arn: `arn:${partition}:iam::${accountId}:role${knownString(role.values.path) ?? "/"}${roleName ?? "generated-name"}`,
      trustPolicy: parsePolicy(role.address, "assume_role_policy", role.values.assume_role_policy),
    },
    policy: {
      address: policy.address,
      name: knownString(policy.values.name),
      document: parsePolicy(policy.address, "policy", policy.values.policy),
    },
    otherGrants,
  };
}
