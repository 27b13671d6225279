import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { countRows, login, resetIdentityData, sqlOf, startIdentity } from '../../testing/identity-test-app';
import { DemoSeedService } from './demo-seed.service';

describe('demo seed (real MariaDB + Kafka)', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    // Start without demo mode to get an empty database, then start again with it.
    const plain = await startIdentity();
    await resetIdentityData(plain);
    await plain.close();
    app = await startIdentity({ DEMO_MODE: 'true' });
  });
  afterAll(async () => {
    if (app) await resetIdentityData(app);
    await app?.close();
  });

  it('creates admin, 20 customers and 5 managers at start-up, each with a UserRegistered event', async () => {
    const roles = await sqlOf(app).execute<{ role: string; n: number }[]>('select role, count(*) as n from user_account group by role');
    expect(Object.fromEntries(roles.map((r) => [r.role, Number(r.n)]))).toEqual({ admin: 1, customer: 20, manager: 5 });
    expect(await countRows(app, 'outbox_message', "event_type = 'UserRegistered'")).toBe(26);

    const [customer7] = await sqlOf(app).execute<{ display_name: string; email: string }[]>(
      "select display_name, email from user_account where username = 'customer7'",
    );
    expect(customer7.email).toBe('customer7@demo.relationship.local');
    expect(customer7.display_name).toMatch(/^\p{Script=Han}{2,3}$/u);
  });

  it('signs in with the documented demo passwords', async () => {
    const admin = await login(app, 'admin', 'admin123');
    expect(admin.statusCode).toBe(200);
    expect(admin.json().user.role).toBe('admin');
    expect((await login(app, 'customer20', '123456')).json().user.role).toBe('customer');
    expect((await login(app, 'manager5', '123456')).json().user.role).toBe('manager');
  });

  it('is idempotent: seeding again creates nothing', async () => {
    expect(await app.get(DemoSeedService).seed()).toBe(0);
    expect(await countRows(app, 'user_account')).toBe(26);
    expect(await countRows(app, 'outbox_message', "event_type = 'UserRegistered'")).toBe(26);
  });

  it('accepts the relaxed demo password policy for new accounts too', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { username: 'visitor', password: '123456', displayName: '访客' },
    });
    expect(response.statusCode).toBe(202);
    expect((await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'visitor', password: '123456' } })).statusCode).toBe(200);
  });
});
