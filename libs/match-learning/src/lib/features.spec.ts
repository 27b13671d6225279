import { factorValues } from '@relationship/match-scoring';
import { FEATURES, featureVector, PROFILING_FEATURES, wealth } from './features';
import { simulate } from './testing/simulation';

describe('featureVector', () => {
  const pairs = simulate(300, 5);

  it('holds the rule factor values plus seniority interactions, all within [0, 1]', () => {
    for (const { customer, manager, assigned } of pairs) {
      const v = featureVector(customer, manager, { assigned });
      expect(Object.keys(v).sort()).toEqual([...FEATURES].sort());
      const factors = factorValues(customer, manager, { assigned });
      for (const [f, x] of Object.entries(factors)) {
        if (!customer.consent.profiling && PROFILING_FEATURES.includes(f as (typeof FEATURES)[number])) expect(v[f as keyof typeof v]).toBeNull();
        else expect(v[f as keyof typeof v]).toBe(x);
      }
      for (const x of Object.values(v)) if (x !== null) expect(x >= 0 && x <= 1).toBe(true);
    }
  });

  it('ranks titles by seniority and weighs seniority by wealth', () => {
    const { customer, manager } = pairs[0] as (typeof pairs)[number];
    const at = (title: typeof manager.title, aumCny: number) => featureVector({ ...customer, aumCny }, { ...manager, title }, { assigned: 0 });
    expect(at('associate', 1e6).seniority).toBe(0);
    expect(at('private_banker', 1e6).seniority).toBe(1);
    expect(at('senior_manager', 1e6).seniority).toBe(0.5);
    expect(at('director', 5e7).seniorityForWealth as number).toBeGreaterThan(at('director', 5e4).seniorityForWealth as number);
    expect(wealth(0)).toBe(0);
    expect(wealth(1e4)).toBe(0);
    expect(wealth(1e6)).toBe(0.5);
    expect(wealth(1e9)).toBe(1);
  });

  it('withholds the profiling features, and only them, without profiling consent', () => {
    const { customer, manager } = pairs[0] as (typeof pairs)[number];
    const withheld = featureVector({ ...customer, consent: { ...customer.consent, profiling: false } }, manager, { assigned: 0 });
    const given = featureVector({ ...customer, consent: { ...customer.consent, profiling: true } }, manager, { assigned: 0 });
    expect(FEATURES.filter((f) => withheld[f] === null)).toEqual(['needFit', 'sharedInterests']);
    expect(FEATURES.filter((f) => given[f] === null)).toEqual([]);
  });
});
