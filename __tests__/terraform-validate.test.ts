import { TerraformLocal } from "cdktf";
import { join } from "node:path";
import { PinpointPersonalizeRole, PinpointPersonalizeStack } from "../lib";
import { readJson, removeSynthOutput, synthToDisk } from "../test-support/synth";
import { terraformBinary, terraformOk, validation, Validation } from "../packages/review/src/terraform";

/**
 * Real Terraform with the real hashicorp/aws provider (offline from the machine's mirror when it
 * has one): what `terraform validate` accepts is what a user's `cdktf deploy` will accept.
 */
const dirs: string[] = [];
afterAll(() => dirs.forEach(removeSynthOutput));

/** `terraform validate -json`'s verdict after init: valid, with no diagnostic at all (no deprecation warning either). */
function initAndValidate(dir: string): Validation {
  dirs.push(dir);
  terraformOk(dir, ["init", "-backend=false", "-input=false"]);
  return validation(dir);
}

const cleanlyValid = { valid: true, warnings: 0, diagnostics: [] };

test("terraform is installed", () => {
  expect(terraformBinary()).toMatch(/terraform$/);
});

test("terraform validate accepts the synthesized stack, and beside it the construct's other forms: token lists, token IDs, no conditions, adoption", () => {
  // One configuration, validated once: the stack as `npm run synth` writes it for a team's S3
  // state (validate checks the `required_version` that the S3 backend's lock file needs, though
  // not the backend's arguments), with roles of the construct's other forms added to it.
  const dir = synthToDisk((app) => {
    const stack = new PinpointPersonalizeStack(app, "pinpoint-personalize", {
      backend: { bucket: "team-state", region: "eu-west-1" },
    });
    const apps = new TerraformLocal(stack, "apps", ["abc123"]);
    const trusted = new TerraformLocal(stack, "trusted", []);
    const campaign = new TerraformLocal(stack, "campaign", "my-campaign");
    new PinpointPersonalizeRole(stack, "Tokens", {
      campaignId: campaign.asString,
      solutionId: "my_solution",
      pinpointApplicationIds: apps.asList,
      trustedSourceArns: trusted.asList,
      roleNamePrefix: "tokens-",
      policyNamePrefix: "tokens-",
    });
    new PinpointPersonalizeRole(stack, "Console", {
      campaignId: "c",
      solutionId: "s",
      confusedDeputyProtection: false,
      roleName: "console",
      policyName: "console",
      partition: "aws",
      region: "us-east-1",
      accountId: "111122223333",
    });
    new PinpointPersonalizeRole(stack, "Adopted", {
      campaignId: "c",
      solutionId: "s",
      roleName: "adopted",
      policyName: "adopted",
      adoptExisting: true,
    });
    return stack;
  });
  // Adoption's two kinds of import block side by side: the stack's (for_each, driven by its
  // variable) and the construct's.
  const json = readJson(join(dir, "cdk.tf.json"));
  const imports = (json.import ?? []).map((i) => [i.to, "for_each" in i]);
  expect(imports).toHaveLength(6);
  expect(imports).toEqual(
    expect.arrayContaining([
      ["aws_iam_role.this", true],
      ["aws_iam_policy.this", true],
      ["aws_iam_role_policy_attachment.this", true],
    ]),
  );
  expect(imports.filter(([, forEach]) => !forEach)).toHaveLength(3);
  expect([json.terraform?.required_version, Object.keys(json.terraform?.backend ?? {})]).toEqual([">= 1.10.0", ["s3"]]);
  expect(initAndValidate(dir)).toEqual(cleanlyValid);
});

test("a machine without terraform gets a message that says what to install", () => {
  const saved = { PATH: process.env.PATH, TERRAFORM_BINARY: process.env.TERRAFORM_BINARY };
  try {
    process.env.PATH = "/nonexistent";
    delete process.env.TERRAFORM_BINARY;
    expect(() => terraformBinary()).toThrow(/terraform was not found on PATH\. Install Terraform 1\.9 or later/);
    process.env.TERRAFORM_BINARY = "/nonexistent/terraform";
    expect(() => terraformBinary()).toThrow("TERRAFORM_BINARY is /nonexistent/terraform, which does not exist.");
  } finally {
    process.env.PATH = saved.PATH;
    if (saved.TERRAFORM_BINARY === undefined) delete process.env.TERRAFORM_BINARY;
    else process.env.TERRAFORM_BINARY = saved.TERRAFORM_BINARY;
  }
});
