import {
  applyDecorators,
  BadRequestException,
  createParamDecorator,
  HttpException,
  HttpStatus,
  Injectable,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import { map, type Observable } from 'rxjs';

/**
 * The platform's one optimistic-concurrency convention for versioned resources (portraits, managers): every response
 * carrying the resource has `ETag: "<version>"`; every write sends that value back as `If-Match`. A write without it
 * is refused with 428, one based on an older version with 412 (read again, re-apply, retry).
 */

/** The ETag of a version: a strong entity tag. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/** The version an `If-Match` header names (`"3"`, `W/"3"` or `3`): 428 when there is none, 400 when it is not one. */
export function versionFromIfMatch(header: string | string[] | undefined): number {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') {
    throw new HttpException('If-Match is required: send the ETag of the version you read, e.g. If-Match: "3"', HttpStatus.PRECONDITION_REQUIRED);
  }
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(value);
  if (!match || Number(match[1]) < 1) throw new BadRequestException('If-Match must be the ETag of a version, e.g. "3"');
  return Number(match[1]);
}

/** 412 unless the resource is still at the version the write was based on. `what` names it, e.g. "portrait <id>". */
export function assertCurrentVersion(what: string, current: number, expected: number): void {
  if (current !== expected) {
    throw new HttpException(`${what} is at version ${current}, not ${expected}: read it again and retry`, HttpStatus.PRECONDITION_FAILED);
  }
}

/** The handler parameter: the version from the request's `If-Match` (428/400 as `versionFromIfMatch`). */
export const IfMatchVersion = createParamDecorator((_data: unknown, context: ExecutionContext): number =>
  versionFromIfMatch(context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>().headers['if-match']),
);

/** Sets `ETag` on every response whose body is a versioned resource (an object with a numeric `version`). */
@Injectable()
export class VersionEtagInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const reply = context.switchToHttp().getResponse<{ header(name: string, value: string): unknown }>();
    return next.handle().pipe(
      map((body: unknown) => {
        const version = (body as { version?: unknown } | null)?.version;
        if (typeof version === 'number') reply.header('etag', etagOf(version));
        return body;
      }),
    );
  }
}

/** On a controller or a handler: its versioned responses carry `ETag`. */
export const SendsEtag = () => UseInterceptors(VersionEtagInterceptor);

/** On a write handler of a versioned resource: documents `If-Match` and the 412/428 answers (read it with `IfMatchVersion`). */
export const RequiresIfMatch = () =>
  applyDecorators(
    ApiHeader({ name: 'If-Match', required: true, description: 'the ETag of the version the change is based on, e.g. "3"' }),
    ApiResponse({ status: HttpStatus.PRECONDITION_FAILED, description: 'stale If-Match: the resource changed since it was read; read it again and retry' }),
    ApiResponse({ status: HttpStatus.PRECONDITION_REQUIRED, description: 'If-Match missing' }),
  );
