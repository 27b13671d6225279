import { fastify, type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** The body exactly as it arrived (raw bytes as UTF-8), to prove the gateway did not re-serialise it. */
  body: string;
}

export interface StandIn {
  url: string;
  received: Received[];
  /** Requests for `path` (no query) it saw. */
  saw(method: string, path: string): Received[];
  close(): Promise<void>;
}

/**
 * A real HTTP server standing in for a service: records every request and echoes method, url, headers and
 * body as JSON. `/api/docs-json` serves `docs`; any path ending in `/slow` (or with `slow=1` in its query) answers after `slowMs`.
 */
export async function startStandIn(
  options: { docs?: object; slowMs?: number } = {},
): Promise<StandIn> {
  const app: FastifyInstance = fastify({
    bodyLimit: 16 * 1024 * 1024,
    forceCloseConnections: true,
  });
  const received: Received[] = [];
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) =>
    done(null, body),
  );

  app.get('/api/docs-json', async (_request, reply) => {
    if (!options.docs) return reply.code(404).send({ statusCode: 404 });
    return options.docs;
  });
  app.all('/*', async (request, reply) => {
    const body = Buffer.isBuffer(request.body)
      ? request.body.toString('utf8')
      : '';
    const record = {
      method: request.method,
      url: request.url,
      headers: { ...request.headers },
      body,
    };
    received.push(record);
    if (request.url.split('?')[0].endsWith('/slow') || request.url.includes('slow=1'))
      await new Promise((r) => setTimeout(r, options.slowMs ?? 2_000).unref());
    return reply.header('x-upstream', 'stand-in').send({
      ...record,
      body:
        record.body.length > 1000 ? `${record.body.length} bytes` : record.body,
    });
  });

  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    saw: (method, path) =>
      received.filter(
        (r) => r.method === method && r.url.split('?')[0] === path,
      ),
    close: () => app.close(),
  };
}

/** A URL on which nothing listens (a port that was just free). */
export async function deadUrl(): Promise<string> {
  const app = fastify();
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  await app.close();
  return `http://127.0.0.1:${port}`;
}
