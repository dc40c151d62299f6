import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { providerMirror, terraformAsync, terraformEnv, TerraformResult } from "../packages/review/src/terraform";
import { IamDouble } from "./iam-double/server";

/**
 * Helpers for lifecycle tests: the project as a user has it (in a temporary copy, so that its
 * state file is the test's own), the real cdktf CLI and real Terraform pointed at an IAM double
 * through the standard AWS environment variables only.
 */
const root = join(__dirname, "..");

/** The files a user's checkout runs `npx cdktf deploy` with; node_modules is linked, not copied. */
const PROJECT_FILES = ["package.json", "cdktf.json", "main.ts", "lib", "tsconfig.json", "tsconfig.build.json", "dist"];

/** A temporary copy of the project, built (the build's timestamps kept, so `tsc -b` finds it up to date). */
export function projectCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "project-"));
  for (const name of PROJECT_FILES) {
    cpSync(join(root, name), join(dir, name), {
      recursive: true,
      preserveTimestamps: true,
      filter: (src) => !src.startsWith(join(root, "dist", "tools")) && !src.startsWith(join(root, "dist", "bench")),
    });
  }
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
  return dir;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * A fresh IAM double (a new, empty account) for the enclosing `describe` block: started before its
 * tests and given to `use`, closed after them. What one block leaves behind is not the next one's business.
 */
export function withDouble(use: (double: IamDouble) => void): void {
  let double: IamDouble | undefined;
  beforeAll(async () => {
    double = new IamDouble();
    await double.start();
    use(double);
  });
  afterAll(() => double?.close());
}

/** The environment of a command run against the double: Terraform's (mirror, no prompts) and the double's. */
export function doubleEnv(double: IamDouble): NodeJS.ProcessEnv {
  return { ...terraformEnv(), ...double.env(), CI: "1" };
}

/**
 * `--skip-provider-lock` where providers come from a mirror: without it, `cdktf deploy` runs
 * `terraform providers lock`, which asks the registry and fails on a machine without one.
 */
export function cdktfFlags(): string[] {
  return providerMirror() ? ["--skip-provider-lock"] : [];
}

export interface CommandResult extends TerraformResult {
  /** stdout and stderr together, without terminal colours. */
  readonly output: string;
}

/** A running command: its process, and its result once it ends. */
export interface Running {
  readonly pid: number;
  readonly done: Promise<CommandResult>;
}

/** Starts `npx cdktf <args>` in `dir` against the double, in its own process group (as a shell's job). */
export function startCdktf(dir: string, double: IamDouble, args: readonly string[]): Running {
  const child = spawn("npx", ["cdktf", ...args], { cwd: dir, env: doubleEnv(double), detached: true });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const done = new Promise<CommandResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      const output = stripVTControlCharacters(`${stdout}${stderr}`);
      resolve({ code: code ?? 1, stdout, stderr, output });
    });
  });
  return { pid: child.pid as number, done };
}

/** Runs `npx cdktf <args>` in `dir` against the double. */
export function cdktf(dir: string, double: IamDouble, args: readonly string[]): Promise<CommandResult> {
  return startCdktf(dir, double, args).done;
}

/** Runs `terraform <args>` in `dir` against the double. */
export async function terraformAgainst(
  dir: string,
  double: IamDouble,
  args: readonly string[],
): Promise<CommandResult> {
  const result = await terraformAsync(dir, args, double.env());
  return { ...result, output: `${result.stdout}${result.stderr}` };
}

/** Resolves once every process of the group has exited. */
export async function groupExited(pgid: number): Promise<void> {
  for (;;) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** One managed resource instance in a Terraform state file. */
export interface StateResource {
  readonly address: string;
  readonly type: string;
  readonly attributes: Record<string, unknown>;
}

/** The managed resources of a local state file (none if it does not exist). */
export function stateResources(file: string): StateResource[] {
  if (!existsSync(file)) return [];
  const state = JSON.parse(readFileSync(file, "utf8")) as {
    resources: {
      module?: string;
      mode: string;
      type: string;
      name: string;
      instances: { index_key?: string | number; attributes: Record<string, unknown> }[];
    }[];
  };
  return state.resources
    .filter((r) => r.mode === "managed")
    .flatMap((r) =>
      r.instances.map((i) => ({
        address: `${r.module ? `${r.module}.` : ""}${r.type}.${r.name}${i.index_key === undefined ? "" : `[${JSON.stringify(i.index_key)}]`}`,
        type: r.type,
        attributes: i.attributes,
      })),
    );
}

/** What the state tracks, in the form of `Iam.snapshot()`: every entity in the double should be here, once. */
export function trackedEntities(resources: readonly StateResource[]): {
  roles: string[];
  policies: string[];
  attachments: string[];
} {
  const of = (type: string) => resources.filter((r) => r.type === type).map((r) => r.attributes);
  return {
    roles: of("aws_iam_role")
      .map((a) => a.name as string)
      .sort(),
    policies: of("aws_iam_policy")
      .map((a) => a.arn as string)
      .sort(),
    attachments: of("aws_iam_role_policy_attachment")
      .map((a) => `${a.role as string} -> ${a.policy_arn as string}`)
      .sort(),
  };
}

/** Calls the double's Query API as the AWS CLI would (`aws iam <action>`); returns the XML. */
export async function iamApi(double: IamDouble, action: string, params: Record<string, string>): Promise<string> {
  const response = await fetch(double.url, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded; charset=utf-8" },
    body: new URLSearchParams({ Action: action, Version: "2010-05-08", ...params }).toString(),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${action} failed (${response.status}): ${text}`);
  return text;
}

/** AWS's guide's two documents (test-support/seed/), with the placeholders filled in. */
export function seedDocuments(
  place: { accountId: string; region: string },
  ids: { campaignId: string; solutionId: string },
) {
  const seed = (file: string) => readFileSync(join(__dirname, "seed", file), "utf8");
  return {
    permissions: seed("RetrieveRecommendationsPolicy.json")
      .replace(/:region:accountId:/g, `:${place.region}:${place.accountId}:`)
      .replace("solution/solutionId", `solution/${ids.solutionId}`)
      .replace("campaign/campaignId", `campaign/${ids.campaignId}`),
    trust: seed("RecommendationsTrustPolicy.json"),
  };
}

/**
 * AWS's guide by hand, through the double's API as its CLI steps do: `create-policy`,
 * `create-role`, `attach-role-policy`. Returns the policy's ARN.
 */
export async function makeRoleByHand(
  double: IamDouble,
  names: { role: string; policy: string },
  ids: { campaignId: string; solutionId: string },
): Promise<string> {
  const documents = seedDocuments({ accountId: double.accountId, region: "us-east-1" }, ids);
  await iamApi(double, "CreatePolicy", { PolicyName: names.policy, PolicyDocument: documents.permissions });
  await iamApi(double, "CreateRole", { RoleName: names.role, AssumeRolePolicyDocument: documents.trust });
  const arn = `arn:aws:iam::${double.accountId}:policy/${names.policy}`;
  await iamApi(double, "AttachRolePolicy", { RoleName: names.role, PolicyArn: arn });
  return arn;
}
