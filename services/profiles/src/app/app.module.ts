import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module, type DynamicModule } from '@nestjs/common';
import { AuthModule } from '@relationship/auth';
import { KafkaReadiness, messagingEntities, MessagingModule } from '@relationship/messaging';
import { HealthModule, loggingModule, MetricsModule } from '@relationship/observability';
import { DatabaseReadiness, databaseReadinessProvider, ormOptions } from '@relationship/persistence';
import type { Registry } from 'prom-client';
import { profilesMigrations } from '../migrations/Migration20261125000000_initial';
import type { ProfilesConfig } from './config';
import { CustomerPortraitSchema } from './portraits/customer-portrait.entity';
import { PortraitsController } from './portraits/portraits.controller';
import { PortraitsService } from './portraits/portraits.service';
import { UserEventsConsumer } from './user-events/user-events.consumer';

export const SERVICE_NAME = 'profiles';

@Module({})
export class AppModule {
  static register(config: ProfilesConfig, metrics: Registry): DynamicModule {
    return {
      module: AppModule,
      imports: [
        loggingModule({ service: SERVICE_NAME, level: config.LOG_LEVEL }),
        MetricsModule.forRoot(metrics),
        MikroOrmModule.forRoot(
          ormOptions(config, { entities: [CustomerPortraitSchema, ...messagingEntities], migrations: profilesMigrations }),
        ),
        MessagingModule.forRoot({
          service: SERVICE_NAME,
          brokers: config.KAFKA_BROKERS,
          consumerGroup: config.KAFKA_CONSUMER_GROUP,
          maxAttempts: config.KAFKA_MAX_ATTEMPTS,
        }),
        AuthModule.forRoot({ secret: config.JWT_SECRET, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE }),
        HealthModule.forRoot({ providers: [databaseReadinessProvider], checks: [DatabaseReadiness, KafkaReadiness] }),
      ],
      controllers: [PortraitsController, UserEventsConsumer],
      providers: [
        PortraitsService,
      ],
    };
  }
}
