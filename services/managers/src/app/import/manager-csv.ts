import {
  CERTIFICATIONS,
  LANGUAGES,
  MANAGER_AVAILABILITY,
  MANAGER_TITLES,
  NEEDS,
  SEGMENTS,
  type ManagerAvailability,
  type ManagerTitle,
} from '@relationship/contracts';
import { CsvError, parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { CODE_PATTERN, isCalendarDate, leaveProblems, LIMITS, normalizeEmail, PHONE_PATTERN, type ManagerFields } from '../registry/manager-rules';

/**
 * The managers CSV: one header row with these column names (any order, case-insensitive), comma-delimited, lists
 * inside a cell separated by ";" (as in the profiles CSV), dates as YYYY-MM-DD. The export writes exactly these columns, so an exported file
 * imports again. The cover manager is named by employee number, so files move between environments.
 */
export const CSV_COLUMNS = [
  'employeeNo',
  'displayName',
  'branchId',
  'title',
  'level',
  'expertise',
  'certifications',
  'languages',
  'segmentsServed',
  'interests',
  'capacity',
  'availability',
  'leaveFrom',
  'leaveUntil',
  'coverEmployeeNo',
  'satisfaction',
  'retention',
  'aumGrowth',
  'email',
  'phone',
  'userId',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

export const REQUIRED_COLUMNS: readonly CsvColumn[] = ['employeeNo', 'displayName', 'branchId', 'title', 'level', 'languages', 'segmentsServed', 'capacity'];

export const LIST_SEPARATOR = ';';
export const DELIMITER = ',';
/** Most errors a report lists; the count says how many there were in all. */
export const MAX_REPORTED_ERRORS = 10_000;

/** One problem: the row as a spreadsheet numbers it (header = 1; null for the file as a whole) and the column. */
export interface CsvProblem {
  row: number | null;
  column: string | null;
  value?: string;
  message: string;
}

/** A row that passed its own checks; the cover manager is still a reference by employee number. */
export interface CsvManagerRow {
  row: number;
  fields: Omit<ManagerFields, 'coverManagerId'> & { coverEmployeeNo: string | null };
}

export interface ParsedCsv {
  /** Header problems (wrong delimiter, missing or unknown columns) or a broken CSV structure: nothing can be read. */
  fileProblems: CsvProblem[];
  columns: CsvColumn[];
  records: { row: number; values: Partial<Record<CsvColumn, string>> }[];
  rowProblems: CsvProblem[];
}

const CANDIDATE_DELIMITERS = [';', '\t', '|'];
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

const EXCEL_GUARD = /^'(?=[=+\-@])/;

/** Reads the header and the records; checks the delimiter, the columns and the field counts. */
export function parseManagerCsv(text: string): ParsedCsv {
  const result: ParsedCsv = { fileProblems: [], columns: [], records: [], rowProblems: [] };
  const body = text.replace(/^\uFEFF/, '');
  const firstLine = body.split(/\r?\n/, 1)[0] ?? '';
  if (!firstLine.trim()) {
    result.fileProblems.push({ row: 1, column: null, message: 'the file is empty or its first line is blank; the first line must be the header' });
    return result;
  }
  if (countOutsideQuotes(firstLine, DELIMITER) === 0) {
    const used = CANDIDATE_DELIMITERS.find((d) => countOutsideQuotes(firstLine, d) > 0);
    if (used) {
      result.fileProblems.push({
        row: 1,
        column: null,
        message: `wrong delimiter: the file uses ${delimiterName(used)} between columns; use "," (comma)`,
      });
      return result;
    }
  }

  let raw: { info: { lines: number }; record: string[] }[];
  try {
    raw = parse(body, {
      delimiter: DELIMITER,
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as { info: { lines: number }; record: string[] }[];
  } catch (error) {
    const e = error as CsvError & { lines?: number };
    result.fileProblems.push({ row: typeof e.lines === 'number' ? e.lines : null, column: null, message: `the file is not valid CSV: ${e.message}` });
    return result;
  }
  const [header, ...rows] = raw;
  if (!header) {
    result.fileProblems.push({ row: 1, column: null, message: 'the file has no header row' });
    return result;
  }

  const byLowerName = new Map(CSV_COLUMNS.map((c) => [c.toLowerCase(), c]));
  const seen = new Set<CsvColumn>();
  const columns: (CsvColumn | null)[] = header.record.map((name) => {
    const clean = name.trim();
    const column = byLowerName.get(clean.toLowerCase());
    if (!column) {
      result.fileProblems.push({ row: 1, column: clean || null, message: `unknown column "${clean}"; the columns are ${CSV_COLUMNS.join(', ')}` });
      return null;
    }
    if (seen.has(column)) result.fileProblems.push({ row: 1, column, message: `column ${column} appears twice` });
    seen.add(column);
    return column;
  });
  for (const required of REQUIRED_COLUMNS) {
    if (!seen.has(required)) result.fileProblems.push({ row: 1, column: required, message: `missing column ${required}` });
  }
  result.columns = columns.filter((c): c is CsvColumn => c !== null);
  if (result.fileProblems.length) return result;

  for (const { info, record } of rows) {
    // Spreadsheets leave rows of empty cells behind; they are not data.
    if (record.every((v) => !v.trim())) continue;
    if (record.length !== columns.length) {
      result.rowProblems.push({ row: info.lines, column: null, message: `the row has ${record.length} fields, the header has ${columns.length}` });
      continue;
    }
    const values: Partial<Record<CsvColumn, string>> = {};
    columns.forEach((column, i) => {
      if (column) values[column] = record[i].trim().replace(EXCEL_GUARD, '');
    });
    result.records.push({ row: info.lines, values });
  }
  return result;
}

const emailSyntax = z.regexes.email;
const uuidSyntax = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const NUMBER = /^-?\d+(\.\d+)?$/;
const INTEGER = /^-?\d+$/;

/**
 * Checks one record on its own (formats, ranges, vocabulary codes, known branch, leave rules). Returns the row's
 * fields, or the problems, each naming the row and the column.
 */
export function validateCsvRecord(
  row: number,
  values: Partial<Record<CsvColumn, string>>,
  knownBranches: ReadonlySet<string>,
): { row: CsvManagerRow | null; problems: CsvProblem[] } {
  const problems: CsvProblem[] = [];
  const problem = (column: CsvColumn, message: string) =>
    problems.push({ row, column, value: (values[column] ?? '').slice(0, 100), message: `${column} ${message}` });
  const text = (column: CsvColumn): string | null => {
    const value = values[column];
    return value === undefined || value === '' ? null : value;
  };
  const required = (column: CsvColumn): string | null => {
    const value = text(column);
    if (value === null) problem(column, 'is required');
    return value;
  };
  const maxLength = (column: CsvColumn, value: string | null, max: number): string | null => {
    if (value !== null && value.length > max) {
      problem(column, `must be at most ${max} characters`);
      return null;
    }
    return value;
  };
  const code = (column: CsvColumn, value: string | null, max: number): string | null => {
    if (value === null || maxLength(column, value, max) === null) return null;
    if (!CODE_PATTERN.test(value)) {
      problem(column, 'may contain only letters, digits, "_" and "-"');
      return null;
    }
    return value;
  };
  const oneOf = <T extends string>(column: CsvColumn, value: string | null, allowed: readonly T[]): T | null => {
    if (value === null) return null;
    if (!(allowed as readonly string[]).includes(value)) {
      problem(column, `must be one of ${allowed.join(', ')}`);
      return null;
    }
    return value as T;
  };
  const list = <T extends string>(column: CsvColumn, allowed: readonly T[] | null, opts: { min?: number; max: number }): T[] => {
    const value = text(column);
    const items = value === null ? [] : value.split(LIST_SEPARATOR).map((s) => s.trim()).filter(Boolean);
    if (items.length < (opts.min ?? 0)) problem(column, `needs at least ${opts.min} value${opts.min === 1 ? '' : 's'} (separate several with "${LIST_SEPARATOR}")`);
    if (items.length > opts.max) problem(column, `may list at most ${opts.max} values`);
    const duplicate = items.find((item, i) => items.indexOf(item) !== i);
    if (duplicate) problem(column, `lists ${duplicate} twice`);
    const wrong = allowed
      ? items.filter((i) => !(allowed as readonly string[]).includes(i))
      : items.filter((i) => i.length > LIMITS.interest || !CODE_PATTERN.test(i));
    if (wrong.length) {
      problem(column, allowed ? `has unknown value${wrong.length > 1 ? 's' : ''} ${wrong.join(', ')}; allowed: ${allowed.join(', ')}` : `has invalid code${wrong.length > 1 ? 's' : ''} ${wrong.join(', ')} (letters, digits, "_" and "-", at most ${LIMITS.interest})`);
    }
    return items as T[];
  };
  const number = (column: CsvColumn, opts: { min: number; max: number; integer?: boolean; decimals?: number }): number | null => {
    const value = text(column);
    if (value === null) return null;
    if (!(opts.integer ? INTEGER : NUMBER).test(value)) {
      problem(column, opts.integer ? 'must be a whole number' : 'must be a number');
      return null;
    }
    const n = Number(value);
    if (n < opts.min || n > opts.max) {
      problem(column, `must be between ${opts.min} and ${opts.max}`);
      return null;
    }
    if (opts.decimals !== undefined && (value.split('.')[1]?.length ?? 0) > opts.decimals) {
      problem(column, `may have at most ${opts.decimals} decimal places`);
      return null;
    }
    return n;
  };
  const date = (column: CsvColumn): string | null => {
    const value = text(column);
    if (value !== null && !isCalendarDate(value)) {
      problem(column, 'must be a date (YYYY-MM-DD)');
      return null;
    }
    return value;
  };

  const employeeNo = code('employeeNo', required('employeeNo'), LIMITS.employeeNo);
  const displayName = maxLength('displayName', required('displayName'), LIMITS.displayName);
  const branchRaw = required('branchId');
  let branchId: string | null = null;
  if (branchRaw !== null) {
    if (!knownBranches.has(branchRaw)) problem('branchId', `"${branchRaw}" is not a known branch`);
    else branchId = branchRaw;
  }
  const title = oneOf<ManagerTitle>('title', required('title'), MANAGER_TITLES);
  const levelText = required('level');
  const level = levelText === null ? null : number('level', { min: 1, max: 10, integer: true });
  const expertise = list('expertise', NEEDS, { max: NEEDS.length });
  const certifications = list('certifications', CERTIFICATIONS, { max: CERTIFICATIONS.length });
  const languages = list('languages', LANGUAGES, { min: 1, max: LANGUAGES.length });
  const segmentsServed = list('segmentsServed', SEGMENTS, { min: 1, max: SEGMENTS.length });
  const interests = list('interests', null, { max: LIMITS.interests });
  const capacityText = required('capacity');
  const capacity = capacityText === null ? null : number('capacity', { min: 0, max: LIMITS.capacity, integer: true });
  const availability = oneOf<ManagerAvailability>('availability', text('availability'), MANAGER_AVAILABILITY) ?? (text('availability') === null ? 'active' : null);
  const leaveFrom = date('leaveFrom');
  const leaveUntil = date('leaveUntil');
  const coverEmployeeNo = code('coverEmployeeNo', text('coverEmployeeNo'), LIMITS.employeeNo);
  const satisfaction = number('satisfaction', { min: 0, max: 5, decimals: 2 });
  const retention = number('retention', { min: 0, max: 1, decimals: 3 });
  const aumGrowth = number('aumGrowth', { min: -1, max: 10, decimals: 3 });
  let email = maxLength('email', text('email'), LIMITS.email);
  if (email !== null && !emailSyntax.test(email.toLowerCase())) {
    problem('email', 'must be an email address');
    email = null;
  }
  let phone = maxLength('phone', text('phone'), LIMITS.phone);
  if (phone !== null && !PHONE_PATTERN.test(phone)) {
    problem('phone', 'must be a phone number (digits, spaces, "-", optional leading "+")');
    phone = null;
  }
  let userId = text('userId');
  if (userId !== null && !uuidSyntax.test(userId)) {
    problem('userId', 'must be a UUID');
    userId = null;
  }
  if (availability) {
    const leave = leaveProblems(
      { availability, leaveFrom, leaveUntil, coverManagerId: coverEmployeeNo },
      employeeNo,
      { coverManagerId: 'coverEmployeeNo' },
    );
    for (const p of leave) {
      problems.push({ row, column: p.field, value: (values[p.field as CsvColumn] ?? '').slice(0, 100), message: p.message });
    }
  }

  if (problems.length) return { row: null, problems };
  return {
    row: {
      row,
      fields: {
        userId: userId?.toLowerCase() ?? null,
        employeeNo: employeeNo as string,
        displayName: displayName as string,
        branchId: branchId as string,
        title: title as ManagerTitle,
        level: level as number,
        expertise,
        certifications,
        languages,
        segmentsServed,
        interests,
        capacity: capacity as number,
        availability: availability as ManagerAvailability,
        leaveFrom,
        leaveUntil,
        coverEmployeeNo,
        performance: { satisfaction, retention, aumGrowth },
        email: normalizeEmail(email),
        phone,
      },
    },
    problems,
  };
}

/** What the database already holds, for the checks across rows. */
export interface ExistingManagers {
  employeeNos: ReadonlySet<string>;
  emails: ReadonlySet<string>;
  userIds: ReadonlySet<string>;
  /** Managers a row may name as its cover, by employee number. */
  byEmployeeNo: ReadonlyMap<string, { id: string; availability: ManagerAvailability }>;
}

/**
 * Checks across rows and against the database: employee numbers, emails and user ids must be unique in the file and
 * new to the registry; a cover manager must be another active manager, in the registry or in a valid row of the file.
 * Returns the rows that pass and the problems of the others.
 */
export function crossCheckRows(rows: CsvManagerRow[], existing: ExistingManagers): { valid: CsvManagerRow[]; problems: CsvProblem[] } {
  const problems: CsvProblem[] = [];
  const failed = new Set<number>();
  const fail = (r: CsvManagerRow, column: CsvColumn, value: string, message: string) => {
    problems.push({ row: r.row, column, value: value.slice(0, 100), message });
    failed.add(r.row);
  };
  const unique = (column: 'employeeNo' | 'email' | 'userId', valueOf: (r: CsvManagerRow) => string | null, inDb: ReadonlySet<string>) => {
    const firstRow = new Map<string, number>();
    for (const r of rows) {
      const value = valueOf(r);
      if (value === null) continue;
      const first = firstRow.get(value);
      if (first !== undefined) fail(r, column, value, `${column} ${value} duplicates row ${first}`);
      else firstRow.set(value, r.row);
      if (inDb.has(value)) fail(r, column, value, `${column} ${value} is already in the registry`);
    }
  };
  unique('employeeNo', (r) => r.fields.employeeNo, existing.employeeNos);
  unique('email', (r) => r.fields.email, existing.emails);
  unique('userId', (r) => r.fields.userId, existing.userIds);

  // Covers: resolved after the uniqueness checks, so a cover row that failed is not a valid cover. Covering rows
  // may refer to each other only through valid rows; a few passes settle chains.
  const rowByEmployeeNo = new Map<string, CsvManagerRow>();
  for (const r of rows) if (!rowByEmployeeNo.has(r.fields.employeeNo)) rowByEmployeeNo.set(r.fields.employeeNo, r);
  let changed = true;
  while (changed) {
    changed = false;
    for (const r of rows) {
      const cover = r.fields.coverEmployeeNo;
      if (cover === null || failed.has(r.row)) continue;
      const inFile = rowByEmployeeNo.get(cover);
      const inDb = existing.byEmployeeNo.get(cover);
      let message: string | null = null;
      // A registry manager wins: a file row with the same number is a duplicate and has failed anyway.
      if (inDb) {
        if (inDb.availability !== 'active') message = `coverEmployeeNo ${cover} is ${inDb.availability}; a cover must be active`;
      } else if (inFile) {
        if (failed.has(inFile.row)) message = `coverEmployeeNo ${cover} is row ${inFile.row}, which has errors`;
        else if (inFile.fields.availability !== 'active') message = `coverEmployeeNo ${cover} is ${inFile.fields.availability} in row ${inFile.row}; a cover must be active`;
      } else {
        message = `coverEmployeeNo ${cover} is neither in the registry nor in this file`;
      }
      if (message) {
        fail(r, 'coverEmployeeNo', cover, message);
        changed = true;
      }
    }
  }
  return { valid: rows.filter((r) => !failed.has(r.row)), problems };
}

/** Excel runs cells starting with these as formulas; the export prefixes such text with ' (the import drops it). */
function guard(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return /^[=+\-@]/.test(value) ? `'${value}` : value;
}

export interface ExportableManager {
  employeeNo: string;
  displayName: string;
  branchId: string;
  title: string;
  level: number;
  expertise: readonly string[];
  certifications: readonly string[];
  languages: readonly string[];
  segmentsServed: readonly string[];
  interests: readonly string[];
  capacity: number;
  availability: string;
  leaveFrom: string | null;
  leaveUntil: string | null;
  coverEmployeeNo: string | null;
  satisfaction: number | null;
  retention: number | null;
  aumGrowth: number | null;
  email: string | null;
  phone: string | null;
  userId: string | null;
}

/** The CSV header line (UTF-8 BOM first, so Excel opens the file as UTF-8). */
export function csvHeader(): string {
  return `\uFEFF${stringify([[...CSV_COLUMNS]], { delimiter: DELIMITER, record_delimiter: '\r\n' })}`;
}

export function csvRows(managers: ExportableManager[]): string {
  const num = (n: number | null) => (n === null ? '' : String(n));
  return stringify(
    managers.map((m) => [
      m.employeeNo,
      guard(m.displayName),
      m.branchId,
      m.title,
      String(m.level),
      m.expertise.join(LIST_SEPARATOR),
      m.certifications.join(LIST_SEPARATOR),
      m.languages.join(LIST_SEPARATOR),
      m.segmentsServed.join(LIST_SEPARATOR),
      m.interests.join(LIST_SEPARATOR),
      String(m.capacity),
      m.availability,
      m.leaveFrom ?? '',
      m.leaveUntil ?? '',
      m.coverEmployeeNo ?? '',
      num(m.satisfaction),
      num(m.retention),
      num(m.aumGrowth),
      guard(m.email),
      guard(m.phone),
      m.userId ?? '',
    ]),
    { delimiter: DELIMITER, record_delimiter: '\r\n' },
  );
}
