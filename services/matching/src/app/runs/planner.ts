import type { CustomerMatchSnapshot } from '@relationship/contracts';
import { compileManagers, scoreRowCompiled, type ManagerLoad } from '@relationship/match-scoring';
import { groupBy, solveAuction, topKCandidates } from '@relationship/assignment-solver';
import type { ManagerState } from '../read-models/snapshot-store';

export interface PlanCustomer {
  snapshot: CustomerMatchSnapshot;
  currentManagerId: string | null;
  version: number;
}

export interface PlanInput {
  customers: PlanCustomer[];
  /** Every manager matching knows, with their load (including customers outside the run's scope). */
  managers: ManagerState[];
  /** Load of each manager that stays put whatever the run decides (customers outside the scope, pinned ones). */
  fixedLoad: Map<string, number>;
  stabilityThreshold: number;
  candidatesPerCustomer: number;
  /** Final ε of the auction (see AUCTION_EPSILON). */
  epsilon?: number;
  /**
   * The scores are the rule score alone (no learned model active): then pairs are scored by the compiled rule scorer,
   * which gives the same numbers as `score` without building explanations (several times faster).
   */
  rulesOnly?: boolean;
  /** score(customer, manager, load) → 0–100, or NaN when the pair is excluded. */
  score: (customer: CustomerMatchSnapshot, manager: ManagerState['snapshot'], load: ManagerLoad) => number;
}

export interface PlannedMove {
  customerId: string;
  fromManagerId: string | null;
  toManagerId: string | null;
  fromVersion: number;
  scoreBefore: number | null;
  scoreAfter: number | null;
}

export interface SideMetrics {
  totalScore: number;
  meanScore: number;
  assigned: number;
  unassigned: number;
  /** Standard deviation of managers' utilisation (assigned / capacity) over active managers: lower is more even. */
  loadStdDev: number;
  maxUtilisation: number;
}

export interface PlanMetrics {
  customers: number;
  moved: number;
  before: SideMetrics;
  after: SideMetrics;
  solver: { method: string; timeMs: number; candidateTimeMs: number; edges: number; relativeGap: number | null };
}

export interface Plan {
  moves: PlannedMove[];
  metrics: PlanMetrics;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Plans a global rebalance: top-k candidate managers per customer (scored with the same scorer as everything else,
 * blocked by city when a city has enough managers), then an exact-within-ε capacity-constrained auction with the
 * stability bonus on each customer's current manager. Pure: nothing is written.
 */
export function planRebalance(input: PlanInput): Plan {
  const { customers, managers } = input;
  const managerIndex = new Map(managers.map((m, j) => [m.snapshot.managerId, j]));
  const capacity = new Int32Array(managers.length);
  managers.forEach((m, j) => {
    capacity[j] = Math.max(0, m.snapshot.capacity - (input.fixedLoad.get(m.snapshot.managerId) ?? 0));
  });
  const current = new Int32Array(customers.length).fill(-1);
  customers.forEach((c, i) => {
    if (c.currentManagerId !== null) current[i] = managerIndex.get(c.currentManagerId) ?? -1;
  });

  // Loads as scoring sees them: never "full" here, because the solver itself enforces capacity.
  const scoringLoad: ManagerLoad[] = managers.map((m) => ({ assigned: Math.max(0, Math.min(m.load.assigned, m.snapshot.capacity - 1)) }));
  const cityOf = new Map<string, number>();
  const managerCity = new Int32Array(managers.map((m) => (m.snapshot.city ? cityId(cityOf, m.snapshot.city) : -1)));
  const blocks = groupBy(managerCity, cityOf.size);
  const k = input.candidatesPerCustomer;
  const ofCustomer = new Int32Array(
    customers.map((c) => {
      const city = c.snapshot.city ? cityOf.get(c.snapshot.city) : undefined;
      return city !== undefined && blocks.offsets[city + 1] - blocks.offsets[city] >= k ? city : -1;
    }),
  );

  const compiled = input.rulesOnly ? compileManagers(managers.map((m) => m.snapshot), scoringLoad) : null;
  const started = performance.now();
  const candidates = topKCandidates({
    customers: customers.length,
    managers: managers.length,
    k,
    blocks: { ofCustomer, offsets: blocks.offsets, managers: blocks.items },
    include: current,
    scoreRow: (i, list, count, out) => {
      const customer = customers[i].snapshot;
      if (compiled) return scoreRowCompiled(compiled, customer, list, count, out);
      for (let t = 0; t < count; t++) {
        const j = list[t];
        out[t] = input.score(customer, managers[j].snapshot, scoringLoad[j]);
      }
    },
  });
  const candidateTimeMs = performance.now() - started;
  const result = solveAuction({
    bidders: customers.length,
    managers: managers.length,
    capacity,
    candidates,
    current,
    stabilityBonus: input.stabilityThreshold,
  }, input.epsilon !== undefined ? { epsilon: input.epsilon } : {});

  const scoreOf = (i: number, j: number): number | null => {
    if (j < 0) return null;
    for (let e = candidates.offsets[i]; e < candidates.offsets[i + 1]; e++) if (candidates.managers[e] === j) return candidates.scores[e];
    return null;
  };
  const moves: PlannedMove[] = [];
  const beforeScores: number[] = [];
  const afterScores: number[] = [];
  const loadBefore = new Int32Array(managers.length);
  const loadAfter = new Int32Array(managers.length);
  customers.forEach((c, i) => {
    const before = scoreOf(i, current[i]);
    const to = result.assignment[i];
    const after = scoreOf(i, to);
    if (current[i] >= 0) loadBefore[current[i]]++;
    if (to >= 0) loadAfter[to]++;
    if (before !== null) beforeScores.push(before);
    if (after !== null) afterScores.push(after);
    if (to !== current[i]) {
      moves.push({
        customerId: c.snapshot.customerId,
        fromManagerId: c.currentManagerId,
        toManagerId: to >= 0 ? managers[to].snapshot.managerId : null,
        fromVersion: c.version,
        scoreBefore: before === null ? null : round2(before),
        scoreAfter: after === null ? null : round2(after),
      });
    }
  });
  const side = (scores: number[], load: Int32Array, assigned: number): SideMetrics => {
    const utilisation = managers
      .map((m, j) => ({ m, j }))
      .filter(({ m }) => m.snapshot.availability === 'active' && m.snapshot.capacity > 0)
      .map(({ m, j }) => (load[j] + (input.fixedLoad.get(m.snapshot.managerId) ?? 0)) / m.snapshot.capacity);
    const mean = utilisation.reduce((a, b) => a + b, 0) / Math.max(1, utilisation.length);
    const variance = utilisation.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, utilisation.length);
    const total = scores.reduce((a, b) => a + b, 0);
    return {
      totalScore: round2(total),
      meanScore: round2(total / Math.max(1, scores.length)),
      assigned,
      unassigned: customers.length - assigned,
      loadStdDev: Math.round(Math.sqrt(variance) * 10_000) / 10_000,
      maxUtilisation: Math.round(Math.max(0, ...utilisation) * 10_000) / 10_000,
    };
  };
  return {
    moves,
    metrics: {
      customers: customers.length,
      moved: moves.length,
      before: side(beforeScores, loadBefore, customers.filter((c) => c.currentManagerId !== null).length),
      after: side(afterScores, loadAfter, result.assigned),
      solver: {
        method: result.method,
        timeMs: Math.round(result.timeMs),
        candidateTimeMs: Math.round(candidateTimeMs),
        edges: candidates.managers.length,
        relativeGap: result.relativeGap ?? null,
      },
    },
  };
}

function cityId(ids: Map<string, number>, city: string): number {
  let id = ids.get(city);
  if (id === undefined) {
    id = ids.size;
    ids.set(city, id);
  }
  return id;
}
