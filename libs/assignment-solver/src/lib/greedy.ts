import { evaluatePrepared, prepareProblem, validateProblem } from './problem';
import type { AssignmentProblem, AssignmentResult, GreedyOptions } from './types';

/**
 * Best edge first: visit all candidate edges by decreasing value (score + stability bonus for the
 * current manager; ties by edge order) and take an edge when its bidder is still free, the manager
 * has room for the bidder's demand and the value beats staying unassigned. O(E) bucket sort plus a
 * sort inside each bucket. No optimality guarantee — it is the baseline the auction is measured
 * against (typically a few % below the optimum, and it strands bidders whose few candidates fill up
 * early).
 */
export function solveGreedy(problem: AssignmentProblem, options: GreedyOptions = {}): AssignmentResult {
  const started = performance.now();
  if (options.validate !== false) validateProblem(problem);
  const pp = prepareProblem(problem);
  const { n, m, offsets, managers, scores, capacity, currentEdge, bonus, unassignedValue, demand } = pp;
  const edges = offsets[n];

  const value = new Float64Array(edges);
  const bidderOf = new Int32Array(edges);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const ce = currentEdge[i];
    for (let e = offsets[i], end = offsets[i + 1]; e < end; e++) {
      const v = scores[e] + (e === ce ? bonus : 0);
      value[e] = v;
      bidderOf[e] = i;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }

  // Bucket sort by decreasing value, then exact order inside each bucket.
  const buckets = Math.max(1, Math.min(edges, 1 << 23)); // ~1 edge per bucket: the final sorts are tiny
  const scale = hi > lo ? (buckets - 1) / (hi - lo) : 0;
  const start = new Int32Array(buckets + 1);
  const key = new Int32Array(edges);
  for (let e = 0; e < edges; e++) {
    const k = Math.floor((hi - value[e]) * scale);
    key[e] = k;
    start[k + 1]++;
  }
  for (let b = 0; b < buckets; b++) start[b + 1] += start[b];
  const order = new Int32Array(edges);
  const fill = start.slice(0, buckets);
  for (let e = 0; e < edges; e++) order[fill[key[e]]++] = e;
  for (let b = 0; b < buckets; b++) {
    const s = start[b];
    const t = start[b + 1];
    if (t - s < 2) continue;
    if (t - s <= 32) {
      for (let x = s + 1; x < t; x++) {
        const e = order[x];
        const v = value[e];
        let y = x - 1;
        while (y >= s && (value[order[y]] < v || (value[order[y]] === v && order[y] > e))) {
          order[y + 1] = order[y];
          y--;
        }
        order[y + 1] = e;
      }
    } else {
      order.subarray(s, t).sort((a, b2) => value[b2] - value[a] || a - b2);
    }
  }

  const assignment = new Int32Array(n).fill(-1);
  const used = new Int32Array(m);
  for (let x = 0; x < edges; x++) {
    const e = order[x];
    const i = bidderOf[e];
    if (assignment[i] >= 0) continue;
    const j = managers[e];
    const d = demand === null ? 1 : demand[i];
    if (used[j] + d > capacity[j]) continue;
    if (!(value[e] > unassignedValue[i])) continue;
    assignment[i] = j;
    used[j] += d;
  }

  const evaluation = evaluatePrepared(pp, assignment);
  return {
    method: 'greedy',
    assignment,
    ...evaluation,
    counters: { bids: 0, evictions: 0, phases: 0, reverseSteps: 0 },
    timeMs: performance.now() - started,
  };
}
