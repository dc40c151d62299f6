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

/**
 * The place of the given provider in the scope's stack: each value that `given` lacks is read by a
 * data source, made the first time any role of the stack asks for it and shared afterwards.
 */
export function placeOf(scope: Construct, provider: TerraformProvider | undefined, given: Partial<Place>): Place {
  const stack = TerraformStack.of(scope);
  const suffix = provider === undefined ? "" : `_${provider.node.id}`;
  const config = provider === undefined ? {} : { provider };
  const shared = <T extends Construct>(id: string, make: (id: string) => T): T =>
    (stack.node.tryFindChild(id + suffix) as T | undefined) ?? make(id + suffix);
  return {
    partition:
      given.partition ??
      shared(SHARED_DATA_SOURCE_IDS.partition, (id) => new DataAwsPartition(stack, id, config)).partition,
    region:
      given.region ??
      shared(SHARED_DATA_SOURCE_IDS.region, (id) => new DataAwsService(stack, id, { ...config, serviceId: SERVICE_ID }))
        .region,
    accountId:
      given.accountId ??
      shared(SHARED_DATA_SOURCE_IDS.callerIdentity, (id) => new DataAwsCallerIdentity(stack, id, config)).accountId,
  };
}
