import { z } from 'zod';
import { defineEvent } from '../../define-event';
import { Topic } from '../../topics';

/** A customer portrait exists (initially empty, created from `UserRegistered`). `version` is the portrait's own version. */
export const ProfileCreatedValue = z
  .object({
    customerId: z.uuid(),
    userId: z.uuid(),
    displayName: z.string().min(1).max(100),
    profileVersion: z.number().int().positive(),
    createdAt: z.iso.datetime({ offset: true }),
  })
  .strict();

export const ProfileCreated = defineEvent({
  type: 'ProfileCreated',
  version: 1,
  topic: Topic.ProfilesCustomer,
  schema: ProfileCreatedValue,
  keyOf: (p) => p.customerId,
});
export type ProfileCreatedPayload = z.infer<typeof ProfileCreatedValue>;
