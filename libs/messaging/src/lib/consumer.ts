import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/mysql';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { KafkaContext, KafkaRetriableException } from '@nestjs/microservices';
import { ContractViolation, deadLetterTopic, parseEnvelope, type EventEnvelope } from '@relationship/contracts';
import { forkEm, isDuplicateKeyError } from '@relationship/persistence';
import { Kafka, Producer } from 'kafkajs';
import { MESSAGING_OPTIONS, type MessagingOptions } from './kafka';

/** Where a message came from, for dead-letter headers. */
export interface MessageSource {
  topic: string;
  partition: number;
  offset: string;
  key?: string | null;
}

export type ConsumeOutcome = 'processed' | 'duplicate' | 'dead-lettered';
export type EventHandler = (envelope: EventEnvelope, em: EntityManager) => Promise<void>;
/** Applies several events (in order) in one transaction. */
export type BatchHandler = (envelopes: EventEnvelope[], em: EntityManager) => Promise<void>;

export interface BatchMessage {
  offset: string;
  key?: string | null;
  value: unknown;
}

export interface BatchOutcome {
  /** The events applied, in order (by the batch or one by one after a failed batch). */
  processed: EventEnvelope[];
  duplicates: number;
  deadLettered: number;
}

class AlreadyProcessed extends Error {}

const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'PROTOCOL_CONNECTION_LOST',
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_CON_COUNT_ERROR',
]);

/** Infrastructure failures are retried without limit (the message is fine); anything else counts as an attempt. */
export function isTransient(error: unknown): boolean {
  const e = error as { code?: string; name?: string; cause?: unknown };
  if (e?.code && TRANSIENT_CODES.has(e.code)) return true;
  if (e?.name === 'ConnectionException' || e?.name === 'DeadlockException' || e?.name === 'LockWaitTimeoutException') {
    return true;
  }
  return e?.cause !== undefined && e.cause !== error && isTransient(e.cause);
}

/**
 * Applies each event at most once per consumer: the processed-event row and the handler's effect commit together.
 * Invalid messages and messages that keep failing go to `<topic>.dlq` with the reason, so one poison message never
 * blocks its partition.
 */
@Injectable()
export class IdempotentConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IdempotentConsumer.name);
  private producer?: Producer;

  constructor(
    private readonly orm: MikroORM,
    @Inject(Kafka) private readonly kafka: Kafka,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.producer = this.kafka.producer({ allowAutoTopicCreation: false });
    await this.producer.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer?.disconnect();
  }

  /** The message behind a Nest `@EventPattern` handler's KafkaContext, applied once. */
  consumeContext(context: KafkaContext, handler: EventHandler): Promise<ConsumeOutcome> {
    const message = context.getMessage();
    return this.consume(
      { topic: context.getTopic(), partition: context.getPartition(), offset: message.offset, key: message.key?.toString() ?? null },
      message.value,
      handler,
    );
  }

  async consume(source: MessageSource, rawValue: unknown, handler: EventHandler): Promise<ConsumeOutcome> {
    let envelope: EventEnvelope;
    try {
      envelope = parseMessageValue(rawValue);
    } catch (error) {
      if (!(error instanceof ContractViolation)) throw error;
      await this.deadLetter(source, rawValue, error.message, 0);
      return 'dead-lettered';
    }

    for (let attempt = 1; ; attempt++) {
      try {
        await forkEm(this.orm).transactional(async (em) => {
          try {
            await em.execute(
              'insert into processed_event (consumer, event_id, topic, event_type, processed_at) values (?, ?, ?, ?, ?)',
              [this.options.consumerGroup ?? this.options.service, envelope.id, source.topic, envelope.type, new Date()],
            );
          } catch (error) {
            if (isDuplicateKeyError(error)) throw new AlreadyProcessed();
            throw error;
          }
          await handler(envelope, em);
        });
        return 'processed';
      } catch (error) {
        if (error instanceof AlreadyProcessed) return 'duplicate';
        if (isTransient(error)) {
          // Let kafkajs retry the message later instead of burning attempts on an outage.
          throw new KafkaRetriableException(`transient failure handling ${envelope.type} ${envelope.id}: ${(error as Error).message}`);
        }
        this.logger.warn({ err: error, eventId: envelope.id, type: envelope.type, attempt }, 'event handler failed');
        if (attempt >= this.options.maxAttempts) {
          await this.deadLetter(source, rawValue, `handler failed ${attempt} times: ${(error as Error).message}`, attempt);
          return 'dead-lettered';
        }
        await new Promise((r) => setTimeout(r, 100 * 2 ** (attempt - 1)));
      }
    }
  }

  /**
   * The messages of one partition (in order) applied in one transaction: each new event's processed-event row and
   * the handler's effect commit together, events already processed are skipped, invalid messages are dead-lettered.
   * If the batch fails for any reason but an outage, its events are applied one by one with `consume` (so a poison
   * event is isolated and dead-lettered after its attempts, the others still apply). A consumer whose effects are
   * cheap to group (read models, rollups) gains a transaction per batch instead of one per event.
   */
  async consumeBatch(source: { topic: string; partition: number }, messages: BatchMessage[], handler: BatchHandler): Promise<BatchOutcome> {
    const consumer = this.options.consumerGroup ?? this.options.service;
    const valid: Array<{ envelope: EventEnvelope; message: BatchMessage }> = [];
    let deadLettered = 0;
    for (const message of messages) {
      try {
        valid.push({ envelope: parseMessageValue(message.value), message });
      } catch (error) {
        if (!(error instanceof ContractViolation)) throw error;
        await this.deadLetter({ ...source, offset: message.offset, key: message.key }, message.value, error.message, 0);
        deadLettered += 1;
      }
    }
    if (!valid.length) return { processed: [], duplicates: 0, deadLettered };
    try {
      let fresh: typeof valid = [];
      await forkEm(this.orm).transactional(async (em) => {
        const ids = [...new Set(valid.map((v) => v.envelope.id))];
        const seen = new Set(
          (await em.execute<{ event_id: string }[]>(`select event_id from processed_event where consumer = ? and event_id in (${ids.map(() => '?').join(', ')})`, [consumer, ...ids])).map(
            (r) => r.event_id,
          ),
        );
        fresh = [];
        for (const v of valid) {
          // a redelivery inside the batch itself counts once too
          if (seen.has(v.envelope.id)) continue;
          seen.add(v.envelope.id);
          fresh.push(v);
        }
        if (!fresh.length) return;
        const now = new Date();
        await em.execute(
          `insert into processed_event (consumer, event_id, topic, event_type, processed_at) values ${fresh.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
          fresh.flatMap((v) => [consumer, v.envelope.id, source.topic, v.envelope.type, now]),
        );
        await handler(
          fresh.map((v) => v.envelope),
          em,
        );
      });
      return { processed: fresh.map((v) => v.envelope), duplicates: valid.length - fresh.length, deadLettered };
    } catch (error) {
      if (isTransient(error)) {
        throw new KafkaRetriableException(`transient failure handling a batch of ${valid.length} on ${source.topic}/${source.partition}: ${(error as Error).message}`);
      }
      this.logger.warn({ err: error, topic: source.topic, partition: source.partition, messages: valid.length }, 'batch failed; applying its events one by one');
      const outcome: BatchOutcome = { processed: [], duplicates: 0, deadLettered };
      for (const { envelope, message } of valid) {
        const result = await this.consume({ ...source, offset: message.offset, key: message.key }, message.value, (e, em) => handler([e], em));
        if (result === 'processed') outcome.processed.push(envelope);
        else if (result === 'duplicate') outcome.duplicates += 1;
        else outcome.deadLettered += 1;
      }
      return outcome;
    }
  }

  private async deadLetter(source: MessageSource, rawValue: unknown, reason: string, attempts: number): Promise<void> {
    if (!this.producer) throw new Error('consumer is not started');
    const value = rawValue === null || rawValue === undefined ? null : Buffer.isBuffer(rawValue) || typeof rawValue === 'string' ? rawValue : JSON.stringify(rawValue);
    this.logger.error({ topic: source.topic, partition: source.partition, offset: source.offset, reason }, 'dead-lettering message');
    await this.producer.send({
      topic: deadLetterTopic(source.topic),
      acks: -1,
      messages: [
        {
          key: source.key ?? null,
          value,
          headers: {
            'dlq-reason': reason.slice(0, 2000),
            'dlq-consumer': this.options.consumerGroup ?? this.options.service,
            'dlq-source-topic': source.topic,
            'dlq-source-partition': String(source.partition),
            'dlq-source-offset': source.offset,
            'dlq-attempts': String(attempts),
            'dlq-at': new Date().toISOString(),
          },
        },
      ],
    });
  }
}

/** A message's envelope; a message without a value (a tombstone, a producer bug) is a contract violation of its own. */
function parseMessageValue(rawValue: unknown): EventEnvelope {
  if (rawValue === null || rawValue === undefined) throw new ContractViolation('message has no value (null): an event needs its envelope');
  return parseEnvelope(rawValue);
}
