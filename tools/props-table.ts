import { readFileSync } from "node:fs";
import ts from "typescript";
import { markdownCell } from "./docs";

/** The props of an interface, from its JSDoc: summary, and `@default`. */
export function propsTable(file: string, interfaceName: string): string {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
  const declaration = source.statements.find(
    (node): node is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(node) && node.name.text === interfaceName,
  );
  if (declaration === undefined) throw new Error(`${file} declares no interface ${interfaceName}.`);
  const rows = declaration.members.filter(ts.isPropertySignature).map((member) => {
    const docs = ts.getJSDocCommentsAndTags(member).filter(ts.isJSDoc);
    const summary = docs.map((d) => ts.getTextOfJSDocComment(d.comment) ?? "").join(" ");
    const tag = docs.flatMap((d) => d.tags ?? []).find((t) => t.tagName.text === "default");
    // aws-cdk's "@default - <behaviour>" reads without its dash in a table.
    const fallback = member.questionToken
      ? (ts.getTextOfJSDocComment(tag?.comment) ?? "").replace(/^-\s*/, "")
      : "required";
    const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();
    const name = `\`${member.name.getText(source)}\``;
    return `| ${name} | ${markdownCell(oneLine(summary))} | ${markdownCell(oneLine(fallback))} |`;
  });
  return ["| Prop | Description | Default |", "|---|---|---|", ...rows].join("\n");
}
