import { MikroORM } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';
import type { EntityManager } from '@mikro-orm/mysql';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Test, TestingModule } from '@nestjs/testing';
import { createEnvelope, deadLetterTopic, platformTopicSpecs, Topic, UserRegistered, type EventEnvelope } from '@relationship/contracts';
import { forkEm, ormOptions } from '@relationship/persistence';
import { eventually, testDatabaseUrl, testKafkaBrokers, testTopic, testTopicPrefix } from '@relationship/testing';
import { Consumer, Kafka, KafkaMessage, logLevel } from 'kafkajs';
import { IdempotentConsumer } from './consumer';
import { awaitTopics, provisionTopics } from './kafka';
import { messagingEntities, messagingTablesSql } from './entities';
import { MessagingModule } from './messaging.module';
import { OutboxService } from './outbox';

class CreateMessagingTables extends Migration {
  override async up(): Promise<void> {
    for (const sql of messagingTablesSql()) this.addSql(sql);
  }
}

const SCHEMA = 'relationship_messaging';
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

function registration(n: number) {
  return {
    userId: crypto.randomUUID(),
    username: `user${n}${run}`.slice(0, 60),
    role: 'customer' as const,
    displayName: `User ${n}`,
    email: null,
    phone: null,
    registeredAt: new Date().toISOString(),
  };
}

async function createDatabase(): Promise<void> {
  const url = new URL(testDatabaseUrl(SCHEMA));
  const bootstrap = await MikroORM.init(
    ormOptions(
      { DATABASE_URL: `${url.protocol}//${url.username}:${url.password}@${url.host}/relationship_identity_test`, DB_DRIVER: 'mariadb', DB_POOL_MAX: 1 },
      { entities: messagingEntities, migrations: [] },
    ),
  );
  const em = forkEm(bootstrap);
  await em.execute(`create database if not exists ${SCHEMA}_test character set utf8mb4`);
  await em.execute(`drop table if exists ${SCHEMA}_test.outbox_message, ${SCHEMA}_test.processed_event, ${SCHEMA}_test.mikro_orm_migrations`);
  await bootstrap.close();
}

/**
 * Collects a topic's messages. From the beginning, because on a fresh broker "latest" may be resolved only after
 * the message under test was written; callers match on keys unique to this run.
 */
async function collect(kafka: Kafka, topic: string): Promise<{ consumer: Consumer; messages: KafkaMessage[] }> {
  const consumer = kafka.consumer({ groupId: `messaging-spec-${run}-${topic}` });
  const messages: KafkaMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
  await consumer.run({ eachMessage: async ({ message }) => void messages.push(message) });
  await eventually(`consumer group join on ${topic}`, async () => joined, 30_000);
  return { consumer, messages };
}

describe('messaging (real MariaDB and Kafka)', () => {
  let moduleRef: TestingModule;
  let orm: MikroORM;
  let kafka: Kafka;
  const consumers: Consumer[] = [];

  beforeAll(async () => {
    await createDatabase();
    moduleRef = await Test.createTestingModule({
      imports: [
        MikroOrmModule.forRoot({
          ...ormOptions(
            { DATABASE_URL: testDatabaseUrl(SCHEMA), DB_DRIVER: 'mariadb', DB_POOL_MAX: 5 },
            { entities: messagingEntities, migrations: [{ name: 'CreateMessagingTables', class: CreateMessagingTables }] },
          ),
          registerRequestContext: false,
        }),
        MessagingModule.forRoot({ service: `messaging-spec-${run}`, brokers: testKafkaBrokers().split(','), maxAttempts: 2, pollIntervalMs: 20, topicPrefix: testTopicPrefix() }),
      ],
    }).compile();
    orm = moduleRef.get(MikroORM);
    await orm.migrator.up();
    await moduleRef.init();
    kafka = new Kafka({ clientId: 'messaging-spec', brokers: testKafkaBrokers().split(','), logLevel: logLevel.NOTHING });
  }, 90_000);

  afterAll(async () => {
    await Promise.all(consumers.map((c) => c.disconnect()));
    await moduleRef?.close();
  });

  it('provisions every registry topic and its dead-letter topic with the registry partition counts, once', async () => {
    const admin = new Kafka({ clientId: 'messaging-spec-admin', brokers: testKafkaBrokers().split(','), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const specs = platformTopicSpecs(`test.provision-${Date.now().toString(36)}.`);
    try {
      expect(specs.map((s) => s.topic)).toEqual(expect.arrayContaining(specs.filter((s) => !s.topic.endsWith('.dlq')).map((s) => `${s.topic}.dlq`)));
      expect(await provisionTopics(admin, specs, 30_000)).toHaveLength(specs.length);
      const { topics } = await admin.fetchTopicMetadata({ topics: specs.map((s) => s.topic) });
      const partitions = Object.fromEntries(topics.map((t) => [t.name, t.partitions.filter((p) => p.leader >= 0).length]));
      expect(partitions).toEqual(Object.fromEntries(specs.map((s) => [s.topic, s.numPartitions])));
      expect(partitions[specs.find((s) => s.topic.endsWith('profiles.customer.v1'))!.topic]).toBe(6);
      // a second provisioning run (make up again, a second Job) creates nothing and succeeds
      expect(await provisionTopics(admin, specs, 30_000)).toEqual([]);
    } finally {
      await admin.deleteTopics({ topics: specs.map((s) => s.topic) }).catch(() => undefined);
      await admin.disconnect();
    }
  });

  it('a service start waits for a topic provisioned late, saying which it waits for; one that never comes fails naming it', async () => {
    const admin = new Kafka({ clientId: 'messaging-spec-admin', brokers: testKafkaBrokers().split(','), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const late = `test.late-topic-${Date.now().toString(36)}`;
    try {
      const reports: string[][] = [];
      const waiting = awaitTopics(admin, [late], { withinMs: 20_000, reportEveryMs: 200, onWaiting: (missing) => reports.push(missing) });
      await new Promise((r) => setTimeout(r, 1_000));
      await provisionTopics(admin, [{ topic: late, numPartitions: 2 }], 20_000);
      await expect(waiting).resolves.toBeUndefined();
      expect(reports.length).toBeGreaterThan(0);
      expect(reports[0]).toEqual([late]);

      const never = `test.never-created-${Date.now().toString(36)}`;
      await expect(awaitTopics(admin, [late, never], { withinMs: 500 })).rejects.toThrow(new RegExp(`not ready after 500 ms: ${never.replace(/\./g, '\\.')}\\. .*provisioning step`));
    } finally {
      await admin.deleteTopics({ topics: [late] }).catch(() => undefined);
      await admin.disconnect();
    }
  });

  it('the checked-in DDL matches the entities', async () => {
    const diff = await orm.schema.getUpdateSchemaSQL({ wrap: false, dropTables: false });
    expect(diff.trim()).toBe('');
  });

  it('publishes an enqueued event only once its transaction commits', async () => {
    const { consumer, messages } = await collect(kafka, testTopic(Topic.IdentityUser));
    consumers.push(consumer);
    const outbox = moduleRef.get(OutboxService);
    const committed = registration(1);
    const rolledBack = registration(2);

    await forkEm(orm).transactional(async (em) => {
      outbox.enqueue(em, { contract: UserRegistered, payload: committed, correlationId: 'corr-1' });
    });
    await expect(
      forkEm(orm).transactional(async (em) => {
        outbox.enqueue(em, { contract: UserRegistered, payload: rolledBack });
        await em.flush();
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');

    const published = await eventually('the committed event on Kafka', async () =>
      messages.find((m) => m.key?.toString() === committed.userId),
    );
    const envelope = JSON.parse(published.value!.toString()) as EventEnvelope;
    expect(envelope).toMatchObject({ type: 'UserRegistered', version: 1, key: committed.userId, correlationId: 'corr-1' });
    expect(envelope.payload).toEqual(committed);
    expect(published.headers?.['event-id']?.toString()).toBe(envelope.id);

    const row = await forkEm(orm).execute('select published_at from outbox_message where id = ?', [envelope.id]);
    expect(row[0].published_at).not.toBeNull();
    // Give the relay time to (wrongly) publish the rolled-back event before asserting it never did.
    await new Promise((r) => setTimeout(r, 500));
    expect(messages.some((m) => m.key?.toString() === rolledBack.userId)).toBe(false);
  }, 60_000);

  it('applies a redelivered event once and dead-letters invalid and failing messages', async () => {
    const { consumer, messages: dead } = await collect(kafka, deadLetterTopic(testTopic(Topic.IdentityUser)));
    consumers.push(consumer);
    const idempotent = moduleRef.get(IdempotentConsumer);
    const envelope = createEnvelope({ contract: UserRegistered, payload: registration(3), source: 'identity' });
    const source = { topic: testTopic(Topic.IdentityUser), partition: 0, offset: '42', key: envelope.key };
    const applied: string[] = [];
    const handler = async (e: EventEnvelope, em: EntityManager) => {
      applied.push(e.id);
      // The effect shares the transaction with the processed-event row.
      await em.execute('select 1');
    };

    await expect(idempotent.consume(source, JSON.stringify(envelope), handler)).resolves.toBe('processed');
    await expect(idempotent.consume(source, Buffer.from(JSON.stringify(envelope)), handler)).resolves.toBe('duplicate');
    expect(applied).toEqual([envelope.id]);

    const invalidKey = crypto.randomUUID();
    await expect(idempotent.consume({ ...source, offset: '43', key: invalidKey }, '{not json', handler)).resolves.toBe('dead-lettered');

    const nullKey = crypto.randomUUID();
    await expect(idempotent.consume({ ...source, offset: '45', key: nullKey }, null, handler)).resolves.toBe('dead-lettered');

    const failing = createEnvelope({ contract: UserRegistered, payload: registration(4), source: 'identity' });
    let calls = 0;
    await expect(
      idempotent.consume({ ...source, offset: '44', key: failing.key }, JSON.stringify(failing), async () => {
        calls += 1;
        throw new Error('profile rules broke');
      }),
    ).resolves.toBe('dead-lettered');
    expect(calls).toBe(2);
    // A failed attempt left no processed-event row behind, so a replay from the DLQ can still apply it.
    const rows = await forkEm(orm).execute('select event_id from processed_event where event_id = ?', [failing.id]);
    expect(rows).toHaveLength(0);

    const invalid = await eventually('the invalid message in the DLQ', async () =>
      dead.find((m) => m.key?.toString() === invalidKey),
    );
    expect(invalid.value?.toString()).toBe('{not json');
    expect(invalid.headers?.['dlq-reason']?.toString()).toMatch(/not valid JSON/);
    // A null value (a tombstone, or a producer bug) is kept null, with a reason that says so, not the string "null".
    const nothing = await eventually('the null message in the DLQ', async () => dead.find((m) => m.key?.toString() === nullKey));
    expect(nothing.value).toBeNull();
    expect(nothing.headers?.['dlq-reason']?.toString()).toBe('message has no value (null): an event needs its envelope');
    const poisoned = await eventually('the failing message in the DLQ', async () =>
      dead.find((m) => m.key?.toString() === failing.key),
    );
    expect(poisoned.headers?.['dlq-attempts']?.toString()).toBe('2');
    expect(poisoned.headers?.['dlq-reason']?.toString()).toMatch(/profile rules broke/);
  }, 60_000);

  it('applies a batch in one transaction, skipping processed events, and isolates a failing event', async () => {
    const { consumer, messages: dead } = await collect(kafka, deadLetterTopic(Topic.IdentityUser));
    consumers.push(consumer);
    const idempotent = moduleRef.get(IdempotentConsumer);
    const source = { topic: Topic.IdentityUser, partition: 1 };
    const [a, b, c] = [5, 6, 7].map((n) => createEnvelope({ contract: UserRegistered, payload: registration(n), source: 'identity' }));
    const message = (e: EventEnvelope, offset: string) => ({ offset, key: e.key, value: JSON.stringify(e) });
    const batches: string[][] = [];
    const handler = async (envelopes: EventEnvelope[], em: EntityManager) => {
      batches.push(envelopes.map((e) => e.id));
      if (envelopes.some((e) => e.id === c.id)) throw new Error('c breaks the rules');
      await em.execute('select 1');
    };

    // a already processed; b twice in the batch; one invalid message
    await expect(idempotent.consume({ ...source, offset: '1', key: a.key }, JSON.stringify(a), async () => undefined)).resolves.toBe('processed');
    const invalidKey = crypto.randomUUID();
    const outcome = await idempotent.consumeBatch(source, [message(a, '2'), message(b, '3'), message(b, '4'), { offset: '5', key: invalidKey, value: '{not json' }], handler);
    expect(outcome).toEqual({ processed: [b], duplicates: 2, deadLettered: 1 });
    expect(batches).toEqual([[b.id]]);

    // c fails: the batch rolls back, then b2 applies alone and c is dead-lettered after its attempts
    const b2 = createEnvelope({ contract: UserRegistered, payload: registration(8), source: 'identity' });
    batches.length = 0;
    const isolated = await idempotent.consumeBatch(source, [message(b2, '6'), message(c, '7')], handler);
    expect(isolated).toEqual({ processed: [b2], duplicates: 0, deadLettered: 1 });
    expect(batches).toEqual([[b2.id, c.id], [b2.id], [c.id], [c.id]]);
    const rows = await forkEm(orm).execute<{ event_id: string }[]>('select event_id from processed_event where event_id in (?, ?)', [b2.id, c.id]);
    expect(rows.map((r) => r.event_id)).toEqual([b2.id]);
    await eventually('the invalid message in the DLQ', async () => dead.find((m) => m.key?.toString() === invalidKey));
    const poisoned = await eventually('the failing event in the DLQ', async () => dead.find((m) => m.key?.toString() === c.key));
    expect(poisoned.headers?.['dlq-reason']?.toString()).toMatch(/c breaks the rules/);
  }, 60_000);
});
