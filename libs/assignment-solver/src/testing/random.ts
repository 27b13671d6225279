import type { AssignmentProblem } from '../lib/types';

export interface RandomProblemSpec {
  readonly bidders: number;
  readonly managers: number;
  /** Probability that a pair is a candidate. */
  readonly density: number;
  readonly maxCapacity: number;
  /** Scores rounded to this many decimals (0 → integers: many ties). */
  readonly decimals?: number;
  /** Give every bidder a current manager (one of its candidates, or -1) and this bonus. */
  readonly stabilityBonus?: number;
}

/** A random problem with popular managers (a per-manager quality term), scores in 0–100. */
export function randomProblem(spec: RandomProblemSpec, next: () => number): AssignmentProblem {
  const { bidders: n, managers: m, density } = spec;
  const scale = 10 ** (spec.decimals ?? 1);
  const quality = Array.from({ length: m }, () => next() * 40);
  const offsets = [0];
  const managers: number[] = [];
  const scores: number[] = [];
  const current = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      if (next() >= density) continue;
      managers.push(j);
      scores.push(Math.round(Math.min(100, quality[j] + next() * 60) * scale) / scale);
    }
    offsets.push(managers.length);
    const count = offsets[i + 1] - offsets[i];
    if (spec.stabilityBonus !== undefined && count > 0 && next() < 0.7) {
      current[i] = managers[offsets[i] + Math.floor(next() * count)];
    }
  }
  return {
    bidders: n,
    managers: m,
    capacity: Int32Array.from({ length: m }, () => Math.floor(next() * (spec.maxCapacity + 1))),
    candidates: {
      offsets: Int32Array.from(offsets),
      managers: Int32Array.from(managers),
      scores: Float64Array.from(scores),
    },
    ...(spec.stabilityBonus !== undefined ? { current, stabilityBonus: spec.stabilityBonus } : {}),
  };
}

/** Builds a problem from per-bidder lists of [manager, score]. */
export function problemOf(
  capacity: number[],
  rows: [number, number][][],
  extra: Partial<AssignmentProblem> = {},
): AssignmentProblem {
  const offsets = [0];
  const managers: number[] = [];
  const scores: number[] = [];
  for (const row of rows) {
    for (const [j, s] of row) {
      managers.push(j);
      scores.push(s);
    }
    offsets.push(managers.length);
  }
  return {
    bidders: rows.length,
    managers: capacity.length,
    capacity: Int32Array.from(capacity),
    candidates: { offsets: Int32Array.from(offsets), managers: Int32Array.from(managers), scores: Float64Array.from(scores) },
    ...extra,
  };
}
