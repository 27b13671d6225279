import { Topic } from '@relationship/contracts';
import { eventually, TEST_JWT_PRIVATE_KEY, TEST_JWT_PUBLIC_KEYS, testTokens, testTopic } from '@relationship/testing';
import { databaseUrl, recreateDatabase } from './support/databases';
import { startGroupsAtEnd } from './support/kafka';
import { startService, stopService, type RunningService } from './support/services';

/**
 * The matching journey through the gateway, every service a real process on real MariaDB, Kafka and Redis:
 * an admin registers a relationship manager and creates their login (identity → UserRegistered → managers links
 * the account by email → ManagerUpdated → matching); a customer registers (identity → profiles → ProfileCreated /
 * ProfileUpdated → matching); the admin assigns the customer to that manager; the manager accepts; profiles' read
 * model follows matching (AssignmentChanged) and opens the portrait to the manager; a what-if run goes through
 * BullMQ to the worker process and changes nothing.
 *
 * The shared local broker's test.* topics carry thousands of events of earlier runs (replayed into fresh databases,
 * matching dead-letters hundreds of them after retries, minutes of work), so this run's consumer groups start at the
 * topics' current end and see only this run's world: the registered manager and a second, "rival" manager who is a
 * better fit for the customer (shared interests, performance), so matching normally proposes the rival and the
 * admin's reassignment is a real move. The test never relies on which one matching proposes first.
 */
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
const DB = {
  identity: 'relationship_identity_e2e',
  profiles: 'relationship_profiles_e2e',
  managers: 'relationship_managers_e2e',
  matching: 'relationship_matching_e2e',
  analytics: 'relationship_analytics_e2e',
};
// Apart from the walking skeleton's 3100–3102.
const PORTS = { gateway: 3110, identity: 3111, profiles: 3112, managers: 3113, matching: 3114, worker: 3115, analytics: 3116 };
const EVENT_TIMEOUT = 60_000;
const POLL_MS = 400;

const shared = {
  JWT_PUBLIC_KEYS: TEST_JWT_PUBLIC_KEYS,
  KAFKA_BROKERS: brokers.join(','),
  REDIS_URL: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
  DEMO_MODE: 'false',
};

// The services verify tokens signed with the test key (same issuer and audience): admins need no account of their own.
const sign = (role: 'admin' | 'manager' | 'customer', id: string = crypto.randomUUID()) =>
  testTokens.sign({ id, role, username: `${role}-${id.slice(0, 8)}` }, 900);

interface Explanation {
  score: number;
  contributions: { factor: string; weight: number; value: number; points: number }[];
  omitted: { factor: string; reason: string }[];
}
interface AssignmentView {
  customerId: string;
  managerId: string | null;
  state: 'proposed' | 'accepted' | null;
  proposalId: string | null;
  version: number;
  score: number | null;
  explanation: Explanation | null;
  reason: string | null;
  pinned: boolean;
}
interface HistoryView {
  customerId: string;
  managerId: string | null;
  previousManagerId: string | null;
  event: string;
  reason: string;
  actor: { id: string | null; role: string | null };
  at: string;
}

describe('matching journey: managers + identity + profiles → matching (+ worker) → profiles, through the gateway', () => {
  const services: RunningService[] = [];
  let gateway: string;

  const adminId = crypto.randomUUID();
  const admin = sign('admin', adminId);
  const password = 'Passw0rd-e2e';
  const customerUsername = `cust_${run}`;

  interface Staff {
    employeeNo: string;
    email: string;
    username: string;
    id: string;
    userId: string;
    token: string;
  }
  const staff = (tag: string): Staff => ({
    employeeNo: `E2E-${tag}-${run}`.toUpperCase(),
    email: `${tag}.${run}@bank.example`,
    username: `${tag}_${run}`,
    id: '',
    userId: '',
    token: '',
  });
  /** The manager of the journey (as the brief of an admin would describe them). */
  const manager = staff('rm');
  /** Same branch, languages and segments, plus the customer's interest and a strong record: the better fit. */
  const rival = staff('rival');

  // Filled in as the journey goes; each step needs the previous ones.
  let customerUserId: string;
  let customerToken: string;
  let customerId: string;
  let manualReassign: boolean;
  let proposalId: string;

  beforeAll(async () => {
    await Promise.all(Object.values(DB).map((schema) => recreateDatabase(schema)));
    await startGroupsAtEnd(brokers, {
      [`profiles-e2e-${run}`]: [testTopic(Topic.IdentityUser), testTopic(Topic.MatchingAssignment), testTopic(Topic.ManagersManager)],
      [`managers-e2e-${run}`]: [testTopic(Topic.IdentityUser)],
      [`matching-e2e-${run}`]: [testTopic(Topic.ProfilesCustomer), testTopic(Topic.ManagersManager)],
      [`analytics-e2e-${run}`]: Object.values(Topic).map((topic) => testTopic(topic)),
    });
    const matchingEnv = {
      ...shared,
      DATABASE_URL: databaseUrl(DB.matching),
      // API and worker must share the queue namespace, or queued runs are never picked up.
      QUEUE_PREFIX: `e2e-${run}`,
    };
    const [identity, profiles, managers, matching, analytics] = await Promise.all([
      startService('identity', PORTS.identity, { ...shared, JWT_PRIVATE_KEY: TEST_JWT_PRIVATE_KEY, DATABASE_URL: databaseUrl(DB.identity) }),
      startService('profiles', PORTS.profiles, {
        ...shared,
        DATABASE_URL: databaseUrl(DB.profiles),
        KAFKA_CONSUMER_GROUP: `profiles-e2e-${run}`,
      }),
      startService('managers', PORTS.managers, {
        ...shared,
        DATABASE_URL: databaseUrl(DB.managers),
        KAFKA_CONSUMER_GROUP: `managers-e2e-${run}`,
      }),
      startService('matching', PORTS.matching, { ...matchingEnv, KAFKA_CONSUMER_GROUP: `matching-e2e-${run}` }),
      startService('analytics', PORTS.analytics, { ...shared, DATABASE_URL: databaseUrl(DB.analytics), KAFKA_CONSUMER_GROUP: `analytics-e2e-${run}` }),
    ]);
    services.push(identity, profiles, managers, matching, analytics);
    // The worker's migrations are matching's, which have run by now.
    // The worker reads no JWT_* (no public API).
    const workerEnv = Object.fromEntries(Object.entries(matchingEnv).filter(([key]) => key !== 'JWT_PUBLIC_KEYS'));
    services.push(
      await startService('matching-worker', PORTS.worker, { ...workerEnv, KAFKA_CONSUMER_GROUP: `matching-worker-e2e-${run}` }, 'matching/worker.js'),
    );
    const gatewayService = await startService('gateway', PORTS.gateway, {
      ...shared,
      IDENTITY_URL: identity.url,
      PROFILES_URL: profiles.url,
      MANAGERS_URL: managers.url,
      MATCHING_URL: matching.url,
      ANALYTICS_URL: analytics.url,
      RATE_LIMIT_KEY_PREFIX: `e2e:${run}:rl:`,
    });
    services.push(gatewayService);
    gateway = `${gatewayService.url}/api`;
  }, 180_000);

  afterAll(async () => {
    // The gateway first, then the worker, then the rest (the order they were started, reversed).
    const exits = await Promise.all([...services].reverse().map((s) => stopService(s)));
    for (const [i, exit] of exits.entries()) {
      const name = [...services].reverse()[i]!.name;
      expect({ name, forced: exit.forced }).toEqual({ name, forced: false });
      expect({ name, clean: exit.code === 0 || exit.signal === 'SIGTERM' }).toEqual({ name, clean: true });
    }
  }, 60_000);

  // Bodies are checked with toMatchObject; `any` keeps the reads of their fields short.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async function call(method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
    const response = await fetch(`${gateway}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text for the failure message
    }
    return { status: response.status, body: parsed };
  }

  /** Retries `probe` until it returns something; the last answer is kept for the timeout message. */
  function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = EVENT_TIMEOUT): Promise<T> {
    let last = '';
    return eventually(
      what,
      async () => {
        const value = await probe().catch((error: unknown) => {
          last = String(error);
          return undefined;
        });
        return value;
      },
      timeoutMs,
      POLL_MS,
    ).catch((error: Error) => {
      throw new Error(`${error.message}${last ? ` (last: ${last})` : ''}`);
    });
  }

  const explainedSum = (e: Explanation) => Math.round(e.contributions.reduce((sum, c) => sum + c.points, 0) * 100) / 100;

  async function register(who: Staff, fields: Record<string, unknown>): Promise<void> {
    const response = await call('POST', '/managers', admin, {
      employeeNo: who.employeeNo,
      branchId: 'SH-PD-001',
      title: 'senior_manager',
      level: 5,
      languages: ['zh-CN', 'en'],
      segmentsServed: ['mass', 'affluent', 'high_net_worth', 'private'],
      expertise: ['wealth_management', 'retirement', 'insurance', 'education', 'deposits', 'mortgage_loans'],
      certifications: ['CFP'],
      capacity: 10,
      email: who.email,
      ...fields,
    });
    expect(response).toMatchObject({ status: 201, body: { id: expect.any(String), employeeNo: who.employeeNo, userId: null, capacity: 10 } });
    who.id = response.body.id;
  }

  async function createLogin(who: Staff, displayName: string): Promise<void> {
    const created = await call('POST', '/users', admin, { username: who.username, password, displayName, email: who.email, role: 'manager' });
    expect(created).toMatchObject({ status: 201, body: { id: expect.any(String), role: 'manager' } });
    who.userId = created.body.id;
    const login = await call('POST', '/auth/login', undefined, { username: who.username, password });
    expect(login.status).toBe(200);
    who.token = login.body.accessToken;
  }

  it('1. an admin registers a relationship manager (and a rival) in the registry', async () => {
    await register(manager, { displayName: '匹配测试经理', phone: '13912345678' });
    await register(rival, {
      displayName: '竞争经理',
      interests: ['golf'],
      performance: { satisfaction: 5, retention: 1, aumGrowth: 0.5 },
    });
    expect(rival.id).not.toBe(manager.id);
  });

  it('2. the admin creates the manager logins; identity’s UserRegistered links each to its record by email', async () => {
    await createLogin(manager, '匹配测试经理');
    await createLogin(rival, '竞争经理');
    for (const who of [manager, rival]) {
      const me = await until(`GET /managers/me to return ${who.username}'s linked record`, async () => {
        const r = await call('GET', '/managers/me', who.token);
        return r.status === 200 ? r.body : undefined;
      });
      expect(me).toMatchObject({ id: who.id, userId: who.userId, employeeNo: who.employeeNo, email: who.email });
    }
  });

  it('3. a customer registers and logs in; profiles creates the portrait, the customer fills in a few fields', async () => {
    const registered = await call('POST', '/auth/register', undefined, {
      username: customerUsername,
      password,
      displayName: '匹配测试客户',
      email: `${customerUsername}@example.com`,
    });
    expect(registered.status).toBe(202);
    const login = await call('POST', '/auth/login', undefined, { username: customerUsername, password });
    customerUserId = login.body.user.id;
    expect(login.status).toBe(200);
    customerToken = login.body.accessToken;

    const portrait = await until('the portrait created from UserRegistered', async () => {
      const r = await call('GET', '/profiles/me', customerToken);
      return r.status === 200 ? r.body : undefined;
    });
    // No assertion on assignedManagerId here: matching may already have proposed a manager for the new portrait
    // (ProfileCreated → incremental rematch → AssignmentChanged) before this read; step 4 checks the assignment.
    expect(portrait).toMatchObject({ userId: customerUserId, displayName: '匹配测试客户' });
    customerId = portrait.id;

    // Profiling consent lets matching use needs and interests (ProfileUpdated carries the whole snapshot).
    // Based on the version read (If-Match: its ETag), as every write to a portrait.
    const patched = await call(
      'PATCH',
      '/profiles/me',
      customerToken,
      { preferredLanguage: 'zh-CN', declaredNeeds: ['wealth_management', 'retirement'], interests: ['golf'], consent: { profiling: true } },
      { 'if-match': `"${portrait.version}"` },
    );
    expect(patched).toMatchObject({ status: 200, body: { id: customerId, interests: ['golf'], consent: { profiling: true } } });
  });

  it('4. matching learns both sides from their events, proposes a manager; the admin moves the customer to ours', async () => {
    // Without consent needs and interests are omitted from a score: none omitted = the ProfileUpdated has arrived.
    for (const who of [manager, rival]) {
      const pair = await until(`matching to score the customer's updated portrait against ${who.username}`, async () => {
        const r = await call('GET', `/matching/customers/${customerId}/scores/${who.id}`, admin);
        return r.status === 200 && r.body.eligible && r.body.explanation.omitted.length === 0 ? r.body : undefined;
      });
      expect(pair).toMatchObject({ managerId: who.id, capacity: 10, eligible: true, score: expect.any(Number) });
      expect(explainedSum(pair.explanation)).toBe(pair.score);
    }

    // Matching proposes someone by itself (which one is its business; normally the rival, the better fit).
    const proposed = await until('matching to propose a manager for the new customer', async () => {
      const r = await call('GET', `/matching/customers/${customerId}/assignment`, admin);
      return r.status === 200 && r.body.managerId ? (r.body as AssignmentView) : undefined;
    });
    expect([manager.id, rival.id]).toContain(proposed.managerId);
    expect(proposed).toMatchObject({ state: 'proposed', pinned: false });
    expect(proposed.reason).not.toBe('manual');

    const reason = 'e2e: relationship continuity';
    const reassigned = await call('POST', `/matching/customers/${customerId}/reassign`, admin, { managerId: manager.id, reason });
    if (proposed.managerId === manager.id) {
      // Matching chose our manager itself: a move to where the customer already is, is refused.
      expect(reassigned).toMatchObject({ status: 409, body: { message: expect.stringMatching(/already assigned to this manager/) } });
      manualReassign = false;
    } else {
      expect(reassigned).toMatchObject({
        status: 201,
        body: {
          status: 'applied',
          assignment: { customerId, managerId: manager.id, state: 'proposed', reason: 'manual', pinned: true, version: proposed.version + 1 },
        },
      });
      manualReassign = true;
    }
  });

  it('5. the customer sees their manager, with an explanation that adds up to the score', async () => {
    const mine = await call('GET', '/matching/me/assignment', customerToken);
    expect(mine).toMatchObject({ status: 200, body: { customerId, managerId: manager.id, state: 'proposed', proposalId: expect.any(String) } });
    const view = mine.body as AssignmentView;
    expect(view.score).toEqual(expect.any(Number));
    expect(view.explanation!.score).toBe(view.score);
    expect(view.explanation!.contributions.length).toBeGreaterThan(0);
    expect(explainedSum(view.explanation!)).toBe(view.score);
    proposalId = view.proposalId!;

    // Nobody else's customer token reads it.
    expect((await call('GET', `/matching/customers/${customerId}/assignment`, sign('customer'))).status).toBe(403);
  });

  it('6. the manager finds the proposal in their book and accepts it; no other manager can', async () => {
    const book = await until('the proposal in the manager’s book', async () => {
      const r = await call('GET', '/matching/assignments?state=proposed&pageSize=100', manager.token);
      if (r.status !== 200) return undefined; // 403 until matching has the account link (ManagerUpdated)
      return (r.body.items as AssignmentView[]).find((a) => a.customerId === customerId);
    });
    expect(book).toMatchObject({ customerId, managerId: manager.id, state: 'proposed', proposalId });

    // The rival is a linked manager too, but the customer is not (or no longer) in their book.
    const rivalBook = await until('the rival’s book (their account linked in matching)', async () => {
      const r = await call('GET', '/matching/assignments?pageSize=100', rival.token);
      return r.status === 200 ? (r.body.items as AssignmentView[]) : undefined;
    });
    expect(rivalBook.map((a) => a.customerId)).not.toContain(customerId);
    const byRival = await call('POST', `/matching/proposals/${proposalId}/accept`, rival.token);
    expect(byRival).toMatchObject({ status: 403, body: { message: expect.stringMatching(/only the proposed manager/) } });
    expect((await call('POST', `/matching/proposals/${proposalId}/accept`, sign('manager'))).status).toBe(403);
    expect((await call('POST', `/matching/proposals/${proposalId}/accept`, customerToken)).status).toBe(403);

    const accepted = await call('POST', `/matching/proposals/${proposalId}/accept`, manager.token);
    expect(accepted).toMatchObject({ status: 200, body: { customerId, managerId: manager.id, state: 'accepted', proposalId } });
    const again = await call('POST', `/matching/proposals/${proposalId}/accept`, manager.token);
    expect(again.status).toBe(409);

    expect(await call('GET', '/matching/me/assignment', customerToken)).toMatchObject({
      status: 200,
      body: { managerId: manager.id, state: 'accepted' },
    });
  });

  it('7. profiles’ read model follows matching (AssignmentChanged); other staff and customers still cannot read', async () => {
    const portrait = await until('profiles to record the assignment from AssignmentChanged', async () => {
      const r = await call('GET', `/profiles/${customerId}`, admin);
      return r.status === 200 && r.body.assignedManagerId === manager.id ? r.body : undefined;
    });
    expect(portrait).toMatchObject({ id: customerId, assignedManagerId: manager.id, email: `${customerUsername}@example.com` });
    expect(await call('GET', '/profiles/me', customerToken)).toMatchObject({ status: 200, body: { assignedManagerId: manager.id } });

    expect((await call('GET', `/profiles/${customerId}`, rival.token)).status).toBe(404);
    expect((await call('GET', `/profiles/${customerId}`, sign('customer'))).status).toBe(403);
  });

  it('7b. the assigned manager reads the portrait, contact data masked', async () => {
    const seen = await call('GET', `/profiles/${customerId}`, manager.token);
    expect(seen).toMatchObject({ status: 200, body: { id: customerId, assignedManagerId: manager.id } });
    expect(seen.body.email).toMatch(/^c\*+@example\.com$/);
  });

  it('7c. the assigned manager finds the customer in their book (GET /profiles)', async () => {
    const book = await call('GET', '/profiles?pageSize=100', manager.token);
    expect(book.status).toBe(200);
    expect((book.body.items as { id: string }[]).map((p) => p.id)).toContain(customerId);
  });

  it('8. the history lists the assignment and the acceptance with reason and actor', async () => {
    const history = await call('GET', `/matching/history?customerId=${customerId}&pageSize=100`, admin);
    expect(history.status).toBe(200);
    const entries = history.body.items as HistoryView[];
    expect(entries.every((e) => e.customerId === customerId)).toBe(true);

    const assigned = entries.filter((e) => e.event === 'assigned' && e.managerId === manager.id);
    expect(assigned).toHaveLength(1);
    if (manualReassign) {
      expect(assigned[0]).toMatchObject({ reason: 'manual', previousManagerId: rival.id, actor: { id: adminId, role: 'admin' } });
    } else {
      expect(assigned[0]!.reason).not.toBe('manual');
    }
    const accepted = entries.filter((e) => e.event === 'accepted');
    expect(accepted).toEqual([expect.objectContaining({ managerId: manager.id, actor: expect.objectContaining({ id: manager.userId }) })]);
    // Newest first: the acceptance came after the assignment.
    expect(entries.indexOf(accepted[0]!)).toBeLessThan(entries.indexOf(assigned[0]!));

    // The customer sees the same timeline of their own, without staff ids, reasons or notes.
    const own = await call('GET', '/matching/history?pageSize=100', customerToken);
    expect(own.status).toBe(200);
    const ownItems = own.body.items as Record<string, unknown>[];
    expect(ownItems.map((e) => [e['event'], e['at']])).toEqual(entries.map((e) => [e.event, e.at]));
    for (const item of ownItems) expect(Object.keys(item).sort()).toEqual(['assignmentVersion', 'at', 'event', 'id']);
  });

  it('9. a what-if run for the customer is planned by the worker and changes nothing', async () => {
    const before = await call('GET', `/matching/customers/${customerId}/assignment`, admin);
    expect(before).toMatchObject({ status: 200, body: { managerId: manager.id, state: 'accepted' } });

    // includePinned: the manual assignment is pinned, and would otherwise be left out of the plan altogether.
    const queued = await call('POST', '/matching/runs', admin, { mode: 'dry_run', scope: { customerIds: [customerId] }, includePinned: true });
    expect(queued).toMatchObject({ status: 202, body: { id: expect.any(String), mode: 'dry_run' } });
    const runId = queued.body.id as string;

    const finished = await until('the dry run to be completed by the worker', async () => {
      const r = await call('GET', `/matching/runs/${runId}`, admin);
      if (r.status !== 200) return undefined;
      if (r.body.status === 'failed' || r.body.status === 'cancelled') throw new Error(`run ${r.body.status}: ${r.body.error}`);
      return r.body.status === 'completed' ? r.body : undefined;
    });
    expect(finished).toMatchObject({ id: runId, mode: 'dry_run', status: 'completed', customers: 1, progress: 1 });
    expect(finished.metrics).not.toBeNull();
    expect(finished.moves.applied).toBe(0);
    // The plan would move the customer to the better-scoring rival (well beyond the stability threshold)...
    const moves = await call('GET', `/matching/runs/${runId}/moves?pageSize=100`, admin);
    expect(moves).toMatchObject({
      status: 200,
      body: { total: 1, items: [{ customerId, fromManagerId: manager.id, toManagerId: rival.id, state: 'proposed' }] },
    });
    expect(moves.body.items[0].scoreAfter).toBeGreaterThan(moves.body.items[0].scoreBefore);
    // ...but a dry run changes nothing.

    const after = await call('GET', `/matching/customers/${customerId}/assignment`, admin);
    expect(after).toMatchObject({ status: 200, body: { managerId: manager.id, state: 'accepted', version: before.body.version } });
    const history = await call('GET', `/matching/history?customerId=${customerId}&runId=${runId}`, admin);
    expect(history).toMatchObject({ status: 200, body: { items: [] } });
  });

  it("10. analytics, fed by the events, counts the manager's book through the gateway; a manager sees only their own", async () => {
    // The manager is new in this run, so their book is exactly this run's customer.
    const overview = await until("analytics to count the manager's accepted customer", async () => {
      const r = await call('GET', '/analytics/overview', manager.token);
      return r.status === 200 && r.body.assignedCustomers === 1 ? r.body : undefined;
    });
    expect(overview).toMatchObject({ scope: { kind: 'manager', managerId: manager.id }, customers: 1, load: 1, runs: null });
    const own = await call('GET', '/analytics/distribution?dimension=segment', manager.token);
    expect(own).toMatchObject({ status: 200, body: { scope: { kind: 'manager', managerId: manager.id }, customers: 1 } });
    const rivalBook = await call('GET', `/analytics/distribution?dimension=segment&managerId=${rival.id}`, admin);
    expect(rivalBook).toMatchObject({ status: 200, body: { customers: 0 } });
    // the service refuses what the gateway's role table lets a manager ask
    const other = await call('GET', `/analytics/workload?managerId=${rival.id}`, manager.token);
    expect(other.status).toBe(403);
    expect(other.body.message).toContain('managerId');
    expect((await call('GET', '/analytics/overview', customerToken)).status).toBe(403);

    // the live stream through the gateway: a manager's totals are their own events only
    const response = await fetch(`${gateway}/analytics/live`, { headers: { authorization: `Bearer ${manager.token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    while (!/\ndata: .*\n\n/.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    await reader.cancel();
    const message = JSON.parse(/\ndata: (.*)\n/.exec(text)![1]) as { totals: Record<string, number>; replay: unknown };
    expect(message.totals['MatchAccepted']).toBe(1);
    expect(message.totals['ProfileCreated']).toBeUndefined();
    expect(message.replay).toBeNull();
  });
});
