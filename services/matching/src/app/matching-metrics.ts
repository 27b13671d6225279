import { Inject, Injectable } from '@nestjs/common';
import { METRICS_REGISTRY } from '@relationship/observability';
import { Counter, Histogram, type Registry } from 'prom-client';

const REASONS = ['rebalance', 'incremental', 'manual', 'manager_left', 'accepted', 'declined'] as const;
const JOBS = ['plan', 'apply', 'finalize', 'train'] as const;

/** What operators watch on matching: how assignments move, how fast a rematch is, how rebalance jobs fare. */
@Injectable()
export class MatchingMetrics {
  private readonly writes: Counter<'reason' | 'outcome'>;
  private readonly rematch: Histogram<'status'>;
  private readonly jobs: Histogram<'job' | 'outcome'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.writes = new Counter({
      name: 'matching_assignment_writes_total',
      help: 'Guarded assignment writes by reason and outcome (applied, stale, full = refused by the capacity constraint)',
      labelNames: ['reason', 'outcome'],
      registers: [registry],
    });
    for (const reason of REASONS) for (const outcome of ['applied', 'stale', 'full'] as const) this.writes.inc({ reason, outcome }, 0);
    this.rematch = new Histogram({
      name: 'matching_rematch_duration_seconds',
      help: 'One incremental rematch (score every manager, write the assignment) by result',
      labelNames: ['status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2],
      registers: [registry],
    });
    this.jobs = new Histogram({
      name: 'matching_rebalance_job_duration_seconds',
      help: 'BullMQ jobs of rebalances and training by job and outcome',
      labelNames: ['job', 'outcome'],
      buckets: [0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 120],
      registers: [registry],
    });
    for (const job of JOBS) for (const outcome of ['done', 'failed'] as const) this.jobs.zero({ job, outcome });
  }

  write(reason: string, outcome: 'applied' | 'stale' | 'full' | 'unchanged'): void {
    if (outcome !== 'unchanged') this.writes.inc({ reason, outcome });
  }

  rematched(status: string, seconds: number): void {
    this.rematch.observe({ status }, seconds);
  }

  job(job: string, outcome: 'done' | 'failed', seconds: number): void {
    this.jobs.observe({ job, outcome }, seconds);
  }
}
