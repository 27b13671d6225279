import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createMetricsRegistry } from '@relationship/service-kit';
import { createServiceApp } from '@relationship/service-kit/core';
import type { Type } from '@nestjs/common';
import { AppModule, PROFILES_FEATURES, SERVICE_NAME } from './app.module';
import type { ProfilesConfig } from './config';
import { CSV_CONTENT_TYPES } from './import-export/import-export.controller';

/**
 * Builds the profiles service (HTTP + Kafka consumer), migrated and initialised, not yet listening or consuming.
 * `features` are the feature modules, in any order (a test builds them reversed).
 */
export async function createProfilesApp(config: ProfilesConfig, features: readonly Type[] = PROFILES_FEATURES): Promise<NestFastifyApplication> {
  const metrics = createMetricsRegistry(SERVICE_NAME);
  return createServiceApp(AppModule.register(config, metrics, features), {
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
