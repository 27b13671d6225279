import type { PortraitView } from '../core/api-types';

/**
 * The axes of the portrait radar, each 0..1, defined here once (the tooltip shows the same definition in words,
 * `radar.axes.<key>.definition`).
 */
export interface RadarAxis {
  key: 'riskAppetite' | 'wealth' | 'activity' | 'productBreadth' | 'engagement';
  value: number;
}

const ACTIVITY: Record<string, number> = { none: 0, low: 1 / 3, medium: 2 / 3, high: 1 };
/** AUM on a log scale from ¥10k (0) to ¥100m (1): a private-banking book spans four orders of magnitude. */
const AUM_FLOOR = 1e4;
const AUM_CEILING = 1e8;
/** Products held, out of this many counts as full breadth. */
const FULL_BREADTH = 6;
const clamp = (v: number) => Math.min(1, Math.max(0, v));

export function radarAxes(p: PortraitView): RadarAxis[] {
  const risk = p.riskLevel ? Number(p.riskLevel.slice(1)) : 0;
  const wealth =
    p.aumCny <= AUM_FLOOR ? 0 : Math.log10(p.aumCny / AUM_FLOOR) / Math.log10(AUM_CEILING / AUM_FLOOR);
  // engagement: declared needs, interests and consents given — what the customer chose to share
  const declared = p.needs.filter((n) => n.source === 'declared').length;
  const consents = Object.values(p.consent).filter(Boolean).length;
  const engagement = (Math.min(declared, 3) / 3 + Math.min(p.interests.length, 3) / 3 + consents / 3) / 3;
  return [
    { key: 'riskAppetite', value: clamp(risk / 5) },
    { key: 'wealth', value: clamp(wealth) },
    { key: 'activity', value: ACTIVITY[p.activityLevel] ?? 0 },
    { key: 'productBreadth', value: clamp(p.productsHeld.length / FULL_BREADTH) },
    { key: 'engagement', value: clamp(engagement) },
  ];
}
