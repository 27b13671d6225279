import { LockMode, MikroORM } from '@mikro-orm/core';
import { Inject, Injectable } from '@nestjs/common';
import { inTransaction } from '@relationship/persistence';
import { IDENTITY_CONFIG, type IdentityConfig } from '../config';
import { LoginThrottle } from '../database/entities';
import { registerAttempt, type AttemptVerdict, type ThrottleSettings } from './login-throttle';

/** Stores `registerAttempt` decisions per username, serialised by a row lock so concurrent attempts all count. */
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

  async registerAttempt(username: string, now = new Date()): Promise<AttemptVerdict> {
    return inTransaction(this.orm, async (tx) => {
      // Make sure a row exists to lock; IGNORE keeps a concurrent first attempt from failing.
      await tx.execute(
        'insert ignore into login_throttle (username, failures, window_started_at, locked_until) values (?, 0, ?, null)',
        [username, now],
      );
      const row = await tx.findOneOrFail(LoginThrottle, { username }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      const verdict = registerAttempt(row.failures === 0 ? null : row, now, this.settings);
      if (verdict.allowed) Object.assign(row, verdict.state);
      return verdict;
    });
  }

  /** A successful login forgets earlier failures (retried: it races the insert-then-lock of concurrent attempts). */
  async clear(username: string): Promise<void> {
    await inTransaction(this.orm, (tx) => tx.nativeDelete(LoginThrottle, { username }));
  }
}
