import { Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { GatewayMetrics } from './gateway-metrics';

const WINDOW_MS = 60_000;
const WARN_EVERY_MS = 30_000;

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

/**
 * The limiters, counted by the plugin's Redis store (registered with `redis` and `nameSpace`), so every gateway
 * replica counts against the same fixed-window counters. The plugin runs with `skipOnError: false` so that a
 * Redis failure reaches this wrapper: the request goes through unchecked, the skip is counted and logged as a
 * warning at most every 30 s. (The plugin's store keys a limiter made by createRateLimit as
 * `<nameSpace>undefinedundefined-<key>`: it names route limiters by method and URL, and these have neither.)
 */
export function createLimiters(
  fastify: FastifyInstance,
  options: {
    perMinute: number;
    authPerMinute: number;
    userOf: (request: FastifyRequest) => string | undefined;
    metrics: GatewayMetrics;
    logger?: Logger;
  },
): Limiters {
  const logger = options.logger ?? new Logger('RateLimit');
  let lastWarning = 0;
  const skippingOnError = (limiter: Limiter): Limiter => async (request) => {
    try {
      return await limiter(request);
    } catch (error) {
      options.metrics.rateLimitSkipped.inc();
      const now = Date.now();
      if (now - lastWarning >= WARN_EVERY_MS) {
        lastWarning = now;
        logger.warn(`rate limit not checked, Redis failed: ${(error as Error).message}`);
      }
      return { isAllowed: true, key: '' };
    }
  };
  return {
    global: skippingOnError(
      fastify.createRateLimit({
        max: options.perMinute,
        timeWindow: WINDOW_MS,
        keyGenerator: (request) => {
          const user = options.userOf(request);
          return user ? `g:u:${user}` : `g:ip:${request.ip}`;
        },
      }),
    ),
    auth: skippingOnError(
      fastify.createRateLimit({
        max: options.authPerMinute,
        timeWindow: WINDOW_MS,
        keyGenerator: (request) => `auth:ip:${request.ip}`,
      }),
    ),
  };
}
