import { defineEntity, p } from '@mikro-orm/core';

export const AUDIT_ACTIONS = [
  'user.registered',
  'user.registration_refused',
  'user.created',
  'user.role_changed',
  'user.deactivated',
  'user.unlocked',
  'login.succeeded',
  'login.failed',
  'login.locked',
  'token.refreshed',
  'token.refresh_failed',
  'token.reuse_detected',
  'logout',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
export const AUDIT_OUTCOMES = ['success', 'failure'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** Append-only record of security-relevant actions. Never holds passwords or tokens. */
export const SecurityAuditEntrySchema = defineEntity({
  name: 'SecurityAuditEntry',
  tableName: 'security_audit_entry',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    occurredAt: p.datetime(3).onCreate(() => new Date()),
    action: p.string().length(40),
    actorUserId: p.uuid().nullable(),
    targetUserId: p.uuid().nullable(),
    /** The username as typed at login, kept for failed attempts against unknown accounts. */
    username: p.string().length(64).nullable(),
    outcome: p.enum(AUDIT_OUTCOMES),
    ip: p.string().length(64).nullable(),
    userAgent: p.string().length(256).nullable(),
    requestId: p.string().length(128).nullable(),
    details: p.json<Record<string, unknown>>().nullable(),
  },
  indexes: [
    { name: 'security_audit_entry_action_idx', properties: ['action', 'occurredAt'] },
    { name: 'security_audit_entry_actor_idx', properties: ['actorUserId', 'occurredAt'] },
    { name: 'security_audit_entry_target_idx', properties: ['targetUserId', 'occurredAt'] },
  ],
});
export class SecurityAuditEntry extends SecurityAuditEntrySchema.class {}
SecurityAuditEntrySchema.setClass(SecurityAuditEntry);
