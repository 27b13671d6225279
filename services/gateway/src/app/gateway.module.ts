import { Module, type DynamicModule } from '@nestjs/common';
import {
  HealthModule,
  loggingModule,
  MetricsModule,
} from '@relationship/observability';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { GatewayConfig } from './config';
import { RedisReadiness } from './redis';

@Module({})
class RedisReadinessModule {
  static forRoot(redis: Redis): DynamicModule {
    return {
      module: RedisReadinessModule,
      providers: [
        { provide: RedisReadiness, useValue: new RedisReadiness(redis) },
      ],
      exports: [RedisReadiness],
    };
  }
}

/**
 * The gateway's own Nest routes are only /health/*, /metrics and /api/docs; everything else under /api is
 * forwarded by @fastify/http-proxy routes registered on the fastify instance (see createGatewayApp).
 */
@Module({})
export class GatewayModule {
  static forRoot(
    config: GatewayConfig,
    deps: { metrics: Registry; redis: Redis },
  ): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        loggingModule({ service: 'gateway', level: config.LOG_LEVEL }),
        MetricsModule.forRoot(deps.metrics),
        HealthModule.forRoot({
          imports: [RedisReadinessModule.forRoot(deps.redis)],
          checks: [RedisReadiness],
        }),
      ],
    };
  }
}
