import { dualBound, evaluatePrepared, prepareProblem, validateProblem } from './problem';
import type { PreparedProblem } from './problem';
import type { AssignmentProblem, AssignmentResult, AuctionOptions } from './types';

/**
 * Capacitated assignment by the auction algorithm (Bertsekas), forward bidding with a multilevel
 * warm start and a batched reverse repair.
 *
 * Prices and ε-CS. Every manager j has one price p_j per unit of capacity. Bidder i values j at
 * v_ij = score_ij (+ stabilityBonus if j is its current manager) − d_i · p_j and values staying
 * unassigned at u_i. Forward bidding (Gauss–Seidel, FIFO queue of unassigned bidders): a bidder
 * takes its best option; if that is a manager it bids up to the level where that manager is only ε
 * better than its second-best option. A manager holds the highest bids that fit its capacity in a
 * min-heap; while it has spare capacity its price stays at its floor, once full its price is its
 * lowest held bid and a higher bid evicts that holder (who bids again). Prices only rise while
 * bidding, so every assigned bidder stays within ε of its best option (ε-complementary slackness).
 *
 * Cold start (small problems, and the smallest sample): one forward phase at the final ε from zero
 * prices. Optional ε-scaling (`epsilonStart` > `epsilon`): ε is divided by `scalingFactor` per phase;
 * between phases prices and assignments are kept and only the bidders that violate ε-CS for the new
 * ε bid again. On these problems it saves bids but leaves capacity at stale prices for the reverse
 * repair, which costs more than it saves, hence off by default.
 *
 * Warm start (more than `sampleAbove` bidders): the prices come from the same auction on a
 * deterministic 1/`sampleRatio` sample of the bidders, each manager's capacity scaled by the sampled
 * share of its own candidate bidders (recursively: 1M → 125k → 16k). Per-unit prices of a
 * representative sample are close to the full problem's; lowered by `warmStartMargin` they are
 * mostly under-estimates, so a single forward phase at the final ε needs only a few bids per bidder.
 *
 * Reverse repair. Forward bidding can leave a manager with spare capacity at a positive price (an
 * over-estimated warm price, or capacity freed between ε phases); optimality needs p_j = 0 there.
 * The reverse auction of Bertsekas, Castañon & Tsaknakis fixes it: the manager lowers its price to
 * just keep every other bidder within ε and takes the bidders that gain most by joining (possibly
 * freeing a unit elsewhere, which is repaired next). It runs in rounds: one sweep finds, for every
 * such manager at once, its best outsiders (β_i = value_ij − profit_i), then each manager applies
 * its step. Every move raises a bidder's profit by ≥ ε, so it ends. Afterwards, with unit demands,
 * ε-CS holds everywhere and every manager with spare capacity has price 0, hence
 *
 *     optimum ≤ dual(p) ≤ objective + n · ε          (`epsilonBound` = n · ε)
 *
 * and the certified `dualBound` (weak LP duality at the final prices) is usually far tighter.
 *
 * Demands > 1 (households as one bidder): the same bidding with per-unit prices; a bid evicts the
 * lowest holders until the bidder fits, and households are not moved by the reverse repair. This is
 * a heuristic for what is then a generalized assignment problem (NP-hard): capacities are still
 * never exceeded and `dualBound` is still a valid certificate, but the n · ε guarantee is not
 * claimed (`epsilonBound` is undefined) and there is no warm start.
 */
export function solveAuction(problem: AssignmentProblem, options: AuctionOptions = {}): AssignmentResult {
  const started = performance.now();
  if (options.validate !== false) validateProblem(problem);
  const pp = prepareProblem(problem);
  const epsFinal = options.epsilon ?? 0.01;
  if (!(epsFinal > 0)) throw new RangeError(`epsilon must be > 0, got ${epsFinal}`);
  const factor = options.scalingFactor ?? 6;
  if (!(factor > 1)) throw new RangeError(`scalingFactor must be > 1, got ${factor}`);
  const epsStart = Math.max(epsFinal, options.epsilonStart ?? epsFinal);
  const maxBids = options.maxBids ?? 200 * pp.n + 1_000_000;

  const cfg: CoreConfig = {
    epsStart,
    epsFinal,
    factor,
    maxBids,
    sampleAbove: options.sampleAbove ?? 20_000,
    sampleRatio: options.sampleRatio ?? 8,
    warmMargin: options.warmStartMargin ?? 0.05 * scoreScale(pp),
  };
  const { state, converged, eps, levels } = auctionCore(pp, cfg);
  let bids = state.bids;
  let evictions = state.evictions;
  for (const l of levels) {
    bids += l.bids;
    evictions += l.evictions;
  }

  const evaluation = evaluatePrepared(pp, state.assign);
  const bound = dualBound(pp, state.price);
  const gap = Math.max(0, bound - evaluation.objective);
  return {
    method: 'auction',
    assignment: state.assign,
    ...evaluation,
    counters: {
      bids,
      evictions,
      phases: state.phases,
      reverseSteps: state.reverseSteps,
    },
    timeMs: performance.now() - started,
    epsilon: eps,
    epsilonBound: pp.demand === null && converged ? pp.n * eps : undefined,
    prices: state.price,
    dualBound: bound,
    gap,
    relativeGap: bound !== 0 ? gap / Math.abs(bound) : 0,
  };
}

interface CoreConfig {
  readonly epsStart: number;
  readonly epsFinal: number;
  readonly factor: number;
  readonly maxBids: number;
  readonly sampleAbove: number;
  readonly sampleRatio: number;
  readonly warmMargin: number;
}

interface CoreResult {
  readonly state: AuctionState;
  readonly converged: boolean;
  readonly eps: number;
  /** Counters of the sample levels that produced the starting prices, smallest last. */
  readonly levels: { bidders: number; bids: number; evictions: number }[];
}

/**
 * One auction run. Above `sampleAbove` bidders the starting prices come from a run on a
 * deterministic 1/`sampleRatio` sample of the bidders with capacities scaled alike (recursively):
 * prices per unit of capacity are nearly the same on a representative sample, so the full run
 * starts close to the final prices and most bidders bid once.
 */
function auctionCore(pp: PreparedProblem, cfg: CoreConfig): CoreResult {
  let initial: Float64Array | null = null;
  let levels: CoreResult['levels'] = [];
  if (pp.demand === null && pp.n > cfg.sampleAbove && cfg.sampleRatio > 1) {
    const sub = auctionCore(sampleProblem(pp, cfg.sampleRatio), cfg);
    if (sub.converged) {
      initial = sub.state.price;
      levels = [{ bidders: sub.state.n, bids: sub.state.bids, evictions: sub.state.evictions }, ...sub.levels];
    }
  }
  const state = new AuctionState(pp, initial, cfg.warmMargin);
  let eps = initial !== null ? cfg.epsFinal : cfg.epsStart;
  let converged = true;
  for (;;) {
    state.startPhase(eps);
    converged = state.forward(eps, cfg.maxBids);
    if (!converged || eps <= cfg.epsFinal) break;
    eps = Math.max(cfg.epsFinal, eps / cfg.factor);
  }
  if (converged) state.reverseRounds(eps);
  return { state, converged, eps, levels };
}

/** A deterministic 1/ratio sample of the bidders (by a hash of the index), capacities scaled alike. */
function sampleProblem(pp: PreparedProblem, ratio: number): PreparedProblem {
  const { n, m, offsets, managers, scores, currentEdge, unassignedValue, capacity } = pp;
  const pick: number[] = [];
  let edges = 0;
  for (let i = 0; i < n; i++) {
    if (((Math.imul(i ^ 0x5bd1e995, 0x9e3779b1) >>> 16) % ratio) === 0) {
      pick.push(i);
      edges += offsets[i + 1] - offsets[i];
    }
  }
  const ns = pick.length;
  const subOffsets = new Int32Array(ns + 1);
  const subManagers = new Int32Array(edges);
  const subScores = scores instanceof Float32Array ? new Float32Array(edges) : new Float64Array(edges);
  const subCurrent = new Int32Array(ns).fill(-1);
  const subU = new Float64Array(ns);
  let w = 0;
  for (let t = 0; t < ns; t++) {
    const i = pick[t];
    const a = offsets[i];
    const b = offsets[i + 1];
    subManagers.set(managers.subarray(a, b), w);
    subScores.set(scores.subarray(a, b), w);
    if (currentEdge[i] >= 0) subCurrent[t] = currentEdge[i] - a + w;
    subU[t] = unassignedValue[i];
    w += b - a;
    subOffsets[t + 1] = w;
  }
  // Each manager's capacity is scaled by the sampled share of its own candidate bidders, so that a
  // sample that happens to over-represent a region also gets proportionally more capacity there.
  const inFull = new Int32Array(m);
  const inSample = new Int32Array(m);
  for (let e = 0, end = offsets[n]; e < end; e++) inFull[managers[e]]++;
  for (let e = 0; e < edges; e++) inSample[subManagers[e]]++;
  const subCapacity = new Int32Array(m);
  for (let j = 0; j < m; j++) {
    const share = inFull[j] > 0 ? inSample[j] / inFull[j] : ns / n;
    subCapacity[j] = capacity[j] > 0 ? Math.max(1, Math.round(capacity[j] * share)) : 0;
  }
  return {
    n: ns,
    m,
    offsets: subOffsets,
    managers: subManagers,
    scores: subScores,
    capacity: subCapacity,
    currentEdge: subCurrent,
    bonus: pp.bonus,
    unassignedValue: subU,
    demand: null,
    sortedRows: pp.sortedRows,
  };
}

interface Incoming {
  readonly rOff: Int32Array;
  readonly rEdge: Int32Array;
  readonly rBidder: Int32Array;
}

/** Manager → incoming edges (CSC), in bidder order. */
function buildIncoming(offsets: Int32Array, managers: Int32Array, n: number, m: number): Incoming {
  const edges = offsets[n];
  const rOff = new Int32Array(m + 1);
  for (let e = 0; e < edges; e++) rOff[managers[e] + 1]++;
  for (let j = 0; j < m; j++) rOff[j + 1] += rOff[j];
  const fill = rOff.slice(0, m);
  const rEdge = new Int32Array(edges);
  const rBidder = new Int32Array(edges);
  for (let i = 0; i < n; i++) {
    for (let e = offsets[i], end = offsets[i + 1]; e < end; e++) {
      const t = fill[managers[e]]++;
      rEdge[t] = e;
      rBidder[t] = i;
    }
  }
  return { rOff, rEdge, rBidder };
}

/** Scale of the edge values: max(max score, max − min score) + stability bonus; 1 without edges. */
function scoreScale(pp: PreparedProblem): number {
  const { scores } = pp;
  const edges = pp.offsets[pp.n];
  let lo = Infinity;
  let hi = -Infinity;
  for (let e = 0; e < edges; e++) {
    const s = scores[e];
    if (s < lo) lo = s;
    if (s > hi) hi = s;
  }
  return edges > 0 ? Math.max(hi, hi - lo) + pp.bonus || 1 : 1;
}

/** Typed-array state of one auction run; methods are the phases. */
class AuctionState {
  readonly n: number;
  readonly m: number;
  readonly offsets: Int32Array;
  readonly managers: Int32Array;
  readonly scores: Float64Array | Float32Array;
  readonly capacity: Int32Array;
  readonly currentEdge: Int32Array;
  readonly bonus: number;
  readonly u: Float64Array;
  readonly demand: Int32Array | null;
  readonly sortedRows: boolean;

  /** Price a unit bidder faces: the floor while the manager has spare capacity, else its lowest held bid. */
  readonly price: Float64Array;
  /** Price of spare capacity (raised by evictions, lowered by the reverse pass). */
  readonly floor: Float64Array;
  /** Units held per manager. */
  readonly used: Int32Array;
  /** Per-manager min-heaps of (bid, bidder) in one flat array: manager j owns [heapStart[j], heapStart[j + 1]). */
  readonly heapStart: Int32Array;
  readonly heapSize: Int32Array;
  readonly heapBid: Float64Array;
  readonly heapOwner: Int32Array;

  readonly assign: Int32Array;
  readonly assignEdge: Int32Array;
  readonly bidOf: Float64Array;
  /** FIFO of bidders to (re)bid; each bidder is in it at most once. */
  readonly queue: Int32Array;
  qHead = 0;
  qLen = 0;

  bids = 0;
  evictions = 0;
  phases = 0;
  reverseSteps = 0;

  /** Scratch for the demand path. */
  private tmpBid = new Float64Array(16);
  private tmpOwner = new Int32Array(16);

  constructor(pp: PreparedProblem, initialPrices: Float64Array | null, margin: number) {
    this.n = pp.n;
    this.m = pp.m;
    this.offsets = pp.offsets;
    this.managers = pp.managers;
    this.scores = pp.scores;
    this.capacity = pp.capacity;
    this.currentEdge = pp.currentEdge;
    this.bonus = pp.bonus;
    this.u = pp.unassignedValue;
    this.demand = pp.demand;
    this.sortedRows = pp.sortedRows;
    const { n, m } = this;
    this.price = new Float64Array(m);
    this.floor = new Float64Array(m);
    this.used = new Int32Array(m);
    // A manager never holds more bidders than its capacity nor than its candidate bidders.
    const indegree = new Int32Array(m);
    const edges = this.offsets[n];
    for (let e = 0; e < edges; e++) indegree[this.managers[e]]++;
    this.heapStart = new Int32Array(m + 1);
    for (let j = 0; j < m; j++) {
      this.heapStart[j + 1] = this.heapStart[j] + Math.min(this.capacity[j], indegree[j]);
      if (this.capacity[j] === 0) this.price[j] = this.floor[j] = Infinity;
      else if (initialPrices !== null) this.price[j] = this.floor[j] = Math.max(0, initialPrices[j] - margin);
    }
    this.heapSize = new Int32Array(m);
    this.heapBid = new Float64Array(this.heapStart[m]);
    this.heapOwner = new Int32Array(this.heapStart[m]);
    this.assign = new Int32Array(n).fill(-1);
    this.assignEdge = new Int32Array(n).fill(-1);
    this.bidOf = new Float64Array(n);
    this.queue = new Int32Array(Math.max(1, n));
  }

  private push(i: number): void {
    let t = this.qHead + this.qLen;
    if (t >= this.n) t -= this.n;
    this.queue[t] = i;
    this.qLen++;
  }

  /**
   * Keeps the bidders that satisfy ε-CS for the new ε, unassigns the others, rebuilds the heaps and
   * queues every unassigned bidder.
   */
  startPhase(eps: number): void {
    this.phases++;
    const { n, m, offsets, managers, scores, currentEdge, bonus, u, demand, assign, price } = this;
    this.floor.set(price);
    for (let i = 0; i < n; i++) {
      const j = assign[i];
      if (j < 0) continue;
      const ce = currentEdge[i];
      if (demand !== null && demand[i] !== 1) {
        // A household compares its place with the per-unit price it would face elsewhere.
        const d = demand[i];
        const e0 = this.assignEdge[i];
        const mine = scores[e0] + (e0 === ce ? bonus : 0) - d * price[j];
        let best = u[i];
        for (let e = offsets[i], end = offsets[i + 1]; e < end; e++) {
          const k = managers[e];
          if (k === j) continue;
          const v = scores[e] + (e === ce ? bonus : 0) - d * this.facedPrice(k, d);
          if (v > best) best = v;
        }
        if (best > mine + eps) assign[i] = -1;
        continue;
      }
      const e0 = this.assignEdge[i];
      const mine = scores[e0] + (e0 === ce ? bonus : 0) - price[j];
      let best = u[i];
      for (let e = offsets[i], end = offsets[i + 1]; e < end; e++) {
        let v = scores[e] - price[managers[e]];
        if (e === ce) v += bonus;
        if (v > best) best = v;
      }
      if (best > mine + eps) assign[i] = -1;
    }
    // Rebuild the heaps from the bidders kept (in bidder order: deterministic).
    this.used.fill(0);
    this.heapSize.fill(0);
    for (let i = 0; i < n; i++) {
      const j = assign[i];
      if (j < 0) continue;
      this.heapInsert(j, this.bidOf[i], i);
      this.used[j] += demand === null ? 1 : demand[i];
    }
    for (let j = 0; j < m; j++) this.refreshPrice(j);
    this.qHead = 0;
    this.qLen = 0;
    for (let i = 0; i < n; i++) {
      if (assign[i] < 0) {
        this.assignEdge[i] = -1;
        this.push(i);
      }
    }
  }

  /**
   * Reverse auction in rounds (the batched form of the reverse pass): a manager is *stale* when it
   * has spare capacity and a positive price. Each round makes one sequential sweep over all edges to
   * find, for every stale manager j, the two bidders that would gain most by joining it
   * (β_i = value_ij − profit_i), then applies a reverse step per stale manager in index order: if no
   * bidder gains ε, the price drops to 0; otherwise the best bidder (its β re-checked exactly) joins
   * j at price max(0, β₂ − ε), which keeps every other bidder within ε. Profits only rise and prices
   * only fall within a round, so the β found by the sweep are upper bounds and each step stays valid;
   * every move raises a profit by ≥ ε, so the rounds end. A bidder that moves leaves spare capacity
   * at its old manager, which may become stale for the next round.
   */
  reverseRounds(eps: number): void {
    const { n, m, offsets, managers, scores, capacity, currentEdge, bonus, u, demand, price, floor, used, assign, assignEdge, bidOf } = this;
    const stale = new Uint8Array(m);
    // Per stale manager a bounded min-heap of the (free + 1) best outsiders, in one flat array.
    const start = new Int32Array(m + 1);
    const size = new Int32Array(m);
    let hBeta = new Float64Array(0);
    let hEdge = new Int32Array(0);
    let hBidder = new Int32Array(0);
    const profitOf = (i: number): number => {
      const a = assign[i];
      if (a < 0) return u[i];
      const ae = assignEdge[i];
      return scores[ae] + (ae === currentEdge[i] ? bonus : 0) - (demand === null ? 1 : demand[i]) * price[a];
    };
    const edges = offsets[n];
    const indegree = new Int32Array(m);
    for (let e = 0; e < edges; e++) indegree[managers[e]]++;
    let csc: Incoming | null = null;
    for (;;) {
      let count = 0;
      for (let j = 0; j < m; j++) {
        const isStale = capacity[j] > 0 && used[j] < capacity[j] && price[j] > 0;
        stale[j] = isStale ? 1 : 0;
        count += stale[j];
        start[j + 1] = start[j] + (isStale ? capacity[j] - used[j] + 1 : 0);
        size[j] = 0;
      }
      if (count === 0) return;
      // Every round moves a bidder up by ≥ ε or zeroes a price; the cap only guards against a bug.
      if (++this.reverseSteps > 4 * n + 100) return;
      const slots = start[m];
      if (hBeta.length < slots) {
        hBeta = new Float64Array(slots);
        hEdge = new Int32Array(slots);
        hBidder = new Int32Array(slots);
      }
      const offer = (i: number, e: number, j: number, pi: number): void => {
        const base = start[j];
        const cap = start[j + 1] - base; // spare units + 1
        // Per unit of capacity (households: their whole value over their size; too big: not a candidate).
        let beta = scores[e] + (e === currentEdge[i] ? bonus : 0) - pi;
        if (demand !== null) {
          if (demand[i] >= cap) return;
          beta /= demand[i];
        }
        let k = size[j];
        if (k < cap) {
          size[j] = k + 1;
          while (k > 0) {
            const parent = (k - 1) >> 1;
            if (hBeta[base + parent] <= beta) break;
            hBeta[base + k] = hBeta[base + parent];
            hEdge[base + k] = hEdge[base + parent];
            hBidder[base + k] = hBidder[base + parent];
            k = parent;
          }
        } else {
          if (!(beta > hBeta[base])) return;
          k = 0;
          for (;;) {
            let c = 2 * k + 1;
            if (c >= cap) break;
            if (c + 1 < cap && hBeta[base + c + 1] < hBeta[base + c]) c++;
            if (beta <= hBeta[base + c]) break;
            hBeta[base + k] = hBeta[base + c];
            hEdge[base + k] = hEdge[base + c];
            hBidder[base + k] = hBidder[base + c];
            k = c;
          }
        }
        hBeta[base + k] = beta;
        hEdge[base + k] = e;
        hBidder[base + k] = i;
      };
      // β of every outsider of every stale manager: through the stale managers' incoming edges when
      // they are few, else by one sequential sweep over all edges.
      let incoming = 0;
      for (let j = 0; j < m; j++) if (stale[j] !== 0) incoming += indegree[j];
      if (incoming * 4 < edges) {
        csc ??= buildIncoming(offsets, managers, n, m);
        const { rOff, rEdge, rBidder } = csc;
        for (let j = 0; j < m; j++) {
          if (stale[j] === 0) continue;
          for (let t = rOff[j], end = rOff[j + 1]; t < end; t++) {
            const i = rBidder[t];
            if (assign[i] !== j) offer(i, rEdge[t], j, profitOf(i));
          }
        }
      } else {
        for (let i = 0; i < n; i++) {
          let pi = NaN;
          const a = assign[i];
          for (let e = offsets[i], end = offsets[i + 1]; e < end; e++) {
            const j = managers[e];
            if (stale[j] === 0 || j === a) continue;
            if (pi !== pi) pi = profitOf(i);
            offer(i, e, j, pi);
          }
        }
      }
      // Apply one reverse step per stale manager. A stale manager that a bidder left earlier in
      // this round lacks that bidder's β: it waits for the next round (stale = 2).
      for (let j = 0; j < m; j++) {
        if (stale[j] !== 1) continue;
        const base = start[j];
        const k = size[j];
        // Spare units when the sweep ran (more may have opened since: those wait for the next round).
        const free = start[j + 1] - base - 1;
        // Threshold: the (free + 1)-th best β when there are that many outsiders (heap root), else −∞.
        const kth = k > free ? hBeta[base] : -Infinity;
        const threshold = Math.max(eps, kth);
        const newPrice = Math.max(0, kth - eps);
        // Candidates best first (the heap's root is the threshold itself when k > free).
        const order = Array.from({ length: k }, (_, t) => base + t)
          .filter((t) => hBeta[t] >= threshold && !(k > free && t === base))
          .sort((x, y) => hBeta[y] - hBeta[x] || hBidder[x] - hBidder[y]);
        price[j] = floor[j] = newPrice;
        let taken = 0;
        for (const t of order) {
          if (taken >= free || used[j] >= capacity[j]) break;
          const i = hBidder[t];
          if (assign[i] === j) continue;
          const d = demand === null ? 1 : demand[i];
          if (taken + d > free || used[j] + d > capacity[j]) continue; // a household that does not fit
          const e = hEdge[t];
          const beta = (scores[e] + (e === currentEdge[i] ? bonus : 0) - profitOf(i)) / d;
          if (beta < threshold) continue; // its profit rose this round; still within ε of j
          const old = assign[i];
          if (old >= 0) {
            used[old] -= d;
            floor[old] = price[old];
            if (old > j && stale[old] === 1) stale[old] = 2;
          }
          assign[i] = j;
          assignEdge[i] = e;
          bidOf[i] = newPrice;
          used[j] += d;
          taken += d;
        }
      }
    }
  }

  private refreshPrice(j: number): void {
    if (this.capacity[j] === 0) return;
    this.price[j] = this.used[j] < this.capacity[j] ? this.floor[j] : Math.max(this.floor[j], this.heapBid[this.heapStart[j]]);
  }

  /** Runs forward bidding until the queue is empty; false if `maxBids` was reached first. */
  forward(eps: number, maxBids: number): boolean {
    const { offsets, managers, scores, capacity, currentEdge, bonus, u, demand, price, used, heapStart, heapBid, heapOwner, assign, assignEdge, bidOf, queue, n } = this;
    const sorted = this.sortedRows;
    let bids = this.bids;
    let evictions = this.evictions;
    while (this.qLen > 0) {
      if (bids >= maxBids) {
        this.bids = bids;
        this.evictions = evictions;
        return false;
      }
      const i = queue[this.qHead];
      this.qHead = this.qHead + 1 === n ? 0 : this.qHead + 1;
      this.qLen--;
      if (demand !== null && demand[i] !== 1) {
        const evicted = this.bidGeneral(i, eps);
        if (evicted >= 0) {
          bids++;
          evictions += evicted;
        }
        continue;
      }
      const ce = currentEdge[i];
      let v1 = u[i];
      let v2 = -Infinity;
      let best = -1;
      if (ce >= 0) {
        // The current manager first (its bonus breaks the score order of the row).
        const v = scores[ce] + bonus - price[managers[ce]];
        if (v > v1) {
          v2 = v1;
          v1 = v;
          best = ce;
        } else {
          v2 = v;
        }
      }
      for (let e = offsets[i], end = offsets[i + 1]; e < end; e++) {
        const s = scores[e];
        if (sorted && s <= v2) break; // prices ≥ 0: no later candidate beats v2
        if (e === ce) continue;
        const v = s - price[managers[e]];
        if (v > v1) {
          v2 = v1;
          v1 = v;
          best = e;
        } else if (v > v2) {
          v2 = v;
        }
      }
      if (best < 0) continue; // staying unassigned is its best option; prices only rise, so it stays so
      bids++;
      const j = managers[best];
      const bid = price[j] + (v1 - v2) + eps;
      if (used[j] < capacity[j]) {
        this.heapInsert(j, bid, i);
        used[j]++;
        if (used[j] === capacity[j]) price[j] = Math.max(this.floor[j], heapBid[heapStart[j]]);
      } else {
        // Full: the lowest holder leaves (every holder has demand 1 unless households are mixed in).
        const root = heapStart[j];
        const out = heapOwner[root];
        const outDemand = demand === null ? 1 : demand[out];
        if (outDemand !== 1) {
          // Mixed with a household: take the general path for this manager.
          this.heapPopMin(j);
          used[j] -= outDemand;
          this.evict(out, j);
          evictions++;
          while (used[j] + 1 > capacity[j]) {
            const o = heapOwner[heapStart[j]];
            this.heapPopMin(j);
            used[j] -= demand === null ? 1 : demand[o];
            this.evict(o, j);
            evictions++;
          }
          this.heapInsert(j, bid, i);
          used[j]++;
          this.refreshPrice(j);
        } else {
          if (heapBid[root] > this.floor[j]) this.floor[j] = heapBid[root];
          assign[out] = -1;
          assignEdge[out] = -1;
          this.push(out);
          evictions++;
          heapBid[root] = bid;
          heapOwner[root] = i;
          this.siftDown(j, 0);
          price[j] = Math.max(this.floor[j], heapBid[root]);
        }
      }
      assign[i] = j;
      assignEdge[i] = best;
      bidOf[i] = bid;
    }
    this.bids = bids;
    this.evictions = evictions;
    return true;
  }

  private evict(out: number, j: number): void {
    const b = this.bidOf[out];
    if (b > this.floor[j]) this.floor[j] = b;
    this.assign[out] = -1;
    this.assignEdge[out] = -1;
    this.push(out);
  }

  /**
   * Per-unit price a bidder of demand d faces at j: the floor when d units are spare, else the bid
   * of the last holder it would have to evict (the lowest holders go first).
   */
  private facedPrice(j: number, d: number): number {
    const cap = this.capacity[j];
    if (cap < d) return Infinity;
    let free = cap - this.used[j];
    if (free >= d) return this.floor[j];
    const demand = this.demand;
    let k = 0;
    let p = this.floor[j];
    while (free < d && this.heapSize[j] > 0) {
      const root = this.heapStart[j];
      const b = this.heapBid[root];
      const o = this.heapOwner[root];
      if (k === this.tmpBid.length) this.growTmp();
      this.tmpBid[k] = b;
      this.tmpOwner[k] = o;
      k++;
      if (b > p) p = b;
      free += demand === null ? 1 : demand[o];
      this.heapPopMin(j);
    }
    for (let t = 0; t < k; t++) this.heapInsert(j, this.tmpBid[t], this.tmpOwner[t]);
    return p;
  }

  private growTmp(): void {
    const b = new Float64Array(this.tmpBid.length * 2);
    b.set(this.tmpBid);
    this.tmpBid = b;
    const o = new Int32Array(this.tmpOwner.length * 2);
    o.set(this.tmpOwner);
    this.tmpOwner = o;
  }

  /** A bid by a bidder of demand > 1 (per-unit prices). Returns the number of evictions, -1 if it stays unassigned. */
  private bidGeneral(i: number, eps: number): number {
    const { offsets, managers, scores, currentEdge, bonus, u, capacity, used } = this;
    const demand = this.demand as Int32Array;
    const d = demand[i];
    const ce = currentEdge[i];
    let v1 = u[i];
    let v2 = -Infinity;
    let best = -1;
    for (let e = offsets[i], end = offsets[i + 1]; e < end; e++) {
      const p = this.facedPrice(managers[e], d);
      if (p === Infinity) continue;
      let v = scores[e] - d * p;
      if (e === ce) v += bonus;
      if (v > v1) {
        v2 = v1;
        v1 = v;
        best = e;
      } else if (v > v2) {
        v2 = v;
      }
    }
    if (best < 0) return -1; // staying unassigned is its best option
    const j = managers[best];
    const value = scores[best] + (best === ce ? bonus : 0);
    const bid = (value - v2 + eps) / d;
    let evicted = 0;
    while (used[j] + d > capacity[j]) {
      const o = this.heapOwner[this.heapStart[j]];
      this.heapPopMin(j);
      used[j] -= demand[o];
      this.evict(o, j);
      evicted++;
    }
    this.heapInsert(j, bid, i);
    used[j] += d;
    this.refreshPrice(j);
    this.assign[i] = j;
    this.assignEdge[i] = best;
    this.bidOf[i] = bid;
    return evicted;
  }

  // --- per-manager binary min-heaps on (heapBid, heapOwner); ties broken by bidder index ---

  private heapInsert(j: number, bid: number, owner: number): void {
    const base = this.heapStart[j];
    let k = this.heapSize[j]++;
    const hb = this.heapBid;
    const ho = this.heapOwner;
    while (k > 0) {
      const parent = (k - 1) >> 1;
      const pb = hb[base + parent];
      if (pb < bid || (pb === bid && ho[base + parent] > owner)) break;
      hb[base + k] = pb;
      ho[base + k] = ho[base + parent];
      k = parent;
    }
    hb[base + k] = bid;
    ho[base + k] = owner;
  }

  private heapPopMin(j: number): void {
    const base = this.heapStart[j];
    const last = --this.heapSize[j];
    if (last === 0) return;
    this.heapBid[base] = this.heapBid[base + last];
    this.heapOwner[base] = this.heapOwner[base + last];
    this.siftDown(j, 0);
  }

  private siftDown(j: number, k0: number): void {
    const base = this.heapStart[j];
    const size = this.heapSize[j];
    const hb = this.heapBid;
    const ho = this.heapOwner;
    let k = k0;
    const bid = hb[base + k];
    const owner = ho[base + k];
    for (;;) {
      let c = 2 * k + 1;
      if (c >= size) break;
      if (c + 1 < size) {
        const lb = hb[base + c];
        const rb = hb[base + c + 1];
        if (rb < lb || (rb === lb && ho[base + c + 1] > ho[base + c])) c++;
      }
      const cb = hb[base + c];
      if (bid < cb || (bid === cb && owner > ho[base + c])) break;
      hb[base + k] = cb;
      ho[base + k] = ho[base + c];
      k = c;
    }
    hb[base + k] = bid;
    ho[base + k] = owner;
  }
}
