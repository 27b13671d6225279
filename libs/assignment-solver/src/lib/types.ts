/**
 * Sparse bidder → manager candidate graph in CSR form: the candidates of bidder `i` are the edges
 * `offsets[i] .. offsets[i + 1] - 1`; edge `e` proposes manager `managers[e]` with value `scores[e]`.
 * Excluded pairs (hard constraints) are simply absent.
 */
export interface CandidateGraph {
  /** Length `bidders + 1`, non-decreasing, `offsets[0] = 0`, `offsets[bidders]` = edge count. */
  readonly offsets: Int32Array;
  /** Manager index (0 .. managers - 1) of every edge. */
  readonly managers: Int32Array;
  /** Value of every edge: a match score in 0–100 for a customer; any finite number is accepted. */
  readonly scores: Float64Array | Float32Array;
}

/**
 * A capacity-constrained assignment problem: give every bidder at most one manager, never exceed a
 * manager's capacity, and maximise
 *
 *     Σ_assigned score(i, a(i)) + stabilityBonus · #{i : a(i) = current(i)} + Σ_unassigned unassignedValue(i).
 *
 * A bidder is usually one customer. A household assigned as one unit is one bidder whose `demand`
 * is its number of members (units of capacity consumed) and whose scores are the household's
 * combined value (e.g. the sum of its members' scores).
 */
export interface AssignmentProblem {
  /** Number of bidders (customers or households), `n`. */
  readonly bidders: number;
  /** Number of managers, `m`. */
  readonly managers: number;
  /** Units of capacity of each manager (length `m`, ≥ 0). */
  readonly capacity: Int32Array;
  readonly candidates: CandidateGraph;
  /**
   * Current manager of each bidder (length `n`, -1 = none). Only counts when that manager is among
   * the bidder's candidates: an excluded pair cannot be kept (generate candidates with the current
   * manager included, see `topKCandidates({ include })`).
   */
  readonly current?: Int32Array;
  /**
   * Added to the value of a bidder's current manager: a bidder moves only when another manager is
   * worth more than `stabilityBonus` more to the total. Default 0.
   */
  readonly stabilityBonus?: number;
  /**
   * Value of leaving a bidder unassigned (scalar or per bidder). Default 0: a bidder stays
   * unassigned only when no candidate with spare capacity is worth more.
   */
  readonly unassignedValue?: number | Float64Array | Float32Array;
  /** Units of capacity each bidder consumes (length `n`, ≥ 1). Default 1 for everyone. */
  readonly demand?: Int32Array;
}

export interface AuctionOptions {
  /** Final ε of the ε-scaling auction, in score units. The a-priori bound is `n · ε`. Default 0.01. */
  readonly epsilon?: number;
  /**
   * ε of the first phase of a cold start (no warm start); above `epsilon` it turns on ε-scaling
   * (e.g. max score / 20). Default: `epsilon` (a single phase).
   */
  readonly epsilonStart?: number;
  /** ε is divided by this factor between phases. Default 6. */
  readonly scalingFactor?: number;
  /**
   * Warm start: above this many bidders (unit demands only) the starting prices come from an auction
   * on a 1/`sampleRatio` sample of the bidders (recursively). Default 20 000.
   */
  readonly sampleAbove?: number;
  /** Default 8. */
  readonly sampleRatio?: number;
  /**
   * The sample's prices are lowered by this much before the full run starts from them, so that they
   * under- rather than over-estimate (an over-estimated manager would keep spare capacity at a
   * positive price and need the slower reverse repair). Default 5 % of the maximum score (5 for 0–100).
   */
  readonly warmStartMargin?: number;
  /** Safety valve on the number of bids (throws beyond it). Default 200 · n + 10⁶. */
  readonly maxBids?: number;
  /** Check the input (O(n + m + edges)). Default true. */
  readonly validate?: boolean;
}

export interface GreedyOptions {
  readonly validate?: boolean;
}

export interface SolveCounters {
  /** Forward bids placed (a bidder choosing its best manager and raising its price). */
  readonly bids: number;
  /** Bidders pushed out of a full manager by a higher bid. */
  readonly evictions: number;
  /** ε-scaling phases run. */
  readonly phases: number;
  /** Reverse-auction steps (a manager with spare capacity and a positive price lowering it). */
  readonly reverseSteps: number;
}

export interface AssignmentResult {
  readonly method: 'auction' | 'greedy';
  /** Manager index per bidder, -1 = unassigned. */
  readonly assignment: Int32Array;
  /** Σ score(i, a(i)) over assigned bidders (no stability bonus, no unassigned values). */
  readonly totalScore: number;
  /** The maximised objective: totalScore + stability bonuses earned + unassigned values. */
  readonly objective: number;
  readonly assigned: number;
  readonly unassigned: number;
  /** Bidders that keep their current manager. */
  readonly kept: number;
  /** Units of capacity used per manager. */
  readonly load: Int32Array;
  readonly counters: SolveCounters;
  /** Wall time of the solve in milliseconds. */
  readonly timeMs: number;
  /** Final ε (auction only). */
  readonly epsilon?: number;
  /**
   * A-priori optimality bound of the auction: objective ≥ optimum − n · ε (unit demands only;
   * `undefined` when some demand exceeds 1).
   */
  readonly epsilonBound?: number;
  /** Manager prices (the LP duals of the capacity constraints), auction only. */
  readonly prices?: Float64Array;
  /**
   * Certified upper bound on the optimum of the LP relaxation (hence of the problem) computed from
   * the prices: Σ_j capacity_j · p_j + Σ_i max(u_i, max_j (value_ij − demand_i · p_j)).
   */
  readonly dualBound?: number;
  /** dualBound − objective ≥ 0: the solution is at most this far below the optimum. */
  readonly gap?: number;
  /** gap / |dualBound|. */
  readonly relativeGap?: number;
}
