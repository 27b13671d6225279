import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { MATCHING_CONFIG, type WorkerConfig } from '../config';
import { ModelTrainer } from '../learning/model-trainer';
import { MatchingMetrics } from '../matching-metrics';
import { RebalanceProcessor } from './rebalance.processor';
import { REBALANCE_QUEUE, redisConnection, type RebalanceJob } from './rebalance-queue';
import { describeFailure, RunRecovery } from './run-recovery';

/**
 * Pulls rebalance jobs. Any number of replicas may run: BullMQ hands each job to one worker at a time, and the
 * database (one assignment row per customer, load CHECK) keeps even a job run twice from double-assigning anyone.
 */
@Injectable()
export class RebalanceWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RebalanceWorker.name);
  private worker?: Worker;
  private connection?: Redis;

  constructor(
    @Inject(MATCHING_CONFIG) private readonly config: WorkerConfig,
    private readonly processor: RebalanceProcessor,
    private readonly trainer: ModelTrainer,
    private readonly metrics: MatchingMetrics,
    private readonly recovery: RunRecovery,
  ) {}

  onApplicationBootstrap(): void {
    this.connection = redisConnection(this.config.REDIS_URL);
    this.connection.on('error', (error) => this.logger.warn({ err: error }, 'redis connection error (worker)'));
    this.worker = new Worker(REBALANCE_QUEUE, (job) => this.timed(job as Job<RebalanceJob['data']>), {
      connection: this.connection,
      prefix: this.config.QUEUE_PREFIX,
      concurrency: this.config.WORKER_CONCURRENCY,
      // A job whose worker died is re-run once after its lock expires, then failed as stalled (the reconciler
      // then fails its run with that reason).
      lockDuration: this.config.WORKER_LOCK_MS,
      stalledInterval: this.config.WORKER_LOCK_MS,
      maxStalledCount: 1,
    });
    this.worker.on('failed', (job, error) => {
      if (!job) return;
      // UnrecoverableError: BullMQ's own verdict on a job stalled too often (its worker died twice running it).
      const final = job.attemptsMade >= (job.opts.attempts ?? 1) || error.name === 'UnrecoverableError';
      this.logger.warn({ err: error, job: job.name, jobId: job.id, attempt: job.attemptsMade, final }, 'rebalance job failed');
      const runId = (job.data as { runId?: string }).runId;
      if (final && runId) {
        void this.recovery
          .markFailed(runId, describeFailure(job, error.message))
          .catch((e) => this.logger.error({ err: e }, 'could not mark run failed'));
      }
    });
    this.worker.on('error', (error) => this.logger.warn({ err: error }, 'worker error'));
  }

  private async timed(job: Job<RebalanceJob['data']>): Promise<void> {
    const started = performance.now();
    try {
      await this.process(job);
      this.metrics.job(job.name, 'done', (performance.now() - started) / 1000);
    } catch (error) {
      this.metrics.job(job.name, 'failed', (performance.now() - started) / 1000);
      throw error;
    }
  }

  private async process(job: Job<RebalanceJob['data']>): Promise<void> {
    const data = job.data as Record<string, unknown>;
    switch (job.name as RebalanceJob['name']) {
      case 'plan':
        return this.processor.plan(data['runId'] as string);
      case 'apply':
        await this.processor.applyChunk(data['runId'] as string, data['chunk'] as number);
        return;
      case 'finalize':
        return this.processor.finalize(data['runId'] as string);
      case 'train':
        await this.trainer.train((data['requestedBy'] as string | null) ?? null);
        return;
      default:
        throw new Error(`unknown job ${job.name}`);
    }
  }

  /** Graceful: the current jobs finish (or are retried by another replica after the lock expires). */
  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    this.connection?.disconnect();
  }
}
