import { z } from 'zod';
import { defineEvent } from '../../define-event';
import { CustomerMatchSnapshot } from '../../domain/snapshots';
import { Topic } from '../../topics';

/** v1: a portrait exists (the foundation's empty portrait). Kept so older messages still validate. */
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

/**
 * v2: a portrait exists, with its match snapshot (the issue's `CustomerRegistered`), from self-registration,
 * staff creation or import. No display name: matching needs none, and events stay free of PII.
 */
export const ProfileCreatedV2Value = z
  .object({
    customerId: z.uuid(),
    profileVersion: z.number().int().positive(),
    origin: z.enum(['registration', 'staff', 'import']),
    snapshot: CustomerMatchSnapshot,
    createdAt: z.iso.datetime({ offset: true }),
  })
  .strict();

export const ProfileCreatedV2 = defineEvent({
  type: 'ProfileCreated',
  version: 2,
  topic: Topic.ProfilesCustomer,
  schema: ProfileCreatedV2Value,
  keyOf: (p) => p.customerId,
});
export type ProfileCreatedV2Payload = z.infer<typeof ProfileCreatedV2Value>;
