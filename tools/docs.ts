/**
 * Inputs and Outputs tables, in terraform-aws-modules' format, generated from the synthesized
 * variables and outputs so that the documentation cannot drift from the code.
 */
export interface VariableBlock {
  readonly type?: string;
  readonly description?: string;
  readonly default?: unknown;
}
export interface OutputBlock {
  readonly description?: string;
}

function code(text: string): string {
  return `\`${text.replace(/\|/g, "\\|")}\``;
}

function text(description: string | undefined): string {
  return (description ?? "").replace(/\|/g, "\\|");
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

/** Replaces the table that follows `heading` in a Markdown text. */
export function replaceTable(markdown: string, heading: string, table: string): string {
  const at = markdown.indexOf(`${heading}\n`);
  const start = at < 0 ? -1 : markdown.indexOf("\n| ", at) + 1;
  if (at < 0 || start === 0) throw new Error(`No table after "${heading}".`);
  const end = markdown.indexOf("\n\n", start);
  return markdown.slice(0, start) + table + (end < 0 ? "\n" : markdown.slice(end));
}
