import { App } from "cdktf";
import { backendFromEnvironment, PinpointPersonalizeStack } from "./lib";

const app = new App();
new PinpointPersonalizeStack(app, "pinpoint-personalize", { backend: backendFromEnvironment(process.env) });
app.synth();
