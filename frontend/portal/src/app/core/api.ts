import { HttpErrorResponse } from '@angular/common/http';
import { InjectionToken } from '@angular/core';

/**
 * Where the portal finds the API. Relative on purpose: the portal is served next to the gateway
 * (serve.mjs proxies `/api/*`, the dev server uses proxy.conf.json), so no CORS and no per-environment build.
 */
export const API_BASE_URL = new InjectionToken<string>('API_BASE_URL', {
  providedIn: 'root',
  factory: () => '/api',
});

/** The one error body the gateway and every service return. */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  requestId: string;
}

/** What the UI needs to explain a failed call. `status` 0 means no HTTP answer at all (network, CORS, offline). */
export interface ApiError {
  status: number;
  /** The API's own message when it sent the unified error body, else null. */
  message: string | null;
  requestId: string | null;
  /** Seconds from a `Retry-After` header (429), when present. */
  retryAfterSeconds: number | null;
}

function isApiErrorBody(value: unknown): value is ApiErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ApiErrorBody).statusCode === 'number' &&
    typeof (value as ApiErrorBody).message === 'string'
  );
}

/** Turns whatever HttpClient threw into an ApiError; never throws itself. */
export function toApiError(error: unknown): ApiError {
  if (!(error instanceof HttpErrorResponse)) {
    return {
      status: 0,
      message: null,
      requestId: null,
      retryAfterSeconds: null,
    };
  }
  let body: unknown = error.error;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      body = null;
    }
  }
  const retryAfter = Number(error.headers?.get('retry-after'));
  return {
    status: error.status,
    message: isApiErrorBody(body) ? body.message : null,
    requestId:
      isApiErrorBody(body) && typeof body.requestId === 'string'
        ? body.requestId
        : null,
    retryAfterSeconds:
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
  };
}

/** The translation key of the headline for an error status. */
export function errorKeyOf(error: ApiError): string {
  switch (error.status) {
    case 0:
      return 'errors.network';
    case 400:
      return 'errors.badRequest';
    case 401:
      return 'errors.unauthorized';
    case 403:
      return 'errors.forbidden';
    case 409:
    case 412:
      return 'errors.conflict';
    case 429:
      return 'errors.tooManyRequests';
    default:
      return error.status >= 500 ? 'errors.server' : 'errors.generic';
  }
}

/**
 * The API's validation message ("username must be …; each value in riskAnswers must be …") split into the
 * fields it names. Parts naming none of `fields` stay in `other`, to be shown with the form.
 */
export function fieldMessages<F extends string>(
  message: string | null,
  fields: readonly F[],
): { byField: Partial<Record<F, string>>; other: string[] } {
  const byField: Partial<Record<F, string>> = {};
  const other: string[] = [];
  for (const part of (message ?? '').split(/;\s*/).filter(Boolean)) {
    const words = part.split(/\s+/);
    // class-validator starts with the property ("email must…"), or says "each value in <property>" for arrays
    const named = fields.find(
      (field) =>
        words[0] === field ||
        words[0]?.startsWith(`${field}.`) ||
        (words[0] === 'each' && words[3] === field),
    );
    if (named) byField[named] = byField[named] ? `${byField[named]}; ${part}` : part;
    else other.push(part);
  }
  return { byField, other };
}

/** A 404: for "my manager"-like reads it means "none yet", an empty state rather than an error. */
export const isNotFound = (error: unknown) => toApiError(error).status === 404;
