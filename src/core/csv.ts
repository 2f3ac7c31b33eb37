/**
 * CSV as RFC 4180 writes it: fields separated by commas, records by CRLF, a field quoted when it holds a comma,
 * a double quote, CR or LF, and quotes inside doubled. Every page that offers a CSV (the audit, forecasts) renders
 * it here, so the file matches the page cell for cell.
 *
 * Cells come from brands and merchants (product names, notes). A spreadsheet runs a cell that begins with `=`,
 * `+`, `-` or `@` as a formula, so by default such text gets a leading `'` (OWASP "CSV injection"); numbers,
 * including negative ones, are written as they are.
 */

export type CsvValue = string | number | boolean | null | undefined;

export interface CsvOptions {
  /** Prefix text that a spreadsheet would run as a formula with `'`. Default true. */
  readonly guardFormulas?: boolean;
}

const needsQuotes = /[",\r\n]/;
const formulaStart = /^[=+\-@\t\r]/;
const plainNumber = /^-?\d+(\.\d+)?$/;

export function csvField(value: CsvValue, options: CsvOptions = {}): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : String(value);
  if (
    typeof value === 'string' &&
    (options.guardFormulas ?? true) &&
    formulaStart.test(text) &&
    !plainNumber.test(text)
  )
    text = `'${text}`;
  return needsQuotes.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A whole file: the header, then one record per row, each line ending in CRLF. */
export function toCsv(
  header: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<CsvValue>>,
  options: CsvOptions = {},
): string {
  return [header, ...rows].map((row) => row.map((v) => csvField(v, options)).join(',') + '\r\n').join('');
}
