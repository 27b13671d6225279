import { HQ_BRANCH_ID, BRANCH_CATALOG, ManagerMatchSnapshot, Topic } from '@relationship/contracts';
import { eventually } from '@relationship/testing';
import { bearer, ManagersHarness, newManager, userRegistered } from '../testing/managers-test-app';

interface ManagerBody {
  id: string;
  employeeNo: string;
  email: string;
  level: number;
  languages: string[];
  version: number;
  [field: string]: unknown;
}

describe('managers service (real MariaDB and Kafka)', () => {
  const h = new ManagersHarness();
  const admin = bearer('admin');

  const create = async (overrides: Record<string, unknown> = {}) => {
    const response = await h.app.inject({ method: 'POST', url: '/api/managers', headers: admin, payload: newManager(overrides) });
    expect(response.statusCode).toBe(201);
    return response.json() as ManagerBody;
  };

  beforeAll(async () => {
    await h.start();
  }, 120_000);

  afterAll(async () => {
    await h.stop();
  });

  describe('schema', () => {
    it('migrations produce exactly the schema the entities describe', async () => {
      expect((await h.orm.schema.getUpdateSchemaSQL({ wrap: false })).trim()).toBe('');
    });

    it('seeds the branch catalog, head office included', async () => {
      const rows = await h.sql<{ id: string; name: string; city: string; region: string }>('select id, name, city, region from branch order by id');
      expect(rows).toEqual([...BRANCH_CATALOG].sort((a, b) => a.id.localeCompare(b.id)));
      expect(rows.find((b) => b.id === HQ_BRANCH_ID)).toBeDefined();
      const list = await h.app.inject({ method: 'GET', url: '/api/managers/branches', headers: bearer('manager') });
      expect(list.statusCode).toBe(200);
      expect(list.json()).toContainEqual({ id: 'SH-PD-001', name: '上海浦东支行', city: '上海', region: 'east' });
    });
  });

  describe('create and read', () => {
    it('creates a manager, emits ManagerRegistered with the full snapshot, audits it, and publishes it to Kafka', async () => {
      const body = newManager({ displayName: '王雅婷', branchId: 'BJ-HD-001' });
      const response = await h.app.inject({ method: 'POST', url: '/api/managers', headers: { ...admin, 'x-request-id': 'req-create-1' }, payload: body });
      expect(response.statusCode).toBe(201);
      const created = response.json();
      expect(response.headers['etag']).toBe('"1"');
      expect(response.headers['location']).toBe(`/api/managers/${created.id}`);
      expect(created).toMatchObject({
        employeeNo: body['employeeNo'],
        displayName: '王雅婷',
        branchId: 'BJ-HD-001',
        branchName: '北京海淀支行',
        region: 'north',
        city: '北京',
        availability: 'active',
        capacity: 150,
        version: 1,
        performance: { satisfaction: 4.6, retention: 0.92, aumGrowth: 0.12 },
        email: body['email'],
        phone: '13800138000',
      });

      const [event, ...more] = await h.events(created.id);
      expect(more).toHaveLength(0);
      expect(event).toMatchObject({ type: 'ManagerRegistered', source: 'managers', key: created.id, correlationId: 'req-create-1' });
      expect(event.payload).toMatchObject({ managerId: created.id, managerVersion: 1 });
      const snapshot = ManagerMatchSnapshot.parse(event.payload['snapshot']);
      expect(snapshot).toMatchObject({ branchId: 'BJ-HD-001', region: 'north', city: '北京', capacity: 150, availability: 'active', coverManagerId: null });
      expect(JSON.stringify(snapshot)).not.toContain('13800138000');

      const [audit] = await h.sql<{ action: string; actor_role: string; request_id: string; after: string; before: string | null }>(
        "select action, actor_role, request_id, `after`, `before` from audit_entry where entity_type = 'manager' and entity_id = ?",
        [created.id],
      );
      expect(audit).toMatchObject({ action: 'manager.created', actor_role: 'admin', request_id: 'req-create-1', before: null });
      const after = typeof audit.after === 'string' ? JSON.parse(audit.after) : audit.after;
      expect(after).toMatchObject({ displayName: '王雅婷', phone: '138****8000' });
      expect(after.email).toMatch(/^t\*\*\*@bank\.example$/);

      const published = await h.awaitTopicMessage((m) => m.key === created.id && m.type === 'ManagerRegistered');
      expect(published.payload).toMatchObject({ managerId: created.id, managerVersion: 1 });
    });

    it('reads one manager with its ETag, and 404s an unknown id', async () => {
      const created = await create();
      const one = await h.app.inject({ method: 'GET', url: `/api/managers/${created.id}`, headers: admin });
      expect(one.statusCode).toBe(200);
      expect(one.headers['etag']).toBe('"1"');
      expect(one.json()).toEqual(created);
      const missing = await h.app.inject({ method: 'GET', url: `/api/managers/${crypto.randomUUID()}`, headers: admin });
      expect(missing.statusCode).toBe(404);
    });

    it('refuses a duplicate employee number or email with 409 naming the field', async () => {
      const first = await create();
      const sameNo = await h.app.inject({ method: 'POST', url: '/api/managers', headers: admin, payload: newManager({ employeeNo: first.employeeNo }) });
      expect(sameNo.statusCode).toBe(409);
      expect(sameNo.json().message).toMatch(/employeeNo/);
      const sameEmail = await h.app.inject({ method: 'POST', url: '/api/managers', headers: admin, payload: newManager({ email: first.email.toUpperCase() }) });
      expect(sameEmail.statusCode).toBe(409);
      expect(sameEmail.json().message).toMatch(/email/);
    });
  });

  describe('search', () => {
    const tag = `S${Date.now().toString(36)}`;
    let ids: Record<string, string>;

    beforeAll(async () => {
      const a = await create({ employeeNo: `${tag}-A`, displayName: '林浩然', branchId: 'GZ-TH-001', expertise: ['cross_border'], languages: ['zh-CN', 'yue'], segmentsServed: ['private'], certifications: ['CFA'], capacity: 90 });
      const b = await create({ employeeNo: `${tag}-B`, displayName: '林欣怡', branchId: 'SZ-NS-001', expertise: ['sme_business'], languages: ['zh-CN'], segmentsServed: ['mass'], certifications: [], capacity: 280 });
      const c = await create({ employeeNo: `${tag}-C`, displayName: '高志刚', branchId: 'CD-JJ-001', expertise: ['cross_border', 'insurance'], languages: ['zh-CN', 'en'], segmentsServed: ['affluent'], certifications: ['AFP'], capacity: 200 });
      ids = { a: a.id, b: b.id, c: c.id };
    });

    const search = async (query: string) => {
      const response = await h.app.inject({ method: 'GET', url: `/api/managers?q=${tag}&pageSize=100&${query}`, headers: bearer('manager') });
      expect(response.statusCode).toBe(200);
      return (response.json().items as { id: string }[]).map((m) => m.id);
    };

    it('filters by branch, region, expertise, segment, certification, language and text, combined with AND', async () => {
      expect(await search('')).toEqual([ids.a, ids.b, ids.c]);
      expect(await search('branchId=GZ-TH-001')).toEqual([ids.a]);
      expect(await search('region=south')).toEqual([ids.a, ids.b]);
      expect(await search('expertise=cross_border')).toEqual([ids.a, ids.c]);
      expect(await search('segment=mass')).toEqual([ids.b]);
      expect(await search('certification=CFA')).toEqual([ids.a]);
      expect(await search('language=yue')).toEqual([ids.a]);
      expect(await search('expertise=cross_border&language=en')).toEqual([ids.c]);
      expect(await search('availability=on_leave')).toEqual([]);
      const byName = await h.app.inject({ method: 'GET', url: `/api/managers?q=${encodeURIComponent('林')}&pageSize=100`, headers: admin });
      expect((byName.json().items as { id: string }[]).map((m) => m.id)).toEqual(expect.arrayContaining([ids.a, ids.b]));
    });

    it('sorts and pages', async () => {
      expect(await search('sort=-capacity')).toEqual([ids.b, ids.c, ids.a]);
      const page = await h.app.inject({ method: 'GET', url: `/api/managers?q=${tag}&sort=capacity&page=2&pageSize=2`, headers: admin });
      expect(page.json()).toMatchObject({ total: 3, page: 2, pageSize: 2, items: [{ id: ids.b }] });
    });

    it('rejects bad filters with 400 naming them', async () => {
      for (const [query, field] of [
        ['expertise=astrology', 'expertise'],
        ['segment=vip', 'segment'],
        ['sort=salary', 'sort'],
        ['pageSize=1000', 'pageSize'],
        [`q=${'x'.repeat(101)}`, 'q'],
        ['colour=red', 'colour'],
      ]) {
        const response = await h.app.inject({ method: 'GET', url: `/api/managers?${query}`, headers: admin });
        expect(response.statusCode).toBe(400);
        expect(response.json().message).toContain(field);
      }
    });
  });

  describe('update', () => {
    it('patches fields with If-Match, bumps the version and emits ManagerUpdated with the changed fields', async () => {
      const created = await create();
      const response = await h.app.inject({
        method: 'PATCH',
        url: `/api/managers/${created.id}`,
        headers: { ...admin, 'if-match': '"1"' },
        payload: { branchId: 'HZ-XH-001', expertise: ['retirement'], performance: { satisfaction: 4.8 }, reason: 'moved to Hangzhou' },
      });
      expect(response.statusCode).toBe(200);
      expect(response.headers['etag']).toBe('"2"');
      expect(response.json()).toMatchObject({ version: 2, branchId: 'HZ-XH-001', city: '杭州', region: 'east', expertise: ['retirement'], performance: { satisfaction: 4.8, retention: 0.92 } });

      const updated = await h.events(created.id, 'ManagerUpdated');
      expect(updated).toHaveLength(1);
      expect(updated[0].payload).toMatchObject({ managerVersion: 2, changedFields: ['branchId', 'expertise', 'satisfaction'] });
      expect((updated[0].payload['snapshot'] as ManagerMatchSnapshot).city).toBe('杭州');

      const [audit] = await h.sql<{ before: unknown; after: unknown; reason: string }>(
        "select `before`, `after`, reason from audit_entry where entity_id = ? and action = 'manager.updated'",
        [created.id],
      );
      const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
      expect(parse(audit.before)).toEqual({ branchId: 'SH-PD-001', expertise: ['wealth_management', 'retirement'], satisfaction: 4.6 });
      expect(parse(audit.after)).toEqual({ branchId: 'HZ-XH-001', expertise: ['retirement'], satisfaction: 4.8 });
      expect(audit.reason).toBe('moved to Hangzhou');
    });

    it('masks contact data in the audit row when it changes', async () => {
      const created = await create();
      const response = await h.app.inject({ method: 'PATCH', url: `/api/managers/${created.id}`, headers: { ...admin, 'if-match': '"1"' }, payload: { phone: '13700001111' } });
      expect(response.statusCode).toBe(200);
      const [audit] = await h.sql<{ before: unknown; after: unknown }>("select `before`, `after` from audit_entry where entity_id = ? and action = 'manager.updated'", [created.id]);
      expect(JSON.stringify(audit)).not.toContain('13700001111');
      expect(JSON.stringify(audit)).toContain('137****1111');
    });

    it('answers 412 to a stale If-Match, 428 without one, and changes nothing', async () => {
      const created = await create();
      const first = await h.app.inject({ method: 'PATCH', url: `/api/managers/${created.id}`, headers: { ...admin, 'if-match': '"1"' }, payload: { level: 7 } });
      expect(first.statusCode).toBe(200);
      const stale = await h.app.inject({ method: 'PATCH', url: `/api/managers/${created.id}`, headers: { ...admin, 'if-match': 'W/"1"' }, payload: { level: 8 } });
      expect(stale.statusCode).toBe(412);
      expect(stale.json()).toMatchObject({ statusCode: 412, error: 'Precondition Failed', message: expect.stringMatching(/is at version 2, not 1/) });
      const none = await h.app.inject({ method: 'PATCH', url: `/api/managers/${created.id}`, headers: admin, payload: { level: 8 } });
      expect(none.statusCode).toBe(428);
      expect(none.json().message).toMatch(/If-Match is required/);
      const bodyVersion = await h.app.inject({ method: 'PATCH', url: `/api/managers/${created.id}`, headers: admin, payload: { version: 2, level: 8 } });
      expect(bodyVersion.statusCode).toBe(428);
      const current = await h.app.inject({ method: 'GET', url: `/api/managers/${created.id}`, headers: admin });
      expect(current.json()).toMatchObject({ level: 7, version: 2 });
      expect(current.headers['etag']).toBe('"2"');
      expect(await h.events(created.id, 'ManagerUpdated')).toHaveLength(1);
    });

    it('treats a patch that changes nothing as no change: no version bump, no event', async () => {
      const created = await create();
      const same = await h.app.inject({ method: 'PATCH', url: `/api/managers/${created.id}`, headers: { ...admin, 'if-match': '"1"' }, payload: { level: created.level, languages: created.languages } });
      expect(same.statusCode).toBe(200);
      expect(same.json().version).toBe(1);
      expect(await h.events(created.id, 'ManagerUpdated')).toHaveLength(0);
    });

    it('refuses capacity and availability in a patch: they have their own endpoints', async () => {
      const created = await create();
      const response = await h.app.inject({ method: 'PATCH', url: `/api/managers/${created.id}`, headers: { ...admin, 'if-match': '"1"' }, payload: { capacity: 10 } });
      expect(response.statusCode).toBe(400);
      expect(response.json().message).toMatch(/capacity should not exist/);
    });
  });

  describe('capacity and availability', () => {
    it('changes capacity with a reason and emits ManagerCapacityChanged', async () => {
      const created = await create({ capacity: 120 });
      const response = await h.app.inject({ method: 'PUT', url: `/api/managers/${created.id}/capacity`, headers: { ...admin, 'if-match': '"1"' }, payload: { capacity: 180, reason: 'annual review' } });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ capacity: 180, version: 2 });
      expect(response.headers['etag']).toBe('"2"');
      const [event] = await h.events(created.id, 'ManagerCapacityChanged');
      expect(event.payload).toMatchObject({ previousCapacity: 120, capacity: 180, managerVersion: 2, snapshot: { capacity: 180 } });
      const [audit] = await h.sql<{ reason: string }>("select reason from audit_entry where entity_id = ? and action = 'manager.capacity_changed'", [created.id]);
      expect(audit.reason).toBe('annual review');

      const ifMatch2 = { ...admin, 'if-match': '"2"' };
      const missingReason = await h.app.inject({ method: 'PUT', url: `/api/managers/${created.id}/capacity`, headers: ifMatch2, payload: { capacity: 100 } });
      expect(missingReason.statusCode).toBe(400);
      expect(missingReason.json().message).toMatch(/reason/);
      const negative = await h.app.inject({ method: 'PUT', url: `/api/managers/${created.id}/capacity`, headers: ifMatch2, payload: { capacity: -5, reason: 'x' } });
      expect(negative.statusCode).toBe(400);
      expect(negative.json().message).toMatch(/capacity must not be less than 0/);
      const stale = await h.app.inject({ method: 'PUT', url: `/api/managers/${created.id}/capacity`, headers: { ...admin, 'if-match': '"1"' }, payload: { capacity: 100, reason: 'x' } });
      expect(stale.statusCode).toBe(412);
      const none = await h.app.inject({ method: 'PUT', url: `/api/managers/${created.id}/capacity`, headers: admin, payload: { capacity: 100, reason: 'x' } });
      expect(none.statusCode).toBe(428);
      expect((await h.events(created.id, 'ManagerCapacityChanged')).length).toBe(1);
    });

    it('sends a manager on leave with a cover, emits ManagerAvailabilityChanged, and brings them back', async () => {
      const cover = await create();
      const away = await create();
      const leave = await h.app.inject({
        method: 'PUT',
        url: `/api/managers/${away.id}/availability`,
        headers: { ...admin, 'if-match': '"1"' },
        payload: { availability: 'on_leave', leaveFrom: '2026-12-01', leaveUntil: '2027-03-31', coverManagerId: cover.id, reason: 'maternity leave' },
      });
      expect(leave.statusCode).toBe(200);
      expect(leave.json()).toMatchObject({ availability: 'on_leave', leaveFrom: '2026-12-01', leaveUntil: '2027-03-31', coverManagerId: cover.id, version: 2 });
      const back = await h.app.inject({ method: 'PUT', url: `/api/managers/${away.id}/availability`, headers: { ...admin, 'if-match': '"2"' }, payload: { availability: 'active', reason: 'back' } });
      expect(back.json()).toMatchObject({ availability: 'active', leaveFrom: null, leaveUntil: null, coverManagerId: null, version: 3 });

      const events = await h.events(away.id, 'ManagerAvailabilityChanged');
      expect(events.map((e) => e.payload)).toMatchObject([
        { previousAvailability: 'active', availability: 'on_leave', coverManagerId: cover.id, managerVersion: 2, snapshot: { availability: 'on_leave', coverManagerId: cover.id } },
        { previousAvailability: 'on_leave', availability: 'active', coverManagerId: null, managerVersion: 3 },
      ]);
      const published = await h.awaitTopicMessage((m) => m.key === away.id && m.type === 'ManagerAvailabilityChanged' && m.payload['managerVersion'] === 3);
      expect(published.payload).toMatchObject({ availability: 'active' });
    });

    it('validates the cover manager and the leave window, naming the field', async () => {
      const away = await create();
      const inactive = await create();
      const ifMatch1 = { ...admin, 'if-match': '"1"' };
      await h.app.inject({ method: 'PUT', url: `/api/managers/${inactive.id}/availability`, headers: ifMatch1, payload: { availability: 'left', reason: 'resigned' } });
      const put = (payload: Record<string, unknown>) =>
        h.app.inject({ method: 'PUT', url: `/api/managers/${away.id}/availability`, headers: ifMatch1, payload: { reason: 'test', ...payload } });

      const self = await put({ availability: 'on_leave', coverManagerId: away.id });
      expect(self.statusCode).toBe(400);
      expect(self.json().message).toMatch(/coverManagerId/);
      const unknown = await put({ availability: 'on_leave', coverManagerId: crypto.randomUUID() });
      expect(unknown.statusCode).toBe(422);
      expect(unknown.json().message).toMatch(/coverManagerId/);
      const notActive = await put({ availability: 'on_leave', coverManagerId: inactive.id });
      expect(notActive.statusCode).toBe(422);
      expect(notActive.json().message).toMatch(/coverManagerId: .* is left; a cover must be active/);
      const backwards = await put({ availability: 'on_leave', leaveFrom: '2027-01-10', leaveUntil: '2027-01-01' });
      expect(backwards.statusCode).toBe(400);
      expect(backwards.json().message).toMatch(/leaveUntil must not be before leaveFrom/);
      const notACalendarDate = await put({ availability: 'on_leave', leaveFrom: '2027-02-30' });
      expect(notACalendarDate.statusCode).toBe(400);
      expect(notACalendarDate.json().message).toMatch(/leaveFrom/);
      const leaveWhileActive = await put({ availability: 'active', leaveUntil: '2027-01-01' });
      expect(leaveWhileActive.statusCode).toBe(400);
      expect(leaveWhileActive.json().message).toMatch(/leaveUntil is only allowed when availability is on_leave/);
      const badEnum = await put({ availability: 'holiday' });
      expect(badEnum.statusCode).toBe(400);
      expect(badEnum.json().message).toMatch(/availability must be one of/);

      expect(await h.events(away.id, 'ManagerAvailabilityChanged')).toHaveLength(0);
      const current = await h.app.inject({ method: 'GET', url: `/api/managers/${away.id}`, headers: admin });
      expect(current.json()).toMatchObject({ availability: 'active', version: 1 });
    });
  });

  describe('access and masking', () => {
    it('masks other managers’ contact data for managers, shows it to admins and to the manager themself', async () => {
      const userId = crypto.randomUUID();
      const created = await create({ userId, email: `own-${userId.slice(0, 8)}@bank.example`, phone: '13912340000' });
      const asOther = await h.app.inject({ method: 'GET', url: `/api/managers/${created.id}`, headers: bearer('manager') });
      expect(asOther.json()).toMatchObject({ email: 'o***@bank.example', phone: '139****0000' });
      const asAdmin = await h.app.inject({ method: 'GET', url: `/api/managers/${created.id}`, headers: admin });
      expect(asAdmin.json()).toMatchObject({ email: created.email, phone: '13912340000' });
      const asSelf = await h.app.inject({ method: 'GET', url: `/api/managers/${created.id}`, headers: bearer('manager', userId) });
      expect(asSelf.json()).toMatchObject({ email: created.email, phone: '13912340000' });
      const list = await h.app.inject({ method: 'GET', url: `/api/managers?q=${created.employeeNo}`, headers: bearer('manager') });
      expect(list.json().items[0]).toMatchObject({ id: created.id, phone: '139****0000' });

      const me = await h.app.inject({ method: 'GET', url: '/api/managers/me', headers: bearer('manager', userId) });
      expect(me.statusCode).toBe(200);
      expect(me.json()).toMatchObject({ id: created.id, phone: '13912340000' });
      const noRecord = await h.app.inject({ method: 'GET', url: '/api/managers/me', headers: bearer('manager') });
      expect(noRecord.statusCode).toBe(404);
    });

    it('refuses customers (403), managers on admin routes (403) and calls without a token (401)', async () => {
      const created = await create();
      const customer = bearer('customer');
      for (const [method, url] of [
        ['GET', '/api/managers'],
        ['GET', `/api/managers/${created.id}`],
        ['GET', '/api/managers/me'],
        ['GET', '/api/managers/export'],
      ] as const) {
        const response = await h.app.inject({ method, url, headers: customer });
        expect(response.statusCode).toBe(403);
        expect(response.json()).toMatchObject({ statusCode: 403, error: 'Forbidden', requestId: expect.any(String) });
      }
      const manager = bearer('manager');
      expect((await h.app.inject({ method: 'POST', url: '/api/managers', headers: manager, payload: newManager() })).statusCode).toBe(403);
      expect((await h.app.inject({ method: 'PATCH', url: `/api/managers/${created.id}`, headers: { ...manager, 'if-match': '"1"' }, payload: { level: 2 } })).statusCode).toBe(403);
      expect((await h.app.inject({ method: 'PUT', url: `/api/managers/${created.id}/capacity`, headers: manager, payload: { capacity: 1, reason: 'x' } })).statusCode).toBe(403);
      expect((await h.app.inject({ method: 'GET', url: '/api/managers' })).statusCode).toBe(401);
    });
  });

  describe('bad input', () => {
    it.each([
      ['an unknown branch', { branchId: 'XX-YY-001' }, /branchId "XX-YY-001" is not a known branch/],
      ['a bad title', { title: 'ceo' }, /title must be one of the following values/],
      ['an unknown expertise code', { expertise: ['astrology'] }, /each value in expertise must be one of/],
      ['an unknown language', { languages: ['fr'] }, /languages must be one of/],
      ['no segment', { segmentsServed: [] }, /segmentsServed must contain at least 1 elements/],
      ['a negative capacity', { capacity: -1 }, /capacity must not be less than 0/],
      ['a fractional capacity', { capacity: 10.5 }, /capacity must be an integer/],
      ['a level out of range', { level: 11 }, /level must not be greater than 10/],
      ['an over-long name', { displayName: '张'.repeat(101) }, /displayName must be shorter than or equal to 100 characters/],
      ['an over-long employee number', { employeeNo: 'E'.repeat(65) }, /employeeNo must be shorter than or equal to 64 characters/],
      ['an extra field', { salary: 1 }, /property salary should not exist/],
      ['a bad email', { email: 'not-an-email' }, /email must be an email address/],
      ['a bad phone', { phone: 'call me' }, /phone must be a phone number/],
      ['satisfaction above 5', { performance: { satisfaction: 5.5 } }, /performance.satisfaction must not be greater than 5/],
      ['an unknown performance field', { performance: { nps: 3 } }, /property nps should not exist/],
      ['a missing required field', { employeeNo: undefined }, /employeeNo/],
      ['a null name', { displayName: null }, /displayName/],
      ['leave fields while active', { leaveFrom: '2026-12-01' }, /leaveFrom is only allowed when availability is on_leave/],
    ])('answers 400 naming the field for %s, and writes nothing', async (_what, overrides, message) => {
      const body = newManager(overrides);
      const response = await h.app.inject({ method: 'POST', url: '/api/managers', headers: admin, payload: body });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.stringMatching(message) });
      const name = String(body['displayName'] ?? '');
      expect(await h.count('manager', 'employee_no = ? or (email = ? and display_name = ?)', [String(body['employeeNo'] ?? ''), String(body['email'] ?? ''), name])).toBe(0);
    });

    it('answers 400 for a malformed id and for an unknown branch in a patch', async () => {
      expect((await h.app.inject({ method: 'GET', url: '/api/managers/123', headers: admin })).json().message).toBe('id must be a UUID');
      const created = await create();
      const response = await h.app.inject({ method: 'PATCH', url: `/api/managers/${created.id}`, headers: { ...admin, 'if-match': '"1"' }, payload: { branchId: 'NOPE' } });
      expect(response.statusCode).toBe(400);
      expect(response.json().message).toMatch(/branchId/);
    });
  });

  describe('UserRegistered (manager accounts)', () => {
    it('creates a draft for an account without a registry record, exactly once even when redelivered', async () => {
      const event = userRegistered({ displayName: '许海燕' });
      await h.publishUserEvent(event);
      await h.publishUserEvent(event);
      // A later event for the same user lands on the same partition: once it is applied, both copies were seen.
      await h.deliver(userRegistered({ userId: event.key, role: 'customer' }));
      await eventually('the event processed', async () => (await h.count('processed_event', 'event_id = ?', [event.id])) > 0);

      const rows = await h.sql<{ id: string; employee_no: string; branch_id: string; capacity: number; title: string; availability: string; languages: unknown; segments_served: unknown }>(
        'select id, employee_no, branch_id, capacity, title, availability, languages, segments_served from manager where user_id = ?',
        [event.key],
      );
      expect(rows).toHaveLength(1);
      const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
      expect({ ...rows[0], languages: parse(rows[0].languages), segments_served: parse(rows[0].segments_served) }).toMatchObject({
        employee_no: `PENDING-${event.key.replace(/-/g, '').slice(0, 8)}`,
        branch_id: 'HQ',
        capacity: 0,
        title: 'associate',
        availability: 'active',
        languages: ['zh-CN'],
        segments_served: ['mass'],
      });
      const events = await h.events(rows[0].id);
      expect(events.map((e) => e.type)).toEqual(['ManagerRegistered']);
      expect(events[0].payload).toMatchObject({ snapshot: { capacity: 0, userId: event.key, branchId: 'HQ' } });
    });

    it('links an existing record with the same email instead, once', async () => {
      const email = `link-${Date.now()}@bank.example`;
      const created = await create({ email });
      const event = userRegistered({ email: email.toUpperCase() });
      await h.deliver(event);
      await h.deliver(event); // a replayed copy: already processed
      const linked = await h.app.inject({ method: 'GET', url: `/api/managers/${created.id}`, headers: admin });
      expect(linked.json()).toMatchObject({ userId: event.key, version: 2 });
      const updated = await h.events(created.id, 'ManagerUpdated');
      expect(updated).toHaveLength(1);
      expect(updated[0].payload).toMatchObject({ changedFields: ['userId'], managerVersion: 2, snapshot: { userId: event.key } });
      expect(await h.count('manager', 'user_id = ?', [event.key])).toBe(1);
      const me = await h.app.inject({ method: 'GET', url: '/api/managers/me', headers: bearer('manager', event.key) });
      expect(me.json()).toMatchObject({ id: created.id, email });
    });

    it('ignores customer accounts', async () => {
      const event = userRegistered({ role: 'customer' });
      await h.deliver(event);
      expect(await h.count('manager', 'user_id = ?', [event.key])).toBe(0);
    });
  });

  it('is ready when its database answers (Kafka is reported on its own), and exposes metrics', async () => {
    const ready = await eventually('readiness', async () => {
      const r = await h.app.inject({ method: 'GET', url: '/health/ready' });
      return r.statusCode === 200 ? r.json() : undefined;
    });
    expect(ready).toEqual({ status: 'ok', checks: { database: { status: 'up' } } });
    expect((await h.app.inject({ method: 'GET', url: '/health/kafka' })).json()).toEqual({ status: 'ok', checks: { kafka: { status: 'up' } } });
    const metrics = await h.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/http_request_duration_seconds_bucket/);
    // Tests publish in their own topic namespace (KAFKA_TOPIC_PREFIX, validated config), never feeding a demo's consumers.
    expect(h.config.KAFKA_TOPIC_PREFIX).toBe('test.');
  });

  it('documents its API (OpenAPI), with the fields a new manager needs marked required', async () => {
    const docs = await h.app.inject({ method: 'GET', url: '/api/docs-json' });
    expect(docs.statusCode).toBe(200);
    const doc = docs.json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/managers', '/api/managers/{id}', '/api/managers/me', '/api/managers/{id}/capacity', '/api/managers/{id}/availability', '/api/managers/import', '/api/managers/export']),
    );
    expect(doc.components.schemas.CreateManagerDto.required).toEqual(
      expect.arrayContaining(['employeeNo', 'displayName', 'branchId', 'title', 'level', 'languages', 'segmentsServed', 'capacity']),
    );
    expect(doc.components.schemas.UpdateManagerDto.required ?? []).toEqual([]);
  });
});
