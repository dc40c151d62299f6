import { IResolvable, IResolveContext, TerraformElement } from "cdktf";
import { IConstruct } from "constructs";

/**
 * A check at synth that also holds in an app made with `skipValidation: true`. It is a cdktf
 * validation, reported with the app's other problems; and a Terraform element of no configuration
 * of its own that runs it again when its stack is written as Terraform JSON, and throws. cdktf
 * skips validations in such an app, but writes every element after every aspect has run, so the
 * check sees what the stack's JSON will hold (an aspect may add an element, or settle a Lazy).
 * The checks it holds keep the library's blocks as the library made them (their addresses, their
 * names, the values checked), so an app's choice to skip cdktf's validations cannot widen a grant.
 */
export function checkAtSynth(construct: IConstruct, id: string, validate: () => string[]): void {
  construct.node.addValidation({ validate });
  new SynthCheck(construct, id, validate);
}

class SynthCheck extends TerraformElement {
  constructor(
    scope: IConstruct,
    id: string,
    private readonly validate: () => string[],
  ) {
    super(scope, id);
  }

  // Resolved when the stack is written (cdktf also resolves it earlier to prepare the stack, before
  // aspects run: then it checks nothing).
  override toTerraform(): Record<string, unknown> {
    return new Checked(this.node.scope?.node.path ?? "", this.validate) as unknown as Record<string, unknown>;
  }

  override toHclTerraform(): Record<string, unknown> {
    return this.toTerraform();
  }
}

class Checked implements IResolvable {
  readonly creationStack: string[] = [];

  constructor(
    private readonly path: string,
    private readonly validate: () => string[],
  ) {}

  resolve(context: IResolveContext): unknown {
    if (context.preparing) return {};
    const problems = this.validate();
    if (problems.length > 0) throw new Error(problems.map((p) => `[${this.path}] ${p}`).join("\n"));
    return {};
  }

  toString(): string {
    return "";
  }
}
