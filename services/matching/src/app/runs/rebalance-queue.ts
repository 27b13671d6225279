import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Queue, type Job, type JobsOptions, type JobType } from 'bullmq';
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

const LIVE_STATES: JobType[] = ['active', 'waiting', 'delayed', 'prioritized', 'waiting-children'];

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

  /** Runs with a job waiting, delayed or running: those are not stuck, whatever their status says. */
  async liveRunIds(): Promise<Set<string>> {
    return new Set((await this.jobsOfRuns(LIVE_STATES)).map((job) => job.data.runId));
  }

  /** Jobs BullMQ gave up on (attempts used up, or stalled too often), newest first. */
  async failedRunJobs(): Promise<Job<{ runId: string; chunk?: number }>[]> {
    return (await this.jobsOfRuns(['failed'])).sort((a, b) => (b.finishedOn ?? 0) - (a.finishedOn ?? 0));
  }

  private async jobsOfRuns(states: JobType[]): Promise<Job<{ runId: string; chunk?: number }>[]> {
    const jobs = await this.queue.getJobs(states, 0, -1);
    return jobs.filter((job): job is Job<{ runId: string; chunk?: number }> => typeof job?.data?.runId === 'string');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
    this.connection.disconnect();
  }
}
