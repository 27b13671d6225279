import { PROBLEM_VALUE_MAX, type CsvProblem } from './problems';

/** Lists inside a cell are separated by this. */
export const LIST_SEPARATOR = ';';

/** What a column makes of one non-empty cell: its value, or what is wrong (a phrase that follows the column name). */
export type CellResult<T> = { ok: true; value: T } | { ok: false; message: string };

export const cellValue = <T>(value: T): CellResult<T> => ({ ok: true, value });
export const cellProblem = (message: string): CellResult<never> => ({ ok: false, message });

/** Marks a column whose empty cells are a problem. */
const REQUIRED: unique symbol = Symbol('required');

/**
 * One column of an import: how a non-empty cell becomes a value, what an empty cell means, and whether the header
 * must have the column. Built with `text`, `oneOf`, `list`, `number`, `date`, `boolean`, `uuid` or `cell`, then
 * `.required()` (a value in every row), `.inHeader()` (the column must be there, cells may be empty) or `.orElse(v)`.
 */
export class CsvColumn<T> {
  private constructor(
    readonly parse: (cell: string) => CellResult<T>,
    readonly whenEmpty: T | typeof REQUIRED,
    readonly headerRequired: boolean,
    /** Cells that hold nothing although they are not '' (a list of only separators). */
    readonly isBlank: (cell: string) => boolean,
  ) {}

  /** A column whose empty cells mean `whenEmpty` (null unless the kind has a better "nothing", like []). */
  static of<T, E = null>(parse: (cell: string) => CellResult<T>, whenEmpty: E = null as E, isBlank: (cell: string) => boolean = () => false): CsvColumn<T | E> {
    return new CsvColumn<T | E>(parse, whenEmpty, false, isBlank);
  }

  /** Every row must have a value; the header must have the column. */
  required(): CsvColumn<Exclude<T, null>> {
    return new CsvColumn(this.parse as (cell: string) => CellResult<Exclude<T, null>>, REQUIRED, true, this.isBlank);
  }

  /** The header must have the column, but a cell may be empty. */
  inHeader(): CsvColumn<T> {
    return new CsvColumn(this.parse, this.whenEmpty, true, this.isBlank);
  }

  /** An empty cell means `value`. */
  orElse<D>(value: D): CsvColumn<Exclude<T, null> | D> {
    return new CsvColumn<Exclude<T, null> | D>(this.parse as (cell: string) => CellResult<Exclude<T, null>>, value, this.headerRequired, this.isBlank);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a column's value type is whatever it declares
export type CsvColumns = Readonly<Record<string, CsvColumn<any>>>;
/** The values of a valid row, typed by its columns. */
export type CsvValues<C extends CsvColumns> = { [K in keyof C]: C[K] extends CsvColumn<infer T> ? T : never };

/** A data row as read: its spreadsheet row number and its cells by column name (trimmed; '' when absent). */
export interface CsvRecord {
  row: number;
  cells: Readonly<Record<string, string>>;
}

/** Checks every cell of one record against the columns: the typed values, or every problem with row and column. */
export function validateRecord<C extends CsvColumns>(columns: C, record: CsvRecord): { values: CsvValues<C> | null; problems: CsvProblem[] } {
  const problems: CsvProblem[] = [];
  const values: Record<string, unknown> = {};
  for (const [name, column] of Object.entries(columns)) {
    const cell = record.cells[name] ?? '';
    const fail = (message: string) => problems.push({ row: record.row, column: name, value: cell.slice(0, PROBLEM_VALUE_MAX), message: `${name} ${message}` });
    if (cell === '' || column.isBlank(cell)) {
      if (column.whenEmpty === REQUIRED) fail('is required');
      else values[name] = column.whenEmpty;
      continue;
    }
    const result = column.parse(cell);
    if (result.ok) values[name] = result.value;
    else fail(result.message);
  }
  return { values: problems.length ? null : (values as CsvValues<C>), problems };
}

/** The columns whose header entry is required. */
export const headerRequiredColumns = (columns: CsvColumns): string[] =>
  Object.entries(columns)
    .filter(([, c]) => c.headerRequired)
    .map(([name]) => name);

const quoted = (values: readonly string[]) => values.map((v) => `"${v}"`).join(', ');
const characters = (value: string) => Array.from(value).length;

/** A cell's own characters (code points, as MariaDB counts them), optionally bounded and matching a pattern. */
export function text(options: { maxLength?: number; pattern?: { test(value: string): boolean }; patternMessage?: string } = {}): CsvColumn<string | null> {
  return CsvColumn.of((cell) => {
    if (options.maxLength !== undefined && characters(cell) > options.maxLength) return cellProblem(`must be at most ${options.maxLength} characters`);
    if (options.pattern && !options.pattern.test(cell)) return cellProblem(options.patternMessage ?? `"${cell}" is not in the expected format`);
    return cellValue(cell);
  });
}

/** One of a fixed vocabulary, exactly as written there. */
export function oneOf<T extends string>(allowed: readonly T[]): CsvColumn<T | null> {
  return CsvColumn.of((cell) => ((allowed as readonly string[]).includes(cell) ? cellValue(cell as T) : cellProblem(`"${cell}" is not one of ${allowed.join(', ')}`)));
}

const listItems = (cell: string) =>
  cell
    .split(LIST_SEPARATOR)
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * Values separated by ";" (blanks dropped), each from `allowed` or accepted by `item`; none repeated. Empty is [];
 * `.required()` means at least one value.
 */
export function list<T extends string = string>(
  options: { allowed?: readonly T[]; item?: { test: (value: string) => boolean; describe: string }; max?: number },
): CsvColumn<T[]> {
  return CsvColumn.of((cell): CellResult<T[]> => {
    const items = listItems(cell);
    const { allowed, item } = options;
    const wrong = items.filter((v) => (allowed ? !(allowed as readonly string[]).includes(v) : item ? !item.test(v) : false));
    if (wrong.length) {
      const what = allowed ? `one of ${allowed.join(', ')}` : (item?.describe ?? 'allowed');
      return cellProblem(`has ${quoted(wrong)}, which ${wrong.length > 1 ? 'are' : 'is'} not ${what}`);
    }
    const repeated = items.find((v, i) => items.indexOf(v) !== i);
    if (repeated !== undefined) return cellProblem(`lists "${repeated}" twice`);
    if (options.max !== undefined && items.length > options.max) return cellProblem(`may list at most ${options.max} values`);
    return cellValue(items as T[]);
  }, [] as T[], (cell) => listItems(cell).length === 0);
}


const DECIMAL = /^-?\d+(\.\d+)?$/;
const INTEGER = /^-?\d+$/;

/**
 * A number written in digits (no exponent), within [min, max]; `integer` or at most `decimals` places.
 * `grouping` also accepts "1,250,000.50" (",", "_" and spaces between digits are dropped).
 */
export function number(options: { min: number; max: number; integer?: boolean; decimals?: number; grouping?: boolean }): CsvColumn<number | null> {
  return CsvColumn.of((cell) => {
    const digits = options.grouping ? cell.replace(/[,_\s]/g, '') : cell;
    if (!(options.integer ? INTEGER : DECIMAL).test(digits)) return cellProblem(options.integer ? `"${cell}" is not a whole number` : `"${cell}" is not a number`);
    if (options.decimals !== undefined && (digits.split('.')[1]?.length ?? 0) > options.decimals) return cellProblem(`may have at most ${options.decimals} decimal places`);
    const n = Number(digits);
    if (n < options.min || n > options.max) return cellProblem(`must be between ${options.min} and ${options.max}`);
    return cellValue(n);
  });
}

/** Whether a YYYY-MM-DD string names a real calendar day. */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** A calendar date YYYY-MM-DD, optionally within [min, max] (`max` may be computed per cell, e.g. today). */
export function date(options: { min?: string; max?: string | (() => string) } = {}): CsvColumn<string | null> {
  return CsvColumn.of((cell) => {
    if (!isCalendarDate(cell)) return cellProblem(`"${cell}" is not a date YYYY-MM-DD`);
    const max = typeof options.max === 'function' ? options.max() : options.max;
    if ((options.min !== undefined && cell < options.min) || (max !== undefined && cell > max)) {
      return cellProblem(`${cell} must be between ${options.min ?? 'any date'} and ${max ?? 'any date'}`);
    }
    return cellValue(cell);
  });
}

const BOOLEAN_CELLS: Readonly<Record<string, boolean>> = { true: true, false: false, '1': true, '0': false, yes: true, no: false, y: true, n: false, 是: true, 否: false };

/** true/false, 1/0, yes/no, y/n or 是/否 (any case). */
export function boolean(): CsvColumn<boolean | null> {
  return CsvColumn.of((cell) => {
    const v = cell.toLowerCase();
    return v in BOOLEAN_CELLS ? cellValue(BOOLEAN_CELLS[v]) : cellProblem(`"${cell}" is not true or false`);
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A UUID, lower-cased. */
export function uuid(): CsvColumn<string | null> {
  return CsvColumn.of((cell) => (UUID.test(cell) ? cellValue(cell.toLowerCase()) : cellProblem(`"${cell}" is not a UUID`)));
}

/** A column with its own conversion (a phone number, a check digit): `parse` gets the non-empty, trimmed cell. */
export function cell<T>(parse: (cell: string) => CellResult<T>): CsvColumn<T | null> {
  return CsvColumn.of(parse);
}
