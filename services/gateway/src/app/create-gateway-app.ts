import rateLimit from '@fastify/rate-limit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AccessTokenVerifier, RevokedUsers } from '@relationship/auth';
import {
  createHttpApp,
  createMetricsRegistry,
} from '@relationship/service-kit';
import { accessHook, userOf } from './access';
import type { GatewayConfig } from './config';
import { createGatewayMetrics } from './gateway-metrics';
import { GatewayModule } from './gateway.module';
import { OpenApiAggregator } from './openapi';
import { registerUpstream } from './proxy';
import { createLimiters, type Limiters } from './rate-limit';
import { createRedisClient, redisReady } from './redis';
import { isBulkPath, upstreamsOf } from './upstreams';

/** Largest request body the gateway forwards. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

const EXPOSED_HEADERS = [
  'x-request-id',
  'retry-after',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
];

/**
 * The gateway as a Nest app on fastify, not yet listening: `await (await createGatewayApp(config)).listen(...)`.
 * It owns a Redis client (closed with the app) for the rate-limit counters shared by all replicas.
 */
export async function createGatewayApp(
  config: GatewayConfig,
): Promise<NestFastifyApplication> {
  const registry = createMetricsRegistry('gateway');
  const metrics = createGatewayMetrics(registry);
  const redis = createRedisClient(config.REDIS_URL);
  const upstreams = upstreamsOf(config);
  const docs = new OpenApiAggregator(upstreams);

  let app: NestFastifyApplication;
  try {
    app = await createHttpApp(
      GatewayModule.forRoot(config, { metrics: registry, redis }),
      {
        service: 'gateway',
        title: 'Relationship API',
        description:
          'The portal API, served by the gateway. Send the access token from POST /api/auth/login as `Authorization: Bearer <token>`.',
        metrics: registry,
        bodyLimitBytes: BODY_LIMIT_BYTES,
        trustProxy: config.TRUST_PROXY,
        // the gateway names every request itself: a client's x-request-id never reaches logs or audit rows
        requestIds: 'generate',
        patchOpenApiDocument: (own) => docs.merged(own),
      },
    );
  } catch (error) {
    redis.disconnect();
    throw error;
  }

  app.enableCors({
    origin: config.CORS_ORIGINS,
    credentials: true,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: [
      'authorization',
      'content-type',
      'accept',
      'x-request-id',
      'x-correlation-id',
    ],
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  });

  const fastify = app.getHttpAdapter().getInstance();
  // deactivations and role changes that identity records, refreshed every second
  const revoked = new RevokedUsers(redis);
  const limiters: { current?: Limiters } = {};
  fastify.addHook(
    'onRequest',
    accessHook({
      verifier: new AccessTokenVerifier({
        publicKeys: config.JWT_PUBLIC_KEYS,
        issuer: config.JWT_ISSUER,
        audience: config.JWT_AUDIENCE,
        revoked,
      }),
      metrics,
      limiters: () => limiters.current,
      bodyLimitFor: (path) => (isBulkPath(upstreams, path) ? config.BULK_BODY_LIMIT_BYTES : BODY_LIMIT_BYTES),
    }),
  );

  // limiters are created through the plugin, and checked in the access hook (after authentication, so the
  // global limit can count per user); a Redis failure lets the request through (createLimiters counts it)
  await app.register(rateLimit, {
    global: false,
    redis,
    nameSpace: config.RATE_LIMIT_KEY_PREFIX,
    skipOnError: false,
  });
  limiters.current = createLimiters(fastify, {
    perMinute: config.RATE_LIMIT_PER_MINUTE,
    authPerMinute: config.AUTH_RATE_LIMIT_PER_MINUTE,
    userOf: (request) => userOf(request)?.id,
    metrics,
  });

  for (const upstream of upstreams) {
    await registerUpstream(fastify, upstream, {
      timeoutMs: config.UPSTREAM_TIMEOUT_MS,
      bodyLimitBytes: BODY_LIMIT_BYTES,
      bulk: { timeoutMs: config.BULK_TIMEOUT_MS, bodyLimitBytes: config.BULK_BODY_LIMIT_BYTES },
      metrics,
    });
  }

  fastify.addHook('onClose', async () => {
    revoked.stop();
    await redis.quit().catch(() => redis.disconnect());
  });

  // serve right away even if Redis is slow to come up: until then limits are skipped and /health/ready says why
  await redisReady(redis, 1_000);
  await revoked.start();
  return app;
}
