import { arnParts, canonical, DocumentError, parseDocument, PolicyDocument, statements } from "./documents";
import { Instance, isKnown, knownElements, PlanConfiguration } from "./plan-model";
import {
  argumentRefusals,
  documentRefusal,
  INLINE_POLICIES_SIZE,
  MANAGED_POLICIES_PER_ROLE,
  MANAGED_POLICY_SIZE,
  policySize,
  TRUST_POLICY_SIZE,
} from "./iam-limits";
import { Resolver } from "./resolver";

// Every policy that one side of a plan puts on each IAM role, from every kind of resource that can
// put one there, placed by value or by following the configuration's references; what cannot be
// read or placed is reported, never dropped. Also what a later apply would take away: policies
// managed in two ways at once, where an exclusive manager detaches what another resource attaches.

/** A policy on a role, with where it comes from. */
export interface GrantingPolicy {
  /**
   * What holds the document: a managed policy (`aws_iam_policy.this`), an inline policy resource
   * (`aws_iam_role_policy.x`) or a role's inline policy (`aws_iam_role.this.inline_policy["name"]`).
   */
  readonly address: string;
  readonly document: PolicyDocument;
  /** The resources that put it on the role (attachments, the role's own arguments). */
  readonly via: string[];
}

/** What one side of the plan puts on one role. */
export interface RoleGrants {
  readonly policies: GrantingPolicy[];
  /** What the review could not read or place about the role's grants: each fails the role. */
  readonly problems: string[];
  /** What a later apply would take away from the role: each fails it too. */
  readonly losses: string[];
}

/**
 * What the configuration's files say of a resource's arguments, where the plan's JSON does not:
 * with a plan alone, nothing (`undefined`, and `false` for `isNull`).
 */
export interface WrittenArguments {
  /**
   * Whether the configuration writes a `dynamic` block of that name that may make blocks: true, or
   * false when it writes none or each one's `for_each` is known to be empty (Terraform then makes
   * no block, as if none were written).
   */
  dynamicBlock(instance: Instance, block: string): boolean | undefined;
  /**
   * Whether an argument's value is known to be null: Terraform reads a null argument as one left
   * out ("If you set an argument of a resource to null, Terraform behaves as though you had
   * completely omitted it", Terraform language, Types and Values). False where it cannot tell.
   */
  isNull(instance: Instance, attribute: string): boolean;
  /** Whether an argument's value is known to be an empty list, set or map. False where it cannot tell. */
  knownEmpty(instance: Instance, attribute: string): boolean;
  /**
   * Whether the resource's `lifecycle` block ignores changes to the whole argument (`ignore_changes`
   * lists it, or is `all`): Terraform then plans the argument's value in state, not the configuration's,
   * once the resource exists. False where it cannot tell (a plan alone), or for part of the argument.
   */
  ignoresChanges(instance: Instance, attribute: string): boolean;
}

/** A managed policy's document, found by ARN or by reference. */
interface ManagedPolicy {
  readonly key: string;
  readonly address: string;
  readonly document?: PolicyDocument;
  readonly problem?: string;
}

/** A resource that puts managed or inline policies on roles, or manages them exclusively. */
interface Source {
  readonly instance: Instance;
  /** The attribute that names the role(s). */
  readonly roleAttribute: string;
}

const ROLE_TYPES = ["aws_iam_role"];
const POLICY_TYPES = ["aws_iam_policy", "data.aws_iam_policy"];

function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** The document of a role's `inline_policy` block, by the address the review gives it (`…inline_policy["name"]` or `[i]`). */
function blockPolicy(role: Instance, address: string): string | undefined {
  const selector = address.slice(`${role.address}.inline_policy`.length);
  const blocks = knownElements(role, "inline_policy") ?? [];
  const found = /^\[(\d+)\]$/.test(selector)
    ? blocks[Number(selector.slice(1, -1))]
    : blocks.find((b) => JSON.stringify((b as { name?: unknown } | undefined)?.name) === selector.slice(1, -1));
  return text((found as { policy?: unknown } | undefined)?.policy);
}

/** The policy part of a policy ARN, `policy/path/name`, to compare an ARN with a policy's name and path. */
function policyPart(arn: string): string | undefined {
  return /^arn:[^:]*:iam::[^:]*:(policy\/.*)$/.exec(arn)?.[1];
}

export class Grants {
  private readonly roles: Instance[];
  private readonly policies: Instance[];
  private readonly byRole = new Map<
    Instance,
    { policies: Map<string, GrantingPolicy>; problems: string[]; losses: string[] }
  >();
  /** What could not be placed on a role: it may be on any of them. */
  private readonly unplaced: string[] = [];
  /**
   * The resources whose arguments a plan alone cannot place or read (a role or policy ARN unknown
   * until apply): their configuration, which writes the expression, would tell.
   */
  readonly needConfiguration = new Set<string>();

  /** The accounts the plan's data sources read (aws_caller_identity): where the plan's resources are. */
  private readonly accounts: Set<string>;

  constructor(
    private readonly instances: readonly Instance[],
    private readonly configuration: PlanConfiguration,
    private readonly resolver: Resolver,
    private readonly written: WrittenArguments,
    /** The account a resource instance is in, where the plan says (its provider's aws_caller_identity). */
    private readonly accountOf: (instance: Instance) => string | undefined,
    /** The managed resources that the plan deletes, with their values before (none for the before side). */
    private readonly removed: readonly Instance[] = [],
    /** A resource instance's values before the plan (its prior state), where the plan has them. */
    private readonly prior: (instance: Instance) => Record<string, unknown> | undefined = () => undefined,
  ) {
    this.accounts = new Set(
      instances
        .filter((i) => i.mode === "data" && i.type === "aws_caller_identity")
        .map((i) => text(i.values.account_id))
        .filter((a): a is string => a !== undefined),
    );
    this.roles = instances.filter((i) => i.mode === "managed" && i.type === "aws_iam_role");
    this.policies = instances.filter(
      (i) =>
        (i.mode === "managed" && i.type === "aws_iam_policy") || (i.mode === "data" && i.type === "aws_iam_policy"),
    );
    for (const role of this.roles) this.byRole.set(role, { policies: new Map(), problems: [], losses: [] });
    this.place();
    this.sameNames();
    this.refusedAtApply();
  }

  /**
   * What IAM refuses at apply among what the plan makes or changes for each role (its trust, path
   * and tags; the documents, paths and tags of its policies; the size of its inline policies
   * together): each fails the role, since the apply stops there and leaves the rest applied.
   */
  private refusedAtApply(): void {
    // What the apply sends: a new resource's every argument; an updated one's changed arguments
    // (hashicorp/aws calls UpdateAssumeRolePolicy, CreatePolicyVersion, TagRole... for those alone).
    const sends = (i: Instance, attribute: string) =>
      i.actions.includes("create") ||
      (i.actions.includes("update") &&
        JSON.stringify(this.prior(i)?.[attribute] ?? null) !== JSON.stringify(i.values[attribute] ?? null));
    const byAddress = new Map(this.instances.filter((i) => i.mode === "managed").map((i) => [i.address, i]));
    for (const role of this.roles) {
      const own = this.byRole.get(role);
      if (own === undefined) continue;
      const refused = (what: string, why: string) =>
        own.problems.push(
          `IAM refuses ${what} at apply: ${why}. The apply stops there, and the role's access is not the plan's.`,
        );
      if (["path", "tags", "tags_all"].some((a) => sends(role, a))) {
        for (const why of argumentRefusals(role)) refused(role.address, why);
      }
      const trust = sends(role, "assume_role_policy") ? text(role.values.assume_role_policy) : undefined;
      if (trust !== undefined) {
        const why = documentRefusal(trust);
        if (why !== undefined) refused(`${role.address}.assume_role_policy`, why);
        const size = policySize(trust);
        if (size > TRUST_POLICY_SIZE) {
          refused(
            `${role.address}.assume_role_policy`,
            `it has ${size} characters without white space, over IAM's default quota of ${TRUST_POLICY_SIZE} for a ` +
              "trust policy (an account may have it raised to 8,192; LimitExceeded)",
          );
        }
      }
      let inlineSize = 0;
      let inlineChanged = false;
      for (const policy of own.policies.values()) {
        const instance = byAddress.get(policy.address);
        const block = instance === undefined && policy.address.startsWith(`${role.address}.inline_policy[`);
        const document =
          instance !== undefined ? text(instance.values.policy) : block ? blockPolicy(role, policy.address) : undefined;
        if (document === undefined) continue;
        const changed = instance !== undefined ? sends(instance, "policy") : sends(role, "inline_policy");
        if (block || instance?.type === "aws_iam_role_policy") {
          inlineSize += policySize(document);
          inlineChanged ||= changed;
        }
        if (
          instance?.type === "aws_iam_policy" &&
          ["path", "description", "tags", "tags_all"].some((a) => sends(instance, a))
        ) {
          for (const reason of argumentRefusals(instance)) refused(policy.address, reason);
        }
        if (!changed) continue;
        const why = documentRefusal(document);
        if (why !== undefined) refused(policy.address, why);
        if (instance?.type === "aws_iam_policy") {
          const size = policySize(document);
          if (size > MANAGED_POLICY_SIZE) {
            refused(
              policy.address,
              `its document has ${size} characters without white space, over IAM's ${MANAGED_POLICY_SIZE} for a ` +
                "managed policy (LimitExceeded)",
            );
          }
        }
      }
      // Managed policies attached to the role: IAM's default quota is 10 (an account may have it
      // raised to 20). Refused when the plan attaches one (an attachment or the role's list it makes).
      const managed = [...own.policies.entries()].filter(([key]) => !key.startsWith("inline:"));
      const attaching = managed.some(([, p]) =>
        p.via.some((v) => {
          const by = byAddress.get(v);
          return by !== undefined
            ? by.actions.includes("create")
            : v === `${role.address}.managed_policy_arns` && sends(role, "managed_policy_arns");
        }),
      );
      if (attaching && managed.length > MANAGED_POLICIES_PER_ROLE) {
        refused(
          `an attachment to ${role.address}`,
          `the role would have ${managed.length} managed policies, over IAM's default quota of ` +
            `${MANAGED_POLICIES_PER_ROLE} (an account may have it raised to 20; LimitExceeded)`,
        );
      }
      if (inlineChanged && inlineSize > INLINE_POLICIES_SIZE) {
        refused(
          `the inline policies of ${role.address}`,
          `together they have ${inlineSize} characters without white space, over IAM's ${INLINE_POLICIES_SIZE} for ` +
            "one role (LimitExceeded)",
        );
      }
    }
  }

  /**
   * Roles and policies that the plan creates with one name (letter case aside), with one provider
   * configuration: IAM names are unique per account ignoring case
   * ("you cannot create resources named both 'MyResource' and 'myresource'", CreateRole), so one
   * CreateRole or CreatePolicy fails, and which depends on the order the apply takes.
   */
  private sameNames(): void {
    type Named = { i: Instance; name: string; account: string | undefined; provider: string };
    const created = (i: Instance) => i.mode === "managed" && i.actions.includes("create");
    const named = (type: string) =>
      (type === "aws_iam_role" ? this.roles : this.policies)
        .filter(created)
        .map((i) => ({
          i,
          name: isKnown(i, "name") ? text(i.values.name) : undefined,
          account: this.accountOf(i),
          provider: this.configuration.configOf(i)?.provider_config_key ?? "aws",
        }))
        .filter((n): n is Named => n.name !== undefined);
    // One provider configuration: one account (an offline review gives every provider one stand-in
    // account, so two configurations, which may be two accounts, are not compared).
    const clash = (a: Named, b: Named) =>
      a.i !== b.i &&
      a.provider === b.provider &&
      a.name.toLowerCase() === b.name.toLowerCase() &&
      (a.account === undefined || b.account === undefined || a.account === b.account);
    const roles = named("aws_iam_role");
    for (const a of roles) {
      for (const b of roles.filter((b) => clash(a, b))) {
        this.byRole
          .get(a.i)
          ?.problems.push(
            `${a.i.address} (${JSON.stringify(a.name)}) and ${b.i.address} (${JSON.stringify(b.name)}) name their roles ` +
              "alike (letter case aside): IAM role names are unique per account ignoring case, so one CreateRole fails.",
          );
      }
    }
    const policies = named("aws_iam_policy");
    for (const a of policies) {
      for (const b of policies.filter((b) => clash(a, b))) {
        for (const [role, own] of this.byRole) {
          if (own.policies.has(a.i.address)) {
            own.problems.push(
              `${a.i.address} (${JSON.stringify(a.name)}), which ${role.address} has, and ${b.i.address} ` +
                `(${JSON.stringify(b.name)}) name their policies alike (letter case aside): IAM policy names are ` +
                "unique per account ignoring case, so one CreatePolicy fails.",
            );
          }
        }
      }
    }
  }

  /** Every policy that reaches the role, and what could not be read, placed or kept. */
  /**
   * The role's permissions boundary: its document when the plan creates or reads the policy, or why
   * it cannot be read (the effective access cannot then be proven). Undefined without one.
   */
  boundaryOf(role: Instance): ManagedPolicy | undefined {
    if (role.values.permissions_boundary == null && role.unknown.permissions_boundary !== true) return undefined;
    const [found, ...more] = this.policiesOf(role, "permissions_boundary");
    if (found === undefined) return undefined;
    if (more.length > 0 || found.problem !== undefined || found.document === undefined) {
      return {
        ...found,
        document: undefined,
        problem:
          `The role's permissions boundary (${role.address}.permissions_boundary) cannot be read, so the role ` +
          "may grant less than this report says (never more): " +
          (found.problem ?? "it names more than one policy."),
      };
    }
    return found;
  }

  of(role: Instance): RoleGrants {
    const own = this.byRole.get(role);
    const policies = [...(own?.policies.values() ?? [])];
    const problems = [...(own?.problems ?? []), ...this.unplaced];
    return { policies, problems: [...new Set(problems)], losses: [...new Set(own?.losses ?? [])] };
  }

  private managed(type: string): Instance[] {
    return this.instances.filter((i) => i.mode === "managed" && i.type === type);
  }

  // -------------------------------------------------------------------------------------------
  // Which roles a resource names.

  /**
   * Whether a role may have this name, given to a resource of this account: IAM role names are
   * unique per account, case-insensitively; a name unknown until apply may be any name its prefix
   * (name_prefix, or the literal text its configuration starts it with) allows.
   */
  mayBeNamed(role: Instance, name: string, account: string | undefined): boolean {
    const roleAccount = this.accountOf(role);
    if (account !== undefined && roleAccount !== undefined && account !== roleAccount) return false;
    const own = text(role.values.name);
    if (isKnown(role, "name") && own !== undefined) return own.toLowerCase() === name.toLowerCase();
    const namePrefix = text(role.values.name_prefix);
    // A name from name_prefix is the prefix and the provider's 26 generated characters.
    if (namePrefix !== undefined && name.length !== namePrefix.length + 26) return false;
    const prefix = namePrefix ?? this.resolver.literalPrefix(role, "name");
    return prefix === undefined || name.toLowerCase().startsWith(prefix.toLowerCase());
  }

  /**
   * The roles a source names, or why it cannot be told: the role its configuration references,
   * when its argument is a reference and nothing else; else the roles the names it holds may be,
   * in its account.
   */
  private rolesOf(source: Source): { roles: Instance[]; unplaced?: string; maybe?: Set<Instance> } {
    const { instance, roleAttribute } = source;
    const resolution = this.resolver.argument(instance, roleAttribute, ROLE_TYPES);
    // Named by an attribute IAM refuses there: the apply fails at that call, which puts nothing on
    // the role (and the role cannot be shown to be what the plan says).
    for (const { roles, why } of resolution.refused ?? []) {
      for (const role of roles) this.byRole.get(role)?.problems.push(`${why}: the apply fails there.`);
    }
    if (resolution.refused !== undefined && resolution.targets.length === 0 && resolution.unresolved.length === 0) {
      return { roles: [] };
    }
    if (resolution.unresolved.length === 0 && resolution.targets.length > 0 && !resolution.known) {
      return { roles: resolution.targets };
    }
    const elements = knownElements(instance, roleAttribute);
    const names = (elements ?? []).filter((e): e is string => typeof e === "string");
    const account = this.accountOf(instance);
    const byName = this.roles.filter((r) => names.some((n) => this.mayBeNamed(r, n, account)));
    const roles = new Set([...resolution.targets, ...byName]);
    // Roles whose name is unknown until apply, which a name may or may not turn out to be.
    const maybe = new Set(byName.filter((r) => !isKnown(r, "name") && !resolution.targets.includes(r)));
    if (elements !== undefined && elements.every((e) => typeof e === "string")) return { roles: [...roles], maybe };
    if (resolution.unresolved.length > 0 || resolution.targets.length === 0) {
      if (this.resolver.planOnly) this.needConfiguration.add(instance.address);
      const why =
        resolution.unresolved.length > 0
          ? resolution.unresolved.join("; ")
          : `its ${roleAttribute} names no IAM role of the plan`;
      return { roles: [...roles], maybe, unplaced: `${instance.address} names a role the review cannot place: ${why}` };
    }
    return { roles: [...roles], maybe };
  }

  /**
   * Of the roles a source names, those it may be put on as given: every role it names for sure,
   * and a role that it names only maybe (its name is unknown until apply) where `mayAdd` says what
   * it puts can only add to the role's access. Taking it as there is then the wider reading; a
   * Deny there, or a manager that removes policies, may or may not apply, which the review cannot
   * decide: the role fails.
   */
  private placeable(source: Source, found: ReturnType<Grants["rolesOf"]>, mayAdd: boolean): Instance[] {
    return found.roles.filter((role) => {
      if (mayAdd || !found.maybe?.has(role)) return true;
      this.byRole
        .get(role)
        ?.problems.push(
          `${source.instance.address} names a role by ${source.roleAttribute} that may or may not be ${role.address} ` +
            "(its name is unknown until apply), and what it does there may take access away (a Deny, a policy " +
            "removed): whether it applies to the role cannot be told.",
        );
      return false;
    });
  }

  // -------------------------------------------------------------------------------------------
  // Which managed policies a resource attaches.

  private policyDocument(policy: Instance): Pick<ManagedPolicy, "document" | "problem"> {
    try {
      return { document: parseDocument(`${policy.address}.policy`, policy.values.policy) };
    } catch (error) {
      if (error instanceof DocumentError) return { problem: error.message };
      throw error;
    }
  }

  /**
   * The policies of the plan that an ARN names: the one with that ARN, or, for a policy the plan
   * creates (no ARN yet), the one whose path and name it has (names are unique per account,
   * case-insensitively) in an account of the plan. An AWS managed policy (account `aws`) is never
   * a policy the plan creates.
   */
  /**
   * The plan's policies an ARN names. `exact`: as the exclusive managers compare ARNs (hashicorp/aws
   * compares the listed ARNs with the role's as strings), not as IAM finds a policy by its name.
   */
  private byArn(arn: string, exact = false): Instance[] {
    const same = this.policies.filter((p) => p.values.arn === arn);
    if (same.length > 0) return same;
    const parts = arnParts(arn);
    if (parts === undefined || parts.service !== "iam" || !/^\d{12}$/.test(parts.account)) return [];
    if (this.accounts.size > 0 && !this.accounts.has(parts.account)) return [];
    const fold = (t: string) => (exact ? t : t.toLowerCase());
    const part = policyPart(arn);
    const folded = part === undefined ? undefined : fold(part);
    return this.policies.filter((p) => {
      if (p.mode !== "managed" || isKnown(p, "arn")) return false;
      const path = text(p.values.path) ?? "/";
      const name = isKnown(p, "name") ? text(p.values.name) : undefined;
      if (name !== undefined) return folded === fold(`policy${path}${name}`);
      // A generated name: the prefix and the provider's 26 characters.
      const prefix = text(p.values.name_prefix);
      const generated = folded?.slice(`policy${path}`.length);
      return (
        prefix !== undefined &&
        folded?.startsWith(fold(`policy${path}`)) === true &&
        generated?.startsWith(fold(prefix)) === true &&
        generated.length === prefix.length + 26
      );
    });
  }

  /** The managed policies that an ARN argument (one ARN or a list) names. */
  private policiesOf(instance: Instance, attribute: string, exact = false): ManagedPolicy[] {
    const found: ManagedPolicy[] = [];
    const elements = knownElements(instance, attribute);
    for (const arn of (elements ?? []).filter((e): e is string => typeof e === "string")) {
      const policies = this.byArn(arn, exact);
      if (policies.length === 0) {
        found.push({
          key: arn,
          address: arn,
          problem:
            `${instance.address} attaches ${arn}, which this plan neither creates nor updates nor reads, ` +
            "so its document cannot be checked.",
        });
      }
      for (const p of policies) found.push({ key: p.address, address: p.address, ...this.policyDocument(p) });
    }
    if (elements === undefined || elements.some((e) => typeof e !== "string")) {
      const resolution = this.resolver.argument(instance, attribute, POLICY_TYPES);
      for (const p of resolution.targets) found.push({ key: p.address, address: p.address, ...this.policyDocument(p) });
      if (resolution.unresolved.length > 0 || resolution.targets.length === 0) {
        if (this.resolver.planOnly) this.needConfiguration.add(instance.address);
        found.push({
          key: `${instance.address}.${attribute}`,
          address: `${instance.address}.${attribute}`,
          problem:
            `${instance.address} attaches a policy whose ARN is unknown until apply, so its document cannot be checked: ` +
            (resolution.unresolved.length > 0
              ? resolution.unresolved.join("; ")
              : `its ${attribute} names no IAM policy of the plan`) +
            ".",
        });
      }
    }
    return found;
  }

  // -------------------------------------------------------------------------------------------
  // Placement.

  private put(role: Instance, key: string, policy: GrantingPolicy | { problem: string; via: string }): void {
    const own = this.byRole.get(role);
    if (own === undefined) return;
    if ("problem" in policy) {
      own.problems.push(policy.problem);
      return;
    }
    const existing = own.policies.get(key);
    if (existing === undefined) {
      own.policies.set(key, { ...policy, via: [...policy.via] });
    } else if (existing.address === policy.address || canonical(existing.document) === canonical(policy.document)) {
      existing.via.push(...policy.via.filter((v) => !existing.via.includes(v)));
    } else {
      // Two resources write one inline policy name: IAM keeps one document per name, so whichever
      // applies last wins, and later applies may switch them. Both count, and the role fails.
      own.policies.set(`${key}#${policy.address}`, { ...policy, via: [...policy.via] });
      own.losses.push(
        `${existing.address} and ${policy.address} both write the inline policy ${key.slice("inline:".length)} of ` +
          `${role.address}: IAM keeps one document per name, so whichever applies last replaces the other.`,
      );
    }
  }

  /** Places a source's managed policies on every role it names; what it cannot place, on every role. */
  private attach(source: Source, policies: ManagedPolicy[], exclusive = false): Instance[] {
    const found = this.rolesOf(source);
    if (found.unplaced) this.unplaced.push(`${found.unplaced}, so it may put a policy on this role.`);
    const roles = this.placeable(source, found, !exclusive && policies.every((p) => onlyAllows(p.document)));
    for (const role of roles) {
      for (const p of policies) {
        if (p.document)
          this.put(role, p.key, { address: p.address, document: p.document, via: [source.instance.address] });
        else
          this.put(role, p.key, { problem: p.problem ?? `${p.address} cannot be read.`, via: source.instance.address });
      }
    }
    return roles;
  }

  private inline(role: Instance, key: string, address: string, via: string, value: unknown): void {
    try {
      this.put(role, key, { address, document: parseDocument(address, value), via: [via] });
    } catch (error) {
      if (!(error instanceof DocumentError)) throw error;
      this.put(role, key, { problem: error.message, via });
    }
  }

  private place(): void {
    // What each exclusive manager keeps, per role: [manager, the policy keys it keeps].
    const managedExclusive = new Map<Instance, [string, Set<string>][]>();
    const inlineExclusive = new Map<Instance, [string, Set<string>][]>();
    const exclusive = (map: Map<Instance, [string, Set<string>][]>, role: Instance, entry: [string, Set<string>]) =>
      map.set(role, [...(map.get(role) ?? []), entry]);
    // Standalone attachments and inline policy resources, per role: [resource, policy key].
    const attached = new Map<Instance, [string, string][]>();
    const inlined = new Map<Instance, [string, string][]>();
    const record = (map: Map<Instance, [string, string][]>, role: Instance, entry: [string, string]) =>
      map.set(role, [...(map.get(role) ?? []), entry]);

    for (const a of this.managed("aws_iam_role_policy_attachment")) {
      const policies = this.policiesOf(a, "policy_arn");
      for (const role of this.attach({ instance: a, roleAttribute: "role" }, policies)) {
        for (const p of policies) record(attached, role, [a.address, p.key]);
      }
    }
    // The legacy attachment is exclusive for its policy across the account: it detaches the
    // policy from every role it does not list.
    const legacy: [Instance, ManagedPolicy[], Instance[]][] = [];
    for (const a of this.managed("aws_iam_policy_attachment")) {
      const policies = this.policiesOf(a, "policy_arn");
      const roles = this.attach({ instance: a, roleAttribute: "roles" }, policies, true);
      for (const role of roles) for (const p of policies) record(attached, role, [a.address, p.key]);
      legacy.push([a, policies, roles]);
    }
    for (const e of this.managed("aws_iam_role_policy_attachments_exclusive")) {
      const policies = this.policiesOf(e, "policy_arns", true);
      for (const role of this.attach({ instance: e, roleAttribute: "role_name" }, policies, true)) {
        exclusive(managedExclusive, role, [e.address, new Set(policies.map((p) => p.key))]);
      }
    }
    // The inline policies each role is given by name, as written (the exclusive manager compares them so).
    const namedInline = new Map<Instance, [string, string][]>();
    for (const p of this.managed("aws_iam_role_policy")) {
      const source = { instance: p, roleAttribute: "role" };
      const found = this.rolesOf(source);
      if (found.unplaced) this.unplaced.push(`${found.unplaced}, so it may put an inline policy on this role.`);
      const name = isKnown(p, "name") ? text(p.values.name) : undefined;
      // One of the same name as the role's own is a loss either way (put, below).
      for (const role of this.placeable(source, found, onlyAllows(inlineDocument(p.values.policy)))) {
        const key = `inline:${name?.toLowerCase() ?? p.address}`;
        this.inline(role, key, p.address, p.address, p.values.policy);
        record(inlined, role, [p.address, key]);
        if (name !== undefined) record(namedInline, role, [p.address, name]);
      }
    }
    for (const e of this.managed("aws_iam_role_policies_exclusive")) {
      const source = { instance: e, roleAttribute: "role_name" };
      const found = this.rolesOf(source);
      if (found.unplaced) this.unplaced.push(`${found.unplaced}, so it may remove this role's inline policies.`);
      const names = knownElements(e, "policy_names");
      for (const role of this.placeable(source, found, false)) {
        if (names === undefined || names.some((n) => typeof n !== "string")) {
          this.byRole
            .get(role)
            ?.problems.push(
              `${e.address}.policy_names is unknown until apply: the inline policies it keeps cannot be told.`,
            );
          continue;
        }
        exclusive(inlineExclusive, role, [e.address, new Set(names.map((n) => `inline:${String(n).toLowerCase()}`))]);
        // hashicorp/aws compares the names it keeps with the role's exactly (role_policies_exclusive.go,
        // DiffSlices with ==): a name listed in another letter case keeps nothing, and the apply
        // deletes the policy it was meant to keep.
        for (const [address, name] of namedInline.get(role) ?? []) {
          if (names.includes(name)) continue;
          const listed = names.find((n) => String(n).toLowerCase() === name.toLowerCase());
          if (listed !== undefined) {
            this.byRole
              .get(role)
              ?.losses.push(
                `${e.address} lists ${JSON.stringify(listed)}, and ${address} puts ${JSON.stringify(name)} on ` +
                  `${role.address}: hashicorp/aws compares the names exactly, so it takes the one for a policy to ` +
                  "add, which has no document (the apply fails), and the other for one to delete.",
              );
          }
        }
      }
    }
    for (const role of this.roles) {
      // The role's own inline_policy blocks put inline policies on it too: an exclusive manager of
      // its inline policies that does not list them deletes them.
      const { inline, managed } = this.roleArguments(role, managedExclusive, inlineExclusive);
      for (const key of inline) record(inlined, role, [`${role.address}.inline_policy`, key]);
      // So do its managed_policy_arns (written, ignored or computed): an exclusive manager of its
      // managed policies that does not list them detaches them, and an ignored list never puts
      // them back.
      for (const key of managed) record(attached, role, [`${role.address}.managed_policy_arns`, key]);
    }

    // What a later apply takes away.
    for (const role of this.roles) {
      const own = this.byRole.get(role);
      if (own === undefined) continue;
      // Exclusive managers that keep different sets undo each other; with the same set, each apply
      // finds nothing to change.
      const disagree = (list: [string, Set<string>][]) =>
        list.some(([, keeps]) => keeps.size !== list[0]?.[1].size || [...keeps].some((k) => !list[0]?.[1].has(k)));
      const managers = managedExclusive.get(role) ?? [];
      if (managers.length > 1 && disagree(managers)) {
        own.losses.push(
          `${managers.map(([m]) => m).join(" and ")} each manage ${role.address}'s managed policies exclusively: ` +
            "each apply detaches what the other attaches.",
        );
      }
      for (const [manager, keeps] of managers) {
        for (const [resource, key] of attached.get(role) ?? []) {
          if (!keeps.has(key)) {
            own.losses.push(
              `${resource} attaches ${key} to ${role.address}, but ${manager} manages its managed policies exclusively ` +
                "and does not list it: an apply detaches it, and the role loses that access.",
            );
          }
        }
      }
      const inlineManagers = inlineExclusive.get(role) ?? [];
      if (inlineManagers.length > 1 && disagree(inlineManagers)) {
        own.losses.push(
          `${inlineManagers.map(([m]) => m).join(" and ")} each manage ${role.address}'s inline policies exclusively: ` +
            "each apply deletes what the other puts.",
        );
      }
      for (const [manager, keeps] of inlineManagers) {
        for (const [resource, key] of inlined.get(role) ?? []) {
          if (resource !== manager && !keeps.has(key)) {
            own.losses.push(
              `${resource} puts an inline policy on ${role.address}, but ${manager} manages its inline policies ` +
                "exclusively and does not list it: an apply deletes it, and the role loses that access.",
            );
          }
        }
      }
    }
    // The legacy attachment detaches its policy from every role it does not list, however the
    // policy came there: another attachment, managed_policy_arns, an exclusive manager.
    for (const [a, policies, roles] of legacy) {
      const keys = new Set(policies.map((p) => p.key));
      for (const [role, own] of this.byRole) {
        if (roles.includes(role)) continue;
        for (const [key, policy] of own.policies) {
          const others = policy.via.filter((v) => v !== a.address);
          if (keys.has(key) && others.length > 0) {
            own.losses.push(
              `${others.join(" and ")} ${others.length > 1 ? "attach" : "attaches"} ${key} to ${role.address}, but ` +
                `${a.address} (aws_iam_policy_attachment) attaches that policy exclusively and does not list the ` +
                "role: an apply detaches it.",
            );
          }
        }
      }
    }
  }

  /**
   * The role's own `inline_policy` and `managed_policy_arns`; returns the keys of the inline
   * policies its blocks write and of the managed policies its list puts on it.
   */
  private roleArguments(
    role: Instance,
    managedExclusive: Map<Instance, [string, Set<string>][]>,
    inlineExclusive: Map<Instance, [string, Set<string>][]>,
  ): { inline: string[]; managed: string[] } {
    const own = this.byRole.get(role);
    if (own === undefined) return { inline: [], managed: [] };
    const blockKeys: string[] = [];
    const managedKeys: string[] = [];
    // Inline policies: what the plan will apply, however it is written (blocks, dynamic blocks).
    const inlineWritten =
      this.configuration.configured(role, "inline_policy") || this.written.dynamicBlock(role, "inline_policy") === true;
    const blocks = knownElements(role, "inline_policy");
    if (blocks === undefined) {
      // Unknown until apply: a new role's computed value, unless a dynamic block whose for_each is
      // unknown fills it, which only the configuration's files can show.
      const dynamic = this.written.dynamicBlock(role, "inline_policy");
      if (dynamic === undefined) this.needConfiguration.add(role.address);
      if (dynamic !== false) {
        own.problems.push(
          `${role.address}.inline_policy is unknown until apply` +
            (dynamic === true
              ? ", and the configuration fills it with a dynamic block: what it will grant cannot be read."
              : ": with a plan alone, the review cannot tell whether a dynamic block fills it."),
        );
      }
    } else {
      const keys = new Set<string>();
      const deleted = this.deletedInline(role);
      blocks.forEach((block, i) => {
        const entry = (block ?? {}) as { name?: unknown; policy?: unknown };
        // `inline_policy {}` (empty) removes every inline policy; it grants nothing.
        if (block !== undefined && entry.name === "" && entry.policy === "") return;
        // A block without a name puts nothing: hashicorp/aws skips a block whose name or policy is
        // empty (addRoleInlinePolicies), so it grants nothing.
        if (block !== undefined && (entry.name === null || entry.name === "")) return;
        const name = typeof entry.name === "string" && entry.name !== "" ? entry.name : `#${i}`;
        const key = `inline:${name.toLowerCase()}`;
        // Two blocks of one name: IAM keeps one document per name, whichever the provider puts
        // last. Each is its own policy (its own address), so that both count.
        const repeated = keys.has(key);
        keys.add(key);
        // A written block is what the plan applies; a computed one (the role's inline policies as
        // they are) is the plan's only when no aws_iam_role_policy of that name says otherwise, and
        // none that the plan deletes takes it away.
        if (!inlineWritten && deleted.has(name.toLowerCase())) return;
        if (inlineWritten || !own.policies.has(key)) {
          if (block === undefined) {
            own.problems.push(`${role.address}.inline_policy[${i}] is unknown until apply: its policy cannot be read.`);
          } else {
            const address = repeated
              ? `${role.address}.inline_policy[${i}]`
              : `${role.address}.inline_policy[${JSON.stringify(name)}]`;
            this.inline(role, key, address, `${role.address}.inline_policy`, entry.policy);
          }
        }
      });
      // Blocks written are exclusive (an apply deletes every other inline policy), unless the
      // lifecycle ignores changes to them: then they are what a new role is made with, and an apply
      // leaves the role's inline policies as they are.
      if (inlineWritten) {
        if (!this.written.ignoresChanges(role, "inline_policy")) {
          inlineExclusive.set(role, [...(inlineExclusive.get(role) ?? []), [`${role.address}.inline_policy`, keys]]);
        }
        blockKeys.push(...keys);
      }
    }

    // Managed policies: written (exclusive), or computed (the role's attachments as they are).
    // A null argument is left out, and a left-out managed_policy_arns is computed: unknown on a role
    // the plan creates. A planned value that is known was written, whatever the files say.
    const written =
      this.configuration.configured(role, "managed_policy_arns") &&
      (!this.written.isNull(role, "managed_policy_arns") ||
        (role.actions.includes("create") && role.values.managed_policy_arns !== undefined));
    if (written) {
      // hashicorp/aws plans an empty set written for a new role as unknown (the argument is also
      // computed): the files say whether it is empty.
      const empty =
        knownElements(role, "managed_policy_arns") === undefined &&
        this.written.knownEmpty(role, "managed_policy_arns");
      const policies = empty ? [] : this.policiesOf(role, "managed_policy_arns", true);
      for (const p of policies) {
        managedKeys.push(p.key);
        if (p.document)
          this.put(role, p.key, {
            address: p.address,
            document: p.document,
            via: [`${role.address}.managed_policy_arns`],
          });
        else this.put(role, p.key, { problem: p.problem ?? `${p.address} cannot be read.`, via: role.address });
      }
      // The same for managed policies: written and not ignored, the list is exclusive.
      if (!this.written.ignoresChanges(role, "managed_policy_arns")) {
        managedExclusive.set(role, [
          ...(managedExclusive.get(role) ?? []),
          [`${role.address}.managed_policy_arns`, new Set(policies.map((p) => p.key))],
        ]);
      }
    } else {
      const arns = knownElements(role, "managed_policy_arns") ?? [];
      const detached = this.detachedByPlan(role);
      for (const arn of arns.filter((a): a is string => typeof a === "string")) {
        if (detached.has(arn)) continue;
        for (const p of this.policiesOfArn(role, arn)) {
          if (own.policies.has(p.key)) continue;
          managedKeys.push(p.key);
          if (p.document)
            this.put(role, p.key, {
              address: p.address,
              document: p.document,
              via: [`${role.address}.managed_policy_arns`],
            });
          else this.put(role, p.key, { problem: p.problem ?? `${p.address} cannot be read.`, via: role.address });
        }
      }
    }
    return { inline: blockKeys, managed: managedKeys };
  }

  private policiesOfArn(role: Instance, arn: string): ManagedPolicy[] {
    const policies = this.byArn(arn);
    if (policies.length === 0) {
      return [
        {
          key: arn,
          address: arn,
          problem:
            `${role.address} has ${arn} attached (outside this configuration), which this plan neither creates nor ` +
            "updates nor reads, so its document cannot be checked.",
        },
      ];
    }
    return policies.map((p) => ({ key: p.address, address: p.address, ...this.policyDocument(p) }));
  }

  /** The resources of a type that the plan deletes and that named this role. */
  private removedFrom(role: Instance, type: string, attribute: string): Instance[] {
    const name = text(role.values.name)?.toLowerCase();
    if (name === undefined) return [];
    return this.removed.filter(
      (r) =>
        r.type === type && [r.values[attribute]].flat().some((n) => typeof n === "string" && n.toLowerCase() === name),
    );
  }

  /** The ARNs that the plan's deleted attachments take off the role. */
  private detachedByPlan(role: Instance): Set<string> {
    return new Set(
      [
        ...this.removedFrom(role, "aws_iam_role_policy_attachment", "role"),
        ...this.removedFrom(role, "aws_iam_policy_attachment", "roles"),
      ]
        .map((r) => text(r.values.policy_arn))
        .filter((arn): arn is string => arn !== undefined),
    );
  }

  /** The names of the inline policies that the plan's deleted aws_iam_role_policy resources take off the role. */
  private deletedInline(role: Instance): Set<string> {
    return new Set(
      this.removedFrom(role, "aws_iam_role_policy", "role")
        .map((r) => text(r.values.name)?.toLowerCase())
        .filter((n): n is string => n !== undefined),
    );
  }
}

/** Two documents with the same meaning as written: the same canonical JSON. */
export function sameDocument(a: PolicyDocument, b: PolicyDocument): boolean {
  return canonical(a) === canonical(b);
}

/** Whether a policy document only allows: put on a role, it can only add to the role's access. */
function onlyAllows(document: PolicyDocument | undefined): boolean {
  return document !== undefined && statements(document).every((s) => s.Effect === "Allow");
}

/** An inline policy's document, or undefined where it cannot be read. */
function inlineDocument(value: unknown): PolicyDocument | undefined {
  try {
    return parseDocument("policy", value);
  } catch (error) {
    if (error instanceof DocumentError) return undefined;
    throw error;
  }
}
