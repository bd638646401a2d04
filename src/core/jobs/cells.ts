/**
 * Cells of a table a report or evidence writes: a leaf module (no engine, no HTTP), so the review
 * bundle (dist/review.js) can use it without a copy of the job engine.
 */

/**
 * A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, carriage return first) is
 * prefixed with `'`, as OWASP's CSV-injection advice says: `=HYPERLINK(…)` stays text.
 */
export function neutralizeCell(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** Text as one Markdown table cell: pipes and backslashes escaped, line breaks as spaces. */
export const mdCell = (text: string) =>
  text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ');
