import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/mysql';

/** InnoDB picked this transaction as a deadlock victim (or a lock wait timed out): running it again is safe. */
export function isRetryableLockError(error: unknown): boolean {
  const e = error as { name?: string; code?: string; errno?: number; cause?: unknown };
  return (
    e?.name === 'DeadlockException' ||
    e?.name === 'LockWaitTimeoutException' ||
    e?.code === 'ER_LOCK_DEADLOCK' ||
    e?.code === 'ER_LOCK_WAIT_TIMEOUT' ||
    e?.errno === 1213 ||
    e?.errno === 1205 ||
    (e?.cause !== undefined && e.cause !== error && isRetryableLockError(e.cause))
  );
}

/**
 * A fresh EntityManager of the SQL driver in use (MariaDB or MySQL, both SqlEntityManager): the one place that
 * narrows MikroORM's driver-neutral type, so callers get `execute`, `createQueryBuilder` and `transactional` typed.
 */
export function forkEm(orm: MikroORM): EntityManager {
  return orm.em.fork() as EntityManager;
}

/** Attempts of `inTransaction` unless told otherwise: enough for a handful of requests racing on one row. */
export const TRANSACTION_ATTEMPTS = 5;

/**
 * The one way services run a write transaction: `work` on a fresh EntityManager, run again (up to `attempts` times,
 * after a jittered, growing pause) when InnoDB rolls it back as a deadlock victim or a lock wait times out.
 * Concurrent requests on one row (parallel logins to one account, inserts into the same unique indexes) can deadlock
 * without anything being wrong; the caller sees the outcome of the run that went through, never the deadlock.
 * `work` must build everything it writes inside the callback (it may run more than once).
 */
export async function inTransaction<T>(orm: MikroORM, work: (tx: EntityManager) => Promise<T>, attempts = TRANSACTION_ATTEMPTS): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await forkEm(orm).transactional(work);
    } catch (error) {
      if (attempt >= attempts || !isRetryableLockError(error)) throw error;
      const pause = Math.min(400, 10 * 2 ** attempt);
      await new Promise((resolve) => setTimeout(resolve, pause + Math.floor(Math.random() * pause)));
    }
  }
}
