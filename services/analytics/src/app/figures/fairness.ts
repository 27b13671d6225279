/**
 * Inequality of managers' loads. Gini: 0 when every manager carries the same load, towards 1 when one carries all
 * (mean absolute difference over twice the mean). Coefficient of variation: population standard deviation over
 * the mean. Both are null for an empty set or an all-zero load (no inequality to speak of).
 */
export function gini(values: readonly number[]): number | null {
  const n = values.length;
  if (!n) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const total = sorted.reduce((s, v) => s + v, 0);
  if (total === 0) return null;
  // Sorted form of Σ_i Σ_j |x_i − x_j| / (2 n² mean).
  let weighted = 0;
  sorted.forEach((v, i) => (weighted += (2 * (i + 1) - n - 1) * v));
  return weighted / (n * total);
}

export function coefficientOfVariation(values: readonly number[]): number | null {
  const n = values.length;
  if (!n) return null;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  if (mean === 0) return null;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
  return Math.sqrt(variance) / mean;
}

/** Utilisation bands (load / capacity): [0,0.25), [0.25,0.5), [0.5,0.75), [0.75,0.9), [0.9,1], over 1, and no capacity. */
export const UTILISATION_BANDS = ['lt_25', '25_50', '50_75', '75_90', '90_100', 'over_100', 'no_capacity'] as const;

export function utilisationBand(load: number, capacity: number): (typeof UTILISATION_BANDS)[number] {
  if (capacity <= 0) return 'no_capacity';
  const u = load / capacity;
  if (u < 0.25) return 'lt_25';
  if (u < 0.5) return '25_50';
  if (u < 0.75) return '50_75';
  if (u < 0.9) return '75_90';
  if (u <= 1) return '90_100';
  return 'over_100';
}

/** Waiting-time bands of unassigned customers. */
export const WAITING_BANDS: ReadonlyArray<{ code: string; maxHours: number }> = [
  { code: 'lt_1h', maxHours: 1 },
  { code: '1h_24h', maxHours: 24 },
  { code: '1d_7d', maxHours: 24 * 7 },
  { code: '7d_30d', maxHours: 24 * 30 },
  { code: 'gte_30d', maxHours: Infinity },
];

export function waitingBand(hours: number): string {
  return WAITING_BANDS.find((b) => hours < b.maxHours)?.code ?? 'gte_30d';
}
