import { databaseEnv, httpEnv, jwtEnv, kafkaEnv, loadConfig } from '@relationship/service-kit';
import { z } from 'zod';
import { DEFAULT_SEGMENT_THRESHOLDS, parseSegmentThresholds } from './domain/segment';

export const profilesConfigSchema = httpEnv
  .extend({ PORT: httpEnv.shape.PORT.default(3002) })
  .extend(databaseEnv.shape)
  .extend(kafkaEnv.shape)
  .extend(jwtEnv.shape)
  .extend({
    /** Lower bounds (CNY) of affluent, high_net_worth and private: "500000,6000000,30000000". */
    SEGMENT_THRESHOLDS_CNY: z
      .string()
      .default(DEFAULT_SEGMENT_THRESHOLDS.join(','))
      .transform((text, ctx) => {
        try {
          return parseSegmentThresholds(text);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: (error as Error).message });
          return z.NEVER;
        }
      }),
    /** Largest CSV file accepted by POST /profiles/import (bytes). */
    IMPORT_MAX_BYTES: z.coerce.number().int().min(1024).max(512 * 1024 * 1024).default(64 * 1024 * 1024),
  });

export type ProfilesConfig = z.infer<typeof profilesConfigSchema>;

/** DI token of the validated configuration. */
export const PROFILES_CONFIG = Symbol('PROFILES_CONFIG');

export function loadProfilesConfig(env: NodeJS.ProcessEnv = process.env): ProfilesConfig {
  return loadConfig(profilesConfigSchema, env);
}
