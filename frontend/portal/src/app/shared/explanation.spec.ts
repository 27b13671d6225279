import { omittedFactors, reasonsOf } from './explanation';
import { radarAxes } from './portrait-radar';
import type { PortraitView } from '../core/api-types';
import en from '../../../public/i18n/en.json';
import zhCN from '../../../public/i18n/zh-CN.json';

const explanation = {
  score: 43,
  contributions: [
    { factor: 'needFit', weight: 25, value: 0, points: 0 },
    { factor: 'language', weight: 10, value: 1, points: 10 },
    { factor: 'proximity', weight: 15, value: 0.7, points: 10.5 },
    { factor: 'segmentFit', weight: 15, value: 1, points: 15 },
  ],
  omitted: [{ factor: 'sharedInterests', reason: 'no_profiling_consent' }],
  model: null,
};

describe('reasonsOf', () => {
  it('keeps the factors that earned points, strongest first, as sentence keys for the audience', () => {
    expect(reasonsOf(explanation).map((r) => r.key)).toEqual([
      'match.why.customer.segmentFit',
      'match.why.customer.proximity',
      'match.why.customer.language',
    ]);
    expect(reasonsOf(explanation, 'staff')[0].key).toBe('match.why.staff.segmentFit');
    expect(reasonsOf(null)).toEqual([]);
  });

  it('names what consent left out', () => {
    expect(omittedFactors(explanation)).toEqual(['sharedInterests']);
  });

  it('has a sentence in both languages for every factor and audience', () => {
    const factors = Object.keys(en.match.factors);
    for (const audience of ['customer', 'staff'] as const) {
      expect(Object.keys(en.match.why[audience]).sort()).toEqual([...factors].sort());
      expect(Object.keys(zhCN.match.why[audience]).sort()).toEqual([...factors].sort());
    }
  });
});

describe('the translation files', () => {
  const keys = (o: object, prefix = ''): string[] =>
    Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));

  it('have the same keys in zh-CN and en, none empty', () => {
    expect(keys(en).sort()).toEqual(keys(zhCN).sort());
    for (const file of [en, zhCN]) {
      const empty = keys(file).filter((k) => !k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], file));
      expect(empty).toEqual([]);
    }
  });
});

describe('radarAxes', () => {
  const portrait = (change: Partial<PortraitView>): PortraitView => ({
    id: 'c1',
    origin: 'registration',
    displayName: 'x',
    preferredLanguage: 'zh-CN',
    aumCny: 10_000,
    productsHeld: [],
    activityLevel: 'none',
    needs: [],
    interests: [],
    tags: [],
    segment: 'mass',
    lifecycleStage: 'new',
    consent: { profiling: false, marketing: false, data_sharing: false },
    createdAt: 'x',
    updatedAt: 'x',
    masked: false,
    version: 1,
    ...change,
  });
  const byKey = (p: PortraitView) => Object.fromEntries(radarAxes(p).map((a) => [a.key, a.value]));

  it('is all zero for an empty portrait and all one for a full one', () => {
    expect(Object.values(byKey(portrait({})))).toEqual([0, 0, 0, 0, 0]);
    const full = byKey(
      portrait({
        riskLevel: 'C5',
        aumCny: 200_000_000,
        activityLevel: 'high',
        productsHeld: ['a', 'b', 'c', 'd', 'e', 'f', 'g'],
        needs: ['retirement', 'insurance', 'deposits'].map((code) => ({ code: code as never, source: 'declared' as const })),
        interests: ['golf', 'tea', 'travel'],
        consent: { profiling: true, marketing: true, data_sharing: true },
      }),
    );
    expect(Object.values(full)).toEqual([1, 1, 1, 1, 1]);
  });

  it('puts AUM on a log scale (¥1m is halfway between ¥10k and ¥100m) and risk C1–C5 as 0.2–1', () => {
    const axes = byKey(portrait({ aumCny: 1_000_000, riskLevel: 'C2', activityLevel: 'medium' }));
    expect(axes['wealth']).toBeCloseTo(0.5, 10);
    expect(axes['riskAppetite']).toBeCloseTo(0.4, 10);
    expect(axes['activity']).toBeCloseTo(2 / 3, 10);
  });

  it('counts only declared needs towards engagement', () => {
    const derived = byKey(portrait({ needs: [{ code: 'retirement', source: 'rule' }] }));
    expect(derived['engagement']).toBe(0);
  });
});
