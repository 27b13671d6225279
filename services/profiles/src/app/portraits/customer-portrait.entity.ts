import { CUSTOMER_LANGUAGES, GENDERS } from '@relationship/domain-rules';
import { defineEntity, p } from '@mikro-orm/core';
import { ACTIVITY_LEVELS, CHANNELS, INCOME_BANDS, LIFECYCLE_STAGES, RISK_LEVELS, SEGMENTS } from '@relationship/contracts';
import { PORTRAIT_ORIGINS } from '../domain/catalogue';

/** Search columns every search index carries after its key: any filter combination is answered from the index alone. */
export const SEARCH_PAYLOAD = ['segment', 'riskLevel', 'city', 'homeBranchId', 'assignedManagerId', 'aumCny', 'needMask', 'tagMask', 'createdAt', 'updatedAt'] as const;
type SearchColumn = (typeof SEARCH_PAYLOAD)[number] | 'id';

/**
 * The search indexes, each `(filter column(s), sort column, id)` followed by the rest of SEARCH_PAYLOAD. The key
 * ends in the primary key, so the order is exactly `sort, id` (the search's tie-breaker) and the columns after it
 * never reorder anything; they let MariaDB check every other filter, need/tag masks included, inside the index.
 * A filter plus its sort is an ordered read that stops after a page; the capped total is an index-only range scan.
 */
export const SEARCH_INDEXES: readonly { name: string; key: readonly SearchColumn[] }[] = [
  { name: 'customer_portrait_aum_idx', key: ['aumCny', 'id'] },
  { name: 'customer_portrait_created_idx', key: ['createdAt', 'id'] },
  { name: 'customer_portrait_updated_idx', key: ['updatedAt', 'id'] },
  { name: 'customer_portrait_segment_idx', key: ['segment', 'aumCny', 'id'] },
  { name: 'customer_portrait_branch_idx', key: ['homeBranchId', 'aumCny', 'id'] },
  { name: 'customer_portrait_city_idx', key: ['city', 'aumCny', 'id'] },
  { name: 'customer_portrait_risk_idx', key: ['riskLevel', 'aumCny', 'id'] },
  { name: 'customer_portrait_manager_idx', key: ['assignedManagerId', 'aumCny', 'id'] },
  { name: 'customer_portrait_segment_risk_idx', key: ['segment', 'riskLevel', 'aumCny', 'id'] },
  { name: 'customer_portrait_city_segment_idx', key: ['city', 'segment', 'aumCny', 'id'] },
  { name: 'customer_portrait_branch_updated_idx', key: ['homeBranchId', 'updatedAt', 'id'] },
  { name: 'customer_portrait_city_created_idx', key: ['city', 'createdAt', 'id'] },
];

/** Search indexes that buildSearchSql names in hints. */
export const SEARCH_INDEX = {
  manager: 'customer_portrait_manager_idx',
  branch: 'customer_portrait_branch_idx',
  city: 'customer_portrait_city_idx',
  citySegment: 'customer_portrait_city_segment_idx',
  segmentRisk: 'customer_portrait_segment_risk_idx',
} as const;

/** Indexes led by a column with a handful of values (segment, risk level); see buildSearchSql. */
export const LOW_CARDINALITY_INDEXES = ['customer_portrait_segment_idx', 'customer_portrait_segment_risk_idx', 'customer_portrait_risk_idx'] as const;

/**
 * A customer's portrait: one row per customer; tags, needs and name grams live in their own tables (the record,
 * with sources and rule ids), summarised on the row as `need_mask` / `tag_mask` for the search (portraits/value-masks).
 */
export const CustomerPortraitSchema = defineEntity({
  name: 'CustomerPortrait',
  tableName: 'customer_portrait',
  properties: {
    id: p.string().length(36).primary(),
    /** The login account; null for customers created by staff or by import. */
    userId: p.string().length(36).nullable().unique('customer_portrait_user_id_unique'),
    origin: p.enum(PORTRAIT_ORIGINS).default('registration'),
    displayName: p.string().length(100).index('customer_portrait_name_idx'),
    gender: p.enum(GENDERS).nullable(),
    birthDate: p.date().nullable(),
    email: p.string().length(254).nullable(),
    phone: p.string().length(32).nullable(),
    nationalIdNumber: p.string().length(18).nullable().unique('customer_portrait_national_id_unique'),
    city: p.string().length(64).nullable(),
    homeBranchId: p.string().length(64).nullable(),
    preferredLanguage: p.enum(CUSTOMER_LANGUAGES).default('zh-CN'),
    preferredChannel: p.enum(CHANNELS).nullable(),
    aumCny: p.decimal('number').precision(15).scale(2).default(0),
    incomeBand: p.enum(INCOME_BANDS).nullable(),
    productsHeld: p.json<string[]>().nullable(),
    activityLevel: p.enum(ACTIVITY_LEVELS).default('none'),
    riskLevel: p.enum(RISK_LEVELS).nullable(),
    riskAnswers: p.json<string[]>().nullable(),
    riskAssessedAt: p.datetime(3).nullable(),
    interests: p.json<string[]>().nullable(),
    segment: p.enum(SEGMENTS).default('mass'),
    lifecycleStage: p.enum(LIFECYCLE_STAGES).default('new'),
    consentProfiling: p.boolean().default(false),
    consentMarketing: p.boolean().default(false),
    consentDataSharing: p.boolean().default(false),
    householdId: p.string().length(36).nullable(),
    /** Read model of matching's AssignmentChanged: the current manager and the assignment version applied. */
    assignedManagerId: p.string().length(36).nullable(),
    assignmentVersion: p.integer().unsigned().default(0),
    /** Per-entity version carried in events so consumers can ignore stale ones. */
    /** Bit NEED_BITS[code] set for every need the customer has (any source). */
    needMask: p.bigint('string').unsigned().defaultRaw('0'),
    /** Bit of every held tag that has one in the catalogue (tag_definition.mask_bit). */
    tagMask: p.bigint('string').unsigned().defaultRaw('0'),
    version: p.integer(),
    createdAt: p.datetime(3),
    updatedAt: p.datetime(3),
  },
  indexes: SEARCH_INDEXES.map(({ name, key }) => ({ name, properties: [...key, ...SEARCH_PAYLOAD.filter((c) => !key.includes(c))] })),
});
export class CustomerPortrait extends CustomerPortraitSchema.class {}
CustomerPortraitSchema.setClass(CustomerPortrait);
