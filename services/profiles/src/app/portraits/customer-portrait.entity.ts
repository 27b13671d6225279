import { defineEntity, p } from '@mikro-orm/core';

/**
 * A customer's portrait. The foundation creates it empty from `UserRegistered`;
 * profile, tags, needs, interests and segments are added by the portraits issue.
 */
export const CustomerPortraitSchema = defineEntity({
  name: 'CustomerPortrait',
  tableName: 'customer_portrait',
  properties: {
    id: p.string().length(36).primary(),
    userId: p.string().length(36).unique('customer_portrait_user_id_unique'),
    displayName: p.string().length(100),
    email: p.string().length(254).nullable(),
    phone: p.string().length(32).nullable(),
    /** Per-entity version carried in events so consumers can ignore stale ones. */
    version: p.integer(),
    createdAt: p.datetime(3),
    updatedAt: p.datetime(3),
  },
});
export class CustomerPortrait extends CustomerPortraitSchema.class {}
CustomerPortraitSchema.setClass(CustomerPortrait);
