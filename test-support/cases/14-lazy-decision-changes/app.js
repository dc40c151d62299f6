// Props that decide which blocks exist, given as a Lazy whose value the app changes after the construct is made.
//  protect: confusedDeputyProtection = Lazy(settings.protect): false when made, true at synth
//  adopt:   adoptExisting = Lazy(settings.adopt): true when made, false at synth
//  steady:  both as a Lazy that produces the same value throughout (true, false)
const { AwsProvider } = require("@cdktf/provider-aws/lib/provider");
const { App, TerraformStack, Lazy } = require("cdktf");
const { PinpointPersonalizeRole } = require("pinpoint-personalize-role");
const app = new App();
const settings = { protect: false, adopt: true };
const mk = (name, props) => {
  const stack = new TerraformStack(app, name);
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  new PinpointPersonalizeRole(stack, "R", { campaignId: "books", solutionId: "books-solution", ...props });
};
const lazy = (key) => Lazy.anyValue({ produce: () => settings[key] });
if (!process.env.ONLY_STEADY) {
  mk("protect", { confusedDeputyProtection: lazy("protect") });
  mk("adopt", { adoptExisting: lazy("adopt") });
}
mk("steady", {
  confusedDeputyProtection: Lazy.anyValue({ produce: () => true }),
  adoptExisting: Lazy.anyValue({ produce: () => false }),
});
settings.protect = true;
settings.adopt = false;
app.synth();
