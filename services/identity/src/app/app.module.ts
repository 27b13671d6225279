import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module, type DynamicModule } from '@nestjs/common';
import { AuthModule } from '@relationship/auth';
import { KafkaReadiness, MessagingModule } from '@relationship/messaging';
import { createMetricsRegistry, HealthModule, loggingModule, MetricsModule } from '@relationship/observability';
import { DatabaseReadiness } from '@relationship/persistence';
import type { Registry } from 'prom-client';
import { AuditModule } from './audit/audit.module';
import { AuthenticationModule } from './auth/authentication.module';
import { IDENTITY_CONFIG, type IdentityConfig } from './config';
import { identityOrmOptions } from './database/orm-options';
import { DemoModule } from './demo/demo.module';
import { DatabaseHealthModule } from './health/database-health.module';
import { UsersModule } from './users/users.module';

/** Makes the validated configuration injectable everywhere. */
@Module({})
class IdentityConfigModule {
  static register(config: IdentityConfig): DynamicModule {
    return {
      module: IdentityConfigModule,
      global: true,
      providers: [{ provide: IDENTITY_CONFIG, useValue: config }],
      exports: [IDENTITY_CONFIG],
    };
  }
}

@Module({})
export class AppModule {
  /** The whole service for one validated configuration; `metrics` is shared with the HTTP layer's histogram. */
  static register(config: IdentityConfig, metrics: Registry = createMetricsRegistry('identity')): DynamicModule {
    return {
      module: AppModule,
      imports: [
        IdentityConfigModule.register(config),
        loggingModule({ service: 'identity', level: config.LOG_LEVEL }),
        MetricsModule.forRoot(metrics),
        // Services fork their own EntityManager per operation, so no request-context middleware.
        MikroOrmModule.forRoot({ ...identityOrmOptions(config), registerRequestContext: false }),
        MessagingModule.forRoot({ service: 'identity', brokers: config.KAFKA_BROKERS, maxAttempts: config.KAFKA_MAX_ATTEMPTS, topicsWaitMs: config.KAFKA_TOPICS_WAIT_S * 1000 }),
        AuthModule.forRoot({ secret: config.JWT_SECRET, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE }),
        HealthModule.forRoot({ imports: [DatabaseHealthModule], checks: [DatabaseReadiness, KafkaReadiness] }),
        AuditModule,
        UsersModule,
        AuthenticationModule,
        DemoModule,
      ],
    };
  }
}
