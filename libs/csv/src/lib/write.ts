import { stringify } from 'csv-stringify/sync';

/** What a writer accepts in a cell. Strings are neutralised; numbers and booleans are written as they are. */
export type CsvCell = string | number | boolean | null | undefined;

/**
 * A leading character that makes Excel, LibreOffice or Google Sheets read a cell as a formula (OWASP "CSV
 * injection"): =, +, -, @, a tab or a carriage return.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const GUARDED = /^'(?=[=+\-@\t\r])/;

/**
 * Neutralises a text cell that a spreadsheet would run as a formula: it gets a leading single quote, which the
 * spreadsheet shows as text and `readCsv` removes again. Every string cell passes through this, so a negative amount
 * written as text ("-5") is quoted too; write amounts as numbers to keep them numeric.
 */
export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Undoes `neutraliseFormula` (for a cell read back from an export). */
export function removeFormulaGuard(value: string): string {
  return value.replace(GUARDED, '');
}

export interface CsvWriterOptions {
  /** Start the file with a UTF-8 BOM, so Excel reads it as UTF-8 (default true). */
  bom?: boolean;
  recordDelimiter?: '\n' | '\r\n';
}

export interface CsvWriter<C extends string> {
  /** The header line (after the BOM, when asked for). */
  header(): string;
  /** Records keyed by column, in the writer's column order. */
  rows(records: readonly Readonly<Record<C, CsvCell>>[]): string;
}

/**
 * A formula-safe CSV writer on csv-stringify: comma-delimited, quoted where needed, every string cell (header
 * included) neutralised; numbers, booleans ("true"/"false") and empty cells (null, undefined) are never prefixed.
 * Chunks can be streamed: the header first, then `rows` per batch.
 */
export function csvWriter<const C extends string>(columns: readonly C[], options: CsvWriterOptions = {}): CsvWriter<C> {
  const format = {
    delimiter: ',',
    record_delimiter: options.recordDelimiter ?? '\r\n',
    // csv-stringify quotes only its own record delimiter; a reader splits records at either line ending.
    quoted_match: /[\r\n]/,
    cast: { string: neutraliseFormula, boolean: (value: boolean) => String(value), number: (value: number) => String(value) },
  };
  return {
    header: () => `${options.bom === false ? '' : '\uFEFF'}${stringify([[...columns]], format)}`,
    rows: (records) => stringify(records.map((r) => columns.map((c) => r[c] ?? null)), format),
  };
}
