import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The README's fenced code blocks of one language, in order. */
export function readmeCodeBlocks(language: string, file = join(__dirname, "..", "README.md")): string[] {
  const text = readFileSync(file, "utf8");
  const fence = new RegExp("^```" + language + "\\n([\\s\\S]*?)^```$", "gm");
  return [...text.matchAll(fence)].map((match) => match[1]);
}

/**
 * The fenced code blocks of one language in a Markdown section (from its `## heading` to the next
 * heading of that level), indented ones (inside list items) included, their indentation removed.
 */
export function sectionCodeBlocks(file: string, heading: string, language: string): string[] {
  const text = readFileSync(file, "utf8");
  const start = text.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`${file} has no section "## ${heading}".`);
  const next = text.indexOf("\n## ", start + 1);
  const section = text.slice(start, next < 0 ? undefined : next);
  const fence = new RegExp("^( *)```" + language + "\\n([\\s\\S]*?)^\\1```$", "gm");
  return [...section.matchAll(fence)].map(([, indent, body]) =>
    body
      .split("\n")
      .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line))
      .join("\n"),
  );
}
