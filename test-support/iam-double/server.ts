import { createServer, IncomingMessage, Server, ServerResponse } from "node:http";
import { AddressInfo } from "node:net";
import { Iam, IamError, ManagedPolicy, PolicyVersion, Role, Tag } from "./model";

/**
 * A local double of the IAM Query API (and STS GetCallerIdentity, on the same endpoint) for
 * running the real AWS provider against, with no AWS account: form-encoded POSTs with
 * `Version=2010-05-08`, XML answers and IAM's error codes and statuses. It is a test double:
 * every action it does not implement fails loudly with an error that names it.
 *
 * Point the provider at it with `AWS_ENDPOINT_URL_IAM` and `AWS_ENDPOINT_URL_STS` (see `env()`).
 */

const IAM_NS = "https://iam.amazonaws.com/doc/2010-05-08/";
const STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/";

/** One request the double received, in order: what tests read to see what the provider did. */
export interface Call {
  readonly action: string;
  /** The entity the call is about: a role name, a policy ARN, "role -> policy ARN". */
  readonly target?: string;
  /** The error code the double answered with, if any. */
  readonly error?: string;
}

/**
 * A fault to inject on the next `times` calls of `action`: IAM's throttling error (400), an
 * internal error (500), or a stall (no answer until `release()`, for interrupting a deploy
 * mid-way; a stalled call that is released is then carried out).
 */
export interface Fault {
  readonly action: string;
  readonly kind: "throttle" | "server-error" | "stall";
  readonly times: number;
}

export interface IamDoubleOptions {
  /** @default "111122223333" (AWS's documentation account) */
  readonly accountId?: string;
  /** @default "aws" */
  readonly partition?: string;
  /** @default 0 (any free port) */
  readonly port?: number;
  /**
   * Eventual consistency: a new role is invisible to the next `GetRole` (which answers
   * NoSuchEntity), as happens in IAM right after `CreateRole`.
   *
   * @default false
   */
  readonly delayedVisibility?: boolean;
}

type Params = URLSearchParams;
type Handler = (p: Params) => { xml: string; target?: string };

function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** URL-encoding as IAM returns documents (RFC 3986: only unreserved characters stay). */
export function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `<name>value</name>`, with the value escaped; nothing for an undefined value. */
function el(name: string, value: string | number | boolean | undefined): string {
  return value === undefined ? "" : `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** A list of entities already rendered as `<member>` elements. */
function list(name: string, elements: readonly string[]): string {
  return `<${name}>${elements.join("")}</${name}>`;
}

function members(name: string, items: readonly string[]): string {
  return `<${name}>${items.map((i) => `<member>${i}</member>`).join("")}</${name}>`;
}

function tagsXml(tags: readonly Tag[]): string {
  return tags.length === 0
    ? ""
    : members(
        "Tags",
        tags.map((t) => el("Key", t.key) + el("Value", t.value)),
      );
}

function iso(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** A role, as the element `tag` (`Role`, or `member` in a list). */
function roleXml(role: Role, tag = "Role"): string {
  const boundary = role.permissionsBoundary
    ? `<PermissionsBoundary>${el("PermissionsBoundaryType", "Policy")}${el("PermissionsBoundaryArn", role.permissionsBoundary)}</PermissionsBoundary>`
    : "";
  return (
    `<${tag}>${el("Path", role.path)}${el("RoleName", role.name)}${el("RoleId", role.id)}${el("Arn", role.arn)}` +
    `${el("CreateDate", iso(role.createDate))}${el("AssumeRolePolicyDocument", rfc3986(role.trustPolicy))}` +
    `${el("Description", role.description)}${el("MaxSessionDuration", role.maxSessionDuration)}${boundary}` +
    `${tagsXml(role.tags)}<RoleLastUsed/></${tag}>`
  );
}

function policyXml(policy: ManagedPolicy, attachmentCount: number, tag = "Policy"): string {
  return (
    `<${tag}>${el("PolicyName", policy.name)}${el("PolicyId", policy.id)}${el("Arn", policy.arn)}${el("Path", policy.path)}` +
    `${el("DefaultVersionId", policy.defaultVersionId)}${el("AttachmentCount", attachmentCount)}` +
    `${el("PermissionsBoundaryUsageCount", 0)}${el("IsAttachable", true)}${el("Description", policy.description)}` +
    `${el("CreateDate", iso(policy.createDate))}${el("UpdateDate", iso(policy.updateDate))}${tagsXml(policy.tags)}</${tag}>`
  );
}

function versionXml(version: PolicyVersion, isDefault: boolean, tag = "PolicyVersion", withDocument = true): string {
  return (
    `<${tag}>${withDocument ? el("Document", rfc3986(version.document)) : ""}${el("VersionId", version.id)}` +
    `${el("IsDefaultVersion", isDefault)}${el("CreateDate", iso(version.createDate))}</${tag}>`
  );
}

/** `Tags.member.N.Key`/`Value` parameters. */
function tagsOf(p: Params, prefix = "Tags"): Tag[] {
  const tags: Tag[] = [];
  for (let i = 1; p.has(`${prefix}.member.${i}.Key`); i++) {
    tags.push({ key: p.get(`${prefix}.member.${i}.Key`) as string, value: p.get(`${prefix}.member.${i}.Value`) ?? "" });
  }
  return tags;
}

function listOf(p: Params, prefix: string): string[] {
  const items: string[] = [];
  for (let i = 1; p.has(`${prefix}.member.${i}`); i++) items.push(p.get(`${prefix}.member.${i}`) as string);
  return items;
}

function optional(p: Params, name: string): string | undefined {
  return p.get(name) ?? undefined;
}

function required(p: Params, name: string): string {
  const value = p.get(name);
  if (value === null)
    throw new IamError("ValidationError", 400, `1 validation error detected: '${name}' must not be null`);
  return value;
}

function numberParam(p: Params, name: string): number | undefined {
  const value = p.get(name);
  return value === null ? undefined : Number(value);
}

/** IAM's pagination: `MaxItems` (default 100) and an opaque `Marker`; `IsTruncated` and the next `Marker`. */
function page<T>(p: Params, items: readonly T[]): { items: T[]; truncation: string } {
  const maxItems = numberParam(p, "MaxItems") ?? 100;
  const marker = optional(p, "Marker");
  const start = marker === undefined ? 0 : Number(Buffer.from(marker, "base64url").toString("utf8"));
  if (!Number.isInteger(start) || start < 0 || start > items.length) {
    throw new IamError("ValidationError", 400, "Invalid Marker.");
  }
  const end = start + maxItems;
  const truncated = end < items.length;
  return {
    items: items.slice(start, end),
    truncation:
      el("IsTruncated", truncated) + (truncated ? el("Marker", Buffer.from(String(end)).toString("base64url")) : ""),
  };
}

function byPath<T extends { path: string }>(p: Params, items: Iterable<T>): T[] {
  const prefix = optional(p, "PathPrefix") ?? "/";
  return [...items].filter((i) => i.path.startsWith(prefix));
}

/** The IAM double: the model behind an HTTP endpoint on 127.0.0.1. */
export class IamDouble {
  readonly iam: Iam;
  readonly calls: Call[] = [];
  private readonly faults: { action: string; kind: Fault["kind"]; left: number }[] = [];
  private readonly hidden = new Set<string>();
  private readonly stalled: (() => void)[] = [];
  private readonly stallWaiters: (() => void)[] = [];
  private server?: Server;
  private requestIds = 0;
  delayedVisibility: boolean;

  constructor(private readonly options: IamDoubleOptions = {}) {
    this.iam = new Iam({ accountId: options.accountId ?? "111122223333", partition: options.partition ?? "aws" });
    this.delayedVisibility = options.delayedVisibility ?? false;
  }

  get accountId(): string {
    return this.iam.options.accountId;
  }

  /** The endpoint URL, once started. */
  get url(): string {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error("The IAM double is not started.");
    return `http://127.0.0.1:${address.port}`;
  }

  /**
   * The environment that points the AWS provider (and the AWS CLI and SDKs) at this double:
   * fake keys, a Region, the IAM and STS endpoints, no instance metadata.
   */
  env(region = "us-east-1"): Record<string, string> {
    return {
      AWS_ACCESS_KEY_ID: "AKIAIAMDOUBLE0000000",
      AWS_SECRET_ACCESS_KEY: "iam-double-not-a-secret",
      AWS_REGION: region,
      AWS_ENDPOINT_URL_IAM: this.url,
      AWS_ENDPOINT_URL_STS: this.url,
      AWS_EC2_METADATA_DISABLED: "true",
    };
  }

  /** Makes the next `times` calls of `action` fail with IAM's throttling error or a 500. */
  inject(fault: Fault): void {
    this.faults.push({ action: fault.action, kind: fault.kind, left: fault.times });
  }

  /** Resolves when a call is stalled (at once if one is). */
  stalledCall(): Promise<void> {
    return this.stalled.length > 0 ? Promise.resolve() : new Promise((resolve) => this.stallWaiters.push(resolve));
  }

  /** Answers every stalled call. */
  release(): void {
    for (const answer of this.stalled.splice(0)) answer();
  }

  start(): Promise<string> {
    const server = createServer((request, response) => this.serve(request, response));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.options.port ?? 0, "127.0.0.1", () => resolve(this.url));
    });
  }

  close(): Promise<void> {
    this.release();
    const server = this.server;
    if (!server) return Promise.resolve();
    server.closeAllConnections();
    return new Promise((done) => server.close(() => done()));
  }

  /** The calls of one action, in order. */
  callsOf(action: string): Call[] {
    return this.calls.filter((c) => c.action === action);
  }

  private serve(request: IncomingMessage, response: ServerResponse): void {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => (body += chunk));
    request.on("end", () => {
      const params = new URLSearchParams(
        request.method === "POST" ? body : (request.url ?? "").replace(/^[^?]*\??/, ""),
      );
      const action = params.get("Action") ?? "";
      const respond = () => {
        const { status, xml, call } = this.answer(action, params);
        this.calls.push(call);
        response.statusCode = status;
        response.setHeader("Content-Type", "text/xml");
        response.end(xml);
      };
      if (this.takeFault(action, ["stall"])) {
        this.stalled.push(respond);
        for (const notify of this.stallWaiters.splice(0)) notify();
      } else {
        respond();
      }
    });
  }

  /** Uses up one injected fault of these kinds for the action, if any is left. */
  private takeFault(action: string, kinds: readonly Fault["kind"][]): Fault["kind"] | undefined {
    const fault = this.faults.find((f) => f.action === action && f.left > 0 && kinds.includes(f.kind));
    if (fault === undefined) return undefined;
    fault.left -= 1;
    return fault.kind;
  }

  private answer(action: string, params: Params): { status: number; xml: string; call: Call } {
    const requestId = `iam-double-${++this.requestIds}`;
    const ns = action === "GetCallerIdentity" ? STS_NS : IAM_NS;
    try {
      const fault = this.takeFault(action, ["throttle", "server-error"]);
      if (fault) {
        throw fault === "throttle"
          ? new IamError("Throttling", 400, "Rate exceeded")
          : new IamError(
              "ServiceFailure",
              500,
              "The request processing has failed because of an unknown error.",
              "Receiver",
            );
      }
      const handler = this.handlers[action];
      if (handler === undefined) {
        throw new IamError(
          "InvalidAction",
          400,
          `The IAM double does not implement ${action || "(no Action)"}; add it to test-support/iam-double if the provider needs it.`,
        );
      }
      const version = params.get("Version");
      const expected = action === "GetCallerIdentity" ? "2011-06-15" : "2010-05-08";
      if (version !== expected)
        throw new IamError("InvalidParameterValue", 400, `Version must be ${expected}; received ${version ?? "none"}.`);
      const { xml, target } = handler(params);
      const body =
        // IAM answers with a result element even when it is empty (UpdateRole's is), and the SDK requires it.
        `<${action}Response xmlns="${ns}"><${action}Result>${xml}</${action}Result>` +
        `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
      return { status: 200, xml: body, call: { action, ...(target !== undefined ? { target } : {}) } };
    } catch (error) {
      if (!(error instanceof IamError)) throw error;
      const body =
        `<ErrorResponse xmlns="${ns}"><Error><Type>${error.type}</Type><Code>${error.code}</Code>` +
        `<Message>${escapeXml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
      const target = params.get("RoleName") ?? params.get("PolicyArn") ?? params.get("PolicyName") ?? undefined;
      return { status: error.status, xml: body, call: { action, error: error.code, ...(target ? { target } : {}) } };
    }
  }

  /**
   * TagX, UntagX and ListXTags for an entity with tags (a role, a policy), found from the request
   * by `find`.
   */
  private tagging(
    kind: "Role" | "Policy",
    find: (p: Params) => { entity: { tags: Tag[] }; target: string },
  ): Record<string, Handler> {
    return {
      [`Tag${kind}`]: (p) => {
        const { entity, target } = find(p);
        entity.tags = this.iam.tag(entity.tags, tagsOf(p), kind === "Role" ? "role" : "policy");
        return { xml: "", target };
      },
      [`Untag${kind}`]: (p) => {
        const { entity, target } = find(p);
        // A role's tag keys are compared case-insensitively, as in TagRole.
        const fold = (key: string) => (kind === "Role" ? key.toLowerCase() : key);
        const keys = listOf(p, "TagKeys").map(fold);
        entity.tags = entity.tags.filter((t) => !keys.includes(fold(t.key)));
        return { xml: "", target };
      },
      [`List${kind}Tags`]: (p) => {
        const { entity, target } = find(p);
        const { items, truncation } = page(p, entity.tags);
        return {
          xml:
            members(
              "Tags",
              items.map((t) => el("Key", t.key) + el("Value", t.value)),
            ) + truncation,
          target,
        };
      },
    };
  }

  /** Every action the double implements. */
  private readonly handlers: Record<string, Handler> = {
    ...this.tagging("Role", (p) => {
      const role = this.iam.getRole(required(p, "RoleName"));
      return { entity: role, target: role.name };
    }),
    ...this.tagging("Policy", (p) => {
      const policy = this.iam.getPolicy(required(p, "PolicyArn"));
      return { entity: policy, target: policy.arn };
    }),
    GetCallerIdentity: () => ({
      xml:
        el("Arn", `arn:${this.iam.options.partition}:iam::${this.accountId}:user/iam-double`) +
        el("UserId", "AIDAIAMDOUBLE") +
        el("Account", this.accountId),
    }),

    CreateRole: (p) => {
      const role = this.iam.createRole({
        name: optional(p, "RoleName"),
        path: optional(p, "Path"),
        trustPolicy: optional(p, "AssumeRolePolicyDocument"),
        description: optional(p, "Description"),
        maxSessionDuration: numberParam(p, "MaxSessionDuration"),
        permissionsBoundary: optional(p, "PermissionsBoundary"),
        tags: tagsOf(p),
      });
      if (this.delayedVisibility) this.hidden.add(role.name.toLowerCase());
      return { xml: roleXml(role), target: role.name };
    },
    GetRole: (p) => {
      const name = required(p, "RoleName");
      if (this.hidden.delete(name.toLowerCase())) {
        throw new IamError("NoSuchEntity", 404, `The role with name ${name} cannot be found.`);
      }
      return { xml: roleXml(this.iam.getRole(name)), target: name };
    },
    ListRoles: (p) => {
      const { items, truncation } = page(p, byPath(p, this.iam.roles.values()));
      return {
        xml:
          list(
            "Roles",
            items.map((r) => roleXml(r, "member")),
          ) + truncation,
      };
    },
    UpdateRole: (p) => {
      const name = required(p, "RoleName");
      this.iam.updateRole(name, {
        description: optional(p, "Description"),
        maxSessionDuration: numberParam(p, "MaxSessionDuration"),
      });
      return { xml: "", target: name };
    },
    UpdateRoleDescription: (p) => {
      const name = required(p, "RoleName");
      this.iam.updateRole(name, { description: required(p, "Description") });
      return { xml: roleXml(this.iam.getRole(name)), target: name };
    },
    UpdateAssumeRolePolicy: (p) => {
      const name = required(p, "RoleName");
      this.iam.updateTrustPolicy(name, optional(p, "PolicyDocument"));
      return { xml: "", target: name };
    },
    PutRolePermissionsBoundary: (p) => {
      const name = required(p, "RoleName");
      this.iam.putPermissionsBoundary(name, optional(p, "PermissionsBoundary"));
      return { xml: "", target: name };
    },
    DeleteRolePermissionsBoundary: (p) => {
      const name = required(p, "RoleName");
      this.iam.deletePermissionsBoundary(name);
      return { xml: "", target: name };
    },
    DeleteRole: (p) => {
      const name = required(p, "RoleName");
      this.iam.deleteRole(name);
      return { xml: "", target: name };
    },
    ListRolePolicies: (p) => {
      const name = required(p, "RoleName");
      const { items, truncation } = page(p, this.iam.rolePolicyNames(name));
      return { xml: members("PolicyNames", items.map(escapeXml)) + truncation, target: name };
    },
    PutRolePolicy: (p) => {
      const name = required(p, "RoleName");
      const policy = required(p, "PolicyName");
      this.iam.putRolePolicy(name, policy, optional(p, "PolicyDocument"));
      return { xml: "", target: `${name}/${policy}` };
    },
    GetRolePolicy: (p) => {
      const name = required(p, "RoleName");
      const policy = required(p, "PolicyName");
      const document = this.iam.getRolePolicy(name, policy);
      return {
        xml:
          el("RoleName", this.iam.getRole(name).name) +
          el("PolicyName", policy) +
          el("PolicyDocument", rfc3986(document)),
        target: `${name}/${policy}`,
      };
    },
    DeleteRolePolicy: (p) => {
      const name = required(p, "RoleName");
      const policy = required(p, "PolicyName");
      this.iam.deleteRolePolicy(name, policy);
      return { xml: "", target: `${name}/${policy}` };
    },
    ListInstanceProfilesForRole: (p) => {
      const role = this.iam.getRole(required(p, "RoleName"));
      // The double models no instance profiles: a role is in none.
      return { xml: members("InstanceProfiles", []) + el("IsTruncated", false), target: role.name };
    },
    ListAttachedRolePolicies: (p) => {
      const name = required(p, "RoleName");
      const prefix = optional(p, "PathPrefix");
      const attached = this.iam
        .attachedPolicies(name)
        .filter((a) => prefix === undefined || a.arn.split(":policy")[1]?.startsWith(prefix));
      const { items, truncation } = page(p, attached);
      return {
        xml:
          members(
            "AttachedPolicies",
            items.map((a) => el("PolicyName", a.name) + el("PolicyArn", a.arn)),
          ) + truncation,
        target: name,
      };
    },
    AttachRolePolicy: (p) => {
      const name = required(p, "RoleName");
      const arn = required(p, "PolicyArn");
      this.iam.attachRolePolicy(name, arn);
      return { xml: "", target: `${name} -> ${arn}` };
    },
    DetachRolePolicy: (p) => {
      const name = required(p, "RoleName");
      const arn = required(p, "PolicyArn");
      this.iam.detachRolePolicy(name, arn);
      return { xml: "", target: `${name} -> ${arn}` };
    },

    CreatePolicy: (p) => {
      const policy = this.iam.createPolicy({
        name: optional(p, "PolicyName"),
        path: optional(p, "Path"),
        document: optional(p, "PolicyDocument"),
        description: optional(p, "Description"),
        tags: tagsOf(p),
      });
      return { xml: policyXml(policy, 0), target: policy.arn };
    },
    GetPolicy: (p) => {
      const policy = this.iam.getPolicy(required(p, "PolicyArn"));
      return { xml: policyXml(policy, this.iam.attachmentCount(policy.arn)), target: policy.arn };
    },
    ListPolicies: (p) => {
      // Only customer managed policies exist in the double; Scope=AWS lists none.
      const scope = optional(p, "Scope") ?? "All";
      const onlyAttached = optional(p, "OnlyAttached") === "true";
      const all = scope === "AWS" ? [] : byPath(p, this.iam.policies.values());
      const listed = all.filter((policy) => !onlyAttached || this.iam.attachmentCount(policy.arn) > 0);
      const { items, truncation } = page(p, listed);
      return {
        xml:
          list(
            "Policies",
            items.map((policy) => policyXml(policy, this.iam.attachmentCount(policy.arn), "member")),
          ) + truncation,
      };
    },
    GetPolicyVersion: (p) => {
      const arn = required(p, "PolicyArn");
      const version = this.iam.getPolicyVersion(arn, optional(p, "VersionId"));
      return { xml: versionXml(version, this.iam.getPolicy(arn).defaultVersionId === version.id), target: arn };
    },
    ListPolicyVersions: (p) => {
      const policy = this.iam.getPolicy(required(p, "PolicyArn"));
      // Newest first, as IAM lists them.
      const { items, truncation } = page(p, [...policy.versions].reverse());
      return {
        xml:
          list(
            "Versions",
            items.map((v) => versionXml(v, v.id === policy.defaultVersionId, "member", false)),
          ) + truncation,
        target: policy.arn,
      };
    },
    CreatePolicyVersion: (p) => {
      const arn = required(p, "PolicyArn");
      const version = this.iam.createPolicyVersion(
        arn,
        optional(p, "PolicyDocument"),
        optional(p, "SetAsDefault") === "true",
      );
      return {
        xml: versionXml(version, this.iam.getPolicy(arn).defaultVersionId === version.id, "PolicyVersion", false),
        target: arn,
      };
    },
    SetDefaultPolicyVersion: (p) => {
      const arn = required(p, "PolicyArn");
      this.iam.setDefaultPolicyVersion(arn, optional(p, "VersionId"));
      return { xml: "", target: arn };
    },
    DeletePolicyVersion: (p) => {
      const arn = required(p, "PolicyArn");
      this.iam.deletePolicyVersion(arn, optional(p, "VersionId"));
      return { xml: "", target: arn };
    },
    DeletePolicy: (p) => {
      const arn = required(p, "PolicyArn");
      this.iam.deletePolicy(arn);
      return { xml: "", target: arn };
    },
  };
}
