import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { JwtService } from '@nestjs/jwt';
import { AccessTokenVerifier, PublicKeySet } from '@relationship/auth';
import { TEST_JWT_PUBLIC_KEYS } from '@relationship/testing';
import {
  adminSession,
  bearer,
  countRows,
  login,
  register,
  resetIdentityData,
  sqlOf,
  startIdentity,
  STRONG_PASSWORD,
} from '../../testing/identity-test-app';
import { hashRefreshToken } from './refresh-token-secret';

describe('auth API (real MariaDB + Kafka)', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await startIdentity({ LOGIN_MAX_FAILURES: '3', LOGIN_LOCK_MINUTES: '15' });
  });
  afterAll(async () => {
    await app?.close();
  });
  beforeEach(async () => {
    await resetIdentityData(app);
  });

  const auditActions = async () =>
    (await sqlOf(app).execute<{ action: string }[]>('select action from security_audit_entry order by id')).map((r) => r.action);

  describe('asymmetric access tokens', () => {
    it('signs ES256 with its private key, names the key by kid, and publishes the public key as a JWKS', async () => {
      const { session } = await register(app);
      const header = new JwtService({}).decode<{ header: { alg: string; kid: string } }>(session.accessToken, { complete: true }).header;
      const published = PublicKeySet.fromJwks(TEST_JWT_PUBLIC_KEYS);
      expect(header).toEqual(expect.objectContaining({ alg: 'ES256', kid: published.kids[0] }));

      const jwks = await app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
      expect(jwks.statusCode).toBe(200);
      expect(jwks.json()).toEqual({ keys: published.jwks });
      expect(jwks.body).not.toMatch(/"d"/);
      // a verifier that has only the published JWKS accepts the token
      const verifier = new AccessTokenVerifier({ publicKeys: PublicKeySet.fromJwks(jwks.body), issuer: 'relationship-identity', audience: 'relationship' });
      expect(verifier.verify(session.accessToken)).toEqual({ id: session.user.id, role: 'customer', username: 'wang.fang' });
    });
  });

  describe('register → login → me', () => {
    it('registers a customer, returns a session whose access token works on /me', async () => {
      const { statusCode, session } = await register(app, { email: 'Wang.Fang@Example.com', phone: '13812345678' });
      expect(statusCode).toBe(202);
      expect(session.user).toEqual(
        expect.objectContaining({ username: 'wang.fang', role: 'customer', displayName: '王芳', email: 'wang.fang@example.com', phone: '13812345678' }),
      );
      expect(session.user).not.toHaveProperty('passwordHash');
      expect(session.expiresIn).toBe(900);
      expect(app.get(AccessTokenVerifier).verify(session.accessToken)).toEqual({ id: session.user.id, role: 'customer', username: 'wang.fang' });

      const loginResponse = await login(app, '  Wang.Fang ', STRONG_PASSWORD);
      expect(loginResponse.statusCode).toBe(200);
      const loggedIn = loginResponse.json();
      expect(loggedIn.user.id).toBe(session.user.id);
      expect(loggedIn.refreshToken).not.toBe(session.refreshToken);

      const me = await app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(loggedIn.accessToken) });
      expect(me.statusCode).toBe(200);
      // The owner sees their own contact details unmasked.
      expect(me.json()).toEqual(expect.objectContaining({ id: session.user.id, email: 'wang.fang@example.com', phone: '13812345678' }));
      expect((await sqlOf(app).execute('select last_login_at from user_account'))[0].last_login_at).not.toBeNull();

      // Only the hash of a refresh token is stored.
      const stored = await sqlOf(app).execute<{ token_hash: string }[]>('select token_hash from refresh_token');
      expect(stored.map((r) => r.token_hash).sort()).toEqual([hashRefreshToken(session.refreshToken), hashRefreshToken(loggedIn.refreshToken)].sort());
      expect(await auditActions()).toEqual(['user.registered', 'login.succeeded', 'login.succeeded']);
    });

    it('stores the password as an argon2id hash, never in clear', async () => {
      await register(app);
      const [row] = await sqlOf(app).execute<{ password_hash: string }[]>('select password_hash from user_account');
      expect(row.password_hash).toMatch(/^\$argon2id\$/);
      const audit = await sqlOf(app).execute<{ details: string }[]>('select details from security_audit_entry');
      expect(JSON.stringify(audit)).not.toContain(STRONG_PASSWORD);
    });

    it('refuses /me without a token and with a forged one', async () => {
      expect((await app.inject({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
      const forged = await app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer('eyJhbGciOiJIUzI1NiJ9.e30.x') });
      expect(forged.statusCode).toBe(401);
    });

    it('answers a taken username or email exactly as a new account, in about the same time, and reveals neither', async () => {
      const raw = (body: Record<string, unknown>) =>
        app.inject({ method: 'POST', url: '/api/auth/register', payload: { password: STRONG_PASSWORD, displayName: '王芳', ...body } });
      const timed = async (body: Record<string, unknown>) => {
        const started = performance.now();
        const response = await raw(body);
        return { response, ms: performance.now() - started };
      };
      const created = await timed({ username: 'wang.fang', email: 'w@example.com' });
      const sameName = await timed({ username: 'wang.fang', email: 'other@example.com', password: 'Another2026x' });
      const sameEmail = await timed({ username: 'wang.fang2', email: 'W@example.com' });
      for (const { response } of [created, sameName, sameEmail]) {
        expect([response.statusCode, response.json()]).toEqual([202, created.response.json()]);
        expect(response.body).not.toMatch(/taken|already|exists|registered/i);
      }
      // every path pays one argon2 hash: no path answers in a fraction of another's time
      const times = [created.ms, sameName.ms, sameEmail.ms];
      expect(Math.min(...times)).toBeGreaterThan(Math.max(...times) / 4);

      // the taken username created nothing and its owner keeps their password; the taken email was not attached
      expect((await login(app, 'wang.fang', 'Another2026x')).statusCode).toBe(401);
      expect((await login(app, 'wang.fang', STRONG_PASSWORD)).statusCode).toBe(200);
      const second = (await login(app, 'wang.fang2', STRONG_PASSWORD)).json();
      expect(second.user.email).toBeNull();
      expect(await countRows(app, 'user_account')).toBe(2);
      expect(await countRows(app, 'outbox_message')).toBe(2);
      // admins see what happened
      expect(await auditActions()).toEqual(expect.arrayContaining(['user.registered', 'user.registration_refused', 'user.registered']));
      const refused = await sqlOf(app).execute<{ details: string }[]>("select details from security_audit_entry where action = 'user.registration_refused'");
      expect(refused.map((r) => JSON.parse(r.details))).toEqual([{ reason: 'username_taken' }]);
    });

    it('applies the password policy and says which rule failed', async () => {
      for (const [password, rule] of [
        ['short1', /at least 8 characters/],
        ['onlyletters', /one letter and one digit/],
        ['12345678', /one letter and one digit/],
        ['xwang.fang1', /must not contain the username/],
      ] as const) {
        const response = await register(app, { password });
        expect(response.statusCode).toBe(400);
        expect(response.body.message).toMatch(rule);
      }
      expect(await countRows(app, 'user_account')).toBe(0);
    });
  });

  describe('wrong credentials', () => {
    it('answers 401 with the same message for a wrong password, an unknown user and a deactivated account', async () => {
      await register(app);
      const wrongPassword = await login(app, 'wang.fang', 'Wrong-password-1');
      const unknownUser = await login(app, 'nobody.here', 'Wrong-password-1');
      expect(wrongPassword.statusCode).toBe(401);
      expect(unknownUser.statusCode).toBe(401);
      expect(wrongPassword.json().message).toBe('invalid username or password');
      expect(unknownUser.json().message).toBe(wrongPassword.json().message);

      await sqlOf(app).execute("update user_account set status = 'deactivated'");
      const deactivated = await login(app, 'wang.fang', STRONG_PASSWORD);
      expect(deactivated.statusCode).toBe(401);
      expect(deactivated.json().message).toBe('invalid username or password');

      const failures = await sqlOf(app).execute<{ username: string; details: string | Record<string, unknown> }[]>(
        "select username, details from security_audit_entry where action = 'login.failed' order by id",
      );
      const reasons = failures.map((f) => (typeof f.details === 'string' ? JSON.parse(f.details) : f.details).reason);
      expect(reasons).toEqual(['wrong_password', 'unknown_user', 'deactivated']);
      expect(failures[1].username).toBe('nobody.here');
    });
  });

  describe('lockout without denial of service', () => {
    const attacker = '198.51.100.66';
    const owner = '203.0.113.10';

    it.each([
      ['an existing username', true],
      ['an unknown username', false],
    ])("delays %s on the failing client only, more after each failure; the owner elsewhere still signs in", async (_label, exists) => {
      if (exists) await register(app);
      // attacker side: LOGIN_MAX_FAILURES (3) free failures, then a refusal until a growing delay has passed
      for (let i = 0; i < 3; i++) expect((await login(app, 'wang.fang', 'Wrong-password-1', attacker)).statusCode).toBe(401);
      const delayed = await login(app, 'wang.fang', STRONG_PASSWORD, attacker);
      expect([delayed.statusCode, delayed.json().message]).toEqual([429, 'too many failed login attempts from this client; try again later (in 1 s)']);
      expect(await auditActions()).toContain('login.locked');
      const delays: number[] = [];
      for (let i = 0; i < 3; i++) {
        await sqlOf(app).execute('update login_throttle set locked_until = now(3) - interval 1 second where username = ?', ['wang.fang']);
        expect((await login(app, 'wang.fang', 'Wrong-password-1', attacker)).statusCode).toBe(401);
        const [row] = await sqlOf(app).execute<{ ms: number }[]>(
          'select timestampdiff(microsecond, now(3), locked_until) / 1000 as ms from login_throttle where username = ?',
          ['wang.fang'],
        );
        delays.push(Math.round(Number(row.ms) / 1000));
      }
      expect(delays).toEqual([2, 4, 8]);

      // victim side: the same username from another client is neither delayed nor counted with the attacker
      const genuine = await login(app, 'wang.fang', STRONG_PASSWORD, owner);
      expect(genuine.statusCode).toBe(exists ? 200 : 401);
      expect((await login(app, 'wang.fang', 'Wrong-password-1', owner)).statusCode).toBe(401);
      // the attacker is still delayed
      expect((await login(app, 'wang.fang', STRONG_PASSWORD, attacker)).statusCode).toBe(429);
    });

    it('a wrong password never delays another client, however many clients fail', async () => {
      await register(app);
      for (let client = 1; client <= 5; client++) {
        for (let i = 0; i < 4; i++) await login(app, 'wang.fang', 'Wrong-password-1', `192.0.2.${client}`);
      }
      expect((await login(app, 'wang.fang', STRONG_PASSWORD, owner)).statusCode).toBe(200);
    });

    it('counts failures only inside the window', async () => {
      await register(app);
      for (let i = 0; i < 2; i++) await login(app, 'wang.fang', 'Wrong-password-1', attacker);
      await sqlOf(app).execute('update login_throttle set window_started_at = now(3) - interval 16 minute');
      expect((await login(app, 'wang.fang', 'Wrong-password-1', attacker)).statusCode).toBe(401);
      expect((await login(app, 'wang.fang', STRONG_PASSWORD, attacker)).statusCode).toBe(200);
      expect(await countRows(app, 'login_throttle')).toBe(0);
    });

    it('lets an admin lift every delay of one account, audited; others may not', async () => {
      const { session } = await register(app);
      for (const client of [attacker, owner]) {
        for (let i = 0; i < 4; i++) await login(app, 'wang.fang', 'Wrong-password-1', client);
      }
      expect((await login(app, 'wang.fang', STRONG_PASSWORD, owner)).statusCode).toBe(429);
      const unlock = (token: string) => app.inject({ method: 'POST', url: `/api/users/${session.user.id}/unlock`, headers: bearer(token) });
      expect((await unlock(session.accessToken)).statusCode).toBe(403);

      const admin = await adminSession(app);
      const response = await unlock(admin.accessToken);
      expect([response.statusCode, response.json()]).toEqual([200, { cleared: 2 }]);
      expect((await login(app, 'wang.fang', STRONG_PASSWORD, owner)).statusCode).toBe(200);
      const [entry] = await sqlOf(app).execute<{ actor_user_id: string; target_user_id: string; details: string }[]>(
        "select actor_user_id, target_user_id, details from security_audit_entry where action = 'user.unlocked'",
      );
      expect([entry.actor_user_id, entry.target_user_id, JSON.parse(entry.details)]).toEqual([admin.user.id, session.user.id, { cleared: 2 }]);
      expect((await app.inject({ method: 'POST', url: `/api/users/${crypto.randomUUID()}/unlock`, headers: bearer(admin.accessToken) })).statusCode).toBe(404);
    });
  });

  describe('refresh rotation', () => {
    const refresh = (refreshToken: string) => app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken } });

    it('returns a new pair and revokes the presented token', async () => {
      const { session } = await register(app);
      const first = await refresh(session.refreshToken);
      expect(first.statusCode).toBe(200);
      const rotated = first.json();
      expect(rotated.refreshToken).not.toBe(session.refreshToken);
      expect(rotated.user.id).toBe(session.user.id);
      expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(rotated.accessToken) })).statusCode).toBe(200);

      const [old] = await sqlOf(app).execute<{ revoked_reason: string; replaced_by_id: string }[]>(
        'select revoked_reason, replaced_by_id from refresh_token where token_hash = ?',
        [hashRefreshToken(session.refreshToken)],
      );
      const [fresh] = await sqlOf(app).execute<{ id: string; family_id: string }[]>('select id, family_id from refresh_token where token_hash = ?', [
        hashRefreshToken(rotated.refreshToken),
      ]);
      expect(old).toEqual({ revoked_reason: 'rotated', replaced_by_id: fresh.id });

      // The rotated token keeps working for its holder.
      expect((await refresh(rotated.refreshToken)).statusCode).toBe(200);
      expect(await auditActions()).toEqual(['user.registered', 'login.succeeded', 'token.refreshed', 'token.refreshed']);
    });

    it('detects reuse of a rotated token: 401 and the whole family is revoked', async () => {
      const { session } = await register(app);
      const other = (await login(app, 'wang.fang', STRONG_PASSWORD)).json(); // a second, unrelated session
      const rotated = (await refresh(session.refreshToken)).json();

      const replay = await refresh(session.refreshToken);
      expect(replay.statusCode).toBe(401);
      expect(replay.json().message).toBe('invalid or expired refresh token');
      // The legitimate holder's newest token dies too: the attacker may have it.
      expect((await refresh(rotated.refreshToken)).statusCode).toBe(401);
      // Sessions of other logins are untouched.
      expect((await refresh(other.refreshToken)).statusCode).toBe(200);

      const reuse = await sqlOf(app).execute<{ target_user_id: string }[]>(
        "select target_user_id from security_audit_entry where action = 'token.reuse_detected'",
      );
      expect(reuse.map((r) => r.target_user_id)).toEqual([session.user.id, session.user.id]);
      const alive = await countRows(app, 'refresh_token', 'revoked_at is null');
      expect(alive).toBe(1);
    });

    it('rejects unknown and expired tokens', async () => {
      const { session } = await register(app);
      expect((await refresh('not-a-token')).statusCode).toBe(401);
      await sqlOf(app).execute('update refresh_token set expires_at = now(3) - interval 1 second');
      const expired = await refresh(session.refreshToken);
      expect(expired.statusCode).toBe(401);
      expect(expired.json().message).toBe('invalid or expired refresh token');
    });

    it('lets only one of two concurrent refreshes of the same token win', async () => {
      const { session } = await register(app);
      const results = await Promise.all([refresh(session.refreshToken), refresh(session.refreshToken)]);
      expect(results.map((r) => r.statusCode).sort()).toEqual([200, 401]);
    });
  });

  describe('logout', () => {
    const logout = (refreshToken: string) => app.inject({ method: 'POST', url: '/api/auth/logout', payload: { refreshToken } });

    it('revokes the token with 204, and is idempotent', async () => {
      const { session } = await register(app);
      const first = await logout(session.refreshToken);
      expect(first.statusCode).toBe(204);
      expect(first.body).toBe('');
      expect((await logout(session.refreshToken)).statusCode).toBe(204);
      expect((await logout('never-issued')).statusCode).toBe(204);

      const [row] = await sqlOf(app).execute<{ revoked_reason: string }[]>('select revoked_reason from refresh_token');
      expect(row.revoked_reason).toBe('logout');
      expect((await auditActions()).filter((a) => a === 'logout')).toHaveLength(1);
      const after = await app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: session.refreshToken } });
      expect(after.statusCode).toBe(401);
    });
  });

  describe('metrics', () => {
    it('counts logins by outcome', async () => {
      const value = async (outcome: string) => {
        const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
        const line = text.split('\n').find((l) => l.startsWith(`identity_logins_total{outcome="${outcome}"`));
        return Number(line?.split(' ').pop());
      };
      const before = { success: await value('success'), invalid: await value('invalid_credentials') };
      await register(app); // signs in once after registering
      await login(app, 'wang.fang', STRONG_PASSWORD);
      await login(app, 'wang.fang', 'Wrong-password-1');
      expect(await value('success')).toBe(before.success + 2);
      expect(await value('invalid_credentials')).toBe(before.invalid + 1);
    });
  });
});
