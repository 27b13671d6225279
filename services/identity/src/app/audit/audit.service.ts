import { MikroORM, type EntityManager, type FilterQuery } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { SecurityAuditEntry, type AuditAction, type AuditOutcome } from '../database/entities';
import type { AuditContext } from './audit-context';

export interface AuditRecord {
  action: AuditAction;
  outcome: AuditOutcome;
  targetUserId?: string | null;
  /** The username as the caller typed it (login attempts), normalised. */
  username?: string | null;
  /** Facts that explain the entry; never secrets (passwords, tokens, hashes). */
  details?: Record<string, unknown> | null;
}

export interface AuditQuery {
  action?: string;
  userId?: string;
  page: number;
  pageSize: number;
}

@Injectable()
export class AuditService {
  constructor(private readonly orm: MikroORM) {}

  /** Adds an entry to the caller's unit of work, so it commits (or not) with the action it describes. */
  record(em: EntityManager, context: AuditContext, record: AuditRecord): SecurityAuditEntry {
    const entry = em.create(SecurityAuditEntry, {
      occurredAt: new Date(),
      action: record.action,
      outcome: record.outcome,
      actorUserId: context.actorUserId,
      targetUserId: record.targetUserId ?? null,
      username: record.username ?? null,
      ip: context.ip,
      userAgent: context.userAgent,
      requestId: context.requestId,
      details: record.details ?? null,
    });
    em.persist(entry);
    return entry;
  }

  /** For actions that change nothing else (a failed login): writes the entry on its own. */
  async recordNow(context: AuditContext, record: AuditRecord): Promise<void> {
    const em = this.orm.em.fork();
    this.record(em, context, record);
    await em.flush();
  }

  async list(query: AuditQuery): Promise<{ items: SecurityAuditEntry[]; total: number }> {
    const where: FilterQuery<SecurityAuditEntry> = {};
    if (query.action) where.action = query.action;
    if (query.userId) where.$or = [{ actorUserId: query.userId }, { targetUserId: query.userId }];
    const [items, total] = await this.orm.em.fork().findAndCount(SecurityAuditEntry, where, {
      orderBy: { id: 'desc' },
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    return { items, total };
  }
}
