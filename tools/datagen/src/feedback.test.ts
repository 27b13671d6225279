import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateCustomers, type GeneratedCustomer } from './customers.ts';
import {
  customerSnapshot,
  managerSnapshot,
  pairQuality,
  samplePairs,
  segmentOf,
  simulateFeedback,
  type SimulatedOutcome,
  uuidFor,
} from './feedback.ts';
import { generateManagers, type GeneratedManager } from './managers.ts';

const customers = generateCustomers(4_000, 21);
const managers = generateManagers(150, 21);
const pairs = samplePairs(customers, managers, 30_000, 4);
const outcomes = simulateFeedback(customers, managers, pairs, 4);
const customerOf = new Map(customers.map((c) => [c.externalRef, c]));
const managerOf = new Map(managers.map((m) => [m.employeeNo, m]));

const rows = outcomes.map((o, i) => ({ o, c: customerOf.get(o.customerRef)!, m: managerOf.get(o.employeeNo)!, u: pairs[i]!.utilisation }));
type Row = (typeof rows)[number];
const acceptance = (xs: Row[]) => xs.filter((r) => r.o.accepted).length / xs.length;
const rank = (m: GeneratedManager) => ['associate', 'manager', 'senior_manager', 'director', 'private_banker'].indexOf(m.title);

/** Mann–Whitney AUC of a score for a boolean label (ties count half). */
function auc(scores: number[], labels: boolean[]): number {
  const order = scores.map((s, i) => [s, labels[i]] as const).sort((a, b) => a[0] - b[0]);
  let rankSum = 0;
  let positives = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && order[j]![0] === order[i]![0]) j++;
    const mid = (i + j + 1) / 2;
    for (let k = i; k < j; k++) {
      if (order[k]?.[1]) {
        rankSum += mid;
        positives++;
      }
    }
    i = j;
  }
  const negatives = order.length - positives;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

describe('outcome feedback simulator', () => {
  it('is deterministic per pair: same seed same outcomes, independent of order and of the other pairs', () => {
    assert.deepEqual(simulateFeedback(customers, managers, pairs.slice(0, 500), 4), outcomes.slice(0, 500));
    const reversed = simulateFeedback(customers, managers, pairs.slice(0, 500).reverse(), 4).reverse();
    assert.deepEqual(reversed, outcomes.slice(0, 500));
    const other = simulateFeedback(customers, managers, pairs.slice(0, 500), 5);
    assert.ok(other.filter((o, i) => o.accepted !== outcomes[i]!.accepted).length > 50, 'another seed draws other outcomes');
    assert.deepEqual(samplePairs(customers, managers, 200, 4), pairs.slice(0, 200));
  });

  it('gives well-formed outcomes: declined pairs have no satisfaction, retention or growth', () => {
    const check = (o: SimulatedOutcome) => {
      if (!o.accepted) return o.satisfaction === null && o.retained === null && o.aumGrowth12m === null;
      return [1, 2, 3, 4, 5].includes(o.satisfaction!) && typeof o.retained === 'boolean' && Number.isFinite(o.aumGrowth12m);
    };
    assert.ok(outcomes.every(check));
    const rate = acceptance(rows);
    assert.ok(rate > 0.3 && rate < 0.8, `acceptance ${rate} is neither near 0 nor near 1`);
    const satisfactions = new Set(outcomes.map((o) => o.satisfaction).filter((s) => s !== null));
    assert.equal(satisfactions.size, 5, 'every rating occurs');
    const lost = outcomes.filter((o) => o.retained === false);
    assert.ok(lost.length > 0 && lost.every((o) => o.aumGrowth12m! < 0), 'customers who left took assets with them');
  });

  it('rejects unknown references', () => {
    assert.throws(() => simulateFeedback(customers, managers, [{ customerRef: 'nope', employeeNo: managers[0]!.employeeNo }], 1), /unknown customer/);
    assert.throws(() => simulateFeedback(customers, managers, [{ customerRef: customers[0]!.externalRef, employeeNo: 'nope' }], 1), /unknown manager/);
  });

  it('depends on hidden manager skill', () => {
    const sorted = [...managers].sort((a, b) => a.hidden.skill - b.hidden.skill);
    const low = new Set(sorted.slice(0, 50).map((m) => m.employeeNo));
    const high = new Set(sorted.slice(-50).map((m) => m.employeeNo));
    const lowRate = acceptance(rows.filter((r) => low.has(r.m.employeeNo)));
    const highRate = acceptance(rows.filter((r) => high.has(r.m.employeeNo)));
    assert.ok(highRate - lowRate > 0.1, `skilled managers accepted more (${highRate} vs ${lowRate})`);
  });

  it('depends on the hidden senior preference together with the manager title', () => {
    const gap = (prefers: boolean) => {
      const xs = rows.filter((r) => r.c.hidden.prefersSeniorManager === prefers);
      return acceptance(xs.filter((r) => rank(r.m) >= 3)) - acceptance(xs.filter((r) => rank(r.m) <= 1));
    };
    assert.ok(gap(true) - gap(false) > 0.1, `seniority matters more to those who prefer it (${gap(true)} vs ${gap(false)})`);
  });

  it('depends on the hidden language preference and on patience with a busy manager', () => {
    const foreign = rows.filter((r) => !r.m.languages.includes(r.c.preferredLanguage));
    assert.ok(foreign.length > 100);
    const insists = acceptance(foreign.filter((r) => r.c.hidden.prefersSameLanguage));
    const relaxed = acceptance(foreign.filter((r) => !r.c.hidden.prefersSameLanguage));
    assert.ok(relaxed - insists > 0.1, `language mismatch hurts those who insist (${insists} vs ${relaxed})`);
    const busy = rows.filter((r) => (r.u ?? 0) > 0.8);
    const impatientBusy = acceptance(busy.filter((r) => r.c.hidden.patience < 0.3));
    const patientBusy = acceptance(busy.filter((r) => r.c.hidden.patience > 0.7));
    assert.ok(patientBusy - impatientBusy > 0.05, `impatient customers decline busy managers (${impatientBusy} vs ${patientBusy})`);
  });

  it('depends on observable fit: needs covered by expertise', () => {
    const coverage = (c: GeneratedCustomer, m: GeneratedManager) => c.needs.filter((n) => m.expertise.includes(n)).length / c.needs.length;
    const full = acceptance(rows.filter((r) => coverage(r.c, r.m) === 1));
    const none = acceptance(rows.filter((r) => coverage(r.c, r.m) === 0));
    assert.ok(full - none > 0.1, `covered needs accepted more (${full} vs ${none})`);
  });

  it('carries signal beyond the observable part: the full latent quality ranks good outcomes better', () => {
    const good = outcomes.map((o) => o.accepted && (o.satisfaction! >= 4 || o.retained === true));
    const observable = rows.map((r) => pairQuality(r.c, r.m, r.u).observable);
    const total = rows.map((r) => pairQuality(r.c, r.m, r.u).total);
    const aucObservable = auc(observable, good);
    const aucTotal = auc(total, good);
    assert.ok(aucObservable > 0.55, `observable fit alone is informative (${aucObservable})`);
    assert.ok(aucTotal - aucObservable > 0.05, `hidden truth adds signal (${aucTotal} vs ${aucObservable})`);
  });
});

describe('match snapshots of generated data', () => {
  it('carry no PII or hidden truth, stable UUIDs and the default segment thresholds', () => {
    const c = customers[0]!;
    const snapshot = customerSnapshot(c);
    const text = JSON.stringify(snapshot);
    for (const secret of [c.name, c.phone, c.nationalIdNumber, 'hidden', 'patience']) assert.ok(!text.includes(secret), secret);
    assert.equal(snapshot.customerId, uuidFor(c.externalRef));
    assert.match(snapshot.customerId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.notEqual(uuidFor('C1'), uuidFor('C2'));
    assert.deepEqual([499_999, 500_000, 6_000_000, 30_000_000].map(segmentOf), ['mass', 'affluent', 'high_net_worth', 'private']);
    const m = managerSnapshot(managers[0]!);
    assert.ok(!JSON.stringify(m).includes('skill') && !JSON.stringify(m).includes(managers[0]!.phone));
    assert.equal(m.performance.retention, managers[0]!.retention);
  });
});
