import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Queue, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { MATCHING_CONFIG, type MatchingSettings } from '../config';

export const REBALANCE_QUEUE = 'matching-rebalance';

export type RebalanceJob =
  | { name: 'plan'; data: { runId: string } }
  | { name: 'apply'; data: { runId: string; chunk: number } }
  | { name: 'finalize'; data: { runId: string } }
  | { name: 'train'; data: { requestedBy: string | null } };

/** Automatic retries of a failed job before its run is marked failed (then an admin may retry it). */
export const JOB_ATTEMPTS = 3;

export const JOB_OPTIONS: JobsOptions = {
  attempts: JOB_ATTEMPTS,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 86_400, count: 10_000 },
  removeOnFail: { age: 7 * 86_400 },
};

export function redisConnection(url: string): Redis {
  // BullMQ needs maxRetriesPerRequest: null for its blocking commands.
  return new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
}

/** The producer side of the rebalance queue (API and worker both enqueue). Job ids make enqueueing idempotent. */
@Injectable()
export class RebalanceQueue implements OnApplicationShutdown {
  private readonly logger = new Logger(RebalanceQueue.name);
  private readonly connection: Redis;
  readonly queue: Queue;

  constructor(@Inject(MATCHING_CONFIG) config: MatchingSettings) {
    this.connection = redisConnection(config.REDIS_URL);
    this.connection.on('error', (error) => this.logger.warn({ err: error }, 'redis connection error (queue)'));
    this.queue = new Queue(REBALANCE_QUEUE, { connection: this.connection, prefix: config.QUEUE_PREFIX });
  }

  async add(job: RebalanceJob, jobId: string): Promise<void> {
    await this.queue.add(job.name, job.data, { ...JOB_OPTIONS, jobId });
  }

  async addBulk(jobs: { job: RebalanceJob; jobId: string }[]): Promise<void> {
    for (let i = 0; i < jobs.length; i += 500) {
      await this.queue.addBulk(jobs.slice(i, i + 500).map(({ job, jobId }) => ({ name: job.name, data: job.data, opts: { ...JOB_OPTIONS, jobId } })));
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
    this.connection.disconnect();
  }
}
