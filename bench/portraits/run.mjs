// Portraits benchmark (issue 3): CSV import of N customers and combined-filter search latency, both through the
// gateway of a running system (`make up`). Prints figures and their ratio to the targets. Not a test.
//   node bench/portraits/run.mjs [--customers=100000] [--queries=400] [--seed=N] [--gateway=http://127.0.0.1:3000]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '100000' },
    queries: { type: 'string', default: '400' },
    // A fresh seed per run by default: national ID numbers must be unique against what earlier runs imported.
    seed: { type: 'string', default: String(Date.now() % 1_000_000) },
    gateway: { type: 'string', default: process.env.GATEWAY_URL ?? 'http://127.0.0.1:3000' },
    // Measure searches only, on what earlier runs imported.
    'skip-import': { type: 'boolean', default: false },
  },
});
const api = `${values.gateway}/api`;
const TARGET_SEARCH_P95_MS = 50;
const TARGET_IMPORT_S = 60;

async function call(path, init = {}, token) {
  const response = await fetch(`${api}${path}`, {
    ...init,
    headers: { ...(init.headers ?? {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path} → ${response.status}: ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : undefined;
}

const login = await call('/auth/login', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: 'admin', password: 'admin123' }),
});
const token = login.accessToken;

// 1. Generate (deterministic for the seed) and import through the gateway. valid-only: a national ID number that an
//    earlier run (another seed) already imported is reported and skipped, not a reason to abort the measurement.
const out = join(root, '.local', 'bench-data');
const skipImport = values['skip-import'];
const generated = skipImport ? { customers: 0, customerFile: null } : JSON.parse(
  execFileSync(process.execPath, ['--import', 'tsx', '--disable-warning=MODULE_TYPELESS_PACKAGE_JSON', join(root, 'tools/datagen/src/cli.ts'),
    `--customers=${values.customers}`, '--managers=0', `--seed=${values.seed}`, `--out=${out}`], { encoding: 'utf8' }),
);
// Totals are exact up to the search's cap (10,000); past it the figure reads "≥ 10000".
const tableSize = async () => {
  const page = await call('/profiles?pageSize=1', {}, token);
  return page.totalExact === false ? `≥ ${page.total}` : String(page.total);
};
const before = await tableSize();
const importStarted = performance.now();
const report = skipImport
  ? {}
  : await call('/profiles/import?mode=valid-only', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: readFileSync(generated.customerFile) }, token);
const importSeconds = (performance.now() - importStarted) / 1000;
const after = await tableSize();

// 2. Combined-filter searches over the whole table, as staff would run them.
const segments = ['mass', 'affluent', 'high_net_worth', 'private'];
const risks = ['C1', 'C2', 'C3', 'C4', 'C5'];
const needs = ['wealth_management', 'retirement', 'mortgage_loans', 'insurance', 'education'];
const branches = (await call('/profiles/branches', {}, token)).map((b) => b.id ?? b.code).filter(Boolean);
const cities = ['上海', '北京', '深圳', '杭州', '广州'];
const names = ['王', '李', '张伟', '刘', '陈静'];
let rng = Number(values.seed) || 1;
const pick = (xs) => xs[(rng = (rng * 1103515245 + 12345) % 2 ** 31) % xs.length];
// The five query classes, in the order query(i) cycles through them.
const CLASSES = ['segment+risk+aumMin', 'branch+need', 'city+segment+need+unassigned', 'name+city', 'aum range+risk+branch'];
function query(i) {
  const q = new URLSearchParams({ pageSize: '20', sort: pick(['aum', 'updatedAt', 'createdAt']) });
  switch (i % 5) {
    case 0: q.append('segment', pick(segments)); q.append('riskLevel', pick(risks)); q.set('aumMin', '100000'); break;
    case 1: q.append('branch', pick(branches)); q.append('need', pick(needs)); break;
    case 2: q.append('city', pick(cities)); q.append('segment', pick(segments)); q.append('need', pick(needs)); q.set('unassigned', 'true'); break;
    case 3: q.set('q', pick(names)); q.append('city', pick(cities)); break;
    default: q.set('aumMin', '1000000'); q.set('aumMax', '30000000'); q.append('riskLevel', pick(risks)); q.append('branch', pick(branches));
  }
  return `/profiles?${q}`;
}
for (let i = 0; i < 20; i++) await call(query(i), {}, token); // warm-up
const latencies = [];
const byClass = CLASSES.map(() => /** @type {number[]} */ ([]));
for (let i = 0; i < Number(values.queries); i++) {
  const started = performance.now();
  await call(query(i), {}, token);
  const ms = performance.now() - started;
  latencies.push(ms);
  byClass[i % 5].push(ms);
}
const percentile = (xs, p) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
for (const xs of [latencies, ...byClass]) xs.sort((a, b) => a - b);
const pct = (p) => percentile(latencies, p);

const rows = [
  ...(skipImport ? [] : [['import', `${generated.customers} rows`, `${importSeconds.toFixed(1)} s`, `${TARGET_IMPORT_S} s`, (importSeconds / TARGET_IMPORT_S).toFixed(2)],
  ['import rate', '', `${Math.round(generated.customers / importSeconds)} rows/s`, '', '']]),
  ['search p50', `${after} customers`, `${pct(50).toFixed(1)} ms`, '', ''],
  ['search p95', `${latencies.length} queries`, `${pct(95).toFixed(1)} ms`, `${TARGET_SEARCH_P95_MS} ms`, (pct(95) / TARGET_SEARCH_P95_MS).toFixed(2)],
  ['search p99', '', `${pct(99).toFixed(1)} ms`, '', ''],
];
console.log(`seed ${values.seed}; imported ${report.imported ?? report.importedRows ?? 0} rows (table ${before} → ${after})`);
console.log(['measure', 'size', 'figure', 'target', 'ratio to target'].join(' | '));
for (const row of rows) console.log(row.join(' | '));
console.log('\nquery class | queries | p50 | p95 | max');
CLASSES.forEach((name, c) => {
  const xs = byClass[c];
  if (xs.length) console.log([name, xs.length, `${percentile(xs, 50).toFixed(1)} ms`, `${percentile(xs, 95).toFixed(1)} ms`, `${xs[xs.length - 1].toFixed(1)} ms`].join(' | '));
});
