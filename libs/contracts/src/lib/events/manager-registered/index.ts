import { z } from 'zod';
import { defineEvent } from '../../define-event';
import { ManagerMatchSnapshot } from '../../domain/snapshots';
import { Topic } from '../../topics';

export const ManagerRegisteredValue = z
  .object({
    managerId: z.uuid(),
    managerVersion: z.number().int().positive(),
    snapshot: ManagerMatchSnapshot,
    registeredAt: z.iso.datetime({ offset: true }),
  })
  .strict();

export const ManagerRegistered = defineEvent({
  type: 'ManagerRegistered',
  version: 1,
  topic: Topic.ManagersManager,
  schema: ManagerRegisteredValue,
  keyOf: (p) => p.managerId,
});
export type ManagerRegisteredPayload = z.infer<typeof ManagerRegisteredValue>;
