import { ACTIVITY_LEVELS, CHANNELS, INCOME_BANDS, LIFECYCLE_STAGES, NEEDS } from '@relationship/contracts';
import { boolean, cell, cellProblem, cellValue, date, headerRequiredColumns, list, number, oneOf, text, uuid, validateRecord, type CsvProblem, type CsvRecord } from '@relationship/csv';
import {
  AUM_MAX_CNY,
  CITY_MAX_LENGTH,
  CODE_PATTERN,
  CUSTOMER_LANGUAGES,
  GENDERS,
  INTEREST_PATTERN,
  MAX_INTERESTS,
  MAX_MANUAL_TAGS,
  NAME_MAX_LENGTH,
  PRODUCTS,
  TAG_CODE_PATTERN,
} from '../domain/catalogue';
import { isEmail, isCnMobile, normalisePhone } from '../domain/contact';
import { nationalIdProblem, normaliseNationalId } from '../domain/national-id';
import type { PortraitChanges } from '../domain/portrait';
import { RISK_ANSWERS, RISK_QUESTIONS, type RiskAnswer } from '../domain/risk-questionnaire';

const today = () => new Date().toISOString().slice(0, 10);

/**
 * The customer CSV: UTF-8 (GBK accepted and reported), comma-delimited, a header row naming the columns (any
 * order). Lists inside a cell are separated by `;`. Empty cells mean "not known" (or the default). The header must
 * have displayName, nationalIdNumber, phone, city, homeBranchId and aumCny; only the first two need a value.
 */
export const PORTRAIT_CSV_COLUMNS = {
  displayName: text({ maxLength: NAME_MAX_LENGTH }).required(),
  gender: oneOf(GENDERS),
  birthDate: date({ min: '1900-01-01', max: today }),
  phone: cell((v) => (isCnMobile(v) ? cellValue(normalisePhone(v)) : cellProblem(`"${v}" is not a mainland China mobile number (11 digits starting with 1)`))).inHeader(),
  email: cell((v) => (isEmail(v.toLowerCase()) ? cellValue(v.toLowerCase()) : cellProblem(`"${v}" is not an email address`))),
  nationalIdNumber: cell((v) => {
    const id = normaliseNationalId(v);
    const problem = nationalIdProblem(id);
    return problem ? cellProblem(`"${id}" ${problem}`) : cellValue(id);
  }).required(),
  city: text({ maxLength: CITY_MAX_LENGTH }).inHeader(),
  homeBranchId: text({ pattern: CODE_PATTERN, patternMessage: 'is not a branch code (letters, digits, "_" and "-")' }).inHeader(),
  preferredLanguage: oneOf(CUSTOMER_LANGUAGES),
  preferredChannel: oneOf(CHANNELS),
  aumCny: number({ min: 0, max: AUM_MAX_CNY, decimals: 2, grouping: true }).inHeader(),
  incomeBand: oneOf(INCOME_BANDS),
  productsHeld: list({ allowed: PRODUCTS }),
  activityLevel: oneOf(ACTIVITY_LEVELS),
  riskAnswers: cell((v) => {
    const letters = Array.from(v.toUpperCase().replace(/[\s;]/g, ''));
    const valid = letters.length === RISK_QUESTIONS.length && letters.every((a) => (RISK_ANSWERS as readonly string[]).includes(a));
    return valid ? cellValue(letters as RiskAnswer[]) : cellProblem(`must be ${RISK_QUESTIONS.length} letters A–D, one per question (e.g. ABCDABCDAB)`);
  }),
  declaredNeeds: list({ allowed: NEEDS }),
  needs: list({ allowed: NEEDS }),
  interests: list({ item: { test: (v) => INTEREST_PATTERN.test(v), describe: 'an interest code (lowercase letters, digits, "_")' }, max: MAX_INTERESTS }),
  tags: list({ item: { test: (v) => TAG_CODE_PATTERN.test(v), describe: 'a tag code' }, max: MAX_MANUAL_TAGS }),
  lifecycleStage: oneOf(LIFECYCLE_STAGES),
  consentProfiling: boolean(),
  consentMarketing: boolean(),
  consentDataSharing: boolean(),
  householdId: uuid(),
};
export type ImportColumn = keyof typeof PORTRAIT_CSV_COLUMNS;
export const IMPORT_COLUMNS = Object.keys(PORTRAIT_CSV_COLUMNS) as ImportColumn[];
/** Columns the header must have. */
export const REQUIRED_COLUMNS = headerRequiredColumns(PORTRAIT_CSV_COLUMNS);

/** Columns only an export has (derived or system-owned): accepted in a header and ignored, so an export re-imports. */
export const EXPORT_ONLY_COLUMNS = [
  'id',
  'userId',
  'origin',
  'ageBand',
  'riskLevel',
  'segment',
  'derivedTags',
  'derivedNeeds',
  'assignedManagerId',
  'version',
  'createdAt',
  'updatedAt',
] as const;

export type ExportColumn = ImportColumn | (typeof EXPORT_ONLY_COLUMNS)[number];
/** The export's columns, in order: the id, what an import reads, then the derived and system-owned columns. */
export const EXPORT_COLUMNS: ExportColumn[] = ['id', ...IMPORT_COLUMNS, ...EXPORT_ONLY_COLUMNS.filter((c) => c !== 'id')];

/** One valid data row, ready to become a portrait. */
export interface ImportRecord {
  displayName: string;
  nationalIdNumber: string;
  changes: PortraitChanges;
  /** Branch and tags to check against the catalogues (done once per file by the caller). */
  homeBranchId: string | null;
  tags: string[];
}

/** Columns that set the portrait field of the same name (or the one named) when the cell holds something. */
const CHANGED_FIELDS = {
  gender: 'gender',
  birthDate: 'birthDate',
  phone: 'phone',
  email: 'email',
  nationalIdNumber: 'nationalIdNumber',
  city: 'city',
  homeBranchId: 'homeBranchId',
  preferredLanguage: 'preferredLanguage',
  preferredChannel: 'preferredChannel',
  aumCny: 'aumCny',
  incomeBand: 'incomeBand',
  productsHeld: 'productsHeld',
  activityLevel: 'activityLevel',
  riskAnswers: 'riskAnswers',
  declaredNeeds: 'declaredNeeds',
  needs: 'staffNeeds',
  interests: 'interests',
  tags: 'manualTags',
  lifecycleStage: 'lifecycleStage',
  householdId: 'householdId',
} as const satisfies Partial<Record<ImportColumn, keyof PortraitChanges>>;

/**
 * Validates and converts one data row; every problem names its row and column. Pure: catalogue checks (branch,
 * tag) and duplicates across rows and with the database are the caller's.
 */
export function parseImportRow(record: CsvRecord): { record: ImportRecord | null; problems: CsvProblem[] } {
  const { values, problems } = validateRecord(PORTRAIT_CSV_COLUMNS, record);
  if (!values) return { record: null, problems };
  const changes: Record<string, unknown> = {};
  for (const [column, field] of Object.entries(CHANGED_FIELDS)) {
    const value = values[column as ImportColumn];
    if (value !== null && !(Array.isArray(value) && !value.length)) changes[field] = value;
  }
  const consent: Record<string, boolean> = {};
  for (const [column, purpose] of [['consentProfiling', 'profiling'], ['consentMarketing', 'marketing'], ['consentDataSharing', 'data_sharing']] as const) {
    if (values[column] !== null) consent[purpose] = values[column];
  }
  if (Object.keys(consent).length) changes['consent'] = consent;
  return {
    record: { displayName: values.displayName, nationalIdNumber: values.nationalIdNumber, changes: changes as PortraitChanges, homeBranchId: values.homeBranchId, tags: values.tags },
    problems,
  };
}
