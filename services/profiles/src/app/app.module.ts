import { Module, type DynamicModule } from '@nestjs/common';
import { ServiceCoreModule } from '@relationship/service-kit/core';
import type { Registry } from 'prom-client';
import { profilesMigrations } from '../migrations';
import { AssignmentEventsConsumer } from './assignments/assignment-events.consumer';
import { AssignmentsService } from './assignments/assignments.service';
import { PROFILES_CONFIG, type ProfilesConfig } from './config';
import { profilesEntities } from './database/entities';
import { ExportService } from './import-export/export.service';
import { ImportExportController } from './import-export/import-export.controller';
import { ImportService } from './import-export/import.service';
import { ManagerEventsConsumer } from './manager-accounts/manager-events.consumer';
import { ManagerAccountsService } from './manager-accounts/manager-accounts.service';
import { PortraitStore } from './portraits/portrait-store';
import { TagBits } from './portraits/tag-bits';
import { ValueHolders } from './search/value-holders';
import { PortraitWriter } from './portraits/portrait-writer';
import { PortraitsController } from './portraits/portraits.controller';
import { PortraitsService } from './portraits/portraits.service';
import { ReferenceController } from './reference/reference.controller';
import { ReferenceService } from './reference/reference.service';
import { RulesController } from './rules/rules.controller';
import { RulesService } from './rules/rules.service';
import { SearchService } from './search/search.service';
import { UserEventsConsumer } from './user-events/user-events.consumer';

export const SERVICE_NAME = 'profiles';

@Module({})
export class AppModule {
  static register(config: ProfilesConfig, metrics: Registry): DynamicModule {
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
      ],
      // Static routes (rules, import, export, branches, tags) before the portraits controller's `:id`.
      controllers: [RulesController, ImportExportController, ReferenceController, PortraitsController, UserEventsConsumer, AssignmentEventsConsumer, ManagerEventsConsumer],
      providers: [
        PortraitStore,
        TagBits,
        ValueHolders,
        PortraitWriter,
        PortraitsService,
        ReferenceService,
        RulesService,
        SearchService,
        ImportService,
        ExportService,
        AssignmentsService,
        ManagerAccountsService,
      ],
    };
  }
}
