import { Inject, Injectable, Logger, Module, OnApplicationShutdown, OnModuleInit, type DynamicModule } from '@nestjs/common';
import { KafkaOptions, Transport } from '@nestjs/microservices';
import { Admin, Kafka } from 'kafkajs';
import { IdempotentConsumer } from './consumer';
import { platformTopicSpecs } from '@relationship/contracts';
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
    await awaitTopics(this.admin, platformTopicSpecs().map((t) => t.topic), {
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
 * Options for `app.connectMicroservice(...)`: a Kafka consumer in the service's own group.
 * Handlers use @EventPattern(topic) and hand the message to IdempotentConsumer.
 */
export function kafkaConsumerOptions(options: Pick<MessagingOptions, 'service' | 'brokers' | 'consumerGroup'>): KafkaOptions {
  return {
    transport: Transport.KAFKA,
    options: {
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
    },
  };
}
