import { defineEntity, p } from '@mikro-orm/core';
import { NEED_SOURCES, NEEDS } from '@relationship/contracts';
import { TAG_SOURCES } from '../domain/catalogue';

/**
 * One tag on one customer. `origin` is `manual` or the id of the rule that derived it, so the same tag may be
 * both manual and rule-derived (and a rule's values can be removed without touching anybody else's).
 * `(tag_code, customer_id)` serves "customers with tag X"; the primary key serves "tags of customer Y".
 */
export const CustomerTagSchema = defineEntity({
  name: 'CustomerTag',
  tableName: 'customer_tag',
  properties: {
    customerId: p.string().length(36).primary(),
    tagCode: p.string().length(64).primary(),
    origin: p.string().length(36).primary(),
    source: p.enum(TAG_SOURCES),
    ruleId: p.string().length(36).nullable().index('customer_tag_rule_idx'),
    createdAt: p.datetime(3),
  },
  indexes: [{ name: 'customer_tag_code_idx', properties: ['tagCode', 'customerId'] }],
});
export class CustomerTag extends CustomerTagSchema.class {}
CustomerTagSchema.setClass(CustomerTag);

/** One need of one customer, with where it came from: `origin` is `declared`, `staff` or the deriving rule's id. */
export const CustomerNeedSchema = defineEntity({
  name: 'CustomerNeed',
  tableName: 'customer_need',
  properties: {
    customerId: p.string().length(36).primary(),
    needCode: p.enum(NEEDS).primary(),
    origin: p.string().length(36).primary(),
    source: p.enum(NEED_SOURCES),
    ruleId: p.string().length(36).nullable().index('customer_need_rule_idx'),
    createdAt: p.datetime(3),
  },
  indexes: [{ name: 'customer_need_code_idx', properties: ['needCode', 'customerId'] }],
});
export class CustomerNeed extends CustomerNeedSchema.class {}
CustomerNeedSchema.setClass(CustomerNeed);

/** Name search index: the unigrams and bigrams of each customer's normalised name (see domain/name-grams). */
export const CustomerNameGramSchema = defineEntity({
  name: 'CustomerNameGram',
  tableName: 'customer_name_gram',
  properties: {
    gram: p.string().length(4).collation('utf8mb4_bin').primary(),
    customerId: p.string().length(36).primary().index('customer_name_gram_customer_idx'),
  },
});
export class CustomerNameGram extends CustomerNameGramSchema.class {}
CustomerNameGramSchema.setClass(CustomerNameGram);
