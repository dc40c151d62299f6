import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App, TerraformLocal, TerraformStack } from "cdktf";
import { PinpointPersonalizeRole } from "../lib";
import { removeSynthOutput, synthToDisk } from "../test-support/synth";
import { planOffline, PlanError } from "../tools/offline-plan";

/**
 * A token input (here a local; in a user's app, another resource's attribute) cannot be checked
 * at construct time: the construct's preconditions make Terraform refuse it at plan time, before
 * any policy is rendered.
 */
test("a wildcard that arrives as a token fails the plan with the rule's message", async () => {
  const dir = synthToDisk((app: App) => {
    const stack = new TerraformStack(app, "tokens");
    new AwsProvider(stack, "aws", {});
    const campaign = new TerraformLocal(stack, "campaign", "*");
    const apps = new TerraformLocal(stack, "apps", ["abc", "*"]);
    new PinpointPersonalizeRole(stack, "Role", {
      campaignId: campaign.asString,
      solutionId: "my_solution",
      pinpointApplicationIds: apps.asList,
    });
    return stack;
  });
  try {
    const error = await planOffline(dir, []).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PlanError);
    const { stage, terraformMessages } = error as PlanError;
    expect(stage).toBe("plan");
    expect(terraformMessages).toEqual(
      expect.arrayContaining([
        "campaignId must be an Amazon Personalize campaign name: 1-63 characters, only letters, digits, '-' and '_', " +
          'starting with a letter or digit. Received "*".',
        "each of pinpointApplicationIds must be an Amazon Pinpoint project ID: 1-64 letters and digits, " +
          'as the Pinpoint console shows it. Received ["*"].',
      ]),
    );
  } finally {
    removeSynthOutput(dir);
  }
});
