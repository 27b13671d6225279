import type { AuthUser } from '@relationship/auth';
import type { RequestMeta } from '@relationship/service-kit';

/** Who did something and from where: copied onto audit rows and outgoing events. */
export interface AuditContext {
  actorUserId: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  correlationId: string | null;
}

export function auditContextOf(meta: RequestMeta, actor?: Pick<AuthUser, 'id'> | null): AuditContext {
  return {
    actorUserId: actor?.id ?? null,
    ip: meta.ip ?? null,
    userAgent: meta.userAgent,
    requestId: meta.requestId,
    correlationId: meta.correlationId,
  };
}

/** Actions the service takes on its own (the demo seed), not on behalf of a caller. */
export function systemAuditContext(reason: string): AuditContext {
  return { actorUserId: null, ip: null, userAgent: null, requestId: null, correlationId: `system:${reason}` };
}
