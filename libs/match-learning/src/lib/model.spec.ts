import { FEATURES } from './features';
import { type LearnedModel, loadModel, MAX_COEFFICIENT, ModelValidationError, predictProbability, serializeModel } from './model';

const model: LearnedModel = {
  kind: 'logistic-regression',
  version: 'lr-test-1',
  label: 'accepted_and_satisfied_or_retained',
  features: [...FEATURES],
  coefficients: FEATURES.map((_, i) => (i % 2 ? 0.5 : -0.25)),
  baselines: FEATURES.map(() => 0.5),
  intercept: -0.2,
  trainingSize: 1000,
  positives: 400,
  metrics: {
    holdoutSize: 250,
    holdoutPositives: 100,
    auc: 0.7,
    ruleAuc: 0.6,
    blendedAuc: 0.66,
    logLoss: 0.62,
    brier: 0.21,
    baseRateLogLoss: 0.67,
    calibration: [{ from: 0.3, to: 0.4, count: 250, meanPredicted: 0.35, observedRate: 0.4 }],
  },
  trainedAt: '2026-11-25T12:00:00.000Z',
  trainer: { library: 'ml-logistic-regression@2.0.0', numSteps: 300, learningRate: 1 },
};

const rejects = (stored: unknown, pattern: RegExp) => {
  try {
    loadModel(stored);
  } catch (e) {
    expect(e).toBeInstanceOf(ModelValidationError);
    expect((e as ModelValidationError).message).toMatch(pattern);
    return;
  }
  throw new Error('expected the model to be rejected');
};

describe('stored models', () => {
  it('round-trip through JSON', () => {
    const json = serializeModel(model);
    expect(JSON.parse(json).version).toBe('lr-test-1');
    expect(loadModel(json)).toEqual(model);
    expect(loadModel(JSON.parse(json))).toEqual(model);
  });

  it('reject anything malformed, naming the problem', () => {
    rejects('{not json', /not JSON/);
    rejects({ ...model, kind: 'random-forest' }, /kind/);
    rejects({ ...model, coefficients: model.coefficients.slice(1) }, /one coefficient per feature/);
    rejects({ ...model, baselines: [...model.baselines, 0.5] }, /one baseline per feature/);
    rejects({ ...model, features: ['needFit', 'shoeSize'], coefficients: [1, 1], baselines: [0.5, 0.5] }, /features\.1/);
    rejects({ ...model, features: ['needFit', 'needFit'], coefficients: [1, 1], baselines: [0.5, 0.5] }, /repeat/);
    rejects({ ...model, coefficients: model.coefficients.map((c, i) => (i ? c : MAX_COEFFICIENT + 1)) }, /coefficients\.0/);
    rejects(JSON.parse(JSON.stringify({ ...model, intercept: Number.NaN })), /intercept/);
    rejects({ ...model, version: 'x'.repeat(65) }, /version/);
    rejects({ ...model, trainedAt: 'yesterday' }, /trainedAt/);
    rejects({ ...model, extra: true }, /extra|unrecognized/i);
    rejects({ ...model, positives: 2000 }, /positives/);
    rejects(null, /root|expected object/i);
  });

  it('predict from stored coefficients: logit = intercept + Σ coefficient × (x − baseline)', () => {
    const atBaseline = Object.fromEntries(FEATURES.map((f) => [f, 0.5])) as Record<(typeof FEATURES)[number], number>;
    expect(predictProbability(model, atBaseline)).toBeCloseTo(1 / (1 + Math.exp(0.2)), 12);
    const shifted = { ...atBaseline, segmentFit: 1 };
    expect(predictProbability(model, shifted)).toBeCloseTo(1 / (1 + Math.exp(-(-0.2 + 0.5 * 0.5))), 12);
    expect(predictProbability(model, { ...shifted, segmentFit: null })).toBeCloseTo(predictProbability(model, atBaseline), 12);
  });
});
