// Values that no resource makes but Terraform knows only at apply: impure functions (timestamp(), uuid()).
//  Wide:  trustedSourceArns = ["arn:aws:mobiletargeting:${substr(timestamp(), 0, 0)}*:111122223333:*"]  (any Region)
//  Star:  campaignId = "${substr(uuid(), 0, 0)}*"
//  Books: campaignId = "books${substr(timestamp(), 0, 0)}"  (valid: "books"), and maxSessionDuration from a
//         string variable, "7200" (valid: Terraform converts it to a number)
const { AwsProvider } = require("@cdktf/provider-aws/lib/provider");
const { App, TerraformStack, TerraformVariable, Fn, Token } = require("cdktf");
const { PinpointPersonalizeRole } = require("pinpoint-personalize-role");
const app = new App();
const stack = new TerraformStack(app, "s");
new AwsProvider(stack, "aws", { region: "us-east-1" });
const nothing = (f) => Fn.substr(f, 0, 0);
const names = (n) => ({ roleName: n, policyName: n });
new PinpointPersonalizeRole(stack, "Wide", {
  campaignId: "books",
  solutionId: "books-solution",
  trustedSourceArns: [`arn:aws:mobiletargeting:${nothing(Fn.timestamp())}*:111122223333:*`],
  ...names("wide"),
});
new PinpointPersonalizeRole(stack, "Star", { campaignId: `${nothing(Fn.uuid())}*`, solutionId: "s", ...names("star") });
new PinpointPersonalizeRole(stack, "Books", {
  campaignId: `books${nothing(Fn.timestamp())}`,
  solutionId: "books-solution",
  maxSessionDuration: Token.asNumber(new TerraformVariable(stack, "session", { type: "string", default: "7200" }).stringValue),
  ...names("books"),
});
app.synth();
