import { spawnSync } from "node:child_process";
import { Json } from "./synthesized";
import { terraformBinary, terraformEnv } from "../packages/review/src/terraform";

// A small writer of Terraform's native syntax (HCL) from Terraform's JSON syntax. cdktf's own HCL
// output cannot be used (`cdktf synth --hcl` crashes on variables, and its renderer writes
// preconditions as attributes), and no maintained JSON-to-HCL writer exists on npm.
//
// What the two syntaxes share: in both, a string in an expression context is a template, with the
// same `${...}` interpolations, `%{...}` directives and `$${` / `%%{` escapes. What differs:
// - JSON has no bare expressions: `"${expr}"` is the whole value. HCL writes `expr`.
// - A JSON string is already decoded, so a template's literal text must be re-escaped for a quoted
//   HCL string (`\`, `"`, control characters); the source of each `${...}` is HCL already and is
//   copied as it is.
// - Where Terraform reads a JSON string as a literal (a variable's description or default, the
//   terraform block), HCL still reads a template: `${` and `%{` become `$${` and `%%{`.
// - Some keys are references, not templates (`depends_on`, `provider`, `moved`), and `type` is a
//   type expression: JSON writes them as plain strings, HCL as bare words.
// - Only the schema says whether an array of objects is a list attribute or repeated nested
//   blocks; the caller says (see `BlockSchema`).

/** A piece of a template: literal text (as in the source, escapes included) or a `${...}`/`%{...}` sequence. */
export type TemplatePart =
  | { readonly kind: "literal"; readonly text: string }
  | { readonly kind: "interpolation" | "directive"; readonly source: string };

/** The end of a quoted string that starts after `start` (the index just past its opening quote). */
function endOfQuoted(source: string, start: number): number {
  for (let i = start; i < source.length;) {
    const c = source[i];
    if (c === "\\") i += 2;
    else if (c === '"') return i + 1;
    else if (source.startsWith("$${", i) || source.startsWith("%%{", i)) i += 3;
    else if (source.startsWith("${", i) || source.startsWith("%{", i)) i = endOfSequence(source, i + 2) + 1;
    else i++;
  }
  throw new Error(`Unterminated string in template: ${source}`);
}

/** The index of the `}` that closes a `${` or `%{` sequence whose content starts at `start`. */
function endOfSequence(source: string, start: number): number {
  let depth = 0;
  for (let i = start; i < source.length;) {
    const c = source[i];
    if (c === '"') i = endOfQuoted(source, i + 1);
    else if (source.startsWith("<<", i))
      throw new Error(`Heredocs inside an interpolation are not supported: ${source}`);
    else if (c === "{") {
      depth++;
      i++;
    } else if (c === "}") {
      if (depth === 0) return i;
      depth--;
      i++;
    } else i++;
  }
  throw new Error(`Unterminated interpolation in template: ${source}`);
}

/** Splits a template into its literal text and its `${...}` and `%{...}` sequences. */
export function templateParts(source: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let literal = "";
  for (let i = 0; i < source.length;) {
    if (source.startsWith("$${", i) || source.startsWith("%%{", i)) {
      literal += source.slice(i, i + 3);
      i += 3;
    } else if (source.startsWith("${", i) || source.startsWith("%{", i)) {
      const end = endOfSequence(source, i + 2);
      if (literal) parts.push({ kind: "literal", text: literal });
      literal = "";
      parts.push({ kind: source[i] === "$" ? "interpolation" : "directive", source: source.slice(i, end + 1) });
      i = end + 1;
    } else literal += source[i++];
  }
  if (literal) parts.push({ kind: "literal", text: literal });
  return parts;
}

/** Escapes text for the inside of a quoted HCL string (its `${`, `%{` escapes are the caller's). */
function quotedText(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what this escapes
  return text.replace(/[\\"\u0000-\u001f\u007f]/g, (c) => {
    switch (c) {
      case "\\":
        return "\\\\";
      case '"':
        return '\\"';
      case "\n":
        return "\\n";
      case "\r":
        return "\\r";
      case "\t":
        return "\\t";
      default:
        return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
    }
  });
}

/**
 * A JSON-syntax template as an HCL expression: `"${expr}"` alone is `expr`; anything else stays a
 * quoted template with the same interpolations and the same meaning.
 */
export function templateExpression(source: string): string {
  const parts = templateParts(source);
  const only = parts.length === 1 ? parts[0] : undefined;
  if (only?.kind === "interpolation" && !/^\$\{~|~\}$/.test(only.source)) {
    const expression = only.source.slice(2, -1).trim();
    if (/[\r\n]/.test(expression)) throw new Error(`A multi-line expression is not supported: ${source}`);
    return expression;
  }
  return `"${parts
    .map((p) => {
      if (p.kind === "literal") return quotedText(p.text);
      if (/[\r\n]/.test(p.source)) throw new Error(`A multi-line interpolation is not supported: ${source}`);
      return p.source;
    })
    .join("")}"`;
}

/** A literal string as a quoted HCL string that evaluates to exactly it. */
export function stringLiteral(text: string): string {
  // A function, not a replacement string, where "$$" would mean one "$".
  return `"${quotedText(text).replace(/([$%])\{/g, (_, sign: string) => `${sign}${sign}{`)}"`;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const KEYWORDS = new Set(["true", "false", "null", "for", "in", "if", "endif", "endfor", "else"]);

function objectKey(key: string, value: (s: string) => string): string {
  return IDENTIFIER.test(key) && !KEYWORDS.has(key) ? key : value(key);
}

function collection(items: string[], open: string, close: string, multiline: boolean): string {
  if (items.length === 0) return `${open}${close}`;
  const oneLine = `${open}${items.join(", ")}${close}`;
  if (!multiline && oneLine.length <= 80 && !oneLine.includes("\n")) return oneLine;
  return `${open}\n${items.map((i) => `${indent(i)},`).join("\n")}\n${close}`;
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => (line ? `  ${line}` : line))
    .join("\n");
}

function value(json: Json, string: (s: string) => string): string {
  if (json === null) return "null";
  if (typeof json === "string") return string(json);
  if (typeof json === "number" || typeof json === "boolean") return JSON.stringify(json);
  if (Array.isArray(json))
    return collection(
      json.map((item) => value(item, string)),
      "[",
      "]",
      json.some((item) => item !== null && typeof item === "object"),
    );
  const entries = Object.entries(json);
  if (entries.length === 0) return "{}";
  return `{\n${entries
    .map(([k, v]) => indent(`${objectKey(k, (key) => wrapKey(string(key)))} = ${value(v, string)}`))
    .join("\n")}\n}`;
}

/** An object key that is an expression must be in parentheses, or HCL reads a bare word as a string. */
function wrapKey(key: string): string {
  return key.startsWith('"') ? key : `(${key})`;
}

/** A JSON value where Terraform reads an expression: every string in it is a template. */
export function expression(json: Json): string {
  return value(json, templateExpression);
}

/** A JSON value where Terraform reads a literal (a variable's default, the terraform block). */
export function literal(json: Json): string {
  return value(json, stringLiteral);
}

const TRAVERSAL = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*|\[("[^"]*"|[0-9]+)\])*$/;

/** A reference (`aws_iam_role.this`, `aws.west`), which JSON writes as a plain string. */
export function reference(text: string): string {
  if (!TRAVERSAL.test(text)) throw new Error(`Not a reference: ${JSON.stringify(text)}`);
  return text;
}

/** A type constraint (`list(string)`), which JSON writes as a plain string. */
export function typeExpression(text: string): string {
  if (text.includes("${") || /[\r\n]/.test(text)) throw new Error(`Not a type expression: ${JSON.stringify(text)}`);
  return text;
}

/** An attribute, a nested block, or an empty line that separates groups. */
export type HclItem =
  | { readonly kind: "attribute"; readonly name: string; readonly value: string }
  | { readonly kind: "block"; readonly type: string; readonly labels: readonly string[]; readonly body: HclBody }
  | { readonly kind: "blank" };
export type HclBody = readonly HclItem[];

export const attribute = (name: string, value: string): HclItem => ({ kind: "attribute", name, value });
export const block = (type: string, labels: readonly string[], body: HclBody): HclItem => ({
  kind: "block",
  type,
  labels,
  body,
});
export const blank: HclItem = { kind: "blank" };

/** HCL text for a body, indented two spaces per level (`terraform fmt` then aligns the `=`). */
export function render(body: HclBody): string {
  const lines: string[] = [];
  body.forEach((item, i) => {
    if (item.kind === "blank") {
      if (i > 0 && i < body.length - 1 && body[i - 1].kind !== "blank") lines.push("");
    } else if (item.kind === "attribute") lines.push(`${item.name} = ${item.value}`);
    else {
      const head = [item.type, ...item.labels.map((l) => `"${quotedText(l)}"`)].join(" ");
      lines.push(item.body.length === 0 ? `${head} {}` : `${head} {\n${indent(render(item.body))}\n}`);
    }
  });
  return lines.join("\n");
}

/** Top-level blocks, one empty line between each, as a file. */
export function renderFile(blocks: HclBody, header = ""): string {
  return `${header}${blocks.map((b) => render([b])).join("\n\n")}\n`;
}

/** The text as `terraform fmt` writes it (Terraform's own formatter, which the module's CI runs too). */
export function terraformFmt(text: string): string {
  const result = spawnSync(terraformBinary(), ["fmt", "-no-color", "-"], {
    input: text,
    encoding: "utf8",
    env: terraformEnv(),
  });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`terraform fmt rejected the text:\n${result.stderr}\n${text}`);
  return result.stdout;
}
