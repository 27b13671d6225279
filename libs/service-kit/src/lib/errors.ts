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

/** Maps any thrown value to an ErrorBody. Client errors keep their message; anything else is a 500 that leaks nothing. */
export function toErrorBody(exception: unknown, requestId: string): ErrorBody {
  if (exception instanceof HttpException) {
    return errorBody(exception.getStatus(), messageOf(exception.getResponse(), exception.message), requestId);
  }
  // Fastify's own errors (malformed JSON, body too large, wrong content type) carry a 4xx statusCode.
  const statusCode = (exception as { statusCode?: unknown })?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return errorBody(statusCode, (exception as Error).message, requestId);
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
    if (body.statusCode >= 500) {
      this.logger.error({ err: exception, requestId: body.requestId }, 'unhandled error');
    }
    void reply.status(body.statusCode).send(body);
  }
}
