import { TerraformPlan } from "./offline-plan";
import {
  arnParts,
  canonical,
  DocumentError,
  list,
  parseDocument,
  PINPOINT_PRINCIPAL,
  PolicyDocument,
  Statement,
  statements,
} from "./documents";
import { asIamReads, resourceStatementRequest } from "./evaluator";
import { trustsPinpoint } from "./proof/decision";
import { escapeRegex } from "./proof/automata";
import type { Place } from "./proof/request-space";
import { Variables, withVariables } from "./proof/patterns";
import type { SourceLocation } from "./configuration";
import { GrantingPolicy, Grants, WrittenArguments } from "./grants";
import { Resolver } from "./resolver";
import { bodies, Body, ConfigurationSource, traversal } from "./source";
import { Instance, isKnown, moduleCalls, PlanConfiguration, Side, sideInstances } from "./plan-model";

export { list, PINPOINT_PRINCIPAL, statements };
export type { GrantingPolicy, PolicyDocument };
export type { Statement } from "./documents";

// The review states the facts it checks (the service principal, the ARN formats here; the three
// actions in analyze.ts) on its own, on purpose: a proof that imported them from lib/ would agree
// with whatever the construct says, right or wrong.

/** What a review of one role is about: the role, what it trusts and grants, and what it is meant to reach. */
export interface Subject {
  readonly partition: string;
  /** Whether the partition is the review's guess: nothing of the plan says it (see Place). */
  readonly partitionGuessed?: boolean;
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
    /** Its ARN; a stand-in when `arnKnown` is false (a name generated at apply). */
    readonly arn: string;
    readonly arnKnown: boolean;
    /**
     * Where `arnKnown` is false: the ARNs the role may get, as a regular expression, when its path
     * and name prefix are known at plan time (the prefix, `terraform-` where none is given, and 26
     * generated characters: a timestamp and a counter, digits and a-f).
     */
    readonly arnPattern?: string;
    readonly trustPolicy: PolicyDocument;
    /** Its tags (tags_all), where known at plan time. */
    readonly tags?: Readonly<Record<string, string>>;
    /** Its maximum session duration, in seconds. */
    readonly maxSessionDuration: number;
  };
  /** Every policy that reaches the role: attached, inline, or in an exclusive set. */
  readonly policies: GrantingPolicy[];
  /** The role's permissions boundary, read from the plan, when it has one. */
  readonly boundary?: { readonly address: string; readonly document: PolicyDocument };
  /** Why the role's permissions boundary could not be read, when it has one the plan does not hold. */
  readonly boundaryProblem?: string;
  /** What the review could not read or place about the role's grants, each a reason to fail it. */
  readonly problems: string[];
  /**
   * What keeps the review from telling what the role is meant to reach (not one campaign and one
   * solution, a place the plan does not say), each a reason to fail it: a role that grants no
   * Amazon Personalize access is not reviewed, and these do not matter for it.
   */
  readonly targetProblems: string[];
  /** What a later apply would take away from the role (policies managed two ways at once), each a reason to fail it. */
  readonly losses: string[];
}

/** A role of the plan that this review does not cover, and why. */
export interface NotReviewed {
  readonly address: string;
  readonly reason: string;
}

export class SubjectError extends Error {}

/** What the review knows of the plan's configuration beyond the plan itself. */
export interface ReviewContext {
  /** The configuration's files; absent with a plan alone. */
  readonly source?: ConfigurationSource;
  /** Where the configuration writes a resource; absent with a plan alone. */
  readonly locate?: (address: string) => SourceLocation | undefined;
  /** The account the plan was made in, when the review made it (offline). */
  readonly accountId?: string;
  /** The Region the plan was made in, when the review made it (offline) and a provider sets none. */
  readonly region?: string;
  /** The review's moment, in milliseconds: requests are decided from it on. */
  readonly now?: number;
}

/** The moment of a review, to the second: every request it decides is made from then on. */
export function reviewMoment(): number {
  return Math.floor(Date.now() / 1000) * 1000;
}

// The partition component may be a pattern (`arn:*:`): a role's requests are all in its own
// partition (proof/resources.ts), so the campaign is then in the role's.
const CAMPAIGN_ARN =
  /^arn:(aws[a-z-]*|[a-z*?-]*[*?][a-z*?-]*):personalize:([a-z0-9-]+):(\d{12}):campaign\/([A-Za-z0-9_-]+)$/;
const SOLUTION_ARN =
  /^arn:(aws[a-z-]*|[a-z*?-]*[*?][a-z*?-]*):personalize:([a-z0-9-]+):(\d{12}):solution\/([A-Za-z0-9_-]+)$/;

function knownString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function readDocument(where: string, value: unknown): PolicyDocument {
  try {
    return parseDocument(where, value);
  } catch (error) {
    if (error instanceof DocumentError) throw new SubjectError(error.message);
    throw error;
  }
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

/** A value that Terraform knows at plan time, wrapped so that a known null differs from an unknown. */
interface Known {
  readonly value: unknown;
}

/**
 * Whether an `ignore_changes` value covers a whole argument: the keyword `all`, or a list that
 * names it (HCL's parser writes each reference as `${name}`, JSON syntax as the name).
 */
function ignored(value: unknown, attribute: string): boolean {
  if (value === "all" || value === "${all}") return true;
  return Array.isArray(value) && value.some((v) => v === attribute || v === `\${${attribute}}`);
}

/** Whether a known value is an empty collection (`{}` or `[]`); false for an unknown one. */
function isEmpty(known: Known | undefined): boolean {
  if (known === undefined) return false;
  const { value } = known;
  return (Array.isArray(value) && value.length === 0) || (isPlainObject(value) && Object.keys(value).length === 0);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * What a value in Terraform's JSON syntax (an argument, as the configuration's files write it)
 * evaluates to, where the review can tell without Terraform: a literal, a list or object of them,
 * or a chain of `var.NAME` and `local.NAME` that ends in one. A root variable's value is the plan's;
 * a module's, its call's argument, else the variable's default. Anything else (a resource's
 * attribute, a function, `each.key`) is undefined: unknown to the review.
 */
function knownValue(
  plan: TerraformPlan,
  source: ConfigurationSource | undefined,
  moduleAddress: string,
  value: unknown,
  depth = 0,
): Known | undefined {
  if (depth > 32) return undefined;
  const inner = (m: string, v: unknown) => knownValue(plan, source, m, v, depth + 1);
  if (value === null || typeof value === "number" || typeof value === "boolean") return { value };
  if (Array.isArray(value)) {
    const elements = value.map((v) => inner(moduleAddress, v));
    return elements.every((e) => e !== undefined) ? { value: elements.map((e) => e?.value) } : undefined;
  }
  if (isPlainObject(value)) {
    const known: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      const element = inner(moduleAddress, v);
      if (element === undefined || /[$%]\{/.test(key)) return undefined;
      known[key] = element.value;
    }
    return { value: known };
  }
  if (typeof value !== "string") return undefined;
  if (!/[$%]\{/.test(value)) return { value };
  const parts = traversal(value);
  if (parts?.length !== 2 || typeof parts[0] !== "string" || typeof parts[1] !== "string") return undefined;
  const [head, name] = parts;
  const module = source?.module(moduleAddress);
  if (head === "local") return module?.locals.has(name) ? inner(moduleAddress, module.locals.get(name)) : undefined;
  if (head !== "var") return undefined;
  const calls = moduleCalls(moduleAddress);
  const call = calls.pop();
  const declared: Body | undefined = module?.variables.get(name);
  if (declared === undefined) return undefined;
  // Null where `nullable = false` is the variable's default (Terraform, Input Variables).
  const orDefault = (given: Known): Known | undefined =>
    given.value === null && declared.nullable === false
      ? "default" in declared
        ? inner(moduleAddress, declared.default)
        : undefined
      : given;
  if (call === undefined) {
    // The plan's JSON records a root variable's value as given, before that rule.
    const variable = plan.variables?.[name];
    return variable === undefined ? undefined : orDefault({ value: variable.value });
  }
  const parent = calls
    .map((c) => `module.${c.name}${c.key === undefined ? "" : `[${JSON.stringify(c.key)}]`}`)
    .join(".");
  const argument = source?.module(parent)?.calls.get(call.name);
  if (argument === undefined) return undefined;
  if (!(name in argument)) return "default" in declared ? inner(moduleAddress, declared.default) : { value: null };
  const given = inner(parent, argument[name]);
  return given === undefined ? undefined : orDefault(given);
}

/** One side of the plan, read: its instances, its configuration, and every role's grants. */
class SideModel {
  readonly instances: Instance[];
  readonly configuration: PlanConfiguration;
  readonly grants: Grants;
  /** A local's value, from the configuration's files; absent with a plan alone. */
  readonly local?: (moduleAddress: string, name: string) => unknown;

  constructor(
    readonly plan: TerraformPlan,
    side: Side,
    context: ReviewContext,
  ) {
    this.instances = sideInstances(plan, side);
    this.configuration = new PlanConfiguration(plan);
    const removed =
      side === "after"
        ? sideInstances(plan, "before").filter((before) =>
            (plan.resource_changes ?? []).some(
              (c) => c.address === before.address && c.change.actions.length === 1 && c.change.actions[0] === "delete",
            ),
          )
        : [];
    const { source } = context;
    const bodyOf = (instance: Instance) =>
      source
        ?.module(instance.moduleAddress)
        ?.resources.get(`${instance.mode === "data" ? "data." : ""}${instance.type}.${instance.name}`);
    const written: WrittenArguments = {
      dynamicBlock: (instance, block) => {
        const body = bodyOf(instance);
        if (body === undefined) return undefined;
        return bodies(body.dynamic)
          .flatMap((d) => bodies(d[block]))
          .some((b) => !isEmpty(knownValue(plan, source, instance.moduleAddress, b.for_each)));
      },
      isNull: (instance, attribute) => {
        const body = bodyOf(instance);
        if (body === undefined || !(attribute in body)) return false;
        const known = knownValue(plan, source, instance.moduleAddress, body[attribute]);
        return known !== undefined && known.value === null;
      },
      knownEmpty: (instance, attribute) => {
        const body = bodyOf(instance);
        return (
          body !== undefined &&
          attribute in body &&
          isEmpty(knownValue(plan, source, instance.moduleAddress, body[attribute]))
        );
      },
      ignoresChanges: (instance, attribute) => {
        const body = bodyOf(instance);
        return body !== undefined && bodies(body.lifecycle).some((l) => ignored(l.ignore_changes, attribute));
      },
    };
    const before = new Map(
      (plan.resource_changes ?? []).map((c) => [c.address, c.change.before ?? undefined] as const),
    );
    const resolver = new Resolver(
      this.instances,
      source,
      Object.fromEntries(Object.entries(plan.variables ?? {}).map(([name, v]) => [name, v.value])),
    );
    if (source !== undefined) this.local = (m, name) => source.module(m)?.locals.get(name);
    this.grants = new Grants(
      this.instances,
      this.configuration,
      resolver,
      written,
      (i) => this.placeValue(i, PLACE_SOURCES.account),
      removed,
      (i) => before.get(i.address) ?? undefined,
    );
  }

  /** The Region a role's provider configuration sets as a constant, if it does. */
  providerRegion(role: Instance): string | undefined {
    const key = this.configuration.configOf(role)?.provider_config_key ?? "aws";
    const region = this.plan.configuration.provider_config?.[key]?.expressions?.region?.constant_value;
    return typeof region === "string" ? region : undefined;
  }

  roles(): Instance[] {
    return this.instances.filter((r) => r.mode === "managed" && r.type === "aws_iam_role");
  }

  /**
   * The value that the data sources of the role's provider configuration read in its module
   * instance: where the role is. Undefined when there is none, or several that disagree.
   */
  placeValue(role: Instance, sources: readonly PlaceSource[]): string | undefined {
    const provider = this.configuration.configOf(role)?.provider_config_key;
    const values = new Set(
      sources.flatMap(({ type, attributes, counts }) =>
        this.instances
          .filter((r) => r.mode === "data" && r.type === type && r.moduleAddress === role.moduleAddress)
          .filter((r) => this.configuration.configOf(r)?.provider_config_key === provider)
          .filter((r) => counts?.(r.values) ?? true)
          .map((r) => attributes.map((a) => knownString(r.values[a])).find((v) => v !== undefined))
          .filter((v): v is string => v !== undefined),
      ),
    );
    return values.size === 1 ? [...values][0] : undefined;
  }
}

/** Where a subject's role is, as the proof reads it. */
export function placeOf(subject: Subject): Place {
  return {
    partition: subject.partition,
    region: subject.region,
    accountId: subject.accountId,
    ...(subject.partitionGuessed ? { partitionGuessed: true } : {}),
  };
}

/**
 * The campaign and solution that the role's policies name, and where they are: read as IAM reads
 * them for the role's sessions (`${aws:PrincipalAccount}` is the role's account).
 */
function target(policies: readonly Pick<GrantingPolicy, "document">[], problems: string[], variables: Variables) {
  const read = policies.flatMap((p) => statements(withVariables(asIamReads(p.document), variables)));
  // The ARNs the Allow statements name; where they name none (an Allow on "*" cut down by Denies),
  // the ARNs the statements leave out with NotResource.
  const named = (pattern: RegExp) => {
    const allowed = read
      .filter((s) => s.Effect === "Allow")
      .flatMap((s) => list(s.Resource))
      .filter((r) => pattern.test(r));
    const carved = read.flatMap((s) => list(s.NotResource)).filter((r) => pattern.test(r));
    const arns = [...new Set(allowed.length > 0 ? allowed : carved)];
    // An ARN whose partition is a pattern is the one of the role's partition: the same as one
    // written with a partition, or with another pattern, that has the same rest.
    const rest = (arn: string) => arn.replace(/^arn:[^:]*:/, "");
    const patterned = (arn: string) => /[*?]/.test(arn.split(":")[1] ?? "");
    return arns.filter(
      (arn, i) =>
        !patterned(arn) || !arns.some((other, j) => rest(other) === rest(arn) && (!patterned(other) || j < i)),
    );
  };
  const campaigns = named(CAMPAIGN_ARN);
  const solutions = named(SOLUTION_ARN);
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

/** A resource policy's Allow statement that has a principal, and where it is. */
interface ResourceStatement {
  readonly where: string;
  readonly version: string | undefined;
  readonly statement: Statement;
}

/**
 * Every Allow statement with a principal (a resource policy's: a bucket's, a queue's, a key's,
 * another role's trust...) in any string argument of the resources of the plan but one, nested
 * blocks included (`details[0].policy`).
 */
function resourceStatements(model: SideModel, except: Instance): ResourceStatement[] {
  const found: ResourceStatement[] = [];
  for (const other of model.instances) {
    if (other.mode !== "managed" || other === except) continue;
    for (const [path, value] of stringLeaves(other.values, "")) {
      const document = value.includes("Statement") ? iamDocument(value) : undefined;
      for (const statement of document === undefined ? [] : statements(document)) {
        if (statement.Effect !== "Allow") continue;
        if (statement.Principal === undefined && statement.NotPrincipal === undefined) continue;
        found.push({ where: `${other.address}.${path}`, version: document?.Version, statement });
      }
    }
  }
  return found;
}

/** Every string of a value, with its path (`details[0].policy`). */
function stringLeaves(value: unknown, path: string): [string, string][] {
  if (typeof value === "string") return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, `${path}[${i}]`));
  if (value !== null && typeof value === "object")
    return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, path === "" ? k : `${path}.${k}`));
  return [];
}

/** The argument a path ends in: `policy` for `details[0].policy`. */
function lastArgument(path: string): string {
  return (
    path
      .replace(/\[\d+\]/g, "")
      .split(".")
      .pop() ?? ""
  );
}

/** The AWS principals of a principal element: `*` for `"*"`. */
function awsPrincipals(element: Statement["Principal"]): string[] {
  if (element === undefined) return [];
  if (element === "*") return ["*"];
  return list(element.AWS);
}

/**
 * What other resources of the plan grant the role through their own policies. A resource policy
 * grants the role on its own, beside the role's policies (IAM User Guide, policy evaluation logic:
 * within an account, a resource policy that allows a principal suffices), when an Allow statement
 * names the role (its ARN, its sessions' ARNs or its unique ID, in any letter case: IAM role names
 * are unique ignoring case), or lets anyone (`*`, `NotPrincipal` without the role) under
 * conditions that the evaluator cannot rule out for the role's sessions. A principal that is an
 * account (its root or its ID) leaves the decision to that account's identity policies, which the
 * review reads. A resource policy unknown until apply that refers to the role cannot be read, and
 * is reported too.
 */
async function grantsElsewhere(model: SideModel, role: Instance, subject: Subject): Promise<string[]> {
  const found: string[] = [];
  const { partition, accountId } = subject;
  const name = subject.role.name;
  const uniqueId = isKnown(role, "unique_id") ? String(role.values.unique_id) : undefined;
  const arnKnown = name !== undefined || isKnown(role, "arn");
  const namesRole = (value: string): boolean => {
    if (uniqueId !== undefined && value.startsWith(uniqueId)) return true;
    const v = value.toLowerCase();
    if (arnKnown) {
      const roleName = subject.role.arn.slice(subject.role.arn.lastIndexOf("/") + 1).toLowerCase();
      return (
        v === subject.role.arn.toLowerCase() ||
        v.startsWith(`arn:${partition}:sts::${accountId}:assumed-role/${roleName}/`.toLowerCase())
      );
    }
    // A name unknown until apply: any name its prefix allows may be the role's.
    const iam = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/i.exec(value);
    const sts = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\//i.exec(value);
    const [, p, account, candidate] = iam ?? sts ?? [];
    return (
      p?.toLowerCase() === partition && candidate !== undefined && model.grants.mayBeNamed(role, candidate, account)
    );
  };
  const session = `arn:${partition}:sts::${accountId}:assumed-role/${name ?? "generated-name"}/reviewed-session`;
  // Who the role's sessions are, as IAM puts it in every request they make.
  const context: Record<string, string> = {
    "aws:PrincipalAccount": accountId,
    "aws:PrincipalType": "AssumedRole",
    "aws:PrincipalIsAWSService": "false",
    ...(arnKnown ? { "aws:PrincipalArn": subject.role.arn } : {}),
    ...(uniqueId !== undefined ? { "aws:userid": `${uniqueId}:reviewed-session` } : {}),
  };
  const known = [
    ...Object.keys(context),
    // Never in a role session's requests.
    "aws:username",
    "aws:PrincipalServiceName",
    "aws:PrincipalServiceNamesList",
  ];
  const actions = (s: Statement) =>
    [...list(s.Action), ...list(s.NotAction).map((a) => `all but ${a}`)].join(", ") || "act";
  for (const { where, version, statement: s } of resourceStatements(model, role)) {
    const principals = awsPrincipals(s.Principal);
    if (s.Principal !== undefined && principals.some(namesRole)) {
      found.push(
        `${where} is a resource policy that names the role: it lets the role ${actions(s)} on its own, ` +
          "beside the role's policies.",
      );
      continue;
    }
    // NotPrincipal leaves out only the principals it lists, each exactly: a role's sessions are
    // left out only by their own ARNs, and the session Pinpoint opens has a name no policy can
    // know, so an Allow with NotPrincipal lets the role's sessions in whatever it lists.
    const everyone = principals.includes("*") || s.NotPrincipal !== undefined;
    if (!everyone) continue;
    const { outcome, error } = await resourceStatementRequest(s, version, session, accountId, context, known);
    if (outcome === "Denied") continue;
    found.push(
      outcome === "Allowed"
        ? `${where} is a resource policy that lets any principal ${actions(s)}` +
            (s.Condition === undefined ? "" : " under conditions the role's sessions can meet") +
            ": the role among them, on its own, beside the role's policies."
        : `${where} is a resource policy that lets any principal ${actions(s)} under conditions the evaluator ` +
            `could not evaluate (${error ?? "no reason given"}), so whether it grants the role cannot be told.`,
    );
  }
  for (const other of model.instances) {
    if (other.mode !== "managed" || other === role || IDENTITY_POLICY_TYPES.has(other.type)) continue;
    const expressions = model.configuration.configOf(other)?.expressions ?? {};
    // A resource policy unknown until apply: what it grants cannot be read, to this role or any
    // other. One that refers to the role (directly, or through data sources, locals, module
    // outputs and calls, other resources) is said to.
    for (const path of unknownPaths(other.unknown, "")) {
      const key = lastArgument(path);
      const top = path.split(/[.[]/)[0] ?? path;
      // Written by the configuration, not computed by the provider.
      if (!holdsResourcePolicy(other.type, key) || expressions[top] === undefined) continue;
      const refers = model.configuration.refersTo(other.moduleAddress, expressions[top], role, model.local);
      found.push(
        `${other.address}.${path} is a resource policy unknown until apply` +
          (refers ? " that refers to the role" : "") +
          ": what it grants cannot be read, so whether it grants the role cannot be told.",
      );
    }
    // A resource policy in another language than IAM's (OpenSearch Serverless access policies...)
    // that names the role: what it lets the role do is beside the role's policies.
    for (const [path, value] of stringLeaves(other.values, "")) {
      if (!holdsResourcePolicy(other.type, lastArgument(path)) || iamDocument(value) !== undefined) continue;
      if ([...value.matchAll(/"([^"\\]*)"/g)].some((m) => namesRole(m[1] ?? ""))) {
        found.push(
          `${other.address}.${path} is a resource policy that names the role: what it lets the role do is ` +
            "beside the role's policies, and the review does not read its language.",
        );
      }
    }
  }
  return found;
}

/** Resource types whose `policy` is an identity policy, placed on its role by the grants (and roles, whose trusts are read on their own). */
const IDENTITY_POLICY_TYPES = new Set([
  "aws_iam_policy",
  "aws_iam_role_policy",
  "aws_iam_user_policy",
  "aws_iam_group_policy",
  "aws_iam_role",
]);

/**
 * Whether an argument of a resource type may hold a resource policy document: any argument named
 * `policy`, `*_policy`, `*_policies` or `policy_document` (buckets, queues, topics, keys, secrets,
 * repositories and their creation templates, endpoints, OpenSearch domains, CloudWatch Logs...),
 * and an Organizations resource policy's `content`; not the settings named so that grant nothing
 * (a queue's redrive policies, lifecycle and retention policies).
 */
function holdsResourcePolicy(type: string, key: string): boolean {
  if (type === "aws_organizations_resource_policy" && key === "content") return true;
  return /^(?:[a-z0-9_]*_)?polic(?:y|ies)$|^policy_document$/.test(key) && !NOT_ACCESS_POLICIES.test(key);
}

/** Arguments named like policies that are settings, not access policies. */
const NOT_ACCESS_POLICIES =
  /^(?:redrive_policy|redrive_allow_policy|lifecycle_policy|retention_policy|deletion_policy|replication_policy|scaling_policy|routing_policy|tiering_policy|backup_policy|snapshot_policy|maintenance_policy)$/;

/** The paths of a plan's `after_unknown` that are unknown until apply (`details[0].policy`). */
function unknownPaths(unknown: unknown, path: string): string[] {
  if (unknown === true) return [path];
  if (Array.isArray(unknown)) return unknown.flatMap((u, i) => unknownPaths(u, `${path}[${i}]`));
  if (unknown !== null && typeof unknown === "object")
    return Object.entries(unknown).flatMap(([k, u]) => unknownPaths(u, path === "" ? k : `${path}.${k}`));
  return [];
}

/** A string's IAM policy document (which the evaluator reads), or undefined when it is none. */
function iamDocument(value: string): PolicyDocument | undefined {
  try {
    return parseDocument("value", value);
  } catch {
    return undefined;
  }
}

/** A role of one side, read into a subject (whether or not Pinpoint can assume it). */
function subjectOf(model: SideModel, role: Instance, trust: PolicyDocument, context: ReviewContext): Subject {
  const { policies, problems: grantProblems, losses } = model.grants.of(role);
  const problems = [...grantProblems];
  const targetProblems: string[] = [];
  const boundary = model.grants.boundaryOf(role);
  // The role's own ARN, where known, says which account and partition it is in; so does the
  // account of a plan the review made.
  const knownArn = isKnown(role, "arn") ? knownString(role.values.arn) : undefined;
  const roleArn = arnParts(knownArn ?? "");
  const fromRole: { partition?: string; region?: string; account?: string } = {
    partition: roleArn?.partition,
    region: model.providerRegion(role) ?? context.region,
    account: roleArn?.account ?? context.accountId,
  };
  const planned = (part: keyof typeof PLACE_SOURCES) => model.placeValue(role, PLACE_SOURCES[part]) ?? fromRole[part];
  const tags = knownTags(role);
  const roleName = isKnown(role, "name") ? knownString(role.values.name) : undefined;
  // The session's own keys, for reading the policies' variables: those the plan knows already.
  const plannedAccount = planned("account");
  const variables: Variables = (key) => {
    const lower = key.toLowerCase();
    if (lower === "aws:principalaccount" && plannedAccount !== undefined) return { value: plannedAccount };
    if (lower === "aws:principalarn" && knownArn !== undefined) return { value: knownArn };
    if (lower === "aws:principaltype") return { value: "AssumedRole" };
    // Only IAM users' requests carry aws:username (IAM User Guide, global condition keys): a role
    // session's never do, as the proof's request space has it.
    if (lower === "aws:username") return "absent";
    if (lower.startsWith("aws:principaltag/") && tags !== undefined) {
      const tag = Object.entries(tags).find(([k]) => k.toLowerCase() === lower.slice("aws:principaltag/".length));
      return tag === undefined ? "absent" : { value: tag[1] };
    }
    return "varies";
  };
  // Policies that name no campaign or solution (`Resource: "*"`) under a boundary that does: the
  // boundary's are the ones the role may reach.
  const fromPolicies = target(policies, [], variables);
  const byBoundary =
    boundary?.document !== undefined && fromPolicies.campaign === null && fromPolicies.solution === null;
  const { campaign, solution } = target(
    byBoundary && boundary?.document !== undefined ? [{ document: boundary.document }] : policies,
    targetProblems,
    variables,
  );
  const place = (index: number, part: keyof typeof PLACE_SOURCES, example: string): string => {
    const written = campaign?.[index];
    const fromPolicy = written !== undefined && /[*?]/.test(written) ? undefined : written;
    const fromPlan = planned(part);
    if (fromPolicy && fromPlan && fromPolicy !== fromPlan) {
      problems.push(`The campaign is in ${part} ${fromPolicy}, but the plan's is ${fromPlan}.`);
    }
    const value = fromPolicy ?? fromPlan;
    if (value === undefined) {
      targetProblems.push(
        `The role's ${part} is not known: no campaign ARN and no data source of its provider (${PLACE_SOURCES[part]
          .map((source) => `data.${source.type}`)
          .join(", ")}) says it, so what the role is meant to reach cannot be told.`,
      );
    }
    return value ?? example;
  };
  const region = place(2, "region", "us-east-1");
  // A Region is in one partition: where no data source says the partition, the Region does.
  fromRole.partition ??= planned("region") === undefined ? undefined : partitionOf(planned("region") as string);
  const partition = place(1, "partition", "aws");
  // What says the partition for certain: the role's known ARN, its provider's data sources, or
  // the Region its provider configuration writes. Else it is the review's guess (the Region it
  // planned in, a policy's ARN).
  const partitionGuessed =
    roleArn?.partition === undefined &&
    model.placeValue(role, PLACE_SOURCES.partition) === undefined &&
    model.placeValue(role, PLACE_SOURCES.region) === undefined &&
    model.providerRegion(role) === undefined;
  const accountId = place(3, "account", "111122223333");
  const campaignId = campaign?.[4] ?? "unknown-campaign";
  const solutionId = solution?.[4] ?? "unknown-solution";
  if (role.moduleAddress === "") {
    const values = Object.fromEntries(Object.entries(model.plan.variables ?? {}).map(([n, v]) => [n, v.value]));
    for (const [variable, id] of [
      ["campaign_id", campaignId],
      ["solution_id", solutionId],
    ] as const) {
      const expected = knownString(values[variable]);
      if (expected !== undefined && expected !== id)
        targetProblems.push(`The role reaches ${variable.replace("_id", "")} ${id}, but ${variable} is ${expected}.`);
    }
  }
  const personalize = `arn:${partition}:personalize:${region}:${accountId}`;
  const arn =
    knownArn ??
    `arn:${partition}:iam::${accountId}:role${knownString(role.values.path) ?? "/"}${roleName ?? "generated-name"}`;
  const maxSession = role.values.max_session_duration;
  const path = role.values.path === undefined || role.values.path === null ? "/" : knownString(role.values.path);
  const prefix =
    role.values.name_prefix === undefined || role.values.name_prefix === null
      ? "terraform-"
      : knownString(role.values.name_prefix);
  const arnPattern =
    path === undefined || prefix === undefined
      ? undefined
      : `arn:${escapeRegex(partition)}:iam::${escapeRegex(accountId)}:role${escapeRegex(path)}${escapeRegex(prefix)}[0-9a-f]{26}`;
  return {
    partition,
    ...(partitionGuessed ? { partitionGuessed } : {}),
    region,
    accountId,
    campaignId,
    solutionId,
    campaignArn: `${personalize}:campaign/${campaignId}`,
    solutionArn: `${personalize}:solution/${solutionId}`,
    role: {
      address: role.address,
      ...(roleName ? { name: roleName } : {}),
      arn,
      arnKnown: knownArn !== undefined || roleName !== undefined,
      ...(knownArn === undefined && roleName === undefined && arnPattern !== undefined ? { arnPattern } : {}),
      trustPolicy: trust,
      ...(tags === undefined ? {} : { tags }),
      maxSessionDuration: typeof maxSession === "number" ? maxSession : 3600,
    },
    policies,
    ...(boundary?.document === undefined
      ? {}
      : { boundary: { address: boundary.address, document: boundary.document } }),
    ...(boundary?.problem === undefined ? {} : { boundaryProblem: boundary.problem }),
    problems,
    targetProblems,
    losses,
  };
}

/** The partition a Region is in (AWS General Reference, Regions and partitions). */
function partitionOf(region: string): string {
  const prefixes: [string, string][] = [
    ["cn-", "aws-cn"],
    ["us-gov-", "aws-us-gov"],
    ["us-isob-", "aws-iso-b"],
    ["us-isof-", "aws-iso-f"],
    ["us-iso-", "aws-iso"],
    ["eu-isoe-", "aws-iso-e"],
    ["eusc-", "aws-eusc"],
  ];
  return prefixes.find(([prefix]) => region.startsWith(prefix))?.[1] ?? "aws";
}

/** A role's tags as its sessions carry them (tags_all: the provider's default tags too), where known at plan time. */
function knownTags(role: Instance): Record<string, string> | undefined {
  for (const attribute of ["tags_all", "tags"]) {
    if (!isKnown(role, attribute)) continue;
    const value = role.values[attribute];
    if (value === null || value === undefined) return attribute === "tags_all" ? undefined : {};
    if (typeof value === "object" && Object.values(value).every((v) => typeof v === "string")) {
      return value as Record<string, string>;
    }
  }
  return undefined;
}

export interface PlanSubjects {
  /** Every role that Pinpoint may assume, each to be reviewed on its own. */
  readonly subjects: Subject[];
  /** Every other role of the plan. */
  readonly notReviewed: NotReviewed[];
  /** Roles whose trust cannot be read (unknown until apply, malformed): each fails the review. */
  readonly unreadable: NotReviewed[];
  /**
   * With a plan alone: the resources whose arguments name a role or policy that is unknown until
   * apply, which the configuration the plan was made from would place (empty with it).
   */
  readonly needConfiguration: string[];
  /** The module instance of each role read (its address to the plan's `module_address`; "" for the root). */
  readonly modules: ReadonlyMap<string, string>;
}

/** Reads every Pinpoint role of a plan (`terraform show -json`), in every module and instance. */
export async function subjectsOf(plan: TerraformPlan, context: ReviewContext = {}): Promise<PlanSubjects> {
  const model = new SideModel(plan, "after", context);
  const subjects: Subject[] = [];
  const notReviewed: NotReviewed[] = [];
  const unreadable: NotReviewed[] = [];
  const modules = new Map<string, string>();
  for (const role of model.roles()) {
    modules.set(role.address, role.moduleAddress);
    let trust: PolicyDocument;
    try {
      trust = readDocument(`${role.address}.assume_role_policy`, role.values.assume_role_policy);
    } catch (error) {
      // Whether Pinpoint may assume it cannot be told: it fails the review, beside the others.
      if (!(error instanceof SubjectError)) throw error;
      unreadable.push({ address: role.address, reason: error.message });
      continue;
    }
    const subject = subjectOf(model, role, trust, context);
    subject.problems.push(...(await grantsElsewhere(model, role, subject)));
    const place = placeOf(subject);
    if (await trustsPinpoint({ place, arn: subject.role.arn, trust }, context.now ?? reviewMoment())) {
      subjects.push(subject);
    } else {
      notReviewed.push({
        address: role.address,
        reason: `its trust lets ${PINPOINT_PRINCIPAL} assume it in no request, even with its conditions taken as met`,
      });
    }
  }
  if (subjects.length === 0 && unreadable.length === 0) {
    const found = notReviewed.map((r) => r.address);
    throw new SubjectError(
      `The plan has no IAM role that ${PINPOINT_PRINCIPAL} can assume; ` +
        (found.length > 0 ? `the roles it has: ${found.join(", ")}.` : "it has no IAM role at all."),
    );
  }
  return {
    subjects,
    notReviewed,
    unreadable,
    needConfiguration: [...model.grants.needConfiguration].sort(),
    modules,
  };
}

/**
 * The same role before the plan's changes, read from the prior state's own documents (its trust,
 * and every kind of policy that reached it), in the same place, for the access diff. Undefined when
 * the role is new or neither its trust nor any of its policies changes.
 */
export function priorSubject(plan: TerraformPlan, subject: Subject, context: ReviewContext = {}): Subject | undefined {
  const model = new SideModel(plan, "before", context);
  const role = model.roles().find((r) => r.address === subject.role.address);
  if (role === undefined) return undefined;
  const trust = readDocument(`${role.address}.assume_role_policy (before)`, role.values.assume_role_policy);
  const before = subjectOf(model, role, trust, context);
  const documents = (s: Subject) =>
    canonical([s.role.trustPolicy, s.policies.map((p) => canonical(p.document)).sort()]);
  if (documents(before) === documents(subject)) return undefined;
  const personalize = `arn:${subject.partition}:personalize:${subject.region}:${subject.accountId}`;
  return {
    ...before,
    partition: subject.partition,
    region: subject.region,
    accountId: subject.accountId,
    campaignArn: `${personalize}:campaign/${before.campaignId}`,
    solutionArn: `${personalize}:solution/${before.solutionId}`,
    role: { ...subject.role, trustPolicy: trust },
    problems: [],
    losses: [],
  };
}
