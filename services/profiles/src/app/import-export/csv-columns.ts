import { headerRequiredColumns, requireColumns, ruleColumn, validateRecord, type CsvProblem, type CsvRecord } from '@relationship/csv';
import { CONSENT_RULES, PORTRAIT_REQUIRED_ON_IMPORT, PORTRAIT_RULES } from '@relationship/domain-rules';
import type { PortraitChanges } from '../domain/portrait';

const R = PORTRAIT_RULES;

/**
 * The customer CSV: UTF-8 (GBK accepted and reported), comma-delimited, a header row naming the columns (any
 * order). Lists inside a cell are separated by `;`; risk answers are one letter per question ("ABCDABCDAB"). Empty
 * cells mean "not known" (or the default). Each column follows the field's rule in PORTRAIT_RULES, the same as
 * POST /profiles; a row needs the values PORTRAIT_REQUIRED_ON_IMPORT names (displayName, nationalIdNumber). The
 * header must also have phone, city, homeBranchId and aumCny (cells may be empty): a file without them is
 * almost always a wrong export, not a file of customers without phones.
 */
export const PORTRAIT_CSV_COLUMNS = requireColumns(
  {
    displayName: ruleColumn(R.displayName),
    gender: ruleColumn(R.gender),
    birthDate: ruleColumn(R.birthDate),
    phone: ruleColumn(R.phone).inHeader(),
    email: ruleColumn(R.email),
    nationalIdNumber: ruleColumn(R.nationalIdNumber),
    city: ruleColumn(R.city).inHeader(),
    homeBranchId: ruleColumn(R.homeBranchId).inHeader(),
    preferredLanguage: ruleColumn(R.preferredLanguage),
    preferredChannel: ruleColumn(R.preferredChannel),
    aumCny: ruleColumn(R.aumCny, { grouping: true }).inHeader(),
    incomeBand: ruleColumn(R.incomeBand),
    productsHeld: ruleColumn(R.productsHeld),
    activityLevel: ruleColumn(R.activityLevel),
    riskAnswers: ruleColumn(R.riskAnswers, { toValue: (cell) => Array.from(cell.toUpperCase().replace(/[\s;]/g, '')) }),
    declaredNeeds: ruleColumn(R.declaredNeeds),
    needs: ruleColumn(R.needs),
    interests: ruleColumn(R.interests),
    tags: ruleColumn(R.tags),
    lifecycleStage: ruleColumn(R.lifecycleStage),
    consentProfiling: ruleColumn(CONSENT_RULES.profiling),
    consentMarketing: ruleColumn(CONSENT_RULES.marketing),
    consentDataSharing: ruleColumn(CONSENT_RULES.data_sharing),
    householdId: ruleColumn(R.householdId),
  },
  PORTRAIT_REQUIRED_ON_IMPORT,
);
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
