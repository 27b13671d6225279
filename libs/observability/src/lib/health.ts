import { Controller, Get, Inject, Module, Optional, ServiceUnavailableException, type DynamicModule, type Provider } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@relationship/auth';

/** A dependency the service cannot serve without (its database, Kafka, Redis). */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<void>;
}

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');
const CHECK_TIMEOUT_MS = 2_000;

function withTimeout(promise: Promise<void>, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

export type HealthReport = { status: 'ok' | 'error'; checks: Record<string, { status: 'up' | 'down'; error?: string }> };

export async function runChecks(checks: readonly ReadinessCheck[]): Promise<HealthReport> {
  const results = await Promise.all(
    checks.map(async (c) => {
      try {
        await withTimeout(c.check(), c.name);
        return [c.name, { status: 'up' as const }] as const;
      } catch (error) {
        return [c.name, { status: 'down' as const, error: (error as Error).message }] as const;
      }
    }),
  );
  const status = results.every(([, r]) => r.status === 'up') ? 'ok' : 'error';
  return { status, checks: Object.fromEntries(results) };
}

// Probes and scrapes carry no token; the gateway does not route them (NetworkPolicies keep them internal).
@Public()
@ApiExcludeController()
@Controller('health')
export class HealthController {
  constructor(@Optional() @Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[] = []) {}

  /** Liveness: the process answers. Restarting for a dependency outage would not help, so no checks here. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(): Promise<HealthReport> {
    const report = await runChecks(this.checks ?? []);
    if (report.status !== 'ok') throw new ServiceUnavailableException(
      `not ready: ${Object.entries(report.checks).filter(([, r]) => r.status === 'down').map(([n, r]) => `${n} (${r.error})`).join(', ')}`,
    );
    return report;
  }
}

@Module({})
export class HealthModule {
  /** `checks` are provider tokens whose instances implement ReadinessCheck. */
  static forRoot(options: {
    imports?: DynamicModule['imports'];
    /** Providers of checks that live nowhere else (e.g. the database check). */
    providers?: Provider[];
    checks: Array<string | symbol | (abstract new (...args: never[]) => ReadinessCheck)>;
  }): DynamicModule {
    const checks = options.checks;
    return {
      module: HealthModule,
      imports: options.imports ?? [],
      controllers: [HealthController],
      providers: [
        ...(options.providers ?? []),
        {
          provide: READINESS_CHECKS,
          useFactory: (...instances: ReadinessCheck[]) => instances,
          inject: checks,
        },
      ],
    };
  }
}
