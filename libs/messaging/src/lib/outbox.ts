import { IsolationLevel, MikroORM, type EntityManager } from '@mikro-orm/core';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createEnvelope, type EventContract, type NewEvent } from '@relationship/contracts';
import { Kafka, Producer } from 'kafkajs';
import { forkEm } from '@relationship/persistence';
import { OutboxMessage } from './entities';
import { MESSAGING_OPTIONS, type MessagingOptions } from './kafka';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyContract = EventContract<string, any>;

interface PendingRow {
  id: string;
  topic: string;
  message_key: string;
  event_type: string;
  envelope: string;
}

const BATCH_SIZE = 200;
const RETENTION_DAYS = 7;

/**
 * Publishes committed outbox rows to Kafka in creation order, at least once.
 * Rows are locked with FOR UPDATE (not SKIP LOCKED): a second replica waits instead of overtaking,
 * which keeps per-entity order.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private producer?: Producer;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private lastCleanupAt = 0;

  constructor(
    private readonly orm: MikroORM,
    @Inject(Kafka) private readonly kafka: Kafka,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // At-least-once with one request in flight keeps per-key order; consumers dedupe by event id.
    this.producer = this.kafka.producer({ maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await this.producer.connect();
    this.running = true;
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.producer?.disconnect();
  }

  /** Called after enqueueing, so a committed event goes out without waiting for the next poll. */
  wakeSoon(): void {
    setTimeout(() => this.wake?.(), 5);
  }

  /** Publishes one batch; returns how many rows went out. Exposed for tests and shutdown drains. */
  async publishPending(): Promise<number> {
    const producer = this.producer;
    if (!producer) throw new Error('outbox relay is not started');
    return forkEm(this.orm).transactional(
      async (em) => {
        const rows: PendingRow[] = await em.execute(
          'select id, topic, message_key, event_type, envelope from outbox_message where published_at is null order by created_at, id limit ? for update',
          [BATCH_SIZE],
        );
        if (!rows.length) return 0;
        const byTopic = new Map<string, PendingRow[]>();
        for (const row of rows) byTopic.set(row.topic, [...(byTopic.get(row.topic) ?? []), row]);
        await producer.sendBatch({
          acks: -1,
          topicMessages: [...byTopic].map(([topic, topicRows]) => ({
            topic: `${this.options.topicPrefix ?? ''}${topic}`,
            messages: topicRows.map((row) => ({
              key: row.message_key,
              value: row.envelope,
              headers: { 'event-id': row.id, 'event-type': row.event_type },
            })),
          })),
        });
        await em.execute(`update outbox_message set published_at = ? where id in (${rows.map(() => '?').join(',')})`, [
          new Date(),
          ...rows.map((r) => r.id),
        ]);
        return rows.length;
      },
      { isolationLevel: IsolationLevel.READ_COMMITTED },
    );
  }

  private async run(): Promise<void> {
    const idleMs = this.options.pollIntervalMs ?? 50;
    let failures = 0;
    while (this.running) {
      let published = 0;
      try {
        published = await this.publishPending();
        failures = 0;
        await this.cleanUpPublished();
      } catch (error) {
        failures += 1;
        this.logger.warn({ err: error, failures }, 'outbox relay pass failed; will retry');
      }
      if (published > 0 && this.running) continue;
      const delay = failures ? Math.min(idleMs * 2 ** failures, 5_000) : idleMs;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  private async cleanUpPublished(): Promise<void> {
    if (Date.now() - this.lastCleanupAt < 3_600_000) return;
    this.lastCleanupAt = Date.now();
    await forkEm(this.orm).execute('delete from outbox_message where published_at < ? limit 10000', [
        new Date(Date.now() - RETENTION_DAYS * 86_400_000),
      ]);
  }
}

@Injectable()
export class OutboxService {
  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
  ) {}

  /**
   * Records an event in the caller's unit of work; it is published only if that transaction commits.
   * The payload is validated here, so an invalid event fails the state change instead of poisoning consumers.
   */
  enqueue<C extends AnyContract>(em: EntityManager, event: Omit<NewEvent<C>, 'source'>): OutboxMessage {
    const envelope = createEnvelope({ ...event, source: this.options.service });
    const message = em.create(OutboxMessage, {
      id: envelope.id,
      topic: event.contract.topic,
      messageKey: envelope.key,
      eventType: envelope.type,
      envelope: JSON.stringify(envelope),
      createdAt: new Date(envelope.occurredAt),
      publishedAt: null,
    });
    em.persist(message);
    this.relay.wakeSoon();
    return message;
  }
}
