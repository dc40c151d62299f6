import { Testing } from "cdktf";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PinpointPersonalizeStack } from "../lib";
import { diagnostics, errorMessages, terraformAsync, terraformOk } from "../packages/review/src/terraform";
import { synth } from "./synth";

/**
 * The stack's variable blocks alone, planned by real Terraform: no provider and no resources, so
 * Terraform evaluates the same validation blocks in milliseconds instead of a full plan's seconds.
 */
export class VariablesPlan {
  private readonly dir: string;
  private files = 0;

  constructor() {
    const { variable } = synth(new PinpointPersonalizeStack(Testing.app(), "pinpoint-personalize"));
    this.dir = mkdtempSync(join(tmpdir(), "variables-"));
    writeFileSync(join(this.dir, "variables.tf.json"), JSON.stringify({ variable }, null, 2));
    terraformOk(this.dir, ["init", "-input=false"]);
  }

  /** Plans with the given values (valid IDs unless given); returns the exit code and the error messages. */
  async plan(values: Record<string, unknown>): Promise<{ code: number; errors: string[] }> {
    const file = `case-${++this.files}.tfvars.json`;
    writeFileSync(
      join(this.dir, file),
      JSON.stringify({ campaign_id: "my-campaign", solution_id: "my_solution", ...values }),
    );
    // The plans share an empty state that none of them writes: no lock needed.
    const result = await terraformAsync(this.dir, [
      "plan",
      "-json",
      "-input=false",
      "-lock=false",
      `-var-file=${file}`,
    ]);
    return { code: result.code, errors: errorMessages(diagnostics(result.stdout)) };
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
