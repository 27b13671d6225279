import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { auditEntities } from '@relationship/audit';
import { AuthModule } from '@relationship/auth';
import { KafkaReadiness, messagingEntities, MessagingModule } from '@relationship/messaging';
import { HealthModule, loggingModule, MetricsModule } from '@relationship/observability';
import { DatabaseReadiness, databaseReadinessProvider, ormOptions } from '@relationship/persistence';
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
import { RunsController } from './runs/runs.controller';
import { RunsService } from './runs/runs.service';
import { MatchScorer } from './scoring/match-scorer';
import { ModelRegistry } from './scoring/model-registry';
import { ScoresController } from './scoring/scores.controller';

export const SERVICE_NAME = 'matching';
export const WORKER_NAME = 'matching-worker';

/** Entities MikroORM manages; matching's own tables are reached through SQL written for their constraints. */
export const matchingEntities = [...messagingEntities, ...auditEntities];

/** What the API and the worker both run: persistence, outbox, scoring and the guarded assignment writes. */
function coreImports(name: string, config: MatchingConfig | WorkerConfig, metrics: Registry) {
  return [
    loggingModule({ service: name, level: config.LOG_LEVEL }),
    MetricsModule.forRoot(metrics),
    // Services fork their own EntityManager per operation, so no request-context middleware.
    MikroOrmModule.forRoot({
      ...ormOptions(config, { entities: matchingEntities, migrations: matchingMigrations }),
      colors: false,
      registerRequestContext: false,
    }),
    MessagingModule.forRoot({
      service: SERVICE_NAME,
      brokers: config.KAFKA_BROKERS,
      consumerGroup: config.KAFKA_CONSUMER_GROUP,
      maxAttempts: config.KAFKA_MAX_ATTEMPTS,
      topicsWaitMs: config.KAFKA_TOPICS_WAIT_S * 1000,
    }),
    HealthModule.forRoot({ providers: [databaseReadinessProvider], checks: [DatabaseReadiness, KafkaReadiness] }),
  ];
}

function coreProviders(config: MatchingConfig | WorkerConfig): Provider[] {
  return [
    { provide: MATCHING_CONFIG, useValue: config },
    MatchingMetrics,
    SnapshotStore,
    ModelRegistry,
    MatchScorer,
    AssignmentWriter,
    RematchService,
    FeedbackStore,
    RebalanceQueue,
  ];
}

/** The matching API: scores, assignments, runs, adjustments, proposals, feedback; consumes profile and manager events. */
@Module({})
export class AppModule {
  static register(config: MatchingConfig, metrics: Registry): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ...coreImports(SERVICE_NAME, config, metrics),
        AuthModule.forRoot({ secret: config.JWT_SECRET, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE }),
      ],
      controllers: [AssignmentsController, ScoresController, RunsController, LearningController, StatsController, SnapshotEventsConsumer],
      providers: [...coreProviders(config), AccessScopes, AssignmentsService, RunsService],
    };
  }
}

/** The rebalance worker: no public API (health and metrics only), pulls BullMQ jobs; scale it to N replicas. */
@Module({})
export class WorkerModule {
  static register(config: WorkerConfig, metrics: Registry): DynamicModule {
    return {
      module: WorkerModule,
      imports: coreImports(WORKER_NAME, config, metrics),
      providers: [...coreProviders(config), MoveApplier, RebalanceProcessor, ModelTrainer, RebalanceWorker],
    };
  }
}
