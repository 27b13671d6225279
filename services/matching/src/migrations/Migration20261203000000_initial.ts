import { Migration } from '@mikro-orm/migrations';
import { auditTablesSql } from '@relationship/audit';
import { messagingTablesSql } from '@relationship/messaging';
import { Migration20261204000000_run_recovery } from './Migration20261204000000_run_recovery';

const TABLE = 'default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB';

/**
 * Matching's schema. The current assignment is one row per customer (so a customer can never have two managers),
 * and a manager's load is maintained by triggers on that row and bounded by a CHECK: no code path, however
 * concurrent, can put a manager over capacity or let the load drift from the assignments.
 */
export class Migration20261203000000_initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table customer_snapshot (
        customer_id varchar(36) not null, user_id varchar(36) null, profile_version int not null,
        segment varchar(16) not null, city varchar(64) null, home_branch_id varchar(64) null,
        snapshot json not null, updated_at datetime(3) not null,
        primary key (customer_id), unique key customer_snapshot_user_id_unique (user_id)) ${TABLE}`,
    );
    this.addSql(
      `create table manager_snapshot (
        manager_id varchar(36) not null, user_id varchar(36) null, manager_version int not null,
        availability varchar(16) not null, capacity int not null, city varchar(64) null, branch_id varchar(64) not null,
        snapshot json not null, updated_at datetime(3) not null,
        primary key (manager_id), unique key manager_snapshot_user_id_unique (user_id)) ${TABLE}`,
    );
    this.addSql(
      `create table manager_load (
        manager_id varchar(36) not null, assigned int not null default 0, capacity int not null,
        primary key (manager_id),
        constraint manager_load_within_capacity check (assigned >= 0 and assigned <= capacity)) ${TABLE}`,
    );
    this.addSql(
      `create table assignment (
        customer_id varchar(36) not null, manager_id varchar(36) null,
        version int not null default 0, state varchar(16) null, proposal_id varchar(36) null,
        score decimal(5,2) null, explanation json null, reason varchar(32) null, run_id varchar(36) null,
        pinned tinyint(1) not null default 0, updated_at datetime(3) not null,
        primary key (customer_id), unique key assignment_proposal_id_unique (proposal_id),
        key assignment_manager_state_idx (manager_id, state),
        constraint assignment_manager_fk foreign key (manager_id) references manager_load (manager_id),
        constraint assignment_state_consistent check (
          (manager_id is null and state is null and proposal_id is null) or
          (manager_id is not null and state in ('proposed', 'accepted') and proposal_id is not null))) ${TABLE}`,
    );
    this.addSql(
      `create trigger assignment_load_on_insert after insert on assignment for each row
       begin
         if new.manager_id is not null then update manager_load set assigned = assigned + 1 where manager_id = new.manager_id; end if;
       end`,
    );
    this.addSql(
      `create trigger assignment_load_on_update after update on assignment for each row
       begin
         if not (old.manager_id <=> new.manager_id) then
           if old.manager_id is not null then update manager_load set assigned = assigned - 1 where manager_id = old.manager_id; end if;
           if new.manager_id is not null then update manager_load set assigned = assigned + 1 where manager_id = new.manager_id; end if;
         end if;
       end`,
    );
    this.addSql(
      `create trigger assignment_load_on_delete after delete on assignment for each row
       begin
         if old.manager_id is not null then update manager_load set assigned = assigned - 1 where manager_id = old.manager_id; end if;
       end`,
    );
    this.addSql(
      `create table assignment_history (
        id bigint unsigned not null auto_increment, customer_id varchar(36) not null,
        manager_id varchar(36) null, previous_manager_id varchar(36) null, assignment_version int not null,
        event varchar(16) not null, reason varchar(32) not null, run_id varchar(36) null,
        score decimal(5,2) null, explanation json null,
        actor_id varchar(36) null, actor_role varchar(16) null, note varchar(500) null, created_at datetime(3) not null,
        primary key (id), key assignment_history_customer_idx (customer_id, id), key assignment_history_manager_idx (manager_id, id),
        key assignment_history_previous_idx (previous_manager_id, id), key assignment_history_run_idx (run_id, id)) ${TABLE}`,
    );
    this.addSql(
      `create table rebalance_run (
        id varchar(36) not null, mode varchar(16) not null, status varchar(16) not null, source_run_id varchar(36) null,
        scope json not null, options json not null, requested_by varchar(36) null,
        customers int not null default 0, moves_planned int not null default 0, moves_applied int not null default 0,
        moves_stale int not null default 0, moves_conflict int not null default 0,
        chunks_total int not null default 0, chunks_done int not null default 0,
        metrics json null, error varchar(1000) null,
        created_at datetime(3) not null, started_at datetime(3) null, finished_at datetime(3) null,
        primary key (id), key rebalance_run_created_idx (created_at)) ${TABLE}`,
    );
    this.addSql(
      `create table run_move (
        run_id varchar(36) not null, customer_id varchar(36) not null, chunk int not null,
        from_manager_id varchar(36) null, to_manager_id varchar(36) null, from_version int not null,
        score_before decimal(5,2) null, score_after decimal(5,2) null, state varchar(16) not null,
        primary key (run_id, customer_id), key run_move_chunk_idx (run_id, chunk, state)) ${TABLE}`,
    );
    this.addSql(
      `create table adjustment_request (
        id varchar(36) not null, customer_id varchar(36) not null, from_manager_id varchar(36) null, to_manager_id varchar(36) not null,
        expected_version int not null, reason varchar(500) not null, status varchar(16) not null,
        requested_by varchar(36) not null, requested_at datetime(3) not null,
        decided_by varchar(36) null, decided_at datetime(3) null, decision_note varchar(500) null,
        primary key (id), key adjustment_request_status_idx (status, requested_at), key adjustment_request_customer_idx (customer_id)) ${TABLE}`,
    );
    this.addSql(
      `create table declined_pair (
        customer_id varchar(36) not null, manager_id varchar(36) not null, declined_at datetime(3) not null,
        primary key (customer_id, manager_id)) ${TABLE}`,
    );
    this.addSql(
      `create table match_feedback (
        id bigint unsigned not null auto_increment, customer_id varchar(36) not null, manager_id varchar(36) not null,
        accepted tinyint(1) null, satisfaction tinyint null, retained tinyint(1) null, aum_growth decimal(8,4) null,
        features json not null, source varchar(32) not null, recorded_at datetime(3) not null,
        primary key (id), key match_feedback_pair_idx (customer_id, manager_id)) ${TABLE}`,
    );
    this.addSql(
      `create table match_model (
        version varchar(64) not null, model json not null, samples int not null, active tinyint(1) not null default 0,
        created_at datetime(3) not null, primary key (version), key match_model_active_idx (active, created_at)) ${TABLE}`,
    );
    for (const sql of messagingTablesSql()) this.addSql(sql);
    for (const sql of auditTablesSql()) this.addSql(sql);
  }
}

/** Checked-in migrations, oldest first; listed explicitly so the webpack bundle carries them. */
export const matchingMigrations = [
  { name: 'Migration20261203000000_initial', class: Migration20261203000000_initial },
  { name: 'Migration20261204000000_run_recovery', class: Migration20261204000000_run_recovery },
];
