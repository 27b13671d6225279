import type { GatewayConfig } from './config';

export interface Upstream {
  /** Service name, as used in error messages, metrics and the merged OpenAPI document. */
  readonly name:
    | 'identity'
    | 'profiles'
    | 'managers'
    | 'matching'
    | 'analytics';
  readonly url: string;
  /** Path prefixes forwarded to this service, unchanged (services serve under /api too). */
  readonly prefixes: readonly string[];
  /** Long-lived responses (server-sent events): no timeout between body chunks. */
  readonly streaming?: boolean;
  /**
   * Exact paths of bulk operations (CSV import/export, apply-all): they get BULK_BODY_LIMIT_BYTES and
   * BULK_TIMEOUT_MS instead of the interactive limits, and nothing else does.
   */
  readonly bulkPaths?: readonly string[];
}

/** The services configured in this deployment; an optional service without a URL gets no routes. */
export function upstreamsOf(config: GatewayConfig): Upstream[] {
  const all: Array<Omit<Upstream, 'url'> & { url: string | undefined }> = [
    {
      name: 'identity',
      url: config.IDENTITY_URL,
      prefixes: ['/api/auth', '/api/users', '/api/audit'],
    },
    {
      name: 'profiles',
      url: config.PROFILES_URL,
      prefixes: ['/api/profiles'],
      bulkPaths: ['/api/profiles/import', '/api/profiles/export', '/api/profiles/rules/apply'],
    },
    {
      name: 'managers',
      url: config.MANAGERS_URL,
      prefixes: ['/api/managers'],
      bulkPaths: ['/api/managers/import', '/api/managers/export'],
    },
    { name: 'matching', url: config.MATCHING_URL, prefixes: ['/api/matching'] },
    {
      name: 'analytics',
      url: config.ANALYTICS_URL,
      prefixes: ['/api/analytics'],
      streaming: true,
    },
  ];
  return all.filter((u): u is Upstream => u.url !== undefined);
}

/** Whether `path` is one this upstream is sent (the prefix itself or anything below it). */
export function servesPath(upstream: Upstream, path: string): boolean {
  return upstream.prefixes.some((p) => path === p || path.startsWith(`${p}/`));
}

/** Whether `path` is a bulk operation of any upstream. */
export function isBulkPath(upstreams: readonly Upstream[], path: string): boolean {
  return upstreams.some((u) => u.bulkPaths?.includes(path));
}
