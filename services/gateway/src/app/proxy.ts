import httpProxy from '@fastify/http-proxy';
import { errorBody, safeId, toErrorBody } from '@relationship/service-kit';
import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
} from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Transform, type TransformCallback } from 'node:stream';
import type { GatewayMetrics } from './gateway-metrics';
import type { Upstream } from './upstreams';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
const kStartedAt = Symbol('gateway.upstreamStartedAt');
const BODY_TOO_LARGE = 'FST_GATEWAY_BODY_TOO_LARGE';

type TimedRequest = FastifyRequest & { [kStartedAt]?: number };

export interface ProxyOptions {
  timeoutMs: number;
  bodyLimitBytes: number;
  /** Limits of the upstream's bulk paths (see Upstream.bulkPaths). */
  bulk?: { timeoutMs: number; bodyLimitBytes: number };
  metrics: GatewayMetrics;
}

/**
 * Forwards every route of `upstream` with @fastify/http-proxy: path unchanged, body streamed through unparsed
 * (the plugin's own content-type parsers hand the raw request stream to undici), response streamed back.
 * Authorization is forwarded as is; the service verifies the token again.
 */
export async function registerUpstream(
  fastify: FastifyInstance,
  upstream: Upstream,
  options: ProxyOptions,
): Promise<void> {
  const routes = upstream.prefixes.flatMap((p) => {
    const relative = p.slice('/api'.length);
    return [relative, `${relative}/*`];
  });
  await registerProxy(fastify, upstream, routes, options);
  // Exact bulk paths win over the prefix wildcard in the router, so only they get the bulk limits.
  if (upstream.bulkPaths?.length && options.bulk) {
    const bulkRoutes = upstream.bulkPaths.map((p) => p.slice('/api'.length));
    await registerProxy(fastify, upstream, bulkRoutes, { ...options, ...options.bulk });
  }
}

async function registerProxy(
  fastify: FastifyInstance,
  upstream: Upstream,
  routes: string[],
  options: ProxyOptions,
): Promise<void> {
  const { metrics, timeoutMs } = options;

  const fail = (reply: FastifyReply, status: number, message: string) => {
    const request = reply.request as TimedRequest;
    const startedAt = request[kStartedAt];
    if (startedAt !== undefined) {
      metrics.upstreamDuration.observe(
        { upstream: upstream.name, status: String(status) },
        (performance.now() - startedAt) / 1000,
      );
    }
    if (status >= 500)
      request.log.warn({ upstream: upstream.name, status }, message);
    void reply
      .code(status)
      .header('content-type', 'application/json; charset=utf-8')
      .send(errorBody(status, message, String(request.id)));
  };

  // Nest's error handler covers its own routes and the root; the proxy routes get the unified body here
  await fastify.register(async (scope) => {
    scope.setErrorHandler(unifiedErrors);
    await scope.register(httpProxy, {
      upstream: upstream.url,
      prefix: '/api',
      rewritePrefix: '/api',
      routes,
      httpMethods: METHODS,
      // one undici pool per upstream, keep-alive; the timeouts make a dead upstream a 504, never a hang
      undici: {
        connections: 128,
        pipelining: 1,
        headersTimeout: timeoutMs,
        bodyTimeout: upstream.streaming ? 0 : timeoutMs,
        connect: { timeout: Math.min(timeoutMs, 5_000) },
      },
      disableRequestLogging: true,
      preHandler: (request, _reply, done) => {
        limitUnsizedBody(request, options.bodyLimitBytes);
        done();
      },
      replyOptions: {
        // no retries: the plugin would otherwise retry a GET answered with 503 up to 10 times
        retryDelay: () => null,
        rewriteRequestHeaders: (request, headers) => {
          (request as TimedRequest)[kStartedAt] = performance.now();
          return forwardedHeaders(request, headers);
        },
        onResponse: (request, reply, res) => {
          const startedAt = (request as TimedRequest)[kStartedAt];
          if (startedAt !== undefined) {
            metrics.upstreamDuration.observe(
              { upstream: upstream.name, status: String(res.statusCode) },
              (performance.now() - startedAt) / 1000,
            );
          }
          void reply.send(res.stream);
        },
        onError: (reply, { error }) => {
          const failure = classify(error);
          if (failure === 'too-large') {
            void reply.header('connection', 'close');
            fail(
              reply as FastifyReply,
              413,
              `request body is larger than ${options.bodyLimitBytes} bytes`,
            );
          } else if (failure === 'timeout') {
            fail(
              reply as FastifyReply,
              504,
              `${upstream.name} service did not answer in time`,
            );
          } else {
            fail(
              reply as FastifyReply,
              502,
              `${upstream.name} service unavailable`,
            );
          }
        },
      },
    });
  });
}

/** Errors raised on a proxy route (a refused path, a failing hook) answered with the unified body. */
function unifiedErrors(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const body = toErrorBody(error, String(request.id));
  if (body.statusCode >= 500)
    request.log.error({ err: error }, 'gateway error');
  void reply.code(body.statusCode).send(body);
}

/** The headers sent upstream: the client's (authorization included), plus who asked and under which ids. */
export function forwardedHeaders(
  request: Pick<FastifyRequest, 'id' | 'ip' | 'protocol' | 'host'>,
  headers: IncomingHttpHeaders,
): IncomingHttpHeaders {
  const requestId = String(request.id);
  headers['x-request-id'] = requestId;
  headers['x-correlation-id'] =
    safeId(headers['x-correlation-id']) ?? requestId;
  // the gateway decides the client address (TRUST_PROXY); services trust the gateway's word for it
  headers['x-forwarded-for'] = request.ip;
  headers['x-forwarded-proto'] = request.protocol;
  if (request.host) headers['x-forwarded-host'] = request.host;
  return headers;
}

type Failure = 'timeout' | 'too-large' | 'unavailable';

function classify(error: unknown): Failure {
  const chain: Array<{
    code?: unknown;
    statusCode?: unknown;
    cause?: unknown;
  }> = [];
  for (
    let e = error as { cause?: unknown } | undefined, depth = 0;
    e && depth < 5;
    e = e.cause as typeof e, depth++
  )
    chain.push(e);
  if (chain.some((e) => e.code === BODY_TOO_LARGE)) return 'too-large';
  const timeoutCodes = [
    'FST_REPLY_FROM_GATEWAY_TIMEOUT',
    'FST_REPLY_FROM_TIMEOUT',
    'UND_ERR_CONNECT_TIMEOUT',
    'UND_ERR_HEADERS_TIMEOUT',
    'UND_ERR_BODY_TIMEOUT',
  ];
  if (
    chain.some(
      (e) => timeoutCodes.includes(String(e.code)) || e.statusCode === 504,
    )
  )
    return 'timeout';
  return 'unavailable';
}

/**
 * A body with a Content-Length over the limit is refused before it is read (see the access hook); one sent
 * without a length (chunked) is counted on its way through and cut off when it passes the limit.
 */
function limitUnsizedBody(request: FastifyRequest, limit: number): void {
  const body = request.body as NodeJS.ReadableStream | undefined;
  if (
    !body ||
    typeof body.pipe !== 'function' ||
    request.headers['content-length'] !== undefined
  )
    return;
  let seen = 0;
  const counter = new Transform({
    transform(
      chunk: Buffer,
      _encoding: BufferEncoding,
      callback: TransformCallback,
    ) {
      seen += chunk.length;
      if (seen > limit) {
        callback(
          Object.assign(
            new Error(`request body is larger than ${limit} bytes`),
            { code: BODY_TOO_LARGE, statusCode: 413 },
          ),
        );
        return;
      }
      callback(null, chunk);
    },
  });
  body.on('error', (error) => counter.destroy(error));
  request.body = body.pipe(counter);
}
