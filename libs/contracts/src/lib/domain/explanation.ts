import { z } from 'zod';

/** One factor's share of a match score: contributions sum to the score. */
export const ScoreContribution = z
  .object({
    factor: z.string().min(1).max(64),
    weight: z.number().min(0).max(100),
    value: z.number().min(0).max(1),
    points: z.number().min(-100).max(100),
  })
  .strict();

/** A score with its explanation, as matching publishes it. `model` names the learned model version, if any. */
export const MatchExplanation = z
  .object({
    score: z.number().min(0).max(100),
    contributions: z.array(ScoreContribution).max(50),
    omitted: z.array(z.object({ factor: z.string().max(64), reason: z.string().max(64) }).strict()).max(50),
    model: z.string().max(64).nullable(),
  })
  .strict();
export type MatchExplanation = z.infer<typeof MatchExplanation>;
