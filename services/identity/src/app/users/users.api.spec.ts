import { Topic } from '@relationship/contracts';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
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
  type Session,
} from '../../testing/identity-test-app';

interface OutboxRow {
  event_type: string;
  topic: string;
  message_key: string;
  envelope: string;
}

describe('users admin API (real MariaDB + Kafka)', () => {
  let app: NestFastifyApplication;
  let admin: Session;

  beforeAll(async () => {
    app = await startIdentity();
  });
  afterAll(async () => {
    await app?.close();
  });
  beforeEach(async () => {
    await resetIdentityData(app);
    admin = await adminSession(app);
  });

  const outbox = async (type: string) =>
    (await sqlOf(app).execute<OutboxRow[]>('select event_type, topic, message_key, envelope from outbox_message where event_type = ? order by created_at', [type])).map(
      (r) => ({ ...r, envelope: JSON.parse(r.envelope) }),
    );
  const createManager = (body: Record<string, unknown> = {}) =>
    app.inject({
      method: 'POST',
      url: '/api/users',
      headers: bearer(admin.accessToken),
      payload: { username: 'li.na', password: STRONG_PASSWORD, displayName: '李娜', email: 'li.na@bank.example', phone: '13912345678', role: 'manager', ...body },
    });

  it('lets an admin create a manager, with UserRegistered (role manager) in the outbox and an audit entry', async () => {
    const response = await createManager();
    expect(response.statusCode).toBe(201);
    const manager = response.json();
    expect(manager).toEqual(expect.objectContaining({ username: 'li.na', role: 'manager', status: 'active', email: 'li.na@bank.example' }));

    const events = await outbox('UserRegistered');
    const mine = events.filter((e) => e.message_key === manager.id);
    expect(mine).toHaveLength(1);
    expect(mine[0].topic).toBe(Topic.IdentityUser);
    expect(mine[0].envelope).toEqual(
      expect.objectContaining({
        type: 'UserRegistered',
        source: 'identity',
        key: manager.id,
        payload: expect.objectContaining({ userId: manager.id, role: 'manager', username: 'li.na', email: 'li.na@bank.example' }),
      }),
    );
    const [audit] = await sqlOf(app).execute<{ actor_user_id: string; target_user_id: string }[]>(
      "select actor_user_id, target_user_id from security_audit_entry where action = 'user.created' and target_user_id = ?",
      [manager.id],
    );
    expect(audit).toEqual({ actor_user_id: admin.user.id, target_user_id: manager.id });

    // The new manager can sign in.
    expect((await login(app, 'li.na', STRONG_PASSWORD)).statusCode).toBe(200);
  });

  it('refuses to create customers through the admin endpoint', async () => {
    const response = await createManager({ role: 'customer' });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/^role must be one of the following values: manager, admin/);
  });

  it('forbids customers and managers from the admin endpoints', async () => {
    const { session: customer } = await register(app);
    for (const [method, url] of [
      ['GET', '/api/users'],
      ['POST', '/api/users'],
      ['GET', `/api/users/${customer.user.id}`],
      ['GET', '/api/audit'],
    ] as const) {
      const response = await app.inject({ method, url, headers: bearer(customer.accessToken), payload: method === 'POST' ? {} : undefined });
      expect(response.statusCode).toBe(403);
      expect(response.json().message).toBe('requires role admin');
    }
    await createManager();
    const manager = (await login(app, 'li.na', STRONG_PASSWORD)).json();
    expect((await app.inject({ method: 'GET', url: '/api/users', headers: bearer(manager.accessToken) })).statusCode).toBe(403);
    expect(await countRows(app, 'user_account')).toBe(3);
  });

  it('lists accounts with filters and pagination', async () => {
    await register(app, { username: 'wang.fang', displayName: '王芳' });
    await register(app, { username: 'zhang.wei', displayName: '张伟' });
    await createManager();
    const list = (query: string) => app.inject({ method: 'GET', url: `/api/users?${query}`, headers: bearer(admin.accessToken) });

    const customers = (await list('role=customer')).json();
    expect(customers.total).toBe(2);
    expect(customers.items.map((u: { username: string }) => u.username).sort()).toEqual(['wang.fang', 'zhang.wei']);

    const page = (await list('page=2&pageSize=3')).json();
    expect(page).toEqual(expect.objectContaining({ total: 4, page: 2, pageSize: 3 }));
    expect(page.items).toHaveLength(1);

    expect((await list('q=张')).json().items.map((u: { username: string }) => u.username)).toEqual(['zhang.wei']);
    expect((await list('q=LI.N')).json().items.map((u: { username: string }) => u.username)).toEqual(['li.na']);
    // LIKE wildcards are taken literally.
    expect((await list('q=%25')).json().total).toBe(0);

    const bad = await list('pageSize=1000');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/pageSize must not be greater than 100/);
  });

  it('gets one account; a malformed id is 400 and an unknown one 404', async () => {
    const { session } = await register(app, { email: 'w@example.com', phone: '13812345678' });
    const one = await app.inject({ method: 'GET', url: `/api/users/${session.user.id}`, headers: bearer(admin.accessToken) });
    expect(one.statusCode).toBe(200);
    // Admins see contact details in full.
    expect(one.json()).toEqual(expect.objectContaining({ id: session.user.id, email: 'w@example.com', phone: '13812345678' }));

    const malformed = await app.inject({ method: 'GET', url: '/api/users/not-a-uuid', headers: bearer(admin.accessToken) });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().message).toBe('id must be a UUID');
    const unknown = await app.inject({ method: 'GET', url: '/api/users/3f1c9a59-8e43-4d0a-9a4e-2f4f8a1b2c3d', headers: bearer(admin.accessToken) });
    expect(unknown.statusCode).toBe(404);
    for (const [method, url, payload] of [
      ['PATCH', '/api/users/not-a-uuid/role', { role: 'manager' }],
      ['POST', '/api/users/not-a-uuid/deactivate', { reason: 'x' }],
    ] as const) {
      expect((await app.inject({ method, url, payload, headers: bearer(admin.accessToken) })).statusCode).toBe(400);
    }
  });

  it('changes a role with UserRoleChanged and an audit entry; the next refresh carries the new role', async () => {
    const { session } = await register(app);
    const response = await app.inject({
      method: 'PATCH',
      url: `/api/users/${session.user.id}/role`,
      headers: bearer(admin.accessToken),
      payload: { role: 'manager' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().role).toBe('manager');

    const [event] = await outbox('UserRoleChanged');
    expect(event.envelope.payload).toEqual(
      expect.objectContaining({ userId: session.user.id, previousRole: 'customer', role: 'manager', changedBy: admin.user.id }),
    );
    expect(await countRows(app, 'security_audit_entry', "action = 'user.role_changed'")).toBe(1);

    const refreshed = await app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: session.refreshToken } });
    expect(refreshed.json().user.role).toBe('manager');

    // Same role again: nothing changes, nothing is emitted.
    await app.inject({ method: 'PATCH', url: `/api/users/${session.user.id}/role`, headers: bearer(admin.accessToken), payload: { role: 'manager' } });
    expect(await outbox('UserRoleChanged')).toHaveLength(1);

    const own = await app.inject({ method: 'PATCH', url: `/api/users/${admin.user.id}/role`, headers: bearer(admin.accessToken), payload: { role: 'customer' } });
    expect(own.statusCode).toBe(409);
    const badRole = await app.inject({ method: 'PATCH', url: `/api/users/${session.user.id}/role`, headers: bearer(admin.accessToken), payload: { role: 'root' } });
    expect(badRole.statusCode).toBe(400);
  });

  it("revokes a demoted admin's access tokens at once (RevokedUsers), while their next sign-in carries the new role", async () => {
    const other = await adminSession(app, 'second.admin');
    const users = (token: string) => app.inject({ method: 'GET', url: '/api/users', headers: bearer(token) });
    expect((await users(other.accessToken)).statusCode).toBe(200);

    const demoted = await app.inject({ method: 'PATCH', url: `/api/users/${other.user.id}/role`, headers: bearer(admin.accessToken), payload: { role: 'manager' } });
    expect(demoted.statusCode).toBe(200);
    const stale = await users(other.accessToken);
    expect([stale.statusCode, stale.json().message]).toEqual([401, 'invalid or expired token']);
    expect((await users(admin.accessToken)).statusCode).toBe(200);

    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 20)); // iat has one-second resolution
    const fresh = (await login(app, 'second.admin', STRONG_PASSWORD)).json() as Session;
    expect(fresh.user.role).toBe('manager');
    expect((await users(fresh.accessToken)).statusCode).toBe(403);
  });

  it('deactivates an account: refresh tokens revoked, login refused, UserDeactivated emitted', async () => {
    const { session } = await register(app);
    const response = await app.inject({
      method: 'POST',
      url: `/api/users/${session.user.id}/deactivate`,
      headers: bearer(admin.accessToken),
      payload: { reason: 'closed the account' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().status).toBe('deactivated');

    expect(await countRows(app, 'refresh_token', "revoked_reason = 'user_deactivated'")).toBe(1);
    const refresh = await app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: session.refreshToken } });
    expect(refresh.statusCode).toBe(401);
    expect((await login(app, 'wang.fang', STRONG_PASSWORD)).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(session.accessToken) })).statusCode).toBe(401);

    const [event] = await outbox('UserDeactivated');
    expect(event.envelope.payload).toEqual(
      expect.objectContaining({ userId: session.user.id, deactivatedBy: admin.user.id, reason: 'closed the account' }),
    );
    const again = await app.inject({
      method: 'POST',
      url: `/api/users/${session.user.id}/deactivate`,
      headers: bearer(admin.accessToken),
      payload: { reason: 'again' },
    });
    expect(again.statusCode).toBe(409);
    expect(await outbox('UserDeactivated')).toHaveLength(1);
  });

  it('shows the security audit log to admins, filtered by action and user', async () => {
    const { session } = await register(app);
    await login(app, 'wang.fang', 'Wrong-password-1');
    const audit = (query: string) => app.inject({ method: 'GET', url: `/api/audit?${query}`, headers: bearer(admin.accessToken) });

    const failed = (await audit('action=login.failed')).json();
    expect(failed.total).toBe(1);
    expect(failed.items[0]).toEqual(expect.objectContaining({ action: 'login.failed', outcome: 'failure', username: 'wang.fang', targetUserId: session.user.id }));
    expect(failed.items[0].requestId).toEqual(expect.any(String));

    const mine = (await audit(`userId=${session.user.id}`)).json();
    expect(mine.items.map((e: { action: string }) => e.action)).toEqual(['login.failed', 'login.succeeded', 'user.registered']);
    expect((await audit('action=nope')).statusCode).toBe(400);
    expect((await audit('userId=abc')).statusCode).toBe(400);
  });
});
