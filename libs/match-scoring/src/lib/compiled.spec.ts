import { CERTIFICATIONS, LANGUAGES, MANAGER_AVAILABILITY, MANAGER_TITLES, NEEDS, RISK_LEVELS, SEGMENTS } from '@relationship/contracts';
import type { CustomerMatchSnapshot, ManagerMatchSnapshot } from '@relationship/contracts';
import { seededRandom } from '@relationship/seeded-random';
import { compileManagers, scoreRowCompiled } from './compiled';
import { DEFAULT_WEIGHTS, type FactorWeights } from './factors';
import { scorePair } from './score';

/** A seeded generator, so a failure names a reproducible case. */
function random(seed: number) {
  const next = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  const some = <T>(xs: readonly T[], max: number): T[] => Array.from({ length: Math.floor(next() * (max + 1)) }, () => pick(xs));
  return { next, pick, some };
}

const INTERESTS = ['golf', 'tea', 'wine', 'hiking', 'opera', 'chess'];
const BRANCHES = ['SH-PD-001', 'SH-HP-001', 'BJ-CY-001', 'GZ-TH-001'];
const CITIES = ['上海', '北京', '广州', null];

function customers(r: ReturnType<typeof random>, n: number): CustomerMatchSnapshot[] {
  return Array.from({ length: n }, () => ({
    customerId: crypto.randomUUID(),
    userId: null,
    segment: r.pick(SEGMENTS),
    aumCny: Math.floor(r.next() * 1e7),
    riskLevel: r.next() < 0.1 ? null : r.pick(RISK_LEVELS),
    // Repeats on purpose: the scorer counts every entry, as scorePair does.
    needs: r.some(NEEDS, 4),
    interests: r.some(INTERESTS, 4),
    tags: [],
    preferredLanguage: r.next() < 0.8 ? 'zh-CN' : r.pick(LANGUAGES),
    preferredChannel: null,
    city: r.pick(CITIES),
    homeBranchId: r.next() < 0.2 ? null : r.pick(BRANCHES),
    ageBand: null,
    lifecycleStage: 'growing',
    activityLevel: 'medium',
    consent: { profiling: r.next() < 0.7, marketing: false, data_sharing: false },
    householdId: null,
  }));
}

function managers(r: ReturnType<typeof random>, n: number): ManagerMatchSnapshot[] {
  return Array.from({ length: n }, (_, j) => ({
    managerId: crypto.randomUUID(),
    userId: null,
    employeeNo: `E${j}`,
    displayName: `M${j}`,
    branchId: r.pick(BRANCHES),
    region: 'east',
    city: r.pick(CITIES),
    title: r.pick(MANAGER_TITLES),
    expertise: r.some(NEEDS, 5),
    certifications: r.some(CERTIFICATIONS, 2),
    languages: [r.next() < 0.9 ? 'zh-CN' : 'en', ...r.some(LANGUAGES, 1)],
    segmentsServed: [r.pick(SEGMENTS), ...r.some(SEGMENTS, 1)],
    interests: r.some(INTERESTS, 3),
    capacity: r.next() < 0.05 ? 0 : 1 + Math.floor(r.next() * 300),
    availability: r.next() < 0.9 ? 'active' : r.pick(MANAGER_AVAILABILITY),
    coverManagerId: null,
    performance: {
      satisfaction: r.next() < 0.2 ? null : Math.round(r.next() * 50) / 10,
      retention: r.next() < 0.2 ? null : Math.round(r.next() * 100) / 100,
      aumGrowth: r.next() < 0.2 ? null : Math.round((r.next() * 0.6 - 0.2) * 1000) / 1000,
    },
  }));
}

describe('scoreRowCompiled', () => {
  it.each([
    ['default weights', DEFAULT_WEIGHTS],
    ['other weights', { needFit: 12.5, segmentFit: 20, riskExpertise: 7.5, language: 5, proximity: 25, sharedInterests: 10, performance: 15, loadHeadroom: 5 } as FactorWeights],
  ])('gives exactly scorePair’s score (NaN when excluded) for every pair: %s', (_name, weights) => {
    const r = random(20261126);
    const ms = managers(r, 80);
    const loads = ms.map((m) => ({ assigned: Math.floor(r.next() * (m.capacity + 2)) }));
    const compiled = compileManagers(ms, loads, weights);
    const all = Int32Array.from(ms.keys());
    const out = new Float64Array(ms.length);
    let eligible = 0;
    for (const c of customers(r, 400)) {
      scoreRowCompiled(compiled, c, all, all.length, out);
      ms.forEach((m, j) => {
        const exact = scorePair(c, m, loads[j], weights);
        if (exact.eligible) eligible++;
        expect([j, out[j]]).toEqual([j, exact.eligible ? exact.score : Number.NaN]);
      });
    }
    // The sample exercises both kinds of pairs.
    expect(eligible).toBeGreaterThan(1000);
    expect(eligible).toBeLessThan(400 * 80);
  });

  it('scores only the managers it is given, in their order', () => {
    const r = random(7);
    const ms = managers(r, 10).map((m) => ({ ...m, availability: 'active' as const, capacity: 50, languages: ['zh-CN' as const] }));
    const loads = ms.map(() => ({ assigned: 0 }));
    const compiled = compileManagers(ms, loads);
    const c = { ...customers(r, 1)[0], preferredLanguage: 'zh-CN' as const, segment: 'mass' as const };
    const out = new Float64Array(3);
    scoreRowCompiled(compiled, c, Int32Array.from([7, 2, 9]), 3, out);
    expect([...out]).toEqual([7, 2, 9].map((j) => scorePair(c, ms[j], loads[j]).score));
  });
});
