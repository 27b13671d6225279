import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/mysql';
import type { Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createEnvelope, ManagerRegistered, ManagerUpdated, Topic, type EventEnvelope, type Role } from '@relationship/contracts';
import { IdempotentConsumer } from '@relationship/messaging';
import { testEnv, testTokens, recreateDatabase } from '@relationship/testing';
import { forkEm } from '@relationship/persistence';
import { loadProfilesConfig, type ProfilesConfig } from '../app/config';
import { ManagerEventsConsumer } from '../app/manager-accounts/manager-events.consumer';
import { PortraitsService } from '../app/portraits/portraits.service';
import { createProfilesApp } from '../app/profiles-app';

/** A signed access token for any role and user id, as identity would issue it. */
export function tokenFor(role: Role, id: string = crypto.randomUUID()): string {
  return testTokens.sign({ id, role, username: `${role}-${id.slice(0, 8)}` }, 600);
}

export const auth = (role: Role, id?: string) => ({ authorization: `Bearer ${tokenFor(role, id)}` });

export function profilesTestConfig(overrides: Record<string, string> = {}): ProfilesConfig {
  return loadProfilesConfig(testEnv('relationship_profiles', overrides));
}

/** Drops and recreates the test schema, so the migrations run for real every time. */
export async function recreateTestDatabase(config: ProfilesConfig): Promise<void> {
  await recreateDatabase(config.DATABASE_URL);
}

/**
 * The profiles app on a fresh test schema, initialised; `consume` also starts its Kafka consumers, `features`
 * replaces the feature modules (e.g. the same ones in another order).
 */
export async function startProfiles(options: { consume?: boolean; env?: Record<string, string>; features?: readonly Type[] } = {}): Promise<NestFastifyApplication> {
  const config = profilesTestConfig(options.env);
  await recreateTestDatabase(config);
  const app = await createProfilesApp(config, options.features);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  if (options.consume) await app.startAllMicroservices();
  return app;
}

export function sqlOf(app: NestFastifyApplication): EntityManager {
  return forkEm(app.get(MikroORM));
}

export async function sql<T = Record<string, unknown>>(app: NestFastifyApplication, query: string, params: unknown[] = []): Promise<T[]> {
  return sqlOf(app).execute<T[]>(query, params);
}

/** Empties the data tables (keeps the seeded branches and tags, and processed events). */
export async function resetData(app: NestFastifyApplication): Promise<void> {
  for (const table of ['customer_tag', 'customer_need', 'customer_name_gram', 'customer_portrait', 'portrait_rule', 'audit_entry', 'outbox_message', 'import_job', 'manager_account']) {
    await sql(app, `delete from \`${table}\``);
  }
}

/** A registered customer's portrait, made as the UserRegistered consumer makes it (without going through Kafka). */
export async function registerCustomer(app: NestFastifyApplication, overrides: { userId?: string; displayName?: string; phone?: string | null; email?: string | null } = {}): Promise<{ userId: string; id: string }> {
  const userId = overrides.userId ?? crypto.randomUUID();
  await sqlOf(app).transactional(async (em) => {
    await app.get(PortraitsService).createForRegisteredCustomer(
      em as EntityManager,
      {
        userId,
        username: `u${userId.slice(0, 8)}`,
        role: 'customer',
        displayName: overrides.displayName ?? '李娜',
        email: overrides.email === undefined ? `${userId.slice(0, 8)}@example.com` : overrides.email,
        phone: overrides.phone === undefined ? '13812345678' : overrides.phone,
        registeredAt: new Date().toISOString(),
      },
      'test',
    );
  });
  const [row] = await sql<{ id: string }>(app, 'select id from customer_portrait where user_id = ?', [userId]);
  return { userId, id: row.id };
}

/** Assigns a customer to a manager in the read model, as an applied AssignmentChanged would. */
export async function assign(app: NestFastifyApplication, customerId: string, managerId: string | null, version = 1): Promise<void> {
  await sql(app, 'update customer_portrait set assigned_manager_id = ?, assignment_version = ? where id = ?', [managerId, version, customerId]);
}

/**
 * A managers-registry event for one manager, as managers publishes it: `userId` is the manager's linked login
 * (null while unlinked). Version 1 is a ManagerRegistered, later versions are ManagerUpdated.
 */
export function managerEvent(managerId: string, userId: string | null, managerVersion = 1): EventEnvelope {
  const snapshot = {
    managerId,
    userId,
    employeeNo: `E${managerId.slice(0, 8)}`,
    displayName: '测试经理',
    branchId: 'SH-PD-001',
    region: 'east',
    city: '上海',
    title: 'manager' as const,
    expertise: [],
    certifications: [],
    languages: ['zh-CN' as const],
    segmentsServed: ['affluent' as const],
    interests: [],
    capacity: 100,
    availability: 'active' as const,
    coverManagerId: null,
    performance: { satisfaction: null, retention: null, aumGrowth: null },
  };
  const at = new Date().toISOString();
  return managerVersion === 1
    ? createEnvelope({ contract: ManagerRegistered, source: 'managers', correlationId: 'test', payload: { managerId, managerVersion, snapshot, registeredAt: at } })
    : createEnvelope({ contract: ManagerUpdated, source: 'managers', correlationId: 'test', payload: { managerId, managerVersion, changedFields: ['userId'], snapshot, updatedAt: at } });
}

/**
 * Links a manager's login to their registry id as a manager event does: the envelope goes through the service's own
 * idempotent consumer and manager-event handler (validated, deduplicated, one transaction), just not over Kafka.
 */
export async function linkManager(app: NestFastifyApplication, managerId: string, userId: string | null, managerVersion = 1): Promise<void> {
  const envelope = managerEvent(managerId, userId, managerVersion);
  const handler = app.get(ManagerEventsConsumer);
  const outcome = await app
    .get(IdempotentConsumer)
    .consume({ topic: Topic.ManagersManager, partition: 0, offset: '0', key: envelope.key }, JSON.stringify(envelope), (e, em) => handler.handle(e, em as EntityManager));
  if (outcome !== 'processed') throw new Error(`manager event ${envelope.id} was ${outcome}`);
}

export interface OutboxRow {
  event_type: string;
  topic: string;
  message_key: string;
  envelope: { type: string; version: number; key: string; payload: Record<string, unknown> };
}

export async function outboxFor(app: NestFastifyApplication, key: string): Promise<OutboxRow[]> {
  const rows = await sql<Omit<OutboxRow, 'envelope'> & { envelope: string }>(
    app,
    'select event_type, topic, message_key, envelope from outbox_message where message_key = ? order by created_at, id',
    [key],
  );
  return rows.map((r) => ({ ...r, envelope: JSON.parse(r.envelope) }));
}

/** Valid PRC resident ID numbers: 17 digits (area, birth date, sequence) and the right check character. */
export function residentId(birthDate = '19850312', sequence = 123, area = '310101'): string {
  const first17 = `${area}${birthDate.replace(/-/g, '')}${String(sequence).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * weights[i], 0);
  return first17 + '10X98765432'[sum % 11];
}
