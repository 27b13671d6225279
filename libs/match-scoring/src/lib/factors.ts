import type { CustomerMatchSnapshot, ManagerMatchSnapshot, Segment } from '@relationship/contracts';

/** The factors of the rule score. Weights are points out of 100 and sum to 100. */
export const FACTORS = [
  'needFit',
  'segmentFit',
  'riskExpertise',
  'language',
  'proximity',
  'sharedInterests',
  'performance',
  'loadHeadroom',
] as const;
export type Factor = (typeof FACTORS)[number];

export type FactorWeights = Record<Factor, number>;

export const DEFAULT_WEIGHTS: FactorWeights = {
  needFit: 25,
  segmentFit: 15,
  riskExpertise: 10,
  language: 10,
  proximity: 15,
  sharedInterests: 10,
  performance: 10,
  loadHeadroom: 5,
};

/** Factors computed from profiling (derived needs, interests): dropped when the customer withheld that consent. */
export const PROFILING_FACTORS: readonly Factor[] = ['needFit', 'sharedInterests'];

const SEGMENT_ORDER: readonly Segment[] = ['mass', 'affluent', 'high_net_worth', 'private'];

/** What matching knows about a manager's book right now (its own state, not the registry's). */
export interface ManagerLoad {
  assigned: number;
}

export type FactorValues = Record<Factor, number>;

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

/** The performance factor: the mean of what is known of satisfaction, retention and AUM growth (0.5 if nothing). */
export function managerPerformance(manager: ManagerMatchSnapshot): number {
  const p = manager.performance;
  const parts = [
    p.satisfaction === null ? null : p.satisfaction / 5,
    p.retention,
    p.aumGrowth === null ? null : clamp01((p.aumGrowth + 0.1) / 0.4),
  ].filter((x): x is number => x !== null);
  return parts.length ? parts.reduce((a, b) => a + b, 0) / parts.length : 0.5;
}

/** Each factor's value in [0, 1], before weighting. Pure and cheap: called for every candidate pair. */
export function factorValues(customer: CustomerMatchSnapshot, manager: ManagerMatchSnapshot, load: ManagerLoad): FactorValues {
  const needs = customer.needs;
  const needFit = needs.length === 0 ? 0.5 : needs.filter((n) => manager.expertise.includes(n)).length / needs.length;

  const served = manager.segmentsServed.map((s) => SEGMENT_ORDER.indexOf(s));
  const distance = Math.min(...served.map((s) => Math.abs(s - SEGMENT_ORDER.indexOf(customer.segment))));
  const segmentFit = distance === 0 ? 1 : distance === 1 ? 0.4 : 0;

  const certified = manager.certifications.some((c) => c === 'CFP' || c === 'CFA');
  const planner = certified ? 1 : manager.certifications.includes('AFP') ? 0.6 : 0.2;
  const demanding = customer.riskLevel === 'C4' || customer.riskLevel === 'C5' || SEGMENT_ORDER.indexOf(customer.segment) >= 1;
  const riskExpertise = demanding ? planner : Math.max(planner, 0.8);

  const language = manager.languages.includes(customer.preferredLanguage) ? 1 : 0;

  const proximity =
    customer.homeBranchId !== null && customer.homeBranchId === manager.branchId
      ? 1
      : customer.city !== null && customer.city === manager.city
        ? 0.7
        : 0.2;

  const shared = customer.interests.filter((i) => manager.interests.includes(i)).length;
  const sharedInterests = customer.interests.length === 0 ? 0 : clamp01(shared / Math.min(3, customer.interests.length));

  const performance = managerPerformance(manager);

  const loadHeadroom = manager.capacity > 0 ? clamp01(1 - load.assigned / manager.capacity) : 0;

  return { needFit, segmentFit, riskExpertise, language, proximity, sharedInterests, performance, loadHeadroom };
}
