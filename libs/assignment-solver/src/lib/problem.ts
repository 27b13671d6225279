import type { AssignmentProblem } from './types';

/** Thrown for a malformed problem (wrong lengths, out-of-range indices, non-finite values). */
export class InvalidProblemError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidProblemError';
  }
}

/** Checks shapes and ranges in O(n + m + edges); throws `InvalidProblemError`. */
export function validateProblem(p: AssignmentProblem): void {
  const n = p.bidders;
  const m = p.managers;
  if (!Number.isInteger(n) || n < 0) throw new InvalidProblemError(`bidders must be an integer ≥ 0, got ${n}`);
  if (!Number.isInteger(m) || m < 0) throw new InvalidProblemError(`managers must be an integer ≥ 0, got ${m}`);
  if (p.capacity.length !== m) throw new InvalidProblemError(`capacity has length ${p.capacity.length}, expected ${m}`);
  for (let j = 0; j < m; j++) {
    if (p.capacity[j] < 0) throw new InvalidProblemError(`capacity[${j}] = ${p.capacity[j]} < 0`);
  }
  const { offsets, managers, scores } = p.candidates;
  if (offsets.length !== n + 1) throw new InvalidProblemError(`offsets has length ${offsets.length}, expected ${n + 1}`);
  if (offsets[0] !== 0) throw new InvalidProblemError('offsets[0] must be 0');
  for (let i = 0; i < n; i++) {
    if (offsets[i + 1] < offsets[i]) throw new InvalidProblemError(`offsets decrease at bidder ${i}`);
  }
  const edges = offsets[n];
  if (managers.length < edges || scores.length < edges) {
    throw new InvalidProblemError(`offsets[n] = ${edges} but managers/scores hold ${managers.length}/${scores.length}`);
  }
  for (let e = 0; e < edges; e++) {
    const j = managers[e];
    if (j < 0 || j >= m) throw new InvalidProblemError(`edge ${e}: manager ${j} out of range`);
    if (!Number.isFinite(scores[e])) throw new InvalidProblemError(`edge ${e}: score ${scores[e]} is not finite`);
  }
  if (p.current !== undefined) {
    if (p.current.length !== n) throw new InvalidProblemError(`current has length ${p.current.length}, expected ${n}`);
    for (let i = 0; i < n; i++) {
      const c = p.current[i];
      if (c < -1 || c >= m) throw new InvalidProblemError(`current[${i}] = ${c} out of range`);
    }
  }
  if (p.stabilityBonus !== undefined && !(Number.isFinite(p.stabilityBonus) && p.stabilityBonus >= 0)) {
    throw new InvalidProblemError(`stabilityBonus must be a finite number ≥ 0, got ${p.stabilityBonus}`);
  }
  const u = p.unassignedValue;
  if (typeof u === 'number') {
    if (!Number.isFinite(u)) throw new InvalidProblemError('unassignedValue must be finite');
  } else if (u !== undefined) {
    if (u.length !== n) throw new InvalidProblemError(`unassignedValue has length ${u.length}, expected ${n}`);
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(u[i])) throw new InvalidProblemError(`unassignedValue[${i}] is not finite`);
    }
  }
  if (p.demand !== undefined) {
    if (p.demand.length !== n) throw new InvalidProblemError(`demand has length ${p.demand.length}, expected ${n}`);
    for (let i = 0; i < n; i++) {
      if (p.demand[i] < 1) throw new InvalidProblemError(`demand[${i}] = ${p.demand[i]} < 1`);
    }
  }
}

/** The problem with defaults resolved into flat typed arrays, shared by the solvers. */
export interface PreparedProblem {
  readonly n: number;
  readonly m: number;
  readonly offsets: Int32Array;
  readonly managers: Int32Array;
  readonly scores: Float64Array | Float32Array;
  readonly capacity: Int32Array;
  /** Edge index of the bidder's current manager among its candidates, -1 if none. */
  readonly currentEdge: Int32Array;
  readonly bonus: number;
  readonly unassignedValue: Float64Array;
  /** `null` when every demand is 1. */
  readonly demand: Int32Array | null;
  /**
   * Every bidder's candidates are listed by non-increasing score (as `topKCandidates` returns them).
   * Since prices are ≥ 0, a scan for the best two options can then stop at the first score that is
   * not above the second-best value found so far.
   */
  readonly sortedRows: boolean;
}

export function prepareProblem(p: AssignmentProblem): PreparedProblem {
  const n = p.bidders;
  const { offsets, managers, scores } = p.candidates;
  const currentEdge = new Int32Array(n).fill(-1);
  const bonus = p.stabilityBonus ?? 0;
  if (p.current !== undefined) {
    const cur = p.current;
    for (let i = 0; i < n; i++) {
      const c = cur[i];
      if (c < 0) continue;
      for (let e = offsets[i], end = offsets[i + 1]; e < end; e++) {
        if (managers[e] === c) {
          currentEdge[i] = e;
          break;
        }
      }
    }
  }
  const unassignedValue = new Float64Array(n);
  const u = p.unassignedValue;
  if (typeof u === 'number') unassignedValue.fill(u);
  else if (u !== undefined) unassignedValue.set(u);
  let demand: Int32Array | null = null;
  if (p.demand !== undefined) {
    for (let i = 0; i < n; i++) {
      if (p.demand[i] !== 1) {
        demand = p.demand;
        break;
      }
    }
  }
  let sortedRows = true;
  for (let i = 0; i < n && sortedRows; i++) {
    for (let e = offsets[i] + 1, end = offsets[i + 1]; e < end; e++) {
      if (scores[e] > scores[e - 1]) {
        sortedRows = false;
        break;
      }
    }
  }
  return {
    n,
    m: p.managers,
    offsets,
    managers,
    scores,
    capacity: p.capacity,
    currentEdge,
    bonus,
    unassignedValue,
    demand,
    sortedRows,
  };
}

export interface Evaluation {
  readonly totalScore: number;
  readonly objective: number;
  readonly assigned: number;
  readonly unassigned: number;
  readonly kept: number;
  readonly load: Int32Array;
}

/**
 * Recomputes the value of an assignment from scratch and checks it: every assigned manager must be
 * one of the bidder's candidates and no capacity may be exceeded (throws otherwise).
 */
export function evaluateAssignment(problem: AssignmentProblem, assignment: Int32Array): Evaluation {
  return evaluatePrepared(prepareProblem(problem), assignment);
}

export function evaluatePrepared(pp: PreparedProblem, assignment: Int32Array): Evaluation {
  const { n, m, offsets, managers, scores, currentEdge, bonus, unassignedValue, demand, capacity } = pp;
  if (assignment.length !== n) throw new Error(`assignment has length ${assignment.length}, expected ${n}`);
  const load = new Int32Array(m);
  let totalScore = 0;
  let extra = 0;
  let assigned = 0;
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const j = assignment[i];
    if (j < 0) {
      extra += unassignedValue[i];
      continue;
    }
    let edge = -1;
    const ce = currentEdge[i];
    if (ce >= 0 && managers[ce] === j) edge = ce;
    else {
      for (let e = offsets[i], end = offsets[i + 1]; e < end; e++) {
        if (managers[e] === j && (edge < 0 || scores[e] > scores[edge])) edge = e;
      }
    }
    if (edge < 0) throw new Error(`bidder ${i} is assigned to manager ${j}, which is not one of its candidates`);
    totalScore += scores[edge];
    if (edge === ce) {
      extra += bonus;
      kept++;
    }
    assigned++;
    load[j] += demand === null ? 1 : demand[i];
  }
  for (let j = 0; j < m; j++) {
    if (load[j] > capacity[j]) throw new Error(`manager ${j} holds ${load[j]} units, capacity ${capacity[j]}`);
  }
  return { totalScore, objective: totalScore + extra, assigned, unassigned: n - assigned, kept, load };
}

/**
 * Upper bound on the optimum from any prices p ≥ 0 (weak LP duality, valid for any demands):
 * Σ_j capacity_j · p_j + Σ_i max(u_i, max_j (value_ij − demand_i · p_j)).
 * Managers with capacity 0 contribute nothing and are never worth anything to a bidder.
 */
export function dualBound(pp: PreparedProblem, prices: Float64Array): number {
  const { n, m, offsets, managers, scores, currentEdge, bonus, unassignedValue, demand, capacity } = pp;
  let bound = 0;
  for (let j = 0; j < m; j++) {
    if (capacity[j] > 0) bound += capacity[j] * prices[j];
  }
  for (let i = 0; i < n; i++) {
    const d = demand === null ? 1 : demand[i];
    let best = unassignedValue[i];
    const ce = currentEdge[i];
    for (let e = offsets[i], end = offsets[i + 1]; e < end; e++) {
      const j = managers[e];
      if (capacity[j] <= 0) continue;
      const v = scores[e] + (e === ce ? bonus : 0) - d * prices[j];
      if (v > best) best = v;
    }
    bound += best;
  }
  return bound;
}
