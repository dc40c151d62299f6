import { TerraformVariable } from "cdktf";
import * as fc from "fast-check";
import { PinpointPersonalizeRole, PinpointPersonalizeRoleProps } from "../../lib";
import { RULES, StringRule } from "../../lib/rules";
import { checkString, checkTags } from "../../test-support/literal-checks";
import { Iam, IamError, Tag } from "../../test-support/iam-double/model";
import { DANGEROUS, nearValid, VALID } from "../../test-support/rule-values";
import { testStack } from "../../test-support/synth";

/**
 * The construct's verdict on every free-text input agrees with IAM's, as the IAM double models it
 * from IAM's API model and User Guide: names, name prefixes, paths, descriptions, tag keys and
 * values, tags with keys that differ only in case, and boundary ARNs. IAM receives what Terraform
 * sends, which is the value normalized to Unicode NFC (Terraform normalizes every string).
 */
const TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "pinpoint.amazonaws.com" }, Action: "sts:AssumeRole" }],
});
const POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }],
});
/** What hashicorp/aws appends to a name prefix: 26 characters (a timestamp and a counter). */
const GENERATED_SUFFIX = "20261130120000000000000001";

/** The construct's verdict: whether its check accepts the value. */
function construct(rule: StringRule, value: string): boolean {
  try {
    checkString("input", value, rule);
    return true;
  } catch {
    return false;
  }
}

/** The double's verdict on one call, in a fresh account: accepted, or refused with one of IAM's codes. */
function iam(call: (iam: Iam) => void): boolean {
  try {
    call(new Iam({ accountId: "111122223333", partition: "aws" }));
    return true;
  } catch (error) {
    if (error instanceof IamError) return false;
    throw error;
  }
}

const nfc = (s: string) => s.normalize("NFC");
const anyText = (maxLength: number) =>
  fc.oneof(fc.string({ unit: "grapheme", maxLength }), fc.string({ unit: "binary-ascii", maxLength }));
/** Values near the rule's, arbitrary text, and the rule's values grown past its limit. */
const around = (valid: fc.Arbitrary<string>, max: number) =>
  fc.oneof(
    nearValid(valid),
    anyText(max + 2),
    valid.map((v) => (v === "" ? "x" : v).repeat(max).slice(0, max + 1)),
  );

const RUNS = { numRuns: 400, seed: 20261130 };

/** Asserts the property, and that the values drawn got both verdicts (a property that only ever accepts proves little). */
function bothVerdicts<T extends unknown[]>(property: fc.IProperty<T>, verdicts: boolean[]): void {
  fc.assert(property, RUNS);
  expect({ accepted: verdicts.includes(true), refused: verdicts.includes(false) }).toEqual({
    accepted: true,
    refused: true,
  });
}

function agree(value: fc.Arbitrary<string>, rule: StringRule, call: (iam: Iam, value: string) => void): void {
  const verdicts: boolean[] = [];
  bothVerdicts(
    fc.property(value, (v) => {
      const verdict = construct(rule, v);
      verdicts.push(verdict);
      expect({ value: v, construct: verdict }).toEqual({ value: v, construct: iam((i) => call(i, nfc(v))) });
    }),
    verdicts,
  );
}

test("role names", () => {
  agree(around(VALID.roleName, 64), RULES.roleName, (i, name) => i.createRole({ name, trustPolicy: TRUST, tags: [] }));
});

test("role name prefixes: IAM sees the prefix with the provider's 26 characters", () => {
  // A prefix is at least one character; an empty one would be no prefix at all.
  const prefixes = around(VALID.roleNamePrefix, 38).filter((p) => p !== "");
  agree(prefixes, RULES.roleNamePrefix, (i, prefix) =>
    i.createRole({ name: prefix + GENERATED_SUFFIX, trustPolicy: TRUST, tags: [] }),
  );
});

test("policy names and prefixes", () => {
  agree(around(VALID.policyName, 128), RULES.policyName, (i, name) =>
    i.createPolicy({ name, document: POLICY, tags: [] }),
  );
  agree(
    around(VALID.policyNamePrefix, 102).filter((p) => p !== ""),
    RULES.policyNamePrefix,
    (i, prefix) => i.createPolicy({ name: prefix + GENERATED_SUFFIX, document: POLICY, tags: [] }),
  );
});

test("role and policy paths", () => {
  agree(around(VALID.rolePath, 512), RULES.rolePath, (i, path) =>
    i.createRole({ name: "r", path, trustPolicy: TRUST, tags: [] }),
  );
  agree(around(VALID.policyPath, 512), RULES.policyPath, (i, path) =>
    i.createPolicy({ name: "p", path, document: POLICY, tags: [] }),
  );
});

test("role descriptions: IAM's rule, and hashicorp/aws's 1000 bytes of UTF-8", () => {
  const bytes = (s: string) => new TextEncoder().encode(nfc(s)).length;
  const verdicts: boolean[] = [];
  const twoByte = fc.integer({ min: 495, max: 505 }).map((n) => "é".repeat(n));
  bothVerdicts(
    fc.property(fc.oneof(around(VALID.roleDescription, 1000), twoByte), (v) => {
      const deployable =
        iam((i) => i.createRole({ name: "r", description: nfc(v), trustPolicy: TRUST, tags: [] })) && bytes(v) <= 1000;
      verdicts.push(deployable);
      expect({ value: v, construct: construct(RULES.roleDescription, v) }).toEqual({ value: v, construct: deployable });
    }),
    verdicts,
  );
});

test("policy descriptions, counted in characters of the normalized text", () => {
  const decomposed = fc.integer({ min: 990, max: 1010 }).map((n) => "e\u0301".repeat(n));
  agree(fc.oneof(around(VALID.policyDescription, 1000), decomposed), RULES.policyDescription, (i, description) =>
    i.createPolicy({ name: "p", description, document: POLICY, tags: [] }),
  );
});

test("tag keys and values, the reserved aws: prefix in any case included", () => {
  const tagsOk = (tags: Record<string, string>) => {
    try {
      checkTags("tags", tags);
      return true;
    } catch {
      return false;
    }
  };
  const call = (tags: Tag[]) => iam((i) => i.createRole({ name: "r", trustPolicy: TRUST, tags }));
  const reserved = fc
    .tuple(fc.constantFrom("aws:", "AWS:", "Aws:", "aWs:"), VALID.tagKey)
    .map(([prefix, rest]) => prefix + rest);
  fc.assert(
    fc.property(fc.oneof(around(VALID.tagKey, 128), reserved), (key) => {
      expect({ key, construct: tagsOk({ [key]: "v" }) }).toEqual({
        key,
        construct: call([{ key: nfc(key), value: "v" }]),
      });
    }),
    RUNS,
  );
  fc.assert(
    fc.property(fc.oneof(around(VALID.tagValue, 256), reserved), (value) => {
      expect({ value, construct: tagsOk({ team: value }) }).toEqual({
        value,
        construct: call([{ key: "team", value: nfc(value) }]),
      });
    }),
    RUNS,
  );
});

test("a role's tags with keys that differ only in letter case", () => {
  const key = fc.constantFrom("team", "Team", "TEAM", "cost", "Cost", "é", "É", "e\u0301");
  const tagsOk = (tags: Record<string, string>) => {
    try {
      checkTags("tags", tags);
      return true;
    } catch {
      return false;
    }
  };
  const verdicts: boolean[] = [];
  bothVerdicts(
    fc.property(fc.uniqueArray(key, { minLength: 1, maxLength: 4 }), (keys) => {
      // Two keys that are one after normalization would be one map key in Terraform: not a case here.
      fc.pre(new Set(keys.map(nfc)).size === keys.length);
      const tags = Object.fromEntries(keys.map((k) => [k, "v"]));
      verdicts.push(tagsOk(tags));
      expect({ keys, construct: tagsOk(tags) }).toEqual({
        keys,
        construct: iam((i) =>
          i.createRole({ name: "r", trustPolicy: TRUST, tags: keys.map((k) => ({ key: nfc(k), value: "v" })) }),
        ),
      });
    }),
    verdicts,
  );
});

test("permissions boundary ARNs: the construct refuses exactly what IAM refuses as no ARN of a policy", () => {
  const refusedAsMalformed = (arn: string) => {
    try {
      new Iam({ accountId: "111122223333", partition: "aws" }).createRole({
        name: "r",
        trustPolicy: TRUST,
        permissionsBoundary: arn,
        tags: [],
      });
      return false;
    } catch (error) {
      if (!(error instanceof IamError)) throw error;
      // A well-formed ARN of a policy the account does not hold is NoSuchEntity: not the ARN's fault.
      return error.code !== "NoSuchEntity";
    }
  };
  const arns = fc.oneof(
    around(VALID.permissionsBoundary, 2048),
    fc
      .tuple(VALID.permissionsBoundary, fc.constantFrom(...DANGEROUS))
      .map(([a, d]) => a.replace(":policy/", `:policy/${d}`)),
  );
  fc.assert(
    fc.property(arns, (arn) => {
      expect({ arn, construct: construct(RULES.permissionsBoundary, arn) }).toEqual({
        arn,
        construct: !refusedAsMalformed(nfc(arn)),
      });
    }),
    RUNS,
  );
});

test("valid input is never refused: a valid value cut into literal parts and tokens passes the construct's checks at construct time and synth", () => {
  // Whatever the cut, the tokens can hold the text they replaced: the construct leaves the value to
  // Terraform's plan-time check, and neither throws nor reports a problem at synth.
  const props = (rule: string, text: string): Partial<PinpointPersonalizeRoleProps> => {
    switch (rule) {
      case "pinpointApplicationId":
        return { pinpointApplicationIds: [text] };
      case "trustedSourceArn":
        return { trustedSourceArns: [text] };
      case "tagKey":
        return { tags: { [text]: "v" } };
      case "tagValue":
        return { tags: { k: text } };
      default:
        return { [rule]: text };
    }
  };
  for (const [name, rule] of Object.entries(RULES) as [string, StringRule][]) {
    const valid = (VALID as Record<string, fc.Arbitrary<string> | undefined>)[name];
    if (valid === undefined) continue;
    const stack = testStack("cuts");
    const token = new TerraformVariable(stack, "token", { type: "string" }).stringValue;
    let roles = 0;
    const problems = (text: string): string[] => {
      try {
        const role = new PinpointPersonalizeRole(stack, `Cut${++roles}`, {
          campaignId: "c",
          solutionId: "s",
          ...props(name, text),
        });
        return role.node.validate();
      } catch (error) {
        return [(error as Error).message];
      }
    };
    fc.assert(
      fc.property(
        valid,
        fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        fc.array(fc.boolean()),
        (value, cuts, keep) => {
          fc.pre(construct(rule, value));
          const units = [...value];
          const points = [...new Set(cuts.map((c) => c % (units.length + 1)))].sort((a, b) => a - b);
          const pieces = [0, ...points].map((p, i) => units.slice(p, [...points, units.length][i]).join(""));
          // Each piece stays literal or becomes a token (at least one token).
          const text = pieces.map((piece, i) => (keep[i] && i < pieces.length - 1 ? piece : token)).join("");
          expect({ name, value, text: text.replaceAll(token, "${…}"), problems: problems(text) }).toEqual({
            name,
            value,
            text: text.replaceAll(token, "${…}"),
            problems: [],
          });
        },
      ),
      { numRuns: 25, seed: 20261130 },
    );
  }
});
