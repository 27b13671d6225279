import { CsvError, parse } from 'csv-parse/sync';
import { headerRequiredColumns, type CsvColumns, type CsvRecord } from './columns';
import type { CsvProblem } from './problems';
import { removeFormulaGuard } from './write';

export const CSV_DELIMITER = ',';

/** A CSV read against its columns: what stops the whole file, the rows that cannot be read, and the records. */
export interface CsvTable {
  /** The file cannot be read at all (broken quoting, wrong delimiter, header problems, no data rows). */
  fileProblems: CsvProblem[];
  /** Rows whose field count differs from the header's; one problem each. */
  rowProblems: CsvProblem[];
  records: CsvRecord[];
  /** Data rows in the file (records and unreadable rows), rows with only empty cells not counted. */
  dataRows: number;
}

const OTHER_DELIMITERS = [';', '\t', '|'];
const delimiterName = (d: string) => (d === '\t' ? 'tab' : `"${d}"`);

/** Counts a character outside double quotes in one line. */
function countOutsideQuotes(line: string, char: string): number {
  let inQuotes = false;
  let count = 0;
  for (const c of line) {
    if (c === '"') inQuotes = !inQuotes;
    else if (c === char && !inQuotes) count += 1;
  }
  return count;
}

/** A header line without a comma outside quotes but with another common delimiter: the file was saved with that one. */
export function wrongDelimiter(headerLine: string): string | null {
  if (countOutsideQuotes(headerLine, CSV_DELIMITER) > 0) return null;
  return OTHER_DELIMITERS.find((d) => countOutsideQuotes(headerLine, d) > 0) ?? null;
}

interface ParsedLine {
  record: string[];
  info: { lines: number; records: number; empty_lines: number };
}

/**
 * Reads comma-delimited text (a BOM is dropped) with a header row: header names match the columns in any case and
 * order; `ignoredColumns` are accepted and not read (e.g. the export-only columns of a re-imported export).
 * Cells are trimmed and lose the formula guard the writer adds, so an export imports again as it was.
 * Rows are numbered as a spreadsheet shows them (header = 1, blank lines counted); rows of empty cells are skipped.
 */
export function readCsv(text: string, columns: CsvColumns, options: { ignoredColumns?: readonly string[] } = {}): CsvTable {
  const table: CsvTable = { fileProblems: [], rowProblems: [], records: [], dataRows: 0 };
  const fileProblem = (row: number | null, column: string | null, message: string) => {
    table.fileProblems.push({ row, column, message });
    return table;
  };
  const body = text.replace(/^\uFEFF/, '');
  const headerLine = body.split(/\r?\n/, 1)[0] ?? '';
  if (!headerLine.trim()) return fileProblem(1, null, 'the file is empty or its first line is blank; the first line must be the header');
  const wrong = wrongDelimiter(headerLine);
  if (wrong) return fileProblem(1, null, `wrong delimiter: the file uses ${delimiterName(wrong)} between columns; use "," (comma)`);

  let lines: ParsedLine[];
  try {
    lines = parse(body, { delimiter: CSV_DELIMITER, info: true, relax_column_count: true, skip_empty_lines: true }) as unknown as ParsedLine[];
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = (error as CsvError & { lines?: number }).lines;
    return fileProblem(typeof line === 'number' ? line : null, null, `the file is not valid CSV: ${error.message}`);
  }
  const [header, ...rows] = lines;

  const known = Object.keys(columns);
  const byLowerName = new Map([...known, ...(options.ignoredColumns ?? [])].map((c) => [c.toLowerCase(), c]));
  const seen = new Set<string>();
  const headerColumns = header.record.map((raw): string | null => {
    const name = raw.trim();
    const column = byLowerName.get(name.toLowerCase());
    if (!name) fileProblem(1, null, 'a column has no name');
    else if (!column) fileProblem(1, name, `unknown column "${name}"; the columns are ${known.join(', ')}`);
    else if (seen.has(column)) fileProblem(1, column, `column ${column} appears more than once`);
    if (column) seen.add(column);
    return column && known.includes(column) ? column : null;
  });
  for (const required of headerRequiredColumns(columns)) {
    if (!seen.has(required)) fileProblem(1, required, `missing column ${required}`);
  }
  if (table.fileProblems.length) return table;

  for (const { record, info } of rows) {
    // Spreadsheets leave rows of empty cells behind; they are not data.
    if (record.every((v) => !v.trim())) continue;
    const row = info.records + info.empty_lines;
    table.dataRows += 1;
    if (record.length !== headerColumns.length) {
      table.rowProblems.push({ row, column: null, message: `the row has ${record.length} fields, the header has ${headerColumns.length}` });
      continue;
    }
    const cells: Record<string, string> = {};
    headerColumns.forEach((column, i) => {
      if (column) cells[column] = removeFormulaGuard(record[i].trim());
    });
    table.records.push({ row, cells });
  }
  if (!table.dataRows) return fileProblem(null, null, 'the file has a header but no data rows');
  return table;
}
