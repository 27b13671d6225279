import { MikroORM } from '@mikro-orm/core';
import type { Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createEnvelope, Topic, UserRegistered, type EventEnvelope, type Role } from '@relationship/contracts';
import { eventually, recreateDatabase, testEnv, testTokens, testTopic } from '@relationship/testing';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { forkEm } from '@relationship/persistence';
import { loadManagersConfig, type ManagersConfig } from '../app/config';
import { createManagersApp } from '../app/managers-app';

export const TEST_SCHEMA = 'relationship_managers';

export function tokenFor(role: Role, id: string = crypto.randomUUID()): string {
  return testTokens.sign({ id, role, username: `${role}-${id.slice(0, 8)}` }, 600);
}

export const bearer = (role: Role, id?: string) => ({ authorization: `Bearer ${tokenFor(role, id)}` });

export function managersTestConfig(overrides: Record<string, string> = {}): ManagersConfig {
  return loadManagersConfig(testEnv(TEST_SCHEMA, overrides));
}

/** Drops and recreates the test database, so the migration runs for real on every suite. */
export async function recreateTestDatabase(config: ManagersConfig): Promise<void> {
  await recreateDatabase(config.DATABASE_URL);
}

/** A started managers service (HTTP via inject, Kafka consumer running) on a fresh test database. */
export class ManagersHarness {
  app!: NestFastifyApplication;
  orm!: MikroORM;
  producer!: Producer;
  readonly group = `managers-spec-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  config!: ManagersConfig;
  private readonly consumers: Consumer[] = [];

  /** `features` replaces the feature modules (e.g. the same ones in another order). */
  async start(overrides: Record<string, string> = {}, features?: readonly Type[]): Promise<this> {
    this.config = managersTestConfig({ KAFKA_CONSUMER_GROUP: this.group, ...overrides });
    await recreateTestDatabase(this.config);
    this.app = await createManagersApp(this.config, features);
    this.orm = this.app.get(MikroORM);
    await this.app.startAllMicroservices();
    this.producer = this.kafka().producer();
    await this.producer.connect();
    return this;
  }

  async stop(): Promise<void> {
    for (const consumer of this.consumers) await consumer.disconnect();
    await this.producer?.disconnect();
    await this.app?.close();
  }

  kafka(): Kafka {
    return new Kafka({ clientId: this.group, brokers: this.config.KAFKA_BROKERS, logLevel: logLevel.NOTHING });
  }

  sql<T = Record<string, unknown>>(query: string, params: unknown[] = []): Promise<T[]> {
    return forkEm(this.orm).execute(query, params) as Promise<T[]>;
  }

  async count(table: string, where = '1 = 1', params: unknown[] = []): Promise<number> {
    const [row] = await this.sql<{ n: number }>(`select count(*) as n from \`${table}\` where ${where}`, params);
    return Number(row.n);
  }

  /** Outbox envelopes of one manager, oldest first. */
  async events(managerId: string, type?: string): Promise<EventEnvelope<Record<string, unknown>>[]> {
    const rows = await this.sql<{ envelope: string }>(
      `select envelope from outbox_message where message_key = ?${type ? ' and event_type = ?' : ''} order by created_at, id`,
      type ? [managerId, type] : [managerId],
    );
    return rows.map((r) => JSON.parse(r.envelope));
  }

  async publishUserEvent(envelope: EventEnvelope): Promise<void> {
    await this.producer.send({ topic: testTopic(Topic.IdentityUser), messages: [{ key: envelope.key, value: JSON.stringify(envelope) }] });
  }

  /** Publishes through real Kafka and waits until this service's consumer has applied the event. */
  async deliver(envelope: EventEnvelope): Promise<void> {
    await this.publishUserEvent(envelope);
    await eventually(
      `event ${envelope.id} processed`,
      async () => (await this.count('processed_event', 'consumer = ? and event_id = ?', [this.group, envelope.id])) > 0,
      30_000,
    );
  }

  /** Reads `managers.manager.v1` from the beginning in a fresh group until `found` matches a message. */
  async awaitTopicMessage(found: (value: EventEnvelope<Record<string, unknown>>) => boolean, timeoutMs = 30_000): Promise<EventEnvelope<Record<string, unknown>>> {
    const consumer = this.kafka().consumer({ groupId: `${this.group}-reader-${this.consumers.length}` });
    this.consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic: testTopic(Topic.ManagersManager), fromBeginning: true });
    let hit: EventEnvelope<Record<string, unknown>> | undefined;
    await consumer.run({
      eachMessage: async ({ message }) => {
        const value = JSON.parse(message.value?.toString() ?? 'null');
        if (!hit && value && found(value)) hit = value;
      },
    });
    return eventually('a matching message on managers.manager.v1', async () => hit, timeoutMs);
  }
}

export function userRegistered(overrides: Partial<{ userId: string; role: Role; email: string | null; displayName: string; phone: string | null }> = {}) {
  const userId = overrides.userId ?? crypto.randomUUID();
  return createEnvelope({
    contract: UserRegistered,
    source: 'identity',
    payload: {
      userId,
      username: `u${userId.slice(0, 8)}`,
      role: overrides.role ?? 'manager',
      displayName: overrides.displayName ?? '周晓东',
      email: overrides.email === undefined ? `${userId.slice(0, 8)}@bank.example` : overrides.email,
      phone: overrides.phone === undefined ? '13912345678' : overrides.phone,
      registeredAt: new Date().toISOString(),
    },
  });
}

/** A valid POST /api/managers body; override what a test cares about. */
export function newManager(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const n = Math.floor(Math.random() * 1e9);
  return {
    employeeNo: `T${n}`,
    displayName: '陈思远',
    branchId: 'SH-PD-001',
    title: 'senior_manager',
    level: 6,
    expertise: ['wealth_management', 'retirement'],
    certifications: ['CFP'],
    languages: ['zh-CN', 'en'],
    segmentsServed: ['affluent', 'high_net_worth'],
    interests: ['golf', 'tea'],
    capacity: 150,
    performance: { satisfaction: 4.6, retention: 0.92, aumGrowth: 0.12 },
    email: `t${n}@bank.example`,
    phone: '13800138000',
    ...overrides,
  };
}
