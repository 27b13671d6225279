import type { MikroORM } from '@mikro-orm/core';
import { inTransaction, isRetryableLockError } from './transaction';

describe('inTransaction', () => {
  const ormWith = (transactional: () => Promise<unknown>) => ({ em: { fork: () => ({ transactional }) } }) as unknown as MikroORM;

  it('recognises deadlocks and lock wait timeouts, also as causes', () => {
    expect(isRetryableLockError({ name: 'DeadlockException' })).toBe(true);
    expect(isRetryableLockError({ code: 'ER_LOCK_WAIT_TIMEOUT' })).toBe(true);
    expect(isRetryableLockError(Object.assign(new Error('wrapped'), { cause: { errno: 1213 } }))).toBe(true);
    expect(isRetryableLockError({ name: 'UniqueConstraintViolationException' })).toBe(false);
  });

  it('runs a deadlock victim again, and gives up after the last attempt', async () => {
    let calls = 0;
    const flaky = ormWith(async () => {
      calls += 1;
      if (calls < 3) throw Object.assign(new Error('Deadlock found'), { name: 'DeadlockException' });
      return 'done';
    });
    await expect(inTransaction(flaky, async () => 'x')).resolves.toBe('done');
    expect(calls).toBe(3);
    expect(isRetryableLockError({ errno: 1205 })).toBe(true);

    calls = 0;
    await expect(inTransaction(flaky, async () => 'x', 2)).rejects.toThrow('Deadlock found');
    const other = ormWith(async () => {
      throw new Error('duplicate');
    });
    await expect(inTransaction(other, async () => 'x')).rejects.toThrow('duplicate');
  });
});
