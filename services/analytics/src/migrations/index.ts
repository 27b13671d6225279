import { Migration20261204200000_read_models } from './Migration20261204200000_read_models';
import { Migration20261204210000_feed_generation } from './Migration20261204210000_feed_generation';

/** Checked-in migrations, oldest first; listed explicitly so the webpack bundle carries them. */
export const analyticsMigrations = [
  { name: 'Migration20261204200000_read_models', class: Migration20261204200000_read_models },
  { name: 'Migration20261204210000_feed_generation', class: Migration20261204210000_feed_generation },
];
