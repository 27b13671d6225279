import { Injectable, Logger } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { Registry } from 'prom-client';
import { HealthModule, type ReadinessCheck } from './health';
import { MetricsModule } from './metrics';

@Injectable()
class Database implements ReadinessCheck {
  readonly name = 'database';
  async check(): Promise<void> {
    return undefined;
  }
}

@Injectable()
class Broker implements ReadinessCheck {
  readonly name = 'kafka';
  down = true;
  async check(): Promise<void> {
    if (this.down) throw new Error('no brokers');
  }
}

@Injectable()
class Hanging implements ReadinessCheck {
  readonly name = 'redis';
  check(): Promise<void> {
    return new Promise<void>(() => undefined);
  }
}

describe('health (terminus): readiness, dependencies on their own, one log line per state change', () => {
  let app: NestFastifyApplication;
  const registry = new Registry();
  const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);

  beforeAll(async () => {
    const module = await Test.createTestingModule({
      imports: [MetricsModule.forRoot(registry), HealthModule.forRoot({ providers: [Database, Broker, Hanging], checks: [Database], dependencies: [Broker, Hanging] })],
    }).compile();
    app = module.createNestApplication<NestFastifyApplication>(new FastifyAdapter());
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => {
    await app.close();
  });

  it('is ready while a dependency outside readiness is down, which answers 503 on its own path and in the metric', async () => {
    const ready = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ok', checks: { database: { status: 'up' } } });
    expect((await app.inject({ method: 'GET', url: '/health/live' })).json()).toEqual({ status: 'ok' });

    const kafka = await app.inject({ method: 'GET', url: '/health/kafka' });
    expect(kafka.statusCode).toBe(503);
    expect(kafka.json().message).toBe('down: kafka (no brokers)');
    const redis = await app.inject({ method: 'GET', url: '/health/redis' });
    expect(redis.json().message).toBe('down: redis (redis did not answer within 2000 ms)');
    expect((await app.inject({ method: 'GET', url: '/health/nothing' })).statusCode).toBe(404);
    expect(await registry.getSingleMetricAsString('health_check_up')).toContain('health_check_up{check="kafka"} 0');
    expect(await registry.getSingleMetricAsString('health_check_up')).toContain('health_check_up{check="database"} 1');
  });

  it('logs a dependency going down once however often it is probed, and its return once', async () => {
    warn.mockClear();
    log.mockClear();
    for (let i = 0; i < 5; i++) expect((await app.inject({ method: 'GET', url: '/health/kafka' })).statusCode).toBe(503);
    expect(warn).not.toHaveBeenCalled(); // already reported down by the first test's probe

    app.get(Broker).down = false;
    for (let i = 0; i < 3; i++) expect((await app.inject({ method: 'GET', url: '/health/kafka' })).statusCode).toBe(200);
    expect(log.mock.calls.filter(([, message]) => message === 'kafka is up again')).toHaveLength(1);
    app.get(Broker).down = true;
    for (let i = 0; i < 3; i++) await app.inject({ method: 'GET', url: '/health/kafka' });
    expect(warn.mock.calls.filter(([, message]) => message === 'kafka is down: no brokers')).toHaveLength(1);
    expect(await registry.getSingleMetricAsString('health_check_up')).toContain('health_check_up{check="kafka"} 0');
  });
});
