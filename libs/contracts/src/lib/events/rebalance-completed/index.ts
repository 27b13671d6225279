import { z } from 'zod';
import { defineEvent } from '../../define-event';
import { Topic } from '../../topics';

/** A rebalance run finished (dry run or applied), with its before/after metrics. */
export const RebalanceCompletedValue = z
  .object({
    runId: z.uuid(),
    mode: z.enum(['dry_run', 'applied']),
    customers: z.number().int().min(0),
    moved: z.number().int().min(0),
    unassigned: z.number().int().min(0),
    totalScoreBefore: z.number().min(0),
    totalScoreAfter: z.number().min(0),
    durationMs: z.number().int().min(0),
    completedAt: z.iso.datetime({ offset: true }),
  })
  .strict();

export const RebalanceCompleted = defineEvent({
  type: 'RebalanceCompleted',
  version: 1,
  topic: Topic.MatchingRun,
  schema: RebalanceCompletedValue,
  keyOf: (p) => p.runId,
});
export type RebalanceCompletedPayload = z.infer<typeof RebalanceCompletedValue>;
