/**
 * Profiles' own closed lists, on top of the shared vocabulary in libs/contracts. Codes are stable identifiers
 * (stored, carried in events, used in rules and CSV files); labels live in the portal's translations.
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

/** How a portrait came to exist. */
export const PORTRAIT_ORIGINS = ['registration', 'staff', 'import'] as const;
export type PortraitOrigin = (typeof PORTRAIT_ORIGINS)[number];

export const TAG_SOURCES = ['manual', 'rule'] as const;
export type TagSource = (typeof TAG_SOURCES)[number];

/** Tag, branch and interest codes: the shape the match snapshot accepts. */
export const CODE_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** Interests are free codes (shared with managers' interests for matching), lowercase. */
export const INTEREST_PATTERN = /^[a-z0-9_]{1,32}$/;
export const TAG_CODE_PATTERN = /^[a-z0-9_]{1,64}$/;

/** Nobody holds more than this at one bank; a bigger figure is a typo (or a unit mix-up). 100 billion CNY. */
export const AUM_MAX_CNY = 100_000_000_000;

export const MAX_INTERESTS = 20;
export const MAX_MANUAL_TAGS = 30;
export const NAME_MAX_LENGTH = 100;
export const CITY_MAX_LENGTH = 64;
