import type { EntityManager } from '@mikro-orm/mysql';
import { Injectable } from '@nestjs/common';
import { recordAudit } from '@relationship/audit';
import { AssignmentChanged, MatchProposed, type AssignmentChangedPayload, type MatchExplanation } from '@relationship/contracts';
import { OutboxService } from '@relationship/messaging';
import { isCheckConstraintError } from '@relationship/persistence';
import type { WriteContext } from '@relationship/service-kit';
import { MatchingMetrics } from '../matching-metrics';

export type AssignmentReason = AssignmentChangedPayload['reason'];

export interface MoveRequest {
  customerId: string;
  /** null = leave the customer without a manager. */
  toManagerId: string | null;
  /** The assignment version the decision was based on: anything else means someone moved the customer since. */
  expectedVersion: number;
  reason: AssignmentReason;
  runId?: string | null;
  score: number | null;
  explanation: MatchExplanation | null;
  context: WriteContext;
  /** A manual assignment stays put in rebalances until an admin moves it again. */
  pinned?: boolean;
  note?: string | null;
}

export type MoveOutcome =
  | { status: 'applied'; version: number; proposalId: string | null; previousManagerId: string | null }
  | { status: 'unchanged' }
  /** The customer's assignment changed after the decision was made (or the customer is unknown). */
  | { status: 'stale' }
  /** The target manager is at capacity: the database refused the move. */
  | { status: 'full' };

export interface CurrentAssignment {
  customerId: string;
  managerId: string | null;
  version: number;
  state: 'proposed' | 'accepted' | null;
  proposalId: string | null;
  score: number | null;
  pinned: boolean;
}

interface AssignmentRow {
  customer_id: string;
  manager_id: string | null;
  version: number;
  state: 'proposed' | 'accepted' | null;
  proposal_id: string | null;
  score: string | number | null;
  pinned: number;
}

export function toCurrentAssignment(row: AssignmentRow): CurrentAssignment {
  return {
    customerId: row.customer_id,
    managerId: row.manager_id,
    version: Number(row.version),
    state: row.state,
    proposalId: row.proposal_id,
    score: row.score === null ? null : Number(row.score),
    pinned: Boolean(row.pinned),
  };
}

export const ASSIGNMENT_COLUMNS = 'customer_id, manager_id, version, state, proposal_id, score, pinned';

/**
 * The only code that changes a customer's manager. One guarded UPDATE of the customer's single assignment row: the
 * version check makes a decision taken on stale data a no-op, and the load triggers with their CHECK constraint make
 * the database itself refuse a manager over capacity. The history row and the events commit with it (outbox).
 */
@Injectable()
export class AssignmentWriter {
  constructor(
    private readonly outbox: OutboxService,
    private readonly metrics: MatchingMetrics,
  ) {}

  async current(em: EntityManager, customerId: string, lock = false): Promise<CurrentAssignment | null> {
    const [row] = await em.execute<AssignmentRow[]>(
      `select ${ASSIGNMENT_COLUMNS} from assignment where customer_id = ?${lock ? ' for update' : ''}`,
      [customerId],
    );
    return row ? toCurrentAssignment(row) : null;
  }

  async move(em: EntityManager, request: MoveRequest): Promise<MoveOutcome> {
    const outcome = await this.guardedMove(em, request);
    this.metrics.write(request.reason, outcome.status);
    return outcome;
  }

  private async guardedMove(em: EntityManager, request: MoveRequest): Promise<MoveOutcome> {
    const held = await this.current(em, request.customerId, true);
    if (!held || held.version !== request.expectedVersion) return { status: 'stale' };
    if (held.managerId === request.toManagerId) return { status: 'unchanged' };
    const proposalId = request.toManagerId === null ? null : crypto.randomUUID();
    const now = new Date();
    try {
      await em.execute(
        `update assignment set manager_id = ?, state = ?, proposal_id = ?, version = version + 1, score = ?, explanation = ?,
           reason = ?, run_id = ?, pinned = ?, updated_at = ? where customer_id = ? and version = ?`,
        [
          request.toManagerId,
          request.toManagerId === null ? null : 'proposed',
          proposalId,
          request.toManagerId === null ? null : request.score,
          request.toManagerId === null || !request.explanation ? null : JSON.stringify(request.explanation),
          request.reason,
          request.runId ?? null,
          request.pinned ? 1 : 0,
          now,
          request.customerId,
          request.expectedVersion,
        ],
      );
    } catch (error) {
      if (isCheckConstraintError(error)) return { status: 'full' };
      throw error;
    }
    const version = held.version + 1;
    await this.recordHistory(em, {
      customerId: request.customerId,
      managerId: request.toManagerId,
      previousManagerId: held.managerId,
      version,
      event: request.toManagerId === null ? 'unassigned' : 'assigned',
      reason: request.reason,
      runId: request.runId ?? null,
      score: request.toManagerId === null ? null : request.score,
      explanation: request.toManagerId === null ? null : request.explanation,
      context: request.context,
      note: request.note ?? null,
      at: now,
    });
    const correlationId = request.context.correlationId;
    this.outbox.enqueue(em, {
      contract: AssignmentChanged,
      correlationId,
      payload: {
        customerId: request.customerId,
        managerId: request.toManagerId,
        previousManagerId: held.managerId,
        assignmentVersion: version,
        reason: request.reason,
        runId: request.runId ?? null,
        score: request.toManagerId === null ? null : request.score,
        ...(request.toManagerId !== null && request.explanation ? { explanation: request.explanation } : {}),
        changedAt: now.toISOString(),
      },
    });
    if (request.toManagerId !== null && proposalId !== null && request.explanation) {
      this.outbox.enqueue(em, {
        contract: MatchProposed,
        correlationId,
        payload: {
          proposalId,
          customerId: request.customerId,
          managerId: request.toManagerId,
          previousManagerId: held.managerId,
          reason: request.reason === 'rebalance' ? 'rebalance' : request.reason === 'manual' ? 'manual' : 'incremental',
          runId: request.runId ?? null,
          explanation: request.explanation,
          proposedAt: now.toISOString(),
        },
      });
    }
    if (request.context.actor) {
      recordAudit(em, {
        actor: request.context.actor,
        action: 'assignment.changed',
        entityType: 'customer_assignment',
        entityId: request.customerId,
        before: { managerId: held.managerId, version: held.version },
        after: { managerId: request.toManagerId, version, score: request.score, pinned: Boolean(request.pinned) },
        reason: request.note ?? request.context.reason ?? null,
        requestId: request.context.requestId,
      });
    }
    return { status: 'applied', version, proposalId, previousManagerId: held.managerId };
  }

  async recordHistory(
    em: EntityManager,
    entry: {
      customerId: string;
      managerId: string | null;
      previousManagerId: string | null;
      version: number;
      event: 'assigned' | 'unassigned' | 'accepted' | 'declined';
      reason: string;
      runId: string | null;
      score: number | null;
      explanation: MatchExplanation | null;
      context: WriteContext;
      note: string | null;
      at: Date;
    },
  ): Promise<void> {
    await em.execute(
      `insert into assignment_history (customer_id, manager_id, previous_manager_id, assignment_version, event, reason, run_id, score, explanation,
         actor_id, actor_role, note, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        entry.customerId,
        entry.managerId,
        entry.previousManagerId,
        entry.version,
        entry.event,
        entry.reason,
        entry.runId,
        entry.score,
        entry.explanation ? JSON.stringify(entry.explanation) : null,
        entry.context.actor?.id ?? null,
        entry.context.actor?.role ?? 'system',
        entry.note,
        entry.at,
      ],
    );
  }
}
