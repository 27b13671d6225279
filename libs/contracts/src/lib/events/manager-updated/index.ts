import { z } from 'zod';
import { defineEvent } from '../../define-event';
import { ManagerMatchSnapshot } from '../../domain/snapshots';
import { Topic } from '../../topics';

/** Any registry change other than capacity or availability (those have their own events). */
export const ManagerUpdatedValue = z
  .object({
    managerId: z.uuid(),
    managerVersion: z.number().int().positive(),
    changedFields: z.array(z.string().max(64)).min(1).max(100),
    snapshot: ManagerMatchSnapshot,
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .strict();

export const ManagerUpdated = defineEvent({
  type: 'ManagerUpdated',
  version: 1,
  topic: Topic.ManagersManager,
  schema: ManagerUpdatedValue,
  keyOf: (p) => p.managerId,
});
export type ManagerUpdatedPayload = z.infer<typeof ManagerUpdatedValue>;
