import type { AuthUser } from '@relationship/auth';
import type { Role } from '@relationship/contracts';
import type { RequestMeta } from '@relationship/service-kit';

/** Who is writing and on behalf of which request: copied onto audit rows and outgoing events. */
export interface WriteContext {
  actor: { id: string; role: Role | 'system' } | null;
  requestId: string | null;
  correlationId: string | null;
}

export function writeContextOf(user: Pick<AuthUser, 'id' | 'role'>, meta: RequestMeta): WriteContext {
  return { actor: { id: user.id, role: user.role }, requestId: meta.requestId, correlationId: meta.correlationId };
}

/** Changes the service makes on its own behalf (reacting to an event). */
export function systemContext(correlationId: string | null): WriteContext {
  return { actor: null, requestId: null, correlationId };
}
