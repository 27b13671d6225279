import { Migration } from '@mikro-orm/migrations';
import { messagingTablesSql } from '@relationship/messaging';

/**
 * The read models (see read-models/entities.ts) and the idempotent consumer's processed-event table (the outbox
 * table comes with it; analytics publishes nothing). Everything here is rebuilt by a replay.
 */
export class Migration20261204200000_read_models extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create table `customer_state` (`customer_id` varchar(36) not null, `profile_version` int not null default 0, `segment` varchar(32) null, `aum_cny` numeric(20,2) not null default 0, `risk_level` varchar(8) null, `age_band` varchar(16) null, `branch_id` varchar(64) null, `city` varchar(64) null, `lifecycle` varchar(16) null, `tags` text null, `needs` text null, `created_at` datetime(3) null, `manager_id` varchar(36) null, `assignment_version` int not null default 0, `assignment_score` double null, `unassigned_reason` varchar(32) null, `unassigned_since` datetime(3) null, primary key (`customer_id`)) default character set utf8mb4 engine = InnoDB;',
    );
    this.addSql(
      'alter table `customer_state` add index `customer_state_manager_idx` (`manager_id`);',
    );
    this.addSql(
      'alter table `customer_state` add index `customer_state_unassigned_idx` (`manager_id`, `unassigned_reason`);',
    );
    this.addSql(
      'create table `distribution_count` (`dimension` varchar(16) not null, `manager_id` varchar(36) not null, `value` varchar(64) not null, `customers` int not null default 0, `aum_cny` numeric(20,2) not null default 0, primary key (`dimension`, `manager_id`, `value`)) default character set utf8mb4 engine = InnoDB;',
    );
    this.addSql(
      'create table `manager_state` (`manager_id` varchar(36) not null, `manager_version` int not null default 0, `user_id` varchar(36) null, `display_name` varchar(100) null, `branch_id` varchar(64) null, `capacity` int not null default 0, `availability` varchar(16) null, `satisfaction` double null, `retention` double null, `aum_growth` double null, `book_size` int not null default 0, primary key (`manager_id`)) default character set utf8mb4 engine = InnoDB;',
    );
    this.addSql(
      'alter table `manager_state` add index `manager_state_user_idx` (`user_id`);',
    );
    this.addSql(
      'create table `match_daily` (`day` date not null, `manager_id` varchar(36) not null, `proposed` int not null default 0, `accepted` int not null default 0, `declined` int not null default 0, `accept_seconds_sum` numeric(20,3) not null default 0, `accept_timed` int not null default 0, `score_sum` numeric(20,4) not null default 0, primary key (`day`, `manager_id`)) default character set utf8mb4 engine = InnoDB;',
    );
    this.addSql(
      'create table `match_score_band` (`day` date not null, `manager_id` varchar(36) not null, `band` smallint unsigned not null, `proposals` int not null default 0, primary key (`day`, `manager_id`, `band`)) default character set utf8mb4 engine = InnoDB;',
    );
    this.addSql("create table `proposal_state` (`proposal_id` varchar(36) not null, `customer_id` varchar(36) not null, `manager_id` varchar(36) not null, `reason` varchar(16) null, `run_id` varchar(36) null, `score` double null, `proposed_at` datetime(3) null, `outcome` varchar(16) not null default 'pending', `resolved_at` datetime(3) null, primary key (`proposal_id`)) default character set utf8mb4 engine = InnoDB;");
    this.addSql(
      'alter table `proposal_state` add index `proposal_state_proposed_idx` (`proposed_at`);',
    );
    this.addSql(
      'alter table `proposal_state` add index `proposal_state_run_idx` (`run_id`);',
    );
    this.addSql(
      'alter table `proposal_state` add index `proposal_state_manager_idx` (`manager_id`, `proposed_at`);',
    );
    this.addSql(
      'create table `run_summary` (`run_id` varchar(36) not null, `mode` varchar(16) not null, `customers` int not null, `moved` int not null, `unassigned` int not null, `total_score_before` double not null, `total_score_after` double not null, `duration_ms` int not null, `completed_at` datetime(3) not null, primary key (`run_id`)) default character set utf8mb4 engine = InnoDB;',
    );
    this.addSql(
      'alter table `run_summary` add index `run_summary_completed_idx` (`completed_at`);',
    );
    this.addSql(
      'create table `trend_daily` (`metric` varchar(32) not null, `series` varchar(32) not null, `manager_id` varchar(36) not null, `day` date not null, `value` numeric(20,2) not null default 0, primary key (`metric`, `series`, `manager_id`, `day`)) default character set utf8mb4 engine = InnoDB;',
    );
    for (const sql of messagingTablesSql()) this.addSql(sql);
  }

  override async down(): Promise<void> {
    for (const table of ['customer_state', 'distribution_count', 'manager_state', 'match_daily', 'match_score_band', 'proposal_state', 'run_summary', 'trend_daily', 'outbox_message', 'processed_event']) {
      this.addSql(`drop table if exists \`${table}\`;`);
    }
  }
}
