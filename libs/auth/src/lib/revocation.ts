import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';

/** Sorted set of revoked users: member = user id, score = revocation time (epoch seconds). */
export const REVOCATIONS_KEY = 'auth:revoked-users';
/** Entries older than the longest access-token lifetime identity allows reject nothing and are trimmed. */
export const REVOCATION_WINDOW_SECONDS = 86_400;
const WARN_EVERY_MS = 30_000;

/**
 * Access tokens of a deactivated user, or one whose role changed, stop working within `refreshMs`: identity
 * records the user here (in Redis, shared by every replica of every service) and each verifier keeps a copy
 * that it refreshes every `refreshMs`, so checking a token costs a map lookup. A token issued in the
 * revocation's second is rejected too (`iat` has one-second resolution): the client refreshes once more.
 * While Redis is unreachable, the last copy stays in force.
 */
export class RevokedUsers implements OnApplicationBootstrap, OnApplicationShutdown {
  private revokedAt = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private lastWarning = 0;
  private ownsClient = false;
  private readonly logger = new Logger('RevokedUsers');

  constructor(
    private readonly redis: Redis,
    private readonly refreshMs = 1_000,
  ) {}

  /** With a client of its own, closed when the app shuts down (a service's AuthModule). */
  static fromUrl(url: string, refreshMs?: number): RevokedUsers {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, commandTimeout: 2_000 });
    redis.on('error', () => undefined); // reported by the refresh (throttled) and by revoke's caller
    const revoked = new RevokedUsers(redis, refreshMs);
    revoked.ownsClient = true;
    return revoked;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stop();
    if (this.ownsClient) await this.redis.quit().catch(() => this.redis.disconnect());
  }

  /** Whether a token of `userId` issued at `issuedAtSeconds` was issued before the user's latest revocation. */
  isRevoked(userId: string, issuedAtSeconds: number): boolean {
    const at = this.revokedAt.get(userId);
    return at !== undefined && issuedAtSeconds <= at;
  }

  /** Records a revocation (identity, before it commits the change that causes it); in force here at once. */
  async revoke(userId: string, atMs = Date.now()): Promise<void> {
    const at = Math.floor(atMs / 1000);
    await this.redis
      .multi()
      .zadd(REVOCATIONS_KEY, 'GT', at, userId)
      .zremrangebyscore(REVOCATIONS_KEY, '-inf', `(${at - REVOCATION_WINDOW_SECONDS}`)
      .exec();
    if ((this.revokedAt.get(userId) ?? -Infinity) < at) this.revokedAt.set(userId, at);
  }

  /** Reads the current revocations from Redis. */
  async refresh(): Promise<void> {
    const since = Math.floor(Date.now() / 1000) - REVOCATION_WINDOW_SECONDS;
    const flat = await this.redis.zrange(REVOCATIONS_KEY, since, '+inf', 'BYSCORE', 'WITHSCORES');
    const next = new Map<string, number>();
    for (let i = 0; i + 1 < flat.length; i += 2) next.set(flat[i] as string, Number(flat[i + 1]));
    this.revokedAt = next;
  }

  /** Loads the revocations once (best effort), then keeps refreshing in the background. */
  async start(): Promise<void> {
    await this.refreshQuietly();
    this.timer ??= setInterval(() => void this.refreshQuietly(), this.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async refreshQuietly(): Promise<void> {
    try {
      await this.refresh();
    } catch (error) {
      const now = Date.now();
      if (now - this.lastWarning >= WARN_EVERY_MS) {
        this.lastWarning = now;
        this.logger.warn(`cannot read revoked users from Redis, the last known list stays in force: ${(error as Error).message}`);
      }
    }
  }
}
