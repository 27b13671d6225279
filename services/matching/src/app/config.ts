import { databaseEnv, httpEnv, jwtEnv, kafkaEnv, loadConfig, redisEnv } from '@relationship/service-kit';
import { z } from 'zod';

const flag = z
  .enum(['true', 'false'])
  .default('false')
  .transform((v) => v === 'true');

/** Tuning shared by the API process (incremental rematch) and the worker (rebalances). */
const matchingEnv = z.object({
  /** A customer leaves their current manager only for one scoring more than this many points higher. */
  STABILITY_THRESHOLD: z.coerce.number().min(0).max(100).default(5),
  /** Candidate managers kept per customer for a global assignment. */
  CANDIDATES_PER_CUSTOMER: z.coerce.number().int().min(1).max(200).default(30),
  /**
   * Final ε of the auction, in score points. The solution is certified within n·ε of the optimum, and the run
   * reports the actual gap; on 0–100 scores 0.05 keeps 100k customers within ~0.002 % at a fraction of the time of 0.01.
   */
  AUCTION_EPSILON: z.coerce.number().min(0.001).max(1).default(0.05),
  /** Moves applied per BullMQ chunk job (one transaction each). */
  REBALANCE_CHUNK_SIZE: z.coerce.number().int().min(1).max(5_000).default(250),
  /** Manual reassignments need a second admin's approval. */
  MAKER_CHECKER: flag,
  /** Feedback samples needed before a learned model may replace the rule weights alone. */
  LEARNING_MIN_FEEDBACK: z.coerce.number().int().min(10).max(10_000_000).default(200),
  /** Share of the final score given to the learned model once one is active (0 = rules only). */
  LEARNING_BLEND: z.coerce.number().min(0).max(0.5).default(0.3),
  /** BullMQ queue namespace, so test runs never share jobs with the demo. */
  QUEUE_PREFIX: z.string().regex(/^[a-z0-9:_-]{1,40}$/).default('relationship'),
  /** A run in progress with no job waiting or running for this long is stuck: the reconciler recovers it. */
  RUN_STUCK_AFTER_S: z.coerce.number().min(0.1).max(3_600).default(30),
  /** How often the worker looks for stuck runs (it also does once at start). */
  RUN_RECONCILE_INTERVAL_S: z.coerce.number().min(0.1).max(3_600).default(30),
  /** Lost jobs of one run re-queued at most this many times before the run is marked failed. */
  RUN_MAX_RECOVERIES: z.coerce.number().int().min(0).max(100).default(3),
  /**
   * Fault injection (tests/faults only): the process stops at this point of a run (e.g. `plan:committed`,
   * `apply:chunk-0`, `apply:last-committed`), prints `FAULT_POINT_REACHED <point>` and waits to be killed.
   */
  FAULT_PAUSE_AT: z
    .string()
    .regex(/^[a-z]+:[a-z0-9-]+$/)
    .optional(),
});

/** Everything the matching API reads from its environment, validated once at start-up. */
export const matchingConfigSchema = httpEnv
  .extend({ PORT: httpEnv.shape.PORT.default(3004) })
  .extend(databaseEnv.shape)
  .extend(kafkaEnv.shape)
  .extend(jwtEnv.shape)
  .extend(redisEnv.shape)
  .extend(matchingEnv.shape);

export type MatchingConfig = z.infer<typeof matchingConfigSchema>;

/** The worker has no public API and no Kafka consumer, only a health/metrics port and the queue. */
export const workerConfigSchema = httpEnv
  .extend({ PORT: httpEnv.shape.PORT.default(3014) })
  .extend(databaseEnv.shape)
  .extend(kafkaEnv.shape)
  .extend(redisEnv.shape)
  .extend(matchingEnv.shape)
  .extend({
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(1),
    /** A job whose worker stops renewing its lock for this long counts as stalled (re-run once, then failed). */
    WORKER_LOCK_MS: z.coerce.number().int().min(500).max(600_000).default(30_000),
  });

export type WorkerConfig = z.infer<typeof workerConfigSchema>;

/** What both processes share; services take this, so they run in either. */
export type MatchingSettings = z.infer<typeof matchingEnv> & Pick<MatchingConfig, 'REDIS_URL'>;

/** DI token of the validated configuration (MatchingSettings at least). */
export const MATCHING_CONFIG = Symbol('MATCHING_CONFIG');

export function loadMatchingConfig(env: NodeJS.ProcessEnv = process.env): MatchingConfig {
  return loadConfig(matchingConfigSchema, env);
}

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  return loadConfig(workerConfigSchema, env);
}
