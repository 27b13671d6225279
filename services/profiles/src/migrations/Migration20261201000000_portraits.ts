import { Migration } from '@mikro-orm/migrations';
import { auditTablesSql } from '@relationship/audit';
import { BRANCH_CATALOG, NEED_SOURCES, NEEDS } from '@relationship/contracts';

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(',');

/** The starting tag catalogue. */
export const SEED_TAGS: readonly [code: string, zh: string, en: string][] = [
  ['vip', '贵宾客户', 'VIP'],
  ['high_potential', '高潜力客户', 'High potential'],
  ['wealth_upgrade', '财富升级潜客', 'Wealth upgrade prospect'],
  ['young_professional', '青年白领', 'Young professional'],
  ['retiree', '退休人士', 'Retiree'],
  ['business_owner', '企业主', 'Business owner'],
  ['cross_border', '跨境客户', 'Cross-border'],
  ['family_focused', '家庭型客户', 'Family-focused'],
  ['digital_first', '数字化偏好', 'Digital-first'],
  ['dormant_risk', '沉睡风险', 'Dormancy risk'],
  ['conservative_investor', '稳健型投资者', 'Conservative investor'],
  ['aggressive_investor', '进取型投资者', 'Aggressive investor'],
  ['new_customer', '新客户', 'New customer'],
  ['mortgage_holder', '房贷客户', 'Mortgage holder'],
  ['insurance_prospect', '保险潜客', 'Insurance prospect'],
];

/**
 * The full customer portrait: identity, contact, financial, risk, needs, tags, segment, consent, the assignment
 * read model, rules, reference catalogues (branches seeded from the shared BRANCH_CATALOG in libs/contracts), import
 * jobs and the audit table. Hand-written; the schema test proves
 * the entities describe exactly these tables.
 */
export class Migration20261201000000_portraits extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'alter table `customer_portrait` ' +
        "add `origin` enum('registration','staff','import') not null default 'registration', " +
        "add `gender` enum('female','male','other') null, " +
        'add `birth_date` date null, ' +
        'add `national_id_number` varchar(18) null, ' +
        'add `city` varchar(64) null, ' +
        'add `home_branch_id` varchar(64) null, ' +
        "add `preferred_language` enum('zh-CN','en') not null default 'zh-CN', " +
        "add `preferred_channel` enum('branch','phone','wechat','app','email') null, " +
        'add `aum_cny` numeric(15,2) not null default 0, ' +
        "add `income_band` enum('lt_100k','100k_300k','300k_1m','1m_5m','gt_5m') null, " +
        'add `products_held` json null, ' +
        "add `activity_level` enum('none','low','medium','high') not null default 'none', " +
        "add `risk_level` enum('C1','C2','C3','C4','C5') null, " +
        'add `risk_answers` json null, ' +
        'add `risk_assessed_at` datetime(3) null, ' +
        'add `interests` json null, ' +
        "add `segment` enum('mass','affluent','high_net_worth','private') not null default 'mass', " +
        "add `lifecycle_stage` enum('prospect','new','growing','mature','at_risk','dormant') not null default 'new', " +
        'add `consent_profiling` tinyint(1) not null default false, ' +
        'add `consent_marketing` tinyint(1) not null default false, ' +
        'add `consent_data_sharing` tinyint(1) not null default false, ' +
        'add `household_id` varchar(36) null, ' +
        'add `assigned_manager_id` varchar(36) null, ' +
        'add `assignment_version` int unsigned not null default 0;',
    );
    // Staff-created and imported customers have no login; NULLs never collide in the unique key.
    this.addSql('alter table `customer_portrait` modify `user_id` varchar(36) null;');
    this.addSql('alter table `customer_portrait` add unique `customer_portrait_national_id_unique` (`national_id_number`);');
    this.addSql('alter table `customer_portrait` add index `customer_portrait_name_idx` (`display_name`);');
    this.addSql('alter table `customer_portrait` add index `customer_portrait_created_idx` (`created_at`);');
    this.addSql('alter table `customer_portrait` add index `customer_portrait_updated_idx` (`updated_at`);');
    // Each search filter leads an index ending in aum_cny: filter + the default sort (AUM) is one range read.
    this.addSql('alter table `customer_portrait` add index `customer_portrait_aum_idx` (`aum_cny`);');
    this.addSql('alter table `customer_portrait` add index `customer_portrait_segment_idx` (`segment`, `aum_cny`);');
    this.addSql('alter table `customer_portrait` add index `customer_portrait_branch_idx` (`home_branch_id`, `aum_cny`);');
    this.addSql('alter table `customer_portrait` add index `customer_portrait_city_idx` (`city`, `aum_cny`);');
    this.addSql('alter table `customer_portrait` add index `customer_portrait_risk_idx` (`risk_level`, `aum_cny`);');
    this.addSql('alter table `customer_portrait` add index `customer_portrait_manager_idx` (`assigned_manager_id`, `aum_cny`);');
    // Covers the totals of combined filters: any mix of these is counted from the index alone, never the wide rows.
    this.addSql(
      'alter table `customer_portrait` add index `customer_portrait_filter_idx` (`segment`, `risk_level`, `city`, `home_branch_id`, `assigned_manager_id`, `aum_cny`);',
    );

    this.addSql(
      'create table `customer_tag` (`customer_id` varchar(36) not null, `tag_code` varchar(64) not null, `origin` varchar(36) not null, ' +
        "`source` enum('manual','rule') not null, `rule_id` varchar(36) null, `created_at` datetime(3) not null, " +
        'primary key (`customer_id`, `tag_code`, `origin`)) default character set utf8mb4 engine = InnoDB;',
    );
    this.addSql('alter table `customer_tag` add index `customer_tag_code_idx` (`tag_code`, `customer_id`);');
    this.addSql('alter table `customer_tag` add index `customer_tag_rule_idx` (`rule_id`);');

    this.addSql(
      `create table \`customer_need\` (\`customer_id\` varchar(36) not null, \`need_code\` enum(${list(NEEDS)}) not null, \`origin\` varchar(36) not null, ` +
        `\`source\` enum(${list(NEED_SOURCES)}) not null, \`rule_id\` varchar(36) null, \`created_at\` datetime(3) not null, ` +
        'primary key (`customer_id`, `need_code`, `origin`)) default character set utf8mb4 engine = InnoDB;',
    );
    this.addSql('alter table `customer_need` add index `customer_need_code_idx` (`need_code`, `customer_id`);');
    this.addSql('alter table `customer_need` add index `customer_need_rule_idx` (`rule_id`);');

    this.addSql(
      'create table `customer_name_gram` (`gram` varchar(4) collate utf8mb4_bin not null, `customer_id` varchar(36) not null, ' +
        'primary key (`gram`, `customer_id`)) default character set utf8mb4 engine = InnoDB;',
    );
    this.addSql('alter table `customer_name_gram` add index `customer_name_gram_customer_idx` (`customer_id`);');

    this.addSql(
      'create table `portrait_rule` (`id` varchar(36) not null, `name` varchar(100) not null, `kind` enum(\'tag\',\'need\') not null, ' +
        '`value` varchar(64) not null, `condition` json not null, `enabled` tinyint(1) not null default true, `version` int not null, ' +
        '`created_at` datetime(3) not null, `updated_at` datetime(3) not null, `created_by` varchar(36) null, `updated_by` varchar(36) null, ' +
        'primary key (`id`)) default character set utf8mb4 engine = InnoDB;',
    );
    this.addSql('alter table `portrait_rule` add unique `portrait_rule_name_unique` (`name`);');

    this.addSql(
      'create table `branch` (`id` varchar(64) not null, `name` varchar(100) not null, `city` varchar(64) not null, `region` varchar(64) not null, ' +
        '`created_at` datetime(3) not null, primary key (`id`)) default character set utf8mb4 engine = InnoDB;',
    );
    this.addSql(
      'create table `tag_definition` (`code` varchar(64) not null, `label_zh` varchar(64) not null, `label_en` varchar(64) not null, ' +
        '`description` varchar(255) null, `created_at` datetime(3) not null, primary key (`code`)) default character set utf8mb4 engine = InnoDB;',
    );

    this.addSql(
      "create table `import_job` (`id` varchar(36) not null, `actor_id` varchar(36) null, `mode` enum('all-or-nothing','valid-only') not null, " +
        "`encoding` varchar(20) null, `status` enum('imported','rejected','partially_imported') not null, `total_rows` int unsigned not null, " +
        '`imported_rows` int unsigned not null, `error_count` int unsigned not null, `errors` json null, `request_id` varchar(128) null, ' +
        '`started_at` datetime(3) not null, `finished_at` datetime(3) not null, primary key (`id`)) default character set utf8mb4 engine = InnoDB;',
    );
    this.addSql('alter table `import_job` add index `import_job_started_idx` (`started_at`);');

    for (const sql of auditTablesSql()) this.addSql(sql);

    const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
    this.addSql(
      'insert into `branch` (`id`, `name`, `city`, `region`, `created_at`) values ' +
        BRANCH_CATALOG.map(({ id, name, city, region }) => `(${[id, name, city, region].map(quote).join(', ')}, now(3))`).join(', ') +
        ';',
    );
    this.addSql(
      'insert into `tag_definition` (`code`, `label_zh`, `label_en`, `created_at`) values ' +
        SEED_TAGS.map(([code, zh, en]) => `(${[code, zh, en].map(quote).join(', ')}, now(3))`).join(', ') +
        ';',
    );
  }

  override async down(): Promise<void> {
    for (const table of ['audit_entry', 'import_job', 'tag_definition', 'branch', 'portrait_rule', 'customer_name_gram', 'customer_need', 'customer_tag']) {
      this.addSql(`drop table if exists \`${table}\`;`);
    }
  }
}
