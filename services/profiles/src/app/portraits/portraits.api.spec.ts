import { Topic } from '@relationship/contracts';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { assign, auth, linkManager, outboxFor, registerCustomer, residentId, resetData, sql, startProfiles } from '../../testing/profiles-test-app';

const ADMIN = crypto.randomUUID();
const admin = () => auth('admin', ADMIN);
const answers = (a: string) => Array(10).fill(a);

const valid = {
  displayName: '王芳',
  gender: 'female',
  phone: '+86 139-1234-5678',
  email: 'Wang.Fang@Example.com',
  nationalIdNumber: residentId('19800517', 222),
  city: '上海',
  homeBranchId: 'SH-PD-001',
  preferredLanguage: 'en',
  preferredChannel: 'wechat',
  aumCny: 7_500_000,
  incomeBand: '1m_5m',
  productsHeld: ['mortgage', 'mutual_fund'],
  activityLevel: 'high',
  riskAnswers: answers('C'),
  needs: ['wealth_management'],
  declaredNeeds: ['education'],
  interests: ['golf', 'tea'],
  tags: ['vip'],
  lifecycleStage: 'growing',
  consent: { profiling: true, marketing: false },
};

/** Portrait CRUD, masking per role, customer self-service and input validation (real MariaDB and Kafka). */
describe('portraits API', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await startProfiles();
  }, 90_000);
  afterAll(async () => {
    await app?.close();
  });
  beforeEach(async () => {
    await resetData(app);
  });

  const create = (payload: Record<string, unknown> = valid, headers = admin()) => app.inject({ method: 'POST', url: '/api/profiles', headers, payload });
  const get = (id: string, headers: Record<string, string>) => app.inject({ method: 'GET', url: `/api/profiles/${id}`, headers });
  /** A staff PATCH based on `version`, sent as If-Match (the body carries only the changes). */
  const patch = (id: string, { version, ...payload }: Record<string, unknown>, headers = admin()) =>
    app.inject({ method: 'PATCH', url: `/api/profiles/${id}`, headers: { ...headers, 'if-match': `"${String(version)}"` }, payload });
  /** A customer's PATCH /me based on the ETag of their portrait as they read it (as the portal does). */
  const patchMe = async (userId: string, payload: unknown) => {
    const headers = auth('customer', userId);
    const etag = (await app.inject({ method: 'GET', url: '/api/profiles/me', headers })).headers['etag'];
    return app.inject({ method: 'PATCH', url: '/api/profiles/me', headers: { ...headers, 'if-match': String(etag ?? '"1"') }, payload: payload as Record<string, unknown> });
  };
  const count = async (table: string) => Number((await sql<{ n: number }>(app, `select count(*) as n from \`${table}\``))[0].n);

  it('lets an admin create a customer without a login, with derived fields, ProfileCreated v2 and an audit row', async () => {
    const response = await create();
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({
      userId: null,
      origin: 'staff',
      displayName: '王芳',
      phone: '13912345678',
      email: 'wang.fang@example.com',
      birthDate: '1980-05-17',
      ageBand: '45_54',
      aumCny: 7_500_000,
      segment: 'high_net_worth',
      riskLevel: 'C4',
      version: 1,
      consent: { profiling: true, marketing: false, data_sharing: false },
      masked: false,
    });
    expect(body.needs).toEqual([
      { code: 'wealth_management', source: 'staff', ruleId: null },
      { code: 'education', source: 'declared', ruleId: null },
    ]);
    expect(body.tags).toEqual([{ code: 'vip', source: 'manual', ruleId: null }]);

    const events = await outboxFor(app, body.id);
    expect(events.map((e) => [e.event_type, e.envelope.version, e.topic])).toEqual([['ProfileCreated', 2, Topic.ProfilesCustomer]]);
    expect(events[0].envelope.payload).toMatchObject({ origin: 'staff', profileVersion: 1, snapshot: { segment: 'high_net_worth', riskLevel: 'C4', tags: ['vip'] } });
    const [audit] = await sql<{ action: string; actor_id: string; after: string; request_id: string }>(app, 'select action, actor_id, `after`, request_id from audit_entry where entity_id = ?', [body.id]);
    expect(audit).toMatchObject({ action: 'portrait.created', actor_id: ADMIN, request_id: expect.any(String) });
    const after = JSON.parse(audit.after);
    expect(after).toMatchObject({ displayName: '王*', phone: '139****5678', nationalIdNumber: expect.stringMatching(/^3101\*{10}\d{3}[\dX]$/) });
    expect(audit.after).not.toContain('13912345678');
  });

  it('updates with optimistic concurrency: version bump, ProfileUpdated with the changed fields, 412 on a stale If-Match, 428 without', async () => {
    const created = await create();
    expect(created.headers['etag']).toBe('"1"');
    const { id } = created.json();
    expect((await get(id, admin())).headers['etag']).toBe('"1"');
    const updated = await app.inject({ method: 'PATCH', url: `/api/profiles/${id}`, headers: { ...admin(), 'if-match': '"1"' }, payload: { aumCny: 40_000_000, city: '北京' } });
    expect(updated.statusCode).toBe(200);
    expect(updated.headers['etag']).toBe('"2"');
    expect(updated.json()).toMatchObject({ version: 2, segment: 'private', city: '北京' });

    const events = await outboxFor(app, id);
    expect(events.map((e) => e.event_type)).toEqual(['ProfileCreated', 'ProfileUpdated']);
    expect(events[1].envelope.payload).toMatchObject({ profileVersion: 2, changedFields: ['city', 'aumCny', 'segment'], snapshot: { segment: 'private', city: '北京' } });

    const stale = await app.inject({ method: 'PATCH', url: `/api/profiles/${id}`, headers: { ...admin(), 'if-match': 'W/"1"' }, payload: { city: '深圳' } });
    expect(stale.statusCode).toBe(412);
    expect(stale.json()).toMatchObject({ statusCode: 412, error: 'Precondition Failed', message: expect.stringMatching(/version 2, not 1/), requestId: expect.any(String) });

    // No change, no version bump, no event.
    const same = await patch(id, { version: 2, city: '北京' });
    expect(same.json().version).toBe(2);
    expect(await outboxFor(app, id)).toHaveLength(2);

    const history = await app.inject({ method: 'GET', url: `/api/profiles/${id}/history`, headers: admin() });
    expect(history.json().map((h: { action: string }) => h.action)).toEqual(['portrait.created', 'portrait.updated']);
    expect(history.json()[1]).toMatchObject({ before: { city: '上海', aumCny: 7_500_000, segment: 'high_net_worth', version: 1 }, after: { city: '北京', version: 2 } });

    const missing = await app.inject({ method: 'PATCH', url: `/api/profiles/${id}`, headers: admin(), payload: { city: '深圳' } });
    expect(missing.statusCode).toBe(428);
    expect(missing.json()).toMatchObject({ statusCode: 428, message: expect.stringMatching(/If-Match is required/) });
    // The body no longer carries the version: one convention, If-Match.
    const inBody = await app.inject({ method: 'PATCH', url: `/api/profiles/${id}`, headers: { ...admin(), 'if-match': '"2"' }, payload: { version: 2, city: '深圳' } });
    expect(inBody.statusCode).toBe(400);
    expect(inBody.json().message).toMatch(/property version should not exist/);
    expect((await get(id, admin())).json()).toMatchObject({ city: '北京', version: 2 });
    expect(await outboxFor(app, id)).toHaveLength(2);
    expect((await patch(crypto.randomUUID(), { version: 1, city: 'x' })).statusCode).toBe(404);
  });

  it('clears nullable fields with null and replaces tags and staff needs', async () => {
    const { id } = (await create()).json();
    const response = await patch(id, { version: 1, email: null, preferredChannel: null, tags: [], needs: ['insurance'], riskAnswers: null });
    expect(response.json()).toMatchObject({ email: null, preferredChannel: null, tags: [], riskLevel: null, riskAnswers: null });
    expect(response.json().needs.map((n: { code: string; source: string }) => `${n.code}/${n.source}`)).toEqual(['insurance/staff', 'education/declared']);
  });

  it('masks per role: the customer sees their own data, a manager only their own book and masked, admins everything', async () => {
    const customer = await registerCustomer(app, { displayName: '陈伟', phone: '13812345678', email: 'chen.wei@example.com' });
    await patch(customer.id, { version: 1, nationalIdNumber: residentId('19900101', 123), aumCny: 600_000 });
    // Assignments name registry ids; tokens carry the manager's login (user) id, linked by the managers' events.
    const [manager, managerUser] = [crypto.randomUUID(), crypto.randomUUID()];
    const [otherManager, otherManagerUser] = [crypto.randomUUID(), crypto.randomUUID()];
    await linkManager(app, manager, managerUser);
    await linkManager(app, otherManager, otherManagerUser);

    const own = await app.inject({ method: 'GET', url: '/api/profiles/me', headers: auth('customer', customer.userId) });
    expect(own.json()).toMatchObject({ phone: '13812345678', email: 'chen.wei@example.com', nationalIdNumber: residentId('19900101', 123), birthDate: '1990-01-01', masked: false });

    expect((await get(customer.id, auth('manager', managerUser))).statusCode).toBe(404);
    await assign(app, customer.id, manager);
    const seen = await get(customer.id, auth('manager', managerUser));
    expect(seen.statusCode).toBe(200);
    expect(seen.json()).toMatchObject({
      displayName: '陈伟',
      phone: '138****5678',
      email: 'c***@example.com',
      nationalIdNumber: '3101**********1230'.slice(0, 14) + residentId('19900101', 123).slice(-4),
      birthDate: null,
      ageBand: '35_44',
      aumCny: 600_000,
      masked: true,
    });
    expect(JSON.stringify(seen.json())).not.toContain('13812345678');
    expect((await get(customer.id, auth('manager', otherManagerUser))).statusCode).toBe(404);
    // A token id is a login id, never a registry id: one equal to the assigned manager id opens nothing.
    expect((await get(customer.id, auth('manager', manager))).statusCode).toBe(404);
    expect((await get(customer.id, auth('customer', customer.userId))).statusCode).toBe(403);
    expect((await get(customer.id, admin())).json()).toMatchObject({ phone: '13812345678', birthDate: '1990-01-01', masked: false });

    // Managers cannot write.
    expect((await patch(customer.id, { version: 2, city: 'x' }, auth('manager', managerUser))).statusCode).toBe(403);
    expect((await create(valid, auth('manager', managerUser))).statusCode).toBe(403);
  });

  it('lets a customer change only their own editable fields', async () => {
    const customer = await registerCustomer(app);
    const response = await patchMe(customer.userId, {
      preferredLanguage: 'en',
      preferredChannel: 'app',
      interests: ['travel'],
      declaredNeeds: ['retirement', 'insurance'],
      riskAnswers: answers('B'),
      consent: { marketing: true },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      preferredLanguage: 'en',
      preferredChannel: 'app',
      interests: ['travel'],
      riskLevel: 'C2',
      consent: { profiling: false, marketing: true, data_sharing: false },
      version: 2,
    });
    expect(response.json().needs.map((n: { source: string }) => n.source)).toEqual(['declared', 'declared']);
    const [audit] = await sql<{ action: string; actor_role: string }>(app, "select action, actor_role from audit_entry where entity_id = ? and action <> 'portrait.created'", [customer.id]);
    expect(audit).toEqual({ action: 'portrait.updated_by_customer', actor_role: 'customer' });
    const own = auth('customer', customer.userId);
    const stale = await app.inject({ method: 'PATCH', url: '/api/profiles/me', headers: { ...own, 'if-match': '"1"' }, payload: { interests: ['golf'] } });
    expect(stale.statusCode).toBe(412);
    expect((await app.inject({ method: 'PATCH', url: '/api/profiles/me', headers: own, payload: { interests: ['golf'] } })).statusCode).toBe(428);
    expect((await app.inject({ method: 'GET', url: '/api/profiles/me', headers: own })).json()).toMatchObject({ interests: ['travel'], version: 2 });

    for (const [field, value] of [['aumCny', 1], ['phone', '13912345678'], ['tags', ['vip']], ['segment', 'private'], ['needs', ['insurance']], ['version', 2]] as const) {
      const refused = await patchMe(customer.userId, { interests: ['golf'], [field]: value });
      expect(refused.statusCode).toBe(403);
      expect(refused.json().message).toContain(`${field} may not be changed by a customer`);
    }
    const unknown = await patchMe(customer.userId, { nickname: 'x' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toMatch(/property nickname should not exist/);
    const badConsent = await patchMe(customer.userId, { consent: { profiling: 'yes' } });
    expect(badConsent.statusCode).toBe(400);
    expect(badConsent.json().message).toMatch(/consent.profiling must be a boolean/);
    expect((await patchMe(crypto.randomUUID(), { interests: [] })).statusCode).toBe(404);
    expect((await app.inject({ method: 'PATCH', url: '/api/profiles/me', headers: admin(), payload: {} })).statusCode).toBe(403);
  });

  it.each([
    ['an invalid phone', { phone: '12345' }, /phone must be a mainland China mobile number/],
    ['an ID number with a wrong check digit', { nationalIdNumber: '110105194912310021' }, /nationalIdNumber has a wrong check digit/],
    ['an ID number of the wrong length', { nationalIdNumber: '1101051949123100' }, /nationalIdNumber must be 18 characters/],
    ['an ID number contradicting the birth date', { birthDate: '1970-01-01' }, /nationalIdNumber encodes birth date 1980-05-17, which does not match birthDate 1970-01-01/],
    ['a negative AUM', { aumCny: -1 }, /aumCny must not be negative/],
    ['an absurd AUM', { aumCny: 1e15 }, /aumCny must not exceed/],
    ['an AUM with fractions of a fen', { aumCny: 1.234 }, /aumCny must be a number with at most 2 decimals/],
    ['an unknown tag', { tags: ['vip', 'platinum'] }, /tags contains unknown tag "platinum"/],
    ['an unknown branch', { homeBranchId: 'XX-000' }, /homeBranchId "XX-000" is not a known branch/],
    ['an unknown segment field', { segment: 'private' }, /property segment should not exist/],
    ['an unknown enum value', { incomeBand: 'billions' }, /incomeBand must be one of the following values/],
    ['an unknown need', { needs: ['yacht'] }, /each value in needs must be one of the following values/],
    ['an extra field', { shoeSize: 42 }, /property shoeSize should not exist/],
    ['an over-long name', { displayName: '王'.repeat(101) }, /displayName must be shorter than or equal to 100 characters/],
    ['an over-long city', { city: '城'.repeat(65) }, /city must be shorter than or equal to 64 characters/],
    ['incomplete risk answers', { riskAnswers: ['A', 'B'] }, /riskAnswers must answer all 10 questions/],
    ['a bad email', { email: 'not-an-email' }, /email must be an email address/],
    ['a future birth date', { nationalIdNumber: null, birthDate: '2999-01-01' }, /birthDate must be a past date/],
    ['a missing name', { displayName: undefined }, /displayName/],
  ])('refuses %s with 400 naming the field, and writes nothing', async (_label, change, message) => {
    const response = await create({ ...valid, ...change });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.stringMatching(message), requestId: expect.any(String) });
    expect(await count('customer_portrait')).toBe(0);
    expect(await count('outbox_message')).toBe(0);
    expect(await count('audit_entry')).toBe(0);
  });

  it('refuses a second customer with the same national ID number with 409', async () => {
    expect((await create()).statusCode).toBe(201);
    const duplicate = await create({ ...valid, displayName: '王芳二' });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().message).toMatch(/nationalIdNumber is already recorded/);
    expect(await count('customer_portrait')).toBe(1);
  });

  it('serves the risk questionnaire, branches and tags', async () => {
    const questionnaire = await app.inject({ method: 'GET', url: '/api/profiles/risk-questionnaire', headers: auth('customer') });
    expect(questionnaire.json().questions).toHaveLength(10);
    const branches = await app.inject({ method: 'GET', url: '/api/profiles/branches', headers: auth('manager') });
    expect(branches.json()).toEqual(expect.arrayContaining([{ id: 'SH-PD-001', name: '上海浦东支行', city: '上海', region: 'east' }]));
    const newTag = await app.inject({ method: 'POST', url: '/api/profiles/tags', headers: admin(), payload: { code: 'golf_lover', labelZh: '高尔夫爱好者', labelEn: 'Golf lover' } });
    expect(newTag.statusCode).toBe(201);
    expect((await app.inject({ method: 'POST', url: '/api/profiles/tags', headers: admin(), payload: { code: 'golf_lover', labelZh: 'x', labelEn: 'x' } })).statusCode).toBe(409);
    expect((await app.inject({ method: 'POST', url: '/api/profiles/tags', headers: auth('manager'), payload: { code: 'x', labelZh: 'x', labelEn: 'x' } })).statusCode).toBe(403);
    const tags = await app.inject({ method: 'GET', url: '/api/profiles/tags', headers: admin() });
    expect(tags.json().map((t: { code: string }) => t.code)).toContain('golf_lover');
    expect((await create({ ...valid, tags: ['golf_lover'] })).statusCode).toBe(201);
    await sql(app, "delete from tag_definition where code = 'golf_lover'");
  });
});
