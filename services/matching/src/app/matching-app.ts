import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createMetricsRegistry } from '@relationship/service-kit';
import { createServiceApp } from '@relationship/service-kit/core';
import { AppModule, SERVICE_NAME, WORKER_NAME, WorkerModule } from './app.module';
import type { MatchingConfig, WorkerConfig } from './config';
import { ModelRegistry } from './scoring/model-registry';

const loadModel = async (app: NestFastifyApplication): Promise<void> => {
  await app.get(ModelRegistry).refresh();
};

/**
 * Builds the matching API (HTTP + Kafka consumer), migrated and initialised, not yet listening or consuming:
 * main.ts starts both, tests drive it with `app.inject()`.
 */
export async function createMatchingApp(config: MatchingConfig): Promise<NestFastifyApplication> {
  const metrics = createMetricsRegistry(SERVICE_NAME);
  return createServiceApp(AppModule.register(config, metrics), {
    service: SERVICE_NAME,
    title: 'Relationship matching',
    description: 'Explainable match scores, optimal capacity-constrained assignment, incremental rematch, what-if runs, manual adjustment, history',
    metrics,
    config,
    consumes: true,
    afterInit: loadModel,
  });
}

/**
 * Builds a rebalance worker: migrated (whichever process starts first migrates, under a lock), pulling jobs once
 * initialised. The model is loaded before init, so the first job already scores with it.
 */
export async function createWorkerApp(config: WorkerConfig): Promise<NestFastifyApplication> {
  const metrics = createMetricsRegistry(WORKER_NAME);
  return createServiceApp(WorkerModule.register(config, metrics), {
    service: WORKER_NAME,
    title: 'Relationship matching worker',
    description: 'Rebalance and training jobs (no public API)',
    metrics,
    config,
    consumes: false,
    beforeInit: loadModel,
  });
}
