import {
  Controller,
  Get,
  Inject,
  Injectable,
  Logger,
  Module,
  NotFoundException,
  Optional,
  Param,
  ServiceUnavailableException,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService, TerminusModule, type HealthCheckResult, type HealthIndicatorResult } from '@nestjs/terminus';
import { Public } from '@relationship/auth';
import { Gauge, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from './metrics';

/** A dependency check: its database, Kafka, Redis. */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<void>;
}

/** Checks the service cannot serve a request without: they make /health/ready. */
export const READINESS_CHECKS = Symbol('READINESS_CHECKS');
/**
 * Checks of dependencies the service keeps serving without for a while (Kafka, which the outbox stands in for):
 * each answers on /health/<name> and in the `health_check_up` metric, never in readiness.
 */
export const DEPENDENCY_CHECKS = Symbol('DEPENDENCY_CHECKS');

const CHECK_TIMEOUT_MS = 2_000;
/** How often every check runs in the background, so the metric and the state-change log stay current without probes. */
const MONITOR_INTERVAL_MS = 10_000;

function withTimeout(promise: Promise<void>, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

export type HealthReport = { status: 'ok' | 'error'; checks: Record<string, { status: 'up' | 'down'; error?: string }> };

/** Terminus' result in the platform's health JSON (`status`, and per check `status` and `error`). */
function toReport(result: HealthCheckResult): HealthReport {
  const checks = Object.fromEntries(
    Object.entries(result.details).map(([name, detail]) =>
      detail.status === 'up' ? [name, { status: 'up' as const }] : [name, { status: 'down' as const, error: String(detail['message'] ?? 'down') }],
    ),
  );
  return { status: result.status === 'ok' ? 'ok' : 'error', checks };
}

/**
 * Runs checks through @nestjs/terminus (each bounded by a timeout), keeps `health_check_up{check}` current, and logs
 * one line per change of a check's state (a warning when it goes down, info when it is back), never one per probe.
 */
@Injectable()
export class HealthChecks {
  private readonly logger = new Logger('Health');
  private readonly states = new Map<string, 'up' | 'down'>();
  private readonly gauge?: Gauge<'check'>;

  constructor(
    private readonly terminus: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Optional() @Inject(METRICS_REGISTRY) registry?: Registry,
  ) {
    if (registry) {
      const existing = registry.getSingleMetric('health_check_up') as Gauge<'check'> | undefined;
      this.gauge = existing ?? new Gauge({ name: 'health_check_up', help: 'A dependency check of this process: 1 up, 0 down', labelNames: ['check'], registers: [registry] });
    }
  }

  async run(checks: readonly ReadinessCheck[]): Promise<HealthReport> {
    let result: HealthCheckResult;
    try {
      result = await this.terminus.check(checks.map((c) => () => this.indicate(c)));
    } catch (error) {
      // Terminus answers a failed check by throwing its result.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      result = error.getResponse() as HealthCheckResult;
    }
    const report = toReport(result);
    for (const [name, outcome] of Object.entries(report.checks)) this.record(name, outcome);
    return report;
  }

  private async indicate(check: ReadinessCheck): Promise<HealthIndicatorResult> {
    const session = this.indicators.check(check.name);
    try {
      await withTimeout(check.check(), check.name);
      return session.up();
    } catch (error) {
      return session.down({ message: (error as Error).message });
    }
  }

  private record(name: string, outcome: { status: 'up' | 'down'; error?: string }): void {
    this.gauge?.set({ check: name }, outcome.status === 'up' ? 1 : 0);
    const previous = this.states.get(name);
    this.states.set(name, outcome.status);
    if (previous === outcome.status || (previous === undefined && outcome.status === 'up')) return;
    if (outcome.status === 'down') this.logger.warn({ check: name, error: outcome.error }, `${name} is down: ${outcome.error}`);
    else this.logger.log({ check: name }, `${name} is up again`);
  }
}

/** Runs every check in the background (see MONITOR_INTERVAL_MS). */
@Injectable()
class HealthMonitor implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly health: HealthChecks,
    @Inject(READINESS_CHECKS) private readonly readiness: ReadinessCheck[],
    @Inject(DEPENDENCY_CHECKS) private readonly dependencies: ReadinessCheck[],
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.health.run([...this.readiness, ...this.dependencies]).catch(() => undefined), MONITOR_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}

// Probes and scrapes carry no token; the gateway does not route them (NetworkPolicies keep them internal).
@Public()
@ApiExcludeController()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthChecks,
    @Inject(READINESS_CHECKS) private readonly readiness: ReadinessCheck[],
    @Inject(DEPENDENCY_CHECKS) private readonly dependencies: ReadinessCheck[],
  ) {}

  /** Liveness: the process answers. Restarting for a dependency outage would not help, so no checks here. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: the service can serve requests (503 otherwise). */
  @Get('ready')
  ready(): Promise<HealthReport> {
    return this.answer(this.readiness, 'not ready');
  }

  /** One dependency, readiness or not (e.g. /health/kafka): 503 while it is down. */
  @Get(':check')
  one(@Param('check') name: string): Promise<HealthReport> {
    const check = [...this.readiness, ...this.dependencies].find((c) => c.name === name);
    if (!check) throw new NotFoundException(`no health check named ${name}`);
    return this.answer([check], 'down');
  }

  private async answer(checks: ReadinessCheck[], verdict: string): Promise<HealthReport> {
    const report = await this.health.run(checks);
    if (report.status !== 'ok') {
      const down = Object.entries(report.checks).filter(([, r]) => r.status === 'down');
      throw new ServiceUnavailableException(`${verdict}: ${down.map(([n, r]) => `${n} (${r.error})`).join(', ')}`);
    }
    return report;
  }
}

type CheckToken = string | symbol | (abstract new (...args: never[]) => ReadinessCheck);

@Module({})
export class HealthModule {
  /** `checks` and `dependencies` are provider tokens whose instances implement ReadinessCheck. */
  static forRoot(options: {
    imports?: DynamicModule['imports'];
    /** Providers of checks that live nowhere else (e.g. the database check). */
    providers?: Provider[];
    /** What readiness needs. */
    checks: CheckToken[];
    /** What is reported on its own (/health/<name>, metric), outside readiness. */
    dependencies?: CheckToken[];
  }): DynamicModule {
    const dependencies = options.dependencies ?? [];
    return {
      module: HealthModule,
      imports: [...(options.imports ?? []), TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController],
      providers: [
        ...(options.providers ?? []),
        { provide: READINESS_CHECKS, useFactory: (...instances: ReadinessCheck[]) => instances, inject: options.checks },
        { provide: DEPENDENCY_CHECKS, useFactory: (...instances: ReadinessCheck[]) => instances, inject: dependencies },
        HealthChecks,
        HealthMonitor,
      ],
    };
  }
}
