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
  type AssignmentChangedPayload,
  type CustomerMatchSnapshot,
  type EventEnvelope,
  type ManagerMatchSnapshot,
  type MatchProposedPayload,
  type RebalanceCompletedPayload,
} from '@relationship/contracts';
import { dimensionValues, profileFactsOf, reportingDay, scoreBand, UNKNOWN, type CustomerProfileFacts } from './dimensions';

/** The growth-trend metrics kept per day; which ones a manager may read is decided by the query side. */
export const TREND_METRICS = ['new_customers', 'aum', 'matches', 'reassignments', 'declines', 'registrations'] as const;
export type TrendMetric = (typeof TREND_METRICS)[number];

/** '' in a manager column: no manager (unassigned customers, bank-wide figures). */
export const NO_MANAGER = '';

/** Rows per multi-row statement. */
const CHUNK = 500;

interface CustomerState {
  profileVersion: number;
  facts: CustomerProfileFacts | null;
  createdAt: Date | null;
  managerId: string | null;
  assignmentVersion: number;
  assignmentScore: number | null;
  unassignedReason: string | null;
  unassignedSince: Date | null;
}

interface ManagerState {
  managerVersion: number;
  userId: string | null;
  displayName: string | null;
  branchId: string | null;
  capacity: number;
  availability: string | null;
  satisfaction: number | null;
  retention: number | null;
  aumGrowth: number | null;
  bookSize: number;
}

interface ProposalState {
  customerId: string;
  managerId: string;
  reason: string | null;
  runId: string | null;
  score: number | null;
  proposedAt: Date | null;
  outcome: 'pending' | 'accepted' | 'declined';
  resolvedAt: Date | null;
}

interface MatchCounts {
  proposed: number;
  accepted: number;
  declined: number;
  acceptMs: number;
  acceptTimed: number;
  /** Score × 10 000, an integer, so sums are exact whatever the order. */
  scoreUnits: number;
}

/** Money in cents and scores in 1/10 000: integers, so every sum is exact and order-independent. */
const cents = (cny: number) => Math.round(cny * 100);
const scoreUnits = (score: number) => Math.round(score * 10_000);
const decimal = (units: number, scale: number) => (units / 10 ** scale).toFixed(scale);

export function asDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  const text = String(value);
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
}

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/** Keys joined with a separator no code or id contains. */
const key = (...parts: Array<string | number>) => parts.join('\u0000');

/**
 * One transaction's worth of events applied to the read models: the current-state rows they touch are read once
 * (locked), changed in memory event by event, and written back once; counters are summed in memory and added once.
 * Each effect is either a function of the event alone (daily counters) or guarded by the entity's own version
 * (current state), so the result does not depend on how events of different topics interleave or how they are
 * grouped into batches: live consumption and a replay agree.
 */
class ProjectionBatch {
  private readonly customers = new Map<string, CustomerState | undefined>();
  private readonly managers = new Map<string, ManagerState | undefined>();
  private readonly proposals = new Map<string, ProposalState | undefined>();
  private readonly dirtyCustomers = new Set<string>();
  private readonly dirtyManagers = new Set<string>();
  private readonly dirtyProposals = new Set<string>();
  private readonly distribution = new Map<string, { dimension: string; managerId: string; value: string; customers: number; cents: number }>();
  private readonly trends = new Map<string, { metric: string; series: string; managerId: string; day: string; units: number }>();
  private readonly matches = new Map<string, { day: string; managerId: string } & MatchCounts>();
  private readonly bands = new Map<string, { day: string; managerId: string; band: number; proposals: number }>();
  private readonly runs: RebalanceCompletedPayload[] = [];

  constructor(private readonly em: EntityManager) {}

  async load(envelopes: EventEnvelope[]): Promise<void> {
    const customerIds = new Set<string>();
    const managerIds = new Set<string>();
    const proposalIds = new Set<string>();
    for (const e of envelopes) {
      const p = e.payload as { customerId?: unknown; managerId?: unknown; previousManagerId?: unknown; proposalId?: unknown };
      if (typeof p.customerId === 'string') customerIds.add(p.customerId);
      if (typeof p.managerId === 'string') managerIds.add(p.managerId);
      if (typeof p.previousManagerId === 'string') managerIds.add(p.previousManagerId);
      if (typeof p.proposalId === 'string') proposalIds.add(p.proposalId);
    }
    for (const ids of chunks([...customerIds])) {
      for (const id of ids) this.customers.set(id, undefined);
      const rows = await this.em.execute<Record<string, unknown>[]>(
        `select * from customer_state where customer_id in (${ids.map(() => '?').join(', ')}) for update`,
        ids,
      );
      for (const r of rows) {
        const profileVersion = Number(r['profile_version']);
        this.customers.set(String(r['customer_id']), {
          profileVersion,
          facts:
            profileVersion > 0 && r['segment'] !== null
              ? {
                  segment: String(r['segment']),
                  aumCny: Number(r['aum_cny']),
                  riskLevel: (r['risk_level'] as string | null) ?? null,
                  ageBand: (r['age_band'] as string | null) ?? null,
                  branchId: (r['branch_id'] as string | null) ?? null,
                  city: (r['city'] as string | null) ?? null,
                  lifecycle: (r['lifecycle'] as string | null) ?? UNKNOWN,
                  tags: r['tags'] ? (JSON.parse(String(r['tags'])) as string[]) : [],
                  needs: r['needs'] ? (JSON.parse(String(r['needs'])) as string[]) : [],
                }
              : null,
          createdAt: asDate(r['created_at']),
          managerId: (r['manager_id'] as string | null) ?? null,
          assignmentVersion: Number(r['assignment_version']),
          assignmentScore: r['assignment_score'] === null ? null : Number(r['assignment_score']),
          unassignedReason: (r['unassigned_reason'] as string | null) ?? null,
          unassignedSince: asDate(r['unassigned_since']),
        });
      }
    }
    for (const ids of chunks([...managerIds])) {
      for (const id of ids) this.managers.set(id, undefined);
      const rows = await this.em.execute<Record<string, unknown>[]>(`select * from manager_state where manager_id in (${ids.map(() => '?').join(', ')}) for update`, ids);
      for (const r of rows) {
        const n = (v: unknown) => (v === null ? null : Number(v));
        this.managers.set(String(r['manager_id']), {
          managerVersion: Number(r['manager_version']),
          userId: (r['user_id'] as string | null) ?? null,
          displayName: (r['display_name'] as string | null) ?? null,
          branchId: (r['branch_id'] as string | null) ?? null,
          capacity: Number(r['capacity']),
          availability: (r['availability'] as string | null) ?? null,
          satisfaction: n(r['satisfaction']),
          retention: n(r['retention']),
          aumGrowth: n(r['aum_growth']),
          bookSize: Number(r['book_size']),
        });
      }
    }
    for (const ids of chunks([...proposalIds])) {
      for (const id of ids) this.proposals.set(id, undefined);
      const rows = await this.em.execute<Record<string, unknown>[]>(`select * from proposal_state where proposal_id in (${ids.map(() => '?').join(', ')}) for update`, ids);
      for (const r of rows) {
        this.proposals.set(String(r['proposal_id']), {
          customerId: String(r['customer_id']),
          managerId: String(r['manager_id']),
          reason: (r['reason'] as string | null) ?? null,
          runId: (r['run_id'] as string | null) ?? null,
          score: r['score'] === null ? null : Number(r['score']),
          proposedAt: asDate(r['proposed_at']),
          outcome: r['outcome'] as ProposalState['outcome'],
          resolvedAt: asDate(r['resolved_at']),
        });
      }
    }
  }

  apply(envelope: EventEnvelope): void {
    if (isEventOf(envelope, ProfileCreatedV2)) {
      const p = envelope.payload;
      this.applyProfile(p.customerId, p.profileVersion, p.snapshot, p.createdAt, true);
    } else if (isEventOf(envelope, ProfileUpdated)) {
      const p = envelope.payload;
      this.applyProfile(p.customerId, p.profileVersion, p.snapshot, p.updatedAt, false);
    } else if (isEventOf(envelope, ProfileCreated)) {
      // v1 carries no snapshot: the customer is counted as new, their attributes arrive with the next update.
      this.addTrend('new_customers', UNKNOWN, NO_MANAGER, envelope.payload.createdAt, 1);
    } else if (isEventOf(envelope, AssignmentChanged)) {
      this.applyAssignment(envelope.payload);
    } else if (isEventOf(envelope, MatchProposed)) {
      this.applyProposal(envelope.payload);
    } else if (isEventOf(envelope, MatchAccepted)) {
      const p = envelope.payload;
      this.applyOutcome(p.proposalId, p.customerId, p.managerId, 'accepted', p.acceptedAt);
    } else if (isEventOf(envelope, MatchRejected)) {
      const p = envelope.payload;
      this.applyOutcome(p.proposalId, p.customerId, p.managerId, 'declined', p.rejectedAt);
      this.addTrend('declines', 'all', p.managerId, p.rejectedAt, 1);
    } else if (isEventOf(envelope, RebalanceCompleted)) {
      this.runs.push(envelope.payload);
    } else if (
      isEventOf(envelope, ManagerRegistered) ||
      isEventOf(envelope, ManagerUpdated) ||
      isEventOf(envelope, ManagerCapacityChanged) ||
      isEventOf(envelope, ManagerAvailabilityChanged)
    ) {
      this.applyManager(envelope.payload.managerVersion, envelope.payload.snapshot);
    } else if (isEventOf(envelope, UserRegistered)) {
      this.addTrend('registrations', envelope.payload.role, NO_MANAGER, envelope.payload.registeredAt, 1);
    }
    // UserRoleChanged, UserDeactivated: counted by the live stream only; no figure reads them.
  }

  private customer(id: string): CustomerState | undefined {
    return this.customers.get(id);
  }

  private emptyCustomer(): CustomerState {
    return { profileVersion: 0, facts: null, createdAt: null, managerId: null, assignmentVersion: 0, assignmentScore: null, unassignedReason: null, unassignedSince: null };
  }

  private applyProfile(customerId: string, version: number, snapshot: CustomerMatchSnapshot, at: string, created: boolean): void {
    if (created) this.addTrend('new_customers', snapshot.segment, NO_MANAGER, at, 1);
    const held = this.customer(customerId);
    if (held && held.profileVersion >= version) return;
    const row = held ?? this.emptyCustomer();
    const before = row.facts;
    const after = profileFactsOf(snapshot);
    this.moveDistribution(before, row.managerId, after, row.managerId);
    // AUM is a stock: the trend keeps its daily change per segment, summed up to a day when read.
    if (before) this.addTrend('aum', before.segment, NO_MANAGER, at, -before.aumCny, true);
    this.addTrend('aum', after.segment, NO_MANAGER, at, after.aumCny, true);
    row.profileVersion = version;
    row.facts = after;
    if (created && !row.createdAt) row.createdAt = new Date(at);
    this.customers.set(customerId, row);
    this.dirtyCustomers.add(customerId);
  }

  private applyAssignment(p: AssignmentChangedPayload): void {
    if (p.previousManagerId && p.managerId && p.previousManagerId !== p.managerId) {
      this.addTrend('reassignments', p.reason === 'manual' ? 'manual' : 'automatic', p.managerId, p.changedAt, 1);
    }
    const held = this.customer(p.customerId);
    if (held && held.assignmentVersion >= p.assignmentVersion) return;
    const row = held ?? this.emptyCustomer();
    const previous = row.managerId;
    const unassigned = p.managerId === null;
    row.managerId = p.managerId;
    row.assignmentVersion = p.assignmentVersion;
    row.assignmentScore = p.managerId ? p.score : null;
    row.unassignedReason = unassigned ? p.reason : null;
    row.unassignedSince = unassigned ? new Date(p.changedAt) : null;
    this.customers.set(p.customerId, row);
    this.dirtyCustomers.add(p.customerId);
    if (previous === p.managerId) return;
    if (previous) this.manager(previous).bookSize -= 1;
    if (p.managerId) this.manager(p.managerId).bookSize += 1;
    this.moveDistribution(row.facts, previous, row.facts, p.managerId);
  }

  /** The manager's row, made (with no registry snapshot yet) when only assignments have named them. */
  private manager(id: string): ManagerState {
    let row = this.managers.get(id);
    if (!row) {
      row = { managerVersion: 0, userId: null, displayName: null, branchId: null, capacity: 0, availability: null, satisfaction: null, retention: null, aumGrowth: null, bookSize: 0 };
      this.managers.set(id, row);
    }
    this.dirtyManagers.add(id);
    return row;
  }

  private applyManager(version: number, s: ManagerMatchSnapshot): void {
    const row = this.manager(s.managerId);
    // Only a newer registry version replaces the snapshot; the load (from assignments) is never touched here.
    if (row.managerVersion >= version) return;
    Object.assign(row, {
      managerVersion: version,
      userId: s.userId,
      displayName: s.displayName,
      branchId: s.branchId,
      capacity: s.capacity,
      availability: s.availability,
      satisfaction: s.performance.satisfaction,
      retention: s.performance.retention,
      aumGrowth: s.performance.aumGrowth,
    });
  }

  private applyProposal(p: MatchProposedPayload): void {
    const held = this.proposals.get(p.proposalId);
    if (held?.proposedAt) return;
    const score = scoreUnits(p.explanation.score) / 10_000;
    const row: ProposalState = held ?? { customerId: p.customerId, managerId: p.managerId, reason: null, runId: null, score: null, proposedAt: null, outcome: 'pending', resolvedAt: null };
    Object.assign(row, { reason: p.reason, runId: p.runId, score, proposedAt: new Date(p.proposedAt) });
    this.proposals.set(p.proposalId, row);
    this.dirtyProposals.add(p.proposalId);
    // The outcome was seen first: its time to accept can be counted now.
    if (row.outcome === 'accepted' && row.resolvedAt) this.addAcceptTime(p.managerId, new Date(p.proposedAt), row.resolvedAt);
    const day = reportingDay(p.proposedAt);
    const counts = this.match(day, p.managerId);
    counts.proposed += 1;
    counts.scoreUnits += scoreUnits(p.explanation.score);
    const bandKey = key(day, p.managerId, scoreBand(p.explanation.score));
    const band = this.bands.get(bandKey) ?? { day, managerId: p.managerId, band: scoreBand(p.explanation.score), proposals: 0 };
    band.proposals += 1;
    this.bands.set(bandKey, band);
    this.addTrend('matches', p.reason, p.managerId, p.proposedAt, 1);
  }

  private applyOutcome(proposalId: string, customerId: string, managerId: string, outcome: 'accepted' | 'declined', at: string): void {
    const held = this.proposals.get(proposalId);
    if (held && held.outcome !== 'pending') return;
    const row: ProposalState = held ?? { customerId, managerId, reason: null, runId: null, score: null, proposedAt: null, outcome: 'pending', resolvedAt: null };
    row.outcome = outcome;
    row.resolvedAt = new Date(at);
    this.proposals.set(proposalId, row);
    this.dirtyProposals.add(proposalId);
    const counts = this.match(reportingDay(at), managerId);
    if (outcome === 'accepted') counts.accepted += 1;
    else counts.declined += 1;
    if (outcome === 'accepted' && row.proposedAt) this.addAcceptTime(managerId, row.proposedAt, new Date(at));
  }

  /** Time to accept counts on the acceptance's day, whichever of the two events arrived last. */
  private addAcceptTime(managerId: string, proposedAt: Date, acceptedAt: Date): void {
    const counts = this.match(reportingDay(acceptedAt), managerId);
    counts.acceptMs += Math.max(0, acceptedAt.getTime() - proposedAt.getTime());
    counts.acceptTimed += 1;
  }

  private match(day: string, managerId: string) {
    const k = key(day, managerId);
    let counts = this.matches.get(k);
    if (!counts) this.matches.set(k, (counts = { day, managerId, proposed: 0, accepted: 0, declined: 0, acceptMs: 0, acceptTimed: 0, scoreUnits: 0 }));
    return counts;
  }

  /** `money`: the delta is CNY (kept in cents); otherwise a count. */
  private addTrend(metric: TrendMetric, series: string, managerId: string, at: string, delta: number, money = false): void {
    const day = reportingDay(at);
    const k = key(metric, series, managerId, day);
    const entry = this.trends.get(k) ?? { metric, series, managerId, day, units: 0 };
    entry.units += money ? cents(delta) : delta * 100;
    this.trends.set(k, entry);
  }

  /** Moves one customer's counts from (facts, manager) to (facts, manager). */
  private moveDistribution(before: CustomerProfileFacts | null, fromManager: string | null, after: CustomerProfileFacts | null, toManager: string | null): void {
    const add = (facts: CustomerProfileFacts | null, manager: string | null, sign: 1 | -1) => {
      if (!facts) return;
      for (const [dimension, value] of dimensionValues(facts)) {
        const managerId = manager ?? NO_MANAGER;
        const k = key(dimension, managerId, value);
        const entry = this.distribution.get(k) ?? { dimension, managerId, value, customers: 0, cents: 0 };
        entry.customers += sign;
        entry.cents += sign * cents(facts.aumCny);
        this.distribution.set(k, entry);
      }
    };
    add(before, fromManager, -1);
    add(after, toManager, 1);
  }

  /** Writes the batch: state rows replaced, counters added, in key order (so concurrent writers lock alike). */
  async flush(): Promise<void> {
    const em = this.em;
    const sorted = <T>(map: Map<string, T>) => [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const dirty = <T>(map: Map<string, T | undefined>, keys: Set<string>): Array<[string, T]> =>
      [...keys].sort().flatMap((k) => {
        const value = map.get(k);
        return value ? [[k, value] as [string, T]] : [];
      });

    for (const rows of chunks(dirty(this.customers, this.dirtyCustomers))) {
      await em.execute(
        `insert into customer_state (customer_id, profile_version, segment, aum_cny, risk_level, age_band, branch_id, city, lifecycle, tags, needs, created_at, manager_id, assignment_version, assignment_score, unassigned_reason, unassigned_since)
         values ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}
         on duplicate key update profile_version = values(profile_version), segment = values(segment), aum_cny = values(aum_cny), risk_level = values(risk_level),
           age_band = values(age_band), branch_id = values(branch_id), city = values(city), lifecycle = values(lifecycle), tags = values(tags), needs = values(needs),
           created_at = values(created_at), manager_id = values(manager_id), assignment_version = values(assignment_version), assignment_score = values(assignment_score),
           unassigned_reason = values(unassigned_reason), unassigned_since = values(unassigned_since)`,
        rows.flatMap(([id, c]) => {
          const f = c.facts;
          return [
            id,
            c.profileVersion,
            f?.segment ?? null,
            decimal(cents(f?.aumCny ?? 0), 2),
            f?.riskLevel ?? null,
            f?.ageBand ?? null,
            f?.branchId ?? null,
            f?.city ?? null,
            f?.lifecycle ?? null,
            f ? JSON.stringify(f.tags) : null,
            f ? JSON.stringify(f.needs) : null,
            c.createdAt,
            c.managerId,
            c.assignmentVersion,
            c.assignmentScore,
            c.unassignedReason,
            c.unassignedSince,
          ];
        }),
        'run',
      );
    }
    for (const rows of chunks(dirty(this.managers, this.dirtyManagers))) {
      await em.execute(
        `insert into manager_state (manager_id, manager_version, user_id, display_name, branch_id, capacity, availability, satisfaction, retention, aum_growth, book_size)
         values ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}
         on duplicate key update manager_version = values(manager_version), user_id = values(user_id), display_name = values(display_name), branch_id = values(branch_id),
           capacity = values(capacity), availability = values(availability), satisfaction = values(satisfaction), retention = values(retention),
           aum_growth = values(aum_growth), book_size = values(book_size)`,
        rows.flatMap(([id, m]) => [id, m.managerVersion, m.userId, m.displayName, m.branchId, m.capacity, m.availability, m.satisfaction, m.retention, m.aumGrowth, m.bookSize]),
        'run',
      );
    }
    for (const rows of chunks(dirty(this.proposals, this.dirtyProposals))) {
      await em.execute(
        `insert into proposal_state (proposal_id, customer_id, manager_id, reason, run_id, score, proposed_at, outcome, resolved_at)
         values ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}
         on duplicate key update reason = values(reason), run_id = values(run_id), score = values(score), proposed_at = values(proposed_at), outcome = values(outcome), resolved_at = values(resolved_at)`,
        rows.flatMap(([id, p]) => [id, p.customerId, p.managerId, p.reason, p.runId, p.score, p.proposedAt, p.outcome, p.resolvedAt]),
        'run',
      );
    }
    const distribution = sorted(this.distribution).filter(([, d]) => d.customers !== 0 || d.cents !== 0);
    for (const rows of chunks(distribution)) {
      await em.execute(
        `insert into distribution_count (dimension, manager_id, value, customers, aum_cny) values ${rows.map(() => '(?, ?, ?, ?, ?)').join(', ')}
         on duplicate key update customers = customers + values(customers), aum_cny = aum_cny + values(aum_cny)`,
        rows.flatMap(([, d]) => [d.dimension, d.managerId, d.value, d.customers, decimal(d.cents, 2)]),
        'run',
      );
      // Rows that reach zero go, so the table is a function of the current states alone.
      await em.execute(
        `delete from distribution_count where customers = 0 and (dimension, manager_id, value) in (${rows.map(() => '(?, ?, ?)').join(', ')})`,
        rows.flatMap(([, d]) => [d.dimension, d.managerId, d.value]),
        'run',
      );
    }
    for (const rows of chunks(sorted(this.trends))) {
      await em.execute(
        `insert into trend_daily (metric, series, manager_id, day, value) values ${rows.map(() => '(?, ?, ?, ?, ?)').join(', ')} on duplicate key update value = value + values(value)`,
        rows.flatMap(([, t]) => [t.metric, t.series, t.managerId, t.day, decimal(t.units, 2)]),
        'run',
      );
    }
    for (const rows of chunks(sorted(this.matches))) {
      await em.execute(
        `insert into match_daily (day, manager_id, proposed, accepted, declined, accept_seconds_sum, accept_timed, score_sum) values ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}
         on duplicate key update proposed = proposed + values(proposed), accepted = accepted + values(accepted), declined = declined + values(declined),
           accept_seconds_sum = accept_seconds_sum + values(accept_seconds_sum), accept_timed = accept_timed + values(accept_timed), score_sum = score_sum + values(score_sum)`,
        rows.flatMap(([, m]) => [m.day, m.managerId, m.proposed, m.accepted, m.declined, decimal(m.acceptMs, 3), m.acceptTimed, decimal(m.scoreUnits, 4)]),
        'run',
      );
    }
    for (const rows of chunks(sorted(this.bands))) {
      await em.execute(
        `insert into match_score_band (day, manager_id, band, proposals) values ${rows.map(() => '(?, ?, ?, ?)').join(', ')} on duplicate key update proposals = proposals + values(proposals)`,
        rows.flatMap(([, b]) => [b.day, b.managerId, b.band, b.proposals]),
        'run',
      );
    }
    for (const rows of chunks(this.runs)) {
      await em.execute(
        `insert ignore into run_summary (run_id, mode, customers, moved, unassigned, total_score_before, total_score_after, duration_ms, completed_at) values ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
        rows.flatMap((p) => [p.runId, p.mode, p.customers, p.moved, p.unassigned, p.totalScoreBefore, p.totalScoreAfter, p.durationMs, new Date(p.completedAt)]),
        'run',
      );
    }
  }
}

/** Applies events to the read models inside the idempotent consumer's transaction (see ProjectionBatch). */
@Injectable()
export class Projector {
  async applyAll(envelopes: EventEnvelope[], em: EntityManager): Promise<void> {
    const batch = new ProjectionBatch(em);
    await batch.load(envelopes);
    for (const envelope of envelopes) batch.apply(envelope);
    await batch.flush();
  }

  apply(envelope: EventEnvelope, em: EntityManager): Promise<void> {
    return this.applyAll([envelope], em);
  }
}
