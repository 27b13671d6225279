import type { Segment } from '@relationship/contracts';

/** Lower bounds (CNY) of affluent, high_net_worth and private; below the first is mass. */
export type SegmentThresholds = readonly [affluent: number, highNetWorth: number, privateBanking: number];

export const DEFAULT_SEGMENT_THRESHOLDS: SegmentThresholds = [500_000, 6_000_000, 30_000_000];

/** Parses `SEGMENT_THRESHOLDS_CNY` ("500000,6000000,30000000"): three strictly ascending positive amounts. */
export function parseSegmentThresholds(text: string): SegmentThresholds {
  const parts = text.split(',').map((s) => s.trim());
  const values = parts.map(Number);
  if (values.length !== 3 || parts.some((p) => !/^\d+(\.\d+)?$/.test(p))) {
    throw new Error('must be three amounts in CNY separated by commas, e.g. 500000,6000000,30000000');
  }
  if (!(values[0] > 0 && values[0] < values[1] && values[1] < values[2])) {
    throw new Error('amounts must be positive and strictly ascending');
  }
  return [values[0], values[1], values[2]];
}

/** mass < affluent ≤ aum < high_net_worth ≤ … < private ≤ aum. */
export function segmentFor(aumCny: number, thresholds: SegmentThresholds = DEFAULT_SEGMENT_THRESHOLDS): Segment {
  if (aumCny >= thresholds[2]) return 'private';
  if (aumCny >= thresholds[1]) return 'high_net_worth';
  if (aumCny >= thresholds[0]) return 'affluent';
  return 'mass';
}
