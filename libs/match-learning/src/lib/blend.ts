import type { CustomerMatchSnapshot, ManagerMatchSnapshot, MatchExplanation } from '@relationship/contracts';
import {
  DEFAULT_WEIGHTS,
  type ExclusionReason,
  type FactorWeights,
  type ManagerLoad,
  scorePair,
} from '@relationship/match-scoring';
import { featureVector } from './features';
import { type LearnedModel, logitTerms, sigmoid } from './model';

/** The learned part may weigh at most half of the final score (and so every share stays within ±100 points). */
export const MAX_ALPHA = 0.5;
export const DEFAULT_ALPHA = 0.3;

/** Contribution names of the learned part: `learned:<feature>`, and the model's average pair as `learned:baseline`. */
export const LEARNED_PREFIX = 'learned:';
export const LEARNED_BASELINE = `${LEARNED_PREFIX}baseline`;

export interface BlendOptions {
  /** Weight of the learned part, 0–0.5. Default 0.3. */
  alpha?: number;
  /** Rule weights. Default DEFAULT_WEIGHTS. */
  weights?: FactorWeights;
}

export type BlendedScore = ({ eligible: true } & MatchExplanation) | { eligible: false; score: 0; exclusions: ExclusionReason[] };

const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * The final score of a pair: (1 − α) × rule score + α × 100 × p, where p is the model's probability of a good
 * outcome. Explained per feature, with contributions that sum exactly (to 0.01) to the score:
 *  - each rule factor with its weight and points scaled by (1 − α);
 *  - `learned:baseline`: α × 100 × p₀, the model's probability for an average pair (z₀ = intercept);
 *  - `learned:<feature>`: α × 100 × s × coefficient × (x − baseline), where s = (p − p₀) / (z − z₀) is the secant
 *    slope of the sigmoid (integrated gradients along the straight path from the average pair), so the shares add up
 *    to α × 100 × (p − p₀). `weight` bounds what the share can be in absolute value; points may be negative.
 * The rounding remainder goes to `learned:baseline`. Without a model (not enough feedback yet) or with α = 0, the
 * rule score alone, with `model: null`. Features withheld for lack of profiling consent take no part at all.
 */
export function blendedScore(
  customer: CustomerMatchSnapshot,
  manager: ManagerMatchSnapshot,
  load: ManagerLoad,
  model: LearnedModel | null,
  options: BlendOptions = {},
): BlendedScore {
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  if (!(alpha >= 0 && alpha <= MAX_ALPHA)) throw new RangeError(`alpha must be within [0, ${MAX_ALPHA}] (got ${alpha})`);
  const weights = options.weights ?? DEFAULT_WEIGHTS;
  const rule = scorePair(customer, manager, load, weights);
  if (!rule.eligible) return rule;
  if (model === null || alpha === 0) {
    return { eligible: true, score: rule.score, contributions: rule.contributions, omitted: rule.omitted, model: null };
  }

  const features = featureVector(customer, manager, load);
  const terms = logitTerms(model, features);
  const z0 = model.intercept;
  const z = z0 + terms.reduce((a, b) => a + b, 0);
  const p0 = sigmoid(z0);
  const p = sigmoid(z);
  const slope = Math.abs(z - z0) > 1e-9 ? (p - p0) / (z - z0) : p0 * (1 - p0);

  // The final score from the published rule score, so that anyone can recompute it; rounding is done once, at the end.
  const contributions: MatchExplanation['contributions'] = rule.contributions.map((c) => ({
    factor: c.factor,
    weight: round2((1 - alpha) * c.weight),
    value: c.value,
    points: round2((1 - alpha) * c.points),
  }));
  const baselinePoints = alpha * 100 * p0;
  const baseline = { factor: LEARNED_BASELINE, weight: round2(alpha * 100), value: round2(p0), points: round2(baselinePoints) };
  contributions.push(baseline);
  let exact = (1 - alpha) * rule.score + baselinePoints;
  model.features.forEach((f, i) => {
    const x = features[f];
    const coefficient = model.coefficients[i] as number;
    if (x === null || coefficient === 0) return;
    const share = alpha * 100 * slope * (terms[i] as number);
    exact += share;
    const reach = Math.max(model.baselines[i] as number, 1 - (model.baselines[i] as number));
    contributions.push({
      factor: `${LEARNED_PREFIX}${f}`,
      weight: round2(Math.min(100, (alpha * 100 * Math.abs(coefficient) * reach) / 4)),
      value: round2(x),
      points: round2(share),
    });
  });
  const score = round2(Math.min(100, Math.max(0, exact)));
  const remainder = round2(score - contributions.reduce((s, c) => s + c.points, 0));
  baseline.points = round2(baseline.points + remainder);
  return { eligible: true, score, contributions, omitted: rule.omitted, model: model.version };
}
