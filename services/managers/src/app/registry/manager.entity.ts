import { defineEntity, p } from '@mikro-orm/core';
import type { Certification, Language, ManagerAvailability, ManagerTitle, Need, Segment } from '@relationship/contracts';
import { BranchSchema } from '../branches/branch.entity';

/**
 * A relationship manager in the registry. Everything matching needs travels in the manager events as a
 * ManagerMatchSnapshot; contact details (email, phone) are PII and stay here.
 */
export const ManagerSchema = defineEntity({
  name: 'Manager',
  tableName: 'manager',
  properties: {
    id: p.string().length(36).primary(),
    /** The manager's login account (identity's user id); null until an account is linked. */
    userId: p.string().length(36).nullable().unique('manager_user_id_unique'),
    employeeNo: p.string().length(64).unique('manager_employee_no_unique'),
    displayName: p.string().length(100),
    branch: () => p.manyToOne(BranchSchema),
    /** Copied from the branch whenever it changes, so filters and snapshots need no join. */
    region: p.string().length(32),
    city: p.string().length(64).nullable(),
    title: p.string().length(32).$type<ManagerTitle>(),
    level: p.smallint(),
    expertise: p.json<Need[]>(),
    certifications: p.json<Certification[]>(),
    languages: p.json<Language[]>(),
    segmentsServed: p.json<Segment[]>(),
    interests: p.json<string[]>(),
    /** Most customers this manager may hold; 0 keeps the manager out of matching (drafts). */
    capacity: p.integer(),
    availability: p.string().length(16).$type<ManagerAvailability>(),
    leaveFrom: p.date().nullable(),
    leaveUntil: p.date().nullable(),
    /** Who looks after this manager's book while on leave. */
    coverManagerId: p.string().length(36).nullable(),
    /** Customer satisfaction 0–5. */
    satisfaction: p.decimal('number').precision(3).scale(2).nullable(),
    /** Share of the book retained over the last year, 0–1. */
    retention: p.decimal('number').precision(4).scale(3).nullable(),
    /** AUM growth of the book over the last year, as a fraction (0.12 = +12 %). */
    aumGrowth: p.decimal('number').precision(6).scale(3).nullable(),
    email: p.string().length(254).nullable().unique('manager_email_unique'),
    phone: p.string().length(32).nullable(),
    /** Bumped on every change and carried in every event, so consumers can drop stale ones. */
    version: p.integer(),
    createdAt: p.datetime(3),
    updatedAt: p.datetime(3),
  },
  indexes: [
    { name: 'manager_region_idx', properties: ['region'] },
    { name: 'manager_availability_idx', properties: ['availability'] },
    { name: 'manager_display_name_idx', properties: ['displayName'] },
  ],
});
export class Manager extends ManagerSchema.class {}
ManagerSchema.setClass(Manager);
