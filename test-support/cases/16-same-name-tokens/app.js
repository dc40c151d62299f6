// Two roles of one stack on one provider, their names from Terraform variables: IAM names are unique
// per account in any letter case, so "RecsRole" and "recsrole" are one name.
//  s: the role's and the policy's names from variables
const { AwsProvider } = require("@cdktf/provider-aws/lib/provider");
const { App, TerraformStack, TerraformVariable } = require("cdktf");
const { PinpointPersonalizeRole } = require("pinpoint-personalize-role");
const app = new App();
const stack = new TerraformStack(app, "s");
new AwsProvider(stack, "aws", { region: "us-east-1" });
const name = (id, value) => new TerraformVariable(stack, id, { type: "string", default: value }).stringValue;
new PinpointPersonalizeRole(stack, "Books", {
  campaignId: "books",
  solutionId: "books-solution",
  roleName: name("books_role", "RecsRole"),
  policyName: name("books_policy", "BooksPolicy"),
});
new PinpointPersonalizeRole(stack, "Movies", {
  campaignId: "movies",
  solutionId: "movies-solution",
  roleName: name("movies_role", "recsrole"),
  policyName: "MoviesPolicy",
});
app.synth();
