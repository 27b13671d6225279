import type { Role } from '@relationship/contracts';

/**
 * Who may call what through the gateway: one table, first match wins, anything not listed is denied.
 * The gateway checks the role; the owning service checks ownership again (authorization twice).
 * Pure: no I/O, no framework, so it is unit-tested on its own.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** `public`: no token; `authenticated`: any valid token; a role list: a valid token with one of these roles. */
export type Access = 'public' | 'authenticated' | readonly Role[];

export interface RouteRule {
  /** HEAD is checked as GET; OPTIONS is never listed (CORS preflights are answered before the policy). */
  readonly methods: readonly HttpMethod[];
  /**
   * `/a/b` exactly that path; `/a/**` `/a` and everything below it (segment boundary);
   * `/a*` every path starting with `/a` (for `/api/docs`, `/api/docs-json`, `/api/docs/swagger-ui.css`).
   */
  readonly path: string;
  readonly access: Access;
  /** Also counted against the stricter per-IP limit for credential endpoints. */
  readonly authRateLimit?: boolean;
}

const READ: readonly HttpMethod[] = ['GET'];
const WRITE: readonly HttpMethod[] = ['POST', 'PUT', 'PATCH', 'DELETE'];
const ANY: readonly HttpMethod[] = [...READ, ...WRITE];
const STAFF: readonly Role[] = ['manager', 'admin'];
const ADMIN: readonly Role[] = ['admin'];
const CUSTOMER: readonly Role[] = ['customer'];

export const ROUTE_POLICY: readonly RouteRule[] = [
  // credentials: public, and limited per client IP on top of the global limit
  {
    methods: ['POST'],
    path: '/api/auth/register',
    access: 'public',
    authRateLimit: true,
  },
  {
    methods: ['POST'],
    path: '/api/auth/login',
    access: 'public',
    authRateLimit: true,
  },
  {
    methods: ['POST'],
    path: '/api/auth/refresh',
    access: 'public',
    authRateLimit: true,
  },
  { methods: ['POST'], path: '/api/auth/logout', access: 'public' },
  { methods: READ, path: '/api/auth/me', access: 'authenticated' },

  // the gateway's own endpoints
  { methods: READ, path: '/api/docs*', access: 'public' },
  { methods: READ, path: '/health/**', access: 'public' },
  { methods: READ, path: '/metrics', access: 'public' },

  // identity administration
  { methods: ANY, path: '/api/users/**', access: ADMIN },
  { methods: ANY, path: '/api/audit/**', access: ADMIN },

  // portraits: a customer only their own; staff the rest (profiles narrows a manager to their own book)
  { methods: ['GET', 'PATCH'], path: '/api/profiles/me', access: CUSTOMER },
  // the questionnaire a customer answers (and staff read): any signed-in caller
  { methods: READ, path: '/api/profiles/risk-questionnaire', access: 'authenticated' },
  { methods: ANY, path: '/api/profiles/**', access: STAFF },

  { methods: READ, path: '/api/managers/**', access: STAFF },
  { methods: WRITE, path: '/api/managers/**', access: ADMIN },

  // a customer's own manager and history (matching scopes the history to the caller); a manager answers proposals
  { methods: READ, path: '/api/matching/me/assignment', access: CUSTOMER },
  { methods: READ, path: '/api/matching/history', access: 'authenticated' },
  { methods: ['POST'], path: '/api/matching/proposals/**', access: STAFF },
  { methods: READ, path: '/api/matching/**', access: STAFF },
  { methods: WRITE, path: '/api/matching/**', access: ADMIN },

  { methods: READ, path: '/api/analytics/**', access: STAFF },
  { methods: WRITE, path: '/api/analytics/**', access: ADMIN },
];

export interface CompiledRule extends RouteRule {
  readonly test: (path: string) => boolean;
}

function compilePath(pattern: string): (path: string) => boolean {
  if (pattern.endsWith('/**')) {
    const base = pattern.slice(0, -3);
    const below = `${base}/`;
    return (path) => path === base || path.startsWith(below);
  }
  if (pattern.endsWith('*')) {
    const prefix = pattern.slice(0, -1);
    return (path) => path.startsWith(prefix);
  }
  return (path) => path === pattern;
}

export function compilePolicy(
  rules: readonly RouteRule[] = ROUTE_POLICY,
): readonly CompiledRule[] {
  return rules.map((rule) => ({ ...rule, test: compilePath(rule.path) }));
}

/** The path of a request target, without query string or fragment. */
export function pathOf(url: string): string {
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

/** The first rule matching the method and path (the raw path, as sent: never decoded or normalised), or undefined: deny. */
export function matchRoute(
  policy: readonly CompiledRule[],
  method: string,
  path: string,
): CompiledRule | undefined {
  const m = method === 'HEAD' ? 'GET' : method;
  for (const rule of policy) {
    if ((rule.methods as readonly string[]).includes(m) && rule.test(path))
      return rule;
  }
  return undefined;
}

export type Decision =
  | { readonly outcome: 'allow' }
  | { readonly outcome: 'not-found' }
  | { readonly outcome: 'unauthenticated' }
  | { readonly outcome: 'forbidden'; readonly roles: readonly Role[] };

/** What to do for a caller whose role is `role` (undefined: no valid token) on a matched rule (undefined: none). */
export function decide(
  rule: RouteRule | undefined,
  role: Role | undefined,
): Decision {
  if (!rule) return { outcome: 'not-found' };
  if (rule.access === 'public') return { outcome: 'allow' };
  if (role === undefined) return { outcome: 'unauthenticated' };
  if (rule.access === 'authenticated' || rule.access.includes(role))
    return { outcome: 'allow' };
  return { outcome: 'forbidden', roles: rule.access };
}
