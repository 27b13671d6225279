import { Migration20261125000000_initial } from './Migration20261125000000_initial';
import { Migration20261201000000_portraits } from './Migration20261201000000_portraits';
import { Migration20261202000000_search_indexes } from './Migration20261202000000_search_indexes';
import { Migration20261203000000_search_masks } from './Migration20261203000000_search_masks';
import { Migration20261204000000_manager_accounts } from './Migration20261204000000_manager_accounts';

/** Checked-in migrations, oldest first; listed explicitly so the webpack bundle carries them. */
export const profilesMigrations = [
  { name: 'Migration20261125000000_initial', class: Migration20261125000000_initial },
  { name: 'Migration20261201000000_portraits', class: Migration20261201000000_portraits },
  { name: 'Migration20261202000000_search_indexes', class: Migration20261202000000_search_indexes },
  { name: 'Migration20261203000000_search_masks', class: Migration20261203000000_search_masks },
  { name: 'Migration20261204000000_manager_accounts', class: Migration20261204000000_manager_accounts },
];
