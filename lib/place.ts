import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsService } from "@cdktf/provider-aws/lib/data-aws-service";
import { TerraformDataSource, TerraformProvider, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { claimAddresses } from "./addresses";

// Where the roles' ARNs point: the partition, Region and account of a provider, read once per
// stack and provider (as aws-cdk's Stack.of(this).account is) and shared by every role that uses
// that provider, so that N roles make three data sources and one STS call per plan, not 3N and N.

/**
 * The Region comes from `aws_service` (Amazon Personalize's, in the provider's Region), whose
 * `region` attribute hashicorp/aws 5.x and 6.x both have and neither deprecates. `aws_region`
 * has none such: 6.x deprecates its `name` and `id` for `region`, which 5.x lacks.
 */
const SERVICE_ID = "personalize";

/** The ids, in the stack's scope, of the data sources of the default provider (another's get `_<its path>`). */
export const SHARED_DATA_SOURCE_IDS = {
  partition: "PinpointPersonalizePartition",
  region: "PinpointPersonalizeRegion",
  callerIdentity: "PinpointPersonalizeCallerIdentity",
} as const;

export type PlacePart = "partition" | "region" | "accountId";

interface SharedSources {
  partition?: DataAwsPartition;
  region?: DataAwsService;
  accountId?: DataAwsCallerIdentity;
  /** Appended to the ids in `SHARED_DATA_SOURCE_IDS`: "" for the default provider. */
  readonly suffix: string;
}

/** Each stack's shared data sources, by provider (the object itself: `undefined` is the default provider). */
const sourcesByStack = new WeakMap<TerraformStack, Map<TerraformProvider | undefined, SharedSources>>();

/**
 * What cdktf keeps of an id made directly in a stack: it drops every character but letters,
 * digits, `_` and `-` (so "Eu West" and "EuWest" give one Terraform name).
 */
const terraformName = (id: string) => id.replace(/[^A-Za-z0-9_-]/g, "");

/**
 * The suffix of a provider's data sources: `_<id>` for a provider made directly in the stack
 * (`PinpointPersonalizeRegion_europe`), `_<path below the stack>` for one made deeper (a reusable
 * construct's own `aws` provider); `_2`, `_3`... when another provider's suffix, or another
 * construct of the stack, already has that Terraform name once cdktf has dropped its characters.
 */
function suffixOf(stack: TerraformStack, provider: TerraformProvider | undefined, taken: Set<string>): string {
  if (provider === undefined) return "";
  const scopes = provider.node.scopes;
  const below = scopes.slice(scopes.indexOf(stack) + 1).map((scope) => scope.node.id);
  const base = terraformName(`_${below.join("_")}`);
  const names = new Set(stack.node.children.map((child) => terraformName(child.node.id)));
  const free = (suffix: string) =>
    !taken.has(suffix) && Object.values(SHARED_DATA_SOURCE_IDS).every((id) => !names.has(id + suffix));
  let suffix = base;
  for (let n = 2; !free(suffix); n++) suffix = `${base}_${n}`;
  return suffix;
}

/** A shared data source, its address claimed for the library in its stack (addresses.ts). */
function claimed<T extends TerraformDataSource>(stack: TerraformStack, source: T): T {
  claimAddresses(stack, source);
  return source;
}

/**
 * The data source that reads one part of the given provider's place in the scope's stack, made the
 * first time any role of the stack asks for it with that provider and shared afterwards by every
 * role of the same provider (the same object).
 */
export function sharedSource(
  scope: Construct,
  provider: TerraformProvider | undefined,
  part: PlacePart,
): { readonly element: TerraformDataSource; readonly attribute: string } {
  const stack = TerraformStack.of(scope);
  let byProvider = sourcesByStack.get(stack);
  if (byProvider === undefined) {
    const created = new Map<TerraformProvider | undefined, SharedSources>();
    sourcesByStack.set(stack, created);
    byProvider = created;
  }
  let sources = byProvider.get(provider);
  if (sources === undefined) {
    const taken = new Set([...byProvider.values()].map((s) => s.suffix));
    sources = { suffix: suffixOf(stack, provider, taken) };
    byProvider.set(provider, sources);
  }
  const config = provider === undefined ? {} : { provider };
  const id = (base: string) => base + sources.suffix;
  switch (part) {
    case "partition":
      sources.partition ??= claimed(stack, new DataAwsPartition(stack, id(SHARED_DATA_SOURCE_IDS.partition), config));
      return { element: sources.partition, attribute: "partition" };
    case "region":
      sources.region ??= claimed(
        stack,
        new DataAwsService(stack, id(SHARED_DATA_SOURCE_IDS.region), { ...config, serviceId: SERVICE_ID }),
      );
      return { element: sources.region, attribute: "region" };
    case "accountId":
      sources.accountId ??= claimed(
        stack,
        new DataAwsCallerIdentity(stack, id(SHARED_DATA_SOURCE_IDS.callerIdentity), config),
      );
      return { element: sources.accountId, attribute: "account_id" };
  }
}
