import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { testEnv, testTokens } from '@relationship/testing';
import { fastify, type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { deadUrl } from '../test/stand-in-upstream';
import { loadGatewayConfig } from './config';
import { createGatewayApp } from './create-gateway-app';

jest.setTimeout(30_000);

/** An analytics stand-in whose /api/analytics/live sends one server-sent event every 200 ms for 3 s, then ends. */
async function startSseUpstream(): Promise<{ url: string; app: FastifyInstance; requests: () => number }> {
  const app = fastify({ forceCloseConnections: true });
  let requests = 0;
  app.get('/api/analytics/live', (request, reply) => {
    requests += 1;
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    let n = 0;
    const timer = setInterval(() => {
      n += 1;
      reply.raw.write(`id: ${n}\nevent: figures\ndata: {"n":${n},"sentAt":${Date.now()}}\n\n`);
      if (n === 15) {
        clearInterval(timer);
        reply.raw.end();
      }
    }, 200);
    request.raw.on('close', () => clearInterval(timer));
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, app, requests: () => requests };
}

describe('server-sent events through the gateway', () => {
  let upstream: Awaited<ReturnType<typeof startSseUpstream>>;
  let gateway: NestFastifyApplication;
  let url: string;

  beforeAll(async () => {
    upstream = await startSseUpstream();
    const config = loadGatewayConfig(
      testEnv('gateway', {
        IDENTITY_URL: await deadUrl(),
        PROFILES_URL: await deadUrl(),
        ANALYTICS_URL: upstream.url,
        // shorter than the stream: a streaming upstream has no body timeout
        UPSTREAM_TIMEOUT_MS: '1000',
        RATE_LIMIT_KEY_PREFIX: `gateway-sse-test:${randomUUID()}:`,
      }),
    );
    gateway = await createGatewayApp(config);
    await gateway.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(gateway.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await gateway?.close();
    await upstream?.app.close();
  });

  it('passes each event on as it is sent (unbuffered), past the upstream timeout, to the end of the stream', async () => {
    const token = testTokens.sign({ id: randomUUID(), role: 'admin', username: 'admin' }, 300);
    const started = Date.now();
    const response = await fetch(`${url}/api/analytics/live`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    const arrivals: Array<{ n: number; delayMs: number; atMs: number }> = [];
    let buffer = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const data = /^data: (.*)$/m.exec(buffer.slice(0, end))?.[1];
        buffer = buffer.slice(end + 2);
        if (data) {
          const { n, sentAt } = JSON.parse(data) as { n: number; sentAt: number };
          arrivals.push({ n, delayMs: Date.now() - sentAt, atMs: Date.now() - started });
        }
      }
    }
    expect(arrivals.map((a) => a.n)).toEqual([...Array(15).keys()].map((i) => i + 1));
    // the first event arrived long before the stream ended (≈ 3 s), and none waited in a buffer
    expect(arrivals[0].atMs).toBeLessThan(1_000);
    expect(Math.max(...arrivals.map((a) => a.delayMs))).toBeLessThan(150);
  });

  it('checks the token at connect: none is a 401 and the upstream is never asked', async () => {
    const before = upstream.requests();
    const response = await fetch(`${url}/api/analytics/live`);
    expect(response.status).toBe(401);
    expect(upstream.requests()).toBe(before);
  });

  it('refuses a customer with 403 (staff only)', async () => {
    const token = testTokens.sign({ id: randomUUID(), role: 'customer', username: 'c' }, 300);
    expect((await fetch(`${url}/api/analytics/live`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(403);
  });
});
