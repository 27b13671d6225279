import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { startIdentity } from '../../testing/identity-test-app';

describe('health, metrics and docs (real MariaDB + Kafka)', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await startIdentity();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('is live, ready with its database up, and reports Kafka on its own (not a readiness check) and as a metric', async () => {
    expect((await app.inject({ method: 'GET', url: '/health/live' })).json()).toEqual({ status: 'ok' });
    const ready = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ok', checks: { database: { status: 'up' } } });
    const kafka = await app.inject({ method: 'GET', url: '/health/kafka' });
    expect(kafka.json()).toEqual({ status: 'ok', checks: { kafka: { status: 'up' } } });
    expect((await app.inject({ method: 'GET', url: '/metrics' })).body).toMatch(/health_check_up\{check="kafka",service="identity"\} 1/);
  });

  it('exposes prometheus metrics including the login counter', async () => {
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toContain('# TYPE identity_logins_total counter');
    expect(metrics.body).toMatch(/identity_logins_total\{outcome="locked",service="identity"\} 0/);
  });

  it('documents every endpoint in OpenAPI', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/docs-json' })).json();
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/.well-known/jwks.json',
      '/api/audit',
      '/api/auth/login',
      '/api/auth/logout',
      '/api/auth/me',
      '/api/auth/refresh',
      '/api/auth/register',
      '/api/users',
      '/api/users/{id}',
      '/api/users/{id}/deactivate',
      '/api/users/{id}/role',
      '/api/users/{id}/unlock',
    ]);
    expect(doc.components.schemas.RegisterDto.properties.displayName.maxLength).toBe(100);
  });

  it('answers unknown routes with the common error body', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/nope' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual(expect.objectContaining({ statusCode: 404, error: 'Not Found', requestId: expect.any(String) }));
  });
});
