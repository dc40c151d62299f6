import {
  TerraformDataSource,
  TerraformElement,
  TerraformLocal,
  TerraformModule,
  TerraformOutput,
  TerraformResource,
  TerraformStack,
  TerraformVariable,
} from "cdktf";
import { IConstruct } from "constructs";
import { checkAtSynth } from "./synth-checks";

// The library's blocks keep their own Terraform addresses. Two elements of a stack with the same
// address (type and name) are one block to Terraform: cdktf merges them into one JSON object,
// their lists appended, with no warning. A user's `new IamRole(stack, "this")` beside the stack's
// `aws_iam_role.this` would make one role of both, with both trusts. So every element the library
// makes is checked at synth against every other element of its stack, and a shared address is
// refused, naming both.

/** Per stack: the constructs whose elements (themselves and every element below them) are the library's. */
const ownedByStack = new WeakMap<TerraformStack, Set<IConstruct>>();

/**
 * Claims the addresses of `owners`' elements (each owner and every element below it) in their
 * stack: at synth, any other element of the stack with one of those addresses is refused.
 */
export function claimAddresses(stack: TerraformStack, ...owners: IConstruct[]): void {
  let owned = ownedByStack.get(stack);
  if (owned === undefined) {
    const created = new Set<IConstruct>();
    ownedByStack.set(stack, created);
    checkAtSynth(stack, "PinpointPersonalizeAddressChecks", () => sharedAddresses(stack, created));
    owned = created;
  }
  for (const owner of owners) owned.add(owner);
}

/**
 * The address of an element's block in the configuration, as Terraform names it: `aws_iam_role.this`,
 * `data.aws_iam_policy_document.trust`, `local.role_name`, `var.campaign_id`, `output.role_arn`,
 * `module.roles`. Undefined for an element of another kind (a provider, a backend).
 */
export function blockAddress(element: TerraformElement): string | undefined {
  if (element instanceof TerraformDataSource)
    return `data.${element.terraformResourceType}.${element.friendlyUniqueId}`;
  if (element instanceof TerraformResource) return `${element.terraformResourceType}.${element.friendlyUniqueId}`;
  if (element instanceof TerraformLocal) return `local.${element.friendlyUniqueId}`;
  if (element instanceof TerraformVariable) return `var.${element.friendlyUniqueId}`;
  if (element instanceof TerraformOutput) return `output.${element.friendlyUniqueId}`;
  if (element instanceof TerraformModule) return `module.${element.friendlyUniqueId}`;
  return undefined;
}

/** Each address that one of the library's elements shares with another element of the stack, once, naming all. */
function sharedAddresses(stack: TerraformStack, owners: ReadonlySet<IConstruct>): string[] {
  const byAddress = new Map<string, TerraformElement[]>();
  for (const construct of stack.node.findAll()) {
    if (!(construct instanceof TerraformElement)) continue;
    const address = blockAddress(construct);
    if (address !== undefined) byAddress.set(address, [...(byAddress.get(address) ?? []), construct]);
  }
  const owned = (element: TerraformElement) => element.node.scopes.some((scope) => owners.has(scope));
  return [...byAddress.entries()]
    .filter(([, elements]) => elements.length > 1 && elements.some(owned))
    .map(([address, elements]) => {
      const others = elements.filter((e) => !owned(e)).map((e) => e.node.path);
      return (
        `${elements.map((e) => e.node.path).join(" and ")} have the same Terraform address ${address}, which ` +
        "Terraform would read as one block: " +
        (others.length > 0
          ? `give ${others.join(" and ")} another id (the address is the library's).`
          : "give them ids that differ in letters or digits" +
            // cdktf's makeUniqueId drops the id "Default" from the path it names a block by.
            (elements.some((e) => e.node.scopes.some((scope) => scope.node.id === "Default"))
              ? ', not only by a scope whose id is "Default" (cdktf leaves that id out of addresses).'
              : " (cdktf keeps only those in an address)."))
      );
    });
}
