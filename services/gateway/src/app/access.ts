import {
  AccessTokenVerifier,
  bearerToken,
  InvalidTokenError,
  type AuthUser,
} from '@relationship/auth';
import { errorBody } from '@relationship/service-kit';
import type {
  FastifyReply,
  FastifyRequest,
  onRequestAsyncHookHandler,
} from 'fastify';
import type { AuthRejectionReason, GatewayMetrics } from './gateway-metrics';
import type { Limiters, RateLimitResult } from './rate-limit';
import {
  compilePolicy,
  decide,
  matchRoute,
  pathOf,
  ROUTE_POLICY,
  type RouteRule,
} from './route-policy';

const kUser = Symbol('gateway.user');
type RequestWithUser = FastifyRequest & { [kUser]?: AuthUser };

/** The caller the access hook authenticated, if any. */
export function userOf(request: FastifyRequest): AuthUser | undefined {
  return (request as RequestWithUser)[kUser];
}

export interface AccessOptions {
  verifier: AccessTokenVerifier;
  metrics: GatewayMetrics;
  /** Filled in once @fastify/rate-limit is loaded (before the first request). */
  limiters: () => Limiters | undefined;
  /** The largest declared body accepted on a path (bulk operations accept more). */
  bodyLimitFor: (path: string) => number;
  rules?: readonly RouteRule[];
}

function send(
  reply: FastifyReply,
  status: number,
  message: string,
): FastifyReply {
  return reply
    .code(status)
    .send(errorBody(status, message, String(reply.request.id)));
}

function notFound(
  request: FastifyRequest,
  reply: FastifyReply,
  path: string,
): FastifyReply {
  // the same answer as an unknown route, so a denied path reveals nothing
  return send(reply, 404, `Cannot ${request.method} ${path}`);
}

/**
 * One onRequest hook, run before the body is read and before anything is forwarded:
 * route policy (deny by default) → declared body size → token and role → rate limits.
 * The happy path costs a table walk, a cached token lookup and one Redis round trip (two on login).
 */
export function accessHook(options: AccessOptions): onRequestAsyncHookHandler {
  const policy = compilePolicy(options.rules ?? ROUTE_POLICY);
  const { verifier, metrics, bodyLimitFor } = options;

  const reject = (
    reply: FastifyReply,
    status: 401 | 403,
    reason: AuthRejectionReason,
    message: string,
  ) => {
    metrics.authRejections.inc({ reason });
    if (status === 401)
      void reply.header(
        'www-authenticate',
        reason === 'missing_token' ? 'Bearer' : 'Bearer error="invalid_token"',
      );
    return send(reply, status, message);
  };

  return async function gatewayAccess(request, reply) {
    // no route: fastify's not-found handler answers (unified 404); CORS preflights never get here
    if (request.is404) return;

    const path = pathOf(request.url);
    const rule = matchRoute(policy, request.method, path);
    if (!rule) return notFound(request, reply, path);

    const declaredLength = Number(request.headers['content-length'] ?? 0);
    const bodyLimitBytes = bodyLimitFor(path);
    if (declaredLength > bodyLimitBytes) {
      void reply.header('connection', 'close');
      return send(
        reply,
        413,
        `request body is larger than ${bodyLimitBytes} bytes`,
      );
    }

    let user: AuthUser | undefined;
    if (rule.access !== 'public') {
      const header = request.headers.authorization;
      const token = bearerToken(header);
      if (!token)
        return reject(reply, 401, 'missing_token', 'missing bearer token');
      try {
        user = verifier.verify(token);
      } catch (error) {
        if (error instanceof InvalidTokenError)
          return reject(
            reply,
            401,
            'invalid_token',
            'invalid or expired token',
          );
        throw error;
      }
      const decision = decide(rule, user.role);
      if (decision.outcome === 'forbidden') {
        return reject(
          reply,
          403,
          'forbidden_role',
          `requires role ${decision.roles.join(' or ')}`,
        );
      }
      (request as RequestWithUser)[kUser] = user;
    }

    // rate limits apply to the API, not to probes and scrapes of /health and /metrics
    const limiters = options.limiters();
    if (!limiters || !path.startsWith('/api/')) return;
    const [global, auth] = await Promise.all([
      limiters.global(request),
      rule.authRateLimit ? limiters.auth(request) : undefined,
    ]);
    const overAuth = exceeded(auth);
    if (overAuth) return tooMany(reply, overAuth, 'auth', metrics);
    const overGlobal = exceeded(global);
    if (overGlobal) return tooMany(reply, overGlobal, 'global', metrics);
    if (!global.isAllowed && global.ttl > 0) {
      void reply.headers({
        'x-ratelimit-limit': global.max,
        'x-ratelimit-remaining': global.remaining,
        'x-ratelimit-reset': global.ttlInSeconds,
      });
    }
  };
}

type Counted = Extract<RateLimitResult, { isAllowed: false }>;

function exceeded(result: RateLimitResult | undefined): Counted | undefined {
  return result && !result.isAllowed && result.isExceeded ? result : undefined;
}

function tooMany(
  reply: FastifyReply,
  result: Counted,
  limit: 'global' | 'auth',
  metrics: GatewayMetrics,
) {
  metrics.rateLimited.inc({ limit });
  const retryAfter = Math.max(1, result.ttlInSeconds);
  void reply.headers({
    'retry-after': retryAfter,
    'x-ratelimit-limit': result.max,
    'x-ratelimit-remaining': 0,
    'x-ratelimit-reset': retryAfter,
  });
  return send(reply, 429, `rate limit exceeded, retry in ${retryAfter} s`);
}
