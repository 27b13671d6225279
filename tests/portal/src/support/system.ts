import {
  recreateDatabase,
  testDatabaseUrl,
  TEST_JWT_PRIVATE_KEY,
  TEST_JWT_PUBLIC_KEYS,
} from '@relationship/testing';
import { execFile } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
// The system suites' process and Kafka helpers, shared rather than copied (they are not a library yet).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { startGroupsAtEnd } from '../../../e2e/src/support/kafka';
// eslint-disable-next-line @nx/enforce-module-boundaries
import {
  startService,
  stopService,
  type RunningService,
} from '../../../e2e/src/support/services';

export const REPO_ROOT = resolve(__dirname, '../../../..');

export interface System {
  /** The portal's origin, e.g. http://127.0.0.1:4220; the API is its /api. */
  portal: string;
  /** The gateway's origin (for the OpenAPI document). */
  gateway: string;
  stop(): Promise<void>;
}

const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
/**
 * This run's own topics: on shared ones, other suites' events (and earlier runs' demo accounts, with other ids)
 * would reach this system's fresh databases. Provisioned here with the project's provisioner, as start.sh does.
 */
const TOPIC_PREFIX = `test.portal.${run}.`;
const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
// Apart from the system suites' 3100s and 3110s.
const PORTS = {
  gateway: 3120,
  identity: 3121,
  profiles: 3122,
  managers: 3123,
  matching: 3124,
  worker: 3125,
  portal: 4220,
};
/** Services start slowly on a busy 2-core machine (bundles, migrations, argon2-hashed demo accounts). */
const READY_MS = 180_000;
const DB = {
  identity: 'relationship_identity_portal_e2e',
  profiles: 'relationship_profiles_portal_e2e',
  managers: 'relationship_managers_portal_e2e',
  matching: 'relationship_matching_portal_e2e',
};

/**
 * The system the browser suite runs against. With PORTAL_URL (and GATEWAY_URL) set, an already running one (e.g.
 * `make up`'s); otherwise its own, as `make up` runs it but on fresh databases and the test topics: every service,
 * the matching worker, the gateway and the portal server, with the demo accounts and demo portraits.
 */
export async function startSystem(): Promise<System> {
  const given = process.env['PORTAL_URL'];
  if (given) {
    return {
      portal: given.replace(/\/$/, ''),
      gateway: (process.env['GATEWAY_URL'] ?? 'http://127.0.0.1:3000').replace(
        /\/$/,
        '',
      ),
      stop: async () => undefined,
    };
  }
  const services: RunningService[] = [];
  const stop = async () => {
    await Promise.all(services.reverse().map((s) => stopService(s)));
  };
  try {
    await Promise.all(
      Object.values(DB).map((schema) =>
        recreateDatabase(testDatabaseUrl(schema)),
      ),
    );
    await provisionTopics(TOPIC_PREFIX);
    // each consumer group starts with committed offsets at the (empty) topics' start, so it reads what identity
    // publishes before that consumer has joined (a new group without offsets would start at the end)
    const topic = (name: string) => `${TOPIC_PREFIX}${name}`;
    await startGroupsAtEnd(brokers, {
      [`profiles-portal-${run}`]: [
        topic('identity.user.v1'),
        topic('matching.assignment.v1'),
        topic('managers.manager.v1'),
      ],
      [`managers-portal-${run}`]: [topic('identity.user.v1')],
      [`matching-portal-${run}`]: [
        topic('profiles.customer.v1'),
        topic('managers.manager.v1'),
      ],
    });
    const shared = {
      JWT_PUBLIC_KEYS: TEST_JWT_PUBLIC_KEYS,
      KAFKA_BROKERS: brokers.join(','),
      REDIS_URL: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
      // the demo accounts (admin, customer1…, manager1…) and the demo manager registry
      KAFKA_TOPIC_PREFIX: TOPIC_PREFIX,
      DEMO_MODE: 'true',
      NODE_ENV: 'development',
    };
    const matchingEnv = {
      ...shared,
      DATABASE_URL: testDatabaseUrl(DB.matching),
      QUEUE_PREFIX: `portal-e2e-${run}`,
    };
    // identity first, alone: it hashes the demo accounts' passwords (argon2) before it is ready
    services.push(
      await startService(
        'identity',
        PORTS.identity,
        {
          ...shared,
          JWT_PRIVATE_KEY: TEST_JWT_PRIVATE_KEY,
          DATABASE_URL: testDatabaseUrl(DB.identity),
        },
        undefined,
        READY_MS,
      ),
    );
    await startAll(services, [
      () =>
        startService(
          'profiles',
          PORTS.profiles,
          {
            ...shared,
            DATABASE_URL: testDatabaseUrl(DB.profiles),
            KAFKA_CONSUMER_GROUP: `profiles-portal-${run}`,
          },
          undefined,
          READY_MS,
        ),
      () =>
        startService(
          'managers',
          PORTS.managers,
          {
            ...shared,
            DATABASE_URL: testDatabaseUrl(DB.managers),
            KAFKA_CONSUMER_GROUP: `managers-portal-${run}`,
          },
          undefined,
          READY_MS,
        ),
      () =>
        startService(
          'matching',
          PORTS.matching,
          { ...matchingEnv, KAFKA_CONSUMER_GROUP: `matching-portal-${run}` },
          undefined,
          READY_MS,
        ),
    ]);
    // the worker has no public API and reads no JWT_*
    const workerEnv = Object.fromEntries(
      Object.entries(matchingEnv).filter(([key]) => !key.startsWith('JWT_')),
    );
    services.push(
      await startService(
        'matching-worker',
        PORTS.worker,
        workerEnv,
        'matching/worker.js',
        READY_MS,
      ),
    );
    const url = (name: keyof typeof PORTS) => `http://127.0.0.1:${PORTS[name]}`;
    const gateway = await startService(
      'gateway',
      PORTS.gateway,
      {
        ...shared,
        IDENTITY_URL: url('identity'),
        PROFILES_URL: url('profiles'),
        MANAGERS_URL: url('managers'),
        MATCHING_URL: url('matching'),
        CORS_ORIGINS: url('portal'),
        // one browser signs in many times from 127.0.0.1
        AUTH_RATE_LIMIT_PER_MINUTE: '300',
        RATE_LIMIT_KEY_PREFIX: `portal-e2e:${run}:rl:`,
      },
      undefined,
      READY_MS,
    );
    services.push(gateway);
    services.push(
      await startService(
        'portal',
        PORTS.portal,
        {
          PORTAL_PORT: String(PORTS.portal),
          PORTAL_HOST: '127.0.0.1',
          GATEWAY_URL: gateway.url,
          PORTAL_DIST: join(REPO_ROOT, 'dist/frontend/portal/browser'),
        },
        '../../frontend/portal/serve.mjs',
        READY_MS,
      ),
    );
    await seedDemoPortraits(gateway.url);
    await worldReady(gateway.url);
    return { portal: url('portal'), gateway: gateway.url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Gives the demo customers customer1…customer5 what matching needs (risk answers, a need, interests) through the
 * API, as a customer would, and waits until matching has scored assignments: the world the scenarios start from,
 * whether or not the demo seed ran. On a loaded machine a fresh system needs a while for this; the scenarios then
 * need not wait.
 */
async function worldReady(gateway: string): Promise<void> {
  const call = async (
    method: string,
    path: string,
    token?: string,
    body?: object,
    headers: Record<string, string> = {},
  ) => {
    const response = await fetch(`${gateway}/api${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...headers,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    return {
      status: response.status,
      body: (await response.json().catch(() => null)) as Record<
        string,
        unknown
      > | null,
    };
  };
  const tokenOf = async (username: string, password: string) =>
    (await call('POST', '/auth/login', undefined, { username, password }))
      .body?.['accessToken'] as string;
  const deadline = Date.now() + READY_MS;
  const waitFor = async (what: string, probe: () => Promise<boolean>) => {
    while (!(await probe())) {
      if (Date.now() > deadline)
        throw new Error(
          `the fresh system never got ready: ${what} (logs: .local/log/e2e/)`,
        );
      await new Promise((r) => setTimeout(r, 1000));
    }
  };
  for (let i = 1; i <= 5; i++) {
    const token = await tokenOf(`customer${i}`, '123456');
    let portrait: Record<string, unknown> | null = null;
    await waitFor(`customer${i}'s portrait in profiles`, async () => {
      portrait = (await call('GET', '/profiles/me', token)).body;
      return portrait?.['id'] !== undefined;
    });
    const current = portrait as unknown as {
      version: number;
      riskLevel: string | null;
    };
    if (current.riskLevel) continue;
    const changed = await call(
      'PATCH',
      '/profiles/me',
      token,
      {
        riskAnswers: Array(10).fill('C'),
        declaredNeeds: ['wealth_management', 'retirement'],
        interests: ['golf', 'tea'],
      },
      { 'if-match': `"${current.version}"` },
    );
    if (changed.status !== 200)
      throw new Error(
        `customer${i}'s portrait could not be filled in: ${changed.status} ${JSON.stringify(changed.body)}`,
      );
  }
  const admin = await tokenOf('admin', 'admin123');
  await waitFor('a scored assignment in matching', async () => {
    const page = await call('GET', '/matching/assignments?pageSize=20', admin);
    return (
      (page.body?.['items'] as { explanation: unknown }[] | undefined) ?? []
    ).some((a) => a.explanation);
  });
}

/** Creates every topic of the contracts registry under `namespace` (tools/kafka-provision, built by make up/test). */
async function provisionTopics(namespace: string): Promise<void> {
  await promisify(execFile)(
    process.execPath,
    [
      join(REPO_ROOT, 'dist/tools/kafka-provision/main.js'),
      '--namespace',
      namespace,
    ],
    {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env['PATH'] ?? '',
        KAFKA_BROKERS: brokers.join(','),
      },
      timeout: 120_000,
    },
  );
}

/** Starts services in parallel; every one that started is kept in `services` (to be stopped), even when another fails. */
async function startAll(
  services: RunningService[],
  starts: (() => Promise<RunningService>)[],
): Promise<void> {
  const results = await Promise.allSettled(starts.map((start) => start()));
  for (const result of results)
    if (result.status === 'fulfilled') services.push(result.value);
  const failed = results.find(
    (r): r is PromiseRejectedResult => r.status === 'rejected',
  );
  if (failed) throw failed.reason;
}

/**
 * The demo portraits `make up` seeds (imported customers, filled-in demo accounts, one applied matching run), so
 * the pages show a realistic book. Best effort: no scenario depends on them (the manager's journey makes its own
 * proposal when none is waiting), so a failing seed is reported in its log and the suite goes on.
 */
async function seedDemoPortraits(gateway: string): Promise<void> {
  const logDir = join(REPO_ROOT, '.local/log/portal-e2e');
  mkdirSync(logDir, { recursive: true });
  const log = createWriteStream(join(logDir, 'seed-demo.log'));
  try {
    await runSeed(gateway, log);
  } catch (error) {
    log.end(String((error as Error).message));
    console.warn(
      `[portal-e2e] demo seed failed (see .local/log/portal-e2e/seed-demo.log); going on without demo portraits`,
    );
  }
}

async function runSeed(
  gateway: string,
  log: NodeJS.WritableStream,
): Promise<void> {
  const { stdout, stderr } = await promisify(execFile)(
    process.execPath,
    // as infra/local/services.sh runs it: through tsx, which resolves the workspace libraries
    [
      '--import',
      'tsx',
      '--disable-warning=MODULE_TYPELESS_PACKAGE_JSON',
      join(REPO_ROOT, 'tools/datagen/src/seed-demo.mts'),
      `--gateway=${gateway}`,
    ],
    {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env['PATH'] ?? '',
        TSX_TSCONFIG_PATH: join(REPO_ROOT, 'tools/datagen/tsconfig.json'),
      },
      maxBuffer: 16 * 1024 * 1024,
      timeout: 180_000,
    },
  );
  log.end(stdout + stderr);
}
