import type { EntityManager } from '@mikro-orm/mysql';
import { Injectable } from '@nestjs/common';
import {
  AssignmentChanged,
  isEventOf,
  ManagerAvailabilityChanged,
  ManagerCapacityChanged,
  ManagerRegistered,
  ManagerUpdated,
  MatchAccepted,
  MatchProposed,
  MatchRejected,
  ProfileCreated,
  ProfileCreatedV2,
  ProfileUpdated,
  RebalanceCompleted,
  UserRegistered,
  type CustomerMatchSnapshot,
  type EventEnvelope,
  type ManagerMatchSnapshot,
} from '@relationship/contracts';
import { dimensionValues, profileFactsOf, reportingDay, scoreBand, UNKNOWN, type CustomerProfileFacts } from './dimensions';

/** The growth-trend metrics kept per day; which ones a manager may read is decided by the query side. */
export const TREND_METRICS = ['new_customers', 'aum', 'matches', 'reassignments', 'declines', 'registrations'] as const;
export type TrendMetric = (typeof TREND_METRICS)[number];

/** '' in a manager column: no manager (unassigned customers, bank-wide figures). */
export const NO_MANAGER = '';

interface CustomerRow {
  profile_version: number;
  segment: string | null;
  aum_cny: string | number;
  risk_level: string | null;
  age_band: string | null;
  branch_id: string | null;
  city: string | null;
  lifecycle: string | null;
  tags: string | null;
  needs: string | null;
  manager_id: string | null;
  assignment_version: number;
}

function factsOfRow(row: CustomerRow): CustomerProfileFacts | null {
  if (row.profile_version === 0 || row.segment === null) return null;
  return {
    segment: row.segment,
    aumCny: Number(row.aum_cny),
    riskLevel: row.risk_level,
    ageBand: row.age_band,
    branchId: row.branch_id,
    city: row.city,
    lifecycle: row.lifecycle ?? UNKNOWN,
    tags: row.tags ? (JSON.parse(row.tags) as string[]) : [],
    needs: row.needs ? (JSON.parse(row.needs) as string[]) : [],
  };
}

const money = (n: number) => n.toFixed(2);
const round4 = (n: number) => n.toFixed(4);

/**
 * Applies one event to the read models, inside the idempotent consumer's transaction. Each effect is either a
 * function of the event alone (daily counters) or guarded by the entity's own version (current state), so the
 * result does not depend on how events of different topics interleave: live consumption and a replay agree.
 */
@Injectable()
export class Projector {
  async apply(envelope: EventEnvelope, em: EntityManager): Promise<void> {
    if (isEventOf(envelope, ProfileCreatedV2)) {
      const p = envelope.payload;
      await this.applyProfile(em, p.customerId, p.profileVersion, p.snapshot, p.createdAt, true);
    } else if (isEventOf(envelope, ProfileUpdated)) {
      const p = envelope.payload;
      await this.applyProfile(em, p.customerId, p.profileVersion, p.snapshot, p.updatedAt, false);
    } else if (isEventOf(envelope, ProfileCreated)) {
      // v1 carries no snapshot: the customer is counted as new, their attributes arrive with the next update.
      await this.addTrend(em, 'new_customers', UNKNOWN, NO_MANAGER, envelope.payload.createdAt, 1);
    } else if (isEventOf(envelope, AssignmentChanged)) {
      await this.applyAssignment(em, envelope.payload);
    } else if (isEventOf(envelope, MatchProposed)) {
      await this.applyProposal(em, envelope.payload);
    } else if (isEventOf(envelope, MatchAccepted)) {
      const p = envelope.payload;
      await this.applyOutcome(em, p.proposalId, p.customerId, p.managerId, 'accepted', p.acceptedAt);
    } else if (isEventOf(envelope, MatchRejected)) {
      const p = envelope.payload;
      await this.applyOutcome(em, p.proposalId, p.customerId, p.managerId, 'declined', p.rejectedAt);
      await this.addTrend(em, 'declines', 'all', p.managerId, p.rejectedAt, 1);
    } else if (isEventOf(envelope, RebalanceCompleted)) {
      const p = envelope.payload;
      await em.execute(
        'insert ignore into run_summary (run_id, mode, customers, moved, unassigned, total_score_before, total_score_after, duration_ms, completed_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [p.runId, p.mode, p.customers, p.moved, p.unassigned, p.totalScoreBefore, p.totalScoreAfter, p.durationMs, new Date(p.completedAt)],
        'run',
      );
    } else if (
      isEventOf(envelope, ManagerRegistered) ||
      isEventOf(envelope, ManagerUpdated) ||
      isEventOf(envelope, ManagerCapacityChanged) ||
      isEventOf(envelope, ManagerAvailabilityChanged)
    ) {
      await this.applyManager(em, envelope.payload.managerVersion, envelope.payload.snapshot);
    } else if (isEventOf(envelope, UserRegistered)) {
      await this.addTrend(em, 'registrations', envelope.payload.role, NO_MANAGER, envelope.payload.registeredAt, 1);
    }
    // UserRoleChanged, UserDeactivated: counted by the live stream only; no figure reads them.
  }

  private async customerRow(em: EntityManager, customerId: string): Promise<CustomerRow | undefined> {
    const [row] = await em.execute<CustomerRow[]>(
      'select profile_version, segment, aum_cny, risk_level, age_band, branch_id, city, lifecycle, tags, needs, manager_id, assignment_version from customer_state where customer_id = ? for update',
      [customerId],
    );
    return row;
  }

  private async applyProfile(em: EntityManager, customerId: string, version: number, snapshot: CustomerMatchSnapshot, at: string, created: boolean): Promise<void> {
    const row = await this.customerRow(em, customerId);
    if (created) await this.addTrend(em, 'new_customers', snapshot.segment, NO_MANAGER, at, 1);
    if (row && row.profile_version >= version) return;
    const before = row ? factsOfRow(row) : null;
    const after = profileFactsOf(snapshot);
    const manager = row?.manager_id ?? null;
    const values = [after.segment, money(after.aumCny), after.riskLevel, after.ageBand, after.branchId, after.city, after.lifecycle, JSON.stringify(after.tags), JSON.stringify(after.needs)];
    if (row) {
      await em.execute(
        'update customer_state set profile_version = ?, segment = ?, aum_cny = ?, risk_level = ?, age_band = ?, branch_id = ?, city = ?, lifecycle = ?, tags = ?, needs = ?, created_at = coalesce(created_at, ?) where customer_id = ?',
        [version, ...values, created ? new Date(at) : null, customerId],
        'run',
      );
    } else {
      await em.execute(
        'insert into customer_state (customer_id, profile_version, segment, aum_cny, risk_level, age_band, branch_id, city, lifecycle, tags, needs, created_at, assignment_version) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)',
        [customerId, version, ...values, created ? new Date(at) : null],
        'run',
      );
    }
    await this.moveDistribution(em, before, manager, after, manager);
    // AUM is a stock: the trend keeps its daily change per segment, summed up to a day when read.
    if (before) await this.addTrend(em, 'aum', before.segment, NO_MANAGER, at, -before.aumCny);
    await this.addTrend(em, 'aum', after.segment, NO_MANAGER, at, after.aumCny);
  }

  private async applyAssignment(em: EntityManager, p: (typeof AssignmentChanged)['schema']['_output']): Promise<void> {
    if (p.previousManagerId && p.managerId && p.previousManagerId !== p.managerId) {
      await this.addTrend(em, 'reassignments', p.reason === 'manual' ? 'manual' : 'automatic', p.managerId, p.changedAt, 1);
    }
    const row = await this.customerRow(em, p.customerId);
    if (row && row.assignment_version >= p.assignmentVersion) return;
    const unassigned = p.managerId === null;
    const fields = [p.managerId, p.assignmentVersion, p.managerId ? p.score : null, unassigned ? p.reason : null, unassigned ? new Date(p.changedAt) : null];
    if (row) {
      await em.execute(
        'update customer_state set manager_id = ?, assignment_version = ?, assignment_score = ?, unassigned_reason = ?, unassigned_since = ? where customer_id = ?',
        [...fields, p.customerId],
        'run',
      );
    } else {
      await em.execute(
        'insert into customer_state (customer_id, manager_id, assignment_version, assignment_score, unassigned_reason, unassigned_since) values (?, ?, ?, ?, ?, ?)',
        [p.customerId, ...fields],
        'run',
      );
    }
    const previous = row?.manager_id ?? null;
    if (previous === p.managerId) return;
    if (previous) await this.addLoad(em, previous, -1);
    if (p.managerId) await this.addLoad(em, p.managerId, 1);
    const facts = row ? factsOfRow(row) : null;
    await this.moveDistribution(em, facts, previous, facts, p.managerId);
  }

  private async addLoad(em: EntityManager, managerId: string, delta: number): Promise<void> {
    await em.execute('insert into manager_state (manager_id, book_size) values (?, ?) on duplicate key update book_size = book_size + values(book_size)', [managerId, delta], 'run');
  }

  private async applyManager(em: EntityManager, version: number, s: ManagerMatchSnapshot): Promise<void> {
    const values = [version, s.userId, s.displayName, s.branchId, s.capacity, s.availability, s.performance.satisfaction, s.performance.retention, s.performance.aumGrowth];
    // Only a newer registry version replaces the snapshot; the load (from assignments) is never touched here.
    await em.execute(
      `insert into manager_state (manager_id, manager_version, user_id, display_name, branch_id, capacity, availability, satisfaction, retention, aum_growth, book_size)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)
       on duplicate key update
         user_id = if(values(manager_version) > manager_version, values(user_id), user_id),
         display_name = if(values(manager_version) > manager_version, values(display_name), display_name),
         branch_id = if(values(manager_version) > manager_version, values(branch_id), branch_id),
         capacity = if(values(manager_version) > manager_version, values(capacity), capacity),
         availability = if(values(manager_version) > manager_version, values(availability), availability),
         satisfaction = if(values(manager_version) > manager_version, values(satisfaction), satisfaction),
         retention = if(values(manager_version) > manager_version, values(retention), retention),
         aum_growth = if(values(manager_version) > manager_version, values(aum_growth), aum_growth),
         manager_version = greatest(manager_version, values(manager_version))`,
      [s.managerId, ...values],
      'run',
    );
  }

  private async applyProposal(em: EntityManager, p: (typeof MatchProposed)['schema']['_output']): Promise<void> {
    const [held] = await em.execute<{ proposed_at: unknown; outcome: string; resolved_at: unknown }[]>(
      'select proposed_at, outcome, resolved_at from proposal_state where proposal_id = ? for update',
      [p.proposalId],
    );
    if (held?.proposed_at) return;
    const score = Number(round4(p.explanation.score));
    if (held) {
      await em.execute('update proposal_state set reason = ?, run_id = ?, score = ?, proposed_at = ? where proposal_id = ?', [p.reason, p.runId, score, new Date(p.proposedAt), p.proposalId], 'run');
      // The outcome was seen first: its time to accept can be counted now.
      if (held.outcome === 'accepted' && held.resolved_at) await this.addAcceptTime(em, p.managerId, new Date(p.proposedAt), asDate(held.resolved_at));
    } else {
      await em.execute(
        'insert into proposal_state (proposal_id, customer_id, manager_id, reason, run_id, score, proposed_at, outcome) values (?, ?, ?, ?, ?, ?, ?, ?)',
        [p.proposalId, p.customerId, p.managerId, p.reason, p.runId, score, new Date(p.proposedAt), 'pending'],
        'run',
      );
    }
    const day = reportingDay(p.proposedAt);
    await em.execute(
      'insert into match_daily (day, manager_id, proposed, score_sum) values (?, ?, 1, ?) on duplicate key update proposed = proposed + 1, score_sum = score_sum + values(score_sum)',
      [day, p.managerId, round4(p.explanation.score)],
      'run',
    );
    await em.execute(
      'insert into match_score_band (day, manager_id, band, proposals) values (?, ?, ?, 1) on duplicate key update proposals = proposals + 1',
      [day, p.managerId, scoreBand(p.explanation.score)],
      'run',
    );
    await this.addTrend(em, 'matches', p.reason, p.managerId, p.proposedAt, 1);
  }

  private async applyOutcome(em: EntityManager, proposalId: string, customerId: string, managerId: string, outcome: 'accepted' | 'declined', at: string): Promise<void> {
    const [held] = await em.execute<{ proposed_at: unknown; outcome: string }[]>('select proposed_at, outcome from proposal_state where proposal_id = ? for update', [proposalId]);
    if (held && held.outcome !== 'pending') return;
    if (held) {
      await em.execute('update proposal_state set outcome = ?, resolved_at = ? where proposal_id = ?', [outcome, new Date(at), proposalId], 'run');
    } else {
      await em.execute(
        'insert into proposal_state (proposal_id, customer_id, manager_id, outcome, resolved_at) values (?, ?, ?, ?, ?)',
        [proposalId, customerId, managerId, outcome, new Date(at)],
        'run',
      );
    }
    const column = outcome === 'accepted' ? 'accepted' : 'declined';
    await em.execute(
      `insert into match_daily (day, manager_id, ${column}) values (?, ?, 1) on duplicate key update ${column} = ${column} + 1`,
      [reportingDay(at), managerId],
      'run',
    );
    if (outcome === 'accepted' && held?.proposed_at) await this.addAcceptTime(em, managerId, asDate(held.proposed_at), new Date(at));
  }

  /** Time to accept counts on the acceptance's day, whichever of the two events arrived last. */
  private async addAcceptTime(em: EntityManager, managerId: string, proposedAt: Date, acceptedAt: Date): Promise<void> {
    const seconds = Math.max(0, (acceptedAt.getTime() - proposedAt.getTime()) / 1000);
    await em.execute(
      'insert into match_daily (day, manager_id, accept_seconds_sum, accept_timed) values (?, ?, ?, 1) on duplicate key update accept_seconds_sum = accept_seconds_sum + values(accept_seconds_sum), accept_timed = accept_timed + 1',
      [reportingDay(acceptedAt), managerId, seconds.toFixed(3)],
      'run',
    );
  }

  private async addTrend(em: EntityManager, metric: TrendMetric, series: string, managerId: string, at: string, delta: number): Promise<void> {
    await em.execute(
      'insert into trend_daily (metric, series, manager_id, day, value) values (?, ?, ?, ?, ?) on duplicate key update value = value + values(value)',
      [metric, series, managerId, reportingDay(at), money(delta)],
      'run',
    );
  }

  /** Moves one customer's counts from (facts, manager) to (facts, manager); zero rows are removed, so the table is a function of the current states. */
  private async moveDistribution(em: EntityManager, before: CustomerProfileFacts | null, fromManager: string | null, after: CustomerProfileFacts | null, toManager: string | null): Promise<void> {
    const deltas = new Map<string, { dimension: string; manager: string; value: string; customers: number; aum: number }>();
    const add = (facts: CustomerProfileFacts | null, manager: string | null, sign: 1 | -1) => {
      if (!facts) return;
      for (const [dimension, value] of dimensionValues(facts)) {
        const m = manager ?? NO_MANAGER;
        const key = `${dimension}\u0000${m}\u0000${value}`;
        const entry = deltas.get(key) ?? { dimension, manager: m, value, customers: 0, aum: 0 };
        entry.customers += sign;
        entry.aum += sign * Math.round(facts.aumCny * 100);
        deltas.set(key, entry);
      }
    };
    add(before, fromManager, -1);
    add(after, toManager, 1);
    // In key order, so two transactions lock shared rows in the same order.
    const changed = [...deltas.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, d]) => d).filter((d) => d.customers !== 0 || d.aum !== 0);
    if (!changed.length) return;
    await em.execute(
      `insert into distribution_count (dimension, manager_id, value, customers, aum_cny) values ${changed.map(() => '(?, ?, ?, ?, ?)').join(', ')}
       on duplicate key update customers = customers + values(customers), aum_cny = aum_cny + values(aum_cny)`,
      changed.flatMap((d) => [d.dimension, d.manager, d.value, d.customers, (d.aum / 100).toFixed(2)]),
      'run',
    );
    await em.execute(
      `delete from distribution_count where customers = 0 and (dimension, manager_id, value) in (${changed.map(() => '(?, ?, ?)').join(', ')})`,
      changed.flatMap((d) => [d.dimension, d.manager, d.value]),
      'run',
    );
  }
}

export function asDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(String(value).replace(' ', 'T') + (String(value).endsWith('Z') ? '' : 'Z'));
}
