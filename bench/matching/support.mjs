// Shared by the matching benchmarks: the built service as a process on its own database and topic namespace.
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(join(repo, 'package.json'));
export const mysql = require('mysql2/promise');
export const { Kafka, logLevel } = require('kafkajs');
export const { Queue } = require('bullmq');

export const PREFIX = 'bench.';
export const QUEUE_PREFIX = 'bench';
export const DATABASE = 'relationship_matching_bench';
export const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const db = {
  host: process.env.DB_HOST ?? '127.0.0.1',
  port: Number(process.env.DB_PORT ?? 3306),
  user: process.env.DB_USER ?? 'app',
  password: process.env.DB_PASSWORD ?? 'app',
};

export function parseArgs() {
  return Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')).map(([k, v]) => [k, v ?? 'true']));
}

export const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/** Drops and recreates the bench database (it stays after a run for inspection). */
export async function recreateDatabase() {
  const admin = await mysql.createConnection(db);
  await admin.query(`drop database if exists \`${DATABASE}\``);
  await admin.query(`create database \`${DATABASE}\` character set utf8mb4 collate utf8mb4_unicode_ci`);
  await admin.end();
}

/**
 * Starts dist/services/matching/<entry> (main.js = API + consumer, worker.js = rebalance worker) and waits until it
 * is ready. Returns a stop function (SIGTERM, waits for the exit).
 */
export async function startMatching(entry, port, extraEnv = {}) {
  const file = join(repo, 'dist/services/matching', entry);
  if (!existsSync(file)) throw new Error(`${file} is missing: build first (npx nx build matching)`);
  const child = spawn(process.execPath, [file], {
    env: {
      PATH: process.env.PATH, NODE_ENV: 'production', LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(port),
      DATABASE_URL: `mysql://${db.user}:${db.password}@${db.host}:${db.port}/${DATABASE}`, KAFKA_BROKERS: brokers.join(','),
      KAFKA_TOPIC_PREFIX: PREFIX, REDIS_URL: redisUrl, JWT_PUBLIC_KEYS: JSON.stringify({ keys: [generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' })] }), QUEUE_PREFIX,
      ...extraEnv,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`matching ${entry} exited: ${stderr}`);
    if (await fetch(`http://127.0.0.1:${port}/health/ready`).then((r) => r.ok, () => false)) break;
    if (Date.now() > deadline) throw new Error(`matching ${entry} not ready within 90 s`);
    await new Promise((r) => setTimeout(r, 300));
  }
  return async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  };
}
