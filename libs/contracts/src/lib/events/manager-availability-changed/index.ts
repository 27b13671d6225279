import { z } from 'zod';
import { defineEvent } from '../../define-event';
import { ManagerMatchSnapshot } from '../../domain/snapshots';
import { MANAGER_AVAILABILITY } from '../../domain/vocabulary';
import { Topic } from '../../topics';

/** A manager went on leave (optionally with a cover manager), came back, or left the bank. */
export const ManagerAvailabilityChangedValue = z
  .object({
    managerId: z.uuid(),
    managerVersion: z.number().int().positive(),
    previousAvailability: z.enum(MANAGER_AVAILABILITY),
    availability: z.enum(MANAGER_AVAILABILITY),
    coverManagerId: z.uuid().nullable(),
    snapshot: ManagerMatchSnapshot,
    changedAt: z.iso.datetime({ offset: true }),
  })
  .strict();

export const ManagerAvailabilityChanged = defineEvent({
  type: 'ManagerAvailabilityChanged',
  version: 1,
  topic: Topic.ManagersManager,
  schema: ManagerAvailabilityChangedValue,
  keyOf: (p) => p.managerId,
});
export type ManagerAvailabilityChangedPayload = z.infer<typeof ManagerAvailabilityChangedValue>;
