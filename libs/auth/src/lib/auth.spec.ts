import { Controller, Get } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { Redis } from 'ioredis';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { AuthModule, CurrentUser, Public, Roles } from './guards';
import { KeyError, PublicKeySet, signingKeyFromPem, type SigningKey } from './keys';
import { REVOCATIONS_KEY, RevokedUsers } from './revocation';
import { AccessTokenSigner, AccessTokenVerifier, bearerToken, InvalidTokenError, type AuthUser } from './tokens';

function newSigningKey(): SigningKey {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return signingKeyFromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
}

const current = newSigningKey();
const previous = newSigningKey();
const stranger = newSigningKey();
const names = { issuer: 'relationship-identity', audience: 'relationship' };
const publicKeys = PublicKeySet.fromJwks(JSON.stringify({ keys: [current.publicJwk, previous.publicJwk] }));
const settings = { ...names, publicKeys };
const signer = new AccessTokenSigner({ ...names, signingKey: current });
const verifier = new AccessTokenVerifier(settings);
const user: AuthUser = { id: '7d3c1f0e-4a2b-4c5d-8e9f-0a1b2c3d4e5f', role: 'customer', username: 'customer1' };
const claims = { sub: user.id, role: 'admin', username: 'x', typ: 'access' };
const jwt = new JwtService({});

describe('keys', () => {
  it('names a key by its RFC 7638 thumbprint and publishes only the public half', () => {
    expect(current.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(current.publicJwk).toEqual({ kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String), kid: current.kid, alg: 'ES256', use: 'sig' });
    expect(current.publicJwk).not.toHaveProperty('d');
    expect(publicKeys.kids).toEqual([current.kid, previous.kid]);
  });

  it('accepts a one-line PEM with \\n escapes, as env files carry it', () => {
    const pem = current.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(signingKeyFromPem(pem.replace(/\n/g, '\\n')).kid).toBe(current.kid);
  });

  it.each([
    ['a placeholder', 'REPLACE-ME-with-at-least-32-random-characters', /PEM-encoded private key/],
    ['an RSA key', generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), /EC P-256/],
  ])('refuses %s as the signing key', (_what, pem, message) => {
    expect(() => signingKeyFromPem(pem)).toThrow(KeyError);
    expect(() => signingKeyFromPem(pem)).toThrow(message);
  });

  it.each([
    ['not JSON', 'REPLACE-ME', /JWKS document/],
    ['no keys', '{"keys": []}', /at least one key/],
    ['a private key', JSON.stringify({ keys: [current.privateKey.export({ format: 'jwk' })] }), /key 0: is a private key/],
    ['a kid that is not the thumbprint', JSON.stringify({ keys: [{ ...current.publicJwk, kid: previous.kid }] }), /kid must be the key's RFC 7638 thumbprint/],
  ])('refuses a JWKS with %s', (_what, json, message) => {
    expect(() => PublicKeySet.fromJwks(json)).toThrow(message);
  });
});

describe('AccessTokenVerifier', () => {
  it('round-trips a token signed with the current key, naming it by kid in the header', () => {
    const token = signer.sign(user, 60);
    expect(jwt.decode(token, { complete: true })).toMatchObject({ header: { alg: 'ES256', kid: current.kid } });
    expect(verifier.verify(token)).toEqual(user);
  });

  it('still accepts tokens of the previous key during a rotation', () => {
    expect(verifier.verify(new AccessTokenSigner({ ...names, signingKey: previous }).sign(user, 60))).toEqual(user);
  });

  it.each([
    ['a key it does not know', () => new AccessTokenSigner({ ...names, signingKey: stranger }).sign(user, 60), /unknown signing key/],
    ['another key under a known kid', () => new AccessTokenSigner({ ...names, signingKey: { ...stranger, kid: current.kid } }).sign(user, 60), /invalid signature/],
    ['HS256 keyed with the public key', () => jwt.sign(claims, { secret: JSON.stringify(current.publicJwk), algorithm: 'HS256', keyid: current.kid, ...names, expiresIn: 60 }), /invalid algorithm/],
    ['no kid', () => jwt.sign(claims, { privateKey: current.privateKey, algorithm: 'ES256', ...names, expiresIn: 60 }), /names no signing key/],
    ['another audience', () => new AccessTokenSigner({ ...names, audience: 'other', signingKey: current }).sign(user, 60), /audience invalid/],
    ['an expired one', () => signer.sign(user, -10), /expired/],
    ['a refresh-typed one', () => jwt.sign({ ...claims, typ: 'refresh' }, { privateKey: current.privateKey, algorithm: 'ES256', keyid: current.kid, ...names, expiresIn: 60 }), /not an access token/],
    ['a tampered one', () => `${signer.sign(user, 60).slice(0, -2)}xx`, /signature/],
  ])('rejects a token signed by %s', (_what, token, message) => {
    expect(() => verifier.verify(token())).toThrow(InvalidTokenError);
    expect(() => verifier.verify(token())).toThrow(message);
  });

  it('reads only bearer authorization headers', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});

@Controller()
class ProbeController {
  @Get('api/me')
  me(@CurrentUser() caller: AuthUser): AuthUser {
    return caller;
  }

  @Public()
  @Get('api/open')
  open(): { ok: true } {
    return { ok: true };
  }

  @Roles('admin')
  @Get('api/admin')
  admin(): { ok: true } {
    return { ok: true };
  }

  /** Outside /api, and neither @Public() nor @Roles(): still needs a token. */
  @Get('internal/state')
  internal(): { ok: true } {
    return { ok: true };
  }
}

/** One raw HTTP/1.1 exchange, so the request line can be in absolute form (`GET http://host/path`). */
async function rawStatus(port: number, requestLine: string): Promise<number> {
  const { connect } = await import('node:net');
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`${requestLine}\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1])));
    socket.on('error', reject);
  });
}

describe('AuthModule (passport-jwt on fastify)', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [AuthModule.forRoot(settings)], controllers: [ProbeController] }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter());
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(() => app.close());

  const get = (url: string, token?: string) => app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('verifies the bearer token with the public key and attaches the caller', async () => {
    const response = await get('/api/me', signer.sign(user, 60));
    expect([response.statusCode, response.json()]).toEqual([200, user]);
  });

  it('answers 401 for a missing token and for one it cannot verify', async () => {
    expect([(await get('/api/me')).statusCode, (await get('/api/me')).json().message]).toEqual([401, 'missing bearer token']);
    const forged = new AccessTokenSigner({ ...names, signingKey: { ...stranger, kid: current.kid } }).sign({ ...user, role: 'admin' }, 60);
    const response = await get('/api/admin', forged);
    expect([response.statusCode, response.json().message]).toEqual([401, 'invalid or expired token']);
  });

  it('decides from the matched route only: a route outside /api needs a token unless @Public()', async () => {
    expect((await get('/internal/state')).statusCode).toBe(401);
    expect((await get('/internal/state', signer.sign(user, 60))).statusCode).toBe(200);
  });

  it('refuses an absolute-form request line without a token like any other', async () => {
    await app.listen(0, '127.0.0.1');
    const port = (app.getHttpServer().address() as { port: number }).port;
    expect(await rawStatus(port, 'GET /api/admin HTTP/1.1')).toBe(401);
    expect(await rawStatus(port, `GET http://127.0.0.1:${port}/api/admin HTTP/1.1`)).toBe(401);
  });

  it('lets @Public() routes through and enforces @Roles()', async () => {
    expect((await get('/api/open')).statusCode).toBe(200);
    expect((await get('/api/admin', signer.sign(user, 60))).statusCode).toBe(403);
    expect((await get('/api/admin', signer.sign({ ...user, role: 'admin' }, 60))).statusCode).toBe(200);
  });
});

describe('RevokedUsers (real Redis)', () => {
  const url = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  // identity records, another process (the gateway, a service) refuses: two instances on one Redis
  const writer = RevokedUsers.fromUrl(url);
  const reader = RevokedUsers.fromUrl(url, 200);
  const cachedVerifier = new AccessTokenVerifier({ ...settings, revoked: reader });
  const redis = new Redis(url);

  beforeAll(() => reader.start());
  afterAll(async () => {
    await Promise.all([writer.onApplicationShutdown(), reader.onApplicationShutdown(), redis.quit()]);
  });

  const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 20));

  it("refuses a user's earlier tokens within a refresh, cached or not, and accepts the ones issued later", async () => {
    const victim: AuthUser = { id: randomUUID(), role: 'manager', username: 'm1' };
    const bystander: AuthUser = { id: randomUUID(), role: 'manager', username: 'm2' };
    const before = signer.sign(victim, 60);
    const other = signer.sign(bystander, 60);
    expect(cachedVerifier.verify(before)).toEqual(victim); // now cached

    await writer.revoke(victim.id);
    const started = Date.now();
    while (!reader.isRevoked(victim.id, Math.floor(started / 1000)) && Date.now() - started < 3_000) await new Promise((r) => setTimeout(r, 50));
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(() => cachedVerifier.verify(before)).toThrow(/token revoked/);
    expect(cachedVerifier.verify(other)).toEqual(bystander);
    expect(await redis.zscore(REVOCATIONS_KEY, victim.id)).toBe(String(Math.floor(started / 1000)));

    await nextSecond();
    expect(cachedVerifier.verify(signer.sign(victim, 60))).toEqual(victim);
  });

  it('keeps the last known revocations while Redis is unreachable', async () => {
    const victim = randomUUID();
    await writer.revoke(victim);
    const client = new Redis(url, { maxRetriesPerRequest: 0 });
    const cut = new RevokedUsers(client, 50);
    await cut.start();
    expect(cut.isRevoked(victim, Math.floor(Date.now() / 1000))).toBe(true);
    client.disconnect();
    await expect(cut.refresh()).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 200)); // background refreshes fail quietly
    expect(cut.isRevoked(victim, Math.floor(Date.now() / 1000))).toBe(true);
    cut.stop();
  });
});
