import { Inject, Injectable, Module, OnApplicationShutdown, OnModuleInit, type DynamicModule } from '@nestjs/common';
import { KafkaOptions, Transport } from '@nestjs/microservices';
import { Admin, Kafka } from 'kafkajs';
import { IdempotentConsumer } from './consumer';
import { createKafka, ensureTopics, KafkaReadiness, kafkaLogCreator, MESSAGING_OPTIONS, type MessagingOptions } from './kafka';
import { OutboxRelay, OutboxService } from './outbox';

export const KAFKA_ADMIN = Symbol('KAFKA_ADMIN');

/** Connects the shared admin client and makes sure the platform topics exist before anything publishes. */
@Injectable()
class KafkaAdminLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(KAFKA_ADMIN) private readonly admin: Admin) {}

  async onModuleInit(): Promise<void> {
    await this.admin.connect();
    await ensureTopics(this.admin);
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
