import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { platformTopicSpecs } from '@relationship/contracts';
import { provisionTopics } from '@relationship/messaging';
import { eventually, TestKafkaBroker } from '@relationship/testing';
import { Kafka, logLevel } from 'kafkajs';
import { countRows, register, sqlOf, startIdentity } from '../../testing/identity-test-app';

/**
 * The outbox at work: with the broker killed, the service stays ready and its writes succeed; once the broker is
 * back, every event written meanwhile reaches Kafka. Runs against a broker of its own (the shared one stays up).
 */
describe('Kafka outage (a broker of the test killed with SIGKILL, then started again)', () => {
  const broker = new TestKafkaBroker();
  const prefix = process.env['KAFKA_TOPIC_PREFIX'] ?? '';
  let app: NestFastifyApplication;

  beforeAll(async () => {
    await broker.start();
    const admin = new Kafka({ clientId: 'broker-outage-spec', brokers: broker.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await provisionTopics(admin, platformTopicSpecs(prefix));
    await admin.disconnect();
    app = await startIdentity({ KAFKA_BROKERS: broker.brokers.join(','), LOG_LEVEL: 'silent' });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await broker.destroy();
  });

  it('stays ready and accepts writes while the broker is down; they are published once it is back', async () => {
    const before = await countRows(app, 'outbox_message');
    await broker.stop('SIGKILL');

    const usernames = [...Array(5)].map((_, i) => `outage.${Date.now().toString(36)}.${i}`);
    for (const username of usernames) {
      const { statusCode } = await register(app, { username, email: `${username}@example.com` });
      expect([201, 202]).toContain(statusCode);
    }
    expect((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200);
    const kafka = await eventually('kafka reported down', async () => {
      const r = await app.inject({ method: 'GET', url: '/health/kafka' });
      return r.statusCode === 503 ? r : undefined;
    });
    expect(kafka.json().message).toMatch(/^down: kafka/);
    expect(await countRows(app, 'outbox_message', 'published_at is null')).toBeGreaterThanOrEqual(usernames.length);

    await broker.start();
    await eventually('the outbox drained', async () => (await countRows(app, 'outbox_message', 'published_at is null')) === 0, 90_000, 500);
    expect(await countRows(app, 'outbox_message')).toBeGreaterThanOrEqual(before + usernames.length);
    expect((await app.inject({ method: 'GET', url: '/health/kafka' })).statusCode).toBe(200);

    // Delivered: each registration's event is on the broker, once.
    const [{ topic }] = await sqlOf(app).execute<{ topic: string }[]>("select topic from outbox_message where event_type = 'UserRegistered' limit 1");
    const consumer = new Kafka({ clientId: 'broker-outage-reader', brokers: broker.brokers, logLevel: logLevel.NOTHING }).consumer({ groupId: `outage-${Date.now()}` });
    const seen: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: `${prefix}${topic}`, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(message.value?.toString() ?? '') });
    try {
      await eventually('every registration on Kafka', async () => usernames.every((u) => seen.some((v) => v.includes(u))), 60_000);
      for (const u of usernames) expect(seen.filter((v) => v.includes(`"${u}"`))).toHaveLength(1);
    } finally {
      await consumer.disconnect();
    }
  }, 240_000);
});
