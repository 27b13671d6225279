import type { CustomerMatchSnapshot } from '@relationship/contracts';

/** The dimensions of the customer distribution; `tag` and `need` give a customer one value per tag or need. */
export const DISTRIBUTION_DIMENSIONS = ['segment', 'aum_tier', 'risk_level', 'age_band', 'branch', 'city', 'province', 'lifecycle', 'tag', 'need'] as const;
export type DistributionDimension = (typeof DISTRIBUTION_DIMENSIONS)[number];

/** A missing attribute (no risk questionnaire yet, no home branch) is counted, under this value. */
export const UNKNOWN = 'unknown';

/** AUM tiers in CNY, lower bound included: the usual retail thresholds (50k, 500k, 1M, 6M private banking, 30M). */
export const AUM_TIERS: ReadonlyArray<{ code: string; minCny: number }> = [
  { code: 'lt_50k', minCny: 0 },
  { code: '50k_500k', minCny: 50_000 },
  { code: '500k_1m', minCny: 500_000 },
  { code: '1m_6m', minCny: 1_000_000 },
  { code: '6m_30m', minCny: 6_000_000 },
  { code: 'gte_30m', minCny: 30_000_000 },
];

export function aumTier(aumCny: number): string {
  let tier = AUM_TIERS[0].code;
  for (const t of AUM_TIERS) if (aumCny >= t.minCny) tier = t.code;
  return tier;
}

/** Province of each city the branch catalogue serves (municipalities are their own province). */
const PROVINCE_OF_CITY: Readonly<Record<string, string>> = {
  上海: '上海',
  北京: '北京',
  天津: '天津',
  重庆: '重庆',
  广州: '广东',
  深圳: '广东',
  厦门: '福建',
  杭州: '浙江',
  南京: '江苏',
  苏州: '江苏',
  青岛: '山东',
  武汉: '湖北',
  长沙: '湖南',
  成都: '四川',
  西安: '陕西',
  沈阳: '辽宁',
};

export function provinceOf(city: string | null): string {
  return (city && PROVINCE_OF_CITY[city.replace(/市$/, '')]) || UNKNOWN;
}

/** The profile attributes analytics keeps of a customer (a subset of the match snapshot). */
export interface CustomerProfileFacts {
  segment: string;
  aumCny: number;
  riskLevel: string | null;
  ageBand: string | null;
  branchId: string | null;
  city: string | null;
  lifecycle: string;
  tags: string[];
  needs: string[];
}

export function profileFactsOf(snapshot: CustomerMatchSnapshot): CustomerProfileFacts {
  return {
    segment: snapshot.segment,
    aumCny: Math.round(snapshot.aumCny * 100) / 100,
    riskLevel: snapshot.riskLevel,
    ageBand: snapshot.ageBand,
    branchId: snapshot.homeBranchId,
    city: snapshot.city,
    lifecycle: snapshot.lifecycleStage,
    tags: [...new Set(snapshot.tags)],
    needs: [...new Set(snapshot.needs)],
  };
}

/** Every (dimension, value) a customer counts under. */
export function dimensionValues(facts: CustomerProfileFacts): Array<[DistributionDimension, string]> {
  const values: Array<[DistributionDimension, string]> = [
    ['segment', facts.segment],
    ['aum_tier', aumTier(facts.aumCny)],
    ['risk_level', facts.riskLevel ?? UNKNOWN],
    ['age_band', facts.ageBand ?? UNKNOWN],
    ['branch', facts.branchId ?? UNKNOWN],
    ['city', facts.city ?? UNKNOWN],
    ['province', provinceOf(facts.city)],
    ['lifecycle', facts.lifecycle],
  ];
  for (const tag of facts.tags) values.push(['tag', tag]);
  for (const need of facts.needs) values.push(['need', need]);
  return values;
}

/**
 * Days are the bank's business days in China Standard Time (UTC+8, no daylight saving): an event at 23:30 UTC
 * counts on the next calendar day.
 */
export const REPORTING_OFFSET_MINUTES = 8 * 60;

export function reportingDay(at: string | Date): string {
  const ms = new Date(at).getTime() + REPORTING_OFFSET_MINUTES * 60_000;
  return new Date(ms).toISOString().slice(0, 10);
}

/** Score band 0..9 of a 0–100 score (100 falls in the top band). */
export function scoreBand(score: number): number {
  return Math.min(9, Math.max(0, Math.floor(score / 10)));
}
