import type { EntityManager } from '@mikro-orm/mysql';
import { BadRequestException, ConflictException, Inject, Injectable } from '@nestjs/common';
import { recordAudit } from '@relationship/audit';
import { createEnvelope, ProfileCreatedV2, ProfileUpdated, type EventContract } from '@relationship/contracts';
import { MESSAGING_OPTIONS, OutboxRelay, OutboxService, type MessagingOptions } from '@relationship/messaging';
import { isDuplicateKeyError } from '@relationship/persistence';
import type { WriteContext } from '../common/write-context';
import { PROFILES_CONFIG, type ProfilesConfig } from '../config';
import type { PortraitOrigin } from '../domain/catalogue';
import { auditValues } from '../domain/masking';
import {
  applyChanges,
  applyRules,
  changedFields,
  matchSnapshot,
  PORTRAIT_FIELDS,
  reconcileBirthDate,
  type ActiveRule,
  type DerivationContext,
  type Portrait,
  type PortraitChanges,
  type PortraitField,
} from '../domain/portrait';
import { bulkInsert, sqlDateTime } from '../database/bulk-insert';
import { PortraitStore } from './portrait-store';

/** Column lists of the shared tables (libs/audit, libs/messaging) for bulk inserts; the schema test keeps them honest. */
const AUDIT_COLUMNS = ['occurred_at', 'actor_id', 'actor_role', 'action', 'entity_type', 'entity_id', 'after', 'request_id'];
const OUTBOX_COLUMNS = ['id', 'topic', 'message_key', 'event_type', 'envelope', 'created_at', 'published_at'];

export const ENTITY_TYPE = 'customer_portrait';

/** An import writes one audit row per customer; the key fields are enough (the file itself is the full record). */
const IMPORT_AUDIT_FIELDS: readonly PortraitField[] = ['displayName', 'nationalIdNumber', 'homeBranchId', 'aumCny', 'segment'];

/** Turns a duplicate national ID into a 409 naming the field; anything else passes through. */
export function conflictFrom(error: unknown): unknown {
  if (isDuplicateKeyError(error) && String((error as Error).message).includes('customer_portrait_national_id_unique')) {
    return new ConflictException('nationalIdNumber is already recorded for another customer');
  }
  return error;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyContract = EventContract<string, any>;

/**
 * The one way portraits change: derive (segment, risk level, birth date from the ID), run the rules, diff, bump the
 * version, write the rows, and in the same transaction enqueue the event and the audit row.
 */
@Injectable()
export class PortraitWriter {
  constructor(
    private readonly store: PortraitStore,
    private readonly outbox: OutboxService,
    private readonly relay: OutboxRelay,
    @Inject(MESSAGING_OPTIONS) private readonly messaging: MessagingOptions,
    @Inject(PROFILES_CONFIG) private readonly config: ProfilesConfig,
  ) {}

  derivation(now = new Date()): DerivationContext {
    return { thresholds: this.config.SEGMENT_THRESHOLDS_CNY, now };
  }

  /** Applies changes and rules to a portrait (pure apart from the clock); 400 for an inconsistent result. */
  prepare(before: Portrait, changes: PortraitChanges, rules: readonly ActiveRule[], now: Date): Portrait {
    const changed = applyChanges(before, changes, this.derivation(now));
    const { portrait, problem } = reconcileBirthDate(changed);
    if (problem) throw new BadRequestException(problem);
    return applyRules(portrait, rules, now);
  }

  /**
   * Writes `after` over `before` if anything differs: version + 1, ProfileUpdated and an audit row.
   * Returns the stored portrait (unchanged `before` when nothing differs: no event, no audit noise).
   */
  async commit(tx: EntityManager, before: Portrait, after: Portrait, context: WriteContext, action: string): Promise<{ portrait: Portrait; changed: PortraitField[] }> {
    const changed = changedFields(before, after);
    if (!changed.length) return { portrait: before, changed };
    const now = new Date();
    const stored: Portrait = { ...after, version: before.version + 1, updatedAt: now };
    try {
      await this.store.update(tx, before, stored);
    } catch (error) {
      throw conflictFrom(error);
    }
    this.outbox.enqueue(tx, {
      contract: ProfileUpdated,
      correlationId: context.correlationId,
      payload: {
        customerId: stored.id,
        profileVersion: stored.version,
        changedFields: changed,
        snapshot: matchSnapshot(stored, now),
        updatedAt: now.toISOString(),
      },
    });
    recordAudit(tx, {
      actor: context.actor,
      action,
      entityType: ENTITY_TYPE,
      entityId: stored.id,
      before: { ...auditValues(before, changed, now), version: before.version },
      after: { ...auditValues(stored, changed, now), version: stored.version },
      requestId: context.requestId,
    });
    return { portrait: stored, changed };
  }

  /**
   * Inserts new portraits (one, or an import's worth) with ProfileCreated v2 and an audit row each, all as
   * multi-row INSERTs in the caller's transaction.
   */
  async create(tx: EntityManager, portraits: readonly Portrait[], context: WriteContext, origin: PortraitOrigin, extra: Record<string, unknown> = {}): Promise<void> {
    if (!portraits.length) return;
    try {
      await this.store.insertMany(tx, portraits);
    } catch (error) {
      throw conflictFrom(error);
    }
    const now = new Date();
    await this.enqueueMany(
      tx,
      ProfileCreatedV2,
      portraits.map((p) => ({
        correlationId: context.correlationId,
        payload: { customerId: p.id, profileVersion: p.version, origin, snapshot: matchSnapshot(p, now), createdAt: p.createdAt.toISOString() },
      })),
    );
    const at = sqlDateTime(now);
    const audits = portraits.map((p) => [
      at,
      context.actor?.id ?? null,
      context.actor?.role ?? null,
      'portrait.created',
      ENTITY_TYPE,
      p.id,
      JSON.stringify({ ...auditValues(p, origin === 'import' ? IMPORT_AUDIT_FIELDS : PORTRAIT_FIELDS, now), origin, version: p.version, ...extra }),
      context.requestId,
    ]);
    await bulkInsert(tx, 'audit_entry', AUDIT_COLUMNS, audits);
  }

  /** The outbox for many events at once: the same envelopes OutboxService.enqueue writes, as multi-row INSERTs. */
  private async enqueueMany<C extends AnyContract>(tx: EntityManager, contract: C, events: { payload: unknown; correlationId: string | null }[]): Promise<void> {
    const rows = events.map((event) => {
      const envelope = createEnvelope({ contract, payload: event.payload as never, correlationId: event.correlationId, source: this.messaging.service });
      return [envelope.id, contract.topic, envelope.key, envelope.type, JSON.stringify(envelope), sqlDateTime(new Date(envelope.occurredAt)), null];
    });
    await bulkInsert(tx, 'outbox_message', OUTBOX_COLUMNS, rows);
    this.relay.wakeSoon();
  }
}
