import { Migration } from '@mikro-orm/migrations';
import { messagingTablesSql } from '@relationship/messaging';

/**
 * Identity's first schema: accounts, refresh tokens, login throttling, the security audit log and the outbox.
 * Hand-written; `schema.spec.ts` proves the entities describe exactly these tables.
 */
export class Migration20261125000000InitialSchema extends Migration {
  override name = 'Migration20261125000000InitialSchema';

  override async up(): Promise<void> {
    this.addSql(
      'create table `user_account` (' +
        '`id` varchar(36) not null, ' +
        '`username` varchar(64) not null, ' +
        '`email` varchar(254) null, ' +
        '`phone` varchar(32) null, ' +
        '`display_name` varchar(100) not null, ' +
        "`role` enum('customer','manager','admin') not null, " +
        '`password_hash` varchar(255) not null, ' +
        "`status` enum('active','deactivated') not null default 'active', " +
        '`created_at` datetime(3) not null, ' +
        '`updated_at` datetime(3) not null, ' +
        '`last_login_at` datetime(3) null, ' +
        'primary key (`id`)' +
        ') default character set utf8mb4 engine = InnoDB;',
    );
    this.addSql('alter table `user_account` add unique `user_account_username_unique` (`username`);');
    // NULLs do not collide in a unique index, so many accounts may have no email.
    this.addSql('alter table `user_account` add unique `user_account_email_unique` (`email`);');
    this.addSql('alter table `user_account` add index `user_account_role_idx` (`role`);');

    this.addSql(
      'create table `refresh_token` (' +
        '`id` varchar(36) not null, ' +
        '`user_id` varchar(36) not null, ' +
        '`token_hash` varchar(64) not null, ' +
        '`family_id` varchar(36) not null, ' +
        '`expires_at` datetime(3) not null, ' +
        '`revoked_at` datetime(3) null, ' +
        "`revoked_reason` enum('rotated','logout','reuse_detected','user_deactivated') null, " +
        '`replaced_by_id` varchar(36) null, ' +
        '`created_at` datetime(3) not null, ' +
        '`ip` varchar(64) null, ' +
        '`user_agent` varchar(256) null, ' +
        'primary key (`id`)' +
        ') default character set utf8mb4 engine = InnoDB;',
    );
    this.addSql('alter table `refresh_token` add index `refresh_token_user_id_index` (`user_id`);');
    this.addSql('alter table `refresh_token` add unique `refresh_token_token_hash_unique` (`token_hash`);');
    this.addSql('alter table `refresh_token` add index `refresh_token_family_id_idx` (`family_id`);');
    this.addSql(
      'alter table `refresh_token` add constraint `refresh_token_user_id_foreign` foreign key (`user_id`) references `user_account` (`id`) on delete cascade;',
    );

    this.addSql(
      'create table `login_throttle` (' +
        '`username` varchar(64) not null, ' +
        '`failures` int unsigned not null, ' +
        '`window_started_at` datetime(3) not null, ' +
        '`locked_until` datetime(3) null, ' +
        'primary key (`username`)' +
        ') default character set utf8mb4 engine = InnoDB;',
    );

    this.addSql(
      'create table `security_audit_entry` (' +
        '`id` bigint unsigned not null auto_increment primary key, ' +
        '`occurred_at` datetime(3) not null, ' +
        '`action` varchar(40) not null, ' +
        '`actor_user_id` varchar(36) null, ' +
        '`target_user_id` varchar(36) null, ' +
        '`username` varchar(64) null, ' +
        "`outcome` enum('success','failure') not null, " +
        '`ip` varchar(64) null, ' +
        '`user_agent` varchar(256) null, ' +
        '`request_id` varchar(128) null, ' +
        '`details` json null' +
        ') default character set utf8mb4 engine = InnoDB;',
    );
    this.addSql('alter table `security_audit_entry` add index `security_audit_entry_action_idx` (`action`, `occurred_at`);');
    this.addSql('alter table `security_audit_entry` add index `security_audit_entry_actor_idx` (`actor_user_id`, `occurred_at`);');
    this.addSql('alter table `security_audit_entry` add index `security_audit_entry_target_idx` (`target_user_id`, `occurred_at`);');

    for (const sql of messagingTablesSql()) this.addSql(sql);
  }

  override async down(): Promise<void> {
    for (const table of ['processed_event', 'outbox_message', 'security_audit_entry', 'login_throttle', 'refresh_token', 'user_account']) {
      this.addSql(`drop table if exists \`${table}\`;`);
    }
  }
}
