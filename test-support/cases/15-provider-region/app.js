// The provider's Region from a variable, with skip_region_validation (which hashicorp/aws documents
// for Regions it does not know yet): the role takes its Region, and the partition that follows it,
// from its provider through data sources.
//  s:    campaignId and solutionId only
//  part: the partition given too ("aws", valid)
const { AwsProvider } = require("@cdktf/provider-aws/lib/provider");
const { App, TerraformStack, TerraformVariable } = require("cdktf");
const { PinpointPersonalizeRole } = require("pinpoint-personalize-role");
const app = new App();
for (const [name, extra] of [
  ["s", {}],
  ["part", { partition: "aws" }],
]) {
  const stack = new TerraformStack(app, name);
  const region = new TerraformVariable(stack, "region", { type: "string", default: "us-east-1" });
  new AwsProvider(stack, "aws", { region: region.stringValue, skipRegionValidation: true });
  new PinpointPersonalizeRole(stack, "R", { campaignId: "books", solutionId: "books-solution", ...extra });
}
app.synth();
