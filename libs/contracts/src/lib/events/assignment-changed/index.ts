import { z } from 'zod';
import { defineEvent } from '../../define-event';
import { MatchExplanation } from '../../domain/explanation';
import { Topic } from '../../topics';

/**
 * The current manager of a customer changed (matching owns assignments). Published by matching; profiles keeps
 * a read model of it so a manager sees only their own book.
 */
export const AssignmentChangedValue = z
  .object({
    customerId: z.uuid(),
    /** Null when the customer is left unassigned (e.g. their manager left and nobody could take them). */
    managerId: z.uuid().nullable(),
    previousManagerId: z.uuid().nullable(),
    /** Monotonic per customer, so a stale event never overwrites a newer assignment. */
    assignmentVersion: z.number().int().positive(),
    reason: z.enum(['rebalance', 'incremental', 'manual', 'manager_left', 'accepted', 'declined']),
    runId: z.uuid().nullable(),
    score: z.number().min(0).max(100).nullable(),
    /** The explanation of `score`; absent for removals. */
    explanation: MatchExplanation.optional(),
    changedAt: z.iso.datetime({ offset: true }),
  })
  .strict();

export const AssignmentChanged = defineEvent({
  type: 'AssignmentChanged',
  version: 1,
  topic: Topic.MatchingAssignment,
  schema: AssignmentChangedValue,
  keyOf: (p) => p.customerId,
});
export type AssignmentChangedPayload = z.infer<typeof AssignmentChangedValue>;
