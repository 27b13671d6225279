import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/mysql';
import { ConflictException, ForbiddenException, Inject, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { recordAudit } from '@relationship/audit';
import type { AuthUser } from '@relationship/auth';
import { MatchAccepted, MatchRejected, type MatchExplanation } from '@relationship/contracts';
import { OutboxService } from '@relationship/messaging';
import { forkEm, inTransaction } from '@relationship/persistence';
import type { Page, WriteContext } from '@relationship/service-kit';
import { MATCHING_CONFIG, type MatchingSettings } from '../config';
import { FeedbackStore } from '../learning/feedback.store';
import { parseJsonColumn, SnapshotStore } from '../read-models/snapshot-store';
import { MatchScorer } from '../scoring/match-scorer';
import { AccessScopes } from './access';
import { AssignmentWriter } from './assignment-writer';
import type { AdjustmentListQuery, AssignmentListQuery, HistoryQuery, ReassignDto } from './dto';
import { RematchService } from './rematch.service';

export interface AssignmentView {
  customerId: string;
  managerId: string | null;
  manager: { displayName: string; employeeNo: string; branchId: string } | null;
  state: 'proposed' | 'accepted' | null;
  proposalId: string | null;
  version: number;
  score: number | null;
  explanation: MatchExplanation | null;
  reason: string | null;
  runId: string | null;
  pinned: boolean;
  updatedAt: string;
}

export interface HistoryView {
  id: number;
  customerId: string;
  managerId: string | null;
  previousManagerId: string | null;
  assignmentVersion: number;
  event: string;
  reason: string;
  runId: string | null;
  score: number | null;
  explanation: MatchExplanation | null;
  actor: { id: string | null; role: string | null };
  note: string | null;
  at: string;
}

/**
 * A customer's own timeline: what happened and when, never the staff's reasons, notes, ids or runs (a decline's
 * reason or a reassignment's note is internal).
 */
export interface CustomerHistoryView {
  id: number;
  assignmentVersion: number;
  event: string;
  at: string;
}

export function toCustomerHistoryView(entry: HistoryView): CustomerHistoryView {
  return { id: entry.id, assignmentVersion: entry.assignmentVersion, event: entry.event, at: entry.at };
}

export interface AdjustmentView {
  id: string;
  customerId: string;
  fromManagerId: string | null;
  toManagerId: string;
  reason: string;
  status: string;
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
}

type Row = Record<string, unknown>;

const VIEW_SELECT = `select a.customer_id, a.manager_id, a.state, a.proposal_id, a.version, a.score, a.explanation, a.reason, a.run_id, a.pinned,
  a.updated_at, m.snapshot as manager_snapshot from assignment a left join manager_snapshot m on m.manager_id = a.manager_id`;

function toView(row: Row): AssignmentView {
  const manager = row['manager_snapshot'] ? parseJsonColumn<{ displayName: string; employeeNo: string; branchId: string }>(row['manager_snapshot'] as string) : null;
  return {
    customerId: row['customer_id'] as string,
    managerId: (row['manager_id'] as string | null) ?? null,
    manager: manager ? { displayName: manager.displayName, employeeNo: manager.employeeNo, branchId: manager.branchId } : null,
    state: (row['state'] as AssignmentView['state']) ?? null,
    proposalId: (row['proposal_id'] as string | null) ?? null,
    version: Number(row['version']),
    score: row['score'] === null ? null : Number(row['score']),
    explanation: row['explanation'] ? parseJsonColumn<MatchExplanation>(row['explanation'] as string) : null,
    reason: (row['reason'] as string | null) ?? null,
    runId: (row['run_id'] as string | null) ?? null,
    pinned: Boolean(row['pinned']),
    updatedAt: new Date(row['updated_at'] as string).toISOString(),
  };
}

function toHistoryView(row: Row): HistoryView {
  return {
    id: Number(row['id']),
    customerId: row['customer_id'] as string,
    managerId: (row['manager_id'] as string | null) ?? null,
    previousManagerId: (row['previous_manager_id'] as string | null) ?? null,
    assignmentVersion: Number(row['assignment_version']),
    event: row['event'] as string,
    reason: row['reason'] as string,
    runId: (row['run_id'] as string | null) ?? null,
    score: row['score'] === null ? null : Number(row['score']),
    explanation: row['explanation'] ? parseJsonColumn<MatchExplanation>(row['explanation'] as string) : null,
    actor: { id: (row['actor_id'] as string | null) ?? null, role: (row['actor_role'] as string | null) ?? null },
    note: (row['note'] as string | null) ?? null,
    at: new Date(row['created_at'] as string).toISOString(),
  };
}

function toAdjustmentView(row: Row): AdjustmentView {
  const at = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
  return {
    id: row['id'] as string,
    customerId: row['customer_id'] as string,
    fromManagerId: (row['from_manager_id'] as string | null) ?? null,
    toManagerId: row['to_manager_id'] as string,
    reason: row['reason'] as string,
    status: row['status'] as string,
    requestedBy: row['requested_by'] as string,
    requestedAt: at(row['requested_at'])!,
    decidedBy: (row['decided_by'] as string | null) ?? null,
    decidedAt: at(row['decided_at']),
    decisionNote: (row['decision_note'] as string | null) ?? null,
  };
}

async function page<T>(em: EntityManager, select: string, where: string[], params: unknown[], order: string, query: { page: number; pageSize: number }, map: (r: Row) => T): Promise<Page<T>> {
  const clause = where.length ? ` where ${where.join(' and ')}` : '';
  const [count] = await em.execute<{ n: number }[]>(`select count(*) as n from (${select}${clause}) counted`, params);
  const rows = await em.execute<Row[]>(`${select}${clause} order by ${order} limit ? offset ?`, [...params, query.pageSize, (query.page - 1) * query.pageSize]);
  return { items: rows.map(map), total: Number(count.n), page: query.page, pageSize: query.pageSize };
}

/** Reading assignments and history, manual reassignment (optionally maker-checker), and managers' accept/decline. */
@Injectable()
export class AssignmentsService {
  constructor(
    private readonly orm: MikroORM,
    @Inject(MATCHING_CONFIG) private readonly config: MatchingSettings,
    private readonly store: SnapshotStore,
    private readonly scorer: MatchScorer,
    private readonly writer: AssignmentWriter,
    private readonly rematch: RematchService,
    private readonly outbox: OutboxService,
    private readonly feedback: FeedbackStore,
    private readonly scopes: AccessScopes,
  ) {}

  private em(): EntityManager {
    return forkEm(this.orm);
  }

  async ofCustomer(customerId: string, caller: AuthUser): Promise<AssignmentView> {
    const em = this.em();
    const scope = await this.scopes.of(em, caller);
    if (scope.kind === 'customer' && scope.customerId !== customerId) throw new ForbiddenException('a customer sees only their own manager');
    const [row] = await em.execute<Row[]>(`${VIEW_SELECT} where a.customer_id = ?`, [customerId]);
    if (!row) throw new NotFoundException(`customer ${customerId} is not known to matching`);
    if (scope.kind === 'manager' && row['manager_id'] !== scope.managerId) throw new ForbiddenException('this customer is not in your book');
    return toView(row);
  }

  async mine(caller: AuthUser): Promise<AssignmentView> {
    const scope = await this.scopes.of(this.em(), caller);
    if (scope.kind !== 'customer') throw new ForbiddenException('only customers have a manager');
    return this.ofCustomer(scope.customerId, caller);
  }

  async list(query: AssignmentListQuery, caller: AuthUser): Promise<Page<AssignmentView>> {
    const em = this.em();
    const scope = await this.scopes.of(em, caller);
    if (scope.kind === 'customer') throw new ForbiddenException('customers cannot list assignments');
    const managerId = scope.kind === 'manager' ? scope.managerId : query.managerId;
    const where = ['a.manager_id is not null'];
    const params: unknown[] = [];
    if (managerId) {
      where.push('a.manager_id = ?');
      params.push(managerId);
    }
    if (query.state) {
      where.push('a.state = ?');
      params.push(query.state);
    }
    return page(em, VIEW_SELECT, where, params, 'a.updated_at desc, a.customer_id', query, toView);
  }

  /** Staff see every detail; a customer gets their own timeline only (CustomerHistoryView). */
  async history(query: HistoryQuery, caller: AuthUser): Promise<Page<HistoryView> | Page<CustomerHistoryView>> {
    const em = this.em();
    const scope = await this.scopes.of(em, caller);
    const where: string[] = [];
    const params: unknown[] = [];
    if (scope.kind === 'customer') {
      where.push('customer_id = ?');
      params.push(scope.customerId);
    } else if (scope.kind === 'manager') {
      where.push('(manager_id = ? or previous_manager_id = ?)');
      params.push(scope.managerId, scope.managerId);
    }
    if (query.customerId) {
      where.push('customer_id = ?');
      params.push(query.customerId);
    }
    if (query.managerId) {
      where.push('(manager_id = ? or previous_manager_id = ?)');
      params.push(query.managerId, query.managerId);
    }
    if (query.runId) {
      where.push('run_id = ?');
      params.push(query.runId);
    }
    const entries = await page(em, 'select * from assignment_history', where, params, 'id desc', query, toHistoryView);
    return scope.kind === 'customer' ? { ...entries, items: entries.items.map(toCustomerHistoryView) } : entries;
  }

  /**
   * An admin moves a customer. Hard constraints still hold (422 naming them) and capacity is the database's to
   * refuse (409). With maker-checker the change waits for a second admin.
   */
  async reassign(customerId: string, dto: ReassignDto, context: WriteContext & { actor: { id: string; role: string } }): Promise<{ status: 'applied'; assignment: AssignmentView } | { status: 'pending_approval'; adjustment: AdjustmentView }> {
    const needsApproval = this.config.MAKER_CHECKER || dto.requireApproval === true;
    const outcome = await inTransaction(this.orm, async (em) => {
      const held = await this.checkReassignment(em, customerId, dto.managerId, dto.expectedVersion);
      if (needsApproval) {
        const id = crypto.randomUUID();
        await em.execute(
          `insert into adjustment_request (id, customer_id, from_manager_id, to_manager_id, expected_version, reason, status, requested_by, requested_at)
           values (?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
          [id, customerId, held.managerId, dto.managerId, held.version, dto.reason, context.actor.id, new Date()],
        );
        recordAudit(em, {
          actor: context.actor,
          action: 'assignment.adjustment_requested',
          entityType: 'customer_assignment',
          entityId: customerId,
          before: { managerId: held.managerId },
          after: { managerId: dto.managerId, adjustmentId: id },
          reason: dto.reason,
          requestId: context.requestId,
        });
        return { pending: id };
      }
      await this.applyManual(em, customerId, dto.managerId, held.version, dto.reason, context);
      return { pending: null };
    });
    if (outcome.pending) return { status: 'pending_approval', adjustment: await this.adjustment(outcome.pending) };
    return { status: 'applied', assignment: await this.ofCustomer(customerId, { id: context.actor.id, role: 'admin', username: 'admin' }) };
  }

  private async checkReassignment(em: EntityManager, customerId: string, managerId: string, expectedVersion?: number) {
    const customer = await this.store.customer(em, customerId);
    const held = await this.writer.current(em, customerId, true);
    if (!customer || !held) throw new NotFoundException(`customer ${customerId} is not known to matching`);
    if (expectedVersion !== undefined && expectedVersion !== held.version) {
      throw new ConflictException(`the assignment changed meanwhile (version ${held.version}, you saw ${expectedVersion}); reload and retry`);
    }
    if (held.managerId === managerId) throw new ConflictException('the customer is already assigned to this manager');
    const manager = await this.store.manager(em, managerId);
    if (!manager) throw new UnprocessableEntityException(`managerId: manager ${managerId} is not known to matching`);
    const verdict = this.scorer.verdict(customer, manager.snapshot, manager.load);
    if (!verdict.eligible) {
      const capacityOnly = verdict.exclusions.every((e) => e === 'manager_full');
      if (capacityOnly) throw new ConflictException(`manager ${managerId} is at capacity (${manager.load.assigned}/${manager.snapshot.capacity})`);
      throw new UnprocessableEntityException(`managerId: this manager may not serve this customer: ${verdict.exclusions.join(', ')}`);
    }
    return held;
  }

  private async applyManual(em: EntityManager, customerId: string, managerId: string, version: number, reason: string, context: WriteContext): Promise<void> {
    const customer = (await this.store.customer(em, customerId))!;
    const manager = (await this.store.manager(em, managerId))!;
    const verdict = this.scorer.verdict(customer, manager.snapshot, manager.load);
    const outcome = await this.writer.move(em, {
      customerId,
      toManagerId: managerId,
      expectedVersion: version,
      reason: 'manual',
      score: verdict.eligible ? verdict.score : null,
      explanation: verdict.eligible ? verdict.explanation : null,
      context,
      pinned: true,
      note: reason,
    });
    if (outcome.status === 'full') throw new ConflictException(`manager ${managerId} is at capacity`);
    if (outcome.status === 'stale') throw new ConflictException('the assignment changed meanwhile; reload and retry');
  }

  async adjustments(query: AdjustmentListQuery): Promise<Page<AdjustmentView>> {
    const where = query.status ? ['status = ?'] : [];
    return page(this.em(), 'select * from adjustment_request', where, query.status ? [query.status] : [], 'requested_at desc, id', query, toAdjustmentView);
  }

  async adjustment(id: string): Promise<AdjustmentView> {
    const [row] = await this.em().execute<Row[]>('select * from adjustment_request where id = ?', [id]);
    if (!row) throw new NotFoundException(`adjustment ${id} not found`);
    return toAdjustmentView(row);
  }

  /** The checker: a different admin than the maker approves; the move is re-checked against the state now. */
  async decide(id: string, approve: boolean, note: string | undefined, context: WriteContext & { actor: { id: string; role: string } }): Promise<AdjustmentView> {
    await inTransaction(this.orm, async (em) => {
      const [row] = await em.execute<Row[]>('select * from adjustment_request where id = ? for update', [id]);
      if (!row) throw new NotFoundException(`adjustment ${id} not found`);
      if (row['status'] !== 'pending') throw new ConflictException(`adjustment ${id} is already ${row['status']}`);
      if (row['requested_by'] === context.actor.id) throw new ForbiddenException('maker-checker: the admin who requested a change cannot decide it');
      const customerId = row['customer_id'] as string;
      let status = approve ? 'applied' : 'rejected';
      if (approve) {
        try {
          await this.checkReassignment(em, customerId, row['to_manager_id'] as string, Number(row['expected_version']));
          await this.applyManual(em, customerId, row['to_manager_id'] as string, Number(row['expected_version']), row['reason'] as string, {
            ...context,
            reason: `approved adjustment ${id}`,
          });
        } catch (error) {
          if (!(error instanceof ConflictException)) throw error;
          status = 'stale';
        }
      }
      await em.execute('update adjustment_request set status = ?, decided_by = ?, decided_at = ?, decision_note = ? where id = ?', [
        status,
        context.actor.id,
        new Date(),
        note ?? null,
        id,
      ]);
      recordAudit(em, {
        actor: context.actor,
        action: approve ? 'assignment.adjustment_approved' : 'assignment.adjustment_rejected',
        entityType: 'customer_assignment',
        entityId: customerId,
        after: { adjustmentId: id, status },
        reason: note ?? null,
        requestId: context.requestId,
      });
    });
    const view = await this.adjustment(id);
    if (view.status === 'stale') throw new ConflictException(`adjustment ${id} can no longer be applied (the assignment or the manager changed); it was closed as stale`);
    return view;
  }

  async acceptProposal(proposalId: string, caller: AuthUser, context: WriteContext): Promise<AssignmentView> {
    const customerId = await inTransaction(this.orm, async (em) => {
      const row = await this.ownProposal(em, proposalId, caller);
      const now = new Date();
      await em.execute("update assignment set state = 'accepted', updated_at = ? where customer_id = ? and proposal_id = ?", [now, row.customerId, proposalId]);
      await this.writer.recordHistory(em, {
        customerId: row.customerId,
        managerId: row.managerId,
        previousManagerId: row.managerId,
        version: row.version,
        event: 'accepted',
        reason: 'accepted',
        runId: null,
        score: row.score,
        explanation: row.explanation,
        context,
        note: null,
        at: now,
      });
      this.outbox.enqueue(em, {
        contract: MatchAccepted,
        correlationId: context.correlationId,
        payload: { proposalId, customerId: row.customerId, managerId: row.managerId, acceptedBy: caller.id, explanation: row.explanation, acceptedAt: now.toISOString() },
      });
      await this.feedback.record(em, { customerId: row.customerId, managerId: row.managerId, accepted: true, source: 'proposal' });
      return row.customerId;
    });
    return this.ofCustomer(customerId, { ...caller, role: 'admin' });
  }

  /** A declined customer never gets that manager again and is rematched at once (the next proposal or nobody). */
  async declineProposal(proposalId: string, reason: string, caller: AuthUser, context: WriteContext): Promise<AssignmentView> {
    const customerId = await inTransaction(this.orm, async (em) => {
      const row = await this.ownProposal(em, proposalId, caller);
      const now = new Date();
      await em.execute('insert ignore into declined_pair (customer_id, manager_id, declined_at) values (?, ?, ?)', [row.customerId, row.managerId, now]);
      await this.writer.recordHistory(em, {
        customerId: row.customerId,
        managerId: row.managerId,
        previousManagerId: row.managerId,
        version: row.version,
        event: 'declined',
        reason: 'declined',
        runId: null,
        score: row.score,
        explanation: row.explanation,
        context,
        note: reason,
        at: now,
      });
      this.outbox.enqueue(em, {
        contract: MatchRejected,
        correlationId: context.correlationId,
        payload: { proposalId, customerId: row.customerId, managerId: row.managerId, rejectedBy: caller.id, reason, explanation: row.explanation, rejectedAt: now.toISOString() },
      });
      await this.feedback.record(em, { customerId: row.customerId, managerId: row.managerId, accepted: false, source: 'proposal' });
      await this.rematch.rematch(em, row.customerId, { reason: 'declined', context, exclude: new Set([row.managerId]) });
      return row.customerId;
    });
    return this.ofCustomer(customerId, { ...caller, role: 'admin' });
  }

  private async ownProposal(em: EntityManager, proposalId: string, caller: AuthUser) {
    const [row] = await em.execute<Row[]>(
      'select customer_id, manager_id, state, version, score, explanation from assignment where proposal_id = ? for update',
      [proposalId],
    );
    if (!row) throw new NotFoundException(`proposal ${proposalId} not found (it may have been superseded)`);
    const scope = await this.scopes.of(em, caller);
    if (scope.kind === 'customer' || (scope.kind === 'manager' && scope.managerId !== row['manager_id'])) {
      throw new ForbiddenException('only the proposed manager (or an admin) can answer a proposal');
    }
    if (row['state'] !== 'proposed') throw new ConflictException(`proposal ${proposalId} was already ${row['state']}`);
    const explanation = row['explanation']
      ? parseJsonColumn<MatchExplanation>(row['explanation'] as string)
      : { score: 0, contributions: [], omitted: [], model: null };
    return {
      customerId: row['customer_id'] as string,
      managerId: row['manager_id'] as string,
      version: Number(row['version']),
      score: row['score'] === null ? null : Number(row['score']),
      explanation,
    };
  }
}
