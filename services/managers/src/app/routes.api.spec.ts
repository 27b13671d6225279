import { bearer, ManagersHarness, newManager } from '../testing/managers-test-app';
import { MANAGERS_FEATURES } from './app.module';

/**
 * Route order carries no meaning: with the feature modules registered in reverse, the literal paths under
 * /managers (me, branches, import, export) and every `:id` path still reach their own handler, told apart by what
 * only that handler answers (real MariaDB and Kafka, through HTTP).
 */
describe('managers routes with the feature modules in reverse order', () => {
  const h = new ManagersHarness();
  const admin = () => bearer('admin');
  const get = (url: string, headers: Record<string, string> = admin()) => h.app.inject({ method: 'GET', url: `/api/managers${url}`, headers });
  let manager: { id: string; employeeNo: string; userId: string };

  beforeAll(async () => {
    await h.start({}, [...MANAGERS_FEATURES].reverse());
    const userId = crypto.randomUUID();
    const created = await h.app.inject({ method: 'POST', url: '/api/managers', headers: admin(), payload: newManager({ userId }) });
    expect(created.statusCode).toBe(201);
    manager = { id: created.json().id, employeeNo: created.json().employeeNo, userId };
  }, 90_000);
  afterAll(async () => {
    await h.stop();
  });

  it('serves /managers/me and /managers/branches from their own handlers, not from /managers/:id', async () => {
    const me = await get('/me', bearer('manager', manager.userId));
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: manager.id, userId: manager.userId });
    const branches = await get('/branches');
    expect(branches.statusCode).toBe(200);
    expect(branches.json()).toContainEqual(expect.objectContaining({ id: 'SH-PD-001' }));
  });

  it('serves /managers/import and /managers/export from the CSV controller', async () => {
    const notCsv = await h.app.inject({ method: 'POST', url: '/api/managers/import', headers: admin(), payload: { rows: [] } });
    expect(notCsv.statusCode).toBe(415);
    expect(notCsv.json().message).toMatch(/send the CSV file as the request body/);
    const exported = await get('/export');
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toMatch(/^text\/csv/);
    expect(exported.body).toContain(manager.employeeNo);
  });

  it('serves /managers and /managers/:id[/capacity] (UUIDs only) from the registry controller', async () => {
    const list = await get('');
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((m: { id: string }) => m.id)).toContain(manager.id);
    const one = await get(`/${manager.id}`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ id: manager.id });
    const capacity = await h.app.inject({
      method: 'PUT',
      url: `/api/managers/${manager.id}/capacity`,
      headers: { ...admin(), 'if-match': String(one.headers['etag']) },
      payload: { capacity: 120, reason: 'route check' },
    });
    expect(capacity.statusCode).toBe(200);
    expect(capacity.json()).toMatchObject({ id: manager.id, capacity: 120 });
    const unknown = crypto.randomUUID();
    expect((await get(`/${unknown}`)).json()).toMatchObject({ statusCode: 404, message: `manager ${unknown} not found` });
    expect((await get('/not-a-manager')).json()).toMatchObject({ statusCode: 400, message: 'id must be a UUID' });
  });
});
