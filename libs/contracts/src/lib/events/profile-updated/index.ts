import { z } from 'zod';
import { defineEvent } from '../../define-event';
import { CustomerMatchSnapshot } from '../../domain/snapshots';
import { Topic } from '../../topics';

/**
 * A portrait changed. Carries the whole match-relevant snapshot and the portrait's version: a consumer ignores
 * an event whose version is not newer than what it holds. `changedFields` names portrait fields, PII included
 * (by name only, never by value).
 */
export const ProfileUpdatedValue = z
  .object({
    customerId: z.uuid(),
    profileVersion: z.number().int().positive(),
    changedFields: z.array(z.string().max(64)).min(1).max(100),
    snapshot: CustomerMatchSnapshot,
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .strict();

export const ProfileUpdated = defineEvent({
  type: 'ProfileUpdated',
  version: 1,
  topic: Topic.ProfilesCustomer,
  schema: ProfileUpdatedValue,
  keyOf: (p) => p.customerId,
});
export type ProfileUpdatedPayload = z.infer<typeof ProfileUpdatedValue>;
