import { App } from "cdktf";
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { PinpointPersonalizeStack } from "./lib";
import { backendFromEnvironment } from "./lib/backend";

const app = new App();
new PinpointPersonalizeStack(app, "pinpoint-personalize", { backend: backendFromEnvironment(process.env) });
app.synth();

// `npm run synth` says what it wrote and where, in `cdktf synth`'s words; the cdktf CLI, which runs
// this app without the flag, prints its own.
if (process.argv.includes("--report")) {
  const manifest = JSON.parse(readFileSync(join(app.outdir, "manifest.json"), "utf8")) as {
    stacks: Record<string, { synthesizedStackPath: string }>;
  };
  const stacks = Object.entries(manifest.stacks);
  console.log(`Generated Terraform code for the stacks: ${stacks.map(([name]) => name).join(", ")}`);
  for (const [name, stack] of stacks) {
    console.log(`  ${name}: ${relative(process.cwd(), join(app.outdir, stack.synthesizedStackPath)) || "."}`);
  }
}
