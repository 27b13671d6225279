import { defineEntity, p } from '@mikro-orm/core';
import { ACTIVITY_LEVELS, CHANNELS, INCOME_BANDS, LIFECYCLE_STAGES, RISK_LEVELS, SEGMENTS } from '@relationship/contracts';
import { CUSTOMER_LANGUAGES, GENDERS, PORTRAIT_ORIGINS } from '../domain/catalogue';

/**
 * A customer's portrait: one row per customer; tags, needs and name grams live in their own tables
 * (join tables with composite indexes, so tag/need filters are index lookups).
 * Indexes are laid out for the search: each filterable column leads an index that ends in `aum_cny`,
 * so a filter plus the default sort (AUM) is one index range read.
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
    version: p.integer(),
    createdAt: p.datetime(3).index('customer_portrait_created_idx'),
    updatedAt: p.datetime(3).index('customer_portrait_updated_idx'),
  },
  indexes: [
    { name: 'customer_portrait_aum_idx', properties: ['aumCny'] },
    { name: 'customer_portrait_segment_idx', properties: ['segment', 'aumCny'] },
    { name: 'customer_portrait_branch_idx', properties: ['homeBranchId', 'aumCny'] },
    { name: 'customer_portrait_city_idx', properties: ['city', 'aumCny'] },
    { name: 'customer_portrait_risk_idx', properties: ['riskLevel', 'aumCny'] },
    { name: 'customer_portrait_manager_idx', properties: ['assignedManagerId', 'aumCny'] },
    { name: 'customer_portrait_segment_risk_idx', properties: ['segment', 'riskLevel', 'aumCny'] },
    { name: 'customer_portrait_branch_updated_idx', properties: ['homeBranchId', 'updatedAt'] },
    { name: 'customer_portrait_city_created_idx', properties: ['city', 'createdAt'] },
    // Covers the totals of combined filters: any mix of these is counted from the index alone, never the wide rows.
    { name: 'customer_portrait_filter_idx', properties: ['segment', 'riskLevel', 'city', 'homeBranchId', 'assignedManagerId', 'aumCny'] },
  ],
});
export class CustomerPortrait extends CustomerPortraitSchema.class {}
CustomerPortraitSchema.setClass(CustomerPortrait);
