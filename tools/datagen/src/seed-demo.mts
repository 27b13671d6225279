/**
 * Demo portraits for `make up`, through the public API (the normal code paths: validation, rules, events, audit):
 * imports a few hundred generated customers and fills in the portraits of the demo accounts customer1…customer20,
 * which registration created empty. Idempotent: it does nothing once the demo set is there. Then it has matching
 * assign everyone still waiting (imported customers wait for a rebalance) with one applied run.
 *   node tools/datagen/src/seed-demo.mts [--gateway=http://127.0.0.1:3000]
 */
// tsx loads the workspace lib as CommonJS, whose re-exported names an ES module cannot import by name.
import domainRules from '@relationship/domain-rules';
import { parseArgs } from 'node:util';
import { customersCsv } from './csv.ts';
import { generateCustomers } from './customers.ts';

const { riskAnswersFor } = domainRules;
const DEMO_SEED = 2026;
const GENERATED = 300;
const { values } = parseArgs({ options: { gateway: { type: 'string', default: 'http://127.0.0.1:3000' } } });
const api = `${values.gateway}/api`;

async function call<T>(path: string, init: RequestInit = {}, token?: string): Promise<T> {
  const response = await fetch(`${api}${path}`, {
    ...init,
    headers: { 'content-type': 'application/json', ...(init.headers ?? {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path} → ${response.status}: ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

interface Page {
  items: { id: string; userId: string | null; version: number; aumCny: number }[];
  total: number;
}

const { accessToken: token } = await call<{ accessToken: string }>('/auth/login', {
  method: 'POST',
  body: JSON.stringify({ username: 'admin', password: 'admin123' }),
});

const existing = await call<Page>('/profiles?pageSize=1', {}, token);
if (existing.total >= GENERATED) {
  console.log(JSON.stringify({ seeded: false, reason: `${existing.total} portraits already exist`, matching: await assignWaiting(existing.total) }));
  process.exit(0);
}

// A few hundred customers so lists and dashboards look real.
const generated = generateCustomers(GENERATED + 20, DEMO_SEED);
const report = await call<{ importedRows: number }>(
  '/profiles/import?mode=valid-only',
  { method: 'POST', headers: { 'content-type': 'text/csv' }, body: customersCsv(generated.slice(20)) },
  token,
);

// The demo accounts' own portraits: fill them in from the first 20 generated customers.
const registered = (await call<Page>('/profiles?pageSize=100&sort=createdAt&order=asc', {}, token)).items.filter((p) => p.userId);
let enriched = 0;
for (const [i, portrait] of registered.slice(0, 20).entries()) {
  if (portrait.aumCny > 0) continue;
  const c = generated[i]!;
  await call(
    `/profiles/${portrait.id}`,
    {
      method: 'PATCH',
      // Based on the version listed: If-Match carries it (the portraits' ETag).
      headers: { 'if-match': `"${portrait.version}"` },
      body: JSON.stringify({
        gender: c.gender,
        birthDate: c.birthDate,
        city: c.city,
        homeBranchId: c.homeBranchId,
        preferredChannel: c.preferredChannel,
        aumCny: c.aumCny,
        incomeBand: c.incomeBand,
        activityLevel: c.activityLevel,
        riskAnswers: riskAnswersFor(c.riskLevel),
        declaredNeeds: c.needs,
        interests: c.interests,
        consent: { profiling: c.consentProfiling, marketing: c.consentMarketing, data_sharing: false },
      }),
    },
    token,
  );
  enriched += 1;
}
const total = (await call<Page>('/profiles?pageSize=1', {}, token)).total;
console.log(JSON.stringify({ seeded: true, imported: report.importedRows, demoPortraitsFilledIn: enriched, matching: await assignWaiting(total) }));

interface Stats {
  customers: { known: number; assigned: number; unassigned: number };
  activeRuns: number;
}

/**
 * Waits until matching has consumed every portrait (events travel through Kafka), then assigns the customers still
 * waiting with one applied rebalance (scope: unassigned only), and waits for it. Returns what happened.
 */
async function assignWaiting(portraits: number): Promise<Record<string, unknown>> {
  const until = async <T,>(what: string, probe: () => Promise<T | undefined>, seconds: number): Promise<T> => {
    const deadline = Date.now() + seconds * 1000;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out after ${seconds}s waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  };
  // Capped totals: profiles counts exactly up to 10,000, so compare at most that many.
  const stats = await until('matching to know every portrait', async () => {
    const s = await call<Stats>('/matching/stats', {}, token);
    return s.customers.known >= Math.min(portraits, 10_000) ? s : undefined;
  }, 120);
  if (stats.customers.unassigned === 0 || stats.activeRuns > 0) return { waiting: stats.customers.unassigned, rebalance: 'not needed' };
  const run = await call<{ id: string }>('/matching/runs', { method: 'POST', body: JSON.stringify({ mode: 'apply', scope: { unassignedOnly: true } }) }, token);
  const done = await until('the rebalance', async () => {
    const r = await call<{ status: string; moves: { applied: number } }>(`/matching/runs/${run.id}`, {}, token);
    return ['completed', 'failed', 'cancelled'].includes(r.status) ? r : undefined;
  }, 300);
  return { waiting: stats.customers.unassigned, rebalance: done.status, assigned: done.moves.applied };
}
