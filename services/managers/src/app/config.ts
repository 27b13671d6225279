import { databaseEnv, httpEnv, jwtEnv, kafkaEnv, loadConfig } from '@relationship/service-kit';
import { z } from 'zod';

/** Everything the managers service reads from its environment, validated once at start-up. */
export const managersConfigSchema = httpEnv
  .extend({ PORT: httpEnv.shape.PORT.default(3003) })
  .extend(databaseEnv.shape)
  .extend(kafkaEnv.shape)
  .extend(jwtEnv.shape);

export type ManagersConfig = z.infer<typeof managersConfigSchema>;

/** DI token of the validated configuration. */
export const MANAGERS_CONFIG = Symbol('MANAGERS_CONFIG');

export function loadManagersConfig(env: NodeJS.ProcessEnv = process.env): ManagersConfig {
  return loadConfig(managersConfigSchema, env);
}
