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
    (e?.cause !== undefined && e.cause !== error && isRetryableLockError(e.cause))
  );
}

/**
 * Runs `work` in a transaction on a fresh EntityManager, again (up to `attempts` times) when InnoDB rolls it back as a
 * deadlock victim: concurrent inserts into the same unique indexes (an import while the consumer creates drafts) can
 * deadlock without anything being wrong. `work` must build everything it writes inside the callback.
 */
export async function inTransaction<T>(orm: MikroORM, work: (tx: EntityManager) => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await (orm.em.fork() as EntityManager).transactional(work);
    } catch (error) {
      if (attempt >= attempts || !isRetryableLockError(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25 * attempt + Math.floor(Math.random() * 25)));
    }
  }
}
