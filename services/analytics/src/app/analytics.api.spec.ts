import { MikroORM } from '@mikro-orm/core';
import {
  AssignmentChanged,
  deadLetterTopic,
  ManagerCapacityChanged,
  ManagerRegistered,
  MatchAccepted,
  MatchProposed,
  MatchRejected,
  ProfileCreatedV2,
  ProfileUpdated,
  RebalanceCompleted,
  Topic,
  UserRegistered,
  type CustomerMatchSnapshot,
} from '@relationship/contracts';
import { eventually, testTopic } from '@relationship/testing';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AnalyticsHarness, bearer, customerSnapshot, explanation, managerSnapshot, tokenFor, type PublishedEvent } from '../testing/analytics-harness';
import { waitingBand } from './figures/fairness';

/*
 * A small known book, published to real Kafka as the owning services would publish it; every expected figure below
 * is computed by hand from these events (days are China Standard Time, UTC+8).
 */
const h = new AnalyticsHarness();
const id = () => crypto.randomUUID();
const [M1, M2, M3] = [id(), id(), id()];
const U1 = id(); // M1's login
const [C1, C2, C3, C4, C5, C6] = [id(), id(), id(), id(), id(), id()];
const [P1, P2, P3, P4] = [id(), id(), id(), id()];
const R1 = id();
const C5_CREATED = '2026-11-11T01:00:00.000Z';
const C4_LEFT = new Date(Date.now() - 2 * 3_600_000).toISOString();

const snapshots: Record<string, CustomerMatchSnapshot> = {
  C1: customerSnapshot({ customerId: C1, segment: 'mass', aumCny: 30_000, riskLevel: 'C2', city: '上海', homeBranchId: 'SH-PD-001', ageBand: '25_34', lifecycleStage: 'new', tags: ['young'], needs: ['deposits', 'credit_card'] }),
  C2: customerSnapshot({ customerId: C2, segment: 'affluent', aumCny: 800_000, riskLevel: 'C3', city: '深圳', homeBranchId: 'SZ-FT-001', ageBand: '35_44', lifecycleStage: 'growing', tags: ['young', 'golf'], needs: ['wealth_management'] }),
  C3: customerSnapshot({ customerId: C3, segment: 'high_net_worth', aumCny: 7_000_000, riskLevel: null, city: '北京', homeBranchId: 'BJ-CY-001', ageBand: '45_54', lifecycleStage: 'mature', needs: ['wealth_management', 'family_trust'] }),
  C4: customerSnapshot({ customerId: C4, segment: 'private', aumCny: 40_000_000, riskLevel: 'C5', city: '广州', homeBranchId: 'GZ-TH-001', ageBand: null, lifecycleStage: 'mature', tags: ['golf'] }),
  C5: customerSnapshot({ customerId: C5, segment: 'mass', aumCny: 10_000, city: null, homeBranchId: null }),
  C6: customerSnapshot({ customerId: C6, segment: 'affluent', aumCny: 2_000_000 }),
};

const created = (s: CustomerMatchSnapshot, createdAt: string): PublishedEvent => ({
  contract: ProfileCreatedV2,
  source: 'profiles',
  occurredAt: new Date(createdAt),
  payload: { customerId: s.customerId, profileVersion: 1, origin: 'staff', snapshot: s, createdAt },
});
const updated = (s: CustomerMatchSnapshot, version: number, updatedAt: string): PublishedEvent => ({
  contract: ProfileUpdated,
  source: 'profiles',
  payload: { customerId: s.customerId, profileVersion: version, changedFields: ['aumCny'], snapshot: s, updatedAt },
});
const assigned = (customerId: string, managerId: string | null, previousManagerId: string | null, version: number, reason: 'incremental' | 'rebalance' | 'manual' | 'declined' | 'manager_left', changedAt: string, score: number | null = null, runId: string | null = null): PublishedEvent => ({
  contract: AssignmentChanged,
  source: 'matching',
  payload: { customerId, managerId, previousManagerId, assignmentVersion: version, reason, runId, score, changedAt },
});
const proposed = (proposalId: string, customerId: string, managerId: string, score: number, proposedAt: string, reason: 'incremental' | 'rebalance' = 'incremental', runId: string | null = null): PublishedEvent => ({
  contract: MatchProposed,
  source: 'matching',
  payload: { proposalId, customerId, managerId, previousManagerId: null, reason, runId, explanation: explanation(score), proposedAt },
});
const accepted = (proposalId: string, customerId: string, managerId: string, acceptedAt: string): PublishedEvent => ({
  contract: MatchAccepted,
  source: 'matching',
  payload: { proposalId, customerId, managerId, acceptedBy: managerId, explanation: explanation(50), acceptedAt },
});

const get = async (url: string, headers: Record<string, string> = bearer('admin')) => {
  const response = await h.app.inject({ method: 'GET', url, headers });
  return { status: response.statusCode, body: response.json() };
};

/** matching stand-in for the live board's probe: ready, and a rematch histogram that gains 100 observations per scrape. */
let scrapes = 0;
const matchingStandIn = createServer((request, response) => {
  if (request.url === '/health/ready') return void response.end('{"status":"ok"}');
  const n = scrapes++ * 100;
  response.setHeader('content-type', 'text/plain; version=0.0.4');
  response.end(
    [
      '# TYPE matching_rematch_duration_seconds histogram',
      `matching_rematch_duration_seconds_bucket{le="0.01",status="ok"} ${n * 0.5}`,
      `matching_rematch_duration_seconds_bucket{le="0.05",status="ok"} ${n * 0.9}`,
      `matching_rematch_duration_seconds_bucket{le="0.1",status="ok"} ${n}`,
      `matching_rematch_duration_seconds_bucket{le="+Inf",status="ok"} ${n}`,
      `matching_rematch_duration_seconds_count{status="ok"} ${n}`,
      `matching_rematch_duration_seconds_sum{status="ok"} ${n * 0.02}`,
      '',
    ].join('\n'),
  );
});

beforeAll(async () => {
  await new Promise<void>((resolve) => matchingStandIn.listen(0, '127.0.0.1', resolve));
  const { port } = matchingStandIn.address() as AddressInfo;
  await h.start({ LIVE_SERVICES: `matching=http://127.0.0.1:${port},identity=http://127.0.0.1:1`, LIVE_PROBE_INTERVAL_MS: '1000' });
  await h.publish(
    { contract: ManagerRegistered, source: 'managers', payload: { managerId: M1, managerVersion: 1, snapshot: managerSnapshot({ managerId: M1, userId: U1, capacity: 10, performance: { satisfaction: 4, retention: 0.9, aumGrowth: 0.1 } }), registeredAt: '2026-11-01T00:00:00.000Z' } },
    { contract: ManagerRegistered, source: 'managers', payload: { managerId: M2, managerVersion: 1, snapshot: managerSnapshot({ managerId: M2, capacity: 4, performance: { satisfaction: 5, retention: 0.7, aumGrowth: 0.3 } }), registeredAt: '2026-11-01T00:00:00.000Z' } },
    { contract: ManagerRegistered, source: 'managers', payload: { managerId: M3, managerVersion: 1, snapshot: managerSnapshot({ managerId: M3, branchId: 'BJ-CY-001', capacity: 5 }), registeredAt: '2026-11-01T00:00:00.000Z' } },
    { contract: ManagerCapacityChanged, source: 'managers', payload: { managerId: M3, managerVersion: 2, previousCapacity: 5, capacity: 8, snapshot: managerSnapshot({ managerId: M3, branchId: 'BJ-CY-001', capacity: 8 }), changedAt: '2026-11-01T01:00:00.000Z' } },
    { contract: UserRegistered, source: 'identity', payload: { userId: id(), username: 'newcustomer', role: 'customer', displayName: '新客户', email: null, phone: null, registeredAt: '2026-11-02T01:00:00.000Z' } },
    created(snapshots['C1'], '2026-11-02T02:00:00.000Z'),
    created(snapshots['C2'], '2026-11-02T20:00:00.000Z'), // 04:00 CST on 11-03
    // stale: not newer than version 1, ignored
    updated({ ...snapshots['C2'], segment: 'private' }, 1, '2026-11-02T21:00:00.000Z'),
    created(snapshots['C3'], '2026-11-10T03:00:00.000Z'),
    created(snapshots['C4'], '2026-11-10T04:00:00.000Z'),
    created(snapshots['C5'], C5_CREATED),
    created(snapshots['C6'], '2026-11-11T02:00:00.000Z'),
    updated({ ...snapshots['C1'], aumCny: 60_000 }, 2, '2026-11-05T02:00:00.000Z'),
    // C1 → M1, accepted after 2 h
    proposed(P1, C1, M1, 72.5, '2026-11-03T01:00:00.000Z'),
    assigned(C1, M1, null, 1, 'incremental', '2026-11-03T01:00:00.000Z', 72.5),
    accepted(P1, C1, M1, '2026-11-03T03:00:00.000Z'),
    // C2 → M1, declined; then → M2 (the acceptance seen before its proposal), accepted after 1 h
    proposed(P2, C2, M1, 55, '2026-11-03T02:00:00.000Z'),
    assigned(C2, M1, null, 1, 'incremental', '2026-11-03T02:00:00.000Z', 55),
    { contract: MatchRejected, source: 'matching', payload: { proposalId: P2, customerId: C2, managerId: M1, rejectedBy: M1, reason: 'not my segment', explanation: explanation(55), rejectedAt: '2026-11-04T02:00:00.000Z' } },
    assigned(C2, M2, M1, 2, 'declined', '2026-11-04T02:00:01.000Z', 65),
    accepted(P3, C2, M2, '2026-11-04T03:00:01.000Z'),
    proposed(P3, C2, M2, 65, '2026-11-04T02:00:01.000Z'),
    // C3 → M3 by rebalance run R1, still pending
    proposed(P4, C3, M3, 91, '2026-11-10T05:00:00.000Z', 'rebalance', R1),
    assigned(C3, M3, null, 1, 'rebalance', '2026-11-10T05:00:00.000Z', 91, R1),
    { contract: RebalanceCompleted, source: 'matching', payload: { runId: R1, mode: 'applied', customers: 4, moved: 1, unassigned: 1, totalScoreBefore: 200, totalScoreAfter: 260, durationMs: 1500, completedAt: '2026-11-10T05:00:00.000Z' } },
    // C4: M2 by hand, moved to M3 by hand, then left without a manager
    assigned(C4, M2, null, 1, 'manual', '2026-11-10T06:00:00.000Z', 40),
    assigned(C4, M3, M2, 2, 'manual', '2026-11-12T06:00:00.000Z', 45),
    assigned(C4, null, M3, 3, 'manager_left', C4_LEFT),
    // C6 → M1 by hand
    assigned(C6, M1, null, 1, 'manual', '2026-11-11T03:00:00.000Z', 60),
  );
  // A poison message: dead-lettered, and the feed carries on.
  await h.publishRaw(Topic.ProfilesCustomer, C5, '{not json');
  h.notRecorded += 1;
  await h.settled();
}, 120_000);

afterAll(async () => {
  await h.stop();
  matchingStandIn.close();
});

it('has migrations that create exactly the entities (no schema diff)', async () => {
  expect((await h.app.get(MikroORM).schema.getUpdateSchemaSQL({ wrap: false })).trim()).toBe('');
});

describe('customer distribution', () => {
  it('headline counters: customers, assigned, AUM, managers, proposals, runs', async () => {
    const { status, body } = await get('/api/analytics/overview');
    expect(status).toBe(200);
    // C4 and C5 have no manager; 4 proposals, P4 pending; M3's capacity 8 after the change
    expect(body).toMatchObject({ customers: 6, assignedCustomers: 4, aumCny: 49_870_000, managers: 3, load: 4, capacity: 22, proposals: 4, pendingProposals: 1, runs: 1 });
    const own = await get('/api/analytics/overview', bearer('manager', U1));
    expect(own.body).toMatchObject({ scope: { kind: 'manager', managerId: M1 }, customers: 2, assignedCustomers: 2, aumCny: 2_060_000, managers: 1, load: 2, proposals: 2, pendingProposals: 0, runs: null });
  });

  it('counts current customers per dimension value, with their AUM', async () => {
    const { status, body } = await get('/api/analytics/distribution?dimension=segment');
    expect(status).toBe(200);
    expect(body.customers).toBe(6);
    // C1 60 000 (updated) + C2 800 000 + C3 7 M + C4 40 M + C5 10 000 + C6 2 M
    expect(body.aumCny).toBe(49_870_000);
    expect(body.values).toEqual([
      { value: 'affluent', customers: 2, share: 0.3333, aumCny: 2_800_000 },
      { value: 'mass', customers: 2, share: 0.3333, aumCny: 70_000 },
      { value: 'high_net_worth', customers: 1, share: 0.1667, aumCny: 7_000_000 },
      { value: 'private', customers: 1, share: 0.1667, aumCny: 40_000_000 },
    ]);
  });

  it('derives AUM tiers, provinces, and counts tags and needs once per customer and value', async () => {
    const values = async (dimension: string) =>
      Object.fromEntries(((await get(`/api/analytics/distribution?dimension=${dimension}`)).body.values as Array<{ value: string; customers: number }>).map((v) => [v.value, v.customers]));
    expect(await values('aum_tier')).toEqual({ lt_50k: 1, '50k_500k': 1, '500k_1m': 1, '1m_6m': 1, '6m_30m': 1, gte_30m: 1 });
    expect(await values('province')).toEqual({ 上海: 2, 广东: 2, 北京: 1, unknown: 1 });
    expect(await values('tag')).toEqual({ young: 2, golf: 2 });
    expect(await values('need')).toEqual({ wealth_management: 2, deposits: 1, credit_card: 1, family_trust: 1 });
    expect(await values('risk_level')).toEqual({ C2: 3, C3: 1, C5: 1, unknown: 1 });
    expect(await values('age_band')).toEqual({ '25_34': 3, '35_44': 1, '45_54': 1, unknown: 1 });
    expect(await values('branch')).toEqual({ 'SH-PD-001': 2, 'SZ-FT-001': 1, 'BJ-CY-001': 1, 'GZ-TH-001': 1, unknown: 1 });
    expect(await values('lifecycle')).toEqual({ new: 3, growing: 1, mature: 2 });
    expect(await values('city')).toEqual({ 上海: 2, 深圳: 1, 北京: 1, 广州: 1, unknown: 1 });
  });

  it("gives a manager their own book (C1 and C6 are M1's) and an admin any manager's or branch's", async () => {
    const own = await get('/api/analytics/distribution?dimension=segment', bearer('manager', U1));
    expect(own.body.scope).toEqual({ kind: 'manager', managerId: M1 });
    expect(own.body.values.map((v: { value: string; customers: number }) => [v.value, v.customers])).toEqual([['affluent', 1], ['mass', 1]]);
    const m2 = await get(`/api/analytics/distribution?dimension=segment&managerId=${M2}`);
    expect(m2.body.values.map((v: { value: string }) => v.value)).toEqual(['affluent']);
    // SH-PD-001's managers are M1 and M2: C1, C6 and C2
    expect((await get('/api/analytics/distribution?dimension=segment&branchId=SH-PD-001')).body.customers).toBe(3);
  });
});

describe('match effectiveness', () => {
  const range = 'from=2026-11-01&to=2026-11-30';

  it('per manager: rates, time to accept, mean score and score bands', async () => {
    const { status, body } = await get(`/api/analytics/effectiveness?${range}&by=manager`);
    expect(status).toBe(200);
    const byKey = Object.fromEntries(body.groups.map((g: { key: string }) => [g.key, g]));
    expect(byKey[M1]).toMatchObject({ proposed: 2, accepted: 1, declined: 1, acceptanceRate: 0.5, declineRate: 0.5, meanTimeToAcceptSeconds: 7200, meanScore: 63.75 });
    expect(byKey[M1].scoreBands).toEqual([0, 0, 0, 0, 0, 1, 0, 1, 0, 0]);
    expect(byKey[M1].performance).toEqual({ satisfaction: 4, retention: 0.9, aumGrowth: 0.1, managers: 1 });
    // the acceptance arrived before its proposal: still one hour
    expect(byKey[M2]).toMatchObject({ proposed: 1, accepted: 1, declined: 0, acceptanceRate: 1, meanTimeToAcceptSeconds: 3600, meanScore: 65 });
    expect(byKey[M3]).toMatchObject({ proposed: 1, accepted: 0, declined: 0, acceptanceRate: null, meanTimeToAcceptSeconds: null, meanScore: 91 });
  });

  it('overall, per branch and per segment', async () => {
    const [overall] = (await get(`/api/analytics/effectiveness?${range}`)).body.groups;
    // 4 proposals, 2 accepted, 1 declined; (7200 + 3600) / 2; (72.5 + 55 + 65 + 91) / 4
    expect(overall).toMatchObject({ key: null, proposed: 4, accepted: 2, declined: 1, acceptanceRate: 0.6667, meanTimeToAcceptSeconds: 5400, meanScore: 70.875 });
    expect(overall.scoreBands).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 0, 1]);
    const branches = Object.fromEntries((await get(`/api/analytics/effectiveness?${range}&by=branch`)).body.groups.map((g: { key: string }) => [g.key, g]));
    // (72.5 + 55 + 65) / 3
    expect(branches['SH-PD-001']).toMatchObject({ proposed: 3, accepted: 2, declined: 1, meanScore: 64.1667, meanTimeToAcceptSeconds: 5400 });
    expect(branches['BJ-CY-001']).toMatchObject({ proposed: 1, meanScore: 91 });
    const segments = Object.fromEntries((await get(`/api/analytics/effectiveness?${range}&by=segment`)).body.groups.map((g: { key: string }) => [g.key, g]));
    expect(segments['mass']).toMatchObject({ proposed: 1, accepted: 1, declined: 0, meanTimeToAcceptSeconds: 7200 });
    expect(segments['affluent']).toMatchObject({ proposed: 2, accepted: 1, declined: 1, meanScore: 60, meanTimeToAcceptSeconds: 3600 });
    expect(segments['high_net_worth']).toMatchObject({ proposed: 1, accepted: 0, meanScore: 91 });
  });

  it('counts events on their own day: a range ending on 11-03 has P1 and P2 proposed, P1 accepted, no declines yet', async () => {
    const [g] = (await get('/api/analytics/effectiveness?from=2026-11-03&to=2026-11-03')).body.groups;
    expect(g).toMatchObject({ proposed: 2, accepted: 1, declined: 0, meanScore: 63.75 });
  });

  it('before and after each rebalance run', async () => {
    const { status, body } = await get(`/api/analytics/effectiveness/runs?${range}&windowDays=7`);
    expect(status).toBe(200);
    expect(body.runs).toHaveLength(1);
    expect(body.runs[0]).toMatchObject({
      runId: R1,
      mode: 'applied',
      moved: 1,
      unassigned: 1,
      meanScoreBefore: 50, // 200 / 4
      meanScoreAfter: 65, // 260 / 4
      proposals: { proposed: 1, accepted: 0, declined: 0, meanScore: 91 },
      // 11-03 … 11-09: P1, P2, P3 proposed; P1, P3 accepted; P2 declined
      before: { from: '2026-11-03', to: '2026-11-09', proposed: 3, accepted: 2, declined: 1, acceptanceRate: 0.6667, meanScore: 64.1667 },
      after: { from: '2026-11-10', to: '2026-11-16', proposed: 1, accepted: 0, declined: 0, acceptanceRate: null, meanScore: 91 },
    });
  });
});

describe('workload and fairness', () => {
  it('load against capacity, utilisation bands, Gini and CV per branch and overall', async () => {
    const { status, body } = await get('/api/analytics/workload');
    expect(status).toBe(200);
    const loads = Object.fromEntries(body.managers.map((m: { managerId: string; load: number; capacity: number; utilisation: number }) => [m.managerId, [m.load, m.capacity, m.utilisation]]));
    // M1: C1, C6; M2: C2 (C4 moved away); M3: C3 (C4 left); M3's capacity raised to 8
    expect(loads).toEqual({ [M1]: [2, 10, 0.2], [M2]: [1, 4, 0.25], [M3]: [1, 8, 0.125] });
    expect(body.utilisationBands).toMatchObject({ lt_25: 2, '25_50': 1, over_100: 0 });
    // loads 1, 1, 2: Gini = Σ(2i−n−1)x / (n Σx) = (−2·1 + 0·1 + 2·2) / (3·4) = 1/6; CV = sd / mean = 0.4714 / 1.3333
    expect(body.fairness.overall).toEqual({ managers: 3, load: 4, capacity: 22, gini: 0.1667, coefficientOfVariation: 0.3536 });
    // SH-PD-001: loads 2, 1 → Gini (−1·1 + 1·2) / (2·3) = 1/6, CV 0.5 / 1.5; BJ-CY-001: one manager → 0
    expect(body.fairness.branches).toEqual([
      { branchId: 'BJ-CY-001', managers: 1, load: 1, capacity: 8, gini: 0, coefficientOfVariation: 0 },
      { branchId: 'SH-PD-001', managers: 2, load: 3, capacity: 14, gini: 0.1667, coefficientOfVariation: 0.3333 },
    ]);
  });

  it("gives a manager their own load only, without the others' fairness figures", async () => {
    const { body } = await get('/api/analytics/workload', bearer('manager', U1));
    expect(body.managers).toHaveLength(1);
    expect(body.managers[0]).toMatchObject({ managerId: M1, load: 2, capacity: 10 });
    expect(body.fairness).toBeNull();
  });

  it('unassigned customers by reason and waiting time', async () => {
    const { status, body } = await get('/api/analytics/unassigned');
    expect(status).toBe(200);
    expect(body.customers).toBe(2);
    expect(body.byReason).toEqual([
      { reason: 'manager_left', customers: 1 },
      { reason: 'never_assigned', customers: 1 },
    ]);
    const bands = Object.fromEntries(body.byWaitingTime.map((b: { band: string; customers: number }) => [b.band, b.customers]));
    // C4 left two hours ago; C5 has waited since it joined
    const expected: Record<string, number> = { lt_1h: 0, '1h_24h': 0, '1d_7d': 0, '7d_30d': 0, gte_30d: 0 };
    expected['1h_24h'] += 1;
    expected[waitingBand((Date.now() - Date.parse(C5_CREATED)) / 3_600_000)] += 1;
    expect(bands).toEqual(expected);
  });
});

describe('growth trends', () => {
  const points = (body: { series: Array<{ series: string; points: Array<{ period: string; value: number }> }> }) =>
    Object.fromEntries(body.series.map((s) => [s.series, Object.fromEntries(s.points.filter((p) => p.value !== 0).map((p) => [p.period, p.value]))]));

  it('new customers per day, week and month by segment', async () => {
    const daily = await get('/api/analytics/trends?metric=new_customers&granularity=day&from=2026-11-01&to=2026-11-30');
    expect(daily.status).toBe(200);
    expect(points(daily.body)).toEqual({
      mass: { '2026-11-02': 1, '2026-11-11': 1 },
      affluent: { '2026-11-03': 1, '2026-11-11': 1 },
      high_net_worth: { '2026-11-10': 1 },
      private: { '2026-11-10': 1 },
    });
    expect(daily.body.series[0].points).toHaveLength(30);
    const weekly = await get('/api/analytics/trends?metric=new_customers&granularity=week&from=2026-11-02&to=2026-11-15');
    expect(points(weekly.body)).toEqual({ mass: { '2026-11-02': 1, '2026-11-09': 1 }, affluent: { '2026-11-02': 1, '2026-11-09': 1 }, high_net_worth: { '2026-11-09': 1 }, private: { '2026-11-09': 1 } });
    const monthly = await get('/api/analytics/trends?metric=new_customers&granularity=month&from=2026-10-01&to=2026-12-31');
    expect(points(monthly.body)).toEqual({ mass: { '2026-11': 2 }, affluent: { '2026-11': 2 }, high_net_worth: { '2026-11': 1 }, private: { '2026-11': 1 } });
  });

  it('AUM by segment is a stock, carried in from before the range', async () => {
    const { body } = await get('/api/analytics/trends?metric=aum&granularity=day&from=2026-11-04&to=2026-11-06');
    expect(body.kind).toBe('stock');
    // mass: C1's 30 000 since 11-02, raised to 60 000 on 11-05
    expect(points(body)['mass']).toEqual({ '2026-11-04': 30_000, '2026-11-05': 60_000, '2026-11-06': 60_000 });
    expect(points(body)['affluent']).toEqual({ '2026-11-04': 800_000, '2026-11-05': 800_000, '2026-11-06': 800_000 });
  });

  it('matches, reassignments (manual vs automatic) and declines, bank-wide and for a book', async () => {
    expect(points((await get('/api/analytics/trends?metric=matches&from=2026-11-01&to=2026-11-30')).body)).toEqual({ incremental: { '2026-11-03': 2, '2026-11-04': 1 }, rebalance: { '2026-11-10': 1 } });
    expect(points((await get('/api/analytics/trends?metric=reassignments&from=2026-11-01&to=2026-11-30')).body)).toEqual({ automatic: { '2026-11-04': 1 }, manual: { '2026-11-12': 1 } });
    expect(points((await get('/api/analytics/trends?metric=declines&from=2026-11-01&to=2026-11-30')).body)).toEqual({ all: { '2026-11-04': 1 } });
    expect(points((await get('/api/analytics/trends?metric=registrations&from=2026-11-01&to=2026-11-30')).body)).toEqual({ customer: { '2026-11-02': 1 } });
    const own = await get('/api/analytics/trends?metric=matches&from=2026-11-01&to=2026-11-30', bearer('manager', U1));
    expect(points(own.body)).toEqual({ incremental: { '2026-11-03': 2 } });
  });
});

describe('bad input and ownership', () => {
  it.each([
    ['/api/analytics/distribution?dimension=colour', 'dimension'],
    ['/api/analytics/distribution', 'dimension'],
    ['/api/analytics/trends?metric=profit&from=2026-11-01&to=2026-11-30', 'metric'],
    ['/api/analytics/trends?metric=matches&granularity=hour&from=2026-11-01&to=2026-11-30', 'granularity'],
    ['/api/analytics/trends?metric=matches&from=2026-11-30&to=2026-11-01', 'from'],
    ['/api/analytics/trends?metric=matches&from=2020-01-01&to=2026-11-30', 'to'],
    ['/api/analytics/trends?metric=matches&from=2026-02-30&to=2026-11-30', 'from'],
    ['/api/analytics/effectiveness?from=yesterday&to=2026-11-30', 'from'],
    ['/api/analytics/effectiveness?from=2026-11-01&to=2026-11-30&by=colour', 'by'],
    ['/api/analytics/effectiveness/runs?from=2026-11-01&to=2026-11-30&windowDays=0', 'windowDays'],
    ['/api/analytics/distribution?dimension=segment&managerId=nope', 'managerId'],
  ])('%s → 400 naming %s', async (url, field) => {
    const { status, body } = await get(url);
    expect(status).toBe(400);
    expect(body.message).toContain(field);
  });

  it('a weekly series may span ten years where a daily one may not', async () => {
    expect((await get('/api/analytics/trends?metric=matches&granularity=week&from=2020-01-01&to=2026-11-30')).status).toBe(200);
  });

  it.each([
    [`/api/analytics/distribution?dimension=segment&managerId=${M2}`, 'managerId'],
    ['/api/analytics/distribution?dimension=segment&branchId=SH-PD-001', 'branchId'],
    ['/api/analytics/trends?metric=new_customers&from=2026-11-01&to=2026-11-30', 'metric'],
    ['/api/analytics/unassigned', 'admin'],
    ['/api/analytics/effectiveness/runs?from=2026-11-01&to=2026-11-30', 'admin'],
  ])("a manager asking for %s → 403 naming %s", async (url, field) => {
    const { status, body } = await get(url, bearer('manager', U1));
    expect(status).toBe(403);
    expect(body.message).toContain(field);
  });

  it('refuses a manager without a linked record, a customer and a missing token', async () => {
    expect((await get('/api/analytics/overview', bearer('manager'))).status).toBe(403);
    expect((await get('/api/analytics/overview', bearer('customer'))).status).toBe(403);
    expect((await get('/api/analytics/overview', {})).status).toBe(401);
    expect((await get('/api/analytics/live', { ...bearer('admin'), 'last-event-id': 'abc' })).body.message).toContain('Last-Event-ID');
  });
});

describe('dead letters', () => {
  it("sends a poison message to the topic's dead-letter topic with the reason", async () => {
    const consumer = h.kafkaClient().consumer({ groupId: `${h.group}-dlq` });
    const seen: Array<{ value: string; reason: string }> = [];
    await consumer.connect();
    await consumer.subscribe({ topic: deadLetterTopic(testTopic(Topic.ProfilesCustomer)), fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void seen.push({ value: String(message.value), reason: String(message.headers?.['dlq-reason']) }) });
    await eventually('the dead letter', async () => seen.length > 0);
    await consumer.disconnect();
    expect(seen[0]).toEqual({ value: '{not json', reason: 'message value is not valid JSON' });
  });
});

describe('live stream', () => {
  let port: number;
  beforeAll(async () => {
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    port = (h.app.getHttpServer().address() as { port: number }).port;
  });

  /** Reads server-sent events until `until` is satisfied or the stream ends. */
  function readStream(token: string, until: (events: Array<{ event: string; data: Record<string, unknown> }>) => boolean, timeoutMs = 10_000) {
    return new Promise<{ status: number; headers: Record<string, unknown>; events: Array<{ event: string; data: Record<string, unknown> }>; ended: boolean }>((resolve, reject) => {
      const events: Array<{ event: string; data: Record<string, unknown> }> = [];
      const req = httpRequest({ host: '127.0.0.1', port, path: '/api/analytics/live', headers: { authorization: `Bearer ${token}` } }, (res) => {
        let buffer = '';
        const finish = (ended: boolean) => {
          clearTimeout(timer);
          req.destroy();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, events, ended });
        };
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (event && data) events.push({ event, data: JSON.parse(data) });
          }
          if (until(events)) finish(false);
        });
        res.on('end', () => finish(true));
      });
      const timer = setTimeout(() => {
        req.destroy();
        reject(new Error(`stream gave ${events.length} events in ${timeoutMs} ms`));
      }, timeoutMs);
      req.on('error', (e) => (e.message === 'socket hang up' ? undefined : reject(e)));
      req.end();
    });
  }

  it("pushes the bank's counters to an admin", async () => {
    const { status, headers, events } = await readStream(tokenFor('admin'), (e) => e.length >= 1);
    expect(status).toBe(200);
    expect(headers['content-type']).toContain('text/event-stream');
    const message = events[0].data as { totals: Record<string, number>; replay: unknown; consumerLag: unknown };
    expect(message.totals).toMatchObject({ ProfileCreated: 6, ProfileUpdated: 2, MatchProposed: 4, MatchAccepted: 2, MatchRejected: 1, RebalanceCompleted: 1 });
    expect(message.replay).not.toBeNull();
  });

  it("shows the services' readiness and matching's rematch latency from their own endpoints", async () => {
    const { events } = await readStream(tokenFor('admin'), (e) => e.some((x) => (x.data as { rematchLatencySeconds: unknown }).rematchLatencySeconds !== null), 15_000);
    const message = events[events.length - 1].data as { services: Array<{ service: string; ready: boolean }>; rematchLatencySeconds: Record<string, number> };
    expect(message.services.map(({ service, ready }) => ({ service, ready }))).toEqual([
      { service: 'matching', ready: true },
      { service: 'identity', ready: false },
    ]);
    // per scrape: 50 under 10 ms, 40 in (10, 50] ms, 10 in (50, 100] ms → p50 10 ms, p95 75 ms, p99 95 ms
    expect(message.rematchLatencySeconds.count).toBe(100);
    expect(message.rematchLatencySeconds.p50).toBeCloseTo(0.01, 10);
    expect(message.rematchLatencySeconds.p95).toBeCloseTo(0.075, 10);
    expect(message.rematchLatencySeconds.p99).toBeCloseTo(0.095, 10);
  });

  it("carries only a manager's own events in their stream", async () => {
    const { events } = await readStream(tokenFor('manager', U1), (e) => e.length >= 1);
    const message = events[0].data as { totals: Record<string, number>; replay: unknown; consumerLag: unknown };
    // P1, P2 proposed to M1; P1 accepted; P2 declined; C1, C2 to M1, C2 away from M1, C6 to M1; M1 registered
    expect(message.totals).toEqual({ ManagerRegistered: 1, MatchProposed: 2, MatchAccepted: 1, MatchRejected: 1, AssignmentChanged: 4 });
    expect(message.replay).toBeNull();
    expect(message.consumerLag).toBeNull();
  });

  it('ends the stream when the access token expires', async () => {
    const { events, ended } = await readStream(tokenFor('admin', id(), 2), (e) => e.some((x) => x.event === 'expired'), 8_000);
    expect(ended || events.some((x) => x.event === 'expired')).toBe(true);
    expect(events[events.length - 1].event).toBe('expired');
  });
});

describe('metrics', () => {
  it('exposes the feed and the headline figures at /metrics', async () => {
    const text = (await h.app.inject({ method: 'GET', url: '/metrics' })).body;
    // the value of the sample `name` carrying every label of `labels` (the registry adds service="analytics")
    const value = (name: string, labels: Record<string, string> = {}) => {
      const line = text.split('\n').find((l) => (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
      return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
    };
    expect(value('analytics_customers', { segment: 'mass' })).toBe(2);
    expect(value('analytics_customers', { segment: 'affluent' })).toBe(2);
    expect(value('analytics_customers_unassigned')).toBe(2);
    expect(value('analytics_proposals_pending')).toBe(1);
    expect(value('analytics_load_fairness', { measure: 'gini' })).toBeCloseTo(1 / 6, 10);
    expect(value('analytics_messages_consumed_total', { topic: testTopic(Topic.ProfilesCustomer), outcome: 'dead-lettered' })).toBe(1);
    expect(value('analytics_events_applied_total', { type: 'MatchProposed' })).toBe(4);
  });
});

describe('replay', () => {
  it('rebuilds read models equal to the live ones from the topics alone', async () => {
    const live = await h.snapshot();
    const figures = await get('/api/analytics/effectiveness?from=2026-11-01&to=2026-11-30&by=manager');
    // Damage the read models: a replay rebuilds from scratch, so nothing of this survives.
    await h.sql("update distribution_count set customers = customers + 100 where dimension = 'segment'");
    await h.sql('delete from manager_state');
    const started = await h.app.inject({ method: 'POST', url: '/api/analytics/replay?waitSeconds=60', headers: bearer('admin') });
    expect(started.statusCode).toBe(202);
    expect(started.json()).toMatchObject({ state: 'completed', eventsTotal: h.published, eventsDone: h.published, progress: 1 });
    await h.settled();
    expect(await h.snapshot()).toEqual(live);
    expect((await get('/api/analytics/effectiveness?from=2026-11-01&to=2026-11-30&by=manager')).body).toEqual(figures.body);
    expect((await get('/api/analytics/replay')).body.state).toBe('completed');
    expect((await h.app.inject({ method: 'POST', url: '/api/analytics/replay', headers: bearer('manager', U1) })).statusCode).toBe(403);
  });
});
