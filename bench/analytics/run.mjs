// Analytics benchmark (needs the local infra: `make bench-analytics`, ARGS="--events=1000000 --queries=200").
// 1. Publishes a generated history (managers, customers with profile updates, proposals, assignments, outcomes,
//    runs) to its own topic namespace; 2. starts the built analytics service on an empty database and times how
//    long its feed takes to apply every event (the same path as a replay: a new consumer group from the beginning);
// 3. times every dashboard query against the service (p50/p95). Prints one JSON line of figures.
import { spawn } from 'node:child_process';
import { createHash, createPrivateKey, createSign, generateKeyPairSync, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(join(repo, 'package.json'));
const mysql = require('mysql2/promise');
const { Kafka, logLevel, CompressionTypes } = require('kafkajs');

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')).map(([k, v]) => [k, v ?? 'true']));
const EVENTS = Number(args.events ?? 100_000);
const MANAGERS = Number(args.managers ?? 1_000);
const QUERIES = Number(args.queries ?? 100);
const PORT = Number(args.port ?? 3905);
const RUN = Date.now().toString(36);
const PREFIX = `bench.analytics.${RUN}.`;
const DATABASE = 'relationship_analytics_bench';
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const db = { host: process.env.DB_HOST ?? '127.0.0.1', port: Number(process.env.DB_PORT ?? 3306), user: process.env.DB_USER ?? 'app', password: process.env.DB_PASSWORD ?? 'app' };
const TOPICS = { user: 'identity.user.v1', customer: 'profiles.customer.v1', manager: 'managers.manager.v1', assignment: 'matching.assignment.v1', run: 'matching.run.v1' };
const PARTITIONS = { user: 3, customer: 6, manager: 3, assignment: 6, run: 1 };
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

// A throwaway signing key for this run: the service verifies with its JWKS, the bench signs its admin token.
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const jwk = publicKey.export({ format: 'jwk' });
const kid = createHash('sha256').update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })).digest('base64url');
const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
function adminToken() {
  const now = Math.floor(Date.now() / 1000);
  const head = `${b64({ alg: 'ES256', typ: 'JWT', kid })}.${b64({ sub: randomUUID(), role: 'admin', username: 'bench', typ: 'access', iat: now, exp: now + 3600, iss: 'relationship-identity', aud: 'relationship', jti: randomUUID() })}`;
  const signature = createSign('SHA256').update(head).sign({ key: createPrivateKey(privateKey.export({ type: 'pkcs8', format: 'pem' })), dsaEncoding: 'ieee-p1363' });
  return `${head}.${signature.toString('base64url')}`;
}

// ---------------------------------------------------------------------------------------------- the history
let seed = 42;
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
const pick = (list) => list[Math.floor(random() * list.length)];
const SEGMENTS = ['mass', 'affluent', 'high_net_worth', 'private'];
const BRANCHES = [['SH-PD-001', '上海'], ['BJ-CY-001', '北京'], ['GZ-TH-001', '广州'], ['SZ-FT-001', '深圳'], ['HZ-XH-001', '杭州'], ['CD-JJ-001', '成都']];
const START = Date.parse('2025-01-01T00:00:00Z');
const SPAN_MS = 700 * 86_400_000;

function envelope(type, version, key, payload, at) {
  return { id: randomUUID(), type, version, occurredAt: at, source: 'bench', key, correlationId: null, payload };
}
const explanation = (score) => ({ score, contributions: [], omitted: [], model: null });

function* history() {
  const managers = [];
  for (let i = 0; i < MANAGERS; i++) {
    const managerId = randomUUID();
    const [branchId, city] = pick(BRANCHES);
    managers.push(managerId);
    const snapshot = { managerId, userId: null, employeeNo: `B${i}`, displayName: `经理${i}`, branchId, region: 'east', city, title: 'manager', expertise: ['wealth_management'], certifications: [], languages: ['zh-CN'], segmentsServed: ['mass', 'affluent'], interests: [], capacity: 200 + Math.floor(random() * 200), availability: 'active', coverManagerId: null, performance: { satisfaction: 3 + random() * 2, retention: 0.7 + random() * 0.3, aumGrowth: random() * 0.3 } };
    yield ['manager', envelope('ManagerRegistered', 1, managerId, { managerId, managerVersion: 1, snapshot, registeredAt: new Date(START).toISOString() }, new Date(START).toISOString())];
  }
  let produced = MANAGERS;
  while (produced < EVENTS) {
    const customerId = randomUUID();
    const [branchId, city] = pick(BRANCHES);
    let t = START + Math.floor(random() * SPAN_MS);
    const at = () => new Date((t += 60_000 + Math.floor(random() * 3_600_000))).toISOString();
    const snapshot = { customerId, userId: null, segment: pick(SEGMENTS), aumCny: Math.round(random() * 5_000_000), riskLevel: pick(['C1', 'C2', 'C3', 'C4', 'C5', null]), needs: [pick(['wealth_management', 'retirement', 'deposits'])], interests: [], tags: random() < 0.3 ? ['golf'] : [], preferredLanguage: 'zh-CN', preferredChannel: 'app', city, homeBranchId: branchId, ageBand: pick(['25_34', '35_44', '45_54', null]), lifecycleStage: pick(['new', 'growing', 'mature']), activityLevel: 'medium', consent: { profiling: true, marketing: false, data_sharing: false }, householdId: null };
    const created = at();
    yield ['customer', envelope('ProfileCreated', 2, customerId, { customerId, profileVersion: 1, origin: 'import', snapshot, createdAt: created }, created)];
    for (let v = 2; v <= 3; v++) {
      const updated = at();
      yield ['customer', envelope('ProfileUpdated', 1, customerId, { customerId, profileVersion: v, changedFields: ['aumCny'], snapshot: { ...snapshot, aumCny: Math.round(random() * 5_000_000) }, updatedAt: updated }, updated)];
    }
    produced += 3;
    let previous = null;
    for (let round = 1, version = 1; round <= 2 && produced < EVENTS; round++) {
      const managerId = pick(managers);
      const proposalId = randomUUID();
      const score = Math.round(random() * 10_000) / 100;
      const proposed = at();
      yield ['assignment', envelope('MatchProposed', 1, customerId, { proposalId, customerId, managerId, previousManagerId: previous, reason: 'incremental', runId: null, explanation: explanation(score), proposedAt: proposed }, proposed)];
      yield ['assignment', envelope('AssignmentChanged', 1, customerId, { customerId, managerId, previousManagerId: previous, assignmentVersion: version++, reason: round === 1 ? 'incremental' : 'declined', runId: null, score, changedAt: proposed }, proposed)];
      const answered = at();
      const declined = round === 1 && random() < 0.2;
      yield ['assignment', declined
        ? envelope('MatchRejected', 1, customerId, { proposalId, customerId, managerId, rejectedBy: managerId, reason: 'bench', explanation: explanation(score), rejectedAt: answered }, answered)
        : envelope('MatchAccepted', 1, customerId, { proposalId, customerId, managerId, acceptedBy: managerId, explanation: explanation(score), acceptedAt: answered }, answered)];
      produced += 3;
      if (!declined) break;
      previous = managerId;
    }
  }
  const runAt = new Date(START + SPAN_MS / 2).toISOString();
  yield ['run', envelope('RebalanceCompleted', 1, '00000000-0000-4000-8000-000000000001', { runId: '00000000-0000-4000-8000-000000000001', mode: 'applied', customers: 1000, moved: 100, unassigned: 0, totalScoreBefore: 50_000, totalScoreAfter: 60_000, durationMs: 1000, completedAt: runAt }, runAt)];
}

// ---------------------------------------------------------------------------------------------- the run
const kafka = new Kafka({ clientId: `bench-analytics-${RUN}`, brokers, logLevel: logLevel.NOTHING });
const admin = kafka.admin();
await admin.connect();
const names = Object.entries(TOPICS).flatMap(([k, t]) => [{ topic: `${PREFIX}${t}`, numPartitions: PARTITIONS[k] }, { topic: `${PREFIX}${t}.dlq`, numPartitions: 1 }]);
await admin.createTopics({ topics: names, waitForLeaders: true });
let service;
try {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const publishStarted = Date.now();
  let pending = new Map();
  let count = 0;
  const flush = async () => {
    await producer.sendBatch({ acks: 1, compression: CompressionTypes.None, topicMessages: [...pending].map(([topic, messages]) => ({ topic, messages })) });
    pending = new Map();
  };
  for (const [kind, e] of /** @type {Iterable<[keyof typeof TOPICS, any]>} */ (history())) {
    const topic = `${PREFIX}${TOPICS[kind]}`;
    if (!pending.has(topic)) pending.set(topic, []);
    pending.get(topic).push({ key: e.key, value: JSON.stringify(e) });
    if (++count % 5_000 === 0) await flush();
  }
  await flush();
  await producer.disconnect();
  const publishSeconds = (Date.now() - publishStarted) / 1000;
  console.error(`[bench-analytics] published ${count} events in ${publishSeconds.toFixed(1)} s`);

  /** @type {any} mysql2's row types; the queries below read counts only */
  const conn = await mysql.createConnection(db);
  await conn.query(`drop database if exists \`${DATABASE}\``);
  await conn.query(`create database \`${DATABASE}\` character set utf8mb4 collate utf8mb4_unicode_ci`);
  await conn.changeUser({ database: DATABASE });

  const main = join(repo, 'dist/services/analytics/main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: build first (npx nx build analytics)`);
  const started = Date.now();
  service = spawn(process.execPath, [main], {
    env: {
      PATH: process.env.PATH, NODE_ENV: 'production', LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(PORT),
      DATABASE_URL: `mysql://${db.user}:${db.password}@${db.host}:${db.port}/${DATABASE}`, KAFKA_BROKERS: brokers.join(','),
      KAFKA_TOPIC_PREFIX: PREFIX, KAFKA_CONSUMER_GROUP: `bench-analytics-${RUN}`, FEED_CONCURRENCY: String(args.concurrency ?? 1), REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      JWT_PUBLIC_KEYS: JSON.stringify({ keys: [{ ...jwk, kid, alg: 'ES256', use: 'sig' }] }),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  service.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  for (;;) {
    if (service.exitCode !== null) throw new Error(`analytics exited: ${stderr}`);
    const [[row]] = await conn.query('select count(*) n from processed_event').catch(() => [[{ n: 0 }]]);
    if (Number(row.n) >= count) break;
    if (Date.now() - started > 3_600_000) throw new Error('not caught up within an hour');
    await new Promise((r) => setTimeout(r, 500));
  }
  const applySeconds = (Date.now() - started) / 1000;
  console.error(`[bench-analytics] applied ${count} events in ${applySeconds.toFixed(1)} s (service start included)`);
  const [[customers]] = await conn.query('select count(*) n from customer_state');
  await conn.end();

  const token = adminToken();
  const queries = {
    overview: '/api/analytics/overview',
    distribution_segment: '/api/analytics/distribution?dimension=segment',
    distribution_tag: '/api/analytics/distribution?dimension=tag',
    effectiveness_manager: '/api/analytics/effectiveness?from=2025-01-01&to=2026-12-31&by=manager',
    effectiveness_branch: '/api/analytics/effectiveness?from=2025-01-01&to=2026-12-31&by=branch',
    effectiveness_segment: '/api/analytics/effectiveness?from=2025-06-01&to=2025-06-30&by=segment',
    runs: '/api/analytics/effectiveness/runs?from=2025-01-01&to=2026-12-31',
    workload: '/api/analytics/workload',
    unassigned: '/api/analytics/unassigned',
    trends_matches_day: '/api/analytics/trends?metric=matches&granularity=day&from=2025-01-01&to=2026-12-31',
    trends_aum_month: '/api/analytics/trends?metric=aum&granularity=month&from=2025-01-01&to=2026-12-31',
  };
  const latency = {};
  for (const [name, path] of Object.entries(queries)) {
    const times = [];
    for (let i = 0; i < QUERIES; i++) {
      const t0 = performance.now();
      const response = await fetch(`http://127.0.0.1:${PORT}${path}`, { headers: { authorization: `Bearer ${token}` } });
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      await response.arrayBuffer();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    latency[name] = { p50: Number(quantile(times, 0.5).toFixed(1)), p95: Number(quantile(times, 0.95).toFixed(1)) };
  }
  console.log(JSON.stringify({ events: count, customers: Number(customers.n), managers: MANAGERS, publishSeconds, applySeconds, eventsPerSecond: Math.round(count / applySeconds), queryMs: latency }));
} finally {
  if (service && service.exitCode === null) {
    service.kill('SIGTERM');
    await new Promise((r) => service.once('exit', r));
  }
  await admin.deleteTopics({ topics: names.map((n) => n.topic) }).catch(() => undefined);
  await admin.disconnect();
}
