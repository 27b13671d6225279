import { Module, type DynamicModule } from '@nestjs/common';
import { messagingEntities } from '@relationship/messaging';
import { ServiceCoreModule } from '@relationship/service-kit/core';
import type { Registry } from 'prom-client';
import { analyticsMigrations } from '../migrations';
import { AnalyticsMetrics } from './analytics-metrics';
import { ANALYTICS_CONFIG, type AnalyticsConfig } from './config';
import { EventFeed } from './feed/event-feed';
import { ReplayService } from './feed/replay.service';
import { FiguresController } from './figures/figures.controller';
import { FiguresService } from './figures/figures.service';
import { ScopeResolver } from './figures/scope';
import { LiveController } from './live/live.controller';
import { LiveHub } from './live/live.service';
import { ServiceProbe } from './live/service-probe';
import { readModelEntities } from './read-models/entities';
import { Projector } from './read-models/projector';

export const SERVICE_NAME = 'analytics';

export const analyticsEntities = [...readModelEntities, ...messagingEntities];

@Module({})
export class AppModule {
  static register(config: AnalyticsConfig, metrics: Registry): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceCoreModule.forRoot({
          service: SERVICE_NAME,
          config,
          configToken: ANALYTICS_CONFIG,
          metrics,
          persistence: { entities: analyticsEntities, migrations: analyticsMigrations },
        }),
      ],
      // effectiveness/runs before any parameterised route; live has its own controller (SSE).
      controllers: [FiguresController, LiveController],
      providers: [AnalyticsMetrics, Projector, EventFeed, ReplayService, FiguresService, ScopeResolver, ServiceProbe, LiveHub],
    };
  }
}
