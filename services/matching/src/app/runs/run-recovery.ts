import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/mysql';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { forkEm } from '@relationship/persistence';
import { MATCHING_CONFIG, type MatchingSettings } from '../config';
import { RebalanceQueue } from './rebalance-queue';

type Row = Record<string, unknown>;

/** Statuses of a run that still needs a job: the reconciler and retry act only on these and on `failed`. */
export const IN_PROGRESS = ['queued', 'planning', 'applying'] as const;

/** The job(s) a run in progress needs next, read from its rows alone. */
export type NextJobs = { kind: 'plan' } | { kind: 'apply'; chunks: number[] } | { kind: 'finalize' };

export interface ReconcileOutcome {
  requeued: string[];
  failed: string[];
}

/**
 * A run's state machine, and how it recovers from a crash at any point:
 *
 *   queued ─plan job─▶ planning ─▶ applying ─apply job per chunk─▶ (no move pending) ─finalize job─▶ completed
 *   (dry runs and empty plans complete at planning); any in-progress status ─▶ cancelled | failed; failed ─retry─▶
 *   queued (not yet planned) | applying (the chunks with moves still pending, or finalize).
 *
 * Which job a run needs follows from its rows (status, pending moves), never from what was enqueued, so a lost job
 * is found by comparing that with the jobs BullMQ still holds:
 * - the run committed but its plan job never queued, the plan committed but its chunk jobs never queued, the last
 *   chunk committed but finalize never queued: no live job → the missing jobs are queued again (bounded);
 * - a chunk (or plan, finalize) that BullMQ gave up on, after its attempts or because its worker died twice while
 *   running it ("job stalled more than allowable limit"): the run is marked failed with that reason, and retry
 *   resumes it.
 * Every job re-reads the run and is idempotent, so a job queued twice does no harm.
 */
@Injectable()
export class RunRecovery {
  private readonly logger = new Logger(RunRecovery.name);

  constructor(
    private readonly orm: MikroORM,
    @Inject(MATCHING_CONFIG) private readonly config: MatchingSettings,
    private readonly queue: RebalanceQueue,
  ) {}

  private em(): EntityManager {
    return forkEm(this.orm);
  }

  async nextJobs(em: EntityManager, runId: string, status: string): Promise<NextJobs> {
    if (status !== 'applying') return { kind: 'plan' };
    const chunks = await em.execute<{ chunk: number }[]>("select distinct chunk from run_move where run_id = ? and state = 'pending' order by chunk", [runId]);
    return chunks.length ? { kind: 'apply', chunks: chunks.map((c) => Number(c.chunk)) } : { kind: 'finalize' };
  }

  /** Queues `next` under job ids of this `generation`, so jobs of an earlier attempt (even failed ones) never block them. */
  async enqueue(runId: string, next: NextJobs, generation: string): Promise<void> {
    if (next.kind === 'plan') await this.queue.add({ name: 'plan', data: { runId } }, `plan-${runId}-${generation}`);
    else if (next.kind === 'finalize') await this.queue.add({ name: 'finalize', data: { runId } }, `finalize-${runId}-${generation}`);
    else await this.queue.addBulk(next.chunks.map((chunk) => ({ job: { name: 'apply', data: { runId, chunk } }, jobId: `apply-${runId}-${chunk}-${generation}` })));
  }

  async markFailed(runId: string, reason: string): Promise<boolean> {
    const now = new Date();
    const result = await this.em().execute<{ affectedRows: number }>(
      `update rebalance_run set status = 'failed', error = ?, finished_at = ?, progressed_at = ? where id = ? and status in (${IN_PROGRESS.map(() => '?').join(', ')})`,
      [reason.slice(0, 1000), now, now, runId, ...IN_PROGRESS],
      'run',
    );
    return result.affectedRows === 1;
  }

  /**
   * One pass over the runs in progress that made no progress for RUN_STUCK_AFTER_S and have no job waiting or
   * running: each is failed with the reason of a job BullMQ gave up on, or has its missing jobs queued again.
   */
  async reconcile(): Promise<ReconcileOutcome> {
    const outcome: ReconcileOutcome = { requeued: [], failed: [] };
    const stuckBefore = new Date(Date.now() - this.config.RUN_STUCK_AFTER_S * 1000);
    const quiet = await this.em().execute<Row[]>(
      `select id, status, recoveries, created_at, resumed_at from rebalance_run where status in (${IN_PROGRESS.map(() => '?').join(', ')}) and progressed_at < ?`,
      [...IN_PROGRESS, stuckBefore],
    );
    if (!quiet.length) return outcome;
    // Live jobs first: a job that finishes between the two reads then shows as progress, not as missing.
    const live = await this.queue.liveRunIds();
    const failures = await this.queue.failedRunJobs();
    for (const run of quiet) {
      const runId = run['id'] as string;
      if (live.has(runId)) continue;
      const since = new Date((run['resumed_at'] ?? run['created_at']) as string).getTime();
      const failure = failures.find((job) => job.data.runId === runId && (job.finishedOn ?? 0) >= since);
      const recoveries = Number(run['recoveries']);
      if (failure || recoveries >= this.config.RUN_MAX_RECOVERIES) {
        const reason = failure ? describeFailure(failure) : `its jobs were lost ${recoveries} times (re-queued each time); retry it once the workers are healthy`;
        if (await this.markFailed(runId, reason)) {
          this.logger.warn({ runId, reason }, 'stuck rebalance run marked failed');
          outcome.failed.push(runId);
        }
        continue;
      }
      if (await this.requeue(runId, run['status'] as string, recoveries)) outcome.requeued.push(runId);
    }
    return outcome;
  }

  /** Queues a stuck run's missing jobs; the recovery count guards against two reconcilers doing it at once. */
  private async requeue(runId: string, status: string, recoveries: number): Promise<boolean> {
    const now = new Date();
    const claimed = await this.em().execute<{ affectedRows: number }>(
      'update rebalance_run set recoveries = recoveries + 1, resumed_at = ?, progressed_at = ? where id = ? and status = ? and recoveries = ?',
      [now, now, runId, status, recoveries],
      'run',
    );
    if (claimed.affectedRows !== 1) return false;
    const next = await this.nextJobs(this.em(), runId, status);
    await this.enqueue(runId, next, `k${recoveries + 1}`);
    this.logger.warn({ runId, status, next: next.kind, chunks: next.kind === 'apply' ? next.chunks.length : undefined, recovery: recoveries + 1 }, 'stuck rebalance run: missing jobs queued again');
    return true;
  }
}

/** Why a run failed, from the job BullMQ gave up on: which step, after how many attempts, and its error. */
export function describeFailure(job: Job, message = job.failedReason ?? 'unknown error'): string {
  const what = job.name === 'apply' ? `chunk ${(job.data as { chunk?: number }).chunk}` : `the ${job.name} job`;
  const stalled = /stalled/i.test(message) ? ' (the worker running it stopped, more than once)' : '';
  return `${what} failed after ${job.attemptsMade} attempt(s): ${message}${stalled}`;
}
