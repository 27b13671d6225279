/** One problem of an uploaded CSV, where a person finds it in their spreadsheet. */
export interface CsvProblem {
  /** The row as a spreadsheet numbers it (the header is row 1); null for the file as a whole. */
  row: number | null;
  /** The column's name; null for the whole row or file. */
  column: string | null;
  /** The offending cell (its first 100 characters), for problems of one cell. */
  value?: string;
  message: string;
}

/** The most of a cell a problem repeats. */
export const PROBLEM_VALUE_MAX = 100;

/** The problems as a report lists them: by row (file-level first), at most `max` of them, and the exact count. */
export function reportProblems(problems: readonly CsvProblem[], max: number): { errorCount: number; errors: CsvProblem[]; errorsTruncated: boolean } {
  const sorted = [...problems].sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  return { errorCount: sorted.length, errors: sorted.slice(0, max), errorsTruncated: sorted.length > max };
}

/**
 * Finds values repeated across rows: every row whose key an earlier row had, with that first row, in file order.
 * Rows whose key is null are skipped.
 */
export function findRepeats<R>(rows: Iterable<R>, rowOf: (r: R) => number, keyOf: (r: R) => string | null): { item: R; firstRow: number }[] {
  const firstRow = new Map<string, number>();
  const repeats: { item: R; firstRow: number }[] = [];
  for (const item of rows) {
    const key = keyOf(item);
    if (key === null) continue;
    const first = firstRow.get(key);
    if (first === undefined) firstRow.set(key, rowOf(item));
    else repeats.push({ item, firstRow: first });
  }
  return repeats;
}
