// The package ships no types; a reference (not an import) makes the ambient declaration reach every project that
// compiles this library through its path alias (services/matching), not only this library's own tsconfig.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./ml-logistic-regression.d.ts" />
import type { CustomerMatchSnapshot, ManagerMatchSnapshot } from '@relationship/contracts';
import { type ManagerLoad, scorePair } from '@relationship/match-scoring';
import { hashString } from '@relationship/seeded-random';
import LogisticRegression from 'ml-logistic-regression';
import { Matrix } from 'ml-matrix';
import { FEATURES, type Feature, featureVector, type FeatureVector } from './features';
import { brierScore, calibration, logLoss, rocAuc } from './metrics';
import { type LearnedModel, LearnedModelSchema, MAX_COEFFICIENT, MODEL_KIND, type ModelMetrics, predictProbability } from './model';

/** What happened after a pair was proposed (the shape the simulator and, later, the service record). */
export interface FeedbackOutcome {
  accepted: boolean;
  /** 1–5; null when declined or not rated yet. */
  satisfaction: number | null;
  /** Still a customer 12 months on; null when declined or not known yet. */
  retained: boolean | null;
  /** AUM change after 12 months as a fraction; not part of the default label. */
  aumGrowth12m?: number | null;
}

export const DEFAULT_LABEL = 'accepted_and_satisfied_or_retained';

/** The default label: accepted, and then rated 4 or 5 or still a customer a year later. */
export function goodOutcome(outcome: FeedbackOutcome): boolean {
  return outcome.accepted && ((outcome.satisfaction ?? 0) >= 4 || outcome.retained === true);
}

/** One labelled pair. `key` (e.g. the customer id) keeps all of a customer's examples on one side of the split. */
export interface TrainingExample {
  features: FeatureVector;
  label: boolean;
  /** The rule score (0–100) the pair had, for comparing the model with the rule score on held-out data. */
  ruleScore: number;
  key?: string;
}

/** A training example from a pair and its outcome: features (consent-aware), label and rule score. */
export function toExample(
  customer: CustomerMatchSnapshot,
  manager: ManagerMatchSnapshot,
  load: ManagerLoad,
  outcome: FeedbackOutcome,
  label: (o: FeedbackOutcome) => boolean = goodOutcome,
): TrainingExample {
  return {
    features: featureVector(customer, manager, load),
    label: label(outcome),
    ruleScore: scorePair(customer, manager, load).score,
    key: customer.customerId,
  };
}

export interface TrainOptions {
  /** Fewer examples than this (training and held-out together): no model. Default 200. */
  minSamples?: number;
  /** Fewer positives or negatives than this: no model. Default 30. */
  minPerClass?: number;
  /** Share of examples (by key) held out for evaluation. Default 0.2. */
  holdoutFraction?: number;
  /** Seeds the held-out split. Default 1. */
  seed?: number;
  /** Gradient steps of the library's trainer. Default 300. */
  numSteps?: number;
  /** Step size on the mean gradient of standardised features (halved while the fit diverges). Default 1. */
  learningRate?: number;
  /** Weight of the learned part in the blended score the metrics report. Default 0.3. */
  alpha?: number;
  label?: string;
  version?: string;
  now?: Date;
}

export type TrainResult =
  | { status: 'trained'; model: LearnedModel }
  | {
      status: 'insufficient_feedback';
      samples: number;
      positives: number;
      negatives: number;
      required: { samples: number; perClass: number };
    };

export const TRAINER_LIBRARY = 'ml-logistic-regression@2.0.0';

/** Deterministic held-out split by (seed, key): the same key always lands on the same side. */
export function isHeldOut(key: string, seed: number, fraction: number): boolean {
  return hashString(`${seed}|${key}`) / 4294967296 < fraction;
}

/**
 * Fits a logistic regression on the examples with the library's trainer (standardised features plus an intercept
 * column), evaluates it on a held-out split, and returns a stored-form model. Refuses (insufficient_feedback)
 * below the minimum, so that the service keeps the rule weights alone.
 */
export function trainModel(examples: readonly TrainingExample[], options: TrainOptions = {}): TrainResult {
  const minSamples = options.minSamples ?? 200;
  const minPerClass = options.minPerClass ?? 30;
  const positives = examples.filter((e) => e.label).length;
  const negatives = examples.length - positives;
  if (examples.length < minSamples || positives < minPerClass || negatives < minPerClass) {
    return { status: 'insufficient_feedback', samples: examples.length, positives, negatives, required: { samples: minSamples, perClass: minPerClass } };
  }
  const seed = options.seed ?? 1;
  const fraction = options.holdoutFraction ?? 0.2;
  const train: TrainingExample[] = [];
  const holdout: TrainingExample[] = [];
  examples.forEach((e, i) => (isHeldOut(e.key ?? `#${i}`, seed, fraction) ? holdout : train).push(e));
  const trainPositives = train.filter((e) => e.label).length;
  if (trainPositives === 0 || trainPositives === train.length) {
    return { status: 'insufficient_feedback', samples: examples.length, positives, negatives, required: { samples: minSamples, perClass: minPerClass } };
  }

  // Baseline = training mean of the usable values; a withheld (null) value is the baseline, so it has no effect.
  const baselines = FEATURES.map((f) => mean(train.map((e) => e.features[f]).filter((x): x is number => x !== null)));
  const value = (e: TrainingExample, k: number) => e.features[FEATURES[k] as Feature] ?? (baselines[k] as number);
  const deviations = FEATURES.map((_, k) => Math.sqrt(mean(train.map((e) => (value(e, k) - (baselines[k] as number)) ** 2))));
  // Features that barely vary (e.g. language, always matched among eligible pairs) are left out of the fit.
  const used = FEATURES.map((_, k) => (deviations[k] as number) > 0.02);

  const numSteps = options.numSteps ?? 300;
  const rows = new Matrix(train.map((e) => [1, ...FEATURES.map((_, k) => (used[k] ? (value(e, k) - (baselines[k] as number)) / (deviations[k] as number) : 0))]));
  const target = Matrix.columnVector(train.map((e) => (e.label ? 1 : 0)));
  const baseRateLoss = logLoss(train.map(() => trainPositives / train.length), train.map((e) => e.label));
  // Gradient steps that overshoot oscillate instead of converging (a large gradient left, a loss no better than the
  // base rate): halve the step and fit again.
  let learningRate = options.learningRate ?? 1;
  let weights = fit(rows, target, numSteps, learningRate / train.length);
  for (let attempt = 0; attempt < 6 && !converged(rows, target, weights, baseRateLoss); attempt++) {
    learningRate /= 2;
    weights = fit(rows, target, numSteps, learningRate / train.length);
  }

  const coefficients = FEATURES.map((_, k) => {
    const c = used[k] ? (weights[k + 1] as number) / (deviations[k] as number) : 0;
    return Math.max(-MAX_COEFFICIENT, Math.min(MAX_COEFFICIENT, c));
  });
  const trainedAt = (options.now ?? new Date()).toISOString();
  const draft: LearnedModel = {
    kind: MODEL_KIND,
    version: '',
    label: options.label ?? DEFAULT_LABEL,
    features: [...FEATURES],
    coefficients,
    baselines: baselines.map((b) => Math.min(1, Math.max(0, b))),
    intercept: weights[0] as number,
    trainingSize: train.length,
    positives: trainPositives,
    metrics: emptyMetrics(),
    trainedAt,
    trainer: { library: TRAINER_LIBRARY, numSteps, learningRate },
  };
  draft.version = options.version ?? `lr-${trainedAt.replace(/[-:]/g, '').slice(0, 15)}-${hashString(JSON.stringify(draft.coefficients)).toString(16).padStart(8, '0')}`;
  draft.metrics = evaluate(draft, holdout, options.alpha ?? 0.3, train);
  return { status: 'trained', model: LearnedModelSchema.parse(draft) };
}

/** The library's binary trainer (its multi-class wrapper would fit one classifier per class: twice the work for two). */
function fit(rows: Matrix, target: Matrix, numSteps: number, learningRate: number): number[] {
  const trainer = LogisticRegression.load({
    name: 'LogisticRegression',
    numSteps,
    learningRate,
    numberClasses: 1,
    classifiers: [{ numSteps, learningRate, weights: null }],
  });
  const classifier = trainer.classifiers[0];
  if (!classifier) throw new Error('ml-logistic-regression did not create its classifier');
  classifier.train(rows, target);
  return classifier.weights.to1DArray();
}

/** Whether a fit has settled: its mean gradient is small and it beats always predicting the base rate. */
function converged(rows: Matrix, target: Matrix, weights: readonly number[], baseRateLoss: number): boolean {
  const n = rows.rows;
  const gradient = new Array<number>(rows.columns).fill(0);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const row = rows.getRow(i);
    const p = 1 / (1 + Math.exp(-row.reduce((sum, x, k) => sum + x * (weights[k] as number), 0)));
    const y = target.get(i, 0);
    loss -= y ? Math.log(Math.max(p, 1e-12)) : Math.log(Math.max(1 - p, 1e-12));
    row.forEach((x, k) => (gradient[k] = (gradient[k] as number) + ((y - p) * x) / n));
  }
  return loss / n < baseRateLoss && Math.max(...gradient.map(Math.abs)) < 0.01;
}

function mean(xs: readonly number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
}

function emptyMetrics(): ModelMetrics {
  return { holdoutSize: 0, holdoutPositives: 0, auc: null, ruleAuc: null, blendedAuc: null, logLoss: null, brier: null, baseRateLogLoss: null, calibration: [] };
}

/** Held-out quality of a model next to the rule score alone, on the same examples. */
export function evaluate(model: LearnedModel, holdout: readonly TrainingExample[], alpha = 0.3, train: readonly TrainingExample[] = []): ModelMetrics {
  const labels = holdout.map((e) => e.label);
  const probabilities = holdout.map((e) => predictProbability(model, e.features));
  const positives = labels.filter(Boolean).length;
  const baseRate = train.length ? train.filter((e) => e.label).length / train.length : positives / Math.max(1, holdout.length);
  return {
    holdoutSize: holdout.length,
    holdoutPositives: positives,
    auc: rocAuc(probabilities, labels),
    ruleAuc: rocAuc(holdout.map((e) => e.ruleScore), labels),
    blendedAuc: rocAuc(holdout.map((e, i) => (1 - alpha) * e.ruleScore + alpha * 100 * (probabilities[i] as number)), labels),
    logLoss: holdout.length ? logLoss(probabilities, labels) : null,
    brier: holdout.length ? brierScore(probabilities, labels) : null,
    baseRateLogLoss: holdout.length ? logLoss(holdout.map(() => baseRate), labels) : null,
    calibration: calibration(probabilities, labels, 10),
  };
}

/**
 * Whether a freshly trained model should replace the rule score alone: on its held-out feedback it must rank at
 * least as well as the rule score and predict better than the base rate. Otherwise keep the rule weights.
 */
export function shouldUseModel(model: LearnedModel): boolean {
  const m = model.metrics;
  if (m.auc === null || m.ruleAuc === null || m.logLoss === null || m.baseRateLogLoss === null) return false;
  return m.auc >= m.ruleAuc && m.logLoss < m.baseRateLogLoss;
}
