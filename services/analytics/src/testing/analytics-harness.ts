import { MikroORM } from '@mikro-orm/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createEnvelope, platformTopicSpecs, type CustomerMatchSnapshot, type EventEnvelope, type ManagerMatchSnapshot, type Role } from '@relationship/contracts';
import { provisionTopics } from '@relationship/messaging';
import { eventually, recreateDatabase, testEnv, testTokens, testTopic, testTopicPrefix } from '@relationship/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { forkEm } from '@relationship/persistence';
import { createAnalyticsApp, startFeed } from '../app/analytics-app';
import { loadAnalyticsConfig, type AnalyticsConfig } from '../app/config';
import { READ_MODEL_TABLES } from '../app/read-models/entities';

export type PublishedEvent = Parameters<typeof createEnvelope>[0];

export function tokenFor(role: Role, id: string = crypto.randomUUID(), ttlSeconds = 600): string {
  return testTokens.sign({ id, role, username: `${role}-${id.slice(0, 8)}` }, ttlSeconds);
}

export const bearer = (role: Role, id?: string) => ({ authorization: `Bearer ${tokenFor(role, id)}` });

export function customerSnapshot(overrides: Partial<CustomerMatchSnapshot> = {}): CustomerMatchSnapshot {
  return {
    customerId: crypto.randomUUID(),
    userId: null,
    segment: 'mass',
    aumCny: 10_000,
    riskLevel: 'C2',
    needs: [],
    interests: [],
    tags: [],
    preferredLanguage: 'zh-CN',
    preferredChannel: 'app',
    city: '上海',
    homeBranchId: 'SH-PD-001',
    ageBand: '25_34',
    lifecycleStage: 'new',
    activityLevel: 'medium',
    consent: { profiling: true, marketing: false, data_sharing: false },
    householdId: null,
    ...overrides,
  };
}

export function managerSnapshot(overrides: Partial<ManagerMatchSnapshot> = {}): ManagerMatchSnapshot {
  const managerId = overrides.managerId ?? crypto.randomUUID();
  return {
    managerId,
    userId: null,
    employeeNo: `T${managerId.slice(0, 8)}`,
    displayName: '测试经理',
    branchId: 'SH-PD-001',
    region: 'east',
    city: '上海',
    title: 'manager',
    expertise: ['wealth_management'],
    certifications: [],
    languages: ['zh-CN'],
    segmentsServed: ['mass', 'affluent'],
    interests: [],
    capacity: 10,
    availability: 'active',
    coverManagerId: null,
    performance: { satisfaction: null, retention: null, aumGrowth: null },
    ...overrides,
  };
}

export const explanation = (score: number) => ({ score, contributions: [], omitted: [], model: null });

/**
 * The analytics service on a fresh test database and on topics of its own (this test file's namespace, see
 * jest.setup.cts), created here and deleted at the end: a replay from the topics' beginning sees only this suite's events.
 */
export class AnalyticsHarness {
  app!: NestFastifyApplication;
  config!: AnalyticsConfig;
  producer!: Producer;
  published = 0;
  private kafka!: Kafka;
  readonly group = `analytics-spec-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

  async start(env: Record<string, string> = {}): Promise<this> {
    this.config = loadAnalyticsConfig(testEnv('relationship_analytics', { KAFKA_CONSUMER_GROUP: this.group, KAFKA_MAX_ATTEMPTS: '2', ...env }));
    this.kafka = new Kafka({ clientId: this.group, brokers: this.config.KAFKA_BROKERS, logLevel: logLevel.NOTHING });
    const admin = this.kafka.admin();
    await admin.connect();
    await provisionTopics(admin, platformTopicSpecs(testTopicPrefix()));
    await admin.disconnect();
    await recreateDatabase(this.config.DATABASE_URL);
    this.app = await createAnalyticsApp(this.config);
    await startFeed(this.app);
    this.producer = this.kafka.producer();
    await this.producer.connect();
    return this;
  }

  async stop(): Promise<void> {
    await this.producer?.disconnect();
    await this.app?.close();
    const admin = this.kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: platformTopicSpecs(testTopicPrefix()).map((t) => t.topic) }).catch(() => undefined);
    await admin.disconnect();
  }

  /** Publishes events as their owners would (key = entity id, on the contract's topic), in order. */
  async publish(...events: PublishedEvent[]): Promise<EventEnvelope[]> {
    const envelopes: EventEnvelope[] = [];
    for (const event of events) {
      const envelope = createEnvelope(event);
      await this.producer.send({ topic: testTopic(event.contract.topic), acks: -1, messages: [{ key: envelope.key, value: JSON.stringify(envelope) }] });
      this.published += 1;
      envelopes.push(envelope);
    }
    return envelopes;
  }

  /** Publishes raw bytes (a poison message) to a contract topic, in the tests' namespace. */
  async publishRaw(topic: string, key: string, value: string): Promise<void> {
    await this.producer.send({ topic: testTopic(topic), acks: -1, messages: [{ key, value }] });
    this.published += 1;
  }

  /** Messages published that leave no processed_event row: poison messages (dead-lettered) and redeliveries of an applied event. */
  notRecorded = 0;

  /** Waits until the feed has handled every message published so far. */
  async settled(): Promise<void> {
    await eventually(
      `the feed to handle ${this.published} messages`,
      async () => {
        const [row] = await this.sql<{ n: string }>('select count(*) n from processed_event');
        return Number(row.n) + this.notRecorded >= this.published;
      },
      30_000,
      100,
    );
  }

  sql<T = Record<string, unknown>>(query: string, params: unknown[] = []): Promise<T[]> {
    return forkEm(this.app.get(MikroORM)).execute<T[]>(query, params);
  }

  /** Every read-model row, in a stable order: what "the read models are equal" compares. */
  async snapshot(): Promise<Record<string, unknown[]>> {
    const out: Record<string, unknown[]> = {};
    for (const table of READ_MODEL_TABLES) {
      const rows = await this.sql<Record<string, unknown>>(`select * from \`${table}\``);
      out[table] = rows.map((r) => JSON.parse(JSON.stringify(r))).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    }
    return out;
  }

  kafkaClient(): Kafka {
    return this.kafka;
  }
}
