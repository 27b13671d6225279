import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createMetricsRegistry } from '@relationship/service-kit';
import { createServiceApp } from '@relationship/service-kit/core';
import type { Type } from '@nestjs/common';
import { AppModule, MANAGERS_FEATURES, SERVICE_NAME } from './app.module';
import type { ManagersConfig } from './config';
import { DemoSeedService } from './demo/demo-seed.service';
import { CSV_BODY_LIMIT_BYTES, CSV_CONTENT_TYPES } from './import/managers-csv.controller';

/**
 * Builds the managers service (HTTP + Kafka consumer), migrated, initialised and (in demo mode) seeded, not yet
 * listening or consuming: main.ts starts both, tests drive it with `app.inject()`. The demo seed runs before the
 * consumer starts, so the demo accounts' UserRegistered events find the records they link to. `features` are the
 * feature modules, in any order (a test builds them reversed).
 */
export async function createManagersApp(config: ManagersConfig, features: readonly Type[] = MANAGERS_FEATURES): Promise<NestFastifyApplication> {
  const metrics = createMetricsRegistry(SERVICE_NAME);
  return createServiceApp(AppModule.register(config, metrics, features), {
    service: SERVICE_NAME,
    title: 'Relationship managers',
    description: 'Relationship-manager registry: expertise, languages, branch, capacity, availability, performance; CSV import/export',
    metrics,
    config,
    consumes: true,
    rawBodies: { contentTypes: CSV_CONTENT_TYPES, limitBytes: CSV_BODY_LIMIT_BYTES },
    afterInit: async (app) => {
      if (config.DEMO_MODE) await app.get(DemoSeedService).seed();
    },
  });
}
