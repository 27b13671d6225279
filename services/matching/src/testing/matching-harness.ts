import { MikroORM } from '@mikro-orm/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Topic, type CustomerMatchSnapshot, type EventEnvelope, type ManagerMatchSnapshot, type Role } from '@relationship/contracts';
import { forkEm, inTransaction } from '@relationship/persistence';
import { systemContext } from '@relationship/service-kit';
import { eventually, recreateDatabase, testEnv, testTokens, testTopic } from '@relationship/testing';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { RematchService } from '../app/assignments/rematch.service';
import { loadMatchingConfig, loadWorkerConfig, type MatchingConfig } from '../app/config';
import { createMatchingApp, createWorkerApp } from '../app/matching-app';
import { SnapshotStore } from '../app/read-models/snapshot-store';

export const TEST_SCHEMA = 'relationship_matching';

export const bearer = (role: Role, id: string = crypto.randomUUID()) => ({
  authorization: `Bearer ${testTokens.sign({ id, role, username: `${role}-${id.slice(0, 8)}` }, 600)}`,
});

let seq = 0;

export function customerSnapshot(overrides: Partial<CustomerMatchSnapshot> = {}): CustomerMatchSnapshot {
  return {
    customerId: crypto.randomUUID(),
    userId: null,
    segment: 'affluent',
    aumCny: 800_000,
    riskLevel: 'C3',
    needs: ['wealth_management', 'retirement'],
    interests: ['golf'],
    tags: [],
    preferredLanguage: 'zh-CN',
    preferredChannel: 'app',
    city: '上海',
    homeBranchId: 'SH-PD-001',
    ageBand: '45_54',
    lifecycleStage: 'growing',
    activityLevel: 'medium',
    consent: { profiling: true, marketing: false, data_sharing: false },
    householdId: null,
    ...overrides,
  } as CustomerMatchSnapshot;
}

export function managerSnapshot(overrides: Partial<ManagerMatchSnapshot> = {}): ManagerMatchSnapshot {
  seq += 1;
  return {
    managerId: crypto.randomUUID(),
    userId: null,
    employeeNo: `T${Date.now().toString(36)}${seq}`,
    displayName: `经理${seq}`,
    branchId: 'SH-PD-001',
    region: 'east',
    city: '上海',
    title: 'senior_manager',
    expertise: ['wealth_management', 'retirement'],
    certifications: ['CFP'],
    languages: ['zh-CN', 'en'],
    segmentsServed: ['affluent', 'high_net_worth'],
    interests: ['golf'],
    capacity: 100,
    availability: 'active',
    coverManagerId: null,
    performance: { satisfaction: 4.5, retention: 0.9, aumGrowth: 0.1 },
    ...overrides,
  } as ManagerMatchSnapshot;
}

/** A started matching API (HTTP via inject, Kafka consumer running) on a fresh test database, plus workers on demand. */
export class MatchingHarness {
  app!: NestFastifyApplication;
  orm!: MikroORM;
  config!: MatchingConfig;
  producer!: Producer;
  readonly workers: NestFastifyApplication[] = [];
  readonly group = `matching-spec-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  private readonly consumers: Consumer[] = [];
  private readonly versions = new Map<string, number>();
  private env: Record<string, string> = {};

  async start(overrides: Record<string, string> = {}): Promise<this> {
    this.env = { KAFKA_CONSUMER_GROUP: this.group, QUEUE_PREFIX: `test-${this.group}`, ...overrides };
    this.config = loadMatchingConfig(testEnv(TEST_SCHEMA, this.env));
    await recreateDatabase(this.config.DATABASE_URL);
    await this.skipHistory([testTopic(Topic.ProfilesCustomer), testTopic(Topic.ManagersManager)]);
    this.app = await createMatchingApp(this.config);
    this.orm = this.app.get(MikroORM);
    await this.app.startAllMicroservices();
    this.producer = this.kafka().producer();
    await this.producer.connect();
    return this;
  }

  /**
   * A fresh consumer group would replay every profile and manager event earlier test runs left on the shared local
   * broker: start this suite's group at the end of those topics instead.
   */
  private async skipHistory(topics: string[]): Promise<void> {
    const admin = this.kafka().admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      for (const topic of topics.filter((t) => existing.has(t))) {
        const offsets = await admin.fetchTopicOffsets(topic);
        await admin.setOffsets({ groupId: this.group, topic, partitions: offsets.map((o) => ({ partition: o.partition, offset: o.high })) });
      }
    } finally {
      await admin.disconnect();
    }
  }

  /** The environment of a worker on this suite's database and queue. */
  workerEnv(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
    return testEnv(TEST_SCHEMA, { ...this.env, ...overrides });
  }

  /** Starts one more rebalance worker (a separate Nest app with its own pools, like another replica). */
  async startWorker(overrides: Record<string, string> = {}): Promise<NestFastifyApplication> {
    const worker = await createWorkerApp(loadWorkerConfig(this.workerEnv(overrides)));
    this.workers.push(worker);
    return worker;
  }

  async stop(): Promise<void> {
    for (const consumer of this.consumers) await consumer.disconnect();
    await this.producer?.disconnect();
    for (const worker of this.workers) await worker.close();
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

  /** Feeds a manager snapshot the way the Kafka consumer does (same service call, same transaction shape). */
  async upsertManager(snapshot: ManagerMatchSnapshot): Promise<ManagerMatchSnapshot> {
    const version = (this.versions.get(snapshot.managerId) ?? 0) + 1;
    this.versions.set(snapshot.managerId, version);
    await inTransaction(this.orm, (em) => this.app.get(RematchService).onManagerSnapshot(em, snapshot, version, systemContext('test')));
    return snapshot;
  }

  /** Registers a manager without rematching anyone (to set up unassigned customers for a rebalance). */
  async registerManagerQuietly(snapshot: ManagerMatchSnapshot): Promise<ManagerMatchSnapshot> {
    const version = (this.versions.get(snapshot.managerId) ?? 0) + 1;
    this.versions.set(snapshot.managerId, version);
    await inTransaction(this.orm, (em) => this.app.get(SnapshotStore).upsertManager(em, snapshot, version));
    return snapshot;
  }

  async upsertCustomer(snapshot: CustomerMatchSnapshot): Promise<CustomerMatchSnapshot> {
    const version = (this.versions.get(snapshot.customerId) ?? 0) + 1;
    this.versions.set(snapshot.customerId, version);
    await inTransaction(this.orm, (em) => this.app.get(RematchService).onCustomerSnapshot(em, snapshot, version, systemContext('test')));
    return snapshot;
  }

  /** Everyone back to nobody, the way the writer would record it (version bump + history), so histories stay true. */
  async unassignAll(): Promise<void> {
    await this.sql(
      `insert into assignment_history (customer_id, manager_id, previous_manager_id, assignment_version, event, reason, actor_role, created_at)
       select customer_id, null, manager_id, version + 1, 'unassigned', 'manual', 'test', now(3) from assignment where manager_id is not null`,
    );
    await this.sql('update assignment set manager_id = null, state = null, proposal_id = null, pinned = 0, version = version + 1 where manager_id is not null');
  }

  async assignment(customerId: string): Promise<{ manager_id: string | null; version: number; state: string | null; proposal_id: string | null; pinned: number }> {
    const [row] = await this.sql<{ manager_id: string | null; version: number; state: string | null; proposal_id: string | null; pinned: number }>(
      'select manager_id, version, state, proposal_id, pinned from assignment where customer_id = ?',
      [customerId],
    );
    return row;
  }

  /** Loads as the triggers keep them, next to the truth counted from the assignment rows. */
  async loads(): Promise<{ manager_id: string; assigned: number; capacity: number; counted: number }[]> {
    return this.sql(
      `select l.manager_id, l.assigned, l.capacity, (select count(*) from assignment a where a.manager_id = l.manager_id) as counted
       from manager_load l order by l.manager_id`,
    );
  }

  async outbox(type: string, key?: string): Promise<EventEnvelope<Record<string, unknown>>[]> {
    const rows = await this.sql<{ envelope: string }>(
      `select envelope from outbox_message where event_type = ?${key ? ' and message_key = ?' : ''} order by created_at, id`,
      key ? [type, key] : [type],
    );
    return rows.map((r) => JSON.parse(r.envelope));
  }

  /** Publishes to a contract topic, in the tests' namespace. */
  async publish(topic: string, envelope: EventEnvelope): Promise<void> {
    await this.producer.send({ topic: testTopic(topic), messages: [{ key: envelope.key, value: JSON.stringify(envelope) }] });
  }

  async processed(envelopeId: string): Promise<void> {
    await eventually(`event ${envelopeId} processed`, async () => (await this.count('processed_event', 'event_id = ?', [envelopeId])) > 0, 30_000);
  }

  /** Collects every message of a contract topic (in the tests' namespace) from now on (fresh group, latest offsets). */
  async collect(topic: string): Promise<EventEnvelope<Record<string, unknown>>[]> {
    const seen: EventEnvelope<Record<string, unknown>>[] = [];
    const consumer = this.kafka().consumer({ groupId: `${this.group}-reader-${this.consumers.length}` });
    this.consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic: testTopic(topic), fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const value = JSON.parse(message.value?.toString() ?? 'null');
        if (value) seen.push(value);
      },
    });
    return seen;
  }

  async runFinished(runId: string, timeoutMs = 60_000): Promise<Record<string, unknown>> {
    return eventually(
      `run ${runId} finished`,
      async () => {
        const [run] = await this.sql<Record<string, unknown>>('select status from rebalance_run where id = ?', [runId]);
        return run && ['completed', 'failed', 'cancelled'].includes(run['status'] as string) ? run : undefined;
      },
      timeoutMs,
      100,
    );
  }
}
