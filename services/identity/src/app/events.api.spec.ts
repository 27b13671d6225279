import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { parseEnvelope, Topic, UserRegistered, type EventEnvelope } from '@relationship/contracts';
import { eventually, testKafkaBrokers, testTopic } from '@relationship/testing';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { adminSession, bearer, register, resetIdentityData, startIdentity, STRONG_PASSWORD } from '../testing/identity-test-app';

/** The outbox relay really delivers identity's events to Kafka. */
describe('events on Kafka (real MariaDB + Kafka)', () => {
  let app: NestFastifyApplication;
  let consumer: Consumer;
  const received: EventEnvelope[] = [];

  beforeAll(async () => {
    app = await startIdentity();
    const kafka = new Kafka({ clientId: 'identity-test', brokers: testKafkaBrokers().split(','), logLevel: logLevel.NOTHING });
    // A fresh group reading from the beginning: nothing published during the test can be missed.
    consumer = kafka.consumer({ groupId: `identity-test-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic: testTopic(Topic.IdentityUser), fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        received.push(parseEnvelope(message.value));
      },
    });
  });
  afterAll(async () => {
    await consumer?.disconnect();
    await app?.close();
  });
  beforeEach(async () => {
    await resetIdentityData(app);
  });

  it('publishes UserRegistered with role manager to identity.user.v1 when an admin creates a manager', async () => {
    const admin = await adminSession(app);
    const response = await app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { ...bearer(admin.accessToken), 'x-correlation-id': 'corr-manager-1' },
      payload: { username: 'li.na', password: STRONG_PASSWORD, displayName: '李娜', role: 'manager' },
    });
    expect(response.statusCode).toBe(201);
    const managerId = response.json().id;

    const event = await eventually('UserRegistered for the new manager on Kafka', async () =>
      received.find((e) => e.type === UserRegistered.type && e.key === managerId),
    );
    expect(event.payload).toEqual(expect.objectContaining({ userId: managerId, role: 'manager', username: 'li.na', displayName: '李娜' }));
    expect(event).toEqual(expect.objectContaining({ source: 'identity', correlationId: 'corr-manager-1' }));
  });

  it('publishes UserRegistered for a self-registered customer', async () => {
    const { session } = await register(app, { username: 'zhang.wei', displayName: '张伟', email: 'zhang.wei@example.com' });
    const userId = session.user.id;
    const event = await eventually('UserRegistered for the new customer on Kafka', async () =>
      received.find((e) => e.type === UserRegistered.type && e.key === userId),
    );
    expect(event.payload).toEqual(expect.objectContaining({ role: 'customer', email: 'zhang.wei@example.com' }));
  });
});
