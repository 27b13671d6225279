/**
 * The shared vocabulary of portraits, managers and matching. Codes are stable identifiers (stored, carried in
 * events, used in rules); labels in zh-CN and en live in the portal's translations.
 */
export const SEGMENTS = ['mass', 'affluent', 'high_net_worth', 'private'] as const;
export type Segment = (typeof SEGMENTS)[number];

/** Risk appetite from the five-level questionnaire: C1 conservative … C5 aggressive. */
export const RISK_LEVELS = ['C1', 'C2', 'C3', 'C4', 'C5'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** Customer needs; a manager's expertise areas use the same codes so that fit can be computed. */
export const NEEDS = [
  'wealth_management',
  'retirement',
  'mortgage_loans',
  'insurance',
  'education',
  'sme_business',
  'cross_border',
  'family_trust',
  'deposits',
  'credit_card',
] as const;
export type Need = (typeof NEEDS)[number];

export const NEED_SOURCES = ['declared', 'rule', 'staff'] as const;
export type NeedSource = (typeof NEED_SOURCES)[number];

export const LANGUAGES = ['zh-CN', 'en', 'yue', 'ja', 'ko'] as const;
export type Language = (typeof LANGUAGES)[number];

export const CHANNELS = ['branch', 'phone', 'wechat', 'app', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];

export const LIFECYCLE_STAGES = ['prospect', 'new', 'growing', 'mature', 'at_risk', 'dormant'] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

export const ACTIVITY_LEVELS = ['none', 'low', 'medium', 'high'] as const;
export type ActivityLevel = (typeof ACTIVITY_LEVELS)[number];

export const INCOME_BANDS = ['lt_100k', '100k_300k', '300k_1m', '1m_5m', 'gt_5m'] as const;
export type IncomeBand = (typeof INCOME_BANDS)[number];

export const AGE_BANDS = ['lt_25', '25_34', '35_44', '45_54', '55_64', '65_plus'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

/** Per-purpose consent: without `profiling`, profiling factors must not enter a match score. */
export const CONSENT_PURPOSES = ['profiling', 'marketing', 'data_sharing'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

export const CERTIFICATIONS = ['AFP', 'CFP', 'CFA', 'FRM', 'CPA', 'CIIA', 'RFP', 'IFP'] as const;
export type Certification = (typeof CERTIFICATIONS)[number];

export const MANAGER_AVAILABILITY = ['active', 'on_leave', 'left'] as const;
export type ManagerAvailability = (typeof MANAGER_AVAILABILITY)[number];

export const MANAGER_TITLES = ['associate', 'manager', 'senior_manager', 'director', 'private_banker'] as const;
export type ManagerTitle = (typeof MANAGER_TITLES)[number];
