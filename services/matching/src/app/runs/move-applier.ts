import type { EntityManager } from '@mikro-orm/mysql';
import { Injectable } from '@nestjs/common';
import { systemContext } from '@relationship/service-kit';
import { AssignmentWriter } from '../assignments/assignment-writer';
import { SnapshotStore } from '../read-models/snapshot-store';
import { MatchScorer } from '../scoring/match-scorer';

export interface MoveRow {
  customer_id: string;
  to_manager_id: string | null;
  from_version: number;
}

export type MoveState = 'applied' | 'stale' | 'deferred';

/**
 * Applies planned moves in passes: a move into a manager who is still full waits for a later pass (someone may
 * leave them meanwhile); whatever still cannot go after a pass without progress is deferred. Every move is the
 * guarded single-row update of AssignmentWriter, so a move planned on data that changed since is skipped as stale.
 */
@Injectable()
export class MoveApplier {
  constructor(
    private readonly writer: AssignmentWriter,
    private readonly store: SnapshotStore,
    private readonly scorer: MatchScorer,
  ) {}

  async apply(em: EntityManager, runId: string, moves: MoveRow[]): Promise<Map<string, MoveState>> {
    const states = new Map<string, MoveState>();
    if (moves.length === 0) return states;
    const customers = await this.store.customers(
      em,
      moves.map((m) => m.customer_id),
    );
    const managers = await this.store.managers(em);
    const context = systemContext(`rebalance ${runId}`, `run:${runId}`);
    let pending = moves;
    for (;;) {
      const waiting: MoveRow[] = [];
      for (const move of pending) {
        const customer = customers.get(move.customer_id);
        let score: number | null = null;
        let explanation = null;
        if (move.to_manager_id !== null) {
          const target = managers.get(move.to_manager_id);
          if (!customer || !target) {
            states.set(move.customer_id, 'stale');
            continue;
          }
          const load = { assigned: Math.max(0, Math.min(target.load.assigned, target.snapshot.capacity - 1)) };
          const verdict = this.scorer.verdict(customer, target.snapshot, load);
          if (!verdict.eligible) {
            states.set(move.customer_id, 'stale'); // the pair became excluded since planning
            continue;
          }
          score = verdict.score;
          explanation = verdict.explanation;
        }
        const outcome = await this.writer.move(em, {
          customerId: move.customer_id,
          toManagerId: move.to_manager_id,
          expectedVersion: Number(move.from_version),
          reason: 'rebalance',
          runId,
          score,
          explanation,
          context,
        });
        if (outcome.status === 'full') {
          waiting.push(move);
          continue;
        }
        states.set(move.customer_id, outcome.status === 'applied' ? 'applied' : 'stale');
        if (outcome.status === 'applied') {
          if (move.to_manager_id) managers.get(move.to_manager_id)!.load.assigned += 1;
          if (outcome.previousManagerId && managers.has(outcome.previousManagerId)) managers.get(outcome.previousManagerId)!.load.assigned -= 1;
        }
      }
      if (waiting.length === 0 || waiting.length === pending.length) {
        for (const move of waiting) states.set(move.customer_id, 'deferred');
        return states;
      }
      pending = waiting;
    }
  }

  /** Writes the outcome of each move back to run_move, one statement per state. */
  async recordStates(em: EntityManager, runId: string, states: Map<string, MoveState | 'conflict'>): Promise<void> {
    const byState = new Map<string, string[]>();
    for (const [customerId, state] of states) byState.set(state, [...(byState.get(state) ?? []), customerId]);
    for (const [state, ids] of byState) {
      for (let i = 0; i < ids.length; i += 1000) {
        const slice = ids.slice(i, i + 1000);
        await em.execute(`update run_move set state = ? where run_id = ? and customer_id in (${slice.map(() => '?').join(',')})`, [state, runId, ...slice]);
      }
    }
  }
}
