import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createMetricsRegistry } from '@relationship/service-kit';
import { createServiceApp } from '@relationship/service-kit/core';
import { AppModule, SERVICE_NAME } from './app.module';
import type { ProfilesConfig } from './config';
import { CSV_CONTENT_TYPES } from './import-export/import-export.controller';

/** Builds the profiles service (HTTP + Kafka consumer), migrated and initialised, not yet listening or consuming. */
export async function createProfilesApp(config: ProfilesConfig): Promise<NestFastifyApplication> {
  const metrics = createMetricsRegistry(SERVICE_NAME);
  return createServiceApp(AppModule.register(config, metrics), {
    service: SERVICE_NAME,
    title: 'Relationship profiles',
    description: 'Customer portraits: profile, tags, needs, rules, search, CSV import/export',
    metrics,
    config,
    consumes: true,
    // CSV uploads arrive as raw bytes (encoding is detected later), with their own, larger limit; JSON keeps the default.
    rawBodies: { contentTypes: CSV_CONTENT_TYPES, limitBytes: config.IMPORT_MAX_BYTES },
  });
}
