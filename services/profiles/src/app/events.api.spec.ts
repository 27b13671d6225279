import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AssignmentChanged, createEnvelope, parseEnvelope, Topic, type EventEnvelope } from '@relationship/contracts';
import { eventually, testKafkaBrokers, testTopic } from '@relationship/testing';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { auth, managerEvent, sql, startProfiles } from '../testing/profiles-test-app';

const admin = () => auth('admin');

/**
 * Events through real Kafka: ProfileCreated v2 / ProfileUpdated read back from profiles.customer.v1, the AssignmentChanged
 * read model and the manager account read model (managers.manager.v1), which together open a book to its manager's login.
 */
describe('profile events, the assignment and manager account read models (real Kafka)', () => {
  let app: NestFastifyApplication;
  let producer: Producer;
  let reader: Consumer;
  const run = Date.now().toString(36);
  const kafka = new Kafka({ clientId: `profiles-events-spec-${run}`, brokers: testKafkaBrokers().split(','), logLevel: logLevel.NOTHING });
  const received: EventEnvelope[] = [];

  beforeAll(async () => {
    app = await startProfiles({ consume: true, env: { KAFKA_CONSUMER_GROUP: `profiles-events-spec-${run}` } });
    producer = kafka.producer();
    await producer.connect();
    // Read profiles.customer.v1 from its current end only: older runs' events are not ours.
    const admin = kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(testTopic(Topic.ProfilesCustomer));
    await admin.disconnect();
    reader = kafka.consumer({ groupId: `profiles-events-reader-${run}` });
    await reader.connect();
    await reader.subscribe({ topic: testTopic(Topic.ProfilesCustomer) });
    await reader.run({ eachMessage: async ({ message }) => void received.push(parseEnvelope(message.value)) });
    for (const o of offsets) reader.seek({ topic: testTopic(Topic.ProfilesCustomer), partition: o.partition, offset: o.offset });
  }, 120_000);

  afterAll(async () => {
    await reader?.disconnect();
    await producer?.disconnect();
    await app?.close();
  });

  const processed = (eventId: string) =>
    eventually(`event ${eventId} processed`, async () => (await sql(app, 'select 1 from processed_event where event_id = ?', [eventId])).length > 0, 30_000);
  const publishAssignment = async (payload: { customerId: string; managerId: string | null; previousManagerId?: string | null; assignmentVersion: number }) => {
    const envelope = createEnvelope({
      contract: AssignmentChanged,
      source: 'matching',
      correlationId: `spec-${run}`,
      payload: { previousManagerId: null, reason: 'manual', runId: null, score: 87.5, changedAt: new Date().toISOString(), ...payload },
    });
    await producer.send({ topic: testTopic(Topic.MatchingAssignment), messages: [{ key: envelope.key, value: JSON.stringify(envelope) }] });
    await processed(envelope.id);
  };
  /** A managers-registry event (ManagerRegistered at version 1, else ManagerUpdated) carrying the account link. */
  const publishManager = async (managerId: string, userId: string | null, managerVersion: number) => {
    const envelope = managerEvent(managerId, userId, managerVersion);
    await producer.send({ topic: testTopic(Topic.ManagersManager), messages: [{ key: envelope.key, value: JSON.stringify(envelope) }] });
    await processed(envelope.id);
  };
  const account = async (managerId: string) =>
    (await sql<{ user_id: string | null; manager_version: number }>(app, 'select user_id, manager_version from manager_account where manager_id = ?', [managerId]))[0];
  const read = (id: string, userId: string) => app.inject({ method: 'GET', url: `/api/profiles/${id}`, headers: auth('manager', userId) });
  const book = async (userId: string) => {
    const response = await app.inject({ method: 'GET', url: '/api/profiles?pageSize=100', headers: auth('manager', userId) });
    expect(response.statusCode).toBe(200);
    return response.json() as { items: { id: string }[]; total: number };
  };
  const customer = async (displayName: string, phone: string) => {
    const created = await app.inject({ method: 'POST', url: '/api/profiles', headers: admin(), payload: { displayName, phone, email: 'chen.jing@example.com' } });
    expect(created.statusCode).toBe(201);
    return created.json().id as string;
  };
  const assignment = async (id: string) =>
    (await sql<{ assigned_manager_id: string | null; assignment_version: number; version: number }>(app, 'select assigned_manager_id, assignment_version, version from customer_portrait where id = ?', [id]))[0];

  it('publishes ProfileCreated v2 and ProfileUpdated through the outbox to profiles.customer.v1', async () => {
    const created = await app.inject({ method: 'POST', url: '/api/profiles', headers: admin(), payload: { displayName: '周杰', aumCny: 1_000_000, city: '杭州', homeBranchId: 'HZ-XH-001' } });
    const { id } = created.json();
    await app.inject({ method: 'PATCH', url: `/api/profiles/${id}`, headers: { ...admin(), 'if-match': '"1"' }, payload: { aumCny: 9_000_000, interests: ['music'] } });

    const mine = await eventually('both events on Kafka', async () => {
      const events = received.filter((e) => e.key === id);
      return events.length >= 2 ? events : undefined;
    }, 30_000);
    expect(mine.map((e) => [e.type, e.version, e.source])).toEqual([
      ['ProfileCreated', 2, 'profiles'],
      ['ProfileUpdated', 1, 'profiles'],
    ]);
    expect(mine[0].payload).toMatchObject({ customerId: id, origin: 'staff', profileVersion: 1, snapshot: { segment: 'affluent', city: '杭州', homeBranchId: 'HZ-XH-001' } });
    expect(mine[1].payload).toMatchObject({ profileVersion: 2, changedFields: ['aumCny', 'interests', 'segment'], snapshot: { segment: 'high_net_worth', aumCny: 9_000_000, interests: ['music'] } });
    expect(mine[1].correlationId).toEqual(expect.any(String));
    const outbox = await sql<{ published_at: Date | null }>(app, 'select published_at from outbox_message where message_key = ?', [id]);
    expect(outbox.every((r) => r.published_at !== null)).toBe(true);
  });

  it('keeps assignedManagerId from AssignmentChanged, ignoring stale versions, and opens the book to that manager', async () => {
    const { id } = (await app.inject({ method: 'POST', url: '/api/profiles', headers: admin(), payload: { displayName: '吴磊', phone: '13700001111' } })).json();
    // Registry ids (what matching assigns) and the managers' logins (what their tokens carry), linked by the registry.
    const [m1, m2, u1, u2] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    await publishManager(m1, u1, 1);
    await publishManager(m2, u2, 1);
    expect((await read(id, u1)).statusCode).toBe(404);

    await publishAssignment({ customerId: id, managerId: m1, assignmentVersion: 1 });
    expect(await assignment(id)).toEqual({ assigned_manager_id: m1, assignment_version: 1, version: 1 });
    const seen = await read(id, u1);
    expect(seen.statusCode).toBe(200);
    expect(seen.json()).toMatchObject({ assignedManagerId: m1, phone: '137****1111', masked: true });
    expect((await book(u1)).items.map((i) => i.id)).toEqual([id]);
    expect((await read(id, u2)).statusCode).toBe(404);

    await publishAssignment({ customerId: id, managerId: m2, previousManagerId: m1, assignmentVersion: 3 });
    // Arrives late: version 2 is older than the 3 already applied.
    await publishAssignment({ customerId: id, managerId: m1, previousManagerId: null, assignmentVersion: 2 });
    expect(await assignment(id)).toEqual({ assigned_manager_id: m2, assignment_version: 3, version: 1 });
    expect((await read(id, u1)).statusCode).toBe(404);
    expect((await read(id, u2)).statusCode).toBe(200);
    expect((await book(u1)).items.map((i) => i.id)).not.toContain(id);
    expect((await app.inject({ method: 'GET', url: `/api/profiles?unassigned=true&q=${encodeURIComponent("吴磊")}`, headers: admin() })).json().items.map((i: { id: string }) => i.id)).not.toContain(id);

    await publishAssignment({ customerId: id, managerId: null, previousManagerId: m2, assignmentVersion: 4 });
    expect(await assignment(id)).toEqual({ assigned_manager_id: null, assignment_version: 4, version: 1 });
    expect((await app.inject({ method: 'GET', url: `/api/profiles?unassigned=true&q=${encodeURIComponent("吴磊")}`, headers: admin() })).json().items.map((i: { id: string }) => i.id)).toContain(id);

    const audit = await sql<{ action: string }>(app, "select action from audit_entry where entity_id = ? and action = 'portrait.assignment_synced'", [id]);
    expect(audit).toHaveLength(3);
    // The read model is matching's state, not a portrait change: no ProfileUpdated echoes back.
    expect(await sql(app, "select 1 from outbox_message where message_key = ? and event_type = 'ProfileUpdated'", [id])).toEqual([]);
  });

  it('opens the book to the linked manager login only: unlinked it is a 404 and an empty book', async () => {
    const id = await customer('陈静', '13600002222');
    const [manager, login] = [crypto.randomUUID(), crypto.randomUUID()];
    await publishManager(manager, null, 1);
    await publishAssignment({ customerId: id, managerId: manager, assignmentVersion: 1 });
    expect(await account(manager)).toEqual({ user_id: null, manager_version: 1 });
    // Registered but not linked yet: the manager's login has no book (and no error either).
    expect((await read(id, login)).statusCode).toBe(404);
    expect(await book(login)).toMatchObject({ items: [], total: 0 });
    // A token whose id happens to be the registry id is not that manager.
    expect((await read(id, manager)).statusCode).toBe(404);

    await publishManager(manager, login, 2);
    expect(await account(manager)).toEqual({ user_id: login, manager_version: 2 });
    const seen = await read(id, login);
    expect(seen.statusCode).toBe(200);
    expect(seen.json()).toMatchObject({ id, assignedManagerId: manager, displayName: '陈静', phone: '136****2222', email: 'c***@example.com', birthDate: null, masked: true });
    expect(seen.body).not.toContain('13600002222');
    const found = await book(login);
    expect(found.items.map((i) => i.id)).toEqual([id]);
    expect(found.total).toBe(1);
    const own = await app.inject({ method: 'GET', url: `/api/profiles?assignedManagerId=${manager}`, headers: auth('manager', login) });
    expect(own.json().items.map((i: { id: string }) => i.id)).toEqual([id]);

    // The registry unlinks the account (e.g. a wrong link corrected): the book closes again.
    await publishManager(manager, null, 3);
    expect((await read(id, login)).statusCode).toBe(404);
    expect(await book(login)).toMatchObject({ items: [], total: 0 });
    expect((await app.inject({ method: 'GET', url: `/api/profiles?assignedManagerId=${manager}`, headers: auth('manager', login) })).statusCode).toBe(403);
  });

  it('ignores a stale manager event: a lower or equal managerVersion does not change the link', async () => {
    const id = await customer('陈静', '13600003333');
    const [manager, login, intruder] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    await publishManager(manager, login, 3);
    await publishAssignment({ customerId: id, managerId: manager, assignmentVersion: 1 });
    expect((await read(id, login)).statusCode).toBe(200);

    // Late arrivals of older versions (unlinked, then linked to someone else) and a repeat of the held version.
    await publishManager(manager, null, 1);
    await publishManager(manager, intruder, 2);
    await publishManager(manager, intruder, 3);
    expect(await account(manager)).toEqual({ user_id: login, manager_version: 3 });
    expect((await read(id, login)).statusCode).toBe(200);
    expect((await book(login)).items.map((i) => i.id)).toEqual([id]);
    expect((await read(id, intruder)).statusCode).toBe(404);
    expect(await book(intruder)).toMatchObject({ items: [], total: 0 });
  });

  it('moves access with the link: relinking a manager to another login, and a login to another manager', async () => {
    const [first, second] = [await customer('陈静', '13600004444'), await customer('陈静', '13600005555')];
    const [m1, m2, oldLogin, newLogin] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    await publishManager(m1, oldLogin, 1);
    await publishManager(m2, null, 1);
    await publishAssignment({ customerId: first, managerId: m1, assignmentVersion: 1 });
    await publishAssignment({ customerId: second, managerId: m2, assignmentVersion: 1 });
    expect((await read(first, oldLogin)).statusCode).toBe(200);

    // m1's record now belongs to another login: the old one loses the book, the new one gains it.
    await publishManager(m1, newLogin, 2);
    expect((await read(first, oldLogin)).statusCode).toBe(404);
    expect(await book(oldLogin)).toMatchObject({ items: [], total: 0 });
    expect((await read(first, newLogin)).statusCode).toBe(200);
    expect((await book(newLogin)).items.map((i) => i.id)).toEqual([first]);

    // That login is then linked to m2 (m1's unlink not seen yet): the newest link wins and m1 loses the account.
    await publishManager(m2, newLogin, 2);
    expect(await account(m1)).toEqual({ user_id: null, manager_version: 2 });
    expect(await account(m2)).toEqual({ user_id: newLogin, manager_version: 2 });
    expect((await read(first, newLogin)).statusCode).toBe(404);
    expect((await read(second, newLogin)).statusCode).toBe(200);
    expect((await book(newLogin)).items.map((i) => i.id)).toEqual([second]);
  });

  it('ignores an assignment of a customer it does not know', async () => {
    await publishAssignment({ customerId: crypto.randomUUID(), managerId: crypto.randomUUID(), assignmentVersion: 1 });
  });
});
