import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/mysql';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { RebalanceCompleted } from '@relationship/contracts';
import { OutboxService } from '@relationship/messaging';
import { forkEm, inTransaction } from '@relationship/persistence';
import { MATCHING_CONFIG, type MatchingSettings } from '../config';
import { parseJsonColumn, SnapshotStore } from '../read-models/snapshot-store';
import { MatchScorer } from '../scoring/match-scorer';
import { faultPoint } from './fault-point';
import { MoveApplier, type MoveRow } from './move-applier';
import { planRebalance, type PlanCustomer, type PlanMetrics } from './planner';
import { RebalanceQueue } from './rebalance-queue';
import { RunRecovery } from './run-recovery';
import type { RunOptions, RunScopeDto } from './run-views';

type Row = Record<string, unknown>;

/**
 * The worker's side of a rebalance: plan (one job: load, solve, store the moves), apply (one job per chunk of
 * moves, any replica), finalize (deferred moves, counts, RebalanceCompleted). Every step re-reads the run's status,
 * so a cancelled run stops at the next chunk, and every step can run twice without harm (retries).
 */
@Injectable()
export class RebalanceProcessor {
  private readonly logger = new Logger(RebalanceProcessor.name);

  constructor(
    private readonly orm: MikroORM,
    @Inject(MATCHING_CONFIG) private readonly config: MatchingSettings,
    private readonly store: SnapshotStore,
    private readonly scorer: MatchScorer,
    private readonly applier: MoveApplier,
    private readonly queue: RebalanceQueue,
    private readonly outbox: OutboxService,
    private readonly recovery: RunRecovery,
  ) {}

  private em(): EntityManager {
    return forkEm(this.orm);
  }

  async plan(runId: string): Promise<void> {
    const em = this.em();
    const now = new Date();
    const claimed = await em.execute<{ affectedRows: number }>(
      "update rebalance_run set status = 'planning', started_at = coalesce(started_at, ?), progressed_at = ? where id = ? and status in ('queued', 'planning')",
      [now, now, runId],
      'run',
    );
    if (claimed.affectedRows !== 1) {
      // A plan job run again after its worker died between committing the plan and queueing the chunks.
      const [current] = await em.execute<Row[]>('select status from rebalance_run where id = ?', [runId]);
      if (current?.['status'] === 'applying') await this.recovery.enqueue(runId, await this.recovery.nextJobs(em, runId, 'applying'), 'r0');
      return; // otherwise cancelled, failed or done
    }
    const [run] = await em.execute<Row[]>('select * from rebalance_run where id = ?', [runId]);
    const scope = parseJsonColumn<RunScopeDto>(run['scope'] as string);
    const options = parseJsonColumn<RunOptions>(run['options'] as string);

    const managers = await this.store.managers(em);
    const rows = await em.execute<Row[]>(
      'select a.customer_id, a.manager_id, a.version, a.pinned, c.snapshot from assignment a join customer_snapshot c on c.customer_id = a.customer_id order by a.customer_id',
    );
    const wanted = scope.customerIds ? new Set(scope.customerIds) : null;
    const customers: PlanCustomer[] = [];
    const inScopeLoad = new Map<string, number>();
    for (const row of rows) {
      const managerId = (row['manager_id'] as string | null) ?? null;
      const snapshot = parseJsonColumn<PlanCustomer['snapshot']>(row['snapshot'] as string);
      if (wanted && !wanted.has(snapshot.customerId)) continue;
      if (scope.branchIds && !scope.branchIds.includes(snapshot.homeBranchId ?? '')) continue;
      if (scope.segments && !scope.segments.includes(snapshot.segment)) continue;
      if (scope.unassignedOnly && managerId !== null) continue;
      if (row['pinned'] && !options.includePinned && managerId !== null) continue;
      // A manager on leave keeps their book (their cover serves it); they take nobody new.
      if (managerId !== null && managers.get(managerId)?.snapshot.availability === 'on_leave') continue;
      customers.push({ snapshot, currentManagerId: managerId, version: Number(row['version']) });
      if (managerId !== null) inScopeLoad.set(managerId, (inScopeLoad.get(managerId) ?? 0) + 1);
    }
    const fixedLoad = new Map([...managers].map(([id, m]) => [id, m.load.assigned - (inScopeLoad.get(id) ?? 0)]));
    const plan = planRebalance({
      customers,
      managers: [...managers.values()],
      fixedLoad,
      stabilityThreshold: options.stabilityThreshold,
      candidatesPerCustomer: options.candidatesPerCustomer,
      epsilon: options.epsilon ?? this.config.AUCTION_EPSILON,
      ...this.scorer.frozen(),
    });

    const dryRun = run['mode'] === 'dry_run';
    const chunkSize = this.config.REBALANCE_CHUNK_SIZE;
    const chunks = Math.ceil(plan.moves.length / chunkSize);
    const status = await inTransaction(this.orm, async (tx) => {
      const [held] = await tx.execute<Row[]>('select status from rebalance_run where id = ? for update', [runId]);
      if (held['status'] !== 'planning') return held['status'] as string;
      await tx.execute('delete from run_move where run_id = ?', [runId]);
      for (let i = 0; i < plan.moves.length; i += 1000) {
        const slice = plan.moves.slice(i, i + 1000);
        await tx.execute(
          `insert into run_move (run_id, customer_id, chunk, from_manager_id, to_manager_id, from_version, score_before, score_after, state) values ${slice
            .map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?)')
            .join(', ')}`,
          slice.flatMap((m, t) => [
            runId,
            m.customerId,
            Math.floor((i + t) / chunkSize),
            m.fromManagerId,
            m.toManagerId,
            m.fromVersion,
            m.scoreBefore,
            m.scoreAfter,
            dryRun ? 'proposed' : 'pending',
          ]),
        );
      }
      const next = dryRun || plan.moves.length === 0 ? 'completed' : 'applying';
      await tx.execute(
        'update rebalance_run set status = ?, customers = ?, moves_planned = ?, chunks_total = ?, metrics = ?, finished_at = ?, progressed_at = ? where id = ?',
        [next, plan.metrics.customers, plan.moves.length, chunks, JSON.stringify(plan.metrics), next === 'completed' ? new Date() : null, new Date(), runId],
      );
      if (next === 'completed') this.publishCompleted(tx, runId, dryRun ? 'dry_run' : 'applied', plan.metrics, 0, run['created_at'] as string);
      return next;
    });
    this.logger.log({ runId, customers: customers.length, moves: plan.moves.length, status, solver: plan.metrics.solver }, 'rebalance planned');
    await faultPoint(this.config, 'plan:committed');
    if (status === 'applying') await this.recovery.enqueue(runId, { kind: 'apply', chunks: [...Array(chunks).keys()] }, 'r0');
  }

  async applyChunk(runId: string, chunk: number): Promise<void> {
    const proceed = await inTransaction(this.orm, async (em) => {
      const [run] = await em.execute<Row[]>('select status from rebalance_run where id = ?', [runId]);
      if (run?.['status'] !== 'applying') return false;
      const moves = await em.execute<MoveRow[]>(
        "select customer_id, to_manager_id, from_version from run_move where run_id = ? and chunk = ? and state = 'pending' order by customer_id for update",
        [runId, chunk],
      );
      await faultPoint(this.config, `apply:chunk-${chunk}`);
      const states = await this.applier.apply(em, runId, moves);
      await this.applier.recordStates(em, runId, states);
      await em.execute('update rebalance_run set progressed_at = ? where id = ?', [new Date(), runId]);
      return true;
    });
    if (!proceed) return;
    const [left] = await this.em().execute<{ n: number }[]>("select count(*) as n from run_move where run_id = ? and state = 'pending'", [runId]);
    if (Number(left.n) > 0) return;
    await faultPoint(this.config, 'apply:last-committed');
    await this.queue.add({ name: 'finalize', data: { runId } }, `finalize-${runId}`);
  }

  async finalize(runId: string): Promise<void> {
    await inTransaction(this.orm, async (em) => {
      const [run] = await em.execute<Row[]>('select * from rebalance_run where id = ? for update', [runId]);
      if (run?.['status'] !== 'applying') return;
      const deferred = await em.execute<MoveRow[]>(
        "select customer_id, to_manager_id, from_version from run_move where run_id = ? and state = 'deferred' order by customer_id for update",
        [runId],
      );
      const states = await this.applier.apply(em, runId, deferred);
      // Still blocked after a last round (e.g. a swap between two full managers): they keep their current manager.
      await this.applier.recordStates(em, runId, new Map([...states].map(([id, s]) => [id, s === 'deferred' ? 'conflict' : s])));
      const counts = new Map(
        (await em.execute<{ state: string; n: number }[]>('select state, count(*) as n from run_move where run_id = ? group by state', [runId])).map((r) => [
          r.state,
          Number(r.n),
        ]),
      );
      const applied = counts.get('applied') ?? 0;
      await em.execute(
        "update rebalance_run set status = 'completed', moves_applied = ?, moves_stale = ?, moves_conflict = ?, chunks_done = chunks_total, finished_at = ?, progressed_at = ? where id = ?",
        [applied, counts.get('stale') ?? 0, counts.get('conflict') ?? 0, new Date(), new Date(), runId],
      );
      const metrics = parseJsonColumn<PlanMetrics>(run['metrics'] as string);
      this.publishCompleted(em, runId, 'applied', metrics, applied, run['created_at'] as string);
    });
  }

  private publishCompleted(em: EntityManager, runId: string, mode: 'dry_run' | 'applied', metrics: PlanMetrics, applied: number, createdAt: string): void {
    const now = new Date();
    this.outbox.enqueue(em, {
      contract: RebalanceCompleted,
      correlationId: `run:${runId}`,
      payload: {
        runId,
        mode,
        customers: metrics.customers,
        moved: mode === 'dry_run' ? metrics.moved : applied,
        unassigned: metrics.after.unassigned,
        totalScoreBefore: metrics.before.totalScore,
        totalScoreAfter: metrics.after.totalScore,
        durationMs: Math.max(0, now.getTime() - new Date(createdAt).getTime()),
        completedAt: now.toISOString(),
      },
    });
  }
}
