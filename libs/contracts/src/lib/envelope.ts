import { z } from 'zod';

/** The envelope every event travels in; `version` is the payload schema version. */
export const envelopeSchema = z
  .object({
    id: z.uuid(),
    type: z.string().min(1).max(100),
    version: z.number().int().positive(),
    occurredAt: z.iso.datetime({ offset: true }),
    source: z.string().min(1).max(100),
    key: z.string().min(1).max(200),
    correlationId: z.string().max(200).nullable(),
    payload: z.unknown(),
  })
  .strict();

export type EventEnvelope<TPayload = unknown> = Omit<z.infer<typeof envelopeSchema>, 'payload'> & {
  payload: TPayload;
};
