import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  attribute,
  block,
  expression,
  literal,
  reference,
  render,
  stringLiteral,
  templateExpression,
  templateParts,
  terraformFmt,
} from "../tools/hcl";
import { Json } from "../tools/synthesized";
import { terraformOk } from "../packages/review/src/terraform";
import { tempDirs } from "../test-support/temp";

/**
 * The HCL writer: Terraform's JSON-syntax templates and values turned into HCL that means the same,
 * shown by unit cases and proven by real Terraform on tricky ones.
 */
const temp = tempDirs();

describe("templates", () => {
  test("split into literal text and balanced ${...} and %{...} sequences, escapes kept as literal text", () => {
    expect(templateParts('a ${f("}", {b = "${c}"})} $${d} %%{e} %{ if x }y%{ endif }')).toEqual([
      { kind: "literal", text: "a " },
      { kind: "interpolation", source: '${f("}", {b = "${c}"})}' },
      { kind: "literal", text: " $${d} %%{e} " },
      { kind: "directive", source: "%{ if x }" },
      { kind: "literal", text: "y" },
      { kind: "directive", source: "%{ endif }" },
    ]);
  });

  test("a whole-string interpolation becomes a bare expression; anything else stays a quoted template", () => {
    expect(templateExpression("${var.a}")).toBe("var.a");
    expect(templateExpression('${regex("^[a-z]{2}$", var.a)}')).toBe('regex("^[a-z]{2}$", var.a)');
    expect(templateExpression("${var.a}${var.b}")).toBe('"${var.a}${var.b}"');
    expect(templateExpression("arn:${var.p}:x")).toBe('"arn:${var.p}:x"');
    // Strip markers change the value: kept as a template.
    expect(templateExpression("${~ var.a ~}")).toBe('"${~ var.a ~}"');
    expect(templateExpression("plain")).toBe('"plain"');
  });

  test("literal text is re-escaped for a quoted string; interpolations are copied as they are", () => {
    expect(templateExpression('say "hi"\\ \n\t\u0001 ${jsonencode("a\\"b")}')).toBe(
      '"say \\"hi\\"\\\\ \\n\\t\\u0001 ${jsonencode("a\\"b")}"',
    );
    expect(templateExpression("$${not} %%{not}")).toBe('"$${not} %%{not}"');
  });

  test("refuses what it cannot write faithfully", () => {
    expect(() => templateExpression("${var.a")).toThrow("Unterminated interpolation");
    expect(() => templateExpression("${<<EOT\nx\nEOT\n}")).toThrow("Heredocs");
    expect(() => templateExpression("${a +\n b}")).toThrow("multi-line");
    expect(() => reference("aws_iam_role.this ")).toThrow("Not a reference");
  });
});

describe("values", () => {
  test("a literal string escapes template sequences", () => {
    expect(stringLiteral('${x} %{y} "z"')).toBe('"$${x} %%{y} \\"z\\""');
  });

  test("lists and objects: short lists on one line, objects and long lists on several", () => {
    expect(expression(["${var.a}", "b"])).toBe('[var.a, "b"]');
    expect(expression([])).toBe("[]");
    expect(expression({})).toBe("{}");
    const long = Array.from({ length: 4 }, (_, i) => `personalize:Action${i}WithALongName`);
    expect(expression(long)).toBe(`[\n${long.map((a) => `  "${a}",`).join("\n")}\n]`);
    expect(expression({ Team: "x", "cost:center": "${var.c}", "${var.k}": 1, true: null })).toBe(
      '{\n  Team = "x"\n  "cost:center" = var.c\n  (var.k) = 1\n  "true" = null\n}',
    );
    expect(literal({ a: ["${x}", 1.5, false] })).toBe('{\n  a = ["$${x}", 1.5, false]\n}');
  });

  test("blocks render nested, and terraform fmt aligns them", () => {
    const text = render([
      block("data", ["aws_x", "y"], [attribute("a", '"1"'), attribute("bbb", "2"), block("lifecycle", [], [])]),
    ]);
    expect(terraformFmt(`${text}\n`)).toBe('data "aws_x" "y" {\n  a   = "1"\n  bbb = 2\n  lifecycle {}\n}\n');
  });
});

describe("real Terraform reads the HCL as it reads the JSON", () => {
  // Values in Terraform's JSON syntax, each an output: the same outputs written as HCL must plan
  // to the same values. No provider is needed, so the plan takes a second.
  const outputs: Record<string, Json> = {
    bare: '${upper("a}b")}',
    mixed: 'x-${lower("Y")}-"q"-\\-\n-\t-end',
    escapes: "$${literal} %%{literal} $$ %% $",
    directive: '%{ for x in ["a", "b"] }${x};%{ endfor }',
    nested: '${jsonencode({ k = "${"v"}}" })}',
    regex: '${can(regex("^[\\\\x09\\\\x20-\\\\x7E]*$", "a\\tb"))}',
    unicode: "é ✓ \u0007",
    numbers: [1, 2.5, -3, 1e21],
    object: { "a:b": "${1 + 1}", plain: "x", '${"k"}': true, nothing: null },
    nestedList: [["${1}"], { x: ["y"] }],
  };
  const descriptions = { dollar: "a ${b} %{c} $${d}", quote: 'say "hi" \\ done' };

  test("the same output values and variable descriptions and defaults", () => {
    const run = (files: Record<string, string>) => {
      const dir = temp("hcl-roundtrip-");
      for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
      terraformOk(dir, ["init", "-input=false", "-backend=false"]);
      terraformOk(dir, ["plan", "-input=false", "-out=p.tfplan"]);
      return JSON.parse(terraformOk(dir, ["show", "-json", "p.tfplan"]).stdout) as {
        output_changes: Record<string, { after: unknown }>;
        configuration: { root_module: { variables: unknown } };
      };
    };
    const variables = Object.fromEntries(
      Object.entries(descriptions).map(([name, text]) => [name, { description: text, default: text }]),
    );
    const json = run({
      "main.tf.json": JSON.stringify({
        output: Object.fromEntries(Object.entries(outputs).map(([name, value]) => [name, { value }])),
        variable: variables,
      }),
    });
    const hcl = run({
      "main.tf": terraformFmt(
        `${render(Object.entries(outputs).map(([name, value]) => block("output", [name], [attribute("value", expression(value))])))}\n${render(
          Object.entries(variables).map(([name, v]) =>
            block(
              "variable",
              [name],
              [attribute("description", literal(v.description)), attribute("default", literal(v.default))],
            ),
          ),
        )}\n`,
      ),
    });
    expect(hcl.output_changes).toEqual(json.output_changes);
    expect(hcl.configuration.root_module.variables).toEqual(json.configuration.root_module.variables);
    // The cases mean what they say: templates evaluated, escapes kept literal.
    expect(hcl.output_changes.escapes.after).toBe("${literal} %{literal} $$ %% $");
    expect(hcl.output_changes.nested.after).toBe('{"k":"v}"}');
    expect(hcl.output_changes.regex.after).toBe(true);
    expect(hcl.configuration.root_module.variables).toEqual({
      dollar: { default: "a ${b} %{c} $${d}", description: "a ${b} %{c} $${d}" },
      quote: { default: 'say "hi" \\ done', description: 'say "hi" \\ done' },
    });
  });
});
