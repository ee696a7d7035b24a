/**
 * CSV text as RFC 4180 writes it, for spreadsheets as well as programs: fields separated by commas, rows
 * ended by CRLF, a field quoted when it holds a comma, a quote, a line break or leading/trailing space,
 * and quotes doubled inside.
 */

/** The UTF-8 byte order mark: Excel reads a CSV as UTF-8 only when the file starts with it. */
export const BOM = '\uFEFF';

/**
 * Characters that make a spreadsheet treat a cell as a formula (`=HYPERLINK(…)`, `+cmd|…`, `@SUM(…)`) or
 * that some programs strip before doing so (tab, carriage return). A text cell starting with one is
 * written with a leading apostrophe, which spreadsheets show as plain text. Numbers are never guarded, so
 * `-5` stays a number; the import strips the apostrophe again, so a round trip keeps the value.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** A text cell as written: guarded against formulas, quoted when needed. */
export function textCell(value: string): string {
  const guarded = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}

/** One cell from a JSON value: text guarded, numbers and booleans as written by JSON, empty for null. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return textCell(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  // Lists (multi-select values, additional emails) join with "; ", which the import splits again.
  if (Array.isArray(value)) return textCell(value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join('; '));
  return textCell(JSON.stringify(value));
}

/** One row, CRLF-terminated. */
export function csvRow(cells: readonly string[]): string {
  return `${cells.join(',')}\r\n`;
}
