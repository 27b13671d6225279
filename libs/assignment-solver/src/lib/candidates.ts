import type { CandidateGraph } from './types';

/**
 * Groups items by an integer key into CSR form: `items[offsets[g] .. offsets[g + 1] - 1]` are the
 * items (in increasing index order) whose key is `g`. Items with a key outside 0 .. groups - 1 are
 * left out. Use it to pre-bucket managers by region / segment for `topKCandidates({ blocks })`.
 */
export function groupBy(keys: Int32Array, groups: number): { offsets: Int32Array; items: Int32Array } {
  const offsets = new Int32Array(groups + 1);
  for (let x = 0; x < keys.length; x++) {
    const g = keys[x];
    if (g >= 0 && g < groups) offsets[g + 1]++;
  }
  for (let g = 0; g < groups; g++) offsets[g + 1] += offsets[g];
  const fill = offsets.slice(0, groups);
  const items = new Int32Array(offsets[groups]);
  for (let x = 0; x < keys.length; x++) {
    const g = keys[x];
    if (g >= 0 && g < groups) items[fill[g]++] = x;
  }
  return { offsets, items };
}

/**
 * Scores `count` managers for one customer: write the score of `managers[t]` to `out[t]` for
 * t < count. Write NaN (or -Infinity) for a pair that is excluded by a hard constraint. Scoring a
 * whole row per call lets the scorer run a tight loop over its own typed arrays (feature vectors,
 * bit masks) instead of paying a callback per pair.
 */
export type RowScorer = (customer: number, managers: Int32Array, count: number, out: Float64Array) => void;

export interface TopKOptions {
  readonly customers: number;
  readonly managers: number;
  /** Candidates kept per customer (fewer when fewer managers are scorable). */
  readonly k: number;
  readonly scoreRow: RowScorer;
  /**
   * Blocking: only the managers of the customer's block are scored, e.g. block = region × segment
   * with the managers serving it (a manager may appear in several blocks). Without blocking every
   * manager is scored (O(n · m)).
   */
  readonly blocks?: {
    /** Block of every customer (length `customers`; -1 = score every manager). */
    readonly ofCustomer: Int32Array;
    /** Managers of each block in CSR form (see `groupBy`). */
    readonly offsets: Int32Array;
    readonly managers: Int32Array;
  };
  /**
   * A manager per customer (-1 = none) that is always kept when scorable, even outside the top k or
   * outside the block — typically the current manager, so that the stability bonus can apply.
   */
  readonly include?: Int32Array;
  /** Pairs scoring below this are dropped. Default: none. */
  readonly minScore?: number;
  /** Element type of the returned scores. Default 'float64'. */
  readonly scoreType?: 'float32' | 'float64';
  /** Customers [from, to) only (for chunked or parallel generation); the graph then has to − from rows. */
  readonly from?: number;
  readonly to?: number;
}

/**
 * Top-k managers per customer by score, with a bounded min-heap per customer: O(scored pairs ·
 * log k) time and O(n · k) memory for the result. Each customer's candidates come out by decreasing
 * score, ties by manager index (deterministic). The included manager (if any) is added as a (k+1)-th
 * candidate when it did not make the top k.
 */
export function topKCandidates(options: TopKOptions): CandidateGraph {
  const { customers, managers: m, k, scoreRow, blocks, include } = options;
  const from = options.from ?? 0;
  const to = options.to ?? customers;
  if (!(k >= 1)) throw new RangeError(`k must be ≥ 1, got ${k}`);
  const minScore = options.minScore ?? -Infinity;
  const rows = to - from;
  const perRow = k + (include !== undefined ? 1 : 0);
  const offsets = new Int32Array(rows + 1);
  let outManagers = new Int32Array(rows * Math.min(perRow, m));
  let outScores: Float64Array | Float32Array =
    options.scoreType === 'float32' ? new Float32Array(outManagers.length) : new Float64Array(outManagers.length);

  const all = new Int32Array(m);
  for (let j = 0; j < m; j++) all[j] = j;
  let scratch = new Float64Array(Math.max(1, m));
  const heapScore = new Float64Array(k);
  const heapMgr = new Int32Array(k);
  const one = new Int32Array(1);
  const oneOut = new Float64Array(1);
  let w = 0;

  for (let c = from; c < to; c++) {
    let list: Int32Array = all;
    let lo = 0;
    let hi = m;
    if (blocks !== undefined) {
      const b = blocks.ofCustomer[c];
      if (b >= 0) {
        list = blocks.managers;
        lo = blocks.offsets[b];
        hi = blocks.offsets[b + 1];
      }
    }
    const count = hi - lo;
    if (count > scratch.length) scratch = new Float64Array(count);
    const view = lo === 0 ? list : list.subarray(lo, hi);
    scoreRow(c, view, count, scratch);

    // Bounded min-heap (root = weakest kept: lowest score, then highest manager index).
    let size = 0;
    for (let t = 0; t < count; t++) {
      const s = scratch[t];
      if (!(s >= minScore)) continue; // also drops NaN
      const j = view[t];
      if (size < k) {
        let x = size++;
        while (x > 0) {
          const p = (x - 1) >> 1;
          if (weaker(heapScore[p], heapMgr[p], s, j)) break;
          heapScore[x] = heapScore[p];
          heapMgr[x] = heapMgr[p];
          x = p;
        }
        heapScore[x] = s;
        heapMgr[x] = j;
      } else if (weaker(heapScore[0], heapMgr[0], s, j)) {
        let x = 0;
        for (;;) {
          let ch = 2 * x + 1;
          if (ch >= size) break;
          if (ch + 1 < size && weaker(heapScore[ch + 1], heapMgr[ch + 1], heapScore[ch], heapMgr[ch])) ch++;
          if (weaker(s, j, heapScore[ch], heapMgr[ch])) break;
          heapScore[x] = heapScore[ch];
          heapMgr[x] = heapMgr[ch];
          x = ch;
        }
        heapScore[x] = s;
        heapMgr[x] = j;
      }
    }

    // Pop into the output slots from the back: decreasing score.
    const need = w + size + 1;
    if (need > outManagers.length) {
      const grow = Math.max(need, outManagers.length * 2);
      const nm = new Int32Array(grow);
      nm.set(outManagers);
      outManagers = nm;
      const ns = outScores instanceof Float32Array ? new Float32Array(grow) : new Float64Array(grow);
      ns.set(outScores);
      outScores = ns;
    }
    const filled = size;
    let inTop = false;
    const inc = include !== undefined ? include[c] : -1;
    for (let t = size - 1; t >= 0; t--) {
      outScores[w + t] = heapScore[0];
      outManagers[w + t] = heapMgr[0];
      if (heapMgr[0] === inc) inTop = true;
      const last = --size;
      if (last > 0) {
        const s = heapScore[last];
        const j = heapMgr[last];
        let x = 0;
        for (;;) {
          let ch = 2 * x + 1;
          if (ch >= last) break;
          if (ch + 1 < last && weaker(heapScore[ch + 1], heapMgr[ch + 1], heapScore[ch], heapMgr[ch])) ch++;
          if (weaker(s, j, heapScore[ch], heapMgr[ch])) break;
          heapScore[x] = heapScore[ch];
          heapMgr[x] = heapMgr[ch];
          x = ch;
        }
        heapScore[x] = s;
        heapMgr[x] = j;
      }
    }
    w += filled;
    if (inc >= 0 && !inTop) {
      one[0] = inc;
      scoreRow(c, one, 1, oneOut);
      if (oneOut[0] >= minScore) {
        outManagers[w] = inc;
        outScores[w] = oneOut[0];
        w++;
      }
    }
    offsets[c - from + 1] = w;
  }
  return {
    offsets,
    managers: w === outManagers.length ? outManagers : outManagers.slice(0, w),
    scores: w === outScores.length ? outScores : outScores.slice(0, w),
  };
}

/** True when (s1, j1) ranks below (s2, j2): lower score, or equal score and higher manager index. */
function weaker(s1: number, j1: number, s2: number, j2: number): boolean {
  return s1 < s2 || (s1 === s2 && j1 > j2);
}
