import { defineEntity, p } from '@mikro-orm/core';
import { ROLES } from '@relationship/contracts';
import { randomUUID } from 'node:crypto';

export const USER_STATUSES = ['active', 'deactivated'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

export const UserSchema = defineEntity({
  name: 'User',
  tableName: 'user_account',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    /** Lowercase letters, digits and `._-`; normalised before it gets here. */
    username: p.string().length(64).unique('user_account_username_unique'),
    email: p.string().length(254).nullable().unique('user_account_email_unique'),
    phone: p.string().length(32).nullable(),
    displayName: p.string().length(100),
    role: p.enum(ROLES).index('user_account_role_idx'),
    passwordHash: p.string().length(255).hidden(),
    status: p.enum(USER_STATUSES).default('active'),
    createdAt: p.datetime(3).onCreate(() => new Date()),
    updatedAt: p.datetime(3).onCreate(() => new Date()).onUpdate(() => new Date()),
    lastLoginAt: p.datetime(3).nullable(),
  },
});
export class User extends UserSchema.class {}
UserSchema.setClass(User);
