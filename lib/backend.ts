import { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, TerraformStack } from "cdktf";

/**
 * Where a stack keeps its Terraform state: a local file (the default), an S3 bucket with S3's
 * own state locking, or HCP Terraform.
 */
export type StateBackend = LocalStateBackend | S3StateBackend | CloudStateBackend;

export interface LocalStateBackend {
  readonly type: "local";
  /**
   * Path of the state file, relative to the stack's directory `cdktf.out/stacks/<stack>/`.
   *
   * @default "../../../terraform.<stack>.tfstate" (the project directory, outside cdktf.out)
   */
  readonly path?: string;
}

export interface S3StateBackend {
  readonly type: "s3";
  readonly bucket: string;
  /** @default "<stack>/terraform.tfstate" */
  readonly key?: string;
  /** Region of the bucket. */
  readonly region: string;
}

export interface CloudStateBackend {
  readonly type: "cloud";
  readonly organization: string;
  /** @default the stack's name */
  readonly workspace?: string;
  /** @default - HCP Terraform's project default */
  readonly project?: string;
  /** @default "app.terraform.io" */
  readonly hostname?: string;
}

/** Terraform 1.10 is the first whose S3 backend locks state with a lock file in the bucket. */
export const S3_LOCKFILE_TERRAFORM_VERSION = ">= 1.10.0";

/** Adds the backend to the stack; returns the Terraform version it needs, if any beyond the stack's. */
export function addBackend(stack: TerraformStack, backend: StateBackend): string | undefined {
  const name = stack.node.id;
  switch (backend.type) {
    case "local":
      new LocalBackend(stack, { path: backend.path ?? `../../../terraform.${name}.tfstate` });
      return undefined;
    case "s3":
      new S3Backend(stack, {
        bucket: backend.bucket,
        key: backend.key ?? `${name}/terraform.tfstate`,
        region: backend.region,
        encrypt: true,
      }).addOverride("use_lockfile", true);
      return S3_LOCKFILE_TERRAFORM_VERSION;
    case "cloud":
      new CloudBackend(stack, {
        organization: backend.organization,
        workspaces: new NamedCloudWorkspace(backend.workspace ?? name, backend.project),
        ...(backend.hostname ? { hostname: backend.hostname } : {}),
      });
      return undefined;
  }
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
      return { type };
    case "s3": {
      const region = value("STATE_REGION") ?? value("AWS_REGION");
      if (region === undefined) {
        throw new Error(
          "STATE_REGION (or AWS_REGION) must be set when STATE_BACKEND is s3: the Region of the state bucket.",
        );
      }
      const key = value("STATE_KEY");
      return {
        type,
        bucket: required("STATE_BUCKET", "the S3 bucket that holds the state", "s3"),
        region,
        ...(key ? { key } : {}),
      };
    }
    case "cloud": {
      const [workspace, project, hostname] = ["TF_WORKSPACE", "TF_CLOUD_PROJECT", "TF_CLOUD_HOSTNAME"].map(value);
      return {
        type,
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
