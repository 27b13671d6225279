import { LockMode, MikroORM } from '@mikro-orm/core';
import { Inject, Injectable } from '@nestjs/common';
import { inTransaction } from '@relationship/persistence';
import { IDENTITY_CONFIG, type IdentityConfig } from '../config';
import { LoginThrottle } from '../database/entities';
import { registerAttempt, throttleKey, type AttemptVerdict, type ThrottleSettings } from './login-throttle';

/** Stores `registerAttempt` decisions per username and client, serialised by a row lock so concurrent attempts all count. */
@Injectable()
export class LoginThrottleService {
  private readonly settings: ThrottleSettings;

  constructor(
    private readonly orm: MikroORM,
    @Inject(IDENTITY_CONFIG) config: IdentityConfig,
  ) {
    this.settings = {
      maxFailures: config.LOGIN_MAX_FAILURES,
      windowMs: config.LOGIN_WINDOW_MINUTES * 60_000,
      lockMs: config.LOGIN_LOCK_MINUTES * 60_000,
    };
  }

  async registerAttempt(username: string, client: string | null, now = new Date()): Promise<AttemptVerdict> {
    const key = throttleKey(username, client);
    return inTransaction(this.orm, async (tx) => {
      // Make sure a row exists to lock; IGNORE keeps a concurrent first attempt from failing.
      await tx.execute(
        'insert ignore into login_throttle (throttle_key, username, failures, window_started_at, locked_until) values (?, ?, 0, ?, null)',
        [key, username, now],
      );
      const row = await tx.findOneOrFail(LoginThrottle, { throttleKey: key }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      const verdict = registerAttempt(row.failures === 0 ? null : row, now, this.settings);
      if (verdict.allowed) Object.assign(row, verdict.state);
      return verdict;
    });
  }

  /** A successful login forgets this client's failures (retried: it races the insert-then-lock of concurrent attempts). */
  async clear(username: string, client: string | null): Promise<void> {
    await inTransaction(this.orm, (tx) => tx.nativeDelete(LoginThrottle, { throttleKey: throttleKey(username, client) }));
  }

  /** An admin's unlock: every client's delay for this username; returns how many were cleared. */
  async clearAll(username: string): Promise<number> {
    return inTransaction(this.orm, (tx) => tx.nativeDelete(LoginThrottle, { username }));
  }
}
