import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { testEnv, testRedisUrl, testTokens } from '@relationship/testing';
import { fastify, type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { loadGatewayConfig } from './config';
import { createGatewayApp } from './create-gateway-app';

jest.setTimeout(30_000);

const KEY_PREFIX = `gateway-conditional-test:${process.pid}:${randomUUID()}:`;

/**
 * The ETag/If-Match convention of versioned resources crosses the gateway untouched: a stand-in managers service
 * that keeps one record at version 2 answers GET with its ETag, a PATCH with 412/428 on its own If-Match reading.
 */
describe('gateway: optimistic-concurrency headers', () => {
  let upstream: FastifyInstance;
  let gateway: NestFastifyApplication;
  let url: string;
  const seenIfMatch: (string | undefined)[] = [];
  const admin = { authorization: `Bearer ${testTokens.sign({ id: 'admin-1', role: 'admin', username: 'admin-1' }, 300)}` };

  beforeAll(async () => {
    upstream = fastify();
    upstream.get('/api/managers/m1', async (_request, reply) => reply.header('etag', '"2"').send({ id: 'm1', version: 2 }));
    upstream.patch('/api/managers/m1', async (request, reply) => {
      const ifMatch = request.headers['if-match'];
      seenIfMatch.push(ifMatch);
      if (!ifMatch) return reply.code(428).send({ statusCode: 428, error: 'Precondition Required', message: 'If-Match is required', requestId: 'r' });
      if (ifMatch !== '"2"') return reply.code(412).send({ statusCode: 412, error: 'Precondition Failed', message: 'stale', requestId: 'r' });
      return reply.header('etag', '"3"').send({ id: 'm1', version: 3 });
    });
    await upstream.listen({ port: 0, host: '127.0.0.1' });
    // Every upstream is the stand-in; only its /api/managers/m1 routes answer.
    const standIn = `http://127.0.0.1:${(upstream.server.address() as AddressInfo).port}`;
    const config = loadGatewayConfig(
      testEnv('gateway', { RATE_LIMIT_KEY_PREFIX: KEY_PREFIX, IDENTITY_URL: standIn, PROFILES_URL: standIn, MANAGERS_URL: standIn }),
    );
    gateway = await createGatewayApp(config);
    await gateway.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(gateway.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
    const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
    const keys = await redis.keys(`${KEY_PREFIX}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('returns the ETag and forwards If-Match, so 412 and 428 reach the client as the service sent them', async () => {
    const read = await fetch(`${url}/api/managers/m1`, { headers: admin });
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"2"');

    const patch = (headers: Record<string, string>) =>
      fetch(`${url}/api/managers/m1`, { method: 'PATCH', headers: { ...admin, 'content-type': 'application/json', ...headers }, body: '{"level":3}' });
    const stale = await patch({ 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    const missing = await patch({});
    expect(missing.status).toBe(428);
    const current = await patch({ 'if-match': read.headers.get('etag') ?? '' });
    expect(current.status).toBe(200);
    expect(current.headers.get('etag')).toBe('"3"');
    expect(seenIfMatch).toEqual(['"1"', undefined, '"2"']);
  });
});
