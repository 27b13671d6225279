import { databaseEnv, httpEnv, jwtEnv, kafkaEnv, loadConfig } from '@relationship/service-kit';
import { z } from 'zod';

/** Everything the analytics service reads from its environment, validated once at start-up. */
export const analyticsConfigSchema = httpEnv
  .extend({
    PORT: httpEnv.shape.PORT.default(3005),
    /** How often the live stream pushes a message (the issue's "at most once a second" is the floor). */
    LIVE_INTERVAL_MS: z.coerce.number().int().min(1000).max(60_000).default(1000),
    /**
     * Kafka partitions handled at once by the event feed. 1 by default: the rollups are shared counter rows, and
     * concurrent transactions on them deadlock (retried, but each retry restarts the consumer).
     */
    FEED_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(1),
    /**
     * Services whose readiness (and, for matching, rematch latency from its /metrics) the live board shows:
     * `name=http://host:port` comma-separated; empty: none.
     */
    LIVE_SERVICES: z
      .string()
      .default('')
      .transform((v, ctx) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
          .map((entry) => {
            const [name, url] = entry.split('=');
            if (!name || !url || !/^https?:\/\/[^\s/]+$/.test(url.replace(/\/+$/, ''))) ctx.addIssue({ code: 'custom', message: `"${entry}" is not name=http://host:port` });
            return { name, url: (url ?? '').replace(/\/+$/, '') };
          }),
      ),
    LIVE_PROBE_INTERVAL_MS: z.coerce.number().int().min(1000).max(60_000).default(5000),
  })
  .extend(databaseEnv.shape)
  .extend(kafkaEnv.shape)
  .extend(jwtEnv.shape);

export type AnalyticsConfig = z.infer<typeof analyticsConfigSchema>;

/** DI token of the validated configuration. */
export const ANALYTICS_CONFIG = Symbol('ANALYTICS_CONFIG');

export function loadAnalyticsConfig(env: NodeJS.ProcessEnv = process.env): AnalyticsConfig {
  return loadConfig(analyticsConfigSchema, env);
}
