import { type CustomerLanguage, type Gender, type Product, type RiskAnswer, riskLevelFor } from '@relationship/domain-rules';
import type {
  ActivityLevel,
  AgeBand,
  Channel,
  CustomerMatchSnapshot,
  IncomeBand,
  LifecycleStage,
  Need,
  NeedSource,
  RiskLevel,
  Segment,
} from '@relationship/contracts';
import { NEEDS } from '@relationship/contracts';
import { ageBandOf, ageOn } from './age-band';
import type { PortraitOrigin, TagSource } from './catalogue';
import { evaluateCondition, type Condition, type ConditionFacts } from './conditions';
import { segmentFor, type SegmentThresholds } from './segment';

export interface TagValue {
  code: string;
  source: TagSource;
  /** The rule that derived it; null for manual tags. */
  ruleId: string | null;
}

export interface NeedValue {
  code: Need;
  source: NeedSource;
  ruleId: string | null;
}

export interface Consent {
  profiling: boolean;
  marketing: boolean;
  data_sharing: boolean;
}

/** A whole customer portrait, as the service reasons about it (persistence maps it to rows). */
export interface Portrait {
  id: string;
  userId: string | null;
  origin: PortraitOrigin;
  displayName: string;
  gender: Gender | null;
  birthDate: string | null;
  phone: string | null;
  email: string | null;
  nationalIdNumber: string | null;
  city: string | null;
  homeBranchId: string | null;
  preferredLanguage: CustomerLanguage;
  preferredChannel: Channel | null;
  aumCny: number;
  incomeBand: IncomeBand | null;
  productsHeld: Product[];
  activityLevel: ActivityLevel;
  riskAnswers: RiskAnswer[] | null;
  riskLevel: RiskLevel | null;
  riskAssessedAt: Date | null;
  needs: NeedValue[];
  interests: string[];
  tags: TagValue[];
  segment: Segment;
  lifecycleStage: LifecycleStage;
  consent: Consent;
  householdId: string | null;
  /** Read model of matching's current assignment (AssignmentChanged); not part of the portrait's own version. */
  assignedManagerId: string | null;
  assignmentVersion: number;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** What a write may change; absent keys stay as they are, null clears a nullable field. */
export interface PortraitChanges {
  displayName?: string;
  gender?: Gender | null;
  birthDate?: string | null;
  phone?: string | null;
  email?: string | null;
  nationalIdNumber?: string | null;
  city?: string | null;
  homeBranchId?: string | null;
  preferredLanguage?: CustomerLanguage;
  preferredChannel?: Channel | null;
  aumCny?: number;
  incomeBand?: IncomeBand | null;
  productsHeld?: Product[];
  activityLevel?: ActivityLevel;
  riskAnswers?: RiskAnswer[] | null;
  /** Replaces the customer-declared needs. */
  declaredNeeds?: Need[];
  /** Replaces the staff-added needs. */
  staffNeeds?: Need[];
  interests?: string[];
  /** Replaces the manual tags. */
  manualTags?: string[];
  lifecycleStage?: LifecycleStage;
  consent?: Partial<Consent>;
  householdId?: string | null;
}

/** An enabled rule, as the engine needs it. */
export interface ActiveRule {
  id: string;
  kind: 'tag' | 'need';
  value: string;
  condition: Condition;
}

export interface DerivationContext {
  thresholds: SegmentThresholds;
  now: Date;
}

/** The fields a portrait event or audit row names when they change, in display order. */
export const PORTRAIT_FIELDS = [
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
  'riskLevel',
  'needs',
  'interests',
  'tags',
  'segment',
  'lifecycleStage',
  'consent',
  'householdId',
] as const satisfies readonly (keyof Portrait)[];
export type PortraitField = (typeof PORTRAIT_FIELDS)[number];

/** The fields a customer may change on their own portrait (PATCH /profiles/me). */
export const CUSTOMER_EDITABLE_FIELDS = ['preferredLanguage', 'preferredChannel', 'interests', 'declaredNeeds', 'riskAnswers', 'consent'] as const;

export const NO_CONSENT: Consent = { profiling: false, marketing: false, data_sharing: false };

/** A new portrait with the defaults: mass segment, AUM 0, zh-CN, lifecycle new, no consent, nothing else known. */
export function newPortrait(init: { id: string; userId: string | null; origin: PortraitOrigin; displayName: string; now: Date }): Portrait {
  return {
    id: init.id,
    userId: init.userId,
    origin: init.origin,
    displayName: init.displayName,
    gender: null,
    birthDate: null,
    phone: null,
    email: null,
    nationalIdNumber: null,
    city: null,
    homeBranchId: null,
    preferredLanguage: 'zh-CN',
    preferredChannel: null,
    aumCny: 0,
    incomeBand: null,
    productsHeld: [],
    activityLevel: 'none',
    riskAnswers: null,
    riskLevel: null,
    riskAssessedAt: null,
    needs: [],
    interests: [],
    tags: [],
    segment: 'mass',
    lifecycleStage: 'new',
    consent: { ...NO_CONSENT },
    householdId: null,
    assignedManagerId: null,
    assignmentVersion: 0,
    version: 1,
    createdAt: init.now,
    updatedAt: init.now,
  };
}

const uniq = <T>(values: readonly T[]): T[] => [...new Set(values)];
const needOrder = (a: NeedValue, b: NeedValue) => NEEDS.indexOf(a.code) - NEEDS.indexOf(b.code) || a.source.localeCompare(b.source) || (a.ruleId ?? '').localeCompare(b.ruleId ?? '');
const tagOrder = (a: TagValue, b: TagValue) => a.code.localeCompare(b.code) || a.source.localeCompare(b.source) || (a.ruleId ?? '').localeCompare(b.ruleId ?? '');

/** Applies changes and recomputes what derives from them (segment, risk level); rules run separately. */
export function applyChanges(portrait: Portrait, changes: PortraitChanges, context: DerivationContext): Portrait {
  const next: Portrait = { ...portrait, consent: { ...portrait.consent, ...(changes.consent ?? {}) } };
  const scalar = [
    'displayName', 'gender', 'birthDate', 'phone', 'email', 'nationalIdNumber', 'city', 'homeBranchId', 'preferredLanguage',
    'preferredChannel', 'aumCny', 'incomeBand', 'activityLevel', 'lifecycleStage', 'householdId',
  ] as const;
  for (const key of scalar) {
    if (changes[key] !== undefined) (next as unknown as Record<string, unknown>)[key] = changes[key];
  }
  if (changes.productsHeld) next.productsHeld = uniq(changes.productsHeld);
  if (changes.interests) next.interests = uniq(changes.interests);
  if (changes.riskAnswers !== undefined) {
    next.riskAnswers = changes.riskAnswers ? [...changes.riskAnswers] : null;
    next.riskLevel = changes.riskAnswers ? riskLevelFor(changes.riskAnswers) : null;
    next.riskAssessedAt = changes.riskAnswers ? context.now : null;
  }
  const replaceNeeds = (source: NeedSource, codes: readonly Need[] | undefined) => {
    if (!codes) return;
    next.needs = [...next.needs.filter((n) => n.source !== source), ...uniq(codes).map((code) => ({ code, source, ruleId: null }))];
  };
  replaceNeeds('declared', changes.declaredNeeds);
  replaceNeeds('staff', changes.staffNeeds);
  if (changes.manualTags) {
    next.tags = [...next.tags.filter((t) => t.source !== 'manual'), ...uniq(changes.manualTags).map((code) => ({ code, source: 'manual' as const, ruleId: null }))];
  }
  next.segment = segmentFor(next.aumCny, context.thresholds);
  next.needs.sort(needOrder);
  next.tags.sort(tagOrder);
  return next;
}

/** The values rules see: portrait fields plus age, with only manual tags and non-derived needs (rules never chain). */
export function conditionFacts(p: Portrait, now: Date): ConditionFacts {
  return {
    aumCny: p.aumCny,
    age: p.birthDate ? ageOn(p.birthDate, now) : null,
    ageBand: ageBandOf(p.birthDate, now),
    gender: p.gender,
    segment: p.segment,
    riskLevel: p.riskLevel,
    incomeBand: p.incomeBand,
    activityLevel: p.activityLevel,
    lifecycleStage: p.lifecycleStage,
    preferredLanguage: p.preferredLanguage,
    preferredChannel: p.preferredChannel,
    city: p.city,
    homeBranchId: p.homeBranchId,
    productsHeld: p.productsHeld,
    interests: p.interests,
    tags: uniq(p.tags.filter((t) => t.source !== 'rule').map((t) => t.code)),
    needs: uniq(p.needs.filter((n) => n.source !== 'rule').map((n) => n.code)),
    consentProfiling: p.consent.profiling,
    consentMarketing: p.consent.marketing,
    consentDataSharing: p.consent.data_sharing,
  };
}

/**
 * Re-derives every rule-sourced tag and need from the enabled rules: a value whose rule no longer matches (or no
 * longer exists, or is disabled) goes; manual tags and declared/staff needs are never touched.
 */
export function applyRules(p: Portrait, rules: readonly ActiveRule[], now: Date): Portrait {
  const facts = conditionFacts(p, now);
  const matching = rules.filter((r) => evaluateCondition(r.condition, facts));
  const tags: TagValue[] = [
    ...p.tags.filter((t) => t.source !== 'rule'),
    ...matching.filter((r) => r.kind === 'tag').map((r) => ({ code: r.value, source: 'rule' as const, ruleId: r.id })),
  ].sort(tagOrder);
  const needs: NeedValue[] = [
    ...p.needs.filter((n) => n.source !== 'rule'),
    ...matching.filter((r) => r.kind === 'need').map((r) => ({ code: r.value as Need, source: 'rule' as const, ruleId: r.id })),
  ].sort(needOrder);
  return { ...p, tags, needs };
}

/** Comparable form of one field's value. */
function fieldKey(p: Portrait, field: PortraitField): string {
  const value = p[field];
  if (field === 'tags' || field === 'needs') {
    return JSON.stringify((value as (TagValue | NeedValue)[]).map((v) => [v.code, v.source, v.ruleId]).sort());
  }
  if (field === 'productsHeld' || field === 'interests') return JSON.stringify([...(value as string[])].sort());
  return JSON.stringify(value ?? null);
}

/** The fields whose values differ. */
export function changedFields(before: Portrait, after: Portrait): PortraitField[] {
  return PORTRAIT_FIELDS.filter((f) => fieldKey(before, f) !== fieldKey(after, f));
}

export function ageBandNow(p: Pick<Portrait, 'birthDate'>, now: Date = new Date()): AgeBand | null {
  return ageBandOf(p.birthDate, now);
}

/** What matching may know about the customer: no name, contact data or ID number. */
export function matchSnapshot(p: Portrait, now: Date = new Date()): CustomerMatchSnapshot {
  return {
    customerId: p.id,
    userId: p.userId,
    segment: p.segment,
    aumCny: p.aumCny,
    riskLevel: p.riskLevel,
    needs: uniq(p.needs.map((n) => n.code)),
    interests: [...p.interests],
    tags: uniq(p.tags.map((t) => t.code)).slice(0, 100),
    preferredLanguage: p.preferredLanguage,
    preferredChannel: p.preferredChannel,
    city: p.city,
    homeBranchId: p.homeBranchId,
    ageBand: ageBandOf(p.birthDate, now),
    lifecycleStage: p.lifecycleStage,
    activityLevel: p.activityLevel,
    consent: { ...p.consent },
    householdId: p.householdId,
  };
}

/**
 * A national ID number encodes the birth date: a missing birth date is filled from it, a different one is refused
 * (naming both fields). Returns the reconciled portrait or the problem.
 */
export function reconcileBirthDate(p: Portrait): { portrait: Portrait; problem: string | null } {
  if (!p.nationalIdNumber) return { portrait: p, problem: null };
  const encoded = `${p.nationalIdNumber.slice(6, 10)}-${p.nationalIdNumber.slice(10, 12)}-${p.nationalIdNumber.slice(12, 14)}`;
  if (!p.birthDate) return { portrait: { ...p, birthDate: encoded }, problem: null };
  if (p.birthDate !== encoded) {
    return { portrait: p, problem: `nationalIdNumber encodes birth date ${encoded}, which does not match birthDate ${p.birthDate}` };
  }
  return { portrait: p, problem: null };
}
