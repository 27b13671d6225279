import type { Options } from '@mikro-orm/mysql';
import { ormOptions } from '@relationship/persistence';
import { Migration20261125000000InitialSchema } from '../../migrations/Migration20261125000000InitialSchema';
import { Migration20261204120000LoginThrottlePerClient } from '../../migrations/Migration20261204120000LoginThrottlePerClient';
import type { IdentityConfig } from '../config';
import { identityEntities } from './entities';

/** Checked-in migrations, oldest first; listed explicitly so the webpack bundle carries them. */
export const identityMigrations = [
  { name: 'Migration20261125000000InitialSchema', class: Migration20261125000000InitialSchema },
  { name: 'Migration20261204120000LoginThrottlePerClient', class: Migration20261204120000LoginThrottlePerClient },
];

export function identityOrmOptions(config: IdentityConfig): Options {
  // No ANSI colours: MikroORM's own log lines (migrations) end up inside JSON logs.
  return { ...ormOptions(config, { entities: identityEntities, migrations: identityMigrations }), colors: false };
}
