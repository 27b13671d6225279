import { MikroORM } from '@mikro-orm/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { kafkaConsumerOptions } from '@relationship/messaging';
import { migrateWithLock } from '@relationship/persistence';
import { createHttpApp, createMetricsRegistry } from '@relationship/service-kit';
import { AppModule, SERVICE_NAME, WORKER_NAME, WorkerModule } from './app.module';
import type { MatchingConfig, WorkerConfig } from './config';
import { ModelRegistry } from './scoring/model-registry';

/**
 * Builds the matching API (HTTP + Kafka consumer), migrated and initialised, not yet listening or consuming:
 * main.ts starts both, tests drive it with `app.inject()`.
 */
export async function createMatchingApp(config: MatchingConfig): Promise<NestFastifyApplication> {
  const metrics = createMetricsRegistry(SERVICE_NAME);
  const app = await createHttpApp(AppModule.register(config, metrics), {
    service: SERVICE_NAME,
    title: 'Relationship matching',
    description: 'Explainable match scores, optimal capacity-constrained assignment, incremental rematch, what-if runs, manual adjustment, history',
    metrics,
  });
  try {
    // Before init: the outbox relay starts polling in onApplicationBootstrap and needs its table.
    await migrateWithLock(app.get(MikroORM));
    await app.init();
    await app.get(ModelRegistry).refresh();
    await app.getHttpAdapter().getInstance().ready();
    app.connectMicroservice(
      kafkaConsumerOptions({ service: SERVICE_NAME, brokers: config.KAFKA_BROKERS, consumerGroup: config.KAFKA_CONSUMER_GROUP }),
      { inheritAppConfig: true },
    );
    return app;
  } catch (error) {
    await app.close();
    throw error;
  }
}

/** Builds a rebalance worker: migrated (whichever process starts first migrates, under a lock), pulling jobs once init'd. */
export async function createWorkerApp(config: WorkerConfig): Promise<NestFastifyApplication> {
  const metrics = createMetricsRegistry(WORKER_NAME);
  const app = await createHttpApp(WorkerModule.register(config, metrics), {
    service: WORKER_NAME,
    title: 'Relationship matching worker',
    description: 'Rebalance and training jobs (no public API)',
    metrics,
  });
  try {
    await migrateWithLock(app.get(MikroORM));
    await app.get(ModelRegistry).refresh();
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return app;
  } catch (error) {
    await app.close();
    throw error;
  }
}
