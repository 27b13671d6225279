import { databaseEnv, httpEnv, jwtEnv, jwtSigningEnv, kafkaEnv } from '@relationship/service-kit';
import { z } from 'zod';

const positiveInt = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** Everything identity reads from its environment, validated once at start-up. */
export const identityConfigSchema = httpEnv
  .extend(databaseEnv.shape)
  .extend(kafkaEnv.shape)
  .extend(jwtEnv.shape)
  .extend(jwtSigningEnv.shape)
  .extend({
    // 0 lets tests and tools pick a free port.
    PORT: z.coerce.number().int().min(0).max(65535).default(3001),
    ACCESS_TOKEN_TTL_SECONDS: positiveInt(60, 86_400).default(900),
    REFRESH_TOKEN_TTL_SECONDS: positiveInt(300, 90 * 86_400).default(604_800),
    /** Failures one client may make for one username before its attempts are delayed. */
    LOGIN_MAX_FAILURES: positiveInt(1, 100).default(5),
    /** The longest sign-in delay of one client for one username (it doubles from 1 s after LOGIN_MAX_FAILURES failures). */
    LOGIN_LOCK_MINUTES: positiveInt(1, 24 * 60).default(15),
    /** Failures older than this no longer count towards the lock. */
    LOGIN_WINDOW_MINUTES: positiveInt(1, 24 * 60).default(15),
  })
  .superRefine((config, ctx) => {
    // A revoked user's token is refused within seconds anyway; a short life bounds what a stolen one is worth.
    if (config.NODE_ENV === 'production' && config.ACCESS_TOKEN_TTL_SECONDS > 900) {
      ctx.addIssue({ code: 'custom', path: ['ACCESS_TOKEN_TTL_SECONDS'], message: 'must be at most 900 (15 min) when NODE_ENV=production' });
    }
    // Every service verifies with JWT_PUBLIC_KEYS: a signing key outside it would make every token invalid.
    if (!config.JWT_PUBLIC_KEYS.has(config.JWT_PRIVATE_KEY.kid)) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_PRIVATE_KEY'],
        message: `its public key (kid ${config.JWT_PRIVATE_KEY.kid}) is not in JWT_PUBLIC_KEYS, so no service would accept the tokens it signs`,
      });
    }
  });

export type IdentityConfig = z.infer<typeof identityConfigSchema>;

/** DI token of the validated configuration. */
export const IDENTITY_CONFIG = Symbol('IDENTITY_CONFIG');
