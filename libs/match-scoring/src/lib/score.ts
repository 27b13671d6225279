import type { CustomerMatchSnapshot, ManagerMatchSnapshot } from '@relationship/contracts';
import { DEFAULT_WEIGHTS, Factor, FACTORS, factorValues, FactorWeights, ManagerLoad, PROFILING_FACTORS } from './factors';

/** Why a pair may not be matched at all. */
export type ExclusionReason =
  | 'manager_not_active'
  | 'manager_has_no_capacity'
  | 'manager_full'
  | 'no_shared_language'
  | 'private_client_needs_certified_manager';

export interface FactorContribution {
  factor: Factor;
  /** Points this factor can give at most, after consent adjustments. */
  weight: number;
  /** The factor's value in [0, 1]. */
  value: number;
  /** Points it gave: weight × value, rounded to 0.01; contributions sum exactly to the score. */
  points: number;
}

export type PairScore =
  | { eligible: true; score: number; contributions: FactorContribution[]; omitted: { factor: Factor; reason: 'no_profiling_consent' }[] }
  | { eligible: false; score: 0; exclusions: ExclusionReason[] };

/** Hard constraints: any of these excludes the pair, and every one that applies is reported. */
export function exclusions(customer: CustomerMatchSnapshot, manager: ManagerMatchSnapshot, load: ManagerLoad): ExclusionReason[] {
  const reasons: ExclusionReason[] = [];
  if (manager.availability !== 'active') reasons.push('manager_not_active');
  if (manager.capacity <= 0) reasons.push('manager_has_no_capacity');
  else if (load.assigned >= manager.capacity) reasons.push('manager_full');
  if (!manager.languages.includes(customer.preferredLanguage)) reasons.push('no_shared_language');
  if (
    customer.segment === 'private' &&
    manager.title !== 'private_banker' &&
    !manager.certifications.some((c) => c === 'CFP' || c === 'CFA')
  ) {
    reasons.push('private_client_needs_certified_manager');
  }
  return reasons;
}

/**
 * Weights actually used for this customer: without profiling consent the profiling factors are left out and the
 * remaining weights are scaled back up to 100, so scores stay comparable across customers.
 */
export function effectiveWeights(customer: CustomerMatchSnapshot, weights: FactorWeights = DEFAULT_WEIGHTS): FactorWeights {
  if (customer.consent.profiling) return weights;
  const kept = FACTORS.filter((f) => !PROFILING_FACTORS.includes(f));
  const total = kept.reduce((sum, f) => sum + weights[f], 0);
  return Object.fromEntries(FACTORS.map((f) => [f, kept.includes(f) ? (weights[f] * 100) / total : 0])) as FactorWeights;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** The explainable rule score of one pair, 0–100. */
export function scorePair(
  customer: CustomerMatchSnapshot,
  manager: ManagerMatchSnapshot,
  load: ManagerLoad,
  weights: FactorWeights = DEFAULT_WEIGHTS,
): PairScore {
  const excluded = exclusions(customer, manager, load);
  if (excluded.length) return { eligible: false, score: 0, exclusions: excluded };
  const used = effectiveWeights(customer, weights);
  const values = factorValues(customer, manager, load);
  const contributions = FACTORS.filter((f) => used[f] > 0).map((factor) => ({
    factor,
    weight: round2(used[factor]),
    value: round2(values[factor]),
    points: round2(used[factor] * values[factor]),
  }));
  const score = round2(contributions.reduce((sum, c) => sum + c.points, 0));
  const omitted = customer.consent.profiling ? [] : PROFILING_FACTORS.map((factor) => ({ factor, reason: 'no_profiling_consent' as const }));
  return { eligible: true, score, contributions, omitted };
}

export function validateWeights(weights: FactorWeights): string[] {
  const problems = FACTORS.filter((f) => !(weights[f] >= 0)).map((f) => `${f} must be a non-negative number`);
  const total = FACTORS.reduce((sum, f) => sum + (weights[f] ?? 0), 0);
  if (Math.abs(total - 100) > 1e-6) problems.push(`weights must sum to 100 (got ${total})`);
  return problems;
}
