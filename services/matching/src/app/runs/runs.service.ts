import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/mysql';
import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { recordAudit } from '@relationship/audit';
import { forkEm, inTransaction } from '@relationship/persistence';
import type { Page, WriteContext } from '@relationship/service-kit';
import { MATCHING_CONFIG, type MatchingSettings } from '../config';
import { SnapshotStore } from '../read-models/snapshot-store';
import { MatchScorer, type PairVerdict } from '../scoring/match-scorer';
import { RebalanceQueue } from './rebalance-queue';
import { IN_PROGRESS, RunRecovery } from './run-recovery';
import { toRunView, type CreateRunDto, type MoveListQuery, type RunListQuery, type RunOptions, type RunView } from './run-views';

type Row = Record<string, unknown>;

export interface MoveView {
  customerId: string;
  fromManagerId: string | null;
  toManagerId: string | null;
  scoreBefore: number | null;
  scoreAfter: number | null;
  state: string;
  /** Why the proposed manager, computed now from the current portraits. */
  explanation: PairVerdict | null;
}

/** The API side of rebalances: request, inspect, what-if moves, apply a dry run as is, cancel, retry. */
@Injectable()
export class RunsService {
  constructor(
    private readonly orm: MikroORM,
    @Inject(MATCHING_CONFIG) private readonly config: MatchingSettings,
    private readonly queue: RebalanceQueue,
    private readonly store: SnapshotStore,
    private readonly scorer: MatchScorer,
    private readonly recovery: RunRecovery,
  ) {}

  private em(): EntityManager {
    return forkEm(this.orm);
  }

  async create(dto: CreateRunDto, context: WriteContext): Promise<RunView> {
    const id = crypto.randomUUID();
    const options: RunOptions = {
      stabilityThreshold: dto.stabilityThreshold ?? this.config.STABILITY_THRESHOLD,
      includePinned: dto.includePinned ?? false,
      candidatesPerCustomer: this.config.CANDIDATES_PER_CUSTOMER,
      epsilon: this.config.AUCTION_EPSILON,
    };
    await inTransaction(this.orm, async (em) => {
      await em.execute(
        "insert into rebalance_run (id, mode, status, scope, options, requested_by, created_at, progressed_at) values (?, ?, 'queued', ?, ?, ?, ?, ?)",
        [id, dto.mode, JSON.stringify(dto.scope ?? {}), JSON.stringify(options), context.actor?.id ?? null, new Date(), new Date()],
      );
      this.audit(em, context, 'rebalance.requested', id, { mode: dto.mode, scope: dto.scope ?? {}, options });
    });
    await this.queue.add({ name: 'plan', data: { runId: id } }, `plan-${id}`);
    return this.get(id);
  }

  async get(id: string): Promise<RunView> {
    const em = this.em();
    const [row] = await em.execute<Row[]>('select * from rebalance_run where id = ?', [id]);
    if (!row) throw new NotFoundException(`run ${id} not found`);
    let decided = 0;
    if (row['status'] === 'applying') {
      const [count] = await em.execute<{ n: number }[]>("select count(*) as n from run_move where run_id = ? and state not in ('pending', 'deferred')", [id]);
      decided = Number(count.n);
    }
    return toRunView(row, decided);
  }

  async list(query: RunListQuery): Promise<Page<RunView>> {
    const em = this.em();
    const [count] = await em.execute<{ n: number }[]>('select count(*) as n from rebalance_run');
    const rows = await em.execute<Row[]>('select * from rebalance_run order by created_at desc, id limit ? offset ?', [query.pageSize, (query.page - 1) * query.pageSize]);
    return { items: rows.map((r) => toRunView(r)), total: Number(count.n), page: query.page, pageSize: query.pageSize };
  }

  async moves(id: string, query: MoveListQuery): Promise<Page<MoveView>> {
    await this.get(id);
    const em = this.em();
    const where = query.state ? 'run_id = ? and state = ?' : 'run_id = ?';
    const params = query.state ? [id, query.state] : [id];
    const [count] = await em.execute<{ n: number }[]>(`select count(*) as n from run_move where ${where}`, params);
    const rows = await em.execute<Row[]>(`select * from run_move where ${where} order by score_after desc, customer_id limit ? offset ?`, [
      ...params,
      query.pageSize,
      (query.page - 1) * query.pageSize,
    ]);
    const customers = await this.store.customers(
      em,
      rows.map((r) => r['customer_id'] as string),
    );
    const managers = await this.store.managers(em);
    return {
      items: rows.map((r) => {
        const customer = customers.get(r['customer_id'] as string);
        const target = r['to_manager_id'] ? managers.get(r['to_manager_id'] as string) : undefined;
        return {
          customerId: r['customer_id'] as string,
          fromManagerId: (r['from_manager_id'] as string | null) ?? null,
          toManagerId: (r['to_manager_id'] as string | null) ?? null,
          scoreBefore: r['score_before'] === null ? null : Number(r['score_before']),
          scoreAfter: r['score_after'] === null ? null : Number(r['score_after']),
          state: r['state'] as string,
          explanation: customer && target ? this.scorer.verdict(customer, target.snapshot, target.load) : null,
        };
      }),
      total: Number(count.n),
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  /** Applies a completed dry run's moves as they were proposed; a customer changed since is skipped (stale). */
  async applyDryRun(sourceId: string, context: WriteContext): Promise<RunView> {
    const id = crypto.randomUUID();
    const chunks = await inTransaction(this.orm, async (em) => {
      const [source] = await em.execute<Row[]>('select * from rebalance_run where id = ? for update', [sourceId]);
      if (!source) throw new NotFoundException(`run ${sourceId} not found`);
      if (source['mode'] !== 'dry_run' || source['status'] !== 'completed') {
        throw new ConflictException(`run ${sourceId} is not a completed dry run (mode ${source['mode']}, status ${source['status']})`);
      }
      const [applied] = await em.execute<{ n: number }[]>("select count(*) as n from rebalance_run where source_run_id = ? and status <> 'failed'", [sourceId]);
      if (Number(applied.n) > 0) throw new ConflictException(`dry run ${sourceId} was already applied`);
      const planned = Number(source['moves_planned']);
      const status = planned === 0 ? 'completed' : 'applying';
      await em.execute(
        `insert into rebalance_run (id, mode, status, source_run_id, scope, options, requested_by, customers, moves_planned, chunks_total, metrics, created_at, started_at, finished_at, progressed_at)
         values (?, 'apply', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          id,
          status,
          sourceId,
          source['scope'],
          source['options'],
          context.actor?.id ?? null,
          source['customers'],
          planned,
          source['chunks_total'],
          source['metrics'],
          new Date(),
          new Date(),
          planned === 0 ? new Date() : null,
          new Date(),
        ],
      );
      await em.execute(
        `insert into run_move (run_id, customer_id, chunk, from_manager_id, to_manager_id, from_version, score_before, score_after, state)
         select ?, customer_id, chunk, from_manager_id, to_manager_id, from_version, score_before, score_after, 'pending' from run_move where run_id = ?`,
        [id, sourceId],
      );
      this.audit(em, context, 'rebalance.dry_run_applied', id, { sourceRunId: sourceId, moves: planned });
      return Number(source['chunks_total']);
    });
    await this.queue.addBulk([...Array(chunks).keys()].map((chunk) => ({ job: { name: 'apply', data: { runId: id, chunk } }, jobId: `apply-${id}-${chunk}-r0` })));
    return this.get(id);
  }

  /** Stops a run: moves not yet applied are cancelled; applied ones stay (each is a valid assignment on its own). */
  async cancel(id: string, context: WriteContext): Promise<RunView> {
    await inTransaction(this.orm, async (em) => {
      const [run] = await em.execute<Row[]>('select status from rebalance_run where id = ? for update', [id]);
      if (!run) throw new NotFoundException(`run ${id} not found`);
      if (!['queued', 'planning', 'applying'].includes(run['status'] as string)) throw new ConflictException(`run ${id} is already ${run['status']}`);
      await em.execute("update rebalance_run set status = 'cancelled', finished_at = ? where id = ?", [new Date(), id]);
      await em.execute("update run_move set state = 'cancelled' where run_id = ? and state in ('pending', 'deferred')", [id]);
      const [applied] = await em.execute<{ n: number }[]>("select count(*) as n from run_move where run_id = ? and state = 'applied'", [id]);
      await em.execute('update rebalance_run set moves_applied = ? where id = ?', [Number(applied.n), id]);
      this.audit(em, context, 'rebalance.cancelled', id, { previousStatus: run['status'] });
    });
    return this.get(id);
  }

  /**
   * A failed or stuck run (in progress, but no job of it waiting or running) starts again where it stopped:
   * planning from scratch, the chunks with moves still pending, or finalize. A run whose jobs are live is left alone.
   */
  async retry(id: string, context: WriteContext): Promise<RunView> {
    const generation = `r${Date.now().toString(36)}`;
    const live = await this.queue.liveRunIds();
    const next = await inTransaction(this.orm, async (em) => {
      const [run] = await em.execute<Row[]>('select * from rebalance_run where id = ? for update', [id]);
      if (!run) throw new NotFoundException(`run ${id} not found`);
      const previous = run['status'] as string;
      const stuck = (IN_PROGRESS as readonly string[]).includes(previous) && !live.has(id);
      if (previous !== 'failed' && !stuck) {
        throw new ConflictException(
          live.has(id)
            ? `run ${id} is ${previous} and its jobs are still queued or running; retry it if it stops making progress`
            : `only a failed or stuck run can be retried (run ${id} is ${previous})`,
        );
      }
      const status = run['metrics'] !== null ? 'applying' : 'queued';
      const now = new Date();
      await em.execute('update rebalance_run set status = ?, error = null, finished_at = null, resumed_at = ?, progressed_at = ? where id = ?', [status, now, now, id]);
      const jobs = await this.recovery.nextJobs(em, id, status);
      this.audit(em, context, 'rebalance.retried', id, { previousStatus: previous, from: jobs.kind });
      return jobs;
    });
    await this.recovery.enqueue(id, next, generation);
    return this.get(id);
  }

  private audit(em: EntityManager, context: WriteContext, action: string, runId: string, after: Record<string, unknown>): void {
    recordAudit(em, { actor: context.actor, action, entityType: 'rebalance_run', entityId: runId, after, reason: context.reason ?? null, requestId: context.requestId });
  }
}
