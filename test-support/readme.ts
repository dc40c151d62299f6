import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The README's fenced code blocks of one language, in order. */
export function readmeCodeBlocks(language: string, file = join(__dirname, "..", "README.md")): string[] {
  const text = readFileSync(file, "utf8");
  const fence = new RegExp("^```" + language + "\\n([\\s\\S]*?)^```$", "gm");
  return [...text.matchAll(fence)].map((match) => match[1]);
}
