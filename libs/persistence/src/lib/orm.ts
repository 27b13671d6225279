import { MikroORM, type MigrationObject } from '@mikro-orm/core';
import type { Provider } from '@nestjs/common';
import { MariaDbDriver } from '@mikro-orm/mariadb';
import { Migrator } from '@mikro-orm/migrations';
import { MySqlDriver, type Options } from '@mikro-orm/mysql';
import type { ReadinessCheck } from '@relationship/observability';

export interface DatabaseSettings {
  DATABASE_URL: string;
  DB_DRIVER: 'mariadb' | 'mysql';
  DB_POOL_MAX: number;
}

export interface OrmSetup {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  entities: any[];
  /** Checked-in migrations, listed explicitly so they survive bundling. */
  migrations: MigrationObject[];
  debug?: boolean;
}

/** MikroORM options; the driver is picked by configuration (MariaDB locally and in CI, MySQL 8 in some deployments). */
export function ormOptions(db: DatabaseSettings, setup: OrmSetup): Options {
  const url = new URL(db.DATABASE_URL.replace(/^mariadb:/, 'mysql:'));
  return {
    driver: db.DB_DRIVER === 'mysql' ? MySqlDriver : MariaDbDriver,
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    dbName: url.pathname.slice(1),
    entities: setup.entities,
    extensions: [Migrator],
    pool: { min: 0, max: db.DB_POOL_MAX },
    timezone: '+00:00',
    debug: setup.debug ?? false,
    migrations: {
      migrationsList: setup.migrations,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      tableName: 'mikro_orm_migrations',
    },
    // Services always fork or use a request context; touching the global identity map is a bug.
    allowGlobalContext: false,
    ensureDatabase: false,
  } as Options;
}

/**
 * Applies pending migrations under a MariaDB/MySQL named lock, so that several replicas
 * starting at once migrate exactly once.
 */
export async function migrateWithLock(orm: MikroORM, lockName = 'relationship_migrations'): Promise<void> {
  const connection = orm.em.getConnection();
  const knexLock = await connection.execute<{ locked: number }[]>('SELECT GET_LOCK(?, 60) AS locked', [lockName]);
  if (Number(knexLock[0]?.locked) !== 1) throw new Error(`could not take migration lock ${lockName} within 60 s`);
  try {
    await orm.migrator.up();
  } finally {
    await connection.execute('SELECT RELEASE_LOCK(?)', [lockName]);
  }
}

export class DatabaseReadiness implements ReadinessCheck {
  readonly name = 'database';
  constructor(private readonly orm: MikroORM) {}

  async check(): Promise<void> {
    await this.orm.em.getConnection().execute('SELECT 1');
  }
}

export function isDuplicateKeyError(error: unknown): boolean {
  const e = error as { code?: string; errno?: number; name?: string; cause?: unknown };
  return (
    e?.name === 'UniqueConstraintViolationException' ||
    e?.code === 'ER_DUP_ENTRY' ||
    e?.errno === 1062 ||
    (e?.cause !== undefined && e.cause !== error && isDuplicateKeyError(e.cause))
  );
}

/**
 * A CHECK constraint refused the statement (MariaDB 4025 ER_CONSTRAINT_FAILED, MySQL 8 3819
 * ER_CHECK_CONSTRAINT_VIOLATED), e.g. a manager's load above capacity. The statement had no effect.
 */
export function isCheckConstraintError(error: unknown): boolean {
  const e = error as { code?: string; errno?: number; name?: string; cause?: unknown };
  return (
    e?.name === 'CheckConstraintViolationException' ||
    e?.code === 'ER_CONSTRAINT_FAILED' ||
    e?.code === 'ER_CHECK_CONSTRAINT_VIOLATED' ||
    e?.errno === 4025 ||
    e?.errno === 3819 ||
    (e?.cause !== undefined && e.cause !== error && isCheckConstraintError(e.cause))
  );
}

/** The database readiness check as a Nest provider, for HealthModule.forRoot({ providers }). */
export const databaseReadinessProvider: Provider = {
  provide: DatabaseReadiness,
  useFactory: (orm: MikroORM) => new DatabaseReadiness(orm),
  inject: [MikroORM],
};
