import { Migration } from '@mikro-orm/migrations';
import { NEED_BITS } from '../app/domain/value-masks';

/** The search indexes as this migration leaves them: key columns, then the rest of the search columns. */
const INDEXES: readonly [name: string, columns: string][] = [
  ['customer_portrait_aum_idx', '`aum_cny`, `id`, `segment`, `risk_level`, `city`, `home_branch_id`, `assigned_manager_id`, `need_mask`, `tag_mask`, `created_at`, `updated_at`'],
  ['customer_portrait_created_idx', '`created_at`, `id`, `segment`, `risk_level`, `city`, `home_branch_id`, `assigned_manager_id`, `aum_cny`, `need_mask`, `tag_mask`, `updated_at`'],
  ['customer_portrait_updated_idx', '`updated_at`, `id`, `segment`, `risk_level`, `city`, `home_branch_id`, `assigned_manager_id`, `aum_cny`, `need_mask`, `tag_mask`, `created_at`'],
  ['customer_portrait_segment_idx', '`segment`, `aum_cny`, `id`, `risk_level`, `city`, `home_branch_id`, `assigned_manager_id`, `need_mask`, `tag_mask`, `created_at`, `updated_at`'],
  ['customer_portrait_branch_idx', '`home_branch_id`, `aum_cny`, `id`, `segment`, `risk_level`, `city`, `assigned_manager_id`, `need_mask`, `tag_mask`, `created_at`, `updated_at`'],
  ['customer_portrait_city_idx', '`city`, `aum_cny`, `id`, `segment`, `risk_level`, `home_branch_id`, `assigned_manager_id`, `need_mask`, `tag_mask`, `created_at`, `updated_at`'],
  ['customer_portrait_risk_idx', '`risk_level`, `aum_cny`, `id`, `segment`, `city`, `home_branch_id`, `assigned_manager_id`, `need_mask`, `tag_mask`, `created_at`, `updated_at`'],
  ['customer_portrait_manager_idx', '`assigned_manager_id`, `aum_cny`, `id`, `segment`, `risk_level`, `city`, `home_branch_id`, `need_mask`, `tag_mask`, `created_at`, `updated_at`'],
  ['customer_portrait_segment_risk_idx', '`segment`, `risk_level`, `aum_cny`, `id`, `city`, `home_branch_id`, `assigned_manager_id`, `need_mask`, `tag_mask`, `created_at`, `updated_at`'],
  ['customer_portrait_city_segment_idx', '`city`, `segment`, `aum_cny`, `id`, `risk_level`, `home_branch_id`, `assigned_manager_id`, `need_mask`, `tag_mask`, `created_at`, `updated_at`'],
  ['customer_portrait_branch_updated_idx', '`home_branch_id`, `updated_at`, `id`, `segment`, `risk_level`, `city`, `assigned_manager_id`, `aum_cny`, `need_mask`, `tag_mask`, `created_at`'],
  ['customer_portrait_city_created_idx', '`city`, `created_at`, `id`, `segment`, `risk_level`, `home_branch_id`, `assigned_manager_id`, `aum_cny`, `need_mask`, `tag_mask`, `updated_at`'],
];

/** The indexes before this migration (for down()). */
const PREVIOUS: readonly [name: string, columns: string][] = [
  ['customer_portrait_aum_idx', '`aum_cny`'],
  ['customer_portrait_created_idx', '`created_at`'],
  ['customer_portrait_updated_idx', '`updated_at`'],
  ['customer_portrait_segment_idx', '`segment`, `aum_cny`'],
  ['customer_portrait_branch_idx', '`home_branch_id`, `aum_cny`'],
  ['customer_portrait_city_idx', '`city`, `aum_cny`'],
  ['customer_portrait_risk_idx', '`risk_level`, `aum_cny`'],
  ['customer_portrait_manager_idx', '`assigned_manager_id`, `aum_cny`'],
  ['customer_portrait_segment_risk_idx', '`segment`, `risk_level`, `aum_cny`'],
  ['customer_portrait_branch_updated_idx', '`home_branch_id`, `updated_at`'],
  ['customer_portrait_city_created_idx', '`city`, `created_at`'],
  ['customer_portrait_filter_idx', '`segment`, `risk_level`, `city`, `home_branch_id`, `assigned_manager_id`, `aum_cny`'],
];

/**
 * Need and tag filters measured with bench/portraits on 100k portraits: MariaDB turned the EXISTS probes into a
 * materialised IN over every holder of the need (tens of thousands of rows) for the page and again for the total.
 * Needs and tags are now also bitmasks on the portrait row (portraits/value-masks), backfilled here from
 * customer_need / customer_tag, and every search index carries all search columns after its key, so a filtered page
 * and its capped total are read from one index without touching the rows or the value tables.
 */
export class Migration20261203000000_search_masks extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table `customer_portrait` add `need_mask` bigint unsigned not null default 0, add `tag_mask` bigint unsigned not null default 0;');
    this.addSql('alter table `tag_definition` add `mask_bit` tinyint unsigned null, add unique `tag_definition_mask_bit_unique` (`mask_bit`);');
    // Existing tags get bits in creation order; the 65th and later get none (filtered through customer_tag).
    this.addSql(
      'update `tag_definition` t join (select `code`, row_number() over (order by `created_at`, `code`) - 1 as `bit` from `tag_definition`) r ' +
        'on r.`code` = t.`code` set t.`mask_bit` = r.`bit` where r.`bit` < 64;',
    );
    const needBit = `case \`need_code\` ${Object.entries(NEED_BITS)
      .map(([code, bit]) => `when '${code}' then ${(1n << BigInt(bit)).toString()}`)
      .join(' ')} else 0 end`;
    this.addSql(
      `update \`customer_portrait\` c join (select \`customer_id\`, bit_or(${needBit}) as m from \`customer_need\` group by \`customer_id\`) n ` +
        'on n.`customer_id` = c.`id` set c.`need_mask` = n.m;',
    );
    this.addSql(
      'update `customer_portrait` c join (select t.`customer_id`, bit_or(1 << d.`mask_bit`) as m from `customer_tag` t ' +
        'join `tag_definition` d on d.`code` = t.`tag_code` where d.`mask_bit` is not null group by t.`customer_id`) x ' +
        'on x.`customer_id` = c.`id` set c.`tag_mask` = x.m;',
    );
    this.addSql(
      'alter table `customer_portrait` ' +
        [
          ...PREVIOUS.map(([name]) => `drop index \`${name}\``),
          ...INDEXES.map(([name, columns]) => `add index \`${name}\` (${columns})`),
        ].join(', ') +
        ';',
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      'alter table `customer_portrait` ' +
        [...INDEXES.map(([name]) => `drop index \`${name}\``), ...PREVIOUS.map(([name, columns]) => `add index \`${name}\` (${columns})`)].join(', ') +
        ';',
    );
    this.addSql('alter table `customer_portrait` drop `need_mask`, drop `tag_mask`;');
    this.addSql('alter table `tag_definition` drop index `tag_definition_mask_bit_unique`, drop `mask_bit`;');
  }
}
