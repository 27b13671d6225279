import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { countRows, resetIdentityData, startIdentity, STRONG_PASSWORD } from '../../testing/identity-test-app';

const valid = { username: 'wang.fang', password: STRONG_PASSWORD, displayName: '王芳' };

/** Bad input is refused with a 400 that names the field, before anything is written. */
describe('input validation (real MariaDB + Kafka)', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await startIdentity();
  });
  afterAll(async () => {
    await app?.close();
  });
  beforeEach(async () => {
    await resetIdentityData(app);
  });

  const post = (url: string, payload: unknown) => app.inject({ method: 'POST', url, payload: payload as Record<string, unknown> });

  it('refuses malformed JSON', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/auth/register',
      headers: { 'content-type': 'application/json' },
      payload: '{"username": "wang.fang", ',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual(expect.objectContaining({ statusCode: 400, error: 'Bad Request', message: expect.stringMatching(/JSON/i) }));
    expect(await countRows(app, 'user_account')).toBe(0);
  });

  it.each([
    ['a missing field', { username: 'wang.fang', password: STRONG_PASSWORD }, /displayName/],
    ['an extra field', { ...valid, role: 'admin' }, /property role should not exist/],
    ['an over-long string', { ...valid, displayName: '王'.repeat(101) }, /displayName must be shorter than or equal to 100 characters/],
    ['an over-long password', { ...valid, password: 'a1'.repeat(65) }, /password must be shorter than or equal to 128 characters/],
    ['a wrong type', { ...valid, username: 12345 }, /username must be a string/],
    ['a bad username', { ...valid, username: 'Wang Fang!' }, /username may contain only lowercase letters/],
    ['a bad email', { ...valid, email: 'not-an-email' }, /email must be an email address/],
    ['a bad phone', { ...valid, phone: 'call me' }, /phone must be a phone number/],
    ['an empty body', undefined, /username/],
  ])('refuses registration with %s, naming the field, and writes nothing', async (_label, payload, message) => {
    const response = await post('/api/auth/register', payload);
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(message);
    expect(response.json().requestId).toEqual(expect.any(String));
    expect(await countRows(app, 'user_account')).toBe(0);
    expect(await countRows(app, 'outbox_message')).toBe(0);
    expect(await countRows(app, 'security_audit_entry')).toBe(0);
  });

  it.each([
    ['login', '/api/auth/login', { username: 'x', password: 'y', remember: true }, /property remember should not exist/],
    ['login', '/api/auth/login', { username: 'x', password: ['y'] }, /password must be a string/],
    ['refresh', '/api/auth/refresh', { refreshToken: 'x'.repeat(129) }, /refreshToken must be shorter than or equal to 128 characters/],
    ['logout', '/api/auth/logout', {}, /refreshToken/],
  ])('refuses a bad %s body', async (_label, url, payload, message) => {
    const response = await post(url, payload);
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(message);
    expect(await countRows(app, 'login_throttle')).toBe(0);
  });

  it('accepts the same registration once it is valid (the cases above fail for the stated reason only)', async () => {
    const response = await post('/api/auth/register', { ...valid, email: 'w@example.com', phone: '+86 138-1234-5678' });
    expect(response.statusCode).toBe(202);
    expect(await countRows(app, 'user_account')).toBe(1);
  });
});
