import { LoggerModule } from 'nestjs-pino';
import type { DynamicModule } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { DestinationStream } from 'pino';

/** Never written to logs: credentials, tokens and the PII fields our payloads carry. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.refreshToken',
  '*.accessToken',
  '*.token',
  '*.email',
  '*.phone',
  '*.nationalId',
  '*.nationalIdNumber',
];

/** A URL for the access log: the path, and the names of its query parameters with every value redacted (`q` finds people by name, phone or email). */
export function redactQuery(url: string | undefined): string {
  const [path = '', query] = (url ?? '').split('?', 2);
  if (query === undefined) return path;
  const names = query.split('&').filter(Boolean).map((pair) => `${pair.split('=')[0]}=[redacted]`);
  return `${path}?${names.join('&')}`;
}

export function isOperationalPath(url: string | undefined): boolean {
  const path = (url ?? '').split('?')[0];
  return path === '/metrics' || path.startsWith('/health/');
}

export interface LoggingOptions {
  service: string;
  level: string;
}

/** Pino JSON logs; the request id comes from the gateway's x-request-id (set by the HTTP adapter). */
export function loggingModule(options: LoggingOptions, destination?: DestinationStream): DynamicModule {
  const pinoHttpOptions = {
    level: options.level,
    base: { service: options.service },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    genReqId: (req: IncomingMessage) => String(req.headers['x-request-id'] ?? ''),
    customProps: (req: IncomingMessage) => ({ correlationId: req.headers['x-correlation-id'] ?? req.headers['x-request-id'] }),
    // Probes and scrapes would drown the access log; originalUrl because middleware may see a rewritten url.
    autoLogging: { ignore: (req: IncomingMessage & { originalUrl?: string }) => isOperationalPath(req.originalUrl ?? req.url) },
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: redactQuery(req.url) }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };
  // stdout unless a test hands in its own destination
  return LoggerModule.forRoot({ pinoHttp: destination ? [pinoHttpOptions, destination] : pinoHttpOptions });
}
