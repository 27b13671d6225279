import { Logger } from '@nestjs/common';
import type { ReadinessCheck } from '@relationship/observability';
import { Redis } from 'ioredis';

/** How long a rate-limit check may wait for Redis before the request goes through unchecked. */
export const REDIS_COMMAND_TIMEOUT_MS = 250;
const WARN_EVERY_MS = 30_000;

/**
 * A client that fails fast instead of queueing while Redis is away, so a Redis outage costs each request at
 * most REDIS_COMMAND_TIMEOUT_MS and never takes the gateway down. It reconnects in the background.
 */
export function createRedisClient(
  url: string,
  logger = new Logger('Redis'),
): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    // one write per event-loop tick for the rate-limit scripts of all concurrent requests (fewer syscalls)
    enableAutoPipelining: true,
    maxRetriesPerRequest: 0,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  let lastWarning = 0;
  let down = false;
  redis.on('error', (error: Error) => {
    down = true;
    const now = Date.now();
    if (now - lastWarning >= WARN_EVERY_MS) {
      lastWarning = now;
      logger.warn(
        `Redis unavailable, rate limits are not enforced until it is back: ${error.message}`,
      );
    }
  });
  redis.on('ready', () => {
    if (down) logger.log('Redis reachable again, rate limits enforced');
    down = false;
  });
  return redis;
}

/** Waits until the client is ready, or gives up after `timeoutMs` without failing (Redis is optional for serving). */
export function redisReady(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      resolve(ok);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    redis.once('ready', onReady);
  });
}

export class RedisReadiness implements ReadinessCheck {
  readonly name = 'redis';
  constructor(private readonly redis: Redis) {}

  async check(): Promise<void> {
    await this.redis.ping();
  }
}
