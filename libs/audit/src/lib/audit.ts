import { defineEntity, p, type EntityManager } from '@mikro-orm/core';

/**
 * One row per write by a person or a process: who, what, before/after, when, from which request.
 * Each service keeps its own table (it owns the data being audited); the shape is shared.
 */
export const AuditEntrySchema = defineEntity({
  name: 'AuditEntry',
  tableName: 'audit_entry',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    occurredAt: p.datetime(3),
    actorId: p.string().length(36).nullable(),
    actorRole: p.string().length(20).nullable(),
    action: p.string().length(64),
    entityType: p.string().length(64),
    entityId: p.string().length(64),
    /** Changed fields only; PII values are masked before they get here. */
    before: p.json<Record<string, unknown>>().nullable(),
    after: p.json<Record<string, unknown>>().nullable(),
    reason: p.string().length(500).nullable(),
    requestId: p.string().length(128).nullable(),
  },
  indexes: [
    { name: 'audit_entry_entity_idx', properties: ['entityType', 'entityId', 'occurredAt'] },
    { name: 'audit_entry_actor_idx', properties: ['actorId', 'occurredAt'] },
  ],
});
export class AuditEntry extends AuditEntrySchema.class {}
AuditEntrySchema.setClass(AuditEntry);

export interface AuditRecord {
  actor: { id: string; role: string } | null;
  action: string;
  entityType: string;
  entityId: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  reason?: string | null;
  requestId?: string | null;
}

/** Adds an audit row to the caller's unit of work, so it commits (or not) with the change it describes. */
export function recordAudit(em: EntityManager, record: AuditRecord): AuditEntry {
  const entry = em.create(AuditEntry, {
    occurredAt: new Date(),
    actorId: record.actor?.id ?? null,
    actorRole: record.actor?.role ?? null,
    action: record.action,
    entityType: record.entityType,
    entityId: record.entityId,
    before: record.before ?? null,
    after: record.after ?? null,
    reason: record.reason ?? null,
    requestId: record.requestId ?? null,
  } as never);
  em.persist(entry);
  return entry;
}

/** The fields whose values differ, with before/after maps restricted to them. */
export function diffFields<T extends Record<string, unknown>>(
  before: T,
  after: T,
): { changed: string[]; before: Record<string, unknown>; after: Record<string, unknown> } {
  const changed = Object.keys(after).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  return {
    changed,
    before: Object.fromEntries(changed.map((k) => [k, before[k]])),
    after: Object.fromEntries(changed.map((k) => [k, after[k]])),
  };
}

export const auditEntities = [AuditEntrySchema];

/** DDL for a service's migration, kept in step with the entity by each service's schema-diff test. */
export function auditTablesSql(): string[] {
  return [
    'create table `audit_entry` (`id` bigint unsigned not null auto_increment primary key, `occurred_at` datetime(3) not null, `actor_id` varchar(36) null, `actor_role` varchar(20) null, `action` varchar(64) not null, `entity_type` varchar(64) not null, `entity_id` varchar(64) not null, `before` json null, `after` json null, `reason` varchar(500) null, `request_id` varchar(128) null) default character set utf8mb4 engine = InnoDB;',
    'alter table `audit_entry` add index `audit_entry_entity_idx`(`entity_type`, `entity_id`, `occurred_at`);',
    'alter table `audit_entry` add index `audit_entry_actor_idx`(`actor_id`, `occurred_at`);',
  ];
}
