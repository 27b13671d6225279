import { z } from 'zod';
import { Topic } from './topics';

/**
 * One event contract: its name, payload schema version, topic, how its key is derived and the payload schema.
 * A breaking payload change gets a new version (and, if consumers cannot cope, a new topic major).
 */
export interface EventContract<TType extends string, TSchema extends z.ZodType> {
  readonly type: TType;
  readonly version: number;
  readonly topic: Topic;
  readonly schema: TSchema;
  readonly keyOf: (payload: z.infer<TSchema>) => string;
}

export function defineEvent<TType extends string, TSchema extends z.ZodType>(
  contract: EventContract<TType, TSchema>,
): EventContract<TType, TSchema> {
  return contract;
}

export type PayloadOf<C> = C extends EventContract<string, infer S> ? z.infer<S> : never;
