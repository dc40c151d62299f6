import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsService } from "@cdktf/provider-aws/lib/data-aws-service";
import { TerraformProvider, TerraformStack } from "cdktf";
import { Construct } from "constructs";

// Where the roles' ARNs point: the partition, Region and account of a provider, read once per
// stack and provider (as aws-cdk's Stack.of(this).account is) and shared by every role that uses
// that provider, so that N roles make three data sources and one STS call per plan, not 3N and N.

/**
 * The Region comes from `aws_service` (Amazon Personalize's, in the provider's Region), whose
 * `region` attribute hashicorp/aws 5.x and 6.x both have and neither deprecates. `aws_region`
 * has none such: 6.x deprecates its `name` and `id` for `region`, which 5.x lacks.
 */
const SERVICE_ID = "personalize";

/** The ids, in the stack's scope, of the data sources of the default provider (another's get `_<its id>`). */
export const SHARED_DATA_SOURCE_IDS = {
  partition: "PinpointPersonalizePartition",
  region: "PinpointPersonalizeRegion",
  callerIdentity: "PinpointPersonalizeCallerIdentity",
} as const;

/** A partition, a Region and an account, as Terraform expressions. */
export interface Place {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

interface SharedSources {
  partition?: DataAwsPartition;
  region?: DataAwsService;
  callerIdentity?: DataAwsCallerIdentity;
  /** Appended to the ids in `SHARED_DATA_SOURCE_IDS`: "" for the default provider. */
  readonly suffix: string;
}

/** Each stack's shared data sources, by provider (the object itself: `undefined` is the default provider). */
const sourcesByStack = new WeakMap<TerraformStack, Map<TerraformProvider | undefined, SharedSources>>();

/**
 * The suffix of a provider's data sources: `_<id>` for a provider made directly in the stack (as
 * before: `PinpointPersonalizeRegion_europe`), `_<path below the stack>` for one made deeper (a
 * reusable construct's own `aws` provider), so that two providers of equal ids never share a set;
 * `_2`, `_3`... if another construct of the stack holds the id already.
 */
function suffixOf(stack: TerraformStack, provider: TerraformProvider | undefined, taken: Set<string>): string {
  if (provider === undefined) return "";
  const scopes = provider.node.scopes;
  const below = scopes.slice(scopes.indexOf(stack) + 1).map((scope) => scope.node.id);
  const base = `_${below.join("_")}`;
  const free = (suffix: string) =>
    !taken.has(suffix) && Object.values(SHARED_DATA_SOURCE_IDS).every((id) => !stack.node.tryFindChild(id + suffix));
  let suffix = base;
  for (let n = 2; !free(suffix); n++) suffix = `${base}_${n}`;
  return suffix;
}

/**
 * The place of the given provider in the scope's stack: each value that `given` lacks is read by a
 * data source, made the first time any role of the stack asks for it with that provider and shared
 * afterwards by every role of the same provider (the same object): providers of equal ids in other
 * scopes, Regions or accounts each get their own.
 */
export function placeOf(scope: Construct, provider: TerraformProvider | undefined, given: Partial<Place>): Place {
  const stack = TerraformStack.of(scope);
  let byProvider = sourcesByStack.get(stack);
  if (byProvider === undefined) {
    byProvider = new Map();
    sourcesByStack.set(stack, byProvider);
  }
  let sources = byProvider.get(provider);
  if (sources === undefined) {
    const taken = new Set([...byProvider.values()].map((s) => s.suffix));
    sources = { suffix: suffixOf(stack, provider, taken) };
    byProvider.set(provider, sources);
  }
  const shared = sources;
  const config = provider === undefined ? {} : { provider };
  const id = (base: string) => base + shared.suffix;
  return {
    partition:
      given.partition ??
      (shared.partition ??= new DataAwsPartition(stack, id(SHARED_DATA_SOURCE_IDS.partition), config)).partition,
    region:
      given.region ??
      (shared.region ??= new DataAwsService(stack, id(SHARED_DATA_SOURCE_IDS.region), {
        ...config,
        serviceId: SERVICE_ID,
      })).region,
    accountId:
      given.accountId ??
      (shared.callerIdentity ??= new DataAwsCallerIdentity(stack, id(SHARED_DATA_SOURCE_IDS.callerIdentity), config))
        .accountId,
  };
}
