import { Migration } from '@mikro-orm/migrations';

/**
 * What the run reconciler needs to tell a stuck run from a busy one: when the run last made progress, when it was
 * last resumed (jobs failed before that belong to an earlier attempt), and how often its lost jobs were re-queued.
 */
export class Migration20261204000000_run_recovery extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table rebalance_run
        add column progressed_at datetime(3) null,
        add column resumed_at datetime(3) null,
        add column recoveries int not null default 0,
        add key rebalance_run_status_idx (status, progressed_at)`,
    );
    this.addSql('update rebalance_run set progressed_at = coalesce(finished_at, started_at, created_at)');
  }
}
