import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { auth, outboxFor, registerCustomer, resetData, sql, startProfiles } from '../../testing/profiles-test-app';

const admin = () => auth('admin');

/** Tag and need rules: CRUD, validation, derivation on every change, removal, apply-all (real MariaDB and Kafka). */
describe('rules API', () => {
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

  const createRule = (payload: Record<string, unknown>, query = '') => app.inject({ method: 'POST', url: `/api/profiles/rules${query}`, headers: admin(), payload });
  const createCustomer = async (payload: Record<string, unknown>) => (await app.inject({ method: 'POST', url: '/api/profiles', headers: admin(), payload })).json();
  /** A staff PATCH based on `version`, sent as If-Match. */
  const patch = (id: string, { version, ...payload }: Record<string, unknown>) =>
    app.inject({ method: 'PATCH', url: `/api/profiles/${id}`, headers: { ...admin(), 'if-match': `"${String(version)}"` }, payload });
  const vipRule = { name: '高净值', kind: 'tag', value: 'vip', condition: { field: 'aumCny', op: 'gte', value: 6_000_000 } };
  const retirementRule = {
    name: '临退休',
    kind: 'need',
    value: 'retirement',
    condition: { all: [{ field: 'age', op: 'gte', value: 50 }, { not: { field: 'needs', op: 'contains', value: 'retirement' } }] },
  };

  it('creates, lists, reads, updates and deletes rules (admins only), auditing each', async () => {
    const created = await createRule(vipRule, '?apply=false');
    expect(created.statusCode).toBe(201);
    expect(created.headers['etag']).toBe('"1"');
    const rule = created.json().rule;
    expect(rule).toMatchObject({ name: '高净值', kind: 'tag', value: 'vip', enabled: true, version: 1 });
    expect(created.json().applied).toBeNull();
    expect((await app.inject({ method: 'GET', url: '/api/profiles/rules', headers: admin() })).json()).toHaveLength(1);
    expect((await app.inject({ method: 'GET', url: `/api/profiles/rules/${rule.id}`, headers: admin() })).json()).toMatchObject({ id: rule.id });

    expect((await app.inject({ method: 'GET', url: `/api/profiles/rules/${rule.id}`, headers: admin() })).headers['etag']).toBe('"1"');
    const updated = await app.inject({ method: 'PATCH', url: `/api/profiles/rules/${rule.id}?apply=false`, headers: { ...admin(), 'if-match': '"1"' }, payload: { enabled: false } });
    expect(updated.json().rule).toMatchObject({ enabled: false, version: 2 });
    expect(updated.headers['etag']).toBe('"2"');
    const stale = await app.inject({ method: 'PATCH', url: `/api/profiles/rules/${rule.id}`, headers: { ...admin(), 'if-match': '"1"' }, payload: { enabled: true } });
    expect(stale.statusCode).toBe(412);
    expect((await app.inject({ method: 'PATCH', url: `/api/profiles/rules/${rule.id}`, headers: admin(), payload: { enabled: true } })).statusCode).toBe(428);
    expect((await createRule({ ...vipRule, value: 'retiree' }, '?apply=false')).statusCode).toBe(409);

    const removed = await app.inject({ method: 'DELETE', url: `/api/profiles/rules/${rule.id}`, headers: admin() });
    expect(removed.statusCode).toBe(200);
    expect(removed.json().applied).toMatchObject({ customersScanned: 0, rulesApplied: 0 });
    expect((await app.inject({ method: 'GET', url: `/api/profiles/rules/${rule.id}`, headers: admin() })).statusCode).toBe(404);
    const audit = await sql<{ action: string }>(app, "select action from audit_entry where entity_type = 'portrait_rule' order by id");
    expect(audit.map((a) => a.action)).toEqual(['rule.created', 'rule.updated', 'rule.deleted']);

    expect((await app.inject({ method: 'GET', url: '/api/profiles/rules', headers: auth('manager') })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/api/profiles/rules/apply', headers: auth('manager') })).statusCode).toBe(403);
  });

  it.each([
    ['an unknown field', { condition: { field: 'salary', op: 'gt', value: 1 } }, /condition.field: unknown field "salary"/],
    ['an operator the field does not take', { condition: { field: 'city', op: 'gt', value: 1 } }, /condition.op: "gt" is not an operator for city/],
    ['a value of the wrong type', { condition: { all: [{ field: 'aumCny', op: 'gte', value: 'lots' }] } }, /condition.all\[0\].value: must be a number/],
    ['an unknown enum value', { condition: { field: 'segment', op: 'eq', value: 'gold' } }, /"gold" is not one of/],
    ['an unknown tag', { value: 'platinum' }, /value contains unknown tag "platinum"/],
    ['an unknown need', { kind: 'need', value: 'yachts' }, /value "yachts" is not a need/],
    ['a condition that is not an object', { condition: 'aumCny > 5' }, /condition must be an object/],
    ['an unknown kind', { kind: 'segment' }, /kind must be one of the following values: tag, need/],
    ['an extra field', { priority: 1 }, /property priority should not exist/],
  ])('refuses %s with 400 naming it', async (_label, change, message) => {
    const response = await createRule({ ...vipRule, ...change });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(message);
    expect(await sql(app, 'select id from portrait_rule')).toHaveLength(0);
  });

  it('derives tags and needs on every change, records the rule, removes them when it stops matching, keeps manual ones', async () => {
    const vip = (await createRule(vipRule, '?apply=false')).json().rule;
    const retirement = (await createRule(retirementRule, '?apply=false')).json().rule;

    const customer = await createCustomer({ displayName: '赵敏', birthDate: '1970-03-01', aumCny: 8_000_000, tags: ['vip'] });
    expect(customer.tags).toEqual([
      { code: 'vip', source: 'manual', ruleId: null },
      { code: 'vip', source: 'rule', ruleId: vip.id },
    ]);
    expect(customer.needs).toEqual([{ code: 'retirement', source: 'rule', ruleId: retirement.id }]);
    const created = (await outboxFor(app, customer.id))[0].envelope.payload as { snapshot: { tags: string[]; needs: string[] } };
    expect(created.snapshot).toMatchObject({ tags: ['vip'], needs: ['retirement'] });

    // AUM falls below the threshold: the rule's tag goes, the manual one stays; the declared need replaces the rule's.
    const lower = await patch(customer.id, { version: 1, aumCny: 100_000, declaredNeeds: ['retirement'] });
    expect(lower.json().tags).toEqual([{ code: 'vip', source: 'manual', ruleId: null }]);
    expect(lower.json().needs).toEqual([{ code: 'retirement', source: 'declared', ruleId: null }]);
    const updated = (await outboxFor(app, customer.id))[1].envelope.payload as { changedFields: string[] };
    expect(updated.changedFields).toEqual(['aumCny', 'needs', 'tags', 'segment']);
    expect(await sql(app, 'select tag_code, origin, source, rule_id from customer_tag where customer_id = ?', [customer.id])).toEqual([
      { tag_code: 'vip', origin: 'manual', source: 'manual', rule_id: null },
    ]);

    // A customer's own change runs the rules too.
    const registered = await registerCustomer(app);
    await sql(app, "update customer_portrait set birth_date = '1960-01-01' where id = ?", [registered.id]);
    const own = auth('customer', registered.userId);
    const etag = String((await app.inject({ method: 'GET', url: '/api/profiles/me', headers: own })).headers['etag']);
    const mine = await app.inject({ method: 'PATCH', url: '/api/profiles/me', headers: { ...own, 'if-match': etag }, payload: { interests: ['tea'] } });
    expect(mine.json().needs).toEqual([{ code: 'retirement', source: 'rule', ruleId: retirement.id }]);
  });

  it('applies all rules over all customers in batches, reports counts, and removes values of changed or deleted rules', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push((await createCustomer({ displayName: `客户${i}`, aumCny: i * 1_000_000 })).id);
    const created = await createRule(vipRule);
    expect(created.statusCode).toBe(201);
    expect(created.json().applied).toMatchObject({ customersScanned: 12, customersChanged: 6, tagsAdded: 6, tagsRemoved: 0, rulesApplied: 1, batches: 1 });
    const ruleId = created.json().rule.id;
    const tagged = await sql<{ n: number }>(app, 'select count(*) as n from customer_tag where rule_id = ?', [ruleId]);
    expect(Number(tagged[0].n)).toBe(6);
    const events = await outboxFor(app, ids[11]);
    expect(events.map((e) => e.event_type)).toEqual(['ProfileCreated', 'ProfileUpdated']);
    expect(events[1].envelope.payload).toMatchObject({ changedFields: ['tags'], profileVersion: 2, snapshot: { tags: ['vip'] } });

    // Nothing changed since: a second run changes nothing and emits nothing.
    const again = await app.inject({ method: 'POST', url: '/api/profiles/rules/apply', headers: admin() });
    expect(again.json()).toMatchObject({ customersScanned: 12, customersChanged: 0 });

    const raised = await app.inject({
      method: 'PATCH',
      url: `/api/profiles/rules/${ruleId}`,
      headers: { ...admin(), 'if-match': '"1"' },
      payload: { condition: { field: 'aumCny', op: 'gte', value: 9_000_000 } },
    });
    expect(raised.json().applied).toMatchObject({ customersChanged: 3, tagsRemoved: 3 });
    const removed = await app.inject({ method: 'DELETE', url: `/api/profiles/rules/${ruleId}`, headers: admin() });
    expect(removed.json().applied).toMatchObject({ customersChanged: 3, tagsRemoved: 3, rulesApplied: 0 });
    expect(await sql(app, 'select * from customer_tag')).toEqual([]);
    const audit = await sql<{ n: number }>(app, "select count(*) as n from audit_entry where action = 'portrait.rules_applied'");
    expect(Number(audit[0].n)).toBe(12);
  });

  it('recomputes segments under new thresholds when applying', async () => {
    const customer = await createCustomer({ displayName: '钱多多', aumCny: 700_000 });
    expect(customer.segment).toBe('affluent');
    await sql(app, "update customer_portrait set segment = 'private' where id = ?", [customer.id]);
    const applied = await app.inject({ method: 'POST', url: '/api/profiles/rules/apply', headers: admin() });
    expect(applied.json()).toMatchObject({ segmentsChanged: 1 });
    expect((await sql<{ segment: string }>(app, 'select segment from customer_portrait where id = ?', [customer.id]))[0].segment).toBe('affluent');
  });

  it('lists the fields and operators conditions may use', async () => {
    const fields = (await app.inject({ method: 'GET', url: '/api/profiles/rules/fields', headers: admin() })).json();
    expect(fields).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'aumCny', kind: 'number', operators: expect.arrayContaining(['gte', 'between']) })]));
  });
});
