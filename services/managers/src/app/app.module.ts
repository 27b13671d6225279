import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { auditEntities } from '@relationship/audit';
import { messagingEntities } from '@relationship/messaging';
import { ServiceCoreModule } from '@relationship/service-kit/core';
import type { Registry } from 'prom-client';
import { managersMigrations } from '../migrations/Migration20261126000000_initial';
import { BranchSchema } from './branches/branch.entity';
import { BranchesModule } from './branches/branches.module';
import { MANAGERS_CONFIG, type ManagersConfig } from './config';
import { DemoModule } from './demo/demo.module';
import { ManagersCsvModule } from './import/managers-csv.module';
import { ManagerSchema } from './registry/manager.entity';
import { RegistryModule } from './registry/registry.module';
import { UserEventsModule } from './user-events/user-events.module';

export const SERVICE_NAME = 'managers';

export const managersEntities = [BranchSchema, ManagerSchema, ...messagingEntities, ...auditEntities];

/**
 * The service's features. Their order carries no meaning: fastify's router ranks a literal segment (`me`,
 * `branches`, `import`, `export`) above `:id` whatever was registered first, and every `:id` is a UUID (uuidParam).
 * routes.api.spec.ts builds the service with them reversed and checks every route still reaches its handler.
 */
export const MANAGERS_FEATURES: readonly Type[] = [BranchesModule, RegistryModule, ManagersCsvModule, UserEventsModule, DemoModule];

@Module({})
export class AppModule {
  static register(config: ManagersConfig, metrics: Registry, features: readonly Type[] = MANAGERS_FEATURES): DynamicModule {
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
        ...features,
      ],
    };
  }
}
