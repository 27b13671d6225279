import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

export interface RequestMeta {
  requestId: string;
  correlationId: string;
  ip: string;
  userAgent: string | null;
}

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function safeId(value: unknown): string | undefined {
  return typeof value === 'string' && SAFE_ID.test(value) ? value : undefined;
}

export function requestMetaOf(request: FastifyRequest): RequestMeta {
  const requestId = String(request.id);
  return {
    requestId,
    correlationId: safeId(request.headers['x-correlation-id']) ?? requestId,
    ip: request.ip,
    userAgent: request.headers['user-agent']?.slice(0, 256) ?? null,
  };
}

/** Request id, correlation id and caller address, for audit rows and outgoing events. */
export const ReqMeta = createParamDecorator((_: unknown, ctx: ExecutionContext): RequestMeta =>
  requestMetaOf(ctx.switchToHttp().getRequest<FastifyRequest>()),
);
