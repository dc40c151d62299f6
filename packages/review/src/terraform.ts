import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";

// Runs real Terraform, offline where the machine has a provider mirror, with no set-up by hand.
//
// - `TERRAFORM_BINARY` names the binary; otherwise `terraform` is looked up on PATH.
// - `TF_PROVIDER_MIRROR` names a filesystem mirror of providers (default `/opt/tf-plugins`, used
//   when it exists); without one, providers come from the registry as usual.

/** Where this project's machines keep a filesystem mirror of providers. */
export const DEFAULT_PROVIDER_MIRROR = "/opt/tf-plugins";

/** Terraform is not installed where the project looks for it. */
export class TerraformNotFoundError extends Error {}

/** The Terraform binary, or an error that says how to get one. */
export function terraformBinary(): string {
  const configured = process.env.TERRAFORM_BINARY;
  if (configured) {
    if (!existsSync(configured))
      throw new TerraformNotFoundError(`TERRAFORM_BINARY is ${configured}, which does not exist.`);
    return configured;
  }
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, "terraform");
    if (dir && existsSync(candidate)) return candidate;
  }
  throw new TerraformNotFoundError(
    "terraform was not found on PATH. Install Terraform 1.9 or later " +
      "(https://developer.hashicorp.com/terraform/install), or set TERRAFORM_BINARY to its path.",
  );
}

export function providerMirror(): string | undefined {
  const mirror = process.env.TF_PROVIDER_MIRROR ?? DEFAULT_PROVIDER_MIRROR;
  return existsSync(mirror) ? mirror : undefined;
}

let cachedEnv: NodeJS.ProcessEnv | undefined;

/**
 * The environment Terraform runs in: no prompts, no colour, no update checks, and (when the
 * machine has a provider mirror) a CLI configuration that installs providers from it.
 */
export function terraformEnv(): NodeJS.ProcessEnv {
  if (cachedEnv) return cachedEnv;
  const env: NodeJS.ProcessEnv = { ...process.env, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1", TF_INPUT: "0" };
  const mirror = providerMirror();
  if (mirror) {
    const config = join(mkdtempSync(join(tmpdir(), "tf-cli-")), "terraform.rc");
    writeFileSync(
      config,
      `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(mirror)}\n  }\n}\n`,
    );
    env.TF_CLI_CONFIG_FILE = config;
  }
  cachedEnv = env;
  return env;
}

export interface TerraformResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function commandLine(args: readonly string[]): string[] {
  // -no-color goes after the subcommand; Terraform rejects it before.
  return [args[0], "-no-color", ...args.slice(1)];
}

/** Runs `terraform <args>` in `cwd` and returns its exit code and output; `env` adds variables. */
export function terraform(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): TerraformResult {
  const result = spawnSync(terraformBinary(), commandLine(args), {
    cwd,
    env: { ...terraformEnv(), ...env },
    encoding: "utf8",
  });
  if (result.error) throw result.error;
  return { code: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

/** The same, without blocking the event loop (for running several at once). */
export function terraformAsync(
  cwd: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<TerraformResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(terraformBinary(), commandLine(args), { cwd, env: { ...terraformEnv(), ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** Like `terraform`, but throws with Terraform's own output when the command fails. */
export function terraformOk(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): TerraformResult {
  const result = terraform(cwd, args, env);
  if (result.code !== 0) {
    throw new Error(
      `terraform ${args.join(" ")} failed in ${cwd} (exit ${result.code}):\n${result.stderr}${result.stdout}`,
    );
  }
  return result;
}

export interface Diagnostic {
  readonly severity: "error" | "warning";
  readonly summary: string;
  readonly detail: string;
}

/** The diagnostics of a command run with `-json` (one JSON message per line). */
export function diagnostics(jsonLines: string): Diagnostic[] {
  return jsonLines
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as { type?: string; diagnostic?: Diagnostic })
    .filter((message) => message.type === "diagnostic" && message.diagnostic !== undefined)
    .map((message) => message.diagnostic as Diagnostic);
}

/** What `terraform validate -json` says of an initialized directory. */
export interface Validation {
  readonly valid: boolean;
  readonly warnings: number;
  readonly diagnostics: readonly Diagnostic[];
}

/** Runs `terraform validate -json` in an initialized directory. */
export function validation(cwd: string, env: NodeJS.ProcessEnv = {}): Validation {
  const result = JSON.parse(terraformOk(cwd, ["validate", "-json"], env).stdout) as {
    valid: boolean;
    warning_count: number;
    diagnostics: Diagnostic[];
  };
  return { valid: result.valid, warnings: result.warning_count, diagnostics: result.diagnostics };
}

/** The error messages of a diagnostic list, without Terraform's "This was checked by..." trailer. */
export function errorMessages(list: readonly Diagnostic[]): string[] {
  return list
    .filter((d) => d.severity === "error")
    .map((d) => (d.detail || d.summary).replace(/\n\nThis was checked by the validation rule at .*$/s, "").trim());
}
