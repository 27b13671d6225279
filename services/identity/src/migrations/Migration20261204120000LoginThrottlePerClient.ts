import { Migration } from '@mikro-orm/migrations';

/**
 * Login throttling per username and client instead of per username: a stranger's failures delay only the
 * stranger. The counters are transient, so the table is recreated rather than converted.
 */
export class Migration20261204120000LoginThrottlePerClient extends Migration {
  override name = 'Migration20261204120000LoginThrottlePerClient';

  override async up(): Promise<void> {
    this.addSql('drop table if exists `login_throttle`;');
    this.addSql(
      'create table `login_throttle` (' +
        '`throttle_key` varchar(64) not null, ' +
        '`username` varchar(64) not null, ' +
        '`failures` int unsigned not null, ' +
        '`window_started_at` datetime(3) not null, ' +
        '`locked_until` datetime(3) null, ' +
        'primary key (`throttle_key`)' +
        ') default character set utf8mb4 engine = InnoDB;',
    );
    this.addSql('alter table `login_throttle` add index `login_throttle_username_index` (`username`);');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists `login_throttle`;');
    this.addSql(
      'create table `login_throttle` (`username` varchar(64) not null, `failures` int unsigned not null, ' +
        '`window_started_at` datetime(3) not null, `locked_until` datetime(3) null, primary key (`username`)) ' +
        'default character set utf8mb4 engine = InnoDB;',
    );
  }
}
