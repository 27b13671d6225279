import { z } from 'zod';
import { defineEvent } from '../../define-event';
import { MatchExplanation } from '../../domain/explanation';
import { Topic } from '../../topics';

export const MatchAcceptedValue = z
  .object({
    proposalId: z.uuid(),
    customerId: z.uuid(),
    managerId: z.uuid(),
    acceptedBy: z.uuid(),
    explanation: MatchExplanation,
    acceptedAt: z.iso.datetime({ offset: true }),
  })
  .strict();

export const MatchAccepted = defineEvent({
  type: 'MatchAccepted',
  version: 1,
  topic: Topic.MatchingAssignment,
  schema: MatchAcceptedValue,
  keyOf: (p) => p.customerId,
});
export type MatchAcceptedPayload = z.infer<typeof MatchAcceptedValue>;
