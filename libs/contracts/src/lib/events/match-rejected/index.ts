import { z } from 'zod';
import { defineEvent } from '../../define-event';
import { MatchExplanation } from '../../domain/explanation';
import { Topic } from '../../topics';

export const MatchRejectedValue = z
  .object({
    proposalId: z.uuid(),
    customerId: z.uuid(),
    managerId: z.uuid(),
    rejectedBy: z.uuid(),
    reason: z.string().min(1).max(500),
    explanation: MatchExplanation,
    rejectedAt: z.iso.datetime({ offset: true }),
  })
  .strict();

export const MatchRejected = defineEvent({
  type: 'MatchRejected',
  version: 1,
  topic: Topic.MatchingAssignment,
  schema: MatchRejectedValue,
  keyOf: (p) => p.customerId,
});
export type MatchRejectedPayload = z.infer<typeof MatchRejectedValue>;
