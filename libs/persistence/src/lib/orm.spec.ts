import { MariaDbDriver } from '@mikro-orm/mariadb';
import { MySqlDriver } from '@mikro-orm/mysql';
import { isDuplicateKeyError, ormOptions } from './orm';

describe('ormOptions', () => {
  const db = { DATABASE_URL: 'mysql://app:p%40ss@db.internal:3307/relationship_identity', DB_POOL_MAX: 7 };

  it('chooses the driver by configuration and parses the URL', () => {
    const maria = ormOptions({ ...db, DB_DRIVER: 'mariadb' }, { entities: [], migrations: [] });
    expect(maria.driver).toBe(MariaDbDriver);
    expect(maria).toMatchObject({ host: 'db.internal', port: 3307, user: 'app', password: 'p@ss', dbName: 'relationship_identity' });
    expect(ormOptions({ ...db, DB_DRIVER: 'mysql' }, { entities: [], migrations: [] }).driver).toBe(MySqlDriver);
  });
});

describe('isDuplicateKeyError', () => {
  it('recognises duplicate keys by name, code, errno or cause', () => {
    expect(isDuplicateKeyError({ name: 'UniqueConstraintViolationException' })).toBe(true);
    expect(isDuplicateKeyError({ code: 'ER_DUP_ENTRY' })).toBe(true);
    expect(isDuplicateKeyError({ cause: { errno: 1062 } })).toBe(true);
    expect(isDuplicateKeyError(new Error('deadlock'))).toBe(false);
  });
});
