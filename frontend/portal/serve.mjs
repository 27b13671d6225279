#!/usr/bin/env node
// Serves the built portal (dist/frontend/portal/browser) and proxies /api/* to the gateway, so the portal and the
// API share one origin (no CORS). `make up` runs it, and so does the portal image (docker/portal.Dockerfile).
// fastify, with @fastify/static for the files and @fastify/http-proxy for /api.
//
//   node frontend/portal/serve.mjs
//
// Environment (checked at start: a bad value stops it with a message naming the variable):
//   PORTAL_PORT  port to listen on                              (default 4200)
//   PORTAL_HOST  address to bind                                (default 127.0.0.1; 0.0.0.0 in a container)
//   GATEWAY_URL  where /api/* goes, http(s)                     (default http://127.0.0.1:3000)
//   PORTAL_DIST  the built browser files                        (default <repo>/dist/frontend/portal/browser)
//   LOG_LEVEL    fatal, error, warn, info, debug, trace, silent (default info)
//
// Static files: hashed bundles (name-HASH.js/css) are cached for a year (immutable), everything else (index.html,
// i18n/*.json) is revalidated (no-cache + ETag). A missing path that looks like a page (the browser asks for HTML,
// or the last segment has no file extension) gets index.html: the Angular router takes it from there; a missing
// asset gets 404. /api/*: method, path (the /api prefix kept), query, headers and body are streamed to the gateway
// and the answer streamed back (server-sent events and websockets too). This server is the edge: it sets
// X-Forwarded-For/-Proto/-Host and X-Request-Id itself. If the gateway cannot be reached the client gets a 502 in
// the API's error format. /health/live and /health/ready answer for this server itself (ready = index.html is
// there). Logs are JSON lines (pino) without headers or query strings. SIGTERM: stop accepting, let requests
// finish, cut streams still open after 5 s, exit 0.
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { STATUS_CODES } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyHttpProxy from '@fastify/http-proxy';
import fastifyStatic from '@fastify/static';
import Fastify, { LogController } from 'fastify';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const SHUTDOWN_GRACE_MS = 5_000;
// Connection-level headers that must not be forwarded by a proxy (RFC 9110 §7.6.1).
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade'];
// The websocket client sets these itself for the upstream handshake.
const WS_HANDSHAKE = ['host', 'sec-websocket-key', 'sec-websocket-version', 'sec-websocket-extensions', 'sec-websocket-protocol'];
// Angular's hashed output names (main-ABCD1234.js, chunk-XYZ.js, styles-….css) never change content.
const HASHED = /-[A-Za-z0-9_-]{8,}\.(js|css)$/;

const config = readConfig();
let stopping = false;
const indexFile = path.join(config.root, 'index.html');
/** One line per request when it is answered; the path only (a query string may carry a token), no headers. */
class RequestLog extends LogController {
  incomingRequest() {
    // nothing on arrival: requestCompleted logs the request once, with its status
  }
  requestCompleted(error, request, reply) {
    const fields = { method: request.method, path: pathOf(request.url), status: reply.statusCode, ms: Math.round(reply.elapsedTime) };
    if (error) reply.log.warn({ ...fields, err: error }, 'request errored');
    else if (request.url.startsWith('/health/')) reply.log.debug(fields, 'request');
    else reply.log.info(fields, 'request');
  }
}

const app = Fastify({
  logger: {
    level: config.logLevel,
    base: { service: 'portal' },
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    formatters: { level: (label) => ({ level: label }) },
    serializers: { req: (request) => ({ method: request.method, path: pathOf(request.url) }) },
  },
  logController: new RequestLog({ requestIdLogLabel: 'requestId' }),
  requestIdHeader: 'x-request-id',
  genReqId: () => randomUUID(),
  keepAliveTimeout: 65_000, // keep-alive sockets must outlive a typical load balancer's idle timeout
  requestTimeout: 0, // /api may carry long-lived streams (server-sent events)
  frameworkErrors: (error, request, reply) => sendError(reply, error.statusCode ?? 400, 'malformed request'),
});
app.server.headersTimeout = 66_000;

app.addHook('onRequest', (request, reply, done) => {
  // A client sending its own If-None-Match asks for validation, and a 304 is that; fetch() adds Cache-Control:
  // no-cache to such requests, which @fastify/send reads as "ignore the validator" (RFC 2616's reload rule).
  if (request.headers['if-none-match'] && !isApi(request.url)) delete request.raw.headers['cache-control'];
  done();
});

app.addHook('onSend', (request, reply, payload, done) => {
  // once stopping, a keep-alive connection must not outlive the answer it carries
  if (stopping) reply.header('connection', 'close');
  done();
});

app.setErrorHandler((error, request, reply) => {
  const status = error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  if (status === 500) request.log.error({ err: error }, 'request failed');
  return sendError(reply, status, status === 500 ? 'Internal server error' : error.message);
});

// ---------------------------------------------------------------- health

app.get('/health/live', (request, reply) => sendJson(reply, 200, { status: 'ok' }));
app.get('/health/ready', async (request, reply) =>
  (await isFile(indexFile)) ? sendJson(reply, 200, { status: 'ok' }) : sendJson(reply, 503, { status: 'error', reason: `${indexFile} is missing` }),
);

// ---------------------------------------------------------------- /api/* -> gateway

await app.register(fastifyHttpProxy, {
  upstream: config.gateway.origin,
  prefix: '/api',
  rewritePrefix: `${config.gatewayPath}/api`,
  websocket: true,
  disableRequestLogging: true,
  // bodyTimeout 0: a stream may stay quiet between events; TLS to the gateway is verified
  undici: { connections: 256, bodyTimeout: 0, tls: { rejectUnauthorized: true } },
  replyOptions: {
    retryDelay: () => null, // an answer, even a 503, goes to the browser as it is: no hidden retries
    rewriteRequestHeaders: (request, headers) => forwarded(request, withoutHopByHop(headers)),
    rewriteHeaders: (headers) => withoutHopByHop(headers),
    onResponse: (request, reply, answer) => {
      reply.send(answer.stream);
      // server-sent events: the browser must see the headers before the first event
      if (String(answer.headers['content-type']).startsWith('text/event-stream') && reply.raw.hasHeader('content-type')) reply.raw.flushHeaders();
    },
    onError: (reply, { error }) => {
      const cause = error.cause ?? error;
      const code = cause.code ?? cause.errors?.[0]?.code ?? 'error';
      const timeout = error.statusCode === 504;
      reply.log.warn({ method: reply.request.method, path: pathOf(reply.request.url), err: code }, 'gateway unreachable');
      reply.header('x-request-id', reply.request.id);
      sendError(reply, timeout ? 504 : 502, `The API gateway at ${config.gateway.origin} ${timeout ? 'did not answer in time' : 'could not be reached'} (${code}).`);
    },
  },
  wsClientOptions: {
    rewriteRequestHeaders: (headers, request) =>
      forwarded(request, withoutHopByHop(Object.fromEntries(Object.entries(request.headers).filter(([name]) => !WS_HANDSHAKE.includes(name))))),
  },
});

/** The headers the gateway gets: this server is the edge, so it states the client, scheme and host itself. */
function forwarded(request, headers) {
  const socket = request.raw.socket;
  const prior = request.headers['x-forwarded-for'];
  const out = { ...headers, 'x-request-id': request.id, 'x-forwarded-proto': socket.encrypted ? 'https' : 'http' };
  if (socket.remoteAddress) out['x-forwarded-for'] = prior ? `${prior}, ${socket.remoteAddress}` : socket.remoteAddress;
  if (request.headers.host) out['x-forwarded-host'] = request.headers.host;
  else delete out['x-forwarded-host'];
  return out;
}

function withoutHopByHop(headers) {
  return Object.fromEntries(Object.entries(headers).filter(([name, value]) => value !== undefined && !HOP_BY_HOP.includes(name)));
}

// ---------------------------------------------------------------- static files + SPA fallback

await app.register(fastifyStatic, {
  root: config.root,
  cacheControl: false, // set per file below
  suppressWarning: true, // a missing build is reported below, and by /health/ready
  setHeaders: (reply, file) => {
    reply.header('cache-control', HASHED.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache');
    reply.header('x-content-type-options', 'nosniff');
    if (file.endsWith('.html')) reply.header('x-frame-options', 'DENY').header('referrer-policy', 'same-origin');
    // RFC 9239 (mime still says application/javascript); not on a 304, which has no content type
    if (/\.m?js$/.test(file) && reply.hasHeader('content-type')) reply.header('content-type', 'text/javascript; charset=utf-8');
  },
});

app.setNotFoundHandler(async (request, reply) => {
  const urlPath = pathOf(request.url);
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    reply.header('allow', isApi(urlPath) ? 'DELETE, GET, HEAD, PATCH, POST, PUT, OPTIONS' : 'GET, HEAD');
    return sendError(reply, 405, `${request.method} is not allowed here`);
  }
  const last = urlPath.slice(urlPath.lastIndexOf('/') + 1);
  const looksLikePage = String(request.headers.accept ?? '').includes('text/html') || !last.includes('.');
  if (!looksLikePage) return sendError(reply, 404, `no file ${urlPath}`);
  if (!(await isFile(indexFile))) return sendError(reply, 503, `the portal is not built: ${indexFile} is missing`);
  return reply.code(200).sendFile('index.html');
});

// ---------------------------------------------------------------- helpers

function isApi(url) {
  const urlPath = pathOf(url);
  return urlPath === '/api' || urlPath.startsWith('/api/');
}

function pathOf(url) {
  return url.split('?', 1)[0];
}

function sendJson(reply, status, body) {
  return reply.code(status).header('cache-control', 'no-store').type('application/json; charset=utf-8').send(JSON.stringify(body));
}

/** The API's error format. */
function sendError(reply, status, message) {
  return sendJson(reply, status, { statusCode: status, error: STATUS_CODES[status], message, requestId: reply.request?.id ?? randomUUID() });
}

async function isFile(file) {
  return (await stat(file).catch(() => null))?.isFile() ?? false;
}

/** The configuration from the environment; stops the process with a message naming the variable that is wrong. */
function readConfig() {
  const problems = [];
  const portText = process.env.PORTAL_PORT || '4200';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) problems.push(`PORTAL_PORT must be a port number (0-65535), got "${portText}"`);
  const host = process.env.PORTAL_HOST || '127.0.0.1';
  const gatewayText = process.env.GATEWAY_URL || 'http://127.0.0.1:3000';
  const gateway = URL.parse(gatewayText);
  if (gateway?.protocol !== 'http:' && gateway?.protocol !== 'https:')
    problems.push(`GATEWAY_URL must be an http(s) URL, got "${gatewayText.replace(/\/\/[^/]*@/, '//…@')}"`);
  else if (gateway.search || gateway.hash) problems.push(`GATEWAY_URL must not have a query or fragment, got "${gateway.origin}${gateway.pathname}…"`);
  const logLevel = process.env.LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const root = path.resolve(process.env.PORTAL_DIST || path.join(repoRoot, 'dist/frontend/portal/browser'));
  // missing is fine (not built yet: /health/ready says so); something else than a folder is not
  if (statSync(root, { throwIfNoEntry: false })?.isDirectory() === false) problems.push(`PORTAL_DIST must be a folder, ${root} is not one`);
  if (problems.length) {
    for (const msg of problems) console.error(JSON.stringify({ level: 'fatal', time: new Date().toISOString(), service: 'portal', msg }));
    process.exit(1);
  }
  // the gateway's own path (if any) goes before /api; its user info, if any, is neither used nor logged
  return { port, host, gateway, gatewayPath: gateway.pathname.replace(/\/+$/, ''), root, logLevel };
}

// ---------------------------------------------------------------- start and stop

try {
  await app.listen({ port: config.port, host: config.host });
} catch (error) {
  app.log.fatal(`cannot listen on ${config.host}:${config.port}: ${error.message}`);
  process.exit(1);
}
const host = config.host.includes(':') ? `[${config.host}]` : config.host;
app.log.info(
  { url: `http://${host}:${app.server.address().port}`, root: config.root, gateway: config.gateway.origin + config.gatewayPath },
  'portal listening',
);
if (!(await isFile(indexFile))) app.log.warn(`${indexFile} is missing: build first (npx nx build portal)`);

function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  app.log.info(`stopping (${signal})`);
  // open streams (server-sent events, websockets) would hold close() forever
  setTimeout(() => {
    app.log.info('streams still open: closing them');
    process.exit(0);
  }, SHUTDOWN_GRACE_MS).unref();
  app.close().then(
    () => process.exit(0),
    (error) => {
      app.log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    },
  );
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
