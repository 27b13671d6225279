import { z } from 'zod';
import { defineEvent } from '../../define-event';
import { ROLES } from '../../roles';
import { Topic } from '../../topics';

export const UserRoleChangedValue = z
  .object({
    userId: z.uuid(),
    previousRole: z.enum(ROLES),
    role: z.enum(ROLES),
    changedBy: z.uuid(),
    changedAt: z.iso.datetime({ offset: true }),
  })
  .strict();

export const UserRoleChanged = defineEvent({
  type: 'UserRoleChanged',
  version: 1,
  topic: Topic.IdentityUser,
  schema: UserRoleChangedValue,
  keyOf: (p) => p.userId,
});
export type UserRoleChangedPayload = z.infer<typeof UserRoleChangedValue>;
