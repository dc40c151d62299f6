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

/** IAM's documented limits, as its API reports them. */
export const LIMITS = {
  roleName: { pattern: /^[\w+=,.@-]{1,64}$/, text: "1-64 characters of [\\w+=,.@-]" },
  policyName: { pattern: /^[\w+=,.@-]{1,128}$/, text: "1-128 characters of [\\w+=,.@-]" },
  rolePath: {
    pattern: /^(\/|\/[\u0021-\u007E]{1,510}\/)$/,
    text: "/ or /.../ of printable ASCII, at most 512 characters",
  },
  policyPath: { pattern: /^((\/[A-Za-z0-9.,+@=_-]+)*)\/$/, text: "((/[A-Za-z0-9\\.,\\+@=_-]+)*)/" },
  description: 1000,
  trustPolicyLength: 2048,
  managedPolicyLength: 6144,
  /** The inline policies of a role, together (IAM's RolePolicySize quota). */
  inlinePoliciesLength: 10240,
  sessionDuration: { min: 3600, max: 43200 },
  tags: 50,
  policyVersions: 5,
  attachedPoliciesPerRole: 10,
} as const;

function checkName(kind: "roleName" | "policyName", value: string | undefined, label: string): string {
  if (value === undefined || !LIMITS[kind].pattern.test(value)) {
    throw validation(
      `1 validation error detected: Value '${value ?? ""}' at '${label}' failed to satisfy constraint: ${LIMITS[kind].text}`,
    );
  }
  return value;
}

function checkPath(kind: "rolePath" | "policyPath", value: string | undefined): string {
  const path = value ?? "/";
  if (!LIMITS[kind].pattern.test(path)) {
    throw validation(
      `1 validation error detected: Value '${path}' at 'path' failed to satisfy constraint: ${LIMITS[kind].text}`,
    );
  }
  return path;
}

function checkDescription(value: string | undefined): void {
  if (value !== undefined && value.length > LIMITS.description) {
    throw validation(
      `1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to ${LIMITS.description}`,
    );
  }
}

function checkSessionDuration(value: number): number {
  const { min, max } = LIMITS.sessionDuration;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw validation(
      `The requested MaxSessionDuration ${value} exceeds the allowed range of ${min} to ${max} seconds.`,
    );
  }
  return value;
}

function checkTags(tags: readonly Tag[]): void {
  if (tags.length > LIMITS.tags) throw limitExceeded(`Cannot exceed quota for TagsPerRole: ${LIMITS.tags}.`);
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
    const name = checkName("roleName", input.name, "roleName");
    const path = checkPath("rolePath", input.path);
    const trustPolicy = checkDocument(input.trustPolicy, LIMITS.trustPolicyLength, "assumeRolePolicyDocument");
    checkDescription(input.description);
    checkTags(input.tags);
    if (this.roles.has(name.toLowerCase())) throw alreadyExists(`Role with name ${name} already exists.`);
    if (input.permissionsBoundary !== undefined) this.getPolicyOrAwsManaged(input.permissionsBoundary);
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

  /** AWS managed policies (arn:...:iam::aws:policy/...) exist everywhere; the double accepts them by ARN. */
  private getPolicyOrAwsManaged(arn: string): { arn: string; name: string } {
    if (/^arn:[^:]+:iam::aws:policy\//.test(arn)) return { arn, name: arn.slice(arn.lastIndexOf("/") + 1) };
    if (!/^arn:[^:]+:iam::\d{12}:policy\//.test(arn)) throw validation(`ARN ${arn} is not valid.`);
    return this.getPolicy(arn);
  }

  updateRole(name: string, input: { description?: string; maxSessionDuration?: number }): void {
    const role = this.getRole(name);
    if (input.description !== undefined) {
      checkDescription(input.description);
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
    this.getPolicyOrAwsManaged(arn);
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
    const name = checkName("policyName", policyName, "policyName");
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
    const name = checkName("policyName", input.name, "policyName");
    const path = checkPath("policyPath", input.path);
    const document = checkDocument(input.document, LIMITS.managedPolicyLength, "policyDocument");
    checkDescription(input.description);
    checkTags(input.tags);
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

  tag(tags: Tag[], add: readonly Tag[]): Tag[] {
    const byKey = new Map(tags.map((t) => [t.key, t]));
    for (const t of add) byKey.set(t.key, t);
    const next = [...byKey.values()];
    checkTags(next);
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
