import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/mysql';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { KafkaContext, KafkaRetriableException } from '@nestjs/microservices';
import { ContractViolation, deadLetterTopic, parseEnvelope, type EventEnvelope } from '@relationship/contracts';
import { isDuplicateKeyError } from '@relationship/persistence';
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
      envelope = parseEnvelope(rawValue);
    } catch (error) {
      if (!(error instanceof ContractViolation)) throw error;
      await this.deadLetter(source, rawValue, error.message, 0);
      return 'dead-lettered';
    }

    for (let attempt = 1; ; attempt++) {
      try {
        await (this.orm.em.fork() as EntityManager).transactional(async (em) => {
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

  private async deadLetter(source: MessageSource, rawValue: unknown, reason: string, attempts: number): Promise<void> {
    if (!this.producer) throw new Error('consumer is not started');
    const value = Buffer.isBuffer(rawValue) || typeof rawValue === 'string' ? rawValue : JSON.stringify(rawValue);
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
