import { ACTIVITY_LEVELS, CHANNELS, INCOME_BANDS, LIFECYCLE_STAGES, NEEDS, type Need } from '@relationship/contracts';
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
import { CN_MOBILE, EMAIL_PATTERN, normalisePhone } from '../domain/contact';
import { isValidCalendarDate, nationalIdProblem, normaliseNationalId } from '../domain/national-id';
import type { PortraitChanges } from '../domain/portrait';
import { RISK_ANSWERS, RISK_QUESTIONS, type RiskAnswer } from '../domain/risk-questionnaire';

/**
 * The customer CSV: UTF-8 (GBK accepted and reported), comma-delimited, a header row naming the columns (any
 * order). Lists inside a cell are separated by `;`. Empty cells mean "not known" (or the default).
 */
export const IMPORT_COLUMNS = [
  'displayName',
  'gender',
  'birthDate',
  'phone',
  'email',
  'nationalIdNumber',
  'city',
  'homeBranchId',
  'preferredLanguage',
  'preferredChannel',
  'aumCny',
  'incomeBand',
  'productsHeld',
  'activityLevel',
  'riskAnswers',
  'declaredNeeds',
  'needs',
  'interests',
  'tags',
  'lifecycleStage',
  'consentProfiling',
  'consentMarketing',
  'consentDataSharing',
  'householdId',
] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/** Columns the header must have. */
export const REQUIRED_COLUMNS: readonly ImportColumn[] = ['displayName', 'nationalIdNumber', 'phone', 'city', 'homeBranchId', 'aumCny'];

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

/** The export's columns, in order. */
export const EXPORT_COLUMNS = ['id', ...IMPORT_COLUMNS, 'userId', 'origin', 'ageBand', 'riskLevel', 'segment', 'derivedTags', 'derivedNeeds', 'assignedManagerId', 'version', 'createdAt', 'updatedAt'] as const;

export const LIST_SEPARATOR = ';';

export interface CellError {
  column: ImportColumn | null;
  message: string;
}

/** One valid data row, ready to become a portrait. */
export interface ImportRecord {
  displayName: string;
  nationalIdNumber: string;
  changes: PortraitChanges;
  /** Branch and tags to check against the catalogues (done once per file by the caller). */
  homeBranchId: string | null;
  tags: string[];
}

const splitList = (cell: string) =>
  cell
    .split(LIST_SEPARATOR)
    .map((s) => s.trim())
    .filter(Boolean);

const BOOLEAN_CELLS: Record<string, boolean> = { true: true, false: false, '1': true, '0': false, yes: true, no: false, y: true, n: false, 是: true, 否: false };

/**
 * Validates and converts one data row (cells by column name); every problem names its column.
 * Pure: catalogue checks (branch, tag) and duplicates across rows and with the database are the caller's.
 */
export function parseImportRow(cells: Partial<Record<ImportColumn, string>>): { record: ImportRecord | null; errors: CellError[] } {
  const errors: CellError[] = [];
  const fail = (column: ImportColumn, message: string) => errors.push({ column, message });
  const cell = (column: ImportColumn) => (cells[column] ?? '').trim();
  const changes: PortraitChanges = {};

  const displayName = cell('displayName');
  if (!displayName) fail('displayName', 'is required');
  else if (Array.from(displayName).length > NAME_MAX_LENGTH) fail('displayName', `must be at most ${NAME_MAX_LENGTH} characters`);

  const enumCell = <T extends string>(column: ImportColumn, values: readonly T[], apply: (v: T) => void) => {
    const v = cell(column);
    if (!v) return;
    if ((values as readonly string[]).includes(v)) apply(v as T);
    else fail(column, `"${v}" is not one of ${values.join(', ')}`);
  };
  const listCell = <T extends string>(column: ImportColumn, check: (v: string) => boolean, describe: string, max: number, apply: (v: T[]) => void) => {
    const values = splitList(cell(column));
    const bad = values.filter((v) => !check(v));
    if (bad.length) fail(column, `${bad.map((v) => `"${v}"`).join(', ')} ${bad.length > 1 ? 'are' : 'is'} not ${describe}`);
    else if (values.length > max) fail(column, `at most ${max} values`);
    else if (values.length) apply(values as T[]);
  };

  enumCell('gender', GENDERS, (v) => (changes.gender = v));
  const birthDate = cell('birthDate');
  if (birthDate) {
    if (!isValidCalendarDate(birthDate) || birthDate < '1900-01-01' || birthDate > new Date().toISOString().slice(0, 10)) {
      fail('birthDate', `"${birthDate}" is not a past date YYYY-MM-DD`);
    } else changes.birthDate = birthDate;
  }
  const phone = cell('phone');
  if (phone) {
    const normalised = normalisePhone(phone);
    if (!CN_MOBILE.test(normalised)) fail('phone', `"${phone}" is not a mainland China mobile number (11 digits starting with 1)`);
    else changes.phone = normalised;
  }
  const email = cell('email').toLowerCase();
  if (email) {
    if (email.length > 254 || !EMAIL_PATTERN.test(email)) fail('email', `"${email}" is not an email address`);
    else changes.email = email;
  }
  const nationalIdNumber = normaliseNationalId(cell('nationalIdNumber'));
  if (!nationalIdNumber) fail('nationalIdNumber', 'is required');
  else {
    const problem = nationalIdProblem(nationalIdNumber);
    if (problem) fail('nationalIdNumber', `"${nationalIdNumber}" ${problem}`);
    else changes.nationalIdNumber = nationalIdNumber;
  }
  const city = cell('city');
  if (city) {
    if (Array.from(city).length > CITY_MAX_LENGTH) fail('city', `must be at most ${CITY_MAX_LENGTH} characters`);
    else changes.city = city;
  }
  const branch = cell('homeBranchId');
  if (branch) {
    if (!CODE_PATTERN.test(branch)) fail('homeBranchId', `"${branch}" is not a branch code`);
    else changes.homeBranchId = branch;
  }
  enumCell('preferredLanguage', CUSTOMER_LANGUAGES, (v) => (changes.preferredLanguage = v));
  enumCell('preferredChannel', CHANNELS, (v) => (changes.preferredChannel = v));
  const aum = cell('aumCny').replace(/[,_\s]/g, '');
  if (aum) {
    if (!/^-?\d+(\.\d{1,2})?$/.test(aum)) fail('aumCny', `"${cell('aumCny')}" is not an amount (digits, at most 2 decimals)`);
    else if (Number(aum) < 0) fail('aumCny', `${aum} is negative`);
    else if (Number(aum) > AUM_MAX_CNY) fail('aumCny', `${aum} exceeds ${AUM_MAX_CNY} (100 billion CNY)`);
    else changes.aumCny = Number(aum);
  }
  enumCell('incomeBand', INCOME_BANDS, (v) => (changes.incomeBand = v));
  listCell('productsHeld', (v) => (PRODUCTS as readonly string[]).includes(v), `a product (${PRODUCTS.join(', ')})`, PRODUCTS.length, (v) => (changes.productsHeld = v as never));
  enumCell('activityLevel', ACTIVITY_LEVELS, (v) => (changes.activityLevel = v));
  const answers = cell('riskAnswers').toUpperCase().replace(/[\s;]/g, '');
  if (answers) {
    const letters = Array.from(answers);
    if (letters.length !== RISK_QUESTIONS.length || letters.some((a) => !(RISK_ANSWERS as readonly string[]).includes(a))) {
      fail('riskAnswers', `must be ${RISK_QUESTIONS.length} letters A–D, one per question (e.g. ABCDABCDAB)`);
    } else changes.riskAnswers = letters as RiskAnswer[];
  }
  const isNeed = (v: string) => (NEEDS as readonly string[]).includes(v);
  listCell<Need>('declaredNeeds', isNeed, 'a need', NEEDS.length, (v) => (changes.declaredNeeds = v));
  listCell<Need>('needs', isNeed, 'a need', NEEDS.length, (v) => (changes.staffNeeds = v));
  listCell('interests', (v) => INTEREST_PATTERN.test(v), 'an interest code (lowercase letters, digits, "_")', MAX_INTERESTS, (v) => (changes.interests = v));
  let tags: string[] = [];
  listCell('tags', (v) => TAG_CODE_PATTERN.test(v), 'a tag code', MAX_MANUAL_TAGS, (v) => (tags = changes.manualTags = v));
  enumCell('lifecycleStage', LIFECYCLE_STAGES, (v) => (changes.lifecycleStage = v));
  const consent: Record<string, boolean> = {};
  for (const [column, purpose] of [['consentProfiling', 'profiling'], ['consentMarketing', 'marketing'], ['consentDataSharing', 'data_sharing']] as const) {
    const v = cell(column).toLowerCase();
    if (!v) continue;
    if (v in BOOLEAN_CELLS) consent[purpose] = BOOLEAN_CELLS[v];
    else fail(column, `"${v}" is not true or false`);
  }
  if (Object.keys(consent).length) changes.consent = consent;
  const household = cell('householdId');
  if (household) {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(household)) fail('householdId', `"${household}" is not a UUID`);
    else changes.householdId = household.toLowerCase();
  }

  if (errors.length) return { record: null, errors };
  return { record: { displayName, nationalIdNumber, changes, homeBranchId: changes.homeBranchId ?? null, tags }, errors };
}
