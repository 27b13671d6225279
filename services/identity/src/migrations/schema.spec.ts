import { MikroORM } from '@mikro-orm/mysql';
import { migrateWithLock } from '@relationship/persistence';
import { identityOrmOptions } from '../app/database/orm-options';
import { IDENTITY_TABLES, identityTestConfig } from '../testing/identity-test-app';

/** The hand-written migration and the entity definitions must describe the same schema. */
describe('initial migration', () => {
  let orm: MikroORM;

  beforeAll(async () => {
    orm = await MikroORM.init(identityOrmOptions(identityTestConfig()));
    // Start from an empty database, whatever earlier runs left behind.
    const em = orm.em.fork();
    for (const table of [...IDENTITY_TABLES, 'mikro_orm_migrations']) await em.execute(`drop table if exists \`${table}\``);
  });

  afterAll(async () => {
    await orm?.close(true);
  });

  it('creates every table, and the entities then need no further change', async () => {
    await migrateWithLock(orm);

    const tables = await orm.em.fork().execute<{ name: string; engine: string; collation: string }[]>(
      'select table_name as name, engine, table_collation as collation from information_schema.tables where table_schema = database()',
    );
    const byName = new Map(tables.map((t) => [t.name, t]));
    for (const table of IDENTITY_TABLES) {
      expect(byName.get(table)).toEqual(expect.objectContaining({ engine: 'InnoDB', collation: expect.stringMatching(/^utf8mb4_/) }));
    }

    const diff = await orm.schema.getUpdateSchemaSQL({ wrap: false });
    expect(diff.trim()).toBe('');
  });

  it('is recorded as applied, so a second start migrates nothing', async () => {
    expect(await orm.migrator.getPending()).toEqual([]);
    const executed = await orm.migrator.getExecuted();
    expect(executed.map((m) => m.name)).toEqual(['Migration20261125000000InitialSchema', 'Migration20261204120000LoginThrottlePerClient']);
    await migrateWithLock(orm);
  });

  it('enforces the unique keys the service relies on', async () => {
    const em = orm.em.fork();
    const insert = (id: string, username: string, email: string | null) =>
      em.execute(
        "insert into user_account (id, username, email, display_name, role, password_hash, created_at, updated_at) values (?, ?, ?, 'x', 'customer', 'h', now(3), now(3))",
        [id, username, email],
      );
    await insert('00000000-0000-4000-8000-000000000001', 'dup', null);
    await insert('00000000-0000-4000-8000-000000000002', 'other', null); // two NULL emails are fine
    await expect(insert('00000000-0000-4000-8000-000000000003', 'dup', null)).rejects.toThrow(/user_account_username_unique/);
    await insert('00000000-0000-4000-8000-000000000004', 'third', 'a@example.com');
    await expect(insert('00000000-0000-4000-8000-000000000005', 'fourth', 'a@example.com')).rejects.toThrow(/user_account_email_unique/);
    await em.execute('delete from user_account');
  });
});
