import { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, TerraformStack } from "cdktf";

/**
 * Where a stack keeps its Terraform state: a local file (the default), an S3 bucket with S3's
 * own state locking, or HCP Terraform. One of the three structs below, told apart by their
 * required fields (`bucket` for S3, `organization` for HCP Terraform).
 */
export type StateBackend = LocalStateBackend | S3StateBackend | CloudStateBackend;

/** State in a local file. */
export interface LocalStateBackend {
  /**
   * Path of the state file, relative to the stack's directory `cdktf.out/stacks/<stack>/`.
   *
   * @default "../../../terraform.<stack>.tfstate" (the folder that holds cdktf.out, the project
   * directory unless cdktf.json's `output` moves it: never inside the output folder)
   */
  readonly path?: string;
}

/** State in an S3 bucket, locked with S3's own lock file (Terraform 1.10 or later). */
export interface S3StateBackend {
  /** The bucket that holds the state. */
  readonly bucket: string;
  /** @default "<stack>/terraform.tfstate" */
  readonly key?: string;
  /** Region of the bucket. */
  readonly region: string;
}

/** State in HCP Terraform. */
export interface CloudStateBackend {
  /** The HCP Terraform organization. */
  readonly organization: string;
  /** @default the stack's name */
  readonly workspace?: string;
  /** @default - HCP Terraform's project default */
  readonly project?: string;
  /** @default "app.terraform.io" */
  readonly hostname?: string;
}

/** Each backend struct's fields, and which of them are required. */
const BACKEND_FIELDS: readonly { readonly name: string; readonly fields: Record<string, boolean> }[] = [
  { name: "LocalStateBackend", fields: { path: false } },
  { name: "S3StateBackend", fields: { bucket: true, key: false, region: true } },
  { name: "CloudStateBackend", fields: { organization: true, workspace: false, project: false, hostname: false } },
];

/**
 * Checks a backend struct's shape: an object whose fields are one struct's, each a string, with
 * that struct's required fields (a field left out by mistake must not turn S3 into local state).
 */
function checkBackend(stack: TerraformStack, backend: unknown): asserts backend is StateBackend {
  const refuse = (why: string): never => {
    let received: string;
    try {
      received = JSON.stringify(backend) ?? String(backend);
    } catch {
      received = String(backend);
    }
    throw new Error(
      `${stack.node.path}: backend must be a LocalStateBackend, an S3StateBackend or a CloudStateBackend${why}. ` +
        `Received ${received}.`,
    );
  };
  if (backend === null || typeof backend !== "object" || Array.isArray(backend)) return refuse("");
  const given = Object.entries(backend).filter(([, v]) => v !== undefined && v !== null);
  const nonString = given.filter(([, v]) => typeof v !== "string").map(([k]) => k);
  if (nonString.length > 0) refuse(`, whose fields are strings (${nonString.join(", ")} is not)`);
  const fits = BACKEND_FIELDS.find(
    (b) =>
      given.every(([k]) => k in b.fields) &&
      Object.entries(b.fields).every(([k, required]) => !required || given.some(([g]) => g === k)),
  );
  if (fits === undefined) {
    refuse(
      ": the fields of one of them (LocalStateBackend: path; S3StateBackend: bucket, region, key; " +
        "CloudStateBackend: organization, workspace, project, hostname), with its required ones",
    );
  }
}

/** Terraform 1.10 is the first whose S3 backend locks state with a lock file in the bucket. */
const S3_LOCKFILE_TERRAFORM_VERSION = ">= 1.10.0";

/** Adds the backend to the stack; returns the Terraform version it needs, if any beyond the stack's. */
export function addBackend(stack: TerraformStack, backend: StateBackend): string | undefined {
  const name = stack.node.id;
  checkBackend(stack, backend);
  if ("bucket" in backend) {
    new S3Backend(stack, {
      bucket: backend.bucket,
      key: backend.key ?? `${name}/terraform.tfstate`,
      region: backend.region,
      encrypt: true,
    }).addOverride("use_lockfile", true);
    return S3_LOCKFILE_TERRAFORM_VERSION;
  }
  if ("organization" in backend) {
    new CloudBackend(stack, {
      organization: backend.organization,
      workspaces: new NamedCloudWorkspace(backend.workspace ?? name, backend.project),
      ...(backend.hostname ? { hostname: backend.hostname } : {}),
    });
    return undefined;
  }
  new LocalBackend(stack, { path: backend.path ?? `../../../terraform.${name}.tfstate` });
  return undefined;
}

/**
 * The backend named by the environment, so that one app serves a laptop and a team's CI:
 *
 * - `STATE_BACKEND`: `local` (default), `s3` or `cloud`;
 * - for `s3`: `STATE_BUCKET` (required), `STATE_KEY`, `STATE_REGION` (default `AWS_REGION`);
 * - for `cloud`: HCP Terraform's own variables, `TF_CLOUD_ORGANIZATION` (required),
 *   `TF_WORKSPACE` (default: the stack's name), `TF_CLOUD_PROJECT`, `TF_CLOUD_HOSTNAME`.
 */
export function backendFromEnvironment(env: Readonly<Record<string, string | undefined>>): StateBackend {
  const value = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  const required = (name: string, what: string, backend: string): string => {
    const v = value(name);
    if (v === undefined) throw new Error(`${name} must be set when STATE_BACKEND is ${backend}: ${what}.`);
    return v;
  };
  const type = value("STATE_BACKEND") ?? "local";
  switch (type) {
    case "local":
      return {};
    case "s3": {
      const region = value("STATE_REGION") ?? value("AWS_REGION");
      if (region === undefined) {
        throw new Error(
          "STATE_REGION (or AWS_REGION) must be set when STATE_BACKEND is s3: the Region of the state bucket.",
        );
      }
      const key = value("STATE_KEY");
      return {
        bucket: required("STATE_BUCKET", "the S3 bucket that holds the state", "s3"),
        region,
        ...(key ? { key } : {}),
      };
    }
    case "cloud": {
      const [workspace, project, hostname] = ["TF_WORKSPACE", "TF_CLOUD_PROJECT", "TF_CLOUD_HOSTNAME"].map(value);
      return {
        organization: required("TF_CLOUD_ORGANIZATION", "the HCP Terraform organization", "cloud"),
        ...(workspace ? { workspace } : {}),
        ...(project ? { project } : {}),
        ...(hostname ? { hostname } : {}),
      };
    }
    default:
      throw new Error(`STATE_BACKEND must be local, s3 or cloud. Received ${JSON.stringify(type)}.`);
  }
}
