import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createMetricsRegistry } from '@relationship/service-kit';
import { createServiceApp } from '@relationship/service-kit/core';
import { AppModule, SERVICE_NAME } from './app.module';
import type { AnalyticsConfig } from './config';
import { EventFeed } from './feed/event-feed';

/**
 * Builds the analytics service (HTTP API, live stream, event feed), migrated and initialised, not yet listening or
 * consuming: main.ts starts both (`startAnalytics`), tests drive it with `app.inject()`.
 */
export async function createAnalyticsApp(config: AnalyticsConfig): Promise<NestFastifyApplication> {
  const metrics = createMetricsRegistry(SERVICE_NAME);
  return createServiceApp(AppModule.register(config, metrics), {
    service: SERVICE_NAME,
    title: 'Relationship analytics',
    description: 'Event-fed read models: customer distribution, match effectiveness, workload and fairness, growth trends; live board (SSE); replay',
    metrics,
    config,
    // The feed is the service's own kafkajs consumer (a replay stops and rewinds it), not a Nest transport.
    consumes: false,
  });
}

/** Starts consuming every topic (from the group's committed offsets, or the beginning for a new group). */
export async function startFeed(app: NestFastifyApplication): Promise<void> {
  await app.get(EventFeed).start();
}
