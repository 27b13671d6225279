import { Logger } from '@nestjs/common';
import { platformTopicSpecs, type TopicSpec } from '@relationship/contracts';
import type { ReadinessCheck } from '@relationship/observability';
import { Admin, Kafka, logLevel, type KafkaConfig, type LogEntry } from 'kafkajs';

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
  /** How long start-up waits for the provisioned topics before it fails (default 60 s). */
  topicsWaitMs?: number;
  /**
   * Namespace before every topic on the wire (default none; tests use `test.`): the relay publishes, the consumer
   * subscribes and start-up waits for `<topicPrefix><topic>`. Outbox rows keep the contract's topic name.
   */
  topicPrefix?: string;
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

/** `overrides` lets a tool (not a service) log and retry its own way. */
export function createKafka(options: Pick<MessagingOptions, 'service' | 'brokers'>, overrides: Partial<KafkaConfig> = {}): Kafka {
  // We use the default (murmur2, Java-compatible) partitioner on purpose; the notice is noise.
  process.env['KAFKAJS_NO_PARTITIONER_WARNING'] ??= '1';
  return new Kafka({
    clientId: options.service,
    brokers: options.brokers,
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(),
    retry: { initialRetryTime: 200, retries: 8 },
    ...overrides,
  });
}

/**
 * Creates the topics that do not exist yet (idempotent; several provisioners may race) and waits until each
 * partition has a leader. Only the provisioning step calls this (tools/kafka-provision): services never create
 * topics, they wait for them (awaitTopics).
 */
export async function provisionTopics(admin: Admin, topics: TopicSpec[] = platformTopicSpecs(), readyWithinMs = 30_000): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((t) => !existing.has(t.topic));
  if (missing.length) {
    try {
      await admin.createTopics({ topics: missing, waitForLeaders: true });
    } catch (error) {
      // Another provisioner created them first, or (fresh broker) the wait for leaders gave up on a not-yet-hosted
      // partition: either way the leader check below decides.
      const e = error as Error & { retriable?: boolean };
      if (!/already exists/i.test(e.message) && e.retriable !== true) throw error;
    }
  }
  // On a fresh broker, topics just created can be listed before their partitions are hosted.
  await awaitTopics(admin, topics.map((t) => t.topic), { withinMs: readyWithinMs });
  return missing.map((t) => t.topic);
}

export interface AwaitTopicsOptions {
  withinMs: number;
  /** Called about every `reportEveryMs` while topics are still missing or leaderless. */
  onWaiting?: (missing: string[], waitedMs: number) => void;
  reportEveryMs?: number;
}

/** The topics among `topics` that are missing or have a partition without a leader. */
async function unreadyTopics(admin: Admin, topics: string[]): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const absent = topics.filter((t) => !existing.has(t));
  const present = topics.filter((t) => existing.has(t));
  if (!present.length) return absent;
  const { topics: metadata } = await admin.fetchTopicMetadata({ topics: present });
  const leaderless = metadata.filter((t) => t.partitions.length === 0 || t.partitions.some((p) => p.leader < 0)).map((t) => t.name);
  return [...absent, ...leaderless];
}

/**
 * Waits, bounded, until every topic exists with a leader for each partition. A metadata error (broker still
 * starting, topic not hosted yet) is retried, never thrown at once; past `withinMs` it fails naming the topics.
 */
export async function awaitTopics(admin: Admin, topics: string[], options: AwaitTopicsOptions): Promise<void> {
  const started = Date.now();
  const reportEveryMs = options.reportEveryMs ?? 5_000;
  let lastReport = started;
  let unready = topics;
  let lastError: string | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      unready = await unreadyTopics(admin, topics);
      lastError = undefined;
      if (!unready.length) return;
    } catch (error) {
      lastError = (error as Error).message;
    }
    const waited = Date.now() - started;
    if (waited > options.withinMs) {
      throw new Error(
        `Kafka topics not ready after ${options.withinMs} ms: ${unready.join(', ')}` +
          (lastError ? ` (last error: ${lastError})` : '') +
          '. Topics are created by the provisioning step (tools/kafka-provision) before the services start.',
      );
    }
    if (options.onWaiting && Date.now() - lastReport >= reportEveryMs) {
      lastReport = Date.now();
      options.onWaiting(unready, waited);
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
