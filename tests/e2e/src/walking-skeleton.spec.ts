import { Topic } from '@relationship/contracts';
import { eventually, TEST_JWT_PRIVATE_KEY, TEST_JWT_PUBLIC_KEYS, testTokens, testTopic } from '@relationship/testing';
import { Kafka, logLevel } from 'kafkajs';
import type { RowDataPacket } from 'mysql2/promise';
import { databaseUrl, recreateDatabase, withDatabase } from './support/databases';
import { startService, stopService, type RunningService } from './support/services';

/**
 * The foundation's proof: a customer registers and logs in through the gateway, and identity's
 * UserRegistered event travels through real Kafka to profiles, which creates the portrait exactly once.
 */
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
const IDENTITY_DB = 'relationship_identity_e2e';
const PROFILES_DB = 'relationship_profiles_e2e';
const PORTS = { gateway: 3100, identity: 3101, profiles: 3102 };

const shared = {
  JWT_PUBLIC_KEYS: TEST_JWT_PUBLIC_KEYS,
  KAFKA_BROKERS: brokers.join(','),
  REDIS_URL: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
  DEMO_MODE: 'false',
};

describe('walking skeleton: gateway → identity → Kafka → profiles', () => {
  const services: RunningService[] = [];
  let gateway: string;

  beforeAll(async () => {
    await Promise.all([recreateDatabase(IDENTITY_DB), recreateDatabase(PROFILES_DB)]);
    const [identity, profiles] = await Promise.all([
      startService('identity', PORTS.identity, { ...shared, JWT_PRIVATE_KEY: TEST_JWT_PRIVATE_KEY, DATABASE_URL: databaseUrl(IDENTITY_DB) }),
      startService('profiles', PORTS.profiles, {
        ...shared,
        DATABASE_URL: databaseUrl(PROFILES_DB),
        KAFKA_CONSUMER_GROUP: `profiles-e2e-${run}`,
      }),
    ]);
    services.push(identity, profiles);
    const gatewayService = await startService('gateway', PORTS.gateway, {
      ...shared,
      IDENTITY_URL: identity.url,
      PROFILES_URL: profiles.url,
      // Own counters, so a demo or another run on this machine never shares this run's limits.
      RATE_LIMIT_KEY_PREFIX: `e2e:${run}:rl:`,
    });
    services.push(gatewayService);
    gateway = `${gatewayService.url}/api`;
  }, 180_000);

  afterAll(async () => {
    const exits = await Promise.all(services.reverse().map((s) => stopService(s)));
    // Graceful shutdown: on SIGTERM every service closes its server, consumer and relay and ends by itself
    // (Nest re-raises the signal after cleanup, so the exit is "by SIGTERM", never a SIGKILL from us).
    for (const exit of exits) {
      expect(exit.forced).toBe(false);
      expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);
    }
  }, 60_000);

  async function post(path: string, body: unknown, token?: string): Promise<Response> {
    return fetch(`${gateway}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  it('registers, logs in, creates the portrait from the event, and ignores a replay of it', async () => {
    const username = `e2e_${run}`;
    const registered = await post('/auth/register', {
      username,
      password: 'Passw0rd-e2e',
      displayName: '测试客户',
      email: `${username}@example.com`,
    });
    expect(registered.status).toBe(202);

    const login = await post('/auth/login', { username, password: 'Passw0rd-e2e' });
    expect(login.status).toBe(200);
    const { accessToken, user } = (await login.json()) as { accessToken: string; user: { id: string } };

    const portrait = await eventually('the portrait created from UserRegistered', async () => {
      const response = await fetch(`${gateway}/profiles/me`, { headers: { authorization: `Bearer ${accessToken}` } });
      return response.status === 200 ? ((await response.json()) as { userId: string; displayName: string }) : undefined;
    }, 30_000);
    expect(portrait).toMatchObject({ userId: user.id, displayName: '测试客户' });

    // Replay the very same UserRegistered message, as a redelivery after a consumer crash would.
    const kafka = new Kafka({ clientId: `e2e-${run}`, brokers, logLevel: logLevel.NOTHING });
    const reader = kafka.consumer({ groupId: `e2e-reader-${run}` });
    await reader.connect();
    await reader.subscribe({ topic: testTopic(Topic.IdentityUser), fromBeginning: true });
    let original: { partition: number; key: Buffer | null; value: Buffer | null } | undefined;
    await reader.run({
      eachMessage: async ({ partition, message }) => {
        if (message.key?.toString() === user.id) original = { partition, key: message.key, value: message.value };
      },
    });
    const found = await eventually('the original UserRegistered on identity.user.v1', async () => original, 30_000);
    await reader.disconnect();

    const producer = kafka.producer();
    await producer.connect();
    const [sent] = await producer.send({ topic: testTopic(Topic.IdentityUser), messages: [{ key: found.key, value: found.value }] });
    await producer.disconnect();

    // Wait until profiles' group has committed past the replayed message, then count.
    const admin = kafka.admin();
    await admin.connect();
    await eventually('profiles to consume the replayed message', async () => {
      const [offsets] = await admin.fetchOffsets({ groupId: `profiles-e2e-${run}`, topics: [testTopic(Topic.IdentityUser)] });
      const committed = offsets?.partitions.find((p) => p.partition === sent!.partition)?.offset;
      return committed !== undefined && BigInt(committed) > BigInt(sent!.baseOffset!);
    }, 30_000);
    await admin.disconnect();

    const [portraits, processed] = await withDatabase(PROFILES_DB, async (db) => {
      const [p] = await db.query<RowDataPacket[]>('select count(*) as n from customer_portrait where user_id = ?', [user.id]);
      const [e] = await db.query<RowDataPacket[]>('select count(*) as n from processed_event where consumer = ?', [
        `profiles-e2e-${run}`,
      ]);
      return [Number(p[0]!['n']), Number(e[0]!['n'])];
    });
    expect(portraits).toBe(1);
    expect(processed).toBeGreaterThanOrEqual(1);
  });

  it('answers bad input through the gateway with a 4xx naming the problem, never a 500', async () => {
    const malformed = await post('/auth/register', '{"username": "x",');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ statusCode: 400, error: 'Bad Request', requestId: expect.any(String) });

    const missing = await post('/auth/register', { username: `nopw_${run}`, displayName: 'No Password' });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { message: string }).message).toMatch(/password/);

    const extra = await post('/auth/register', { username: `extra_${run}`, password: 'Passw0rd-e2e', displayName: 'X', isAdmin: true });
    expect(extra.status).toBe(400);
    expect(((await extra.json()) as { message: string }).message).toMatch(/isAdmin/);

    const tooLong = await post('/auth/register', { username: 'u'.repeat(500), password: 'Passw0rd-e2e', displayName: 'X' });
    expect(tooLong.status).toBe(400);
    expect(((await tooLong.json()) as { message: string }).message).toMatch(/username/);

    const wrongType = await post('/auth/login', { username: 42, password: ['x'] });
    expect(wrongType.status).toBe(400);

    const wrongPassword = await post('/auth/login', { username: `e2e_${run}`, password: 'Wrong-passw0rd' });
    const unknownUser = await post('/auth/login', { username: `ghost_${run}`, password: 'Wrong-passw0rd' });
    expect(wrongPassword.status).toBe(401);
    expect(unknownUser.status).toBe(401);
    expect(((await wrongPassword.json()) as { message: string }).message).toBe(
      ((await unknownUser.json()) as { message: string }).message,
    );

    // None of the refused registrations wrote a row.
    const users = await withDatabase(IDENTITY_DB, async (db) => {
      const [rows] = await db.query<RowDataPacket[]>("select username from user_account where username like 'nopw\\_%' or username like 'extra\\_%'");
      return rows.length;
    });
    expect(users).toBe(0);
  });

  it('refuses a customer token on an admin route with 403', async () => {
    const login = await post('/auth/login', { username: `e2e_${run}`, password: 'Passw0rd-e2e' });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const response = await fetch(`${gateway}/users`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ statusCode: 403, error: 'Forbidden', requestId: expect.any(String) });
  });

  it("revokes a customer's access token through the gateway within seconds of a role change and of a deactivation", async () => {
    const admin = testTokens.sign({ id: crypto.randomUUID(), role: 'admin', username: 'e2e-admin' }, 300);
    const me = (token: string) => fetch(`${gateway}/profiles/me`, { headers: { authorization: `Bearer ${token}` } });
    const session = async (username: string) => {
      const response = await post('/auth/login', { username, password: 'Passw0rd-e2e' });
      return (await response.json()) as { accessToken: string; user: { id: string } };
    };
    const refusedWithin = async (what: string, token: string, since: number) => {
      await eventually(what, async () => (await me(token)).status === 401, 10_000, 100);
      return Date.now() - since;
    };
    const username = `revoke_${run}`;
    expect((await post('/auth/register', { username, password: 'Passw0rd-e2e', displayName: '撤销测试' })).status).toBe(202);
    const customer = await session(username);
    await eventually('the portrait', async () => (await me(customer.accessToken)).status === 200, 30_000);

    // UserRoleChanged: the token still says "customer" and would pass the gateway's role check
    const patch = await fetch(`${gateway}/users/${customer.user.id}/role`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ role: 'manager' }),
    });
    expect(patch.status).toBe(200);
    expect(await refusedWithin('the old-role token refused', customer.accessToken, Date.now())).toBeLessThan(3_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // tokens issued in the revocation's second count as revoked

    const back = await fetch(`${gateway}/users/${customer.user.id}/role`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ role: 'customer' }),
    });
    expect(back.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const again = await session(username);
    expect((await me(again.accessToken)).status).toBe(200);

    // UserDeactivated
    const deactivated = await post(`/users/${customer.user.id}/deactivate`, { reason: 'e2e revocation' }, admin);
    expect(deactivated.status).toBe(200);
    expect(await refusedWithin('the deactivated user token refused', again.accessToken, Date.now())).toBeLessThan(3_000);
  });

  it('serves the OpenAPI document at /api/docs', async () => {
    const ui = await fetch(`${gateway}/docs`);
    expect(ui.status).toBe(200);
    const spec = (await (await fetch(`${gateway}/docs-json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/auth/register', '/api/profiles/me']));
  });
});
