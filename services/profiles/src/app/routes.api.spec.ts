import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { auth, registerCustomer, startProfiles } from '../testing/profiles-test-app';
import { PROFILES_FEATURES } from './app.module';

const admin = () => auth('admin');

/**
 * Route order carries no meaning: with the feature modules registered in reverse, every literal path under
 * /profiles (me, risk-questionnaire, branches, tags, rules/..., import, export) and every `:id` path still reaches
 * its own handler, told apart by what only that handler answers (real MariaDB and Kafka, through HTTP).
 */
describe('profiles routes with the feature modules in reverse order', () => {
  let app: NestFastifyApplication;
  let customer: { userId: string; id: string };

  beforeAll(async () => {
    app = await startProfiles({ features: [...PROFILES_FEATURES].reverse() });
    customer = await registerCustomer(app);
  }, 90_000);
  afterAll(async () => {
    await app?.close();
  });

  const get = (url: string, headers: Record<string, string> = admin()) => app.inject({ method: 'GET', url: `/api/profiles${url}`, headers });

  it('serves /profiles/me from the customer handlers, not from /profiles/:id', async () => {
    const own = auth('customer', customer.userId);
    const mine = await get('/me', own);
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toMatchObject({ id: customer.id, userId: customer.userId });
    const patched = await app.inject({ method: 'PATCH', url: '/api/profiles/me', headers: { ...own, 'if-match': String(mine.headers['etag']) }, payload: { interests: ['golf'] } });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ id: customer.id, interests: ['golf'] });

    const questionnaire = await get('/risk-questionnaire', own);
    expect(questionnaire.statusCode).toBe(200);
    expect(questionnaire.json().questions).toHaveLength(10);
  });

  it('serves the reference data from its own controller', async () => {
    const branches = await get('/branches');
    expect(branches.statusCode).toBe(200);
    expect(branches.json()[0]).toEqual({ id: expect.any(String), name: expect.any(String), city: expect.any(String), region: expect.any(String) });
    const tags = await get('/tags');
    expect(tags.statusCode).toBe(200);
    expect(tags.json()[0]).toMatchObject({ code: expect.any(String), labelZh: expect.any(String) });
  });

  it('serves /profiles/rules/... from the rules controller, its literals before its own :id', async () => {
    const list = await get('/rules');
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual([]);
    const fields = await get('/rules/fields');
    expect(fields.statusCode).toBe(200);
    expect(fields.json()).toContainEqual(expect.objectContaining({ field: 'aumCny' }));
    const applied = await app.inject({ method: 'POST', url: '/api/profiles/rules/apply', headers: admin() });
    expect(applied.statusCode).toBe(200);
    expect(applied.json()).toMatchObject({ customersScanned: expect.any(Number), rulesApplied: 0 });
    const unknown = crypto.randomUUID();
    expect((await get(`/rules/${unknown}`)).json()).toMatchObject({ statusCode: 404, message: `rule ${unknown} not found` });
    expect((await get('/rules/not-a-rule')).json()).toMatchObject({ statusCode: 400, message: 'id must be a UUID' });
  });

  it('serves /profiles/import and /profiles/export from the import/export controller', async () => {
    const notCsv = await app.inject({ method: 'POST', url: '/api/profiles/import', headers: admin(), payload: { rows: [] } });
    expect(notCsv.statusCode).toBe(400);
    expect(notCsv.json().message).toMatch(/send the CSV file as the request body/);
    const exported = await get('/export');
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toMatch(/^text\/csv/);
    expect(exported.body).toContain(customer.id);
  });

  it('serves /profiles and /profiles/:id (UUIDs only) from the portraits controller', async () => {
    const list = await get('');
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((p: { id: string }) => p.id)).toContain(customer.id);
    const one = await get(`/${customer.id}`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ id: customer.id });
    const history = await get(`/${customer.id}/history`);
    expect(history.statusCode).toBe(200);
    // The customer's own edit in the first test.
    expect(history.json().map((e: { action: string }) => e.action)).toContain('portrait.updated_by_customer');
    const unknown = crypto.randomUUID();
    expect((await get(`/${unknown}`)).json()).toMatchObject({ statusCode: 404, message: `portrait ${unknown} not found` });
    expect((await get('/not-a-portrait')).json()).toMatchObject({ statusCode: 400, message: 'id must be a UUID' });
  });
});
