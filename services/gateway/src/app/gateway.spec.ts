import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { JwtService } from '@nestjs/jwt';
import { AccessTokenSigner, RevokedUsers, signingKeyFromPem } from '@relationship/auth';
import type { Role } from '@relationship/contracts';
import { TEST_JWT_PRIVATE_KEY, TEST_JWT_PUBLIC_KEYS, testEnv, testRedisUrl, testTokens } from '@relationship/testing';
import { Redis } from 'ioredis';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { deadUrl, startStandIn, type StandIn } from '../test/stand-in-upstream';
import { loadGatewayConfig } from './config';
import { BODY_LIMIT_BYTES, createGatewayApp } from './create-gateway-app';

jest.setTimeout(30_000);

const tokenFor = (
  role: Role,
  id = `${role}-${randomUUID()}`,
  ttlSeconds = 300,
) => testTokens.sign({ id, role, username: id }, ttlSeconds);
const testKid = signingKeyFromPem(TEST_JWT_PRIVATE_KEY).kid;
const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const claims = { sub: 'u1', role: 'admin', username: 'u1', typ: 'access' };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Unique per test run, so parallel runs and reruns never share counters; deleted afterwards. */
const KEY_PREFIX = `gateway-test:${process.pid}:${randomUUID()}:`;

interface Gateway {
  app: NestFastifyApplication;
  url: string;
}

async function startGateway(
  overrides: Record<string, string>,
): Promise<Gateway> {
  const config = loadGatewayConfig(
    testEnv('gateway', { RATE_LIMIT_KEY_PREFIX: KEY_PREFIX, ...overrides }),
  );
  const app = await createGatewayApp(config);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}` };
}

async function json(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}

/** Asserts the unified error body, with the same request id as the x-request-id header. */
async function expectErrorBody(
  response: Response,
  statusCode: number,
  message?: string | RegExp,
): Promise<Record<string, unknown>> {
  expect(response.status).toBe(statusCode);
  const requestId = response.headers.get('x-request-id');
  expect(requestId).toBeTruthy();
  const body = await json(response);
  expect(Object.keys(body).sort()).toEqual([
    'error',
    'message',
    'requestId',
    'statusCode',
  ]);
  expect(body).toMatchObject({ statusCode, requestId });
  if (message !== undefined)
    expect(body['message']).toEqual(
      typeof message === 'string' ? message : expect.stringMatching(message),
    );
  return body;
}

/** The value of the sample of `name` carrying all `labels` (in any order), or undefined. */
function metricValue(
  text: string,
  name: string,
  labels: Record<string, string>,
): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text
    .split('\n')
    .find(
      (l) =>
        l.startsWith(`${name}{`) &&
        wanted.every((w) =>
          l.slice(name.length, l.indexOf('}') + 1).includes(w),
        ),
    );
  return line === undefined
    ? undefined
    : Number(line.slice(line.lastIndexOf(' ') + 1));
}

const identityDocs = {
  openapi: '3.0.0',
  info: { title: 'identity', version: '1' },
  tags: [{ name: 'auth' }],
  paths: {
    '/api/auth/login': {
      post: {
        operationId: 'AuthController_login',
        tags: ['auth'],
        responses: {
          '200': {
            description: 'tokens',
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/ErrorBody' },
              },
            },
          },
        },
      },
    },
    '/api/users': {
      get: {
        operationId: 'UsersController_list',
        responses: { '200': { description: 'users' } },
      },
    },
    // not routed to identity by the gateway: must not appear in the merged document
    '/api/internal/reindex': {
      post: {
        operationId: 'Internal_reindex',
        responses: { '204': { description: 'done' } },
      },
    },
  },
  components: {
    schemas: {
      ErrorBody: {
        type: 'object',
        properties: { statusCode: { type: 'number' } },
      },
    },
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
    },
  },
};

const profilesDocs = {
  openapi: '3.0.0',
  info: { title: 'profiles', version: '1' },
  paths: {
    '/api/profiles/{id}': {
      get: {
        operationId: 'AuthController_login',
        responses: {
          '200': {
            description: 'a portrait',
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/ErrorBody' },
              },
            },
          },
        },
      },
    },
  },
  components: {
    schemas: {
      ErrorBody: { type: 'object', properties: { code: { type: 'string' } } },
    },
  },
};

const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });

afterAll(async () => {
  const keys = await redis.keys(`${KEY_PREFIX}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

describe('gateway: routing, authorization, errors, docs', () => {
  let identity: StandIn;
  let profiles: StandIn;
  let gw: Gateway;

  beforeAll(async () => {
    identity = await startStandIn({ docs: identityDocs });
    profiles = await startStandIn({ docs: profilesDocs, slowMs: 3_000 });
    gw = await startGateway({
      IDENTITY_URL: identity.url,
      PROFILES_URL: `${profiles.url}/`,
      UPSTREAM_TIMEOUT_MS: '500',
      RATE_LIMIT_PER_MINUTE: '10000',
      AUTH_RATE_LIMIT_PER_MINUTE: '10000',
    });
  });

  afterAll(async () => {
    await gw?.app.close();
    await identity?.close();
    await profiles?.close();
  });

  it('forwards a public route without a token: path, query and body bytes unchanged, response streamed back', async () => {
    const body = '{"username":"anna",   "password":"pw"}';
    const response = await fetch(`${gw.url}/api/auth/login?lang=de&x=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-upstream')).toBe('stand-in');
    const seen = identity.saw('POST', '/api/auth/login');
    expect(seen).toHaveLength(1);
    expect(seen[0].url).toBe('/api/auth/login?lang=de&x=1');
    // byte for byte: the gateway did not parse and re-serialise the JSON
    expect(seen[0].body).toBe(body);
    expect(seen[0].headers['authorization']).toBeUndefined();
    expect(profiles.received).toHaveLength(0);
  });

  it('refuses a protected route without a token with 401, before forwarding', async () => {
    const response = await fetch(`${gw.url}/api/users`);
    await expectErrorBody(response, 401, 'missing bearer token');
    expect(
      (await fetch(`${gw.url}/api/users`)).headers.get('www-authenticate'),
    ).toBe('Bearer');
    expect(identity.saw('GET', '/api/users')).toHaveLength(0);
  });

  it.each([
    [
      'signed with a key not in JWT_PUBLIC_KEYS',
      () =>
        `Bearer ${new AccessTokenSigner({ signingKey: signingKeyFromPem(otherKey), issuer: 'relationship-identity', audience: 'relationship' }).sign({ id: 'u1', role: 'admin', username: 'u1' }, 300)}`,
    ],
    [
      "signed with another key under the published key's kid",
      () =>
        `Bearer ${new AccessTokenSigner({ signingKey: { ...signingKeyFromPem(otherKey), kid: testKid }, issuer: 'relationship-identity', audience: 'relationship' }).sign({ id: 'u1', role: 'admin', username: 'u1' }, 300)}`,
    ],
    [
      'signed HS256 with the public key as the secret (algorithm confusion)',
      () =>
        `Bearer ${new JwtService({}).sign(claims, { secret: TEST_JWT_PUBLIC_KEYS, algorithm: 'HS256', keyid: testKid, issuer: 'relationship-identity', audience: 'relationship', expiresIn: 300 })}`,
    ],
    ['expired', () => `Bearer ${tokenFor('admin', 'u2', -10)}`],
    [
      'for another audience',
      () =>
        `Bearer ${new AccessTokenSigner({ signingKey: signingKeyFromPem(TEST_JWT_PRIVATE_KEY), issuer: 'relationship-identity', audience: 'other' }).sign({ id: 'u3', role: 'admin', username: 'u3' }, 300)}`,
    ],
    ['not a JWT', () => 'Bearer not.a.jwt'],
  ])('refuses a token %s with 401', async (_what, header) => {
    const response = await fetch(`${gw.url}/api/users`, {
      headers: { authorization: header() },
    });
    await expectErrorBody(response, 401, 'invalid or expired token');
    expect(identity.saw('GET', '/api/users')).toHaveLength(0);
  });

  it("refuses a revoked user's cached token within seconds (identity records the revocation in Redis)", async () => {
    const id = `admin-${randomUUID()}`;
    const token = tokenFor('admin', id);
    const users = () => fetch(`${gw.url}/api/auth/me?revocation`, { headers: bearer(token) });
    expect((await users()).status).toBe(200); // verified and cached

    await new RevokedUsers(redis).revoke(id);
    const revokedAt = Date.now();
    let response = await users();
    while (response.status === 200 && Date.now() - revokedAt < 5_000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      response = await users();
    }
    await expectErrorBody(response, 401, 'invalid or expired token');
    expect(Date.now() - revokedAt).toBeLessThan(2_000);
    // others' tokens are untouched
    expect((await fetch(`${gw.url}/api/auth/me?revocation`, { headers: bearer(tokenFor('admin')) })).status).toBe(200);
  });

  it('treats a non-bearer authorization header as no token', async () => {
    const response = await fetch(`${gw.url}/api/auth/me`, {
      headers: {
        authorization: `Basic ${Buffer.from('a:b').toString('base64')}`,
      },
    });
    await expectErrorBody(response, 401, 'missing bearer token');
  });

  it('refuses a customer on /api/users with 403, and the upstream never sees the request', async () => {
    const response = await fetch(`${gw.url}/api/users/42`, {
      headers: bearer(tokenFor('customer')),
    });
    const body = await expectErrorBody(response, 403, 'requires role admin');
    expect(body['error']).toBe('Forbidden');
    expect(
      identity.received.filter((r) => r.url.startsWith('/api/users')),
    ).toHaveLength(0);
  });

  it('forwards an admin request with authorization, x-request-id, x-correlation-id and x-forwarded-for', async () => {
    const token = tokenFor('admin');
    const response = await fetch(`${gw.url}/api/users?page=2`, {
      headers: { ...bearer(token), 'x-correlation-id': 'portal-flow-7' },
    });
    expect(response.status).toBe(200);
    const requestId = response.headers.get('x-request-id');
    expect(requestId).toMatch(/^[A-Za-z0-9._:-]+$/);
    const [seen] = identity.saw('GET', '/api/users');
    expect(seen.url).toBe('/api/users?page=2');
    expect(seen.headers['authorization']).toBe(`Bearer ${token}`);
    expect(seen.headers['x-request-id']).toBe(requestId);
    expect(seen.headers['x-correlation-id']).toBe('portal-flow-7');
    expect(seen.headers['x-forwarded-for']).toBe('127.0.0.1');
  });

  it("uses the request id as correlation id when the incoming one is missing or malformed, and never a client's request id", async () => {
    const token = tokenFor('admin');
    const bad = await fetch(`${gw.url}/api/audit/events`, {
      headers: { ...bearer(token), 'x-correlation-id': 'no spaces allowed' },
    });
    expect(bad.status).toBe(200);
    const [first] = identity.saw('GET', '/api/audit/events');
    expect(first.headers['x-correlation-id']).toBe(
      bad.headers.get('x-request-id'),
    );

    // a client-chosen id (well-formed or not) is replaced: audit rows and logs carry the gateway's own
    for (const chosen of ['portal-req-42', 'x'.repeat(5000), '<script>']) {
      const mine = await fetch(`${gw.url}/api/audit/events`, {
        headers: { ...bearer(token), 'x-request-id': chosen },
      });
      expect(mine.status).toBe(200);
      const issued = mine.headers.get('x-request-id');
      expect(issued).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      const seen = identity.saw('GET', '/api/audit/events').at(-1);
      expect(seen?.headers['x-request-id']).toBe(issued);
      expect(seen?.headers['x-correlation-id']).toBe(issued);
    }
  });

  it('sends each prefix to its own service', async () => {
    const customer = await fetch(`${gw.url}/api/profiles/me`, {
      headers: bearer(tokenFor('customer')),
    });
    expect(customer.status).toBe(200);
    const manager = await fetch(`${gw.url}/api/profiles/123`, {
      method: 'PATCH',
      headers: {
        ...bearer(tokenFor('manager')),
        'content-type': 'application/json',
      },
      body: '{"tags":["x"]}',
    });
    expect(manager.status).toBe(200);
    expect(profiles.saw('GET', '/api/profiles/me')).toHaveLength(1);
    expect(profiles.saw('PATCH', '/api/profiles/123')[0].body).toBe(
      '{"tags":["x"]}',
    );
    expect(
      identity.received.filter((r) => r.url.startsWith('/api/profiles')),
    ).toHaveLength(0);
  });

  it('refuses a customer on another portrait with 403', async () => {
    const response = await fetch(`${gw.url}/api/profiles/123`, {
      headers: bearer(tokenFor('customer')),
    });
    await expectErrorBody(response, 403, 'requires role manager or admin');
    expect(profiles.saw('GET', '/api/profiles/123')).toHaveLength(0);
  });

  it.each([
    ['GET', '/api/nope'],
    ['GET', '/nope'],
    ['GET', '/api/managers/1'], // MANAGERS_URL not configured: no route
    ['GET', '/api/auth/internal'], // routed to identity but not in the policy: denied like an unknown route
    ['GET', '/api/auth/login'], // login is POST only
  ])(
    'answers %s %s with a unified 404, even for an admin',
    async (method, path) => {
      const response = await fetch(`${gw.url}${path}`, {
        method,
        headers: bearer(tokenFor('admin')),
      });
      await expectErrorBody(response, 404, `Cannot ${method} ${path}`);
      expect(identity.received.filter((r) => r.url === path)).toHaveLength(0);
    },
  );

  it('answers a path escaping its prefix with a unified 400, without forwarding', async () => {
    const response = await fetch(`${gw.url}/api/profiles/..%2F..%2Fusers`, {
      headers: bearer(tokenFor('admin')),
    });
    await expectErrorBody(response, 400, /invalid characters/);
    expect(
      profiles.received.filter((r) => r.url.includes('users')),
    ).toHaveLength(0);
  });

  it('answers a slow upstream with 504 naming the service after UPSTREAM_TIMEOUT_MS, never hanging', async () => {
    const started = Date.now();
    const response = await fetch(`${gw.url}/api/profiles/slow`, {
      headers: bearer(tokenFor('manager')),
    });
    await expectErrorBody(
      response,
      504,
      'profiles service did not answer in time',
    );
    expect(Date.now() - started).toBeLessThan(2_500);
  });

  it('refuses a body over 1 MiB with 413 before forwarding, and forwards one of exactly 1 MiB', async () => {
    const tooBig = await fetch(`${gw.url}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(BODY_LIMIT_BYTES + 1),
    });
    await expectErrorBody(tooBig, 413, /larger than 1048576 bytes/);
    expect(identity.saw('POST', '/api/auth/register')).toHaveLength(0);

    const atLimit = await fetch(`${gw.url}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(BODY_LIMIT_BYTES),
    });
    expect(atLimit.status).toBe(200);
    expect(identity.saw('POST', '/api/auth/register')[0].body).toHaveLength(
      BODY_LIMIT_BYTES,
    );
  });

  it('gives bulk paths (CSV import) the bulk body limit and timeout, and only them', async () => {
    const csv = 'displayName\n' + 'x'.repeat(BODY_LIMIT_BYTES + 10);
    const headers = { 'content-type': 'text/csv', ...bearer(tokenFor('admin')) };
    const imported = await fetch(`${gw.url}/api/profiles/import?mode=valid-only&slow=1`, { method: 'POST', headers, body: csv });
    // The stand-in answers after 3 s, past UPSTREAM_TIMEOUT_MS (500 ms): only the bulk timeout lets it through.
    expect(imported.status).toBe(200);
    const seen = profiles.saw('POST', '/api/profiles/import');
    expect(seen).toHaveLength(1);
    expect(seen[0].body).toHaveLength(csv.length);

    const notBulk = await fetch(`${gw.url}/api/profiles/some-other-path`, { method: 'POST', headers, body: csv });
    await expectErrorBody(notBulk, 413, /larger than 1048576 bytes/);
  }, 15_000);

  it('refuses a chunked body (no content-length) over 1 MiB with 413', async () => {
    const chunk = new Uint8Array(64 * 1024).fill(120);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > BODY_LIMIT_BYTES + chunk.length) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    // Not a bulk path: bulk paths (CSV import) have their own, larger limit.
    const response = await fetch(`${gw.url}/api/profiles/bulk-looking-but-not-bulk`, {
      method: 'POST',
      headers: { ...bearer(tokenFor('admin')), 'content-type': 'text/csv' },
      body,
      duplex: 'half',
    } as RequestInit);
    await expectErrorBody(response, 413, /larger than 1048576 bytes/);
  });

  it('serves /api/docs-json merging the upstreams’ paths, keeping clashing schemas apart', async () => {
    const response = await fetch(`${gw.url}/api/docs-json`);
    expect(response.status).toBe(200);
    const doc = (await response.json()) as {
      info: { description: string };
      paths: Record<
        string,
        Record<
          string,
          {
            operationId?: string;
            responses: Record<
              string,
              { content?: Record<string, { schema: { $ref: string } }> }
            >;
          }
        >
      >;
      components: {
        schemas: Record<string, unknown>;
        securitySchemes: Record<string, unknown>;
      };
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/auth/login',
        '/api/users',
        '/api/profiles/{id}',
        '/health/ready',
        '/metrics',
      ]),
    );
    expect(doc.paths['/api/internal/reindex']).toBeUndefined();
    expect(doc.components.securitySchemes['bearer']).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    // both services define ErrorBody differently: profiles' one is renamed and its reference follows
    expect(doc.components.schemas['ErrorBody']).toEqual(
      identityDocs.components.schemas.ErrorBody,
    );
    expect(doc.components.schemas['profiles_ErrorBody']).toEqual(
      profilesDocs.components.schemas.ErrorBody,
    );
    expect(
      doc.paths['/api/profiles/{id}']['get'].responses['200'].content?.[
        'application/json'
      ].schema.$ref,
    ).toBe('#/components/schemas/profiles_ErrorBody');
    expect(doc.paths['/api/profiles/{id}']['get'].operationId).toBe(
      'profiles_AuthController_login',
    );
    expect(doc.info.description).toContain(
      'Services included: identity, profiles.',
    );

    const ui = await fetch(`${gw.url}/api/docs`);
    expect(ui.status).toBe(200);
    expect(ui.headers.get('content-type')).toContain('text/html');
  });

  it('answers /health/live and /health/ready (Redis reachable)', async () => {
    expect((await fetch(`${gw.url}/health/live`)).status).toBe(200);
    const ready = await fetch(`${gw.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ok',
      checks: { redis: { status: 'up' } },
    });
  });

  it('answers CORS preflights for the portal origin only, and error responses carry CORS headers', async () => {
    const preflight = await fetch(`${gw.url}/api/users`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:4200',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(
      'http://localhost:4200',
    );
    expect(preflight.headers.get('access-control-allow-headers')).toContain(
      'authorization',
    );

    const foreign = await fetch(`${gw.url}/api/users`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'GET',
      },
    });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();

    const unauthorized = await fetch(`${gw.url}/api/users`, {
      headers: { origin: 'http://localhost:4200' },
    });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('access-control-allow-origin')).toBe(
      'http://localhost:4200',
    );
    expect(unauthorized.headers.get('access-control-expose-headers')).toContain(
      'x-request-id',
    );
  });

  it('exposes upstream latency by service and status, and auth rejections by reason, at /metrics', async () => {
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    expect(
      metricValue(text, 'gateway_upstream_duration_seconds_count', {
        upstream: 'identity',
        status: '200',
      }),
    ).toBeGreaterThan(0);
    expect(
      metricValue(text, 'gateway_upstream_duration_seconds_count', {
        upstream: 'profiles',
        status: '504',
      }),
    ).toBe(1);
    expect(
      metricValue(text, 'gateway_auth_rejections_total', {
        reason: 'missing_token',
      }),
    ).toBeGreaterThan(0);
    expect(
      metricValue(text, 'gateway_auth_rejections_total', {
        reason: 'invalid_token',
      }),
    ).toBeGreaterThan(0);
    expect(
      metricValue(text, 'gateway_auth_rejections_total', {
        reason: 'forbidden_role',
      }),
    ).toBeGreaterThan(0);
  });
});

describe('gateway: rate limits in Redis', () => {
  let identity: StandIn;
  let profiles: StandIn;
  let gw: Gateway;
  let replica: Gateway;

  beforeAll(async () => {
    identity = await startStandIn();
    profiles = await startStandIn();
    const env = {
      IDENTITY_URL: identity.url,
      PROFILES_URL: profiles.url,
      RATE_LIMIT_PER_MINUTE: '5',
      AUTH_RATE_LIMIT_PER_MINUTE: '3',
    };
    gw = await startGateway(env);
    replica = await startGateway(env);
  });

  afterAll(async () => {
    await gw?.app.close();
    await replica?.app.close();
    await identity?.close();
    await profiles?.close();
  });

  const login = (base: string, ip: string) =>
    fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
      body: '{}',
    });

  it('refuses the login after AUTH_RATE_LIMIT_PER_MINUTE per client IP with 429 and retry-after; other IPs go on', async () => {
    const ip = '203.0.113.10';
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await login(gw.url, ip)).status);
    expect(statuses).toEqual([200, 200, 200]);

    const limited = await login(gw.url, ip);
    await expectErrorBody(limited, 429, /rate limit exceeded/);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(
      identity
        .saw('POST', '/api/auth/login')
        .filter((r) => r.headers['x-forwarded-for'] === ip),
    ).toHaveLength(3);

    expect((await login(gw.url, '203.0.113.11')).status).toBe(200);
    expect(await redis.keys(`${KEY_PREFIX}*auth:ip:${ip}`)).toHaveLength(1);
  });

  it('shares the counters between replicas through Redis', async () => {
    const ip = '203.0.113.20';
    expect((await login(gw.url, ip)).status).toBe(200);
    expect((await login(replica.url, ip)).status).toBe(200);
    expect((await login(gw.url, ip)).status).toBe(200);
    expect((await login(replica.url, ip)).status).toBe(429);
  });

  it('limits an authenticated caller per user, not per IP', async () => {
    const ip = '203.0.113.30';
    const anna = tokenFor('manager', `anna-${randomUUID()}`);
    const ben = tokenFor('manager', `ben-${randomUUID()}`);
    const get = (token: string) =>
      fetch(`${gw.url}/api/profiles/1`, {
        headers: { ...bearer(token), 'x-forwarded-for': ip },
      });
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await get(anna)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const ok = await get(ben);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-ratelimit-limit')).toBe('5');
    expect(ok.headers.get('x-ratelimit-remaining')).toBe('4');
  });
});

describe('gateway: degraded dependencies', () => {
  let identity: StandIn;
  let gw: Gateway;
  let deadProfiles: string;

  beforeAll(async () => {
    identity = await startStandIn({ docs: identityDocs });
    deadProfiles = await deadUrl();
    const deadRedis = (await deadUrl()).replace('http://', 'redis://');
    gw = await startGateway({
      IDENTITY_URL: identity.url,
      PROFILES_URL: deadProfiles,
      MANAGERS_URL: await deadUrl(),
      REDIS_URL: deadRedis,
      AUTH_RATE_LIMIT_PER_MINUTE: '1',
    });
  });

  afterAll(async () => {
    await gw?.app.close();
    await identity?.close();
  });

  it('answers an unreachable upstream with 502 naming the service, quickly', async () => {
    const started = Date.now();
    const response = await fetch(`${gw.url}/api/profiles/1`, {
      headers: bearer(tokenFor('manager')),
    });
    await expectErrorBody(response, 502, 'profiles service unavailable');
    expect(Date.now() - started).toBeLessThan(2_000);
    const managers = await fetch(`${gw.url}/api/managers`, {
      method: 'POST',
      headers: {
        ...bearer(tokenFor('admin')),
        'content-type': 'application/json',
      },
      body: '{}',
    });
    await expectErrorBody(managers, 502, 'managers service unavailable');
  });

  it('keeps serving with Redis down: limits are skipped, readiness says why, liveness stays up', async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      statuses.push(
        (
          await fetch(`${gw.url}/api/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{}',
          })
        ).status,
      );
    }
    expect(statuses).toEqual([200, 200, 200]); // the limit is 1: only skipped checks let all three through

    const ready = await fetch(`${gw.url}/health/ready`);
    await expectErrorBody(ready, 503, /redis/);
    expect((await fetch(`${gw.url}/health/live`)).status).toBe(200);
    expect(
      metricValue(
        await (await fetch(`${gw.url}/metrics`)).text(),
        'gateway_rate_limit_skipped_total',
        {},
      ),
    ).toBeGreaterThan(0);
  });

  it('still serves /api/docs-json, leaving out and naming the services it cannot reach', async () => {
    const response = await fetch(`${gw.url}/api/docs-json`);
    expect(response.status).toBe(200);
    const doc = (await response.json()) as {
      info: { description: string };
      paths: Record<string, unknown>;
    };
    expect(doc.paths['/api/auth/login']).toBeDefined();
    expect(
      Object.keys(doc.paths).some((p) => p.startsWith('/api/profiles')),
    ).toBe(false);
    expect(doc.info.description).toContain('Services included: identity.');
    expect(doc.info.description).toMatch(
      /Left out.*profiles \(.+\); managers \(.+\)/,
    );
  });
});
