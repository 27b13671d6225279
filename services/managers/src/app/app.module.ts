import { Module, type DynamicModule } from '@nestjs/common';
import { auditEntities } from '@relationship/audit';
import { messagingEntities } from '@relationship/messaging';
import { ServiceCoreModule } from '@relationship/service-kit/core';
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
        ServiceCoreModule.forRoot({
          service: SERVICE_NAME,
          config,
          configToken: MANAGERS_CONFIG,
          metrics,
          persistence: { entities: managersEntities, migrations: managersMigrations },
        }),
      ],
      // The CSV routes (/managers/import, /managers/export) before /managers/:id.
      controllers: [ManagersCsvController, ManagersController, UserEventsConsumer],
      providers: [BranchesService, ManagersService, ManagersCsvService, DemoSeedService],
    };
  }
}
