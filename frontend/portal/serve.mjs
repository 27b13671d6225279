#!/usr/bin/env node
// Serves the built portal (dist/frontend/portal/browser) and proxies /api/* to the gateway, so the portal and the
// API share one origin (no CORS). This is what `make up` runs. Node built-ins only.
//
//   node frontend/portal/serve.mjs
//
// Environment:
//   PORTAL_PORT  port to listen on                              (default 4200)
//   PORTAL_HOST  address to bind                                (default 127.0.0.1; 0.0.0.0 in a container)
//   GATEWAY_URL  where /api/* goes                              (default http://127.0.0.1:3000)
//   PORTAL_DIST  the built browser files                        (default <repo>/dist/frontend/portal/browser)
//
// Static files: exact files are served with a content type; hashed bundles (name-HASH.js/css) are cached for a
// year, everything else (index.html, i18n/*.json) is revalidated. A missing path that looks like a page (the
// browser asks for HTML, or the last segment has no file extension) gets index.html: the Angular router takes it
// from there. /api/*: method, path, query, headers and body are streamed to the gateway and the answer streamed
// back with its status and headers; if the gateway cannot be reached the client gets a 502 in the API's error
// format. /health/live and /health/ready answer for this server itself (ready = index.html is there).
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');

const port = parsePort(process.env.PORTAL_PORT ?? '4200');
const host = process.env.PORTAL_HOST || '127.0.0.1';
const gateway = parseGatewayUrl(
  process.env.GATEWAY_URL || 'http://127.0.0.1:3000',
);
const root = path.resolve(
  process.env.PORTAL_DIST ||
    path.join(repoRoot, 'dist/frontend/portal/browser'),
);
const indexFile = path.join(root, 'index.html');

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.webmanifest': 'application/manifest+json',
};

// Connection-level headers that must not be forwarded by a proxy (RFC 9110 §7.6.1).
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

const upstreamAgent = new (gateway.protocol === 'https:' ? https : http).Agent({
  keepAlive: true,
  maxSockets: 256,
});

function parsePort(value) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    fail(`PORTAL_PORT must be a port number, got "${value}"`);
  return n;
}

function parseGatewayUrl(value) {
  let url;
  try {
    url = new URL(value);
  } catch {
    fail(`GATEWAY_URL must be an http(s) URL, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    fail(`GATEWAY_URL must be http(s), got "${value}"`);
  return url;
}

function fail(message) {
  console.error(`[portal] ${message}`);
  process.exit(1);
}

function log(fields) {
  console.log(
    JSON.stringify({
      time: new Date().toISOString(),
      service: 'portal',
      ...fields,
    }),
  );
}

function sendJson(res, statusCode, body, headers = {}) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(statusCode, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

function errorBody(statusCode, error, message, requestId) {
  return { statusCode, error, message, requestId };
}

// ---------------------------------------------------------------- /api/* -> gateway

function proxy(req, res) {
  const requestId =
    typeof req.headers['x-request-id'] === 'string'
      ? req.headers['x-request-id']
      : randomUUID();
  const headers = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (!HOP_BY_HOP.has(name) && value !== undefined) headers[name] = value;
  }
  headers['x-request-id'] = requestId;
  const remote = req.socket.remoteAddress;
  if (remote) {
    const prior = req.headers['x-forwarded-for'];
    headers['x-forwarded-for'] = prior ? `${prior}, ${remote}` : remote;
  }
  // this server is the edge: it states the scheme and host the browser used (a client's own claims are dropped)
  headers['x-forwarded-proto'] = req.socket.encrypted ? 'https' : 'http';
  if (req.headers.host) headers['x-forwarded-host'] = req.headers.host;
  else delete headers['x-forwarded-host'];
  headers.host = gateway.host;

  const basePath = gateway.pathname.replace(/\/+$/, '');
  const upstream = (gateway.protocol === 'https:' ? https : http).request({
    protocol: gateway.protocol,
    hostname: gateway.hostname,
    port: gateway.port || undefined,
    method: req.method,
    path: basePath + req.url,
    headers,
    agent: upstreamAgent,
  });

  upstream.on('response', (answer) => {
    const out = {};
    for (const [name, value] of Object.entries(answer.headers)) {
      if (!HOP_BY_HOP.has(name) && value !== undefined) out[name] = value;
    }
    res.writeHead(answer.statusCode ?? 502, out);
    // long-lived answers (server-sent events) must reach the browser as they come
    res.flushHeaders();
    answer.pipe(res);
    answer.on('error', () => res.destroy());
  });

  upstream.on('error', (error) => {
    if (res.headersSent) {
      res.destroy(error);
      return;
    }
    log({
      level: 'warn',
      msg: 'gateway unreachable',
      requestId,
      method: req.method,
      url: req.url,
      err: error.code ?? error.message,
    });
    sendJson(
      res,
      502,
      errorBody(
        502,
        'Bad Gateway',
        `The API gateway at ${gateway.origin} could not be reached (${error.code ?? 'error'}).`,
        requestId,
      ),
      { 'x-request-id': requestId },
    );
  });

  // the browser went away: stop the upstream call too
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.on('error', () => upstream.destroy());
  req.pipe(upstream);
}

// ---------------------------------------------------------------- static files + SPA fallback

/** The file under root a URL path names, or null when the path escapes root or is malformed. */
function fileFor(urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const file = path.resolve(root, '.' + path.posix.normalize('/' + decoded));
  return file === root || file.startsWith(root + path.sep) ? file : null;
}

async function regularFile(file) {
  try {
    const info = await stat(file);
    return info.isFile() ? info : null;
  } catch {
    return null;
  }
}

function looksLikePage(req, urlPath) {
  const accept = String(req.headers.accept ?? '');
  const last = urlPath.slice(urlPath.lastIndexOf('/') + 1);
  return accept.includes('text/html') || !last.includes('.');
}

function serveFile(req, res, file, info, { revalidate }) {
  const type =
    CONTENT_TYPES[path.extname(file).toLowerCase()] ??
    'application/octet-stream';
  const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
  // Angular's hashed output names (main-ABCD1234.js, chunk-XYZ.js, styles-….css) never change content
  const hashed = /-[A-Za-z0-9_-]{8,}\.(js|css)$/.test(file);
  const headers = {
    'content-type': type,
    'cache-control':
      revalidate || !hashed
        ? 'no-cache'
        : 'public, max-age=31536000, immutable',
    etag,
    'last-modified': info.mtime.toUTCString(),
    'x-content-type-options': 'nosniff',
  };
  if (type.startsWith('text/html')) {
    headers['x-frame-options'] = 'DENY';
    headers['referrer-policy'] = 'same-origin';
  }
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  headers['content-length'] = info.size;
  res.writeHead(200, headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

async function serveStatic(req, res, urlPath) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendJson(
      res,
      405,
      errorBody(
        405,
        'Method Not Allowed',
        `${req.method} is not allowed here`,
        randomUUID(),
      ),
      {
        allow: 'GET, HEAD',
      },
    );
    return;
  }
  const file = fileFor(urlPath);
  if (file === null) {
    sendJson(
      res,
      400,
      errorBody(400, 'Bad Request', 'malformed path', randomUUID()),
    );
    return;
  }
  const info = file.endsWith(path.sep) ? null : await regularFile(file);
  if (info) {
    serveFile(req, res, file, info, { revalidate: false });
    return;
  }
  if (looksLikePage(req, urlPath)) {
    const index = await regularFile(indexFile);
    if (index) {
      serveFile(req, res, indexFile, index, { revalidate: true });
      return;
    }
    sendJson(
      res,
      503,
      errorBody(
        503,
        'Service Unavailable',
        `the portal is not built: ${indexFile} is missing`,
        randomUUID(),
      ),
    );
    return;
  }
  sendJson(
    res,
    404,
    errorBody(404, 'Not Found', `no file ${urlPath}`, randomUUID()),
  );
}

// ---------------------------------------------------------------- server

const server = http.createServer((req, res) => {
  const rawUrl = req.url ?? '/';
  const urlPath = rawUrl.split('?', 1)[0] || '/';
  if (urlPath === '/api' || urlPath.startsWith('/api/')) {
    proxy(req, res);
    return;
  }
  if (urlPath === '/health/live') {
    sendJson(res, 200, { status: 'ok' });
    return;
  }
  if (urlPath === '/health/ready') {
    regularFile(indexFile).then((info) =>
      info
        ? sendJson(res, 200, { status: 'ok' })
        : sendJson(res, 503, {
            status: 'error',
            reason: `${indexFile} is missing`,
          }),
    );
    return;
  }
  serveStatic(req, res, urlPath).catch((error) => {
    log({
      level: 'error',
      msg: 'static file error',
      url: rawUrl,
      err: String(error),
    });
    sendJson(
      res,
      500,
      errorBody(
        500,
        'Internal Server Error',
        'Internal server error',
        randomUUID(),
      ),
    );
  });
});

// keep-alive sockets must outlive a typical load balancer's idle timeout
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
// no request timeout: /api may carry long-lived streams (server-sent events)
server.requestTimeout = 0;

server.on('error', (error) =>
  fail(`cannot listen on ${host}:${port}: ${error.message}`),
);
server.listen(port, host, () => {
  const address = server.address();
  const actualPort =
    typeof address === 'object' && address ? address.port : port;
  log({
    level: 'info',
    msg: 'portal listening',
    url: `http://${host}:${actualPort}`,
    root,
    gateway: gateway.origin + gateway.pathname.replace(/\/+$/, ''),
  });
  regularFile(indexFile).then((info) => {
    if (!info)
      log({
        level: 'warn',
        msg: `${indexFile} is missing: build first (npx nx build portal)`,
      });
  });
});

function shutdown(signal) {
  log({ level: 'info', msg: `stopping (${signal})` });
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  // open streams (SSE) would hold close() forever
  setTimeout(() => process.exit(0), 5_000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
