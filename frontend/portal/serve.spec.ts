/**
 * @jest-environment node
 */
// Black-box test of serve.mjs: runs it as `make up` does (a child node process) against a temporary "dist" folder
// and a stand-in gateway.
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const SCRIPT = path.join(__dirname, 'serve.mjs');
const INDEX = '<!doctype html><html><body><app-root></app-root></body></html>';

interface Seen {
  method?: string;
  url?: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let dist: string;
let gateway: http.Server;
let gatewayUrl: string;
const children: ChildProcess[] = [];
const seen: Seen[] = [];

function startGateway(): Promise<void> {
  gateway = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({
        method: req.method,
        url: req.url,
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      if (req.url === '/api/stream') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: first\n\n');
        setTimeout(() => res.end('data: second\n\n'), 300);
        return;
      }
      res.writeHead(201, {
        'content-type': 'application/json',
        'x-upstream': 'yes',
        'set-cookie': ['a=1; Path=/', 'b=2; Path=/'],
      });
      res.end(JSON.stringify({ ok: true }));
    });
  });
  return new Promise((resolve) =>
    gateway.listen(0, '127.0.0.1', () => {
      gatewayUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
      resolve();
    }),
  );
}

/** Starts serve.mjs on a free port; resolves with its base URL once it logs that it listens. */
function startPortal(env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, [SCRIPT], {
    env: {
      PATH: process.env['PATH'] ?? '',
      PORTAL_PORT: '0',
      PORTAL_DIST: dist,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)"/.exec(out);
      if (match) resolve(match[1]);
    });
    child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) =>
      reject(new Error(`serve.mjs exited with ${code}: ${out}`)),
    );
  });
}

/** A raw GET (fetch would normalise `..` away before sending). */
function rawGet(
  base: string,
  rawPath: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(base);
    http
      .get({ hostname, port, path: rawPath }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

let portal: string;

beforeAll(async () => {
  dist = mkdtempSync(path.join(tmpdir(), 'portal-dist-'));
  writeFileSync(path.join(dist, 'index.html'), INDEX);
  writeFileSync(path.join(dist, 'main-ABCDEFGH.js'), 'console.log(1);');
  mkdirSync(path.join(dist, 'i18n'));
  writeFileSync(path.join(dist, 'i18n', 'en.json'), '{"app":{}}');
  await startGateway();
  portal = await startPortal({ GATEWAY_URL: gatewayUrl });
});

afterAll(async () => {
  for (const child of children) child.kill('SIGTERM');
  await new Promise<void>((resolve) => gateway.close(() => resolve()));
  rmSync(dist, { recursive: true, force: true });
});

describe('serve.mjs static files', () => {
  it('serves index.html at /', async () => {
    const res = await fetch(`${portal}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(await res.text()).toBe(INDEX);
  });

  it('falls back to index.html for client-side routes', async () => {
    const res = await fetch(`${portal}/some/route`, {
      headers: { accept: 'text/html' },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(INDEX);
    expect(await (await fetch(`${portal}/customers/42`)).text()).toBe(INDEX);
  });

  it('serves hashed bundles as immutable and answers 404 for a missing asset', async () => {
    const js = await fetch(`${portal}/main-ABCDEFGH.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe(
      'text/javascript; charset=utf-8',
    );
    expect(js.headers.get('cache-control')).toContain('immutable');
    const etag = js.headers.get('etag') ?? '';
    expect(
      (
        await fetch(`${portal}/main-ABCDEFGH.js`, {
          headers: { 'if-none-match': etag },
        })
      ).status,
    ).toBe(304);

    expect(
      (await fetch(`${portal}/i18n/en.json`)).headers.get('cache-control'),
    ).toBe('no-cache');
    const missing = await fetch(`${portal}/chunk-MISSING1.js`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({
      statusCode: 404,
      error: 'Not Found',
    });
  });

  it('never serves files outside the dist folder', async () => {
    for (const p of [
      '/../../../../etc/passwd',
      '/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '/..%2f..%2f..%2fetc%2fpasswd',
    ]) {
      const res = await rawGet(portal, p);
      expect(res.body).not.toContain('root:');
    }
  });
});

describe('serve.mjs /api proxy', () => {
  it('streams method, path, query, headers and body to the gateway and the answer back', async () => {
    seen.length = 0;
    const res = await fetch(`${portal}/api/auth/login?x=1`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: 'Bearer t',
        'x-forwarded-host': 'evil.example',
      },
      body: JSON.stringify({ username: 'a', password: 'b' }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-upstream')).toBe('yes');
    expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect(await res.json()).toEqual({ ok: true });

    const [call] = seen;
    expect(call.method).toBe('POST');
    expect(call.url).toBe('/api/auth/login?x=1');
    expect(JSON.parse(call.body)).toEqual({ username: 'a', password: 'b' });
    expect(call.headers['authorization']).toBe('Bearer t');
    expect(call.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(call.headers['x-forwarded-proto']).toBe('http');
    expect(call.headers['x-forwarded-host']).toBe(new URL(portal).host);
    expect(call.headers['x-request-id']).toBeTruthy();
  });

  it('passes a streamed answer through as it comes', async () => {
    const res = await fetch(`${portal}/api/stream`);
    if (!res.body) throw new Error('no body');
    const reader = res.body.getReader();
    const started = Date.now();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('data: first\n\n');
    expect(Date.now() - started).toBeLessThan(250);
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read())
      rest += new TextDecoder().decode(r.value);
    expect(rest).toBe('data: second\n\n');
  });

  it('answers 502 in the API error format when the gateway is down', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = http.createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as AddressInfo).port;
        s.close(() => resolve(port));
      });
    });
    const lonely = await startPortal({
      GATEWAY_URL: `http://127.0.0.1:${closed}`,
    });
    const res = await fetch(`${lonely}/api/x`);
    expect(res.status).toBe(502);
    const body = await res.json();
    expect(body).toMatchObject({ statusCode: 502, error: 'Bad Gateway' });
    expect(typeof body.requestId).toBe('string');
    expect(body.message).toContain('could not be reached');
  });
});

describe('serve.mjs health', () => {
  it('is live and ready when index.html exists', async () => {
    expect((await fetch(`${portal}/health/live`)).status).toBe(200);
    expect((await fetch(`${portal}/health/ready`)).status).toBe(200);
  });
});
