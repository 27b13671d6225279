import { Migration } from '@mikro-orm/migrations';
import { auditTablesSql } from '@relationship/audit';
import { messagingTablesSql } from '@relationship/messaging';

/** The registry, its branch reference data (seeded here, frozen: later changes need their own migration), outbox and audit. */
export class Migration20261126000000_initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create table `branch` (`id` varchar(16) not null, `name` varchar(100) not null, `city` varchar(64) not null, `region` varchar(32) not null, primary key (`id`)) default character set utf8mb4 engine = InnoDB;',
    );
    this.addSql(
      'create table `manager` (`id` varchar(36) not null, `user_id` varchar(36) null, `employee_no` varchar(64) not null, `display_name` varchar(100) not null, `branch_id` varchar(16) not null, `region` varchar(32) not null, `city` varchar(64) null, `title` varchar(32) not null, `level` smallint not null, `expertise` json not null, `certifications` json not null, `languages` json not null, `segments_served` json not null, `interests` json not null, `capacity` int not null, `availability` varchar(16) not null, `leave_from` date null, `leave_until` date null, `cover_manager_id` varchar(36) null, `satisfaction` numeric(3,2) null, `retention` numeric(4,3) null, `aum_growth` numeric(6,3) null, `email` varchar(254) null, `phone` varchar(32) null, `version` int not null, `created_at` datetime(3) not null, `updated_at` datetime(3) not null, primary key (`id`)) default character set utf8mb4 engine = InnoDB;',
    );
    this.addSql('alter table `manager` add unique `manager_user_id_unique` (`user_id`);');
    this.addSql('alter table `manager` add unique `manager_employee_no_unique` (`employee_no`);');
    this.addSql('alter table `manager` add index `manager_branch_id_index` (`branch_id`);');
    this.addSql('alter table `manager` add unique `manager_email_unique` (`email`);');
    this.addSql('alter table `manager` add index `manager_region_idx` (`region`);');
    this.addSql('alter table `manager` add index `manager_availability_idx` (`availability`);');
    this.addSql('alter table `manager` add index `manager_display_name_idx` (`display_name`);');
    this.addSql(
      'alter table `manager` add constraint `manager_branch_id_foreign` foreign key (`branch_id`) references `branch` (`id`);',
    );
    this.addSql(
      `insert into \`branch\` (\`id\`, \`name\`, \`city\`, \`region\`) values
        ('HQ', '总行营业部', '上海', 'east'),
        ('SH-PD-001', '上海浦东支行', '上海', 'east'),
        ('SH-HP-001', '上海黄浦支行', '上海', 'east'),
        ('SH-XH-001', '上海徐汇支行', '上海', 'east'),
        ('SH-MH-001', '上海闵行支行', '上海', 'east'),
        ('BJ-CY-001', '北京朝阳支行', '北京', 'north'),
        ('BJ-HD-001', '北京海淀支行', '北京', 'north'),
        ('BJ-XC-001', '北京西城支行', '北京', 'north'),
        ('TJ-HP-001', '天津和平支行', '天津', 'north'),
        ('GZ-TH-001', '广州天河支行', '广州', 'south'),
        ('SZ-FT-001', '深圳福田支行', '深圳', 'south'),
        ('SZ-NS-001', '深圳南山支行', '深圳', 'south'),
        ('XM-SM-001', '厦门思明支行', '厦门', 'south'),
        ('HZ-XH-001', '杭州西湖支行', '杭州', 'east'),
        ('NJ-GL-001', '南京鼓楼支行', '南京', 'east'),
        ('SU-GY-001', '苏州工业园区支行', '苏州', 'east'),
        ('QD-SN-001', '青岛市南支行', '青岛', 'east'),
        ('WH-JH-001', '武汉江汉支行', '武汉', 'central'),
        ('CS-FR-001', '长沙芙蓉支行', '长沙', 'central'),
        ('CD-JJ-001', '成都锦江支行', '成都', 'southwest'),
        ('CQ-YZ-001', '重庆渝中支行', '重庆', 'southwest'),
        ('XA-YT-001', '西安雁塔支行', '西安', 'northwest'),
        ('SY-HP-001', '沈阳和平支行', '沈阳', 'northeast');`,
    );
    for (const sql of messagingTablesSql()) this.addSql(sql);
    for (const sql of auditTablesSql()) this.addSql(sql);
  }
}

/** Checked-in migrations, oldest first; listed explicitly so the webpack bundle carries them. */
export const managersMigrations = [{ name: 'Migration20261126000000_initial', class: Migration20261126000000_initial }];
