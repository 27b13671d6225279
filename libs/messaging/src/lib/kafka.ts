import { Logger } from '@nestjs/common';
import { Topic, TOPIC_PARTITIONS, deadLetterTopic } from '@relationship/contracts';
import type { ReadinessCheck } from '@relationship/observability';
import { Admin, Kafka, logLevel, type LogEntry } from 'kafkajs';

export interface MessagingOptions {
  /** The service name: Kafka client id, consumer group and event `source`. */
  service: string;
  brokers: string[];
  /** Consumer group, and the dedupe scope of processed events; defaults to the service name. */
  consumerGroup?: string;
  /** Delivery attempts of one message before it goes to the dead-letter topic. */
  maxAttempts: number;
  /** How often the outbox relay looks for new rows when idle. */
  pollIntervalMs?: number;
}

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

const LEVEL_NAMES: Record<number, 'error' | 'warn' | 'log' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'log',
  [logLevel.DEBUG]: 'debug',
};

/** Routes kafkajs' own logs into the service's structured logger. */
export function kafkaLogCreator() {
  const logger = new Logger('kafkajs');
  return () =>
    ({ level, log }: LogEntry) => {
      const { message, ...extra } = log;
      // A fresh broker answers "coordinator is loading" for a while; kafkajs retries, so it is not an error.
      const method = LEVEL_NAMES[level] ?? 'log';
      logger[method === 'error' && /coordinator/i.test(message) ? 'warn' : method]({ ...extra, msg: message });
    };
}

export function createKafka(options: Pick<MessagingOptions, 'service' | 'brokers'>): Kafka {
  // We use the default (murmur2, Java-compatible) partitioner on purpose; the notice is noise.
  process.env['KAFKAJS_NO_PARTITIONER_WARNING'] ??= '1';
  return new Kafka({
    clientId: options.service,
    brokers: options.brokers,
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(),
    retry: { initialRetryTime: 200, retries: 8 },
  });
}

/** Every platform topic with its dead-letter topic; creating them is idempotent, so every service may do it. */
export function platformTopics(): { topic: string; numPartitions: number }[] {
  return Object.values(Topic).flatMap((topic) => [
    { topic, numPartitions: TOPIC_PARTITIONS[topic] },
    { topic: deadLetterTopic(topic), numPartitions: 1 },
  ]);
}

export async function ensureTopics(admin: Admin, topics = platformTopics(), readyWithinMs = 30_000): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((t) => !existing.has(t.topic));
  if (missing.length) {
    try {
      await admin.createTopics({ topics: missing, waitForLeaders: true });
    } catch (error) {
      // Another replica created them first, or (fresh broker) the wait for leaders gave up on a not-yet-hosted
      // partition: either way the leader check below decides.
      const e = error as Error & { retriable?: boolean };
      if (!/already exists/i.test(e.message) && e.retriable !== true) throw error;
    }
  }
  await awaitTopicLeaders(admin, topics.map((t) => t.topic), readyWithinMs);
}

/**
 * Waits until every topic has a leader for each partition in the cluster metadata. On a fresh broker, topics another
 * service has just created can be listed before their partitions are hosted, and a consumer that subscribes then
 * fails with "This server does not host this topic-partition" (seen when all services start at once).
 */
export async function awaitTopicLeaders(admin: Admin, topics: string[], withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (let attempt = 1; ; attempt++) {
    try {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
      const leaderless = metadata.filter((t) => t.partitions.length === 0 || t.partitions.some((p) => p.leader < 0)).map((t) => t.name);
      if (!leaderless.length) return;
      if (Date.now() > deadline) throw new Error(`Kafka topics without a partition leader after ${withinMs} ms: ${leaderless.join(', ')}`);
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(100 * attempt, 1_000)));
  }
}

export class KafkaReadiness implements ReadinessCheck {
  readonly name = 'kafka';
  constructor(private readonly admin: Admin) {}

  async check(): Promise<void> {
    const cluster = await this.admin.describeCluster();
    if (!cluster.brokers.length) throw new Error('no brokers in cluster');
  }
}
