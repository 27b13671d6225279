import type { CustomerMatchSnapshot, ManagerMatchSnapshot } from '@relationship/contracts';
import { CustomerMatchSnapshot as CustomerSchema, ManagerMatchSnapshot as ManagerSchema } from '@relationship/contracts';
import { DEFAULT_WEIGHTS, FACTORS } from './factors';
import { effectiveWeights, scorePair, validateWeights } from './score';

const customer = (over: Partial<CustomerMatchSnapshot> = {}): CustomerMatchSnapshot =>
  CustomerSchema.parse({
    customerId: crypto.randomUUID(),
    userId: null,
    segment: 'affluent',
    aumCny: 1_200_000,
    riskLevel: 'C3',
    needs: ['wealth_management', 'retirement'],
    interests: ['golf', 'tea'],
    tags: [],
    preferredLanguage: 'zh-CN',
    preferredChannel: 'wechat',
    city: '上海',
    homeBranchId: 'SH-PD-001',
    ageBand: '45_54',
    lifecycleStage: 'growing',
    activityLevel: 'medium',
    consent: { profiling: true, marketing: false, data_sharing: false },
    householdId: null,
    ...over,
  });

const manager = (over: Partial<ManagerMatchSnapshot> = {}): ManagerMatchSnapshot =>
  ManagerSchema.parse({
    managerId: crypto.randomUUID(),
    userId: null,
    employeeNo: 'E0001',
    displayName: '陈静',
    branchId: 'SH-PD-001',
    region: 'east',
    city: '上海',
    title: 'senior_manager',
    expertise: ['wealth_management', 'retirement', 'insurance'],
    certifications: ['CFP'],
    languages: ['zh-CN', 'en'],
    segmentsServed: ['affluent', 'high_net_worth'],
    interests: ['golf'],
    capacity: 200,
    availability: 'active',
    coverManagerId: null,
    performance: { satisfaction: 4.5, retention: 0.92, aumGrowth: 0.12 },
    ...over,
  });

describe('scorePair', () => {
  it('explains the score: contributions sum exactly to it and stay within each weight', () => {
    for (let i = 0; i < 200; i++) {
      const result = scorePair(
        customer({ needs: i % 3 ? ['wealth_management'] : [], interests: i % 2 ? ['golf', 'tea', 'wine'] : [], riskLevel: i % 5 ? 'C2' : 'C5' }),
        manager({ expertise: i % 4 ? ['insurance'] : ['wealth_management'], performance: { satisfaction: (i % 6) * 0.8, retention: null, aumGrowth: 0.01 * i } }),
        { assigned: i },
      );
      if (!result.eligible) throw new Error('expected eligible');
      const sum = result.contributions.reduce((s, c) => s + c.points, 0);
      expect(Math.round(sum * 100) / 100).toBe(result.score);
      expect(result.score).toBeGreaterThanOrEqual(0);
      expect(result.score).toBeLessThanOrEqual(100);
      for (const c of result.contributions) expect(c.points).toBeLessThanOrEqual(c.weight + 1e-9);
    }
  });

  it('ranks a well-fitting manager above a poor one', () => {
    const good = scorePair(customer(), manager(), { assigned: 10 });
    const poor = scorePair(
      customer(),
      manager({ branchId: 'BJ-CY-001', city: '北京', expertise: ['credit_card'], segmentsServed: ['mass'], certifications: [], interests: [] }),
      { assigned: 190 },
    );
    expect(good.score).toBeGreaterThan(poor.score + 30);
  });

  it('excludes pairs on hard constraints and names every reason', () => {
    const result = scorePair(
      customer({ segment: 'private', preferredLanguage: 'en' }),
      manager({ availability: 'on_leave', languages: ['zh-CN'], certifications: ['AFP'], title: 'manager' }),
      { assigned: 0 },
    );
    expect(result).toEqual({
      eligible: false,
      score: 0,
      exclusions: ['manager_not_active', 'no_shared_language', 'private_client_needs_certified_manager'],
    });
    expect(scorePair(customer(), manager({ capacity: 5 }), { assigned: 5 })).toMatchObject({ eligible: false, exclusions: ['manager_full'] });
    expect(scorePair(customer(), manager({ capacity: 0 }), { assigned: 0 })).toMatchObject({ exclusions: ['manager_has_no_capacity'] });
  });

  it('leaves profiling factors out without profiling consent and rescales the rest to 100', () => {
    const withConsent = scorePair(customer(), manager(), { assigned: 0 });
    const without = scorePair(customer({ consent: { profiling: false, marketing: false, data_sharing: false } }), manager(), { assigned: 0 });
    if (!without.eligible || !withConsent.eligible) throw new Error('expected eligible');
    expect(without.contributions.map((c) => c.factor)).not.toContain('needFit');
    expect(without.contributions.map((c) => c.factor)).not.toContain('sharedInterests');
    expect(without.omitted.map((o) => o.factor)).toEqual(['needFit', 'sharedInterests']);
    const weights = effectiveWeights(customer({ consent: { profiling: false, marketing: false, data_sharing: false } }));
    expect(FACTORS.reduce((s, f) => s + weights[f], 0)).toBeCloseTo(100, 9);
    // Changing interests or needs cannot move the score of a customer who withheld consent.
    const other = scorePair(
      customer({ consent: { profiling: false, marketing: false, data_sharing: false }, interests: [], needs: ['credit_card'] }),
      manager(),
      { assigned: 0 },
    );
    expect(other.score).toBe(without.score);
  });
});

describe('validateWeights', () => {
  it('accepts the defaults and refuses negative or non-100 weights', () => {
    expect(validateWeights(DEFAULT_WEIGHTS)).toEqual([]);
    expect(validateWeights({ ...DEFAULT_WEIGHTS, needFit: -1, segmentFit: 41 })).toEqual(['needFit must be a non-negative number']);
    expect(validateWeights({ ...DEFAULT_WEIGHTS, needFit: 30 })).toEqual(['weights must sum to 100 (got 105)']);
  });
});
