import { Module, type DynamicModule } from '@nestjs/common';
import { createMetricsRegistry } from '@relationship/service-kit';
import { ServiceCoreModule } from '@relationship/service-kit/core';
import type { Registry } from 'prom-client';
import { AuditModule } from './audit/audit.module';
import { AuthenticationModule } from './auth/authentication.module';
import { IDENTITY_CONFIG, type IdentityConfig } from './config';
import { identityEntities } from './database/entities';
import { identityMigrations } from './database/orm-options';
import { DemoModule } from './demo/demo.module';
import { UsersModule } from './users/users.module';

export const SERVICE_NAME = 'identity';

@Module({})
export class AppModule {
  /** The whole service for one validated configuration; `metrics` is shared with the HTTP layer's histogram. */
  static register(config: IdentityConfig, metrics: Registry = createMetricsRegistry(SERVICE_NAME)): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceCoreModule.forRoot({
          service: SERVICE_NAME,
          config,
          configToken: IDENTITY_CONFIG,
          metrics,
          persistence: { entities: identityEntities, migrations: identityMigrations },
        }),
        AuditModule,
        UsersModule,
        AuthenticationModule,
        DemoModule,
      ],
    };
  }
}
