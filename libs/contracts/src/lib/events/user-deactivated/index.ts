import { z } from 'zod';
import { defineEvent } from '../../define-event';
import { Topic } from '../../topics';

export const UserDeactivatedValue = z
  .object({
    userId: z.uuid(),
    deactivatedBy: z.uuid(),
    reason: z.string().min(1).max(500),
    deactivatedAt: z.iso.datetime({ offset: true }),
  })
  .strict();

export const UserDeactivated = defineEvent({
  type: 'UserDeactivated',
  version: 1,
  topic: Topic.IdentityUser,
  schema: UserDeactivatedValue,
  keyOf: (p) => p.userId,
});
export type UserDeactivatedPayload = z.infer<typeof UserDeactivatedValue>;
