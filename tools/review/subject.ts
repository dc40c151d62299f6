import { ConfigModule, ConfigResource, planResources, PlanResource, TerraformPlan } from "../offline-plan";

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

// The review states the facts it checks (the service principal, the ARN formats here; the three
// actions in analyze.ts) on its own, on purpose: a proof that imported them from lib/ would agree
// with whatever the construct says, right or wrong.
export const PINPOINT_PRINCIPAL = "pinpoint.amazonaws.com";

/** A policy that reaches the role, with where it comes from. */
export interface GrantingPolicy {
  /** The resource (and attribute) it comes from, e.g. `aws_iam_policy.this` or `aws_iam_role.this.inline_policy`. */
  readonly address: string;
  readonly document: PolicyDocument;
}

/** What a review of one role is about: the role, what it trusts and grants, and what it is meant to reach. */
export interface Subject {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly campaignId: string;
  readonly solutionId: string;
  readonly campaignArn: string;
  readonly solutionArn: string;
  readonly role: {
    readonly address: string;
    /** The planned name; a generated name (name_prefix) is unknown until apply. */
    readonly name?: string;
    readonly arn: string;
    readonly trustPolicy: PolicyDocument;
  };
  /** Every policy that reaches the role: attached, inline, or in an exclusive set. */
  readonly policies: GrantingPolicy[];
  /** What the review could not accept about the role's grants, each a reason to fail it. */
  readonly problems: string[];
}

/** A role of the plan that this review does not cover, and why. */
export interface NotReviewed {
  readonly address: string;
  readonly reason: string;
}

export class SubjectError extends Error {}

const CAMPAIGN_ARN = /^arn:(aws[a-z-]*):personalize:([a-z0-9-]+):(\d{12}):campaign\/([A-Za-z0-9_-]+)$/;
const SOLUTION_ARN = /^arn:(aws[a-z-]*):personalize:([a-z0-9-]+):(\d{12}):solution\/([A-Za-z0-9_-]+)$/;

type Resource = PlanResource & { readonly moduleAddress: string };

function knownString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** `module.a["x"].module.b[0]` to the module_calls path `["a", "b"]`. */
function modulePath(moduleAddress: string): string[] {
  return [...moduleAddress.matchAll(/module\.([A-Za-z0-9_-]+)/g)].map((m) => m[1]);
}

/** The configuration of a resource instance, found through its module calls. */
function configOf(plan: TerraformPlan, resource: Resource): ConfigResource | undefined {
  let module: ConfigModule | undefined = plan.configuration.root_module;
  for (const call of modulePath(resource.moduleAddress)) module = module?.module_calls?.[call]?.module;
  return module?.resources?.find(
    (r) => r.address === `${resource.mode === "data" ? "data." : ""}${resource.type}.${resource.name}`,
  );
}

/** The references of one of a resource's configured arguments. */
function references(plan: TerraformPlan, resource: Resource, attribute: string): string[] {
  const expression = configOf(plan, resource)?.expressions?.[attribute] as { references?: string[] } | undefined;
  return expression?.references ?? [];
}

/**
 * Whether `from.attribute` names `to`: by value when both are known, else by a reference in the
 * same module instance (and the same count/for_each key, when both have one).
 */
function names(plan: TerraformPlan, from: Resource, attribute: string, to: Resource, value: unknown): boolean {
  const own = from.values[attribute];
  const values = Array.isArray(own) ? own : [own];
  if (value !== undefined && values.includes(value)) return true;
  if (from.moduleAddress !== to.moduleAddress) return false;
  if (from.index !== undefined && to.index !== undefined && from.index !== to.index) return false;
  return references(plan, from, attribute).includes(`${to.type}.${to.name}`);
}

function parseDocument(address: string, attribute: string, value: unknown): PolicyDocument {
  if (typeof value !== "string" || value === "") {
    throw new SubjectError(
      `${address}.${attribute} is not known at plan time (it depends on a value that only exists after apply), ` +
        "so the review cannot read the policy. Build it from values known at plan time, such as an aws_iam_policy_document.",
    );
  }
  try {
    return JSON.parse(value) as PolicyDocument;
  } catch {
    throw new SubjectError(`${address}.${attribute} is not a JSON policy document.`);
  }
}

/** Whether a trust policy lets the Pinpoint service principal assume the role (ignoring conditions). */
export function trustsPinpoint(trust: PolicyDocument): boolean {
  return statements(trust).some(
    (s) =>
      s.Effect === "Allow" &&
      list(s.Action).some((a) => /^sts:(AssumeRole|\*)$|^\*$/i.test(a)) &&
      (s.Principal === "*" || list(s.Principal?.Service).includes(PINPOINT_PRINCIPAL)),
  );
}

/** A data source that says where a role is: its type, and the attributes that may hold the value (the first found wins). */
interface PlaceSource {
  readonly type: string;
  readonly attributes: readonly string[];
  /** Which data sources of the type count; all when absent. */
  readonly counts?: (values: Record<string, unknown>) => boolean;
}

/** Where each part of a role's place is read from. */
const PLACE_SOURCES: Record<"partition" | "region" | "account", readonly PlaceSource[]> = {
  partition: [{ type: "aws_partition", attributes: ["partition"] }],
  region: [
    // This project's: Amazon Personalize's aws_service, whose `region` hashicorp/aws 5.x and 6.x share.
    { type: "aws_service", attributes: ["region"], counts: (values) => values.service_id === "personalize" },
    // Other configurations': aws_region's `region` on 6.x (which deprecates `name` and `id`), `name` or `id` on 5.x.
    { type: "aws_region", attributes: ["region", "name", "id"] },
  ],
  account: [{ type: "aws_caller_identity", attributes: ["account_id"] }],
};

/**
 * The value that the data sources of the role's provider configuration read in its module
 * instance: where the role is. Undefined when there is none, or several that disagree.
 */
function placeValue(
  plan: TerraformPlan,
  resources: readonly Resource[],
  role: Resource,
  sources: readonly PlaceSource[],
): string | undefined {
  const provider = configOf(plan, role)?.provider_config_key;
  const values = new Set(
    sources.flatMap(({ type, attributes, counts }) =>
      resources
        .filter((r) => r.mode === "data" && r.type === type && r.moduleAddress === role.moduleAddress)
        .filter((r) => configOf(plan, r)?.provider_config_key === provider)
        .filter((r) => counts?.(r.values) ?? true)
        .map((r) => attributes.map((a) => knownString(r.values[a])).find((v) => v !== undefined))
        .filter((v): v is string => v !== undefined),
    ),
  );
  return values.size === 1 ? [...values][0] : undefined;
}

/** Resources that give a role permissions, and how to find the role and the documents in each. */
class Grants {
  private readonly policies: Resource[];

  constructor(
    private readonly plan: TerraformPlan,
    private readonly resources: readonly Resource[],
  ) {
    this.policies = resources.filter((r) => r.mode === "managed" && r.type === "aws_iam_policy");
  }

  private managed(type: string): Resource[] {
    return this.resources.filter((r) => r.mode === "managed" && r.type === type);
  }

  /** The document of a managed policy named by ARN, if the plan holds that policy. */
  private byArn(from: Resource, attribute: string, arn: unknown, problems: string[]): GrantingPolicy[] {
    const policy = this.policies.find(
      (p) =>
        (typeof arn === "string" && p.values.arn === arn) ||
        (arn === undefined && names(this.plan, from, attribute, p, undefined)),
    );
    if (policy === undefined) {
      problems.push(
        `${from.address} attaches ${typeof arn === "string" ? arn : "a policy"}, which this plan neither creates nor updates, ` +
          "so its document cannot be checked.",
      );
      return [];
    }
    return [{ address: policy.address, document: parseDocument(policy.address, "policy", policy.values.policy) }];
  }

  /** Every policy that reaches the role, and what could not be read. */
  of(role: Resource): { policies: GrantingPolicy[]; problems: string[] } {
    const name = knownString(role.values.name);
    const problems: string[] = [];
    const policies: GrantingPolicy[] = [];
    for (const a of this.managed("aws_iam_role_policy_attachment").filter((r) =>
      names(this.plan, r, "role", role, name),
    )) {
      policies.push(...this.byArn(a, "policy_arn", knownString(a.values.policy_arn), problems));
    }
    for (const a of this.managed("aws_iam_policy_attachment").filter((r) => names(this.plan, r, "roles", role, name))) {
      policies.push(...this.byArn(a, "policy_arn", knownString(a.values.policy_arn), problems));
    }
    for (const a of this.managed("aws_iam_role_policy_attachments_exclusive").filter((r) =>
      names(this.plan, r, "role_name", role, name),
    )) {
      const arns = Array.isArray(a.values.policy_arns) ? a.values.policy_arns : [undefined];
      for (const arn of arns) policies.push(...this.byArn(a, "policy_arns", arn, problems));
    }
    for (const p of this.managed("aws_iam_role_policy").filter((r) => names(this.plan, r, "role", role, name))) {
      policies.push({ address: p.address, document: parseDocument(p.address, "policy", p.values.policy) });
    }
    // The provider fills inline_policy and managed_policy_arns from IAM once the role exists: only
    // configured ones grant anything of their own (the others are the attachments above).
    const configured = configOf(this.plan, role)?.expressions ?? {};
    const inline =
      "inline_policy" in configured && Array.isArray(role.values.inline_policy)
        ? (role.values.inline_policy as { policy?: string }[])
        : [];
    for (const p of inline.filter((i) => i.policy)) {
      policies.push({
        address: `${role.address}.inline_policy`,
        document: parseDocument(role.address, "inline_policy", p.policy),
      });
    }
    const managedArns =
      "managed_policy_arns" in configured && Array.isArray(role.values.managed_policy_arns)
        ? role.values.managed_policy_arns
        : [];
    for (const arn of managedArns) policies.push(...this.byArn(role, "managed_policy_arns", arn, problems));
    if (policies.length === 0 && problems.length === 0)
      problems.push(`No policy reaches ${role.address}: it grants nothing.`);
    // One policy reached twice (attached and listed in an exclusive set, say) is one grant.
    const unique = policies.filter((p, i) => policies.findIndex((q) => q.address === p.address) === i);
    return { policies: unique, problems };
  }
}

/** The campaign and solution that the role's policies name, and where they are. */
function target(policies: readonly GrantingPolicy[], problems: string[]) {
  const resources = policies.flatMap((p) =>
    statements(p.document)
      .filter((s) => s.Effect === "Allow")
      .flatMap((s) => list(s.Resource)),
  );
  const campaigns = [...new Set(resources.filter((r) => CAMPAIGN_ARN.test(r)))];
  const solutions = [...new Set(resources.filter((r) => SOLUTION_ARN.test(r)))];
  if (campaigns.length !== 1)
    problems.push(
      `The role's policies name ${campaigns.length} campaigns (${campaigns.join(", ") || "none"}); exactly one is expected.`,
    );
  if (solutions.length !== 1)
    problems.push(
      `The role's policies name ${solutions.length} solutions (${solutions.join(", ") || "none"}); exactly one is expected.`,
    );
  const campaign = CAMPAIGN_ARN.exec(campaigns[0] ?? "");
  const solution = SOLUTION_ARN.exec(solutions[0] ?? "");
  return { campaign, solution };
}

export interface PlanSubjects {
  /** Every role whose trust lets Pinpoint assume it, each to be reviewed on its own. */
  readonly subjects: Subject[];
  /** Every other role of the plan. */
  readonly notReviewed: NotReviewed[];
}

/** Reads every Pinpoint role of a plan (`terraform show -json`), in every module and instance. */
export function subjectsOf(plan: TerraformPlan): PlanSubjects {
  const resources = planResources(plan);
  const grants = new Grants(plan, resources);
  const variables = Object.fromEntries(Object.entries(plan.variables ?? {}).map(([name, v]) => [name, v.value]));
  const subjects: Subject[] = [];
  const notReviewed: NotReviewed[] = [];
  for (const role of resources.filter((r) => r.mode === "managed" && r.type === "aws_iam_role")) {
    const trust = parseDocument(role.address, "assume_role_policy", role.values.assume_role_policy);
    if (!trustsPinpoint(trust)) {
      notReviewed.push({ address: role.address, reason: `its trust does not let ${PINPOINT_PRINCIPAL} assume it` });
      continue;
    }
    const { policies, problems } = grants.of(role);
    const { campaign, solution } = target(policies, problems);
    const place = (index: number, part: keyof typeof PLACE_SOURCES, fallback: string): string => {
      const fromPolicy = campaign?.[index];
      const fromPlan = placeValue(plan, resources, role, PLACE_SOURCES[part]);
      if (fromPolicy && fromPlan && fromPolicy !== fromPlan) {
        problems.push(`The campaign is in ${part} ${fromPolicy}, but the plan's is ${fromPlan}.`);
      }
      return fromPolicy ?? fromPlan ?? fallback;
    };
    const partition = place(1, "partition", "aws");
    const region = place(2, "region", "us-east-1");
    const accountId = place(3, "account", "111122223333");
    const campaignId = campaign?.[4] ?? "unknown-campaign";
    const solutionId = solution?.[4] ?? "unknown-solution";
    if (role.moduleAddress === "") {
      for (const [variable, id] of [
        ["campaign_id", campaignId],
        ["solution_id", solutionId],
      ] as const) {
        const expected = knownString(variables[variable]);
        if (expected !== undefined && expected !== id)
          problems.push(`The role reaches ${variable.replace("_id", "")} ${id}, but ${variable} is ${expected}.`);
      }
    }
    const roleName = knownString(role.values.name);
    const personalize = `arn:${partition}:personalize:${region}:${accountId}`;
    subjects.push({
      partition,
      region,
      accountId,
      campaignId,
      solutionId,
      campaignArn: `${personalize}:campaign/${campaignId}`,
      solutionArn: `${personalize}:solution/${solutionId}`,
      role: {
        address: role.address,
        ...(roleName ? { name: roleName } : {}),
        arn:
          knownString(role.values.arn) ??
          `arn:${partition}:iam::${accountId}:role${knownString(role.values.path) ?? "/"}${roleName ?? "generated-name"}`,
        trustPolicy: trust,
      },
      policies,
      problems,
    });
  }
  if (subjects.length === 0) {
    const found = notReviewed.map((r) => r.address);
    throw new SubjectError(
      `The plan has no IAM role that ${PINPOINT_PRINCIPAL} can assume; ` +
        (found.length > 0 ? `the roles it has: ${found.join(", ")}.` : "it has no IAM role at all."),
    );
  }
  return { subjects, notReviewed };
}

/**
 * The same role before the plan's changes: its trust and policies as the prior state has them,
 * for the access diff. Undefined when the role is new or nothing that reaches it changes.
 */
export function priorSubject(plan: TerraformPlan, subject: Subject): Subject | undefined {
  const changes = new Map((plan.resource_changes ?? []).map((c) => [c.address, c.change]));
  const role = changes.get(subject.role.address);
  if (!role?.before) return undefined;
  const touched = [subject.role.address, ...subject.policies.map((p) => p.address)].some((a) =>
    (changes.get(a.replace(/\.inline_policy$/, ""))?.actions ?? ["no-op"]).some((x) => x !== "no-op" && x !== "read"),
  );
  if (!touched) return undefined;
  const policies = subject.policies.flatMap((p): GrantingPolicy[] => {
    const before = changes.get(p.address)?.before;
    if (before === undefined) return [p];
    return before === null
      ? []
      : [{ address: p.address, document: parseDocument(p.address, "policy (before)", before.policy) }];
  });
  // The campaign and solution the role reached before, in the same place.
  const { campaign, solution } = target(policies, []);
  const personalize = `arn:${subject.partition}:personalize:${subject.region}:${subject.accountId}`;
  const campaignId = campaign?.[4] ?? subject.campaignId;
  const solutionId = solution?.[4] ?? subject.solutionId;
  return {
    ...subject,
    campaignId,
    solutionId,
    campaignArn: `${personalize}:campaign/${campaignId}`,
    solutionArn: `${personalize}:solution/${solutionId}`,
    role: {
      ...subject.role,
      trustPolicy: parseDocument(subject.role.address, "assume_role_policy (before)", role.before.assume_role_policy),
    },
    policies,
    problems: [],
  };
}
