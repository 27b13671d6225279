/** The caller as the auth guard sees it (structural, so service-kit need not depend on auth). */
interface Caller {
  id: string;
  role: string;
}
import type { RequestMeta } from './request-meta';

/** Who makes a change and from which request: copied onto audit rows and outgoing events. */
export interface WriteContext {
  actor: { id: string; role: string } | null;
  requestId: string | null;
  correlationId: string | null;
  reason?: string | null;
}

export function writeContextOf(meta: RequestMeta, user: Caller, reason?: string | null): WriteContext {
  return { actor: { id: user.id, role: user.role }, requestId: meta.requestId, correlationId: meta.correlationId, reason: reason ?? null };
}

/** Changes the service makes on its own (demo seed, account links from events), not on behalf of a caller. */
export function systemContext(what: string, correlationId: string | null = null): WriteContext {
  return { actor: null, requestId: null, correlationId: correlationId ?? `system:${what}`, reason: what };
}
