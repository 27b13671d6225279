import {
  httpEnv,
  jwtEnv,
  loadConfig,
  redisEnv,
  type TrustProxy,
} from '@relationship/service-kit';
import { z } from 'zod';

const serviceUrl = z
  .url({
    protocol: /^https?$/,
    error: (issue) =>
      issue.input === undefined ? 'required' : 'must be an http(s) URL',
  })
  .transform((v) => v.replace(/\/+$/, ''));

/** An empty value counts as unset, so `MANAGERS_URL=` in an env file leaves the routes out. */
const optionalServiceUrl = z.preprocess(
  (v) => (v === '' ? undefined : v),
  serviceUrl.optional(),
);

const positiveInt = (max: number) => z.coerce.number().int().min(1).max(max);

const origin = /^https?:\/\/[^/\s]+$/;

export const gatewayEnv = httpEnv
  .extend({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    IDENTITY_URL: serviceUrl,
    PROFILES_URL: serviceUrl,
    MANAGERS_URL: optionalServiceUrl,
    MATCHING_URL: optionalServiceUrl,
    ANALYTICS_URL: optionalServiceUrl,
    CORS_ORIGINS: z
      .string()
      .default('http://localhost:4200')
      .transform((v) =>
        v
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean),
      )
      .refine(
        (list) => list.every((o) => origin.test(o)),
        'must be a comma-separated list of origins like https://portal.example.com',
      ),
    RATE_LIMIT_PER_MINUTE: positiveInt(1_000_000).default(600),
    AUTH_RATE_LIMIT_PER_MINUTE: positiveInt(1_000_000).default(20),
    /** Prefix of the rate-limit counters in Redis (tests use a unique one per run). */
    RATE_LIMIT_KEY_PREFIX: z.string().min(1).max(100).default('gateway:rl:'),
    UPSTREAM_TIMEOUT_MS: positiveInt(300_000).default(10_000),
    /** Limits of bulk operations (CSV import/export, apply-all), which move large bodies and run for minutes. */
    BULK_BODY_LIMIT_BYTES: positiveInt(1024 * 1024 * 1024).default(100 * 1024 * 1024),
    BULK_TIMEOUT_MS: positiveInt(3_600_000).default(300_000),
    /**
     * Whose X-Forwarded-For the gateway believes when it decides a client's address (per-IP rate limits, the
     * X-Forwarded-For it sends on). Default: proxies on private networks (an ingress or load balancer), never
     * a client on the internet. `true`/`false`, a hop count, or addresses / CIDRs / `loopback,uniquelocal`.
     */
    TRUST_PROXY: z
      .string()
      .default('loopback,linklocal,uniquelocal')
      .transform((v): TrustProxy => {
        const value = v.trim();
        if (value === 'true') return true;
        if (value === 'false' || value === '') return false;
        if (/^\d+$/.test(value)) return Number(value);
        return value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
      }),
  })
  .extend(jwtEnv.shape)
  .extend(redisEnv.shape);

export type GatewayConfig = z.infer<typeof gatewayEnv>;

/** Validates the environment at start-up; throws a ConfigurationError naming every bad variable. */
export function loadGatewayConfig(
  env: NodeJS.ProcessEnv = process.env,
): GatewayConfig {
  return loadConfig(gatewayEnv, env);
}
