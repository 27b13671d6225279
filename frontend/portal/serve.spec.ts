/**
 * @jest-environment node
 */
// Black-box test of serve.mjs: runs it as `make up` does (a child node process) against a temporary "dist" folder
// and a stand-in gateway.
import { ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { AddressInfo, Socket } from 'node:net';
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

interface Portal {
  url: string;
  child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output: () => string;
  exited: Promise<number | null>;
}

let dist: string;
let gateway: http.Server;
let gatewayUrl: string;
const children: ChildProcess[] = [];
const upgraded: Socket[] = [];
const seen: Seen[] = [];
/** The websocket handshakes the stand-in gateway received. */
const upgrades: http.IncomingMessage[] = [];
let hangClosed: Promise<void> = Promise.resolve();

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
      if (req.url === '/api/quiet-stream') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.flushHeaders();
        setTimeout(() => res.end('data: late\n\n'), 1_000);
        return;
      }
      if (req.url === '/api/hang') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: first\n\n');
        hangClosed = new Promise((resolve) =>
          res.on('close', () => resolve()),
        );
        return;
      }
      if (req.url === '/api/slow') {
        setTimeout(() => res.end('slow but done'), 500);
        return;
      }
      if (req.url === '/api/unavailable') {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end('{"statusCode":503}');
        return;
      }
      res.writeHead(201, {
        'content-type': 'application/json',
        'x-upstream': 'yes',
        'set-cookie': ['a=1; Path=/', 'b=2; Path=/'],
        'keep-alive': 'timeout=1',
      });
      res.end(JSON.stringify({ ok: true }));
    });
  });
  // a websocket endpoint: the handshake, then one text frame naming the URL it was asked for
  gateway.on('upgrade', (req: http.IncomingMessage, socket: Socket) => {
    upgrades.push(req);
    upgraded.push(socket);
    const accept = createHash('sha1')
      .update(`${req.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
      .digest('base64');
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        `Sec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    const text = Buffer.from(`hello ${req.url}`);
    socket.write(Buffer.concat([Buffer.from([0x81, text.length]), text]));
    socket.on('data', () => socket.destroy()); // the close frame
    socket.on('error', () => undefined);
  });
  return new Promise((resolve) =>
    gateway.listen(0, '127.0.0.1', () => {
      gatewayUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
      resolve();
    }),
  );
}

function spawnPortal(env: Record<string, string>): ChildProcess {
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
  return child;
}

/** Starts serve.mjs on a free port; resolves once it logs that it listens. */
function launch(env: Record<string, string>): Promise<Portal> {
  const child = spawnPortal(env);
  let out = '';
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => resolve(code)),
  );
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)"/.exec(out);
      if (match) resolve({ url: match[1], child, output: () => out, exited });
    });
    child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) =>
      reject(new Error(`serve.mjs exited with ${code}: ${out}`)),
    );
  });
}

/** Starts serve.mjs on a free port; resolves with its base URL once it logs that it listens. */
async function startPortal(env: Record<string, string>): Promise<string> {
  return (await launch(env)).url;
}

/** Runs serve.mjs until it exits by itself (a bad configuration). */
function runToExit(
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnPortal(env);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

/** A raw request (fetch would normalise `..` away before sending, and refuses hop-by-hop headers). */
function rawRequest(
  base: string,
  rawPath: string,
  options: http.RequestOptions = {},
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(base);
    http
      .request({ hostname, port, path: rawPath, ...options }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body, headers: res.headers }),
        );
      })
      .on('error', reject)
      .end();
  });
}

function rawGet(
  base: string,
  rawPath: string,
): Promise<{ status: number; body: string }> {
  return rawRequest(base, rawPath);
}

async function eventually(check: () => boolean, ms = 2_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check() && Date.now() < until)
    await new Promise((r) => setTimeout(r, 20));
}

async function freePort(): Promise<number> {
  return new Promise<number>((resolve) => {
    const s = http.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

let main: Portal;
let portal: string;

beforeAll(async () => {
  dist = mkdtempSync(path.join(tmpdir(), 'portal-dist-'));
  writeFileSync(path.join(dist, 'index.html'), INDEX);
  writeFileSync(path.join(dist, 'main-ABCDEFGH.js'), 'console.log(1);');
  writeFileSync(path.join(dist, 'styles-ABCDEFGH.css'), 'body{}');
  mkdirSync(path.join(dist, 'i18n'));
  writeFileSync(path.join(dist, 'i18n', 'en.json'), '{"app":{}}');
  await startGateway();
  main = await launch({ GATEWAY_URL: gatewayUrl });
  portal = main.url;
});

afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null) child.kill('SIGTERM');
  for (const socket of upgraded) socket.destroy();
  gateway.closeAllConnections();
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

  it('sends the security headers with pages and files', async () => {
    const page = await fetch(`${portal}/`);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('referrer-policy')).toBe('same-origin');
    const deep = await fetch(`${portal}/customers/42`);
    expect(deep.headers.get('x-frame-options')).toBe('DENY');
    const js = await fetch(`${portal}/main-ABCDEFGH.js`);
    expect(js.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('falls back to index.html for client-side routes', async () => {
    const res = await fetch(`${portal}/some/route`, {
      headers: { accept: 'text/html' },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(INDEX);
    const deep = await fetch(`${portal}/customers/42`);
    expect(deep.status).toBe(200);
    expect(deep.headers.get('cache-control')).toBe('no-cache');
    expect(await deep.text()).toBe(INDEX);
    // a page whose last segment has a dot, asked for by a browser
    const dotted = await fetch(`${portal}/users/jane.doe`, {
      headers: { accept: 'text/html,application/xhtml+xml' },
    });
    expect(await dotted.text()).toBe(INDEX);
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

  it('caches hashed stylesheets for a year and revalidates index.html by ETag', async () => {
    const css = await fetch(`${portal}/styles-ABCDEFGH.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(css.headers.get('cache-control')).toBe(
      'public, max-age=31536000, immutable',
    );
    const page = await fetch(`${portal}/`);
    const etag = page.headers.get('etag') ?? '';
    expect(etag).not.toBe('');
    const again = await fetch(`${portal}/`, {
      headers: { 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
    expect(again.headers.get('cache-control')).toBe('no-cache');
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

  it('answers 405 to other methods and 400 to a malformed path, in the API error format', async () => {
    const post = await fetch(`${portal}/some/route`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect(await post.json()).toMatchObject({
      statusCode: 405,
      error: 'Method Not Allowed',
    });
    const bad = await rawGet(portal, '/%E0%A4%A');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({
      statusCode: 400,
      error: 'Bad Request',
      requestId: expect.any(String),
    });
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

  it('proxies /api itself, keeps a request id and a forwarded-for chain, and drops hop-by-hop headers both ways', async () => {
    seen.length = 0;
    await fetch(`${portal}/api`);
    expect(seen[0]?.url).toBe('/api');

    seen.length = 0;
    const res = await rawRequest(portal, '/api/items?q=a%20b&q=c', {
      headers: {
        connection: 'keep-alive, x-private',
        'x-private': 'for the next hop only',
        te: 'trailers',
        'proxy-authorization': 'Basic c2VjcmV0',
        'x-request-id': 'req-42',
        'x-forwarded-for': '10.0.0.1',
        'x-forwarded-proto': 'https',
      },
    });
    expect(res.status).toBe(201);
    // the gateway's own keep-alive terms are not the browser's
    expect(res.headers['keep-alive']).not.toBe('timeout=1');
    const [call] = seen;
    expect(call.url).toBe('/api/items?q=a%20b&q=c');
    expect(call.headers['x-request-id']).toBe('req-42');
    expect(call.headers['x-forwarded-for']).toBe('10.0.0.1, 127.0.0.1');
    expect(call.headers['x-forwarded-proto']).toBe('http');
    expect(call.headers['host']).toBe(new URL(gatewayUrl).host);
    for (const name of ['x-private', 'te', 'proxy-authorization'])
      expect(call.headers[name]).toBeUndefined();
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

  it('sends the headers of an event stream before its first event', async () => {
    const started = Date.now();
    const res = await fetch(`${portal}/api/quiet-stream`);
    expect(Date.now() - started).toBeLessThan(700);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    expect(await res.text()).toBe('data: late\n\n');
  });

  it('ends the gateway call when the browser goes away', async () => {
    const controller = new AbortController();
    const res = await fetch(`${portal}/api/hang`, {
      signal: controller.signal,
    });
    if (!res.body) throw new Error('no body');
    await res.body.getReader().read();
    const closed = hangClosed;
    controller.abort();
    await expect(
      Promise.race([
        closed.then(() => 'closed'),
        new Promise((r) => setTimeout(() => r('still open'), 2_000)),
      ]),
    ).resolves.toBe('closed');
  });

  it('hands a gateway 503 to the browser once, without retrying', async () => {
    seen.length = 0;
    const res = await fetch(`${portal}/api/unavailable`);
    expect(res.status).toBe(503);
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.filter((s) => s.url === '/api/unavailable')).toHaveLength(1);
  });

  it('proxies websockets under /api with the forwarded headers', async () => {
    upgrades.length = 0;
    const ws = new WebSocket(`${portal.replace('http:', 'ws:')}/api/live?x=1`);
    const message = await new Promise<string>((resolve, reject) => {
      ws.onmessage = (event) => resolve(String(event.data));
      ws.onerror = () => reject(new Error('websocket failed'));
    });
    ws.close();
    expect(message).toBe('hello /api/live?x=1');
    expect(upgrades).toHaveLength(1);
    expect(upgrades[0]?.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(upgrades[0]?.headers['x-forwarded-host']).toBe(new URL(portal).host);
    expect(upgrades[0]?.headers['x-request-id']).toBeTruthy();
  });

  it('puts the path of GATEWAY_URL, if any, before /api', async () => {
    const behind = await startPortal({ GATEWAY_URL: `${gatewayUrl}/edge/` });
    seen.length = 0;
    expect((await fetch(`${behind}/api/x?y=1`)).status).toBe(201);
    expect(seen[0]?.url).toBe('/edge/api/x?y=1');
  });

  it('answers 502 in the API error format when the gateway is down', async () => {
    const closed = await freePort();
    const lonely = await startPortal({
      GATEWAY_URL: `http://127.0.0.1:${closed}`,
    });
    const res = await fetch(`${lonely}/api/x`);
    expect(res.status).toBe(502);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.json();
    expect(body).toMatchObject({ statusCode: 502, error: 'Bad Gateway' });
    expect(typeof body.requestId).toBe('string');
    expect(res.headers.get('x-request-id')).toBe(body.requestId);
    expect(body.message).toContain('could not be reached');
    const post = await fetch(`${lonely}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"username":"a"}',
    });
    expect(post.status).toBe(502);
  });
});

describe('serve.mjs health', () => {
  it('is live and ready when index.html exists', async () => {
    expect((await fetch(`${portal}/health/live`)).status).toBe(200);
    expect((await fetch(`${portal}/health/ready`)).status).toBe(200);
  });

  it('is live but not ready, and answers pages with 503, when the portal is not built', async () => {
    const unbuilt = await startPortal({
      GATEWAY_URL: gatewayUrl,
      PORTAL_DIST: path.join(dist, 'not-built'),
    });
    expect((await fetch(`${unbuilt}/health/live`)).status).toBe(200);
    const ready = await fetch(`${unbuilt}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'error' });
    const page = await fetch(`${unbuilt}/customers/42`);
    expect(page.status).toBe(503);
    expect(await page.json()).toMatchObject({
      statusCode: 503,
      error: 'Service Unavailable',
    });
  });
});

describe('serve.mjs logs', () => {
  it('writes one JSON line per request, without query strings or headers', async () => {
    await fetch(`${portal}/api/log-check?token=SECRET-IN-QUERY`, {
      headers: { authorization: 'Bearer SECRET-IN-HEADER' },
    });
    await eventually(() => main.output().includes('"path":"/api/log-check"'));
    const entries = main
      .output()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(entries.find((e) => e.path === '/api/log-check')).toMatchObject({
      level: 'info',
      service: 'portal',
      method: 'GET',
      status: 201,
      requestId: expect.any(String),
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(main.output()).not.toContain('SECRET');
  });
});

describe('serve.mjs configuration', () => {
  it.each([
    ['PORTAL_PORT', { PORTAL_PORT: 'http' }],
    ['PORTAL_PORT', { PORTAL_PORT: '70000' }],
    ['GATEWAY_URL', { GATEWAY_URL: 'not a url' }],
    ['GATEWAY_URL', { GATEWAY_URL: 'ftp://gateway:21' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
    ['PORTAL_DIST', { PORTAL_DIST: __filename }],
  ])('stops with a message naming %s when it is wrong (%j)', async (name, env) => {
    const { code, stdout, stderr } = await runToExit(env);
    expect(code).toBe(1);
    expect(stdout).not.toContain('listening');
    expect(stderr).toContain(name);
    expect(JSON.parse(stderr.trim().split('\n')[0])).toMatchObject({
      level: 'fatal',
      service: 'portal',
    });
  });

  it('does not print the credentials of a GATEWAY_URL it rejects', async () => {
    const { code, stderr } = await runToExit({
      GATEWAY_URL: 'ftp://user:hunter2@gateway',
    });
    expect(code).toBe(1);
    expect(stderr).toContain('GATEWAY_URL');
    expect(stderr).not.toContain('hunter2');
  });

  it('names the address it cannot listen on', async () => {
    const taken = http.createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
    const port = String((taken.address() as AddressInfo).port);
    const { code, stderr, stdout } = await runToExit({ PORTAL_PORT: port });
    taken.close();
    expect(code).toBe(1);
    expect(stderr + stdout).toContain(`cannot listen on 127.0.0.1:${port}`);
  });
});

describe('serve.mjs shutdown', () => {
  it('exits 0 soon after SIGTERM when idle', async () => {
    const p = await launch({ GATEWAY_URL: gatewayUrl });
    expect((await fetch(`${p.url}/health/live`)).status).toBe(200);
    const started = Date.now();
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('lets a request in flight finish, then exits 0', async () => {
    const p = await launch({ GATEWAY_URL: gatewayUrl });
    const answer = fetch(`${p.url}/api/slow`);
    await eventually(() => seen.some((s) => s.url === '/api/slow'));
    p.child.kill('SIGTERM');
    const res = await answer;
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('slow but done');
    expect(await p.exited).toBe(0);
  });

  it('cuts a stream still open after the grace period and exits 0', async () => {
    const p = await launch({ GATEWAY_URL: gatewayUrl });
    const res = await fetch(`${p.url}/api/hang`);
    if (!res.body) throw new Error('no body');
    const reader = res.body.getReader();
    await reader.read();
    const started = Date.now();
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(8_000);
    await expect(reader.read()).rejects.toThrow();
  }, 15_000);
});
