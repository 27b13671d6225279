import { z } from 'zod';
import { defineEvent } from '../../define-event';
import { ROLES } from '../../roles';
import { Topic } from '../../topics';

/** Key: the user id. */
export const UserRegisteredKey = z.uuid();

/** A new account exists: a customer who signed up, or a manager/admin an admin created. */
export const UserRegisteredValue = z
  .object({
    userId: z.uuid(),
    username: z.string().min(3).max(64),
    role: z.enum(ROLES),
    displayName: z.string().min(1).max(100),
    email: z.email().nullable(),
    phone: z.string().max(32).nullable(),
    registeredAt: z.iso.datetime({ offset: true }),
  })
  .strict();

export const UserRegistered = defineEvent({
  type: 'UserRegistered',
  version: 1,
  topic: Topic.IdentityUser,
  schema: UserRegisteredValue,
  keyOf: (p) => p.userId,
});
export type UserRegisteredPayload = z.infer<typeof UserRegisteredValue>;
