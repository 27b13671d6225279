import { z } from 'zod';
import { defineEvent } from '../../define-event';
import { ManagerMatchSnapshot } from '../../domain/snapshots';
import { Topic } from '../../topics';

export const ManagerCapacityChangedValue = z
  .object({
    managerId: z.uuid(),
    managerVersion: z.number().int().positive(),
    previousCapacity: z.number().int().min(0),
    capacity: z.number().int().min(0),
    snapshot: ManagerMatchSnapshot,
    changedAt: z.iso.datetime({ offset: true }),
  })
  .strict();

export const ManagerCapacityChanged = defineEvent({
  type: 'ManagerCapacityChanged',
  version: 1,
  topic: Topic.ManagersManager,
  schema: ManagerCapacityChangedValue,
  keyOf: (p) => p.managerId,
});
export type ManagerCapacityChangedPayload = z.infer<typeof ManagerCapacityChangedValue>;
