/** Text for a Markdown table cell: a `|` would end the cell, a `<` would start an HTML tag. */
export function markdownCell(text: string): string {
  // Inside `code spans` a "<" is shown as it is; outside, it is escaped.
  return text
    .replace(/\|/g, "\\|")
    .split("`")
    .map((part, i) => (i % 2 === 0 ? part.replace(/</g, "&lt;") : part))
    .join("`");
}
