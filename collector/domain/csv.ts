// RFC 4180 CSV: CRLF line ends; a field with a comma, quote, CR or LF is quoted, quotes doubled.

export type CsvValue = string | number | boolean | Date | null | undefined;

export interface CsvOptions {
  /**
   * Text fields starting with = + - @ (or a tab/CR) get a leading apostrophe, so a spreadsheet
   * opening a report never runs a formula that a partner typed into a name (OWASP CSV injection).
   * Numbers (and decimal strings such as "-12.50") are never touched. Off for files that machines
   * read (PayPal's).
   */
  spreadsheetSafe?: boolean;
}

export function csvField(value: CsvValue, options: CsvOptions = {}): string {
  if (value === null || value === undefined) return '';
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (options.spreadsheetSafe && /^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows only (PayPal's mass-payment file has no header line). */
export function csvRows(rows: ReadonlyArray<readonly CsvValue[]>, options: CsvOptions = {}): string {
  return rows.map((row) => row.map((value) => csvField(value, options)).join(',') + '\r\n').join('');
}

export function toCsv(
  header: readonly string[],
  rows: ReadonlyArray<readonly CsvValue[]>,
  options: CsvOptions = {},
): string {
  return csvRows([header, ...rows], options);
}
