import { FEATURES } from './features';
import { loadModel, serializeModel } from './model';
import { simulatedExamples } from './testing/simulation';
import { goodOutcome, isHeldOut, shouldUseModel, trainModel, type TrainingExample } from './train';

const examples = simulatedExamples(3_000, 7);
const now = new Date('2026-11-25T12:00:00Z');
const trained = trainModel(examples, { seed: 3, now });
if (trained.status !== 'trained') throw new Error(`expected a model, got ${trained.status}`);
const model = trained.model;
const coefficient = (f: string) => model.coefficients[model.features.indexOf(f as (typeof FEATURES)[number])] as number;

describe('goodOutcome', () => {
  it('is accepted and then satisfied (4+) or retained', () => {
    expect(goodOutcome({ accepted: true, satisfaction: 4, retained: false })).toBe(true);
    expect(goodOutcome({ accepted: true, satisfaction: 2, retained: true })).toBe(true);
    expect(goodOutcome({ accepted: true, satisfaction: 3, retained: false })).toBe(false);
    expect(goodOutcome({ accepted: false, satisfaction: null, retained: null })).toBe(false);
  });
});

describe('trainModel', () => {
  it('refuses below the minimum amount of feedback, so the rule weights stay alone', () => {
    const few = trainModel(examples.slice(0, 199));
    expect(few).toMatchObject({ status: 'insufficient_feedback', samples: 199, required: { samples: 200, perClass: 30 } });
    const least = trainModel(examples.slice(0, 200), { version: 'v7' });
    expect(least.status === 'trained' && least.model.version).toBe('v7');
    const positives = examples.filter((e) => e.label).slice(0, 29);
    const lopsided = [...examples.filter((e) => !e.label).slice(0, 600), ...positives];
    expect(trainModel(lopsided)).toMatchObject({ status: 'insufficient_feedback', positives: 29 });
    expect(trainModel(examples.slice(0, 400), { minSamples: 500 }).status).toBe('insufficient_feedback');
  });

  it('learns beyond the rule score: better held-out AUC and log loss than the rule score and the base rate', () => {
    const m = model.metrics;
    expect(m.holdoutSize).toBeGreaterThan(400);
    expect(m.auc as number).toBeGreaterThan((m.ruleAuc as number) + 0.05);
    expect(m.blendedAuc as number).toBeGreaterThan(m.ruleAuc as number);
    expect(m.logLoss as number).toBeLessThan(m.baseRateLogLoss as number);
    expect(model.trainingSize + m.holdoutSize).toBe(examples.length);
    expect(shouldUseModel(model)).toBe(true);
    expect(shouldUseModel({ ...model, metrics: { ...m, auc: (m.ruleAuc as number) - 0.01 } })).toBe(false);
    expect(shouldUseModel({ ...model, metrics: { ...m, logLoss: (m.baseRateLogLoss as number) + 0.01 } })).toBe(false);
    expect(shouldUseModel({ ...model, metrics: { ...m, auc: null } })).toBe(false);
  });

  it('finds the hidden drivers: performance (a proxy of skill) and seniority for wealthy customers', () => {
    expect(coefficient('performance')).toBeGreaterThan(1);
    expect(coefficient('seniorityForWealth')).toBeGreaterThan(0.5);
    expect(coefficient('needFit')).toBeGreaterThan(0);
    // Every simulated pair shares a language: no variance, no coefficient.
    expect(coefficient('language')).toBe(0);
  });

  it('is deterministic for the same feedback, seed and time, and versions the model by its content', () => {
    const again = trainModel(examples, { seed: 3, now });
    expect(again.status === 'trained' && again.model).toEqual(model);
    expect(model.version).toMatch(/^lr-20261125T120000-[0-9a-f]{8}$/);
    const otherSplit = trainModel(examples, { seed: 4, now });
    expect(otherSplit.status === 'trained' && otherSplit.model.version).not.toBe(model.version);
  });

  it('holds out whole customers: every example of a key is on the same side', () => {
    const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    for (const k of keys) expect(isHeldOut(k, 3, 0.2)).toBe(isHeldOut(k, 3, 0.2));
    const share = Array.from({ length: 10_000 }, (_, i) => isHeldOut(`k${i}`, 9, 0.2)).filter(Boolean).length / 10_000;
    expect(share).toBeGreaterThan(0.18);
    expect(share).toBeLessThan(0.22);
    const repeated: TrainingExample[] = examples.slice(0, 400).flatMap((e) => [e, { ...e }]);
    const r = trainModel(repeated, { seed: 3, now });
    if (r.status !== 'trained') throw new Error('expected a model');
    expect(r.model.trainingSize % 2).toBe(0);
    expect(r.model.metrics.holdoutSize % 2).toBe(0);
  });

  it('recovers from a step size that overshoots', () => {
    const r = trainModel(examples.slice(0, 1_000), { seed: 3, now, learningRate: 50 });
    if (r.status !== 'trained') throw new Error('expected a model');
    expect(r.model.trainer.learningRate).toBeLessThan(50);
    expect(r.model.metrics.logLoss as number).toBeLessThan(r.model.metrics.baseRateLogLoss as number);
  });

  it('produces a model that survives storage', () => {
    expect(loadModel(serializeModel(model))).toEqual(model);
  });
});
