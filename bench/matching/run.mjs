#!/usr/bin/env node
// Incremental-rematch latency through real Kafka: ProfileUpdated published → MatchProposed consumed.
//
//   node bench/matching/run.mjs [--managers=1000] [--events=1000] [--seed=7] [--warmup=50]
//   make bench-matching ARGS="--events=2000"
//
// Starts the built matching service (dist/services/matching/main.js) on its own database
// (relationship_matching_bench, recreated) and its own topic namespace (KAFKA_TOPIC_PREFIX=bench.), so the demo is
// untouched. Registers the generated managers through ManagerRegistered events, then publishes one ProfileUpdated
// at a time for generated customers nobody serves yet and times each until matching's MatchProposed for that
// customer arrives on matching.assignment.v1 (the whole path: consumer, idempotent transaction, scoring against
// every manager, guarded assignment write, outbox relay, Kafka). Prints p50/p90/p99/max and the ratio to the
// 200 ms goal; writes .local/bench/matching/results.json. Not a test: it asserts nothing.
import '../ts-hooks.mjs';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brokers, db, DATABASE, Kafka, logLevel, mysql, parseArgs, PREFIX, quantile, recreateDatabase, repo, startMatching } from './support.mjs';

const local = process.env.LOCAL_DIR ?? join(repo, '.local');
const scoring = await import(join(repo, 'libs/match-scoring/src/index.ts'));
const { generateCustomers } = await import(join(repo, 'tools/datagen/src/customers.ts'));
const { generateManagers } = await import(join(repo, 'tools/datagen/src/managers.ts'));
const feedback = await import(join(repo, 'tools/datagen/src/feedback.ts'));

const args = parseArgs();
const managersN = Number(args.managers ?? 1000);
const eventsN = Number(args.events ?? 1000);
const warmup = Number(args.warmup ?? 50);
const seed = Number(args.seed ?? 7);
const GOAL_P99_MS = 200;
// Away from make up's ports (3000–3014, 4200) and the system tests' (3100–3115).
const PORT = Number(process.env.BENCH_MATCHING_PORT ?? 3204);
const topics = {
  customer: `${PREFIX}profiles.customer.v1`,
  manager: `${PREFIX}managers.manager.v1`,
  assignment: `${PREFIX}matching.assignment.v1`,
};
const envelope = (type, key, payload) => ({
  id: randomUUID(), type, version: 1, occurredAt: new Date().toISOString(), source: 'bench', key, correlationId: `bench:${key}`, payload,
});

// Data: generated managers, and customers that at least one manager may serve (others would never get a proposal).
const managers = generateManagers(managersN, seed).map((m) => feedback.managerSnapshot(m));
const pool = generateCustomers(eventsN * 3, seed).map((c) => feedback.customerSnapshot(c));
const customers = pool.filter((c) => managers.some((m) => scoring.exclusions(c, m, { assigned: 0 }).length === 0)).slice(0, eventsN + warmup);
console.log(`[bench] ${managers.length} managers, ${customers.length} customers (${warmup} warm-up), seed ${seed}`);

// Fresh database; topics created and this run's consumer group placed at their end (earlier runs are not replayed).
await recreateDatabase();
const kafka = new Kafka({ clientId: 'bench-matching', brokers, logLevel: logLevel.NOTHING });
const kadmin = kafka.admin();
await kadmin.connect();
const existing = new Set(await kadmin.listTopics());
const wanted = [
  { topic: topics.customer, numPartitions: 6 },
  { topic: topics.manager, numPartitions: 3 },
  { topic: topics.assignment, numPartitions: 6 },
  { topic: `${PREFIX}matching.run.v1`, numPartitions: 1 },
  { topic: `${PREFIX}identity.user.v1`, numPartitions: 3 },
].filter((t) => !existing.has(t.topic));
if (wanted.length) await kadmin.createTopics({ topics: wanted, waitForLeaders: true });
const group = `bench-matching-${Date.now().toString(36)}`;
// Right after createTopics the metadata may still name no leader: retry briefly.
async function atEnd(groupId, topic) {
  for (let attempt = 1; ; attempt++) {
    try {
      const offsets = await kadmin.fetchTopicOffsets(topic);
      await kadmin.setOffsets({ groupId, topic, partitions: offsets.map((o) => ({ partition: o.partition, offset: o.high })) });
      return;
    } catch (error) {
      if (attempt >= 20 || !(/** @type {{ retriable?: boolean }} */ (error).retriable)) throw error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
for (const topic of [topics.customer, topics.manager]) await atEnd(group, topic);

const stop = await startMatching('main.js', PORT, { KAFKA_CONSUMER_GROUP: group });
try {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  let t = performance.now();
  for (let i = 0; i < managers.length; i += 500) {
    await producer.send({
      topic: topics.manager,
      messages: managers.slice(i, i + 500).map((m) => {
        const e = envelope('ManagerRegistered', m.managerId, { managerId: m.managerId, managerVersion: 1, snapshot: m, registeredAt: new Date().toISOString() });
        return { key: e.key, value: JSON.stringify(e) };
      }),
    });
  }
  const conn = await mysql.createConnection({ ...db, database: DATABASE });
  for (;;) {
    const [[row]] = await conn.query('select count(*) as n from manager_snapshot');
    if (Number(row.n) === managers.length) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  console.log(`[bench] ${managers.length} managers registered through Kafka in ${(performance.now() - t).toFixed(0)} ms`);

  // Listen for proposals from now on.
  const waiting = new Map();
  const consumer = kafka.consumer({ groupId: `${group}-reader`, maxWaitTimeInMs: 50 });
  await consumer.connect();
  await atEnd(`${group}-reader`, topics.assignment);
  await consumer.subscribe({ topic: topics.assignment });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const value = JSON.parse(message.value.toString());
      if (value.type !== 'MatchProposed') return;
      const resolveIt = waiting.get(value.payload.customerId);
      if (resolveIt) resolveIt(performance.now());
    },
  });
  await new Promise((r) => setTimeout(r, 3_000)); // group join

  const latencies = [];
  let missing = 0;
  t = performance.now();
  for (const [i, c] of customers.entries()) {
    const e = envelope('ProfileUpdated', c.customerId, { customerId: c.customerId, profileVersion: 1, changedFields: ['needs'], snapshot: c, updatedAt: new Date().toISOString() });
    const arrived = new Promise((r) => waiting.set(c.customerId, r));
    const sent = performance.now();
    await producer.send({ topic: topics.customer, messages: [{ key: e.key, value: JSON.stringify(e) }] });
    const at = await Promise.race([arrived, new Promise((r) => setTimeout(() => r(null), 10_000))]);
    waiting.delete(c.customerId);
    if (at === null) missing++;
    else if (i >= warmup) latencies.push(at - sent);
  }
  const wall = performance.now() - t;
  latencies.sort((a, b) => a - b);
  const [p50, p90, p99, max] = [0.5, 0.9, 0.99, 1].map((q) => quantile(latencies, q));
  const mean = latencies.reduce((a, b) => a + b, 0) / latencies.length;
  const [[load]] = await conn.query('select count(*) as assigned from assignment where manager_id is not null');
  console.log(`[bench] ${latencies.length} measured events (${missing} without a proposal within 10 s), ${Number(load.assigned)} customers assigned`);
  console.log('');
  console.log('| ProfileUpdated → MatchProposed | p50 | p90 | p99 | max | mean | goal p99 | p99 / goal |');
  console.log('|---|--:|--:|--:|--:|--:|--:|--:|');
  console.log(`| ${managers.length} managers, ${latencies.length} events, one at a time | ${p50.toFixed(1)} ms | ${p90.toFixed(1)} ms | ${p99.toFixed(1)} ms | ${max.toFixed(1)} ms | ${mean.toFixed(1)} ms | ${GOAL_P99_MS} ms | ${(p99 / GOAL_P99_MS).toFixed(2)} |`);
  console.log(`\n[bench] wall ${(wall / 1000).toFixed(1)} s for ${customers.length} sequential round trips`);
  mkdirSync(join(local, 'bench/matching'), { recursive: true });
  writeFileSync(
    join(local, 'bench/matching/results.json'),
    JSON.stringify({ managers: managers.length, events: latencies.length, missing, p50, p90, p99, max, mean, goalP99Ms: GOAL_P99_MS, at: new Date().toISOString() }, null, 2),
  );
  await consumer.disconnect();
  await producer.disconnect();
  await conn.end();
} finally {
  await stop();
  await kadmin.disconnect();
  // The database stays for inspection until the next run recreates it.
}
