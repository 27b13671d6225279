import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';

/** The one error body every service and the gateway return. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  requestId: string;
}

export function errorBody(statusCode: number, message: string, requestId: string): ErrorBody {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message, requestId };
}

function messageOf(response: unknown, fallback: string): string {
  if (typeof response === 'string') return response;
  if (response && typeof response === 'object' && 'message' in response) {
    const message = (response as { message: unknown }).message;
    if (Array.isArray(message)) return message.join('; ');
    if (typeof message === 'string') return message;
  }
  return fallback;
}

/** Seconds a client is asked to wait (Retry-After) when a dependency is out: about a reconnect, not a restart. */
export const RETRY_AFTER_SECONDS = 5;

const OUTAGE_NAMES = new Set(['ConnectionException', 'DeadlockException', 'LockWaitTimeoutException']);
const OUTAGE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'PROTOCOL_CONNECTION_LOST', 'ER_SERVER_SHUTDOWN', 'ER_CON_COUNT_ERROR']);
// MariaDB/MySQL client errors: can't connect (2002, 2003), server gone (2006, 2013), shutdown (1053), too many connections (1040).
const OUTAGE_ERRNOS = new Set([2002, 2003, 2006, 2013, 1053, 1040]);
const OUTAGE_MESSAGE = /Timeout acquiring a connection|pool is probably full|Connection lost|connect ECONNREFUSED|Pool is closed|connection is closed/i;

/**
 * A dependency of the request is out (the database unreachable, its connection lost, the pool exhausted, a lock
 * contention that outlasted its retries): nothing is wrong with the request, and the same request may work shortly.
 */
export function isOutageError(error: unknown, depth = 0): boolean {
  const e = error as { name?: string; code?: string; errno?: number; message?: string; cause?: unknown };
  if (!e || typeof e !== 'object' || depth > 5) return false;
  return (
    OUTAGE_NAMES.has(e.name ?? '') ||
    OUTAGE_CODES.has(e.code ?? '') ||
    OUTAGE_ERRNOS.has(e.errno ?? 0) ||
    OUTAGE_MESSAGE.test(e.message ?? '') ||
    (e.cause !== undefined && e.cause !== error && isOutageError(e.cause, depth + 1))
  );
}

/**
 * Maps any thrown value to an ErrorBody. Client errors keep their message; an outage is a 503 (the filter adds
 * Retry-After); anything else is a 500. Neither leaks the underlying error.
 */
export function toErrorBody(exception: unknown, requestId: string): ErrorBody {
  if (exception instanceof HttpException) {
    return errorBody(exception.getStatus(), messageOf(exception.getResponse(), exception.message), requestId);
  }
  // Fastify's own errors (malformed JSON, body too large, wrong content type) carry a 4xx statusCode.
  const statusCode = (exception as { statusCode?: unknown })?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return errorBody(statusCode, (exception as Error).message, requestId);
  }
  if (isOutageError(exception)) {
    return errorBody(HttpStatus.SERVICE_UNAVAILABLE, `temporarily unavailable; retry in ${RETRY_AFTER_SECONDS} s`, requestId);
  }
  return errorBody(HttpStatus.INTERNAL_SERVER_ERROR, 'Internal server error', requestId);
}

@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const ctx = host.switchToHttp();
    const request = ctx.getRequest<FastifyRequest>();
    const reply = ctx.getResponse<FastifyReply>();
    const body = toErrorBody(exception, String(request.id));
    if (body.statusCode === HttpStatus.SERVICE_UNAVAILABLE) {
      // An outage or a failed readiness probe: one line without a stack (health logs each state change once).
      void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
      if (!(exception instanceof HttpException)) this.logger.warn({ requestId: body.requestId, error: (exception as Error)?.message }, 'dependency unavailable');
    } else if (body.statusCode >= 500) {
      this.logger.error({ err: exception, requestId: body.requestId }, 'unhandled error');
    }
    void reply.status(body.statusCode).send(body);
  }
}
