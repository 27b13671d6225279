import { defineEntity, p } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { UserSchema } from './user.entity';

export const REVOCATION_REASONS = ['rotated', 'logout', 'reuse_detected', 'user_deactivated'] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

/**
 * One opaque refresh token. Only its SHA-256 is stored, so a database leak yields no usable tokens.
 * Tokens rotated from one login share a `familyId`; reuse of a rotated token revokes the whole family.
 */
export const RefreshTokenSchema = defineEntity({
  name: 'RefreshToken',
  tableName: 'refresh_token',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    user: () => p.manyToOne(UserSchema).deleteRule('cascade'),
    tokenHash: p.string().length(64).unique('refresh_token_token_hash_unique'),
    familyId: p.uuid().index('refresh_token_family_id_idx'),
    expiresAt: p.datetime(3),
    revokedAt: p.datetime(3).nullable(),
    revokedReason: p.enum(REVOCATION_REASONS).nullable(),
    replacedById: p.uuid().nullable(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
    ip: p.string().length(64).nullable(),
    userAgent: p.string().length(256).nullable(),
  },
});
export class RefreshToken extends RefreshTokenSchema.class {}
RefreshTokenSchema.setClass(RefreshToken);
