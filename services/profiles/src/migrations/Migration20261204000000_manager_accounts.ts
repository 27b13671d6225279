import { Migration } from '@mikro-orm/migrations';

/**
 * The manager account read model (managers.manager.v1): a manager's login (identity user id) → their registry id,
 * which is what assignments name. Filled by the consumer from the topic's start, so existing links arrive by replay.
 */
export class Migration20261204000000_manager_accounts extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create table `manager_account` (`manager_id` varchar(36) not null, `user_id` varchar(36) null, `manager_version` int not null, primary key (`manager_id`)) default character set utf8mb4 engine = InnoDB;',
    );
    this.addSql('alter table `manager_account` add unique `manager_account_user_id_unique`(`user_id`);');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists `manager_account`;');
  }
}
