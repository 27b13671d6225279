import { MikroORM } from '@mikro-orm/core';
import type { MikroORM as SqlMikroORM } from '@mikro-orm/mysql';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { migrateWithLock } from '@relationship/persistence';
import { createHttpApp, createMetricsRegistry } from '@relationship/service-kit';
import { AppModule } from './app.module';
import type { IdentityConfig } from './config';
import { DemoSeedService } from './demo/demo-seed.service';

/**
 * Builds the identity service, migrated and (in demo mode) seeded, initialised but not listening.
 * main.ts listens on it; tests drive it with `app.inject()`.
 */
export async function createIdentityApp(config: IdentityConfig): Promise<NestFastifyApplication> {
  const metrics = createMetricsRegistry('identity');
  const app = await createHttpApp(AppModule.register(config, metrics), {
    service: 'identity',
    title: 'Relationship identity',
    description: 'Accounts, roles, sign-in, refresh-token rotation and the security audit log',
    metrics,
  });
  try {
    // Before init: the outbox relay starts polling in onApplicationBootstrap and needs its table.
    await migrateWithLock(app.get(MikroORM) as SqlMikroORM);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    if (config.DEMO_MODE) await app.get(DemoSeedService).seed();
    return app;
  } catch (error) {
    await app.close();
    throw error;
  }
}
