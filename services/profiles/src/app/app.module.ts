import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { ServiceCoreModule } from '@relationship/service-kit/core';
import type { Registry } from 'prom-client';
import { profilesMigrations } from '../migrations';
import { AssignmentsModule } from './assignments/assignments.module';
import { PROFILES_CONFIG, type ProfilesConfig } from './config';
import { profilesEntities } from './database/entities';
import { ImportExportModule } from './import-export/import-export.module';
import { ManagerAccountsModule } from './manager-accounts/manager-accounts.module';
import { PortraitsModule } from './portraits/portraits.module';
import { ReferenceModule } from './reference/reference.module';
import { RulesModule } from './rules/rules.module';
import { SearchModule } from './search/search.module';
import { UserEventsModule } from './user-events/user-events.module';

export const SERVICE_NAME = 'profiles';

/**
 * The service's features. Their order carries no meaning: fastify's router ranks a literal segment (`me`, `rules`,
 * `import`, `tags`) above a parameter whatever was registered first, and every `:id` is a UUID (uuidParam).
 * routes.api.spec.ts builds the service with them reversed and checks every route still reaches its handler.
 */
export const PROFILES_FEATURES: readonly Type[] = [
  ReferenceModule,
  RulesModule,
  ManagerAccountsModule,
  SearchModule,
  PortraitsModule,
  ImportExportModule,
  AssignmentsModule,
  UserEventsModule,
];

@Module({})
export class AppModule {
  static register(config: ProfilesConfig, metrics: Registry, features: readonly Type[] = PROFILES_FEATURES): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceCoreModule.forRoot({
          service: SERVICE_NAME,
          config,
          configToken: PROFILES_CONFIG,
          metrics,
          persistence: { entities: profilesEntities, migrations: profilesMigrations },
        }),
        ...features,
      ],
    };
  }
}
