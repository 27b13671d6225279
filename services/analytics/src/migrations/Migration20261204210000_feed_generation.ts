import { Migration } from '@mikro-orm/migrations';

/** The feed's consumer-group generation (one row), bumped by each replay. */
export class Migration20261204210000_feed_generation extends Migration {
  override async up(): Promise<void> {
    this.addSql('create table `feed_state` (`id` smallint unsigned not null, `generation` int not null default 0, primary key (`id`)) default character set utf8mb4 engine = InnoDB;');
    this.addSql('insert into `feed_state` (`id`, `generation`) values (1, 0);');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists `feed_state`;');
  }
}
