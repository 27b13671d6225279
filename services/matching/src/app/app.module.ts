import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { auditEntities } from '@relationship/audit';
import { messagingEntities } from '@relationship/messaging';
import { ServiceCoreModule } from '@relationship/service-kit/core';
import type { Registry } from 'prom-client';
import { matchingMigrations } from '../migrations/Migration20261203000000_initial';
import { AccessScopes } from './assignments/access';
import { AssignmentWriter } from './assignments/assignment-writer';
import { AssignmentsController } from './assignments/assignments.controller';
import { AssignmentsService } from './assignments/assignments.service';
import { RematchService } from './assignments/rematch.service';
import { StatsController } from './assignments/stats.controller';
import { MATCHING_CONFIG, type MatchingConfig, type WorkerConfig } from './config';
import { FeedbackStore } from './learning/feedback.store';
import { LearningController } from './learning/learning.controller';
import { ModelTrainer } from './learning/model-trainer';
import { MatchingMetrics } from './matching-metrics';
import { SnapshotEventsConsumer } from './read-models/events.consumer';
import { SnapshotStore } from './read-models/snapshot-store';
import { MoveApplier } from './runs/move-applier';
import { RebalanceProcessor } from './runs/rebalance.processor';
import { RebalanceQueue } from './runs/rebalance-queue';
import { RebalanceWorker } from './runs/rebalance.worker';
import { RunReconciler } from './runs/run-reconciler';
import { RunRecovery } from './runs/run-recovery';
import { RunsController } from './runs/runs.controller';
import { RunsService } from './runs/runs.service';
import { MatchScorer } from './scoring/match-scorer';
import { ModelRegistry } from './scoring/model-registry';
import { ScoresController } from './scoring/scores.controller';

export const SERVICE_NAME = 'matching';
export const WORKER_NAME = 'matching-worker';

/** Entities MikroORM manages; matching's own tables are reached through SQL written for their constraints. */
export const matchingEntities = [...messagingEntities, ...auditEntities];

/** The service core for the API and the worker: both publish as matching, on matching's schema. */
function core(name: string, config: MatchingConfig | WorkerConfig, metrics: Registry) {
  return ServiceCoreModule.forRoot({
    service: name,
    messagingAs: SERVICE_NAME,
    config,
    configToken: MATCHING_CONFIG,
    metrics,
    persistence: { entities: matchingEntities, migrations: matchingMigrations },
  });
}

/** What the API and the worker both run: scoring, the outbox-backed assignment writes, the queue. */
function coreProviders(): Provider[] {
  return [
    MatchingMetrics,
    SnapshotStore,
    ModelRegistry,
    MatchScorer,
    AssignmentWriter,
    RematchService,
    FeedbackStore,
    RebalanceQueue,
    RunRecovery,
  ];
}

/** The matching API: scores, assignments, runs, adjustments, proposals, feedback; consumes profile and manager events. */
@Module({})
export class AppModule {
  static register(config: MatchingConfig, metrics: Registry): DynamicModule {
    return {
      module: AppModule,
      imports: [core(SERVICE_NAME, config, metrics)],
      controllers: [AssignmentsController, ScoresController, RunsController, LearningController, StatsController, SnapshotEventsConsumer],
      providers: [...coreProviders(), AccessScopes, AssignmentsService, RunsService],
    };
  }
}

/** The rebalance worker: no public API (health and metrics only), pulls BullMQ jobs; scale it to N replicas. */
@Module({})
export class WorkerModule {
  static register(config: WorkerConfig, metrics: Registry): DynamicModule {
    return {
      module: WorkerModule,
      imports: [core(WORKER_NAME, config, metrics)],
      providers: [...coreProviders(), MoveApplier, RebalanceProcessor, ModelTrainer, RebalanceWorker, RunReconciler],
    };
  }
}
