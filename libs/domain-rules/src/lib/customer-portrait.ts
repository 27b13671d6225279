import { ACTIVITY_LEVELS, CHANNELS, INCOME_BANDS, LIFECYCLE_STAGES, NEEDS } from '@relationship/contracts';
import { EMAIL_PATTERN, isCnMobile, normalisePhone } from './contact';
import { booleanRule, checkedRule, CODE_PATTERN, dateRule, listRule, numberRule, oneOfRule, textRule, uuidRule } from './field-rule';
import { nationalIdProblem, normaliseNationalId } from './national-id';
import { riskAnswersProblem } from './risk-questionnaire';

/**
 * The customer portrait's input fields (what staff, the customer and the CSV import may write) and the closed lists
 * they use, on top of the shared vocabulary in libs/contracts. Codes are stable identifiers (stored, carried in
 * events, used in rules and CSV files); labels live in the portal's translations.
 */
export const GENDERS = ['female', 'male', 'other'] as const;
export type Gender = (typeof GENDERS)[number];

/** A customer's preferred language: the portal speaks these two. */
export const CUSTOMER_LANGUAGES = ['zh-CN', 'en'] as const;
export type CustomerLanguage = (typeof CUSTOMER_LANGUAGES)[number];

/** Product families a customer can hold at the bank. */
export const PRODUCTS = [
  'current_account',
  'time_deposit',
  'wealth_product',
  'mutual_fund',
  'bond',
  'insurance',
  'precious_metals',
  'trust',
  'mortgage',
  'consumer_loan',
  'business_loan',
  'credit_card',
  'forex',
  'pension_account',
] as const;
export type Product = (typeof PRODUCTS)[number];

/** Interests are free codes (shared with managers' interests for matching), lowercase. */
export const INTEREST_PATTERN = /^[a-z0-9_]{1,32}$/;
export const TAG_CODE_PATTERN = /^[a-z0-9_]{1,64}$/;

/** Nobody holds more than this at one bank; a bigger figure is a typo (or a unit mix-up). 100 billion CNY. */
export const AUM_MAX_CNY = 100_000_000_000;

export const MAX_INTERESTS = 20;
export const MAX_MANUAL_TAGS = 30;
export const NAME_MAX_LENGTH = 100;
export const CITY_MAX_LENGTH = 64;
export const BIRTH_DATE_MIN = '1900-01-01';

const MOBILE_MESSAGE = 'must be a mainland China mobile number (11 digits starting with 1, e.g. 13812345678)';

/** Every field of a portrait that staff may write; `consent` has its own rules (CONSENT_RULES). */
export const PORTRAIT_RULES = {
  displayName: textRule({ minLength: 1, maxLength: NAME_MAX_LENGTH, normalise: 'trim' }),
  gender: oneOfRule(GENDERS, { nullable: true }),
  birthDate: dateRule({ min: BIRTH_DATE_MIN, max: 'today', nullable: true, message: 'must be a past date YYYY-MM-DD (1900 or later)' }),
  phone: checkedRule<string>({
    type: 'string',
    maxLength: 32,
    nullable: true,
    normalise: normalisePhone,
    problem: (value) => (isCnMobile(value) ? null : MOBILE_MESSAGE),
    message: MOBILE_MESSAGE,
  }),
  email: textRule({ maxLength: 254, pattern: EMAIL_PATTERN, normalise: 'trim-lowercase', nullable: true, message: 'must be an email address' }),
  nationalIdNumber: checkedRule<string>({ type: 'string', nullable: true, normalise: normaliseNationalId, problem: (value) => nationalIdProblem(value) }),
  city: textRule({ minLength: 1, maxLength: CITY_MAX_LENGTH, normalise: 'trim', nullable: true }),
  homeBranchId: textRule({ maxLength: 64, pattern: CODE_PATTERN, normalise: 'trim', nullable: true, message: 'must be a branch code (letters, digits, "_" and "-")' }),
  preferredLanguage: oneOfRule(CUSTOMER_LANGUAGES),
  preferredChannel: oneOfRule(CHANNELS, { nullable: true }),
  aumCny: numberRule({
    min: 0,
    max: AUM_MAX_CNY,
    decimals: 2,
    messages: { type: 'must be a number with at most 2 decimals', min: 'must not be negative', max: `must not exceed ${AUM_MAX_CNY} (100 billion CNY)` },
  }),
  incomeBand: oneOfRule(INCOME_BANDS, { nullable: true }),
  productsHeld: listRule({ values: PRODUCTS, maxItems: PRODUCTS.length }),
  activityLevel: oneOfRule(ACTIVITY_LEVELS),
  riskAnswers: checkedRule<string[]>({ type: 'string[]', nullable: true, problem: riskAnswersProblem }),
  declaredNeeds: listRule({ values: NEEDS, maxItems: NEEDS.length }),
  /** The needs staff add (source "staff"). */
  needs: listRule({ values: NEEDS, maxItems: NEEDS.length }),
  interests: listRule({ itemPattern: INTEREST_PATTERN, itemMessage: 'an interest code of lowercase letters, digits and "_" (at most 32)', maxItems: MAX_INTERESTS }),
  /** Manual tags, codes from the tag catalogue (checked against it by the service). */
  tags: listRule({ itemPattern: TAG_CODE_PATTERN, itemMessage: 'a tag code (lowercase letters, digits, "_")', maxItems: MAX_MANUAL_TAGS }),
  lifecycleStage: oneOfRule(LIFECYCLE_STAGES),
  householdId: uuidRule({ nullable: true }),
} as const;
export type PortraitRuleField = keyof typeof PORTRAIT_RULES;

/** Consent per purpose; an omitted purpose stays as it is. */
export const CONSENT_RULES = { profiling: booleanRule(), marketing: booleanRule(), data_sharing: booleanRule() } as const;

/**
 * What creating a customer portrait needs, whoever creates it (staff through POST /profiles, or a CSV row): a name.
 * Everything else may be filled in later; a national ID number, when given, must be free.
 */
export const PORTRAIT_REQUIRED_ON_CREATE = ['displayName'] as const satisfies readonly PortraitRuleField[];

/**
 * A CSV row needs one more: the national ID number. A file is a bulk load from another system, often re-run after
 * fixing its errors; the ID is the only key that refuses the same customer twice (within the file and against the
 * database), where a staff member creates one customer at a time and sees the result.
 */
export const PORTRAIT_REQUIRED_ON_IMPORT = [...PORTRAIT_REQUIRED_ON_CREATE, 'nationalIdNumber'] as const satisfies readonly PortraitRuleField[];
