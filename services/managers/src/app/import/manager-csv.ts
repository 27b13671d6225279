import type { ManagerAvailability } from '@relationship/contracts';
import {
  csvWriter,
  findRepeats,
  LIST_SEPARATOR,
  PROBLEM_VALUE_MAX,
  requireColumns,
  ruleColumn,
  validateRecord,
  type CsvCell,
  type CsvProblem,
  type CsvRecord,
} from '@relationship/csv';
import { leaveProblems, MANAGER_REQUIRED_ON_CREATE, MANAGER_RULES, normaliseEmail, PERFORMANCE_RULES } from '@relationship/domain-rules';
import type { ManagerFields } from '../registry/manager-rules';

const R = MANAGER_RULES;

/**
 * The managers CSV: one header row with these column names (any order, any case), comma-delimited, lists inside a
 * cell separated by ";" (as in the profiles CSV), dates as YYYY-MM-DD. The export writes exactly these columns, so an
 * exported file imports again. The cover manager is named by employee number, so files move between environments.
 * Each column follows the field's rule in MANAGER_RULES, and the required ones are those of POST /api/managers.
 */
export const MANAGER_CSV_COLUMNS = requireColumns(
  {
    employeeNo: ruleColumn(R.employeeNo),
    displayName: ruleColumn(R.displayName),
    // Also checked against the branch list by validateCsvRecord.
    branchId: ruleColumn(R.branchId),
    title: ruleColumn(R.title),
    level: ruleColumn(R.level),
    expertise: ruleColumn(R.expertise),
    certifications: ruleColumn(R.certifications),
    languages: ruleColumn(R.languages),
    segmentsServed: ruleColumn(R.segmentsServed),
    interests: ruleColumn(R.interests),
    capacity: ruleColumn(R.capacity),
    availability: ruleColumn(R.availability).orElse('active' as const),
    leaveFrom: ruleColumn(R.leaveFrom),
    leaveUntil: ruleColumn(R.leaveUntil),
    coverEmployeeNo: ruleColumn(R.employeeNo),
    satisfaction: ruleColumn(PERFORMANCE_RULES.satisfaction),
    retention: ruleColumn(PERFORMANCE_RULES.retention),
    aumGrowth: ruleColumn(PERFORMANCE_RULES.aumGrowth),
    email: ruleColumn(R.email),
    phone: ruleColumn(R.phone),
    userId: ruleColumn(R.userId),
  },
  MANAGER_REQUIRED_ON_CREATE,
);
export type CsvColumn = keyof typeof MANAGER_CSV_COLUMNS;
export const CSV_COLUMNS = Object.keys(MANAGER_CSV_COLUMNS) as CsvColumn[];

/** Most errors a report lists; the count says how many there were in all. */
export const MAX_REPORTED_ERRORS = 10_000;

/** A row that passed its own checks; the cover manager is still a reference by employee number. */
export interface CsvManagerRow {
  row: number;
  fields: Omit<ManagerFields, 'coverManagerId'> & { coverEmployeeNo: string | null };
}

/**
 * Checks one record on its own: its cells against the columns, then the branch and the leave rules. Returns the
 * row's fields, or the problems, each naming the row and the column.
 */
export function validateCsvRecord(record: CsvRecord, knownBranches: ReadonlySet<string>): { row: CsvManagerRow | null; problems: CsvProblem[] } {
  const { values, problems } = validateRecord(MANAGER_CSV_COLUMNS, record);
  const problem = (column: string, message: string) =>
    problems.push({ row: record.row, column, value: (record.cells[column] ?? '').slice(0, PROBLEM_VALUE_MAX), message });
  const branchId = record.cells['branchId'];
  if (branchId && !knownBranches.has(branchId)) problem('branchId', `branchId "${branchId}" is not a known branch`);
  if (values) {
    const leave = { availability: values.availability, leaveFrom: values.leaveFrom, leaveUntil: values.leaveUntil, coverManagerId: values.coverEmployeeNo };
    for (const p of leaveProblems(leave, values.employeeNo, { coverManagerId: 'coverEmployeeNo' })) problem(p.field, p.message);
  }
  if (!values || problems.length) return { row: null, problems };
  const { satisfaction, retention, aumGrowth, email, userId, ...fields } = values;
  return { row: { row: record.row, fields: { ...fields, userId, email: normaliseEmail(email), performance: { satisfaction, retention, aumGrowth } } }, problems };
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
    problems.push({ row: r.row, column, value: value.slice(0, PROBLEM_VALUE_MAX), message });
    failed.add(r.row);
  };
  const unique = (column: 'employeeNo' | 'email' | 'userId', valueOf: (r: CsvManagerRow) => string | null, inDb: ReadonlySet<string>) => {
    for (const { item: r, firstRow } of findRepeats(rows, (r) => r.row, valueOf)) {
      const value = valueOf(r) as string;
      fail(r, column, value, `${column} ${value} duplicates row ${firstRow}`);
    }
    for (const r of rows) {
      const value = valueOf(r);
      if (value !== null && inDb.has(value)) fail(r, column, value, `${column} ${value} is already in the registry`);
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

/** What the export reads of a manager (the entity, or the demo seed's fields): a value per column, lists as arrays. */
export type ExportableManager = { readonly [K in CsvColumn]?: string | number | readonly string[] | null };

/** The export: UTF-8 with BOM (Excel), CRLF, formula-safe cells; numbers stay numbers (a negative aumGrowth too). */
export const managerCsvWriter = csvWriter(CSV_COLUMNS);

/** One export row: every column of the import, lists joined with ";"; `also` supplies columns the manager lacks. */
export function managerCsvRecord(manager: ExportableManager, also: ExportableManager = {}): Record<CsvColumn, CsvCell> {
  const cells = CSV_COLUMNS.map((column) => {
    const value = column in also ? also[column] : manager[column];
    return [column, Array.isArray(value) ? value.join(LIST_SEPARATOR) : value] as const;
  });
  return Object.fromEntries(cells) as Record<CsvColumn, CsvCell>;
}
