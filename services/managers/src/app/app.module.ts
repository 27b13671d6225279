import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module, type DynamicModule } from '@nestjs/common';
import { auditEntities } from '@relationship/audit';
import { AuthModule } from '@relationship/auth';
import { KafkaReadiness, messagingEntities, MessagingModule } from '@relationship/messaging';
import { HealthModule, loggingModule, MetricsModule } from '@relationship/observability';
import { DatabaseReadiness, databaseReadinessProvider, ormOptions } from '@relationship/persistence';
import type { Registry } from 'prom-client';
import { managersMigrations } from '../migrations/Migration20261126000000_initial';
import { BranchSchema } from './branches/branch.entity';
import { BranchesService } from './branches/branches.service';
import { MANAGERS_CONFIG, type ManagersConfig } from './config';
import { DemoSeedService } from './demo/demo-seed.service';
import { ManagersCsvController } from './import/managers-csv.controller';
import { ManagersCsvService } from './import/managers-csv.service';
import { ManagerSchema } from './registry/manager.entity';
import { ManagersController } from './registry/managers.controller';
import { ManagersService } from './registry/managers.service';
import { UserEventsConsumer } from './user-events/user-events.consumer';

export const SERVICE_NAME = 'managers';

export const managersEntities = [BranchSchema, ManagerSchema, ...messagingEntities, ...auditEntities];

@Module({})
export class AppModule {
  static register(config: ManagersConfig, metrics: Registry): DynamicModule {
    return {
      module: AppModule,
      imports: [
        loggingModule({ service: SERVICE_NAME, level: config.LOG_LEVEL }),
        MetricsModule.forRoot(metrics),
        // Services fork their own EntityManager per operation, so no request-context middleware.
        MikroOrmModule.forRoot({
          ...ormOptions(config, { entities: managersEntities, migrations: managersMigrations }),
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
        AuthModule.forRoot({ secret: config.JWT_SECRET, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE }),
        HealthModule.forRoot({ providers: [databaseReadinessProvider], checks: [DatabaseReadiness, KafkaReadiness] }),
      ],
      // The CSV routes (/managers/import, /managers/export) before /managers/:id.
      controllers: [ManagersCsvController, ManagersController, UserEventsConsumer],
      providers: [{ provide: MANAGERS_CONFIG, useValue: config }, BranchesService, ManagersService, ManagersCsvService, DemoSeedService],
    };
  }
}
