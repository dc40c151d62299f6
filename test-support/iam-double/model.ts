// The in-memory IAM behind the double: roles, managed policies with their versions, and
// attachments, with the rules IAM enforces on them. A test double, not an emulator of all of IAM:
// it models what this project's resources, the provider and AWS's guide use, and refuses the rest.

/** An IAM error as the Query API reports it: its code, HTTP status and message. */
export class IamError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly type: "Sender" | "Receiver" = "Sender",
  ) {
    super(message);
  }
}

const noSuchEntity = (message: string) => new IamError("NoSuchEntity", 404, message);
const alreadyExists = (message: string) => new IamError("EntityAlreadyExists", 409, message);
const deleteConflict = (message: string) => new IamError("DeleteConflict", 409, message);
const validation = (message: string) => new IamError("ValidationError", 400, message);
const invalidInput = (message: string) => new IamError("InvalidInput", 400, message);
const limitExceeded = (message: string) => new IamError("LimitExceeded", 400, message);

export interface Tag {
  readonly key: string;
  readonly value: string;
}

export interface Role {
  readonly name: string;
  readonly path: string;
  readonly id: string;
  readonly arn: string;
  readonly createDate: Date;
  /** Exactly as submitted; the API returns it URL-encoded. */
  trustPolicy: string;
  description?: string;
  maxSessionDuration: number;
  permissionsBoundary?: string;
  tags: Tag[];
}

export interface PolicyVersion {
  readonly id: string;
  readonly document: string;
  readonly createDate: Date;
}

export interface ManagedPolicy {
  readonly name: string;
  readonly path: string;
  readonly id: string;
  readonly arn: string;
  readonly description?: string;
  readonly createDate: Date;
  updateDate: Date;
  versions: PolicyVersion[];
  defaultVersionId: string;
  /** The number that the next version takes (IAM never reuses a version ID). */
  nextVersion: number;
  tags: Tag[];
}

/** A constraint of IAM's API model (botocore's iam 2010-05-08 `shapes`): lengths in characters, a pattern. */
interface Constraint {
  readonly min: number;
  readonly max: number;
  /** IAM's own pattern, as its model states it (Java syntax), for the message. */
  readonly pattern?: string;
  /** The same pattern, anchored, in JavaScript. */
  readonly test?: RegExp;
}

/** IAM's documented limits, as its API model states them and its API reports them. */
export const LIMITS = {
  /** `roleNameType` */
  roleName: { min: 1, max: 64, pattern: "[\\w+=,.@-]+", test: /^[\w+=,.@-]+$/ },
  /** `policyNameType` */
  policyName: { min: 1, max: 128, pattern: "[\\w+=,.@-]+", test: /^[\w+=,.@-]+$/ },
  /** `pathType` */
  rolePath: {
    min: 1,
    max: 512,
    pattern: "(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)",
    test: /^(\/|\/[\u0021-\u007E]+\/)$/,
  },
  /** `policyPathType` */
  policyPath: {
    min: 1,
    max: 512,
    pattern: "((/[A-Za-z0-9\\.,\\+@=_-]+)*)/",
    test: /^((\/[A-Za-z0-9.,+@=_-]+)*)\/$/,
  },
  /** `roleDescriptionType` */
  roleDescription: {
    min: 0,
    max: 1000,
    pattern: "[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*",
    // eslint-disable-next-line no-control-regex -- IAM's pattern allows tab, line feed and carriage return
    test: /^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$/,
  },
  /** `policyDescriptionType` */
  policyDescription: { min: 0, max: 1000 },
  /** `arnType`, of a permissions boundary */
  arn: { min: 20, max: 2048 },
  /** `tagKeyType` */
  tagKey: { min: 1, max: 128, pattern: "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+", test: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u },
  /** `tagValueType` */
  tagValue: { min: 0, max: 256, pattern: "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*", test: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u },
  trustPolicyLength: 2048,
  managedPolicyLength: 6144,
  /** The inline policies of a role, together (IAM's RolePolicySize quota). */
  inlinePoliciesLength: 10240,
  /** `roleMaxSessionDurationType` */
  sessionDuration: { min: 3600, max: 43200 },
  /** `tagListType`, and the quota of tags per role or policy */
  tags: 50,
  policyVersions: 5,
  attachedPoliciesPerRole: 10,
} as const satisfies Record<string, Constraint | number | { min: number; max: number }>;

/**
 * IAM's framework check of one parameter against its model: `ValidationError`, with the message
 * the API gives ("1 validation error detected: Value '...' at '...' failed to satisfy constraint:
 * ..."). Lengths count characters (Unicode code points).
 */
function checkConstraint(field: string, value: string, constraint: Constraint): void {
  const length = [...value].length;
  const fail = (rule: string) => {
    throw validation(
      `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: ${rule}`,
    );
  };
  if (length < constraint.min) fail(`Member must have length greater than or equal to ${constraint.min}`);
  if (length > constraint.max) fail(`Member must have length less than or equal to ${constraint.max}`);
  if (constraint.test && !constraint.test.test(value)) {
    fail(`Member must satisfy regular expression pattern: ${constraint.pattern ?? ""}`);
  }
}

function checkName(kind: "roleName" | "policyName", value: string | undefined): string {
  if (value === undefined) throw validation(`1 validation error detected: '${kind}' must not be null`);
  checkConstraint(kind, value, LIMITS[kind]);
  return value;
}

function checkPath(kind: "rolePath" | "policyPath", value: string | undefined): string {
  const path = value ?? "/";
  checkConstraint("path", path, LIMITS[kind]);
  return path;
}

function checkDescription(kind: "roleDescription" | "policyDescription", value: string | undefined): void {
  if (value !== undefined) checkConstraint("description", value, LIMITS[kind]);
}

function checkSessionDuration(value: number): number {
  const { min, max } = LIMITS.sessionDuration;
  if (!Number.isInteger(value)) {
    throw validation(
      `1 validation error detected: Value '${value}' at 'maxSessionDuration' failed to satisfy constraint: Member must be an integer`,
    );
  }
  if (value < min || value > max) {
    throw validation(
      `1 validation error detected: Value '${value}' at 'maxSessionDuration' failed to satisfy constraint: ` +
        `Member must have value ${value < min ? `greater than or equal to ${min}` : `less than or equal to ${max}`}`,
    );
  }
  return value;
}

/**
 * IAM's checks of the tags in one request: each key and value against the model
 * (`ValidationError`), at most 50 (`ValidationError`, `tagListType`), the reserved `aws:` prefix in
 * any letter case (`InvalidInput`), and, on a role, keys that differ only in letter case
 * (`InvalidInput`: "Duplicate tag keys found. Please note that Tag keys are case insensitive.").
 */
function checkTags(tags: readonly Tag[], entity: "role" | "policy"): void {
  if (tags.length > LIMITS.tags) {
    throw validation(
      `1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to ${LIMITS.tags}`,
    );
  }
  tags.forEach((tag, i) => {
    checkConstraint(`tags.${i + 1}.member.key`, tag.key, LIMITS.tagKey);
    checkConstraint(`tags.${i + 1}.member.value`, tag.value, LIMITS.tagValue);
  });
  for (const tag of tags) {
    if (tag.key.toLowerCase().startsWith("aws:") || tag.value.toLowerCase().startsWith("aws:")) {
      throw invalidInput(`User-provided tag keys and values cannot start with "aws:", which is reserved for AWS use.`);
    }
  }
  // Letter case ignored one code point at a time (Σ and σ alike wherever they stand), as the
  // construct's and Terraform's checks compare keys.
  const fold = (key: string) =>
    entity === "role" ? Array.from(key, (c) => (c === "\u0130" ? "i" : c.toLowerCase())).join("") : key;
  if (new Set(tags.map((t) => fold(t.key))).size < tags.length) {
    throw invalidInput("Duplicate tag keys found. Please note that Tag keys are case insensitive.");
  }
}

/** IAM's checks on a document: JSON, a Statement, a size; anything else is left to IAM's evaluators. */
function checkDocument(document: string | undefined, maxLength: number, label: string): string {
  if (document === undefined || document.length === 0)
    throw validation(`1 validation error detected: '${label}' must not be null`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch {
    throw new IamError("MalformedPolicyDocument", 400, "Syntax errors in policy.");
  }
  if (typeof parsed !== "object" || parsed === null || !("Statement" in parsed)) {
    throw new IamError("MalformedPolicyDocument", 400, "Policy document must contain a Statement.");
  }
  if (document.replace(/\s/g, "").length > maxLength) {
    throw limitExceeded(
      `Cannot exceed quota for ${label === "assumeRolePolicyDocument" ? "ACLSizePerRole" : "PolicySize"}: ${maxLength}`,
    );
  }
  return document;
}

const ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

export interface IamOptions {
  readonly accountId: string;
  readonly partition: string;
  /** The clock, so that tests can fix dates. @default - the system clock */
  readonly now?: () => Date;
}

/** IAM for one account, in memory. */
export class Iam {
  readonly roles = new Map<string, Role>();
  readonly policies = new Map<string, ManagedPolicy>();
  /** Role name (lower case) to the ARNs of its attached managed policies, in attachment order. */
  readonly attachments = new Map<string, string[]>();
  /** Role name (lower case) to its inline policies: name to document, exactly as submitted. */
  readonly inlinePolicies = new Map<string, Map<string, string>>();
  private ids = 0;

  constructor(readonly options: IamOptions) {}

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** A unique ID in IAM's format: a 4-letter prefix and 17 characters. */
  private newId(prefix: string): string {
    let n = ++this.ids;
    let id = "";
    for (let i = 0; i < 17; i++) {
      id = ID_ALPHABET[n % 32] + id;
      n = Math.floor(n / 32);
    }
    return prefix + id;
  }

  private arn(kind: "role" | "policy", path: string, name: string): string {
    return `arn:${this.options.partition}:iam::${this.options.accountId}:${kind}${path}${name}`;
  }

  getRole(name: string): Role {
    const role = this.roles.get(name.toLowerCase());
    if (role === undefined) throw noSuchEntity(`The role with name ${name} cannot be found.`);
    return role;
  }

  getPolicy(arn: string): ManagedPolicy {
    const policy = this.policies.get(arn);
    if (policy === undefined) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
    return policy;
  }

  createRole(input: {
    name?: string;
    path?: string;
    trustPolicy?: string;
    description?: string;
    maxSessionDuration?: number;
    permissionsBoundary?: string;
    tags: Tag[];
  }): Role {
    const name = checkName("roleName", input.name);
    const path = checkPath("rolePath", input.path);
    const trustPolicy = checkDocument(input.trustPolicy, LIMITS.trustPolicyLength, "assumeRolePolicyDocument");
    checkDescription("roleDescription", input.description);
    if (input.maxSessionDuration !== undefined) checkSessionDuration(input.maxSessionDuration);
    if (input.permissionsBoundary !== undefined)
      checkConstraint("permissionsBoundary", input.permissionsBoundary, LIMITS.arn);
    checkTags(input.tags, "role");
    if (this.roles.has(name.toLowerCase())) throw alreadyExists(`Role with name ${name} already exists.`);
    if (input.permissionsBoundary !== undefined) this.getBoundary(input.permissionsBoundary);
    const role: Role = {
      name,
      path,
      id: this.newId("AROA"),
      arn: this.arn("role", path, name),
      createDate: this.now(),
      trustPolicy,
      maxSessionDuration: checkSessionDuration(input.maxSessionDuration ?? LIMITS.sessionDuration.min),
      tags: [...input.tags],
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.permissionsBoundary !== undefined ? { permissionsBoundary: input.permissionsBoundary } : {}),
    };
    this.roles.set(name.toLowerCase(), role);
    this.attachments.set(name.toLowerCase(), []);
    return role;
  }

  /**
   * AWS managed policies (arn:...:iam::aws:policy/...) exist everywhere; the double accepts them by
   * ARN. An ARN that is no policy ARN is `InvalidInput` ("ARN ... is not valid."), as in IAM.
   */
  private getPolicyOrAwsManaged(arn: string): { arn: string; name: string } {
    if (!/^arn:aws(-[a-z]+)*:iam::(\d{12}|aws):policy(\/[A-Za-z0-9.,+@=_-]+)*\/[\w+=,.@-]+$/.test(arn)) {
      throw invalidInput(`ARN ${arn} is not valid.`);
    }
    if (/^arn:[^:]+:iam::aws:policy\//.test(arn)) return { arn, name: arn.slice(arn.lastIndexOf("/") + 1) };
    return this.getPolicy(arn);
  }

  /** A permissions boundary: a policy that exists, else IAM's NoSuchEntity for a boundary. */
  private getBoundary(arn: string): void {
    try {
      this.getPolicyOrAwsManaged(arn);
    } catch (error) {
      if (error instanceof IamError && error.code === "NoSuchEntity") {
        throw noSuchEntity(`Scope ARN: ${arn} does not exist or is not attachable.`);
      }
      throw error;
    }
  }

  updateRole(name: string, input: { description?: string; maxSessionDuration?: number }): void {
    const role = this.getRole(name);
    if (input.description !== undefined) {
      checkDescription("roleDescription", input.description);
      role.description = input.description;
    }
    if (input.maxSessionDuration !== undefined)
      role.maxSessionDuration = checkSessionDuration(input.maxSessionDuration);
  }

  updateTrustPolicy(name: string, document: string | undefined): void {
    const role = this.getRole(name);
    role.trustPolicy = checkDocument(document, LIMITS.trustPolicyLength, "policyDocument");
  }

  putPermissionsBoundary(name: string, arn: string | undefined): void {
    const role = this.getRole(name);
    if (arn === undefined) throw validation("1 validation error detected: 'permissionsBoundary' must not be null");
    checkConstraint("permissionsBoundary", arn, LIMITS.arn);
    this.getBoundary(arn);
    role.permissionsBoundary = arn;
  }

  deletePermissionsBoundary(name: string): void {
    const role = this.getRole(name);
    if (role.permissionsBoundary === undefined) throw noSuchEntity(`The role ${name} has no permissions boundary.`);
    delete role.permissionsBoundary;
  }

  deleteRole(name: string): void {
    const role = this.getRole(name);
    if ((this.attachments.get(role.name.toLowerCase()) ?? []).length > 0) {
      throw deleteConflict("Cannot delete entity, must detach all policies first.");
    }
    if ((this.inlinePolicies.get(role.name.toLowerCase())?.size ?? 0) > 0) {
      throw deleteConflict("Cannot delete entity, must delete policies first.");
    }
    this.roles.delete(role.name.toLowerCase());
    this.attachments.delete(role.name.toLowerCase());
    this.inlinePolicies.delete(role.name.toLowerCase());
  }

  /** PutRolePolicy: creates or replaces an inline policy of the role. */
  putRolePolicy(roleName: string, policyName: string | undefined, document: string | undefined): void {
    const role = this.getRole(roleName);
    const name = checkName("policyName", policyName);
    const checked = checkDocument(document, LIMITS.inlinePoliciesLength, "policyDocument");
    const policies = new Map(this.inlinePolicies.get(role.name.toLowerCase()) ?? []);
    policies.set(name, checked);
    const total = [...policies.values()].reduce((n, d) => n + d.replace(/\s/g, "").length, 0);
    if (total > LIMITS.inlinePoliciesLength) {
      throw limitExceeded(`Maximum policy size of ${LIMITS.inlinePoliciesLength} bytes exceeded for role ${role.name}`);
    }
    this.inlinePolicies.set(role.name.toLowerCase(), policies);
  }

  getRolePolicy(roleName: string, policyName: string): string {
    const role = this.getRole(roleName);
    const document = this.inlinePolicies.get(role.name.toLowerCase())?.get(policyName);
    if (document === undefined) {
      throw noSuchEntity(`The role policy with name ${policyName} cannot be found.`);
    }
    return document;
  }

  rolePolicyNames(roleName: string): string[] {
    const role = this.getRole(roleName);
    return [...(this.inlinePolicies.get(role.name.toLowerCase())?.keys() ?? [])].sort();
  }

  deleteRolePolicy(roleName: string, policyName: string): void {
    const role = this.getRole(roleName);
    const policies = this.inlinePolicies.get(role.name.toLowerCase());
    if (policies?.delete(policyName) !== true) {
      throw noSuchEntity(`The role policy with name ${policyName} cannot be found.`);
    }
  }

  createPolicy(input: {
    name?: string;
    path?: string;
    document?: string;
    description?: string;
    tags: Tag[];
  }): ManagedPolicy {
    const name = checkName("policyName", input.name);
    const path = checkPath("policyPath", input.path);
    const document = checkDocument(input.document, LIMITS.managedPolicyLength, "policyDocument");
    checkDescription("policyDescription", input.description);
    checkTags(input.tags, "policy");
    // Policy names are unique per account, whatever the path, case-insensitively.
    const taken = [...this.policies.values()].find((p) => p.name.toLowerCase() === name.toLowerCase());
    if (taken) throw alreadyExists(`A policy called ${name} already exists. Duplicate names are not allowed.`);
    const now = this.now();
    const policy: ManagedPolicy = {
      name,
      path,
      id: this.newId("ANPA"),
      arn: this.arn("policy", path, name),
      createDate: now,
      updateDate: now,
      versions: [{ id: "v1", document, createDate: now }],
      defaultVersionId: "v1",
      nextVersion: 2,
      tags: [...input.tags],
      ...(input.description !== undefined ? { description: input.description } : {}),
    };
    this.policies.set(policy.arn, policy);
    return policy;
  }

  getPolicyVersion(arn: string, versionId: string | undefined): PolicyVersion {
    const policy = this.getPolicy(arn);
    const version = policy.versions.find((v) => v.id === versionId);
    if (version === undefined) throw noSuchEntity(`Policy ${arn} version ${versionId ?? ""} does not exist.`);
    return version;
  }

  createPolicyVersion(arn: string, document: string | undefined, setAsDefault: boolean): PolicyVersion {
    const policy = this.getPolicy(arn);
    const checked = checkDocument(document, LIMITS.managedPolicyLength, "policyDocument");
    if (policy.versions.length >= LIMITS.policyVersions) {
      throw limitExceeded(
        `A managed policy can have up to ${LIMITS.policyVersions} versions. Before you create a new version, you must delete an existing version.`,
      );
    }
    const version: PolicyVersion = { id: `v${policy.nextVersion++}`, document: checked, createDate: this.now() };
    policy.versions.push(version);
    if (setAsDefault) policy.defaultVersionId = version.id;
    policy.updateDate = version.createDate;
    return version;
  }

  setDefaultPolicyVersion(arn: string, versionId: string | undefined): void {
    const policy = this.getPolicy(arn);
    policy.defaultVersionId = this.getPolicyVersion(arn, versionId).id;
  }

  deletePolicyVersion(arn: string, versionId: string | undefined): void {
    const policy = this.getPolicy(arn);
    const version = this.getPolicyVersion(arn, versionId);
    if (version.id === policy.defaultVersionId) {
      throw deleteConflict("Cannot delete the default version of a policy.");
    }
    policy.versions = policy.versions.filter((v) => v !== version);
  }

  deletePolicy(arn: string): void {
    const policy = this.getPolicy(arn);
    if (this.attachmentCount(arn) > 0) throw deleteConflict("Cannot delete a policy attached to entities.");
    if (policy.versions.length > 1)
      throw deleteConflict("Cannot delete a policy with versions other than the default. Delete them first.");
    this.policies.delete(arn);
  }

  attachmentCount(arn: string): number {
    return [...this.attachments.values()].filter((arns) => arns.includes(arn)).length;
  }

  attachRolePolicy(roleName: string, arn: string | undefined): void {
    const role = this.getRole(roleName);
    if (arn === undefined) throw validation("1 validation error detected: 'policyArn' must not be null");
    this.getPolicyOrAwsManaged(arn);
    const attached = this.attachments.get(role.name.toLowerCase()) ?? [];
    if (attached.includes(arn)) return; // IAM's attach is idempotent.
    if (attached.length >= LIMITS.attachedPoliciesPerRole) {
      throw limitExceeded(`Cannot exceed quota for PoliciesPerRole: ${LIMITS.attachedPoliciesPerRole}`);
    }
    attached.push(arn);
  }

  detachRolePolicy(roleName: string, arn: string | undefined): void {
    const role = this.getRole(roleName);
    const attached = this.attachments.get(role.name.toLowerCase()) ?? [];
    if (arn === undefined || !attached.includes(arn)) throw noSuchEntity(`Policy ${arn ?? ""} was not found.`);
    this.attachments.set(
      role.name.toLowerCase(),
      attached.filter((a) => a !== arn),
    );
  }

  attachedPolicies(roleName: string): { arn: string; name: string }[] {
    const role = this.getRole(roleName);
    return (this.attachments.get(role.name.toLowerCase()) ?? []).map((arn) => this.getPolicyOrAwsManaged(arn));
  }

  /**
   * TagRole and TagPolicy: the request's tags checked as in a create; a tag replaces the existing
   * one of the same key (on a role, the same key in any letter case); at most 50 in all
   * (`LimitExceeded`).
   */
  tag(tags: Tag[], add: readonly Tag[], entity: "role" | "policy"): Tag[] {
    checkTags(add, entity);
    // Letter case ignored one code point at a time (Σ and σ alike wherever they stand), as the
    // construct's and Terraform's checks compare keys.
    const fold = (key: string) =>
      entity === "role" ? Array.from(key, (c) => (c === "\u0130" ? "i" : c.toLowerCase())).join("") : key;
    const byKey = new Map(tags.map((t) => [fold(t.key), t]));
    for (const t of add) byKey.set(fold(t.key), t);
    const next = [...byKey.values()];
    if (next.length > LIMITS.tags) {
      throw limitExceeded(
        `Cannot exceed quota for ${entity === "role" ? "TagsPerRole" : "TagsPerPolicy"}: ${LIMITS.tags}.`,
      );
    }
    return next;
  }

  /** Everything in the account, for tests: what exists, in a form that compares well. */
  snapshot(): IamSnapshot {
    return {
      roles: [...this.roles.values()].map((r) => r.name).sort(),
      policies: [...this.policies.values()].map((p) => p.arn).sort(),
      attachments: [...this.attachments.entries()]
        .flatMap(([role, arns]) => arns.map((arn) => `${this.getRole(role).name} -> ${arn}`))
        .sort(),
    };
  }
}

export interface IamSnapshot {
  readonly roles: string[];
  readonly policies: string[];
  readonly attachments: string[];
}
