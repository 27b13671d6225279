import type { CustomerMatchSnapshot, ManagerMatchSnapshot } from '@relationship/contracts';
import { FACTORS, factorValues, type ManagerLoad, PROFILING_FACTORS } from '@relationship/match-scoring';

const TITLES = ['associate', 'manager', 'senior_manager', 'director', 'private_banker'] as const;

/**
 * What the learned model sees of a pair: the rule score's eight factor values, plus two observable interactions
 * the rule score has no weight for (the manager's seniority, and seniority for wealthy customers). Every value is
 * in [0, 1]; nothing is personal data (no names, contact data, ID numbers, ages).
 */
export const FEATURES = [...FACTORS, 'seniority', 'seniorityForWealth'] as const;
export type Feature = (typeof FEATURES)[number];

/** Features computed from profiling data: null (no effect at all) without the customer's profiling consent. */
export const PROFILING_FEATURES: readonly Feature[] = [...PROFILING_FACTORS];

/** A pair's feature values; null means "not usable for this customer" (withheld consent). */
export type FeatureVector = Record<Feature, number | null>;

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/** 10k CNY → 0, 100M CNY → 1, on a log scale. */
export function wealth(aumCny: number): number {
  return clamp01((Math.log10(Math.max(aumCny, 1)) - 4) / 4);
}

export function featureVector(customer: CustomerMatchSnapshot, manager: ManagerMatchSnapshot, load: ManagerLoad): FeatureVector {
  const factors = factorValues(customer, manager, load);
  const seniority = TITLES.indexOf(manager.title) / (TITLES.length - 1);
  const vector: FeatureVector = { ...factors, seniority, seniorityForWealth: seniority * wealth(customer.aumCny) };
  if (!customer.consent.profiling) for (const f of PROFILING_FEATURES) vector[f] = null;
  return vector;
}
