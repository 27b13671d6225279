import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/mysql';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Topic, type EventEnvelope } from '@relationship/contracts';
import { IdempotentConsumer, MESSAGING_OPTIONS, type MessagingOptions } from '@relationship/messaging';
import { Kafka, type Consumer } from 'kafkajs';
import { forkEm } from '@relationship/persistence';
import { AnalyticsMetrics } from '../analytics-metrics';
import { ANALYTICS_CONFIG, type AnalyticsConfig } from '../config';
import { Projector } from '../read-models/projector';


export interface AppliedEvent {
  envelope: EventEnvelope;
  topic: string;
}

type Listener = (event: AppliedEvent) => void;

/**
 * The service's Kafka consumer: every topic from its beginning, each message through the idempotent consumer
 * (processed-event id and read-model effect in one transaction; invalid or failing messages to `<topic>.dlq`).
 * Its own kafkajs consumer rather than a Nest transport, because a replay stops it and starts it again in a new
 * consumer group (generation), which reads every topic from its beginning.
 */
@Injectable()
export class EventFeed implements OnApplicationShutdown {
  private readonly logger = new Logger(EventFeed.name);
  private consumer?: Consumer;
  /** Last offset handled per `topic:partition` since the feed started. */
  readonly positions = new Map<string, bigint>();
  private readonly listeners: Listener[] = [];
  /** Every domain topic of the contracts registry, in the service's topic namespace: analytics reads them all. */
  readonly topics: readonly string[];
  private group?: string;

  constructor(
    private readonly orm: MikroORM,
    @Inject(Kafka) private readonly kafka: Kafka,
    @Inject(MESSAGING_OPTIONS) private readonly messaging: MessagingOptions,
    @Inject(ANALYTICS_CONFIG) private readonly config: AnalyticsConfig,
    private readonly idempotent: IdempotentConsumer,
    private readonly projector: Projector,
    private readonly metrics: AnalyticsMetrics,
  ) {
    this.topics = Object.values(Topic).map((topic) => `${messaging.topicPrefix ?? ''}${topic}`);
  }

  /** Whose processed-event ids the idempotent consumer keeps (stable across generations). */
  get dedupeScope(): string {
    return this.messaging.consumerGroup ?? this.messaging.service;
  }

  /** The Kafka consumer group of the current generation (known once started). */
  get groupId(): string {
    return this.group ?? this.dedupeScope;
  }

  /** The consumer group of a generation: the configured group first, a new one after each replay. */
  groupOf(generation: number): string {
    return generation === 0 ? this.dedupeScope : `${this.dedupeScope}.g${generation}`;
  }

  get running(): boolean {
    return this.consumer !== undefined;
  }

  /** Called once per event applied (after its transaction committed), for the live stream and metrics. */
  onApplied(listener: Listener): void {
    this.listeners.push(listener);
  }

  async start(): Promise<void> {
    if (this.consumer) return;
    const [state] = await forkEm(this.orm).execute<{ generation: number }[]>('select generation from feed_state where id = 1');
    this.group = this.groupOf(state?.generation ?? 0);
    const consumer = this.kafka.consumer({ groupId: this.groupId, allowAutoTopicCreation: false, sessionTimeout: 30_000, heartbeatInterval: 3_000 });
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.topics], fromBeginning: true });
    this.positions.clear();
    await consumer.run({
      partitionsConsumedConcurrently: this.config.FEED_CONCURRENCY,
      // One transaction per fetched batch of a partition (see Projector): a replay reads thousands per batch.
      eachBatch: async ({ batch, heartbeat }) => {
        if (!batch.messages.length) return;
        const outcome = await this.idempotent.consumeBatch(
          { topic: batch.topic, partition: batch.partition },
          batch.messages.map((m) => ({ offset: m.offset, key: m.key?.toString() ?? null, value: m.value })),
          (envelopes, em) => this.projector.applyAll(envelopes, em as EntityManager),
        );
        this.positions.set(`${batch.topic}:${batch.partition}`, BigInt(batch.lastOffset()));
        this.metrics.batch(batch.topic, outcome);
        for (const envelope of outcome.processed) for (const listener of this.listeners) listener({ envelope, topic: batch.topic });
        await heartbeat();
      },
    });
    this.consumer = consumer;
    this.logger.log({ groupId: this.groupId, topics: this.topics }, 'event feed started');
  }

  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    if (consumer) await consumer.disconnect();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }
}

