import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { countRows, login, register, resetIdentityData, startIdentity, STRONG_PASSWORD, type Session } from '../../testing/identity-test-app';

/** Many requests at once on one account: InnoDB deadlocks and lock waits are retried, never answered with a 500. */
describe('identity writes under contention (real MariaDB)', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    // Every attempt counts against the lockout until a success clears it: room for six at once.
    app = await startIdentity({ LOGIN_MAX_FAILURES: '20' });
  });
  afterAll(async () => {
    await app?.close();
  });
  beforeEach(async () => {
    await resetIdentityData(app);
  });

  const statuses = (responses: { statusCode: number }[]) => responses.map((r) => r.statusCode);

  it('six parallel logins to one account, five rounds: every one succeeds', async () => {
    await register(app, { username: 'li.lei' });
    for (let round = 0; round < 5; round++) {
      const responses = await Promise.all([...Array(6)].map(() => login(app, 'li.lei', STRONG_PASSWORD)));
      expect(statuses(responses)).toEqual(Array(6).fill(200));
    }
  });

  it('parallel refreshes of different sessions of one account and parallel registrations: no 500', async () => {
    await register(app, { username: 'han.mei' });
    const sessions = await Promise.all([...Array(6)].map(() => login(app, 'han.mei', STRONG_PASSWORD)));
    const refreshed = await Promise.all(
      sessions.map((s) => app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: (s.json() as Session).refreshToken } })),
    );
    expect(statuses(refreshed)).toEqual(Array(6).fill(200));
    // The same token six times at once: one rotation wins, the others are refused as reuse.
    const one = (refreshed[0].json() as Session).refreshToken;
    const raced = await Promise.all([...Array(6)].map(() => app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: one } })));
    expect(statuses(raced).sort()).toEqual([200, 401, 401, 401, 401, 401]);

    const registered = await Promise.all([...Array(8)].map((_, i) => register(app, { username: `zhang.${i % 4}` })));
    // registration answers the same either way (it never tells a username is taken): four accounts, no 500
    expect(registered.map((r) => r.statusCode)).toEqual(Array(8).fill(202));
    expect(await countRows(app, 'user_account', "username like 'zhang.%'")).toBe(4);
  });
});
