import { z } from 'zod';
import { defineEvent } from '../../define-event';
import { MatchExplanation } from '../../domain/explanation';
import { Topic } from '../../topics';

/** Matching proposes a manager for a customer; the manager accepts or declines it. */
export const MatchProposedValue = z
  .object({
    proposalId: z.uuid(),
    customerId: z.uuid(),
    managerId: z.uuid(),
    previousManagerId: z.uuid().nullable(),
    reason: z.enum(['rebalance', 'incremental', 'manual']),
    runId: z.uuid().nullable(),
    explanation: MatchExplanation,
    proposedAt: z.iso.datetime({ offset: true }),
  })
  .strict();

export const MatchProposed = defineEvent({
  type: 'MatchProposed',
  version: 1,
  topic: Topic.MatchingAssignment,
  schema: MatchProposedValue,
  keyOf: (p) => p.customerId,
});
export type MatchProposedPayload = z.infer<typeof MatchProposedValue>;
