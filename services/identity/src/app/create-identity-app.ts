import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createMetricsRegistry } from '@relationship/service-kit';
import { createServiceApp } from '@relationship/service-kit/core';
import { AppModule, SERVICE_NAME } from './app.module';
import type { IdentityConfig } from './config';
import { DemoSeedService } from './demo/demo-seed.service';

/**
 * Builds the identity service, migrated and (in demo mode) seeded, initialised but not listening.
 * main.ts listens on it; tests drive it with `app.inject()`. identity publishes events but consumes none.
 */
export async function createIdentityApp(config: IdentityConfig): Promise<NestFastifyApplication> {
  const metrics = createMetricsRegistry(SERVICE_NAME);
  return createServiceApp(AppModule.register(config, metrics), {
    service: SERVICE_NAME,
    title: 'Relationship identity',
    description: 'Accounts, roles, sign-in, refresh-token rotation and the security audit log',
    metrics,
    config,
    consumes: false,
    afterInit: async (app) => {
      if (config.DEMO_MODE) await app.get(DemoSeedService).seed();
    },
  });
}
