import type { Explanation } from '../core/matching-types';

export interface Reason {
  factor: string;
  points: number;
  /** 0..1: how fully the factor held (its value) */
  value: number;
  /** `match.why.<audience>.<factor>`: the sentence in plain words */
  key: string;
}

/** Who reads the words: the customer ("speaks your language") or staff ("speaks the customer's language"). */
export type Audience = 'customer' | 'staff';

/**
 * "Why we were matched" in plain words: the factors that earned points, strongest first, each as a sentence
 * (speaks your language, specialises in your needs, …). Factors that earned nothing are left out of the words
 * but stay in the chart.
 */
export function reasonsOf(
  explanation: Explanation | null | undefined,
  audience: Audience = 'customer',
): Reason[] {
  return (explanation?.contributions ?? [])
    .filter((c) => c.points > 0)
    .sort((a, b) => b.points - a.points)
    .map((c) => ({ factor: c.factor, points: c.points, value: c.value, key: `match.why.${audience}.${c.factor}` }));
}

/** The factors consent kept out of the score (e.g. needs and interests without profiling consent). */
export function omittedFactors(explanation: Explanation | null | undefined): string[] {
  return (explanation?.omitted ?? []).map((o) => o.factor);
}
