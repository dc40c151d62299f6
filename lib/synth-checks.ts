import { Aspects, IAspect } from "cdktf";
import { IConstruct } from "constructs";

/**
 * A check at synth that also holds in an app made with `skipValidation: true`. It is a cdktf
 * validation, reported with the app's other problems; and an aspect of the construct that runs it
 * again and throws, since cdktf skips validations in such an app but runs aspects at every synth.
 * The checks it holds keep the library's blocks as the library made them (their addresses, their
 * names, the values checked), so an app's choice to skip cdktf's validations cannot widen a grant.
 */
export function checkAtSynth(construct: IConstruct, validate: () => string[]): void {
  construct.node.addValidation({ validate });
  Aspects.of(construct).add(new Recheck(construct, validate));
}

class Recheck implements IAspect {
  constructor(
    private readonly construct: IConstruct,
    private readonly validate: () => string[],
  ) {}

  visit(node: IConstruct): void {
    if (node !== this.construct) return;
    const problems = this.validate();
    if (problems.length > 0) {
      throw new Error(problems.map((p) => `[${this.construct.node.path}] ${p}`).join("\n"));
    }
  }
}
