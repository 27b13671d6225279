import { MikroORM } from '@mikro-orm/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createEnvelope, Topic, UserRegistered, type EventEnvelope } from '@relationship/contracts';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { eventually, testEnv, testTokens, testTopic } from '@relationship/testing';
import { forkEm } from '@relationship/persistence';
import { loadProfilesConfig } from './config';
import { createProfilesApp } from './profiles-app';

const token = (role: 'customer' | 'manager' | 'admin', id: string = crypto.randomUUID()) =>
  testTokens.sign({ id, role, username: `${role}-${id.slice(0, 8)}` }, 300);

function registered(role: 'customer' | 'manager' = 'customer', userId: string = crypto.randomUUID()) {
  return createEnvelope({
    contract: UserRegistered,
    source: 'identity',
    payload: {
      userId,
      username: `u${userId.slice(0, 8)}`,
      role,
      displayName: '李娜',
      email: `${userId.slice(0, 8)}@example.com`,
      phone: '13812345678',
      registeredAt: new Date().toISOString(),
    },
  });
}

describe('profiles service (real MariaDB and Kafka)', () => {
  let app: NestFastifyApplication;
  let orm: MikroORM;
  let producer: Producer;
  const group = `profiles-spec-${Date.now().toString(36)}`;

  const sql = (query: string, params: unknown[] = []) => forkEm(orm).execute(query, params);
  const publish = (envelope: EventEnvelope) =>
    producer.send({ topic: testTopic(Topic.IdentityUser), messages: [{ key: envelope.key, value: JSON.stringify(envelope) }] });
  /** Publishes through real Kafka and waits until the service's consumer has applied the event. */
  const deliver = async (envelope: EventEnvelope) => {
    await publish(envelope);
    await eventually(`event ${envelope.id} processed`, async () =>
      (await sql('select 1 from processed_event where consumer = ? and event_id = ?', [group, envelope.id])).length > 0,
    30_000);
  };

  beforeAll(async () => {
    const config = loadProfilesConfig(testEnv('relationship_profiles', { KAFKA_CONSUMER_GROUP: group }));
    // Start from an empty schema so the migration runs for real every time.
    const { createConnection } = await import('mysql2/promise');
    const url = new URL(config.DATABASE_URL);
    const admin = await createConnection({ host: url.hostname, port: Number(url.port), user: url.username, password: url.password });
    await admin.query('drop database if exists relationship_profiles_test');
    await admin.query('create database relationship_profiles_test character set utf8mb4 collate utf8mb4_unicode_ci');
    await admin.end();

    app = await createProfilesApp(config);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    orm = app.get(MikroORM);
    await app.startAllMicroservices();
    producer = new Kafka({ clientId: group, brokers: config.KAFKA_BROKERS, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
  }, 90_000);

  afterAll(async () => {
    await producer?.disconnect();
    await app?.close();
  });

  it('migrations produce exactly the schema the entities describe', async () => {
    expect((await orm.schema.getUpdateSchemaSQL({ wrap: false })).trim()).toBe('');
  });

  it('creates one portrait per registered customer with the defaults, emits ProfileCreated v2, and skips a redelivery', async () => {
    const event = registered();
    await publish(event);
    await publish(event);
    // A later event for the same user lands on the same partition, so once it is applied both copies were seen.
    await deliver(registered('customer', event.key));

    const rows = await sql(
      'select id, display_name, version, segment, aum_cny, preferred_language, lifecycle_stage, consent_profiling, consent_marketing, consent_data_sharing, origin from customer_portrait where user_id = ?',
      [event.key],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ display_name: '李娜', version: 1, segment: 'mass', preferred_language: 'zh-CN', lifecycle_stage: 'new', origin: 'registration' });
    expect(Number(rows[0].aum_cny)).toBe(0);
    expect([rows[0].consent_profiling, rows[0].consent_marketing, rows[0].consent_data_sharing].map(Number)).toEqual([0, 0, 0]);

    await eventually('ProfileCreated published', async () =>
      (await sql("select 1 from outbox_message where event_type = 'ProfileCreated' and message_key = ? and published_at is not null", [rows[0].id])).length > 0,
    );
    const outbox = await sql("select envelope, published_at from outbox_message where event_type = 'ProfileCreated' and message_key = ?", [
      rows[0].id,
    ]);
    expect(outbox).toHaveLength(1);
    expect(outbox[0].published_at).not.toBeNull();
    const envelope = JSON.parse(outbox[0].envelope);
    expect(envelope).toMatchObject({ type: 'ProfileCreated', version: 2, source: 'profiles', key: rows[0].id });
    expect(envelope.payload).toMatchObject({
      customerId: rows[0].id,
      profileVersion: 1,
      origin: 'registration',
      snapshot: { userId: event.key, segment: 'mass', aumCny: 0, preferredLanguage: 'zh-CN', lifecycleStage: 'new', consent: { profiling: false, marketing: false, data_sharing: false } },
    });
    // Matching never needs contact data: the event carries none.
    expect(outbox[0].envelope).not.toMatch(/13812345678|example\.com|李娜/);
    const audit = await sql("select action, actor_id from audit_entry where entity_id = ?", [rows[0].id]);
    expect(audit).toEqual([{ action: 'portrait.created', actor_id: null }]);
  });

  it('creates no portrait for a manager account', async () => {
    const event = registered('manager');
    await deliver(event);
    expect(await sql('select id from customer_portrait where user_id = ?', [event.key])).toHaveLength(0);
  });

  it('lets a customer read only their own portrait', async () => {
    const event = registered();
    await deliver(event);
    const mine = await app.inject({ method: 'GET', url: '/api/profiles/me', headers: { authorization: `Bearer ${token('customer', event.key)}` } });
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toMatchObject({ userId: event.key, displayName: '李娜', phone: '13812345678', segment: 'mass', masked: false });

    const stranger = await app.inject({ method: 'GET', url: '/api/profiles/me', headers: { authorization: `Bearer ${token('customer')}` } });
    expect(stranger.statusCode).toBe(404);

    const portraitId = mine.json().id as string;
    const other = await app.inject({ method: 'GET', url: `/api/profiles/${portraitId}`, headers: { authorization: `Bearer ${token('customer')}` } });
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({ statusCode: 403, error: 'Forbidden', requestId: expect.any(String) });
  });

  it('lets an admin list and read portraits, and rejects bad input with 400', async () => {
    const event = registered();
    await deliver(event);
    const admin = { authorization: `Bearer ${token('admin')}` };
    const list = await app.inject({ method: 'GET', url: '/api/profiles?page=1&pageSize=100', headers: admin });
    expect(list.statusCode).toBe(200);
    const ids = (list.json().items as { userId: string }[]).map((p) => p.userId);
    expect(ids).toContain(event.key);

    const badId = await app.inject({ method: 'GET', url: '/api/profiles/not-a-uuid', headers: admin });
    expect(badId.statusCode).toBe(400);
    const badPage = await app.inject({ method: 'GET', url: '/api/profiles?pageSize=1000', headers: admin });
    expect(badPage.statusCode).toBe(400);
    expect(badPage.json().message).toMatch(/pageSize/);
    const unknown = await app.inject({ method: 'GET', url: `/api/profiles/${crypto.randomUUID()}`, headers: admin });
    expect(unknown.statusCode).toBe(404);
    const noToken = await app.inject({ method: 'GET', url: '/api/profiles' });
    expect(noToken.statusCode).toBe(401);
  });

  it('is ready when its database answers; Kafka is reported on its own', async () => {
    const ready = await eventually('readiness', async () => {
      const r = await app.inject({ method: 'GET', url: '/health/ready' });
      return r.statusCode === 200 ? r.json() : undefined;
    });
    expect(ready).toEqual({ status: 'ok', checks: { database: { status: 'up' } } });
    expect((await app.inject({ method: 'GET', url: '/health/kafka' })).json()).toEqual({ status: 'ok', checks: { kafka: { status: 'up' } } });
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/http_request_duration_seconds_bucket/);
  });
});
