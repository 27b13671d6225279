import { LoggerModule } from 'nestjs-pino';
import type { DynamicModule } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';

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
];

export function isOperationalPath(url: string | undefined): boolean {
  const path = (url ?? '').split('?')[0];
  return path === '/metrics' || path.startsWith('/health/');
}

export interface LoggingOptions {
  service: string;
  level: string;
}

/** Pino JSON logs; the request id comes from the gateway's x-request-id (set by the HTTP adapter). */
export function loggingModule(options: LoggingOptions): DynamicModule {
  return LoggerModule.forRoot({
    pinoHttp: {
      level: options.level,
      base: { service: options.service },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      genReqId: (req: IncomingMessage) => String(req.headers['x-request-id'] ?? ''),
      customProps: (req: IncomingMessage) => ({ correlationId: req.headers['x-correlation-id'] ?? req.headers['x-request-id'] }),
      // Probes and scrapes would drown the access log; originalUrl because middleware may see a rewritten url.
      autoLogging: { ignore: (req: IncomingMessage & { originalUrl?: string }) => isOperationalPath(req.originalUrl ?? req.url) },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
  });
}
