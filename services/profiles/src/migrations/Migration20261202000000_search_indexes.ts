import { Migration } from '@mikro-orm/migrations';

/**
 * Indexes measured with bench/portraits on 100k–200k portraits: segment + risk filters sorted by AUM, and the
 * branch/city filters sorted by recency, read a page straight from the index instead of scanning the AUM order.
 */
export class Migration20261202000000_search_indexes extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'alter table `customer_portrait` ' +
        'add index `customer_portrait_segment_risk_idx` (`segment`, `risk_level`, `aum_cny`), ' +
        'add index `customer_portrait_branch_updated_idx` (`home_branch_id`, `updated_at`), ' +
        'add index `customer_portrait_city_created_idx` (`city`, `created_at`);',
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      'alter table `customer_portrait` drop index `customer_portrait_segment_risk_idx`, ' +
        'drop index `customer_portrait_branch_updated_idx`, drop index `customer_portrait_city_created_idx`;',
    );
  }
}
