import { Instance } from "./plan-model";

// What IAM refuses at apply that hashicorp/aws 5.100.0 lets through at plan. A plan that holds one
// stops partway: Terraform applies what does not depend on the refused resource, and rolls nothing
// back. A refused Deny leaves its Allow in place, a refused trust leaves no role; either way the
// role's access is then not the plan's. Sources: IAM User Guide, "IAM and AWS STS quotas" (policy
// sizes, which do not count white space; the characters a policy document may hold; paths) and
// the IAM API Reference's CreateRole, CreatePolicy and Tag types.

/** A managed policy's document, in characters without white space. */
export const MANAGED_POLICY_SIZE = 6144;
/** All of a role's inline policies together, in characters without white space. */
export const INLINE_POLICIES_SIZE = 10240;
/** Managed policies attached to one role, at IAM's default quota (an account may raise it to 20). */
export const MANAGED_POLICIES_PER_ROLE = 10;
/** A role's trust policy, at IAM's default quota (an account may raise it to 8,192). */
export const TRUST_POLICY_SIZE = 2048;

/** The characters an IAM policy document may hold: tab, line feed, carriage return, U+0020 to U+00FF. */
const POLICY_CHARACTER = /^[\t\n\r\u0020-\u00ff]*$/u;
/** A role's path (CreateRole): `/`, or `/` then U+0021 to U+007F then `/`, up to 512 characters. */
const ROLE_PATH = /^(\/|\/[\u0021-\u007f]{1,510}\/)$/u;
/** A policy's path (CreatePolicy): segments of letters, digits and `.,+@=_-`, each after a `/`, then `/`. */
const POLICY_PATH = /^(\/[A-Za-z0-9.,+@=_-]+)*\/$/u;
/** Tags on one IAM resource. */
const MAX_TAGS = 50;
/** A managed policy's description (CreatePolicy), in characters. */
const MAX_POLICY_DESCRIPTION = 1000;
/** IAM's tag keys (1 to 128 characters) and values (up to 256): letters, spaces, digits and `_.:/=+-@`. */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** A document's size as IAM counts it: its characters (code points) other than white space. */
export function policySize(document: string): number {
  return [...document].filter((c) => !/\s/u.test(c)).length;
}

/** What IAM would refuse in a policy document's text, if anything. */
export function documentRefusal(document: string): string | undefined {
  if (!POLICY_CHARACTER.test(document)) {
    const [bad] = [...document].filter((c) => !POLICY_CHARACTER.test(c));
    return (
      `its document holds ${JSON.stringify(bad)} (U+${(bad ?? "").codePointAt(0)?.toString(16).toUpperCase().padStart(4, "0")}), ` +
      "and a policy document may hold only tab, line feed, carriage return and U+0020 to U+00FF (MalformedPolicyDocument)"
    );
  }
  return undefined;
}

/** What IAM would refuse in a role's or a policy's own arguments (path, tags), if anything. */
export function argumentRefusals(instance: Instance): string[] {
  const refusals: string[] = [];
  const policy = instance.type === "aws_iam_policy";
  const path = instance.values.path;
  if (typeof path === "string" && path.length > 512) {
    refusals.push(`its path has ${path.length} characters, over IAM's 512 (ValidationError)`);
  } else if (typeof path === "string" && !(policy ? POLICY_PATH : ROLE_PATH).test(path)) {
    refusals.push(
      `its path ${JSON.stringify(path)} is not ` +
        (policy
          ? "/ or segments of letters, digits and .,+@=_- between slashes (ValidationError)"
          : "/ or text between two slashes (ValidationError)"),
    );
  }
  const description = instance.values.description;
  if (policy && typeof description === "string" && [...description].length > MAX_POLICY_DESCRIPTION) {
    refusals.push(`its description has ${[...description].length} characters, over IAM's ${MAX_POLICY_DESCRIPTION}`);
  }
  // What the provider sends: the resource's tags with the provider's default tags (tags_all).
  const tags = instance.values.tags_all ?? instance.values.tags;
  if (tags !== null && typeof tags === "object" && !Array.isArray(tags)) {
    // The provider leaves keys that start with aws: out of what it sends (its tag interceptor).
    const sent = Object.entries(tags as Record<string, unknown>).filter(([key]) => !/^aws:/i.test(key));
    if (sent.length > MAX_TAGS) refusals.push(`it has ${sent.length} tags, over IAM's ${MAX_TAGS} (LimitExceeded)`);
    for (const [key, value] of sent) {
      if (typeof value === "string" && /^aws:/i.test(value)) {
        refusals.push(
          `its tag ${JSON.stringify(key)} has a value that starts with aws:, which IAM reserves (InvalidInput)`,
        );
      }
      const keyLength = [...key].length;
      if (!TAG_TEXT.test(key) || keyLength < 1 || keyLength > 128) {
        refusals.push(`its tag key ${JSON.stringify(key)} is not 1 to 128 letters, spaces, digits or _.:/=+-@`);
      }
      if (typeof value === "string" && (!TAG_TEXT.test(value) || [...value].length > 256)) {
        refusals.push(
          `its tag ${JSON.stringify(key)} has the value ${JSON.stringify(value)}, not up to 256 letters, spaces, ` +
            "digits or _.:/=+-@",
        );
      }
    }
  }
  return refusals;
}
