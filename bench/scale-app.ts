import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App, TerraformStack } from "cdktf";
import { PinpointPersonalizeRole } from "../lib";

/**
 * A cdktf app with one stack holding N role constructs (N from the command line), each for its
 * own campaign with its own names, as a consumer with many campaigns would write it.
 */
const count = Number(process.argv[2] ?? 1);
const app = new App();
const stack = new TerraformStack(app, "scale");
new AwsProvider(stack, "aws", {});
for (let i = 0; i < count; i++) {
  new PinpointPersonalizeRole(stack, `Campaign${i}`, {
    campaignId: `campaign-${i}`,
    solutionId: `solution-${i}`,
    roleName: `PinpointRoleforPersonalize-${i}`,
    policyName: `RetrieveRecommendationsPolicy-${i}`,
  });
}
app.synth();
