import { Migration } from '@mikro-orm/migrations';
import { messagingTablesSql } from '@relationship/messaging';

/** The foundation's schema: the empty portrait and the outbox. */
export class Migration20261125000000_initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create table `customer_portrait` (`id` varchar(36) not null, `user_id` varchar(36) not null, `display_name` varchar(100) not null, `email` varchar(254) null, `phone` varchar(32) null, `version` int not null, `created_at` datetime(3) not null, `updated_at` datetime(3) not null, primary key (`id`)) default character set utf8mb4 engine = InnoDB;',
    );
    this.addSql('alter table `customer_portrait` add unique `customer_portrait_user_id_unique`(`user_id`);');
    for (const sql of messagingTablesSql()) this.addSql(sql);
  }
}
