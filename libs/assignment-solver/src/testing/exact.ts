import type { AssignmentProblem } from '../lib/types';

/**
 * Exact optimum of a small unit-demand assignment problem by successive shortest paths
 * (Bellman–Ford on the residual graph) — test-only reference, O(n · V · A).
 * Network: source → bidder (1, 0); bidder → manager (1, −value); bidder → sink (1, −u);
 * manager → sink (capacity, 0). Returns the optimal objective (max).
 */
export function exactOptimum(p: AssignmentProblem): number {
  const n = p.bidders;
  const m = p.managers;
  const S = n + m;
  const T = n + m + 1;
  const V = n + m + 2;
  const to: number[] = [];
  const cap: number[] = [];
  const cost: number[] = [];
  const head: number[][] = Array.from({ length: V }, () => []);
  const add = (a: number, b: number, c: number, w: number): void => {
    head[a].push(to.length);
    to.push(b);
    cap.push(c);
    cost.push(w);
    head[b].push(to.length);
    to.push(a);
    cap.push(0);
    cost.push(-w);
  };
  const bonus = p.stabilityBonus ?? 0;
  const uOf = (i: number): number =>
    p.unassignedValue === undefined ? 0 : typeof p.unassignedValue === 'number' ? p.unassignedValue : p.unassignedValue[i];
  const { offsets, managers, scores } = p.candidates;
  for (let i = 0; i < n; i++) {
    add(S, i, 1, 0);
    add(i, T, 1, -uOf(i));
    let currentDone = false;
    for (let e = offsets[i]; e < offsets[i + 1]; e++) {
      const j = managers[e];
      let v = scores[e];
      if (!currentDone && p.current !== undefined && p.current[i] === j) {
        v += bonus;
        currentDone = true;
      }
      add(i, n + j, 1, -v);
    }
  }
  for (let j = 0; j < m; j++) add(n + j, T, p.capacity[j], 0);
  let total = 0;
  for (let unit = 0; unit < n; unit++) {
    const dist = new Array<number>(V).fill(Infinity);
    const via = new Array<number>(V).fill(-1);
    dist[S] = 0;
    for (let round = 0; round < V; round++) {
      let changed = false;
      for (let a = 0; a < V; a++) {
        if (dist[a] === Infinity) continue;
        for (const k of head[a]) {
          if (cap[k] > 0 && dist[a] + cost[k] < dist[to[k]] - 1e-12) {
            dist[to[k]] = dist[a] + cost[k];
            via[to[k]] = k;
            changed = true;
          }
        }
      }
      if (!changed) break;
    }
    if (dist[T] === Infinity) break;
    for (let x = T; x !== S; x = to[via[x] ^ 1]) {
      cap[via[x]]--;
      cap[via[x] ^ 1]++;
    }
    total += dist[T];
  }
  return -total;
}
