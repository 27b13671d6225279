import { INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { createMetricsRegistry, httpDurationHistogram } from '@relationship/observability';
import { Logger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Registry } from 'prom-client';
import { HttpErrorFilter } from './errors';
import { safeId } from './request-meta';
import { strictValidationPipe } from './validation';

export interface HttpAppOptions {
  service: string;
  title: string;
  description: string;
  metrics: Registry;
  /** Largest accepted request body; bigger bodies get a 413. */
  bodyLimitBytes?: number;
  /**
   * Whose X-Forwarded-For to believe (fastify `trustProxy`). Default `true`: a service only sits behind the
   * gateway. The gateway, which faces clients, narrows it so a client cannot choose its own address.
   */
  trustProxy?: TrustProxy;
  /**
   * `reuse` (default): a well-formed x-request-id from the gateway names the request. `generate`: always a new one,
   * for the gateway, which faces clients: a client never chooses the id written into logs and audit rows.
   */
  requestIds?: 'reuse' | 'generate';
  /** Rewrites the OpenAPI document on every request to /api/docs(-json); the gateway merges its upstreams' documents here. */
  patchOpenApiDocument?: (document: OpenAPIObject) => OpenAPIObject | Promise<OpenAPIObject>;
}

/** fastify's `trustProxy`: all, a hop count, or addresses / CIDRs / proxy-addr names (`loopback`, `uniquelocal`...). */
export type TrustProxy = boolean | number | string | string[];

/** Paths served outside the `/api` prefix. */
export const UNPREFIXED_PATHS = ['health/live', 'health/ready', 'health/:check', 'metrics', '.well-known/jwks.json'];

/** Reuses a well-formed x-request-id from the gateway, else makes one; pino reads the same header. */
function requestIdOf(raw: IncomingMessage): string {
  const id = safeId(raw.headers['x-request-id']) ?? randomUUID();
  raw.headers['x-request-id'] = id;
  return id;
}

function newRequestId(raw: IncomingMessage): string {
  const id = randomUUID();
  raw.headers['x-request-id'] = id;
  return id;
}

export function createFastifyAdapter(bodyLimitBytes = 256 * 1024, trustProxy: TrustProxy = true, requestIds: 'reuse' | 'generate' = 'reuse'): FastifyAdapter {
  return new FastifyAdapter({ bodyLimit: bodyLimitBytes, trustProxy, genReqId: requestIds === 'generate' ? newRequestId : requestIdOf });
}

/** A NestJS app on fastify with our logging, errors, validation, metrics and OpenAPI at /api/docs. */
export async function createHttpApp(module: Type<unknown> | ReturnType<typeof Object>, options: HttpAppOptions): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(module as Type<unknown>, createFastifyAdapter(options.bodyLimitBytes, options.trustProxy, options.requestIds), {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix('api', { exclude: UNPREFIXED_PATHS });
  app.useGlobalFilters(new HttpErrorFilter());
  app.useGlobalPipes(strictValidationPipe());
  app.enableShutdownHooks();

  const fastify = app.getHttpAdapter().getInstance();
  const histogram = httpDurationHistogram(options.metrics);
  fastify.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  fastify.addHook('onResponse', async (request, reply) => {
    histogram.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  setUpOpenApi(app, options);
  return app;
}

export function setUpOpenApi(app: INestApplication, options: Pick<HttpAppOptions, 'title' | 'description' | 'patchOpenApiDocument'>): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle(options.title).setDescription(options.description).setVersion('1').addBearerAuth().build(),
  );
  const patch = options.patchOpenApiDocument;
  SwaggerModule.setup('api/docs', app, document, {
    jsonDocumentUrl: 'api/docs-json',
    ...(patch && { patchDocumentOnRequest: (_req: unknown, _res: unknown, doc: OpenAPIObject) => patch(doc) }),
  });
}

export { createMetricsRegistry };
