import { CERTIFICATIONS, LANGUAGES, MANAGER_AVAILABILITY, MANAGER_TITLES, NEEDS, SEGMENTS, type ManagerAvailability } from '@relationship/contracts';
import { EMAIL_PATTERN, PHONE_PATTERN } from './contact';
import { CODE_PATTERN, dateRule, listRule, numberRule, oneOfRule, textRule, uuidRule, type FieldProblem } from './field-rule';

/** The relationship manager's input fields: what an admin, the CSV import and the demo seed may write. */
export const MANAGER_LIMITS = {
  employeeNo: 64,
  displayName: 100,
  branchId: 16,
  interest: 64,
  interests: 50,
  email: 254,
  phone: 32,
  reason: 500,
  capacity: 100_000,
} as const;

const CODE_MESSAGE = 'may contain only letters, digits, "_" and "-"';
const DATE_MESSAGE = 'must be a date (YYYY-MM-DD)';

export const MANAGER_RULES = {
  employeeNo: textRule({ maxLength: MANAGER_LIMITS.employeeNo, pattern: CODE_PATTERN, normalise: 'trim', message: CODE_MESSAGE }),
  displayName: textRule({ minLength: 1, maxLength: MANAGER_LIMITS.displayName, normalise: 'trim' }),
  /** A code from the branch list (checked against it by the service). */
  branchId: textRule({ maxLength: MANAGER_LIMITS.branchId, pattern: CODE_PATTERN, normalise: 'trim', message: 'must be a branch code such as SH-PD-001' }),
  title: oneOfRule(MANAGER_TITLES),
  level: numberRule({ min: 1, max: 10, integer: true }),
  expertise: listRule({ values: NEEDS, maxItems: NEEDS.length }),
  certifications: listRule({ values: CERTIFICATIONS, maxItems: CERTIFICATIONS.length }),
  languages: listRule({ values: LANGUAGES, minItems: 1, maxItems: LANGUAGES.length }),
  segmentsServed: listRule({ values: SEGMENTS, minItems: 1, maxItems: SEGMENTS.length }),
  interests: listRule({
    itemPattern: CODE_PATTERN,
    itemMaxLength: MANAGER_LIMITS.interest,
    itemMessage: `a code (letters, digits, "_" and "-", at most ${MANAGER_LIMITS.interest})`,
    maxItems: MANAGER_LIMITS.interests,
  }),
  capacity: numberRule({ min: 0, max: MANAGER_LIMITS.capacity, integer: true }),
  availability: oneOfRule(MANAGER_AVAILABILITY),
  leaveFrom: dateRule({ nullable: true, message: DATE_MESSAGE }),
  leaveUntil: dateRule({ nullable: true, message: DATE_MESSAGE }),
  /** Another active manager (checked by the service). */
  coverManagerId: uuidRule({ nullable: true }),
  /** The manager's login account; normally linked from UserRegistered. */
  userId: uuidRule({ nullable: true }),
  email: textRule({ maxLength: MANAGER_LIMITS.email, pattern: EMAIL_PATTERN, normalise: 'trim-lowercase', nullable: true, message: 'must be an email address' }),
  phone: textRule({
    maxLength: MANAGER_LIMITS.phone,
    pattern: PHONE_PATTERN,
    normalise: 'trim',
    nullable: true,
    message: 'must be a phone number (digits, spaces, "-", optional leading "+")',
  }),
} as const;
export type ManagerRuleField = keyof typeof MANAGER_RULES;

/** The performance figures, each optional and nullable. */
export const PERFORMANCE_RULES = {
  /** Customer satisfaction, 0–5. */
  satisfaction: numberRule({ min: 0, max: 5, decimals: 2, nullable: true }),
  /** Share of the book retained, 0–1. */
  retention: numberRule({ min: 0, max: 1, decimals: 3, nullable: true }),
  /** AUM growth of the book as a fraction (0.12 = +12 %). */
  aumGrowth: numberRule({ min: -1, max: 10, decimals: 3, nullable: true }),
} as const;

/** Why a change of the registry is made; kept in the audit log. */
export const REASON_RULE = textRule({ minLength: 1, maxLength: MANAGER_LIMITS.reason, normalise: 'trim' });

/** What registering a manager needs, by API or by CSV row. Availability defaults to active. */
export const MANAGER_REQUIRED_ON_CREATE = [
  'employeeNo',
  'displayName',
  'branchId',
  'title',
  'level',
  'languages',
  'segmentsServed',
  'capacity',
] as const satisfies readonly ManagerRuleField[];

export interface LeaveState {
  availability: ManagerAvailability;
  leaveFrom: string | null;
  leaveUntil: string | null;
  coverManagerId: string | null;
}

/**
 * The leave window and cover manager belong to `on_leave` only; the window must not end before it starts; nobody
 * covers for themselves. Whether the cover exists and is active needs the database (the service checks that).
 * `names` renames fields in the messages (the CSV names the cover by employee number).
 */
export function leaveProblems(state: LeaveState, selfId?: string | null, names: Partial<Record<keyof LeaveState, string>> = {}): FieldProblem[] {
  const name = (key: keyof LeaveState) => names[key] ?? key;
  const problems: FieldProblem[] = [];
  if (state.availability !== 'on_leave') {
    for (const key of ['leaveFrom', 'leaveUntil', 'coverManagerId'] as const) {
      if (state[key] !== null) problems.push({ field: name(key), message: `${name(key)} is only allowed when availability is on_leave` });
    }
    return problems;
  }
  if (state.leaveFrom && state.leaveUntil && state.leaveUntil < state.leaveFrom) {
    problems.push({ field: name('leaveUntil'), message: `${name('leaveUntil')} must not be before ${name('leaveFrom')}` });
  }
  if (selfId && state.coverManagerId === selfId) {
    problems.push({ field: name('coverManagerId'), message: `${name('coverManagerId')} must be another manager, not the manager on leave` });
  }
  return problems;
}
