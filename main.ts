import { App } from "cdktf";
import { PinpointPersonalizeStack } from "./lib";

const app = new App();
new PinpointPersonalizeStack(app, "pinpoint-personalize");
app.synth();
