import { databaseEnv, httpEnv, jwtEnv, kafkaEnv, loadConfig } from '@relationship/service-kit';
import { z } from 'zod';

export const profilesConfigSchema = httpEnv
  .extend({ PORT: httpEnv.shape.PORT.default(3002) })
  .extend(databaseEnv.shape)
  .extend(kafkaEnv.shape)
  .extend(jwtEnv.shape);

export type ProfilesConfig = z.infer<typeof profilesConfigSchema>;

export function loadProfilesConfig(env: NodeJS.ProcessEnv = process.env): ProfilesConfig {
  return loadConfig(profilesConfigSchema, env);
}
