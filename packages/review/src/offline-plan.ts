import { createServer, Server } from "node:http";
import { AddressInfo } from "node:net";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { diagnostics, errorMessages, providerMirror, terraformAsync, TerraformResult } from "./terraform";

// A real `terraform plan`, with the real hashicorp/aws provider, on a machine with no AWS account:
// fake keys and a local STS endpoint that answers `GetCallerIdentity` (for the credentials check
// and `data.aws_caller_identity`) through the standard AWS environment; for a synthesized stack,
// also an override file beside `cdk.tf.json` (which stays untouched) with the place, the
// provider's `skip_*` flags and a local state.

/** The account and Region an offline plan is made for. */
export interface Place {
  readonly accountId: string;
  readonly region: string;
}

/** AWS's documentation account ID, and the Region most examples use. */
export const EXAMPLE_PLACE: Place = { accountId: "111122223333", region: "us-east-1" };

export const OVERRIDE_FILE = "offline_override.tf.json";

/** The parts of `terraform show -json` that reviews read. */
export interface PlanResource {
  readonly address: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  /** The `count` or `for_each` key of this instance, if any. */
  readonly index?: string | number;
  readonly values: Record<string, unknown>;
}
/** A module instance in planned values or state: `address` is absent for the root module. */
export interface PlanModule {
  readonly address?: string;
  readonly resources?: PlanResource[];
  readonly child_modules?: PlanModule[];
}
/** An expression of the configuration: a constant, or the references it reads. */
export interface ConfigExpression {
  readonly constant_value?: unknown;
  readonly references?: string[];
}
export interface ConfigResource {
  /** Relative to its module: `aws_iam_role.this`. */
  readonly address: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name?: string;
  readonly provider_config_key?: string;
  readonly expressions?: Record<string, unknown>;
  readonly count_expression?: ConfigExpression;
  readonly for_each_expression?: ConfigExpression;
}
export interface ModuleCall {
  readonly source?: string;
  readonly expressions?: Record<string, ConfigExpression>;
  readonly count_expression?: ConfigExpression;
  readonly for_each_expression?: ConfigExpression;
  readonly module?: ConfigModule;
}
export interface ConfigModule {
  readonly resources?: ConfigResource[];
  readonly module_calls?: Record<string, ModuleCall>;
  readonly outputs?: Record<string, { readonly expression?: ConfigExpression }>;
  readonly variables?: Record<string, unknown>;
}
export interface ResourceChange {
  readonly address: string;
  readonly module_address?: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly change: {
    readonly actions: string[];
    readonly before?: Record<string, unknown> | null;
    readonly after?: Record<string, unknown> | null;
    /** Which of `after`'s values are unknown until apply: `true`, or the same shape with `true` at the unknown parts. */
    readonly after_unknown?: Record<string, unknown>;
  };
}
export interface TerraformPlan {
  readonly format_version?: string;
  readonly terraform_version: string;
  readonly variables?: Record<string, { readonly value: unknown }>;
  readonly planned_values: { readonly root_module: PlanModule };
  readonly prior_state?: { readonly values?: { readonly root_module?: PlanModule } };
  readonly resource_changes?: ResourceChange[];
  readonly output_changes?: Record<string, { readonly after?: unknown; readonly after_unknown?: unknown }>;
  readonly configuration: {
    readonly provider_config?: Record<
      string,
      {
        readonly version_constraint?: string;
        readonly expressions?: Record<string, { readonly constant_value?: unknown }>;
      }
    >;
    readonly root_module: ConfigModule;
  };
}

/** Why a plan could not be made: the stage that failed, what to do, and Terraform's own words. */
export class PlanError extends Error {
  constructor(
    readonly stage: "init" | "plan" | "show",
    readonly advice: string,
    readonly terraformMessages: string[],
    readonly output: string,
  ) {
    super(`terraform ${stage} failed: ${advice}\n${terraformMessages.map((m) => `  ${m}`).join("\n")}`);
  }
}

/** A local HTTP endpoint that answers STS GetCallerIdentity for one account, and nothing else. */
export interface StsResponder {
  readonly url: string;
  close(): Promise<void>;
}

export function startStsResponder(accountId: string): Promise<StsResponder> {
  const server: Server = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => (body += chunk));
    request.on("end", () => {
      response.setHeader("Content-Type", "text/xml");
      if (!new URLSearchParams(body).get("Action")?.startsWith("GetCallerIdentity")) {
        response.statusCode = 400;
        response.end(
          '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>' +
            "<Code>InvalidAction</Code><Message>This offline endpoint answers only GetCallerIdentity.</Message></Error>" +
            "<RequestId>offline</RequestId></ErrorResponse>",
        );
        return;
      }
      response.end(
        '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
          `<Arn>arn:aws:iam::${accountId}:user/offline-review</Arn><UserId>AIDAOFFLINEREVIEW</UserId>` +
          `<Account>${accountId}</Account></GetCallerIdentityResult>` +
          "<ResponseMetadata><RequestId>offline</RequestId></ResponseMetadata></GetCallerIdentityResponse>",
      );
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

/**
 * The override that makes the stack plan offline; state goes to the working copy. The STS endpoint
 * comes from the environment (`AWS_ENDPOINT_URL_STS`, see `withOfflineEnvironment`), not from an
 * `endpoints` block here: hashicorp/aws 5.100.0 takes about 2 s more processor time to configure a
 * provider that has any `endpoints` block (a plan of the stack: 4.3 s against 2.1 s).
 */
export function writeOfflineOverride(dir: string, place: Place): void {
  const override = {
    provider: {
      aws: [
        {
          region: place.region,
          access_key: "AKIAOFFLINEREVIEW000",
          secret_key: "offline-review-not-a-secret",
          skip_credentials_validation: true,
          skip_requesting_account_id: true,
          skip_metadata_api_check: "true",
          skip_region_validation: true,
        },
      ],
    },
    terraform: { backend: { local: { path: "terraform.tfstate" } } },
  };
  writeFileSync(join(dir, OVERRIDE_FILE), `${JSON.stringify(override, null, 2)}\n`);
}

function output(result: TerraformResult): string {
  return `${result.stdout}${result.stderr}`;
}

/** `terraform init`, with advice when the provider cannot be installed. */
export async function terraformInit(
  dir: string,
  env: NodeJS.ProcessEnv = {},
  args: readonly string[] = [],
): Promise<void> {
  const result = await terraformAsync(dir, ["init", "-input=false", ...args], env);
  if (result.code === 0) return;
  const text = output(result);
  const unreachable =
    /Failed to query available provider packages|could not connect to registry|Failed to install provider/i;
  const mirror = providerMirror();
  const advice = unreachable.test(text)
    ? mirror
      ? `hashicorp/aws could not be installed from the provider mirror at ${mirror}. Check that it holds the version the stack pins.`
      : "hashicorp/aws could not be installed: this machine has no provider mirror (set TF_PROVIDER_MIRROR to one) " +
        "and the Terraform registry is unreachable. Connect to the network or provide a mirror."
    : "Its output follows.";
  const messages = errorMessages(diagnostics(text));
  throw new PlanError("init", advice, messages.length > 0 ? messages : [text.trim()], text);
}

/** A request to an AWS endpoint that failed for want of a network: what an offline plan cannot answer. */
const AWS_UNREACHABLE =
  /https:\/\/[a-z0-9.-]+\.amazonaws\.com[^\n]*(no such host|connection refused|i\/o timeout|network is unreachable)/i;

/** `terraform plan` then `show -json`; `args` are extra plan arguments such as -var and -var-file. */
export async function terraformPlan(
  dir: string,
  args: readonly string[],
  lock = true,
  env: NodeJS.ProcessEnv = {},
  planFile = "review.tfplan",
): Promise<TerraformPlan> {
  const plan = await terraformAsync(
    dir,
    ["plan", "-input=false", "-json", `-lock=${lock}`, `-out=${planFile}`, ...args],
    env,
  );
  if (plan.code !== 0) {
    const found = diagnostics(plan.stdout);
    const messages = errorMessages(found);
    const advice = found.some((d) => d.summary === "Invalid value for variable")
      ? "Terraform rejected a variable value. Fix it and run again; Terraform's message says which rule it breaks."
      : AWS_UNREACHABLE.test(output(plan))
        ? "The configuration reads from AWS while it plans (an import block, or a data source that calls an AWS API), " +
          "which a plan with no AWS account cannot do. Plan it where it can reach your account " +
          "(terraform plan -out=tfplan) and review that plan with its configuration, --plan tfplan --dir DIR, or review " +
          "with --online and your credentials. " +
          "Terraform's messages follow."
        : "Terraform's messages follow.";
    throw new PlanError("plan", advice, messages.length > 0 ? messages : [output(plan)], output(plan));
  }
  const show = await terraformAsync(dir, ["show", "-json", planFile], env);
  if (show.code !== 0) throw new PlanError("show", "terraform show failed.", [], output(show));
  return JSON.parse(show.stdout) as TerraformPlan;
}

/**
 * Runs `run` with the standard AWS environment of an offline plan: fake keys, the Region, and a
 * local STS endpoint that answers `GetCallerIdentity`, which stops in every case. Every provider
 * configuration of a plan, aliased ones included, takes its credentials from it.
 */
export async function withOfflineEnvironment<T>(place: Place, run: (env: NodeJS.ProcessEnv) => Promise<T>): Promise<T> {
  const sts = await startStsResponder(place.accountId);
  try {
    return await run({
      AWS_ACCESS_KEY_ID: "AKIAOFFLINEREVIEW000",
      AWS_SECRET_ACCESS_KEY: "offline-review-not-a-secret",
      AWS_REGION: place.region,
      AWS_ENDPOINT_URL_STS: sts.url,
      AWS_EC2_METADATA_DISABLED: "true",
    });
  } finally {
    await sts.close();
  }
}

/**
 * The same for a synthesized stack, whose default provider may set its own Region: the override
 * file beside `cdk.tf.json` (which stays untouched) sets the place, the skip flags and a local
 * state, with the same STS endpoint.
 */
export function withOfflineProvider<T>(
  dir: string,
  place: Place,
  run: (env: NodeJS.ProcessEnv) => Promise<T>,
): Promise<T> {
  return withOfflineEnvironment(place, (env) => {
    writeOfflineOverride(dir, place);
    return run(env);
  });
}

/** The whole offline plan of a synthesized stack: init, plan, show. */
export function planOffline(
  dir: string,
  args: readonly string[],
  place: Place = EXAMPLE_PLACE,
): Promise<TerraformPlan> {
  // The working copy's state is empty and private to this run: no lock to take.
  return withOfflineProvider(dir, place, async (env) => {
    await terraformInit(dir, env);
    return terraformPlan(dir, args, false, env);
  });
}

/** Every resource of a module and of its child modules, with the address of its module instance. */
function moduleResources(module: PlanModule | undefined): (PlanResource & { readonly moduleAddress: string })[] {
  if (module === undefined) return [];
  return [
    // Terraform leaves `values` out when every attribute is unknown until apply.
    ...(module.resources ?? []).map((r) => ({ ...r, values: r.values ?? {}, moduleAddress: module.address ?? "" })),
    ...(module.child_modules ?? []).flatMap(moduleResources),
  ];
}

/**
 * Every module's resources as planned, and its data sources as read during the plan, with the
 * values Terraform knows at plan time; `moduleAddress` is the instance's module ("" for the root).
 */
export function planResources(plan: TerraformPlan): (PlanResource & { readonly moduleAddress: string })[] {
  const data = moduleResources(plan.prior_state?.values?.root_module).filter((r) => r.mode === "data");
  return [...data, ...moduleResources(plan.planned_values.root_module).filter((r) => r.mode === "managed")];
}
