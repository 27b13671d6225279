import { MikroORM } from '@mikro-orm/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { kafkaConsumerOptions } from '@relationship/messaging';
import { migrateWithLock } from '@relationship/persistence';
import { createHttpApp, createMetricsRegistry } from '@relationship/service-kit';
import { AppModule, SERVICE_NAME } from './app.module';
import type { ManagersConfig } from './config';
import { DemoSeedService } from './demo/demo-seed.service';
import { CSV_BODY_LIMIT_BYTES, CSV_CONTENT_TYPES } from './import/managers-csv.controller';

/**
 * Builds the managers service (HTTP + Kafka consumer), migrated, initialised and (in demo mode) seeded, not yet
 * listening or consuming: main.ts starts both, tests drive it with `app.inject()`. The demo seed runs before the
 * consumer starts, so the demo accounts' UserRegistered events find the records they link to.
 */
export async function createManagersApp(config: ManagersConfig): Promise<NestFastifyApplication> {
  const metrics = createMetricsRegistry(SERVICE_NAME);
  const app = await createHttpApp(AppModule.register(config, metrics), {
    service: SERVICE_NAME,
    title: 'Relationship managers',
    description: 'Relationship-manager registry: expertise, languages, branch, capacity, availability, performance; CSV import/export',
    metrics,
  });
  try {
    // CSV uploads arrive as the raw body (up to 10 MB); JSON bodies keep the small global limit.
    app
      .getHttpAdapter()
      .getInstance()
      .addContentTypeParser(CSV_CONTENT_TYPES, { parseAs: 'buffer', bodyLimit: CSV_BODY_LIMIT_BYTES }, (_request, body, done) => done(null, body));
    // Before init: the outbox relay starts polling in onApplicationBootstrap and needs its table.
    await migrateWithLock(app.get(MikroORM));
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    if (config.DEMO_MODE) await app.get(DemoSeedService).seed();
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
