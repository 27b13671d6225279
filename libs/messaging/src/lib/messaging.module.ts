import { Inject, Injectable, Logger, Module, OnApplicationShutdown, OnModuleInit, type DynamicModule } from '@nestjs/common';
import { ServerKafka, type CustomStrategy, type KafkaOptions } from '@nestjs/microservices';
import { Admin, Kafka } from 'kafkajs';
import { IdempotentConsumer } from './consumer';
import { checkTopicPrefix, platformTopicSpecs } from '@relationship/contracts';
import { awaitTopics, createKafka, KafkaReadiness, kafkaLogCreator, MESSAGING_OPTIONS, type MessagingOptions } from './kafka';
import { OutboxRelay, OutboxService } from './outbox';

export const KAFKA_ADMIN = Symbol('KAFKA_ADMIN');

/**
 * Connects the shared admin client and waits for the platform topics before anything publishes or subscribes.
 * The provisioning step creates them; a service that starts first waits (bounded) instead of crashing.
 */
@Injectable()
class KafkaAdminLifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Messaging');

  constructor(
    @Inject(KAFKA_ADMIN) private readonly admin: Admin,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.admin.connect();
    await awaitTopics(this.admin, platformTopicSpecs(this.options.topicPrefix).map((t) => t.topic), {
      withinMs: this.options.topicsWaitMs ?? 60_000,
      onWaiting: (missing, waitedMs) =>
        this.logger.warn({ topics: missing, waitedMs }, `waiting for Kafka topics to be provisioned: ${missing.join(', ')}`),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.admin.disconnect();
  }
}

/** Outbox publishing, idempotent consuming, dead letters and Kafka readiness for one service. */
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingOptions): DynamicModule {
    checkTopicPrefix(options.topicPrefix ?? '', 'topicPrefix');
    return {
      module: MessagingModule,
      global: true,
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        { provide: Kafka, useFactory: () => createKafka(options) },
        { provide: KAFKA_ADMIN, useFactory: (kafka: Kafka) => kafka.admin(), inject: [Kafka] },
        { provide: KafkaReadiness, useFactory: (admin: Admin) => new KafkaReadiness(admin), inject: [KAFKA_ADMIN] },
        KafkaAdminLifecycle,
        OutboxRelay,
        OutboxService,
        IdempotentConsumer,
      ],
      exports: [MESSAGING_OPTIONS, Kafka, KAFKA_ADMIN, KafkaReadiness, OutboxService, OutboxRelay, IdempotentConsumer],
    };
  }
}

/**
 * Nest's Kafka server with every @EventPattern(topic) handler registered (so subscribed and routed) as
 * `<prefix><topic>`; handlers then see the topic on the wire in their KafkaContext (and dead letters go to its `.dlq`).
 */
class NamespacedKafkaServer extends ServerKafka {
  constructor(
    options: KafkaOptions['options'],
    private readonly prefix: string,
  ) {
    super(options ?? {});
  }

  override addHandler(pattern: unknown, callback: Parameters<ServerKafka['addHandler']>[1], isEventHandler?: boolean, extras?: Record<string, unknown>): void {
    super.addHandler(typeof pattern === 'string' ? `${this.prefix}${pattern}` : pattern, callback, isEventHandler, extras);
  }
}

/**
 * Options for `app.connectMicroservice(...)`: a Kafka consumer in the service's own group, in the topic namespace.
 * Handlers use @EventPattern(topic) and hand the message to IdempotentConsumer.
 */
export function kafkaConsumerOptions(options: Pick<MessagingOptions, 'service' | 'brokers' | 'consumerGroup' | 'topicPrefix'>): CustomStrategy {
  const kafka: KafkaOptions['options'] = {
    postfixId: '',
    client: {
      clientId: `${options.service}-consumer`,
      brokers: options.brokers,
      logCreator: kafkaLogCreator(),
      retry: { initialRetryTime: 200, retries: 8 },
    },
    consumer: {
      groupId: options.consumerGroup ?? options.service,
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
    },
    subscribe: { fromBeginning: true },
    // Hand handlers the raw bytes, so a dead letter carries exactly what arrived.
    parser: { keepBinary: true },
  };
  return { strategy: new NamespacedKafkaServer(kafka, checkTopicPrefix(options.topicPrefix ?? '', 'topicPrefix')) };
}
