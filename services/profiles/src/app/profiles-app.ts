import { MikroORM } from '@mikro-orm/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { kafkaConsumerOptions } from '@relationship/messaging';
import { migrateWithLock } from '@relationship/persistence';
import { createHttpApp, createMetricsRegistry } from '@relationship/service-kit';
import { AppModule, SERVICE_NAME } from './app.module';
import type { ProfilesConfig } from './config';
import { CSV_CONTENT_TYPES } from './import-export/import-export.controller';

/** Builds the profiles service (HTTP + Kafka consumer), migrated and ready to listen. */
export async function createProfilesApp(config: ProfilesConfig): Promise<NestFastifyApplication> {
  const metrics = createMetricsRegistry(SERVICE_NAME);
  const app = await createHttpApp(AppModule.register(config, metrics), {
    service: SERVICE_NAME,
    title: 'Relationship profiles',
    description: 'Customer portraits: profile, tags, needs, rules, search, CSV import/export',
    metrics,
  });
  // CSV uploads arrive as raw bytes (encoding is detected later), with their own, larger limit; JSON keeps the default.
  app
    .getHttpAdapter()
    .getInstance()
    .addContentTypeParser(CSV_CONTENT_TYPES, { parseAs: 'buffer', bodyLimit: config.IMPORT_MAX_BYTES }, (_request, body, done) => done(null, body));
  await migrateWithLock(app.get(MikroORM));
  app.connectMicroservice(kafkaConsumerOptions({ service: SERVICE_NAME, brokers: config.KAFKA_BROKERS, consumerGroup: config.KAFKA_CONSUMER_GROUP }), { inheritAppConfig: true });
  return app;
}
