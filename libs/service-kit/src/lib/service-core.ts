import { MikroORM } from '@mikro-orm/core';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module, type DynamicModule, type ModuleMetadata, type Provider } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AuthModule } from '@relationship/auth';
import { kafkaConsumerOptions, KafkaReadiness, MessagingModule } from '@relationship/messaging';
import { HealthModule, loggingModule, MetricsModule, type ReadinessCheck } from '@relationship/observability';
import { DatabaseReadiness, databaseReadinessProvider, migrateWithLock, ormOptions, type OrmSetup } from '@relationship/persistence';
import type { Registry } from 'prom-client';
import type { z } from 'zod';
import { createHttpApp, type HttpAppOptions } from './bootstrap';
import type { databaseEnv, httpEnv, jwtEnv, kafkaEnv } from './config';

/** The configuration every data-owning service validates (httpEnv + databaseEnv + kafkaEnv, jwtEnv unless a worker). */
export type ServiceCoreConfig = z.infer<typeof httpEnv> &
  z.infer<typeof databaseEnv> &
  z.infer<typeof kafkaEnv> &
  (z.infer<typeof jwtEnv> | { JWT_PUBLIC_KEYS?: undefined });

type Token = string | symbol | (abstract new (...args: never[]) => ReadinessCheck);

export interface ServiceCoreOptions {
  /** The process's name in logs and metrics (e.g. `matching-worker`). */
  service: string;
  /** Kafka client id, consumer group and event `source`, when it is not `service` (the worker publishes as matching). */
  messagingAs?: string;
  config: ServiceCoreConfig;
  /** The service's injection token for its validated configuration (made global). */
  configToken: string | symbol;
  metrics: Registry;
  persistence: OrmSetup;
  /** Extra readiness checks (the database is always one; Kafka never is), with the providers that make them. */
  readiness?: { providers?: Provider[]; checks: Token[] };
}

/**
 * What every data-owning service runs underneath its features: its configuration, JSON logs, Prometheus metrics,
 * MikroORM (its own schema and migrations), the outbox / idempotent consumer, JWT guards (when the configuration
 * has JWT_PUBLIC_KEYS) and /health. A service's AppModule is this plus its feature modules.
 */
@Module({})
export class ServiceCoreModule {
  static forRoot(options: ServiceCoreOptions): DynamicModule {
    const { config } = options;
    const imports: NonNullable<ModuleMetadata['imports']> = [
      loggingModule({ service: options.service, level: config.LOG_LEVEL }),
      MetricsModule.forRoot(options.metrics),
      // Services fork their own EntityManager per operation, so no request-context middleware; no ANSI colours,
      // since MikroORM's own lines (migrations) end up inside JSON logs.
      MikroOrmModule.forRoot({ ...ormOptions(config, options.persistence), colors: false, registerRequestContext: false }),
      MessagingModule.forRoot({
        service: options.messagingAs ?? options.service,
        brokers: config.KAFKA_BROKERS,
        consumerGroup: config.KAFKA_CONSUMER_GROUP,
        maxAttempts: config.KAFKA_MAX_ATTEMPTS,
        topicsWaitMs: config.KAFKA_TOPICS_WAIT_S * 1000,
        topicPrefix: config.KAFKA_TOPIC_PREFIX,
      }),
      HealthModule.forRoot({
        providers: [databaseReadinessProvider, ...(options.readiness?.providers ?? [])],
        // Kafka is not readiness: writes go to the outbox and reach Kafka once it is back (see /health/kafka).
        checks: [DatabaseReadiness, ...(options.readiness?.checks ?? [])],
        dependencies: [KafkaReadiness],
      }),
    ];
    if (config.JWT_PUBLIC_KEYS !== undefined) {
      imports.push(
        AuthModule.forRoot({ publicKeys: config.JWT_PUBLIC_KEYS, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, redisUrl: config.REDIS_URL }),
      );
    }
    return {
      module: ServiceCoreModule,
      global: true,
      imports,
      providers: [{ provide: options.configToken, useValue: config }],
      exports: [options.configToken],
    };
  }
}

export interface ServiceAppOptions extends Omit<HttpAppOptions, 'metrics'> {
  metrics: Registry;
  config: ServiceCoreConfig;
  /** Consume Kafka (the app's @EventPattern handlers) once started; false for a service that only publishes. */
  consumes: boolean;
  /** Raw-body uploads (CSV): these content types arrive as a Buffer, up to their own limit. */
  rawBodies?: { contentTypes: string[]; limitBytes: number };
  /** After the migrations, before the providers initialise (e.g. load what a job worker needs first). */
  beforeInit?: (app: NestFastifyApplication) => Promise<void>;
  /** Once initialised, before the app is handed back (e.g. the demo seed, which needs every provider). */
  afterInit?: (app: NestFastifyApplication) => Promise<void>;
}

/**
 * Builds a data-owning service: the HTTP app on fastify, migrated under the database lock, initialised, and its
 * Kafka consumer connected, not yet listening or consuming (main.ts starts both; tests use `app.inject()`).
 * A failure closes what was opened.
 */
export async function createServiceApp(module: DynamicModule, options: ServiceAppOptions): Promise<NestFastifyApplication> {
  const { config, consumes, rawBodies, beforeInit, afterInit, ...http } = options;
  const app = await createHttpApp(module, http);
  try {
    if (rawBodies) {
      app
        .getHttpAdapter()
        .getInstance()
        .addContentTypeParser(rawBodies.contentTypes, { parseAs: 'buffer', bodyLimit: rawBodies.limitBytes }, (_request, body, done) => done(null, body));
    }
    // Before init: the outbox relay starts polling in onApplicationBootstrap and needs its table.
    await migrateWithLock(app.get(MikroORM));
    if (beforeInit) await beforeInit(app);
    await app.init();
    if (afterInit) await afterInit(app);
    await app.getHttpAdapter().getInstance().ready();
    if (consumes) {
      app.connectMicroservice(kafkaConsumerOptions({
          service: options.service,
          brokers: config.KAFKA_BROKERS,
          consumerGroup: config.KAFKA_CONSUMER_GROUP,
          topicPrefix: config.KAFKA_TOPIC_PREFIX,
        }), {
        inheritAppConfig: true,
      });
    }
    return app;
  } catch (error) {
    await app.close();
    throw error;
  }
}
