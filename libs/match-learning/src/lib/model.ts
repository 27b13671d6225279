import { z } from 'zod';
import { FEATURES, type Feature, type FeatureVector } from './features';

/** The largest coefficient a model may have on a [0, 1] feature: keeps every explanation share within ±100 points. */
export const MAX_COEFFICIENT = 8;

export const MODEL_KIND = 'logistic-regression';

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const metric = finite.nullable();

export const CalibrationBucketSchema = z
  .object({ from: finite, to: finite, count: z.number().int().min(0), meanPredicted: finite, observedRate: finite })
  .strict();

export const ModelMetricsSchema = z
  .object({
    /** Held-out examples the metrics were measured on. */
    holdoutSize: z.number().int().min(0),
    holdoutPositives: z.number().int().min(0),
    /** ROC AUC of the learned probability, of the rule score alone, and of the blended score, on the same held-out set. */
    auc: metric,
    ruleAuc: metric,
    blendedAuc: metric,
    logLoss: metric,
    brier: metric,
    /** Log loss of always predicting the training base rate, for comparison. */
    baseRateLogLoss: metric,
    calibration: z.array(CalibrationBucketSchema).max(20),
  })
  .strict();
export type ModelMetrics = z.infer<typeof ModelMetricsSchema>;

/**
 * A trained model as stored (JSON): logit(p) = intercept + Σ coefficient_i × (x_i − baseline_i). Baselines are the
 * training means, so the intercept is the log-odds of an average pair, and each term is one feature's share.
 */
export const LearnedModelSchema = z
  .object({
    kind: z.literal(MODEL_KIND),
    /** Names the model in every explanation (MatchExplanation.model, at most 64 characters). */
    version: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/),
    /** What a positive example is, e.g. `accepted_and_satisfied_or_retained`. */
    label: z.string().min(1).max(64),
    features: z.array(z.enum(FEATURES)).min(1).max(FEATURES.length),
    coefficients: z.array(finite.refine((c) => Math.abs(c) <= MAX_COEFFICIENT, `|coefficient| must be at most ${MAX_COEFFICIENT}`)),
    baselines: z.array(finite.refine((b) => b >= 0 && b <= 1, 'baseline must be in [0, 1]')),
    intercept: finite.refine((b) => Math.abs(b) <= 50, 'intercept out of range'),
    trainingSize: z.number().int().min(1),
    positives: z.number().int().min(0),
    metrics: ModelMetricsSchema,
    trainedAt: z.iso.datetime(),
    /** The library and settings that fitted it. */
    trainer: z.object({ library: z.string().max(100), numSteps: z.number().int().min(1), learningRate: finite }).strict(),
  })
  .strict()
  .superRefine((m, ctx) => {
    if (new Set(m.features).size !== m.features.length) ctx.addIssue({ code: 'custom', path: ['features'], message: 'features repeat' });
    if (m.coefficients.length !== m.features.length)
      ctx.addIssue({ code: 'custom', path: ['coefficients'], message: 'one coefficient per feature' });
    if (m.baselines.length !== m.features.length) ctx.addIssue({ code: 'custom', path: ['baselines'], message: 'one baseline per feature' });
    if (m.positives > m.trainingSize) ctx.addIssue({ code: 'custom', path: ['positives'], message: 'more positives than examples' });
  });
export type LearnedModel = z.infer<typeof LearnedModelSchema>;

export class ModelValidationError extends Error {
  readonly issues: string[];

  constructor(issues: string[]) {
    super(`invalid model: ${issues.join('; ')}`);
    this.issues = issues;
    this.name = 'ModelValidationError';
  }
}

/** Parses and validates a stored model (a JSON string or an already parsed object); throws ModelValidationError. */
export function loadModel(stored: unknown): LearnedModel {
  let value = stored;
  if (typeof stored === 'string') {
    try {
      value = JSON.parse(stored);
    } catch (e) {
      throw new ModelValidationError([`not JSON: ${(e as Error).message}`]);
    }
  }
  const parsed = LearnedModelSchema.safeParse(value);
  if (!parsed.success) throw new ModelValidationError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  return parsed.data;
}

/** The JSON the service stores; `loadModel(serializeModel(m))` gives back an equal model. */
export function serializeModel(model: LearnedModel): string {
  return JSON.stringify(LearnedModelSchema.parse(model));
}

export const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** One term per model feature: coefficient × (x − baseline), 0 where the feature is unusable (null). */
export function logitTerms(model: LearnedModel, features: FeatureVector): number[] {
  return model.features.map((f: Feature, i) => {
    const x = features[f];
    return x === null ? 0 : (model.coefficients[i] as number) * (x - (model.baselines[i] as number));
  });
}

/** The model's probability of a good outcome for a pair. */
export function predictProbability(model: LearnedModel, features: FeatureVector): number {
  return sigmoid(model.intercept + logitTerms(model, features).reduce((a, b) => a + b, 0));
}
