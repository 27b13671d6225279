import { Counter, Histogram, type Registry } from 'prom-client';

export type AuthRejectionReason =
  | 'missing_token'
  | 'invalid_token'
  | 'forbidden_role';

export interface GatewayMetrics {
  /** Time from dispatching to an upstream until its response headers (or the failure), by service and status. */
  upstreamDuration: Histogram<'upstream' | 'status'>;
  authRejections: Counter<'reason'>;
  rateLimited: Counter<'limit'>;
  /** Rate-limit checks skipped because Redis failed (the request was let through). */
  rateLimitSkipped: Counter;
}

export function createGatewayMetrics(registry: Registry): GatewayMetrics {
  return {
    upstreamDuration: new Histogram({
      name: 'gateway_upstream_duration_seconds',
      help: 'Latency of upstream calls until response headers, by upstream service and status (502/504 for failures)',
      labelNames: ['upstream', 'status'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    authRejections: new Counter({
      name: 'gateway_auth_rejections_total',
      help: 'Requests refused by the gateway before forwarding: 401 (missing or invalid token) and 403 (role)',
      labelNames: ['reason'],
      registers: [registry],
    }),
    rateLimited: new Counter({
      name: 'gateway_rate_limited_total',
      help: 'Requests refused with 429, by limit (global or auth)',
      labelNames: ['limit'],
      registers: [registry],
    }),
    rateLimitSkipped: new Counter({
      name: 'gateway_rate_limit_skipped_total',
      help: 'Rate-limit checks skipped because Redis did not answer (the request was let through)',
      registers: [registry],
    }),
  };
}
