#!/usr/bin/env node
// A whole rebalance as the service runs it: the worker's plan job (load every snapshot, score top-k candidates,
// solve, store the moves) for a what-if on N customers × M managers, then an applied run on a slice of them
// (guarded single-row writes + history + outbox per move, in chunks across the worker's jobs).
//
//   node bench/matching/rebalance.mjs [--customers=100000] [--managers=1000] [--apply=5000] [--seed=11] [--workers=1]
//   make bench-rebalance ARGS="--customers=20000 --managers=300"
//
// Data goes straight into the bench database (relationship_matching_bench, recreated; snapshots from
// tools/datagen), the API process migrates it and the worker process(es) run the jobs queued through BullMQ.
// Prints the plan's phases and the apply throughput; writes .local/bench/matching/rebalance.json. Not a test.
import '../ts-hooks.mjs';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { db, DATABASE, mysql, parseArgs, Queue, QUEUE_PREFIX, recreateDatabase, redisUrl, repo, startMatching } from './support.mjs';

const local = process.env.LOCAL_DIR ?? join(repo, '.local');
const { generateCustomers } = await import(join(repo, 'tools/datagen/src/customers.ts'));
const { generateManagers } = await import(join(repo, 'tools/datagen/src/managers.ts'));
const feedback = await import(join(repo, 'tools/datagen/src/feedback.ts'));
const { Redis } = await import('ioredis');

const args = parseArgs();
const customersN = Number(args.customers ?? 100_000);
const managersN = Number(args.managers ?? 1000);
const applyN = Math.min(customersN, Number(args.apply ?? 5000));
const workersN = Number(args.workers ?? 1);
const seed = Number(args.seed ?? 11);
// Away from make up's ports (3000–3014, 4200) and the system tests' (3100–3115).
const PORT = Number(process.env.BENCH_MATCHING_PORT ?? 3214);
const secs = (ms) => `${(ms / 1000).toFixed(2)} s`;

let t = performance.now();
const managers = generateManagers(managersN, seed).map((m) => feedback.managerSnapshot(m));
const customers = generateCustomers(customersN, seed).map((c) => feedback.customerSnapshot(c));
console.log(`[bench] generated ${customersN.toLocaleString('en')} customers × ${managersN} managers in ${secs(performance.now() - t)}`);

await recreateDatabase();
// The first worker migrates the database (no API process: nothing here needs Kafka's profile and manager streams).
const stops = [await startMatching('worker.js', PORT)];
const conn = await mysql.createConnection({ ...db, database: DATABASE });
try {
  t = performance.now();
  const now = new Date();
  for (let i = 0; i < managers.length; i += 1000) {
    const slice = managers.slice(i, i + 1000);
    await conn.query('insert into manager_snapshot (manager_id, user_id, manager_version, availability, capacity, city, branch_id, snapshot, updated_at) values ?', [
      slice.map((m) => [m.managerId, null, 1, m.availability, m.capacity, m.city, m.branchId, JSON.stringify(m), now]),
    ]);
    await conn.query('insert into manager_load (manager_id, assigned, capacity) values ?', [slice.map((m) => [m.managerId, 0, m.capacity])]);
  }
  for (let i = 0; i < customers.length; i += 2000) {
    const slice = customers.slice(i, i + 2000);
    await conn.query('insert into customer_snapshot (customer_id, user_id, profile_version, segment, city, home_branch_id, snapshot, updated_at) values ?', [
      slice.map((c) => [c.customerId, null, 1, c.segment, c.city, c.homeBranchId, JSON.stringify(c), now]),
    ]);
    await conn.query('insert into assignment (customer_id, version, updated_at) values ?', [slice.map((c) => [c.customerId, 0, now])]);
  }
  const capacity = managers.filter((m) => m.availability === 'active').reduce((s, m) => s + m.capacity, 0);
  console.log(`[bench] loaded into ${DATABASE} in ${secs(performance.now() - t)} (active capacity ${capacity.toLocaleString('en')})`);

  for (let w = 1; w < workersN; w++) stops.push(await startMatching('worker.js', PORT + w));
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('matching-rebalance', { connection, prefix: QUEUE_PREFIX });

  async function run(mode, scope) {
    const id = randomUUID();
    await conn.query("insert into rebalance_run (id, mode, status, scope, options, created_at) values (?, ?, 'queued', ?, ?, now(3))", [
      id,
      mode,
      JSON.stringify(scope),
      JSON.stringify({ stabilityThreshold: 5, includePinned: false, candidatesPerCustomer: 30 }),
    ]);
    const started = performance.now();
    await queue.add('plan', { runId: id }, { jobId: `plan-${id}`, attempts: 1 });
    for (;;) {
      const [[row]] = await conn.query('select * from rebalance_run where id = ?', [id]);
      if (['completed', 'failed', 'cancelled'].includes(row.status)) return { row, wallMs: performance.now() - started };
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  const dry = await run('dry_run', {});
  if (dry.row.status !== 'completed') throw new Error(`dry run ${dry.row.status}: ${dry.row.error}`);
  const m = typeof dry.row.metrics === 'string' ? JSON.parse(dry.row.metrics) : dry.row.metrics;
  console.log('');
  console.log('| what-if (plan job) | customers | managers | wall | candidates (top-30) | solve | moves | total score | gap bound | mean score |');
  console.log('|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
  console.log(
    `| dry run | ${customersN.toLocaleString('en')} | ${managersN} | ${secs(dry.wallMs)} | ${secs(m.solver.candidateTimeMs)} | ${secs(m.solver.timeMs)} | ${m.moved.toLocaleString('en')} | ${m.after.totalScore.toLocaleString('en')} | ${m.solver.relativeGap === null ? '—' : `${(m.solver.relativeGap * 100).toExponential(1)} %`} | ${m.after.meanScore} |`,
  );
  console.log(`(rest of the wall time: loading ${customersN.toLocaleString('en')} snapshots, storing the moves, queue hops)`);

  const slice = customers.slice(0, applyN).map((c) => c.customerId);
  const applied = await run('apply', { customerIds: slice });
  const [[counts]] = await conn.query("select sum(state = 'applied') as applied, sum(state = 'stale') as stale, sum(state = 'conflict') as conflict from run_move where run_id = ?", [applied.row.id]);
  const [[loads]] = await conn.query('select sum(assigned > capacity) as over_capacity, sum(assigned) as assigned from manager_load');
  const [[count]] = await conn.query('select count(*) as n from assignment where manager_id is not null');
  console.log('');
  console.log(`| applied run | customers | workers | wall | moves applied | moves / s | over capacity | load = assignments |`);
  console.log('|---|--:|--:|--:|--:|--:|--:|--:|');
  console.log(
    `| apply | ${applyN.toLocaleString('en')} | ${workersN} | ${secs(applied.wallMs)} | ${Number(counts.applied).toLocaleString('en')} | ${(Number(counts.applied) / (applied.wallMs / 1000)).toFixed(0)} | ${Number(loads.over_capacity)} | ${Number(loads.assigned) === Number(count.n) ? 'yes' : 'NO'} |`,
  );
  mkdirSync(join(local, 'bench/matching'), { recursive: true });
  writeFileSync(
    join(local, 'bench/matching/rebalance.json'),
    JSON.stringify({ customers: customersN, managers: managersN, dryRun: { wallMs: dry.wallMs, metrics: m }, apply: { customers: applyN, workers: workersN, wallMs: applied.wallMs, ...counts } }, null, 2),
  );
  await queue.close();
  connection.disconnect();
} finally {
  for (const stop of stops.reverse()) await stop();
  await conn.end();
}
