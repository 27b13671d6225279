import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AssignmentChanged, createEnvelope, parseEnvelope, Topic, type EventEnvelope } from '@relationship/contracts';
import { eventually, testKafkaBrokers } from '@relationship/testing';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { auth, sql, startProfiles } from '../testing/profiles-test-app';

const admin = () => auth('admin');

/** Events through real Kafka: ProfileCreated v2 / ProfileUpdated read back from profiles.customer.v1, and the AssignmentChanged read model. */
describe('profile events and the assignment read model (real Kafka)', () => {
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
    const offsets = await admin.fetchTopicOffsets(Topic.ProfilesCustomer);
    await admin.disconnect();
    reader = kafka.consumer({ groupId: `profiles-events-reader-${run}` });
    await reader.connect();
    await reader.subscribe({ topic: Topic.ProfilesCustomer });
    await reader.run({ eachMessage: async ({ message }) => void received.push(parseEnvelope(message.value)) });
    for (const o of offsets) reader.seek({ topic: Topic.ProfilesCustomer, partition: o.partition, offset: o.offset });
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
    await producer.send({ topic: Topic.MatchingAssignment, messages: [{ key: envelope.key, value: JSON.stringify(envelope) }] });
    await processed(envelope.id);
  };
  const assignment = async (id: string) =>
    (await sql<{ assigned_manager_id: string | null; assignment_version: number; version: number }>(app, 'select assigned_manager_id, assignment_version, version from customer_portrait where id = ?', [id]))[0];

  it('publishes ProfileCreated v2 and ProfileUpdated through the outbox to profiles.customer.v1', async () => {
    const created = await app.inject({ method: 'POST', url: '/api/profiles', headers: admin(), payload: { displayName: '周杰', aumCny: 1_000_000, city: '杭州', homeBranchId: 'HZ-XH-001' } });
    const { id } = created.json();
    await app.inject({ method: 'PATCH', url: `/api/profiles/${id}`, headers: admin(), payload: { version: 1, aumCny: 9_000_000, interests: ['music'] } });

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
    const [m1, m2] = [crypto.randomUUID(), crypto.randomUUID()];
    expect((await app.inject({ method: 'GET', url: `/api/profiles/${id}`, headers: auth('manager', m1) })).statusCode).toBe(404);

    await publishAssignment({ customerId: id, managerId: m1, assignmentVersion: 1 });
    expect(await assignment(id)).toEqual({ assigned_manager_id: m1, assignment_version: 1, version: 1 });
    const seen = await app.inject({ method: 'GET', url: `/api/profiles/${id}`, headers: auth('manager', m1) });
    expect(seen.statusCode).toBe(200);
    expect(seen.json()).toMatchObject({ assignedManagerId: m1, phone: '137****1111', masked: true });
    expect((await app.inject({ method: 'GET', url: '/api/profiles', headers: auth('manager', m1) })).json().items.map((i: { id: string }) => i.id)).toEqual([id]);

    await publishAssignment({ customerId: id, managerId: m2, previousManagerId: m1, assignmentVersion: 3 });
    // Arrives late: version 2 is older than the 3 already applied.
    await publishAssignment({ customerId: id, managerId: m1, previousManagerId: null, assignmentVersion: 2 });
    expect(await assignment(id)).toEqual({ assigned_manager_id: m2, assignment_version: 3, version: 1 });
    expect((await app.inject({ method: 'GET', url: `/api/profiles/${id}`, headers: auth('manager', m1) })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: `/api/profiles?unassigned=true&q=${encodeURIComponent("吴磊")}`, headers: admin() })).json().items.map((i: { id: string }) => i.id)).not.toContain(id);

    await publishAssignment({ customerId: id, managerId: null, previousManagerId: m2, assignmentVersion: 4 });
    expect(await assignment(id)).toEqual({ assigned_manager_id: null, assignment_version: 4, version: 1 });
    expect((await app.inject({ method: 'GET', url: `/api/profiles?unassigned=true&q=${encodeURIComponent("吴磊")}`, headers: admin() })).json().items.map((i: { id: string }) => i.id)).toContain(id);

    const audit = await sql<{ action: string }>(app, "select action from audit_entry where entity_id = ? and action = 'portrait.assignment_synced'", [id]);
    expect(audit).toHaveLength(3);
    // The read model is matching's state, not a portrait change: no ProfileUpdated echoes back.
    expect(await sql(app, "select 1 from outbox_message where message_key = ? and event_type = 'ProfileUpdated'", [id])).toEqual([]);
  });

  it('ignores an assignment of a customer it does not know', async () => {
    await publishAssignment({ customerId: crypto.randomUUID(), managerId: crypto.randomUUID(), assignmentVersion: 1 });
  });
});
