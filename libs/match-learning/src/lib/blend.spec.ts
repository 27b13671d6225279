import { MatchExplanation } from '@relationship/contracts';
import { scorePair } from '@relationship/match-scoring';
import { blendedScore, LEARNED_BASELINE } from './blend';
import { featureVector } from './features';
import { predictProbability } from './model';
import { simulate, simulatedExamples } from './testing/simulation';
import { trainModel } from './train';

const trained = trainModel(simulatedExamples(3_000, 7), { seed: 3, now: new Date('2026-11-25T12:00:00Z') });
if (trained.status !== 'trained') throw new Error('expected a model');
const model = trained.model;
const pairs = simulate(400, 99);
const round2 = (x: number) => Math.round(x * 100) / 100;

describe('blendedScore', () => {
  it('is (1 − α) × rule score + α × 100 × p, and its contributions sum exactly to it', () => {
    for (const alpha of [0.1, 0.3, 0.5]) {
      for (const { customer, manager, assigned } of pairs) {
        const load = { assigned };
        const result = blendedScore(customer, manager, load, model, { alpha });
        if (!result.eligible) throw new Error('simulated pairs are eligible');
        const rule = scorePair(customer, manager, load);
        const p = predictProbability(model, featureVector(customer, manager, load));
        expect(Math.abs(result.score - ((1 - alpha) * rule.score + alpha * 100 * p))).toBeLessThanOrEqual(0.0051);
        expect(round2(result.contributions.reduce((s, c) => s + c.points, 0))).toBe(result.score);
        expect(result.model).toBe(model.version);
        MatchExplanation.parse({ score: result.score, contributions: result.contributions, omitted: result.omitted, model: result.model });
        for (const c of result.contributions.filter((x) => x.factor.startsWith('learned:') && x.factor !== LEARNED_BASELINE)) {
          expect(Math.abs(c.points)).toBeLessThanOrEqual(c.weight + 0.01);
        }
      }
    }
  });

  it('explains the learned part per feature: shares are signed and follow the coefficients', () => {
    const signs = new Set<number>();
    for (const { customer, manager, assigned } of pairs) {
      const result = blendedScore(customer, manager, { assigned }, model);
      if (!result.eligible) continue;
      const performance = result.contributions.find((c) => c.factor === 'learned:performance');
      const base = model.baselines[model.features.indexOf('performance')] as number;
      if (performance && performance.value !== round2(base)) {
        // A positive coefficient: above-average performance adds points, below-average takes them away.
        expect(Math.sign(performance.points) === Math.sign(performance.value - base) || performance.points === 0).toBe(true);
        signs.add(Math.sign(performance.points));
      }
    }
    expect(signs).toEqual(new Set([1, -1]));
  });

  it('keeps the rule score alone without a model or with α = 0', () => {
    const { customer, manager, assigned } = pairs[0] as (typeof pairs)[number];
    const rule = scorePair(customer, manager, { assigned });
    if (!rule.eligible) throw new Error('expected eligible');
    for (const result of [blendedScore(customer, manager, { assigned }, null), blendedScore(customer, manager, { assigned }, model, { alpha: 0 })]) {
      expect(result).toEqual({ eligible: true, score: rule.score, contributions: rule.contributions, omitted: rule.omitted, model: null });
    }
  });

  it('gives features withheld for lack of profiling consent no effect at all', () => {
    const withConsent = pairs.find((p) => p.customer.consent.profiling && p.customer.needs.length > 0);
    if (!withConsent) throw new Error('fixture has a consenting customer with needs');
    const { manager, assigned } = withConsent;
    const base = { ...withConsent.customer, consent: { ...withConsent.customer.consent, profiling: false } };
    const variants = [
      base,
      { ...base, needs: [...manager.expertise] },
      { ...base, needs: [], interests: [...manager.interests] },
      { ...base, interests: ['no-such-interest'] },
    ];
    const results = variants.map((c) => blendedScore(c, manager, { assigned }, model));
    for (const r of results) {
      if (!r.eligible) throw new Error('expected eligible');
      expect(r.score).toBe(results[0]?.score);
      expect(r.contributions.map((c) => c.factor)).not.toEqual(expect.arrayContaining(['needFit']));
      expect(r.contributions.some((c) => /needFit|sharedInterests/.test(c.factor))).toBe(false);
      expect(r.omitted.map((o) => o.factor).sort()).toEqual(['needFit', 'sharedInterests']);
    }
    // With consent the same changes do move the score (so the check above can fail).
    const consenting = { ...base, consent: { ...base.consent, profiling: true } };
    const a = blendedScore({ ...consenting, needs: [...manager.expertise] }, manager, { assigned }, model);
    const b = blendedScore({ ...consenting, needs: ['family_trust'] }, manager, { assigned }, model);
    expect(a.score).not.toBe(b.score);
  });

  it('refuses an out-of-range α and passes exclusions through', () => {
    const { customer, manager, assigned } = pairs[0] as (typeof pairs)[number];
    expect(() => blendedScore(customer, manager, { assigned }, model, { alpha: 0.6 })).toThrow(RangeError);
    expect(() => blendedScore(customer, manager, { assigned }, model, { alpha: -0.1 })).toThrow(RangeError);
    const full = blendedScore(customer, manager, { assigned: manager.capacity }, model);
    expect(full).toEqual({ eligible: false, score: 0, exclusions: ['manager_full'] });
  });
});
