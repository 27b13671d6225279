import type { EntityManager } from '@mikro-orm/mysql';
import { Inject, Injectable } from '@nestjs/common';
import type { CustomerMatchSnapshot, ManagerMatchSnapshot } from '@relationship/contracts';
import type { WriteContext } from '@relationship/service-kit';
import { MATCHING_CONFIG, type MatchingSettings } from '../config';
import { MatchingMetrics } from '../matching-metrics';
import { SnapshotStore, type ManagerState } from '../read-models/snapshot-store';
import { MatchScorer, type PairVerdict } from '../scoring/match-scorer';
import { AssignmentWriter, type AssignmentReason } from './assignment-writer';

export interface RematchOptions {
  reason: AssignmentReason;
  context: WriteContext;
  /** Managers this customer must leave / may not get (a manager who left, one shedding overflow). */
  exclude?: ReadonlySet<string>;
  /** The managers with their loads, when the caller rematches many customers in one transaction. */
  managers?: Map<string, ManagerState>;
}

export type RematchResult =
  | { customerId: string; status: 'unknown' }
  | { customerId: string; status: 'kept' | 'moved' | 'unassigned' | 'none-eligible'; managerId: string | null; score: number | null };

const MAX_UNASSIGNED_PICKED_PER_EVENT = 200;

export interface RankedOption {
  manager: ManagerMatchSnapshot;
  verdict: Extract<PairVerdict, { eligible: true }>;
}

/**
 * Incremental rematch: one customer at a time, against every manager, with the stability rule (stay unless another
 * manager scores more than STABILITY_THRESHOLD points higher, or the current one is no longer allowed). Used for
 * profile and manager events, declines and capacity overflow; global optimisation is the rebalance's job.
 */
@Injectable()
export class RematchService {
  constructor(
    @Inject(MATCHING_CONFIG) private readonly config: MatchingSettings,
    private readonly store: SnapshotStore,
    private readonly scorer: MatchScorer,
    private readonly writer: AssignmentWriter,
    private readonly metrics: MatchingMetrics,
  ) {}

  async rematch(em: EntityManager, customerId: string, options: RematchOptions): Promise<RematchResult> {
    const started = performance.now();
    const result = await this.rematchOne(em, customerId, options);
    this.metrics.rematched(result.status, (performance.now() - started) / 1000);
    return result;
  }

  private async rematchOne(em: EntityManager, customerId: string, options: RematchOptions): Promise<RematchResult> {
    const customer = await this.store.customer(em, customerId);
    const held = await this.writer.current(em, customerId, true);
    if (!customer || !held) return { customerId, status: 'unknown' };
    const managers = options.managers ?? (await this.store.managers(em));
    const declined = new Set(
      (await em.execute<{ manager_id: string }[]>('select manager_id from declined_pair where customer_id = ?', [customerId])).map((r) => r.manager_id),
    );
    const exclude = options.exclude ?? new Set<string>();

    let current: PairVerdict | null = null;
    const currentState = held.managerId ? managers.get(held.managerId) : undefined;
    if (held.managerId && currentState && !exclude.has(held.managerId)) {
      // The customer already counts in the current manager's load: score as if they were not there. A manager on
      // leave keeps their book (their cover serves it): leave alone is no reason to move a customer.
      const snapshot = currentState.snapshot.availability === 'on_leave' ? { ...currentState.snapshot, availability: 'active' as const } : currentState.snapshot;
      current = this.scorer.verdict(customer, snapshot, { assigned: Math.max(0, currentState.load.assigned - 1) });
    }
    const currentScore = current?.eligible ? current.score : null;
    if (currentScore !== null && held.pinned) return { customerId, status: 'kept', managerId: held.managerId, score: currentScore };

    const ranked = this.rank(customer, managers, (id) => id !== held.managerId && !exclude.has(id) && !declined.has(id));
    const threshold = this.config.STABILITY_THRESHOLD;
    for (const option of ranked) {
      if (currentScore !== null && option.verdict.score <= currentScore + threshold) break;
      const outcome = await this.writer.move(em, {
        customerId,
        toManagerId: option.manager.managerId,
        expectedVersion: held.version,
        reason: options.reason,
        score: option.verdict.score,
        explanation: option.verdict.explanation,
        context: options.context,
      });
      if (outcome.status === 'full') continue; // filled up since we read the loads
      if (outcome.status !== 'applied') break;
      managers.get(option.manager.managerId)!.load.assigned += 1;
      if (held.managerId && managers.has(held.managerId)) managers.get(held.managerId)!.load.assigned -= 1;
      return { customerId, status: 'moved', managerId: option.manager.managerId, score: option.verdict.score };
    }
    if (currentScore !== null) return { customerId, status: 'kept', managerId: held.managerId, score: currentScore };
    if (held.managerId === null) return { customerId, status: 'none-eligible', managerId: null, score: null };
    const outcome = await this.writer.move(em, {
      customerId,
      toManagerId: null,
      expectedVersion: held.version,
      reason: options.reason,
      score: null,
      explanation: null,
      context: options.context,
    });
    if (outcome.status === 'applied' && managers.has(held.managerId)) managers.get(held.managerId)!.load.assigned -= 1;
    return { customerId, status: 'unassigned', managerId: null, score: null };
  }

  /**
   * Eligible managers with spare capacity, best first (ties by manager id, so the result is deterministic). Ranks on
   * the bare score and builds the explanation only for the few options actually tried.
   */
  rank(
    customer: CustomerMatchSnapshot,
    managers: Map<string, ManagerState>,
    allowed: (managerId: string) => boolean,
  ): Iterable<RankedOption> {
    const scored: { state: ManagerState; score: number }[] = [];
    for (const [id, state] of managers) {
      if (!allowed(id)) continue;
      const score = this.scorer.score(customer, state.snapshot, state.load);
      if (!Number.isNaN(score)) scored.push({ state, score });
    }
    scored.sort((a, b) => b.score - a.score || (a.state.snapshot.managerId < b.state.snapshot.managerId ? -1 : 1));
    return this.explained(customer, scored);
  }

  /** Lazily explained: the caller's loop stops at the first option that is taken. */
  private *explained(customer: CustomerMatchSnapshot, scored: { state: ManagerState }[]): Generator<RankedOption> {
    for (const { state } of scored) {
      const verdict = this.scorer.verdict(customer, state.snapshot, state.load);
      if (verdict.eligible) yield { manager: state.snapshot, verdict };
    }
  }

  /**
   * A customer's portrait changed (or appeared): rematch when something matching uses changed. A bulk-imported
   * customer waits for the next rebalance instead (`scope.unassignedOnly`): one global solve over a whole import is
   * both better and far cheaper than one greedy rematch per row.
   */
  async onCustomerSnapshot(
    em: EntityManager,
    snapshot: CustomerMatchSnapshot,
    version: number,
    context: WriteContext,
    origin: 'registration' | 'staff' | 'import' | null = null,
  ): Promise<RematchResult | null> {
    const upserted = await this.store.upsertCustomer(em, snapshot, version);
    if (upserted.status === 'stale') return null;
    if (upserted.status === 'created' && origin === 'import') return null;
    if (upserted.status === 'updated' && !matchRelevantChange(upserted.previous, snapshot)) {
      const held = await this.writer.current(em, snapshot.customerId);
      if (held?.managerId) return null;
    }
    return this.rematch(em, snapshot.customerId, { reason: 'incremental', context });
  }

  /**
   * A manager changed. Leaving moves their whole book; a capacity cut moves the lowest-scored overflow first (the
   * CHECK constraint would refuse the new capacity otherwise); other changes rematch the book with the stability
   * rule; spare capacity picks up customers nobody could take so far.
   */
  async onManagerSnapshot(em: EntityManager, snapshot: ManagerMatchSnapshot, version: number, context: WriteContext): Promise<RematchResult[] | null> {
    const upserted = await this.store.upsertManager(em, snapshot, version);
    if (upserted.status === 'stale') return null;
    const managerId = snapshot.managerId;
    const managers = await this.store.managers(em);
    const results: RematchResult[] = [];
    const book = async () =>
      (
        await em.execute<{ customer_id: string }[]>('select customer_id from assignment where manager_id = ? order by pinned, score, customer_id', [
          managerId,
        ])
      ).map((r) => r.customer_id);

    if (upserted.status === 'updated') {
      const load = managers.get(managerId)!.load.assigned;
      if (snapshot.availability === 'left') {
        for (const customerId of await book()) {
          results.push(await this.rematch(em, customerId, { reason: 'manager_left', context, exclude: new Set([managerId]), managers }));
        }
      } else if (snapshot.capacity < load) {
        const overflow = (await book()).slice(0, load - snapshot.capacity);
        for (const customerId of overflow) {
          results.push(await this.rematch(em, customerId, { reason: 'incremental', context, exclude: new Set([managerId]), managers }));
        }
      } else if (matchRelevantManagerChange(upserted.previous, snapshot)) {
        for (const customerId of await book()) results.push(await this.rematch(em, customerId, { reason: 'incremental', context, managers }));
      }
      await em.execute('update manager_load set capacity = ? where manager_id = ?', [snapshot.capacity, managerId]);
    }

    const state = managers.get(managerId)!;
    const headroom = snapshot.capacity - state.load.assigned;
    if (snapshot.availability === 'active' && headroom > 0) {
      const waiting = await em.execute<{ customer_id: string }[]>(
        'select customer_id from assignment where manager_id is null order by updated_at, customer_id limit ?',
        [Math.min(headroom, MAX_UNASSIGNED_PICKED_PER_EVENT)],
      );
      for (const row of waiting) results.push(await this.rematch(em, row.customer_id, { reason: 'incremental', context, managers }));
    }
    return results;
  }
}

function withoutIdentity<T extends { userId: string | null }>(snapshot: T): Omit<T, 'userId'> {
  const { userId: _ignored, ...rest } = snapshot;
  return rest;
}

/** True when the change can affect a score or an exclusion (everything in the snapshot except the account link). */
export function matchRelevantChange(before: CustomerMatchSnapshot, after: CustomerMatchSnapshot): boolean {
  return JSON.stringify(withoutIdentity(before)) !== JSON.stringify(withoutIdentity(after));
}

export function matchRelevantManagerChange(before: ManagerMatchSnapshot, after: ManagerMatchSnapshot): boolean {
  const { capacity: _a, displayName: _b, ...b } = withoutIdentity(before);
  const { capacity: _c, displayName: _d, ...a } = withoutIdentity(after);
  return JSON.stringify(a) !== JSON.stringify(b);
}
