import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { Json, TerraformJson } from "../tools/synthesized";

// The schema of hashicorp/aws as a prebuilt provider binding (@cdktf/provider-aws,
// @cdktn/provider-aws) carries it: the binding is generated from the provider's schema, each
// resource type a module whose `synthesizeAttributes` writes every argument by its Terraform name,
// each nested block a `...ToTerraform` function that writes the block's arguments, and each
// attribute read by name (`getStringAttribute("arn")`). Read with TypeScript's parser, not run.
// What it lets a test do: check a configuration against a provider major that Terraform here
// cannot install.

/** A block's schema: its arguments (nested blocks included), what can be read from it, its nested blocks. */
export interface BlockSchema {
  readonly arguments: ReadonlySet<string>;
  readonly attributes: ReadonlySet<string>;
  readonly blocks: ReadonlyMap<string, BlockSchema>;
}

/** The module of a binding that declares a resource or data source type (`aws_iam_role` is lib/iam-role). */
function bindingModule(binding: string, kind: "resource" | "data", type: string): string {
  const name = kind === "data" ? `data-${type.replace(/_/g, "-")}` : type.replace(/^aws_/, "").replace(/_/g, "-");
  const file = join(binding, "lib", name, "index.js");
  if (!existsSync(file)) throw new Error(`${binding} has no ${kind} ${type} (no lib/${name}).`);
  return file;
}

const ATTRIBUTE_READERS = /^(get\w*Attribute|interpolationForAttribute)$/;

/** The schema of one resource or data source type, from the binding installed at `binding`. */
export function bindingSchema(binding: string, kind: "resource" | "data", type: string): BlockSchema {
  const file = bindingModule(binding, kind, type);
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);

  // Every `...ToTerraform(struct)` function and every class's `synthesizeAttributes()`, by the
  // object literal it returns.
  const writers = new Map<string, ts.ObjectLiteralExpression>();
  let declared: string | undefined;
  const attributes = new Set<string>();
  const returned = (body: ts.Block | undefined) =>
    body?.statements
      .filter(ts.isReturnStatement)
      .map((r) => r.expression)
      .find((e): e is ts.ObjectLiteralExpression => e !== undefined && ts.isObjectLiteralExpression(e));
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionDeclaration(node) && node.name && /ToTerraform$/.test(node.name.text)) {
      const literal = returned(node.body);
      if (literal) writers.set(node.name.text, literal);
    }
    if (ts.isMethodDeclaration(node) && node.name.getText(source) === "synthesizeAttributes") {
      const klass = node.parent;
      const literal = returned(node.body);
      // The resource's own class is the one the file names as the type's (`X.tfResourceType = "aws_..."`).
      if (literal && ts.isClassDeclaration(klass) && klass.name) writers.set(`class:${klass.name.text}`, literal);
    }
    if (
      ts.isBinaryExpression(node) &&
      ts.isPropertyAccessExpression(node.left) &&
      node.left.name.text === "tfResourceType" &&
      ts.isStringLiteral(node.right) &&
      ts.isIdentifier(node.left.expression)
    ) {
      if (node.right.text === type) declared = node.left.expression.text;
    }
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.expression.kind === ts.SyntaxKind.ThisKeyword &&
      ATTRIBUTE_READERS.test(node.expression.name.text) &&
      node.arguments[0] !== undefined &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      // Recorded with its class: only the resource's own class's reads are the resource's
      // attributes (a nested block's output reference class reads the block's).
      const klass = ancestorClass(node);
      if (klass?.name) attributes.add(`${klass.name.text}:${node.arguments[0].text}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (declared === undefined) throw new Error(`${file} declares no class for ${type}.`);
  const className: string = declared;
  const root = writers.get(`class:${className}`);
  if (root === undefined) throw new Error(`${file}: ${className} has no synthesizeAttributes().`);

  const schemaOf = (literal: ts.ObjectLiteralExpression): BlockSchema => {
    const args = new Set<string>();
    const blocks = new Map<string, BlockSchema>();
    for (const property of literal.properties) {
      if (!ts.isPropertyAssignment(property)) continue;
      const name = property.name.getText(source).replace(/^["']|["']$/g, "");
      args.add(name);
      const writer = nestedWriter(property.initializer, (name) => writers.has(name));
      const nested = writer === undefined ? undefined : writers.get(writer);
      if (nested) blocks.set(name, schemaOf(nested));
    }
    return { arguments: args, attributes: new Set(), blocks };
  };
  const schema = schemaOf(root);
  const own = [...attributes].filter((a) => a.startsWith(`${className}:`)).map((a) => a.slice(className.length + 1));
  return { ...schema, attributes: new Set([...schema.arguments, ...own]) };
}

function ancestorClass(node: ts.Node): ts.ClassDeclaration | undefined {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) if (ts.isClassDeclaration(n)) return n;
  return undefined;
}

/**
 * The nested block's writer that a property's value calls, directly or through
 * `cdktf.listMapper(f, true)`: the first identifier in it that names one of the file's writers.
 */
function nestedWriter(value: ts.Expression, isWriter: (name: string) => boolean): string | undefined {
  let found: string | undefined;
  const visit = (node: ts.Node): void => {
    if (found !== undefined) return;
    if (ts.isIdentifier(node) && isWriter(node.text)) found = node.text;
    else ts.forEachChild(node, visit);
  };
  visit(value);
  return found;
}

/** Every `${...}` expression in the strings of a configuration (braces inside them balanced). */
function interpolations(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(interpolations);
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(interpolations);
  if (typeof value !== "string") return [];
  const found: string[] = [];
  for (let start = value.indexOf("${"); start !== -1; start = value.indexOf("${", start + 2)) {
    let depth = 0;
    let end = start + 1;
    for (; end < value.length; end++) {
      if (value[end] === "{") depth++;
      else if (value[end] === "}" && --depth === 0) break;
    }
    found.push(value.slice(start + 2, end));
  }
  return found;
}

/** Terraform's meta-arguments, which belong to every resource and data block and to no schema. */
const META_ARGUMENTS = new Set(["count", "for_each", "provider", "depends_on", "lifecycle", "//"]);

/**
 * Every argument, nested block and attribute reference of a configuration that the binding's
 * schema lacks, as `<address>: <what>`; empty when the binding knows all of them. References are
 * read from every `${...}` expression of the configuration, outputs and preconditions included.
 */
export function unknownToSchema(binding: string, config: TerraformJson): string[] {
  const problems: string[] = [];
  const schemas = new Map<string, BlockSchema>();
  const schemaFor = (kind: "resource" | "data", type: string): BlockSchema => {
    const key = `${kind}.${type}`;
    let schema = schemas.get(key);
    if (schema === undefined) {
      schema = bindingSchema(binding, kind, type);
      schemas.set(key, schema);
    }
    return schema;
  };
  const checkBlock = (where: string, body: { [key: string]: Json }, schema: BlockSchema, top: boolean): void => {
    for (const [key, value] of Object.entries(body)) {
      if (top && META_ARGUMENTS.has(key)) continue;
      if (!schema.arguments.has(key)) {
        problems.push(`${where}: argument ${key}`);
        continue;
      }
      const nested = schema.blocks.get(key);
      if (nested === undefined) continue;
      const items = Array.isArray(value) ? value : [value];
      items.forEach((item, i) => {
        if (item !== null && typeof item === "object" && !Array.isArray(item)) {
          checkBlock(`${where}.${key}[${i}]`, item, nested, false);
        }
      });
    }
  };
  for (const kind of ["resource", "data"] as const) {
    for (const [type, blocks] of Object.entries(config[kind] ?? {})) {
      for (const [name, body] of Object.entries(blocks)) {
        checkBlock(`${kind === "data" ? "data." : ""}${type}.${name}`, body, schemaFor(kind, type), true);
      }
    }
  }
  const reference = /\b(data\.)?(aws_[a-z0-9_]+)\.[A-Za-z0-9_-]+(?:\[[^\]]*\])?\.([a-z0-9_]+)/g;
  for (const match of interpolations(config).flatMap((expression) => [...expression.matchAll(reference)])) {
    const [expression, data, type, attribute] = match as unknown as [string, string | undefined, string, string];
    if (!schemaFor(data ? "data" : "resource", type).attributes.has(attribute)) {
      problems.push(`${expression}: attribute ${attribute}`);
    }
  }
  return [...new Set(problems)].sort();
}
