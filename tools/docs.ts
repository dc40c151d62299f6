// The README's tables, generated from the code so that the documentation cannot drift from it:
// Inputs and Outputs (terraform-aws-modules' format) and the validation rules from the synthesized
// stack. The construct's props are in API.md, which jsii-docgen writes.
import { markdownCell } from "../packages/review/src/markdown";
import { Block, OutputBlock, VariableBlock } from "./synthesized";

export type { OutputBlock, VariableBlock };

export { markdownCell };

/** Code in a Markdown table cell: only a `|` needs escaping there. */
function code(text: string): string {
  return `\`${text.replace(/\|/g, "\\|")}\``;
}

function text(description: string | undefined): string {
  return markdownCell(description ?? "");
}

export function inputsTable(variables: Readonly<Record<string, VariableBlock>>): string {
  const required = Object.entries(variables).filter(([, v]) => !("default" in v));
  const optional = Object.entries(variables).filter(([, v]) => "default" in v);
  return [
    "| Name | Description | Type | Default | Required |",
    "|---|---|---|---|:---:|",
    ...[...required, ...optional].map(
      ([name, v]) =>
        `| ${code(name)} | ${text(v.description)} | ${code(v.type ?? "any")} | ` +
        `${"default" in v ? code(JSON.stringify(v.default)) : "n/a"} | ${"default" in v ? "no" : "yes"} |`,
    ),
  ].join("\n");
}

export function outputsTable(outputs: Readonly<Record<string, OutputBlock>>): string {
  return [
    "| Name | Description |",
    "|---|---|",
    ...Object.entries(outputs).map(([name, o]) => `| ${code(name)} | ${text(o.description)} |`),
  ].join("\n");
}

/**
 * The validation rules of each variable, as Terraform reports them: each `error_message` up to
 * its "Received ...", which is the rule's own wording (lib/rules.ts).
 */
export function rulesTable(variables: Readonly<Record<string, VariableBlock>>): string {
  const rules = Object.entries(variables).flatMap(([name, v]) => {
    const messages = ((v.validation ?? []) as Block[]).map((check) =>
      (typeof check.error_message === "string" ? check.error_message : "").replace(/ Received \$\{.*$/s, "").trim(),
    );
    return messages.length === 0 ? [] : [`| ${code(name)} | ${messages.map(markdownCell).join("<br>")} |`];
  });
  return ["| Variable | Rule, as Terraform reports it |", "|---|---|", ...rules].join("\n");
}

/** The markers that enclose a generated block of a Markdown file. */
export function markers(name: string): { begin: string; end: string } {
  return { begin: `<!-- BEGIN GENERATED: ${name} (npm run docs) -->`, end: `<!-- END GENERATED: ${name} -->` };
}

/** Replaces the content between a generated block's markers. */
export function replaceGenerated(markdown: string, name: string, content: string): string {
  const { begin, end } = markers(name);
  const start = markdown.indexOf(begin);
  const stop = markdown.indexOf(end);
  if (start < 0 || stop < start) throw new Error(`No generated block "${name}": expected ${begin} ... ${end}.`);
  return `${markdown.slice(0, start + begin.length)}\n${content}\n${markdown.slice(stop)}`;
}
