import { Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { GatewayMetrics } from './gateway-metrics';

const WINDOW_MS = 60_000;
const WARN_EVERY_MS = 30_000;

/** Fixed window: INCR, and start the window's expiry on the first hit (or if the key somehow lost its TTL). */
const INCREMENT = `
local current = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {current, ttl}
`;

type IncrCallback = (
  error: Error | null,
  result?: { current: number; ttl: number },
) => void;
type RedisWithScript = Redis & {
  gatewayRateLimit(
    key: string,
    windowMs: number,
    cb: (e: Error | null, r?: [number, number]) => void,
  ): void;
};

/**
 * A store for @fastify/rate-limit over a shared Redis, so every gateway replica counts against the same
 * counters. A Redis failure is reported to the plugin (which skips the check: `skipOnError`), counted and
 * logged as a warning at most every 30 s.
 */
export function redisRateLimitStore(
  redis: Redis,
  keyPrefix: string,
  metrics: GatewayMetrics,
  logger = new Logger('RateLimit'),
) {
  if (!(redis as unknown as Partial<RedisWithScript>).gatewayRateLimit) {
    redis.defineCommand('gatewayRateLimit', {
      numberOfKeys: 1,
      lua: INCREMENT,
    });
  }
  let lastWarning = 0;
  return class RedisRateLimitStore {
    incr(
      key: string,
      callback: IncrCallback,
      timeWindow: number = WINDOW_MS,
    ): void {
      (redis as unknown as RedisWithScript).gatewayRateLimit(
        keyPrefix + key,
        timeWindow,
        (error, result) => {
          if (error || !result) {
            metrics.rateLimitSkipped.inc();
            const now = Date.now();
            if (now - lastWarning >= WARN_EVERY_MS) {
              lastWarning = now;
              logger.warn(
                `rate limit not checked, Redis failed: ${error?.message ?? 'no result'}`,
              );
            }
            callback(error ?? new Error('no result from Redis'));
            return;
          }
          callback(null, {
            current: Number(result[0]),
            ttl: Number(result[1]),
          });
        },
      );
    }

    /** The plugin asks for a child store per limiter; keys already say which limiter they belong to. */
    child(): RedisRateLimitStore {
      return this;
    }
  };
}

export type RateLimitResult = Awaited<
  ReturnType<ReturnType<FastifyInstance['createRateLimit']>>
>;
export type Limiter = (request: FastifyRequest) => Promise<RateLimitResult>;

export interface Limiters {
  /** Per user id when authenticated, else per client IP. */
  global: Limiter;
  /** Per client IP, for register / login / refresh. */
  auth: Limiter;
}

export function createLimiters(
  fastify: FastifyInstance,
  options: {
    perMinute: number;
    authPerMinute: number;
    userOf: (request: FastifyRequest) => string | undefined;
  },
): Limiters {
  return {
    global: fastify.createRateLimit({
      max: options.perMinute,
      timeWindow: WINDOW_MS,
      keyGenerator: (request) => {
        const user = options.userOf(request);
        return user ? `g:u:${user}` : `g:ip:${request.ip}`;
      },
    }),
    auth: fastify.createRateLimit({
      max: options.authPerMinute,
      timeWindow: WINDOW_MS,
      keyGenerator: (request) => `auth:ip:${request.ip}`,
    }),
  };
}
