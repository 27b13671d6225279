import { exactOptimum } from '../testing/exact';
import { seededRandom } from '@relationship/seeded-random';
import { problemOf, randomProblem } from '../testing/random';
import { solveAuction } from './auction';
import { solveGreedy } from './greedy';
import { evaluateAssignment, InvalidProblemError } from './problem';
import type { AssignmentProblem, AssignmentResult } from './types';

function expectFeasible(p: AssignmentProblem, r: AssignmentResult): void {
  // evaluateAssignment recomputes everything from scratch and throws on an over-full manager or a
  // pair that is not a candidate.
  const e = evaluateAssignment(p, r.assignment);
  for (let j = 0; j < p.managers; j++) expect(e.load[j]).toBeLessThanOrEqual(p.capacity[j]);
  expect(r.objective).toBeCloseTo(e.objective, 6);
  expect(r.totalScore).toBeCloseTo(e.totalScore, 6);
  expect(Array.from(r.load)).toEqual(Array.from(e.load));
  expect(r.assigned + r.unassigned).toBe(p.bidders);
}

describe('solveAuction', () => {
  it('never exceeds a capacity and is within n·ε of the exact optimum on random instances', () => {
    const next = seededRandom(7);
    for (let t = 0; t < 150; t++) {
      const p = randomProblem(
        {
          bidders: 1 + Math.floor(next() * 30),
          managers: 1 + Math.floor(next() * 7),
          density: 0.2 + next() * 0.7,
          maxCapacity: 1 + Math.floor(next() * 6),
          decimals: t % 3 === 0 ? 0 : 1,
        },
        next,
      );
      const exact = exactOptimum(p);
      const r = solveAuction(p);
      expectFeasible(p, r);
      expect(r.epsilonBound).toBeCloseTo(p.bidders * 0.01, 9);
      expect(r.objective).toBeGreaterThanOrEqual(exact - (r.epsilonBound ?? 0) - 1e-7);
      expect(r.objective).toBeLessThanOrEqual(exact + 1e-7);
      // The dual bound is a certificate: never below the true optimum, and within n·ε of ours.
      expect(r.dualBound).toBeGreaterThanOrEqual(exact - 1e-7);
      expect(r.gap).toBeLessThanOrEqual((r.epsilonBound ?? 0) + 1e-7);
    }
  });

  it('agrees with the exact optimum with ε-scaling (reverse repair of stale capacity)', () => {
    const next = seededRandom(13);
    for (let t = 0; t < 100; t++) {
      const p = randomProblem(
        { bidders: 5 + Math.floor(next() * 30), managers: 2 + Math.floor(next() * 6), density: 0.6, maxCapacity: 6 },
        next,
      );
      const exact = exactOptimum(p);
      const r = solveAuction(p, { epsilonStart: 5, scalingFactor: 4 });
      expectFeasible(p, r);
      expect(r.counters.phases).toBeGreaterThan(1);
      expect(r.objective).toBeGreaterThanOrEqual(exact - p.bidders * 0.01 - 1e-7);
      expect(r.dualBound).toBeGreaterThanOrEqual(exact - 1e-7);
      expect(r.gap).toBeLessThanOrEqual(p.bidders * 0.01 + 1e-7);
    }
  });

  it('agrees with the exact optimum on the warm-started path (sampling forced on small instances)', () => {
    const next = seededRandom(11);
    for (let t = 0; t < 40; t++) {
      const p = randomProblem(
        { bidders: 40 + Math.floor(next() * 60), managers: 3 + Math.floor(next() * 8), density: 0.5, maxCapacity: 12 },
        next,
      );
      const exact = exactOptimum(p);
      const r = solveAuction(p, { sampleAbove: 10, sampleRatio: 3 });
      expectFeasible(p, r);
      expect(r.objective).toBeGreaterThanOrEqual(exact - p.bidders * 0.01 - 1e-7);
      expect(r.dualBound).toBeGreaterThanOrEqual(exact - 1e-7);
    }
  });

  it('is at least as good as greedy, which never beats the optimum', () => {
    const next = seededRandom(5);
    for (let t = 0; t < 60; t++) {
      const p = randomProblem({ bidders: 25, managers: 5, density: 0.6, maxCapacity: 5 }, next);
      const exact = exactOptimum(p);
      const g = solveGreedy(p);
      const a = solveAuction(p);
      expectFeasible(p, g);
      expect(g.objective).toBeLessThanOrEqual(exact + 1e-7);
      expect(a.objective).toBeGreaterThanOrEqual(g.objective - p.bidders * 0.01 - 1e-7);
    }
  });

  it('handles the stability bonus exactly on random instances', () => {
    const next = seededRandom(23);
    for (let t = 0; t < 60; t++) {
      const p = randomProblem(
        { bidders: 20, managers: 5, density: 0.6, maxCapacity: 6, stabilityBonus: next() * 15 },
        next,
      );
      const exact = exactOptimum(p);
      const r = solveAuction(p);
      expectFeasible(p, r);
      expect(r.objective).toBeGreaterThanOrEqual(exact - p.bidders * 0.01 - 1e-7);
      expect(r.dualBound).toBeGreaterThanOrEqual(exact - 1e-7);
    }
  });

  describe('stability bonus', () => {
    // Bidder 0 is with manager 0 (score 70); manager 1 offers 73.
    const base = (bonus: number, other: number): AssignmentProblem =>
      problemOf(
        [1, 1],
        [
          [
            [0, 70],
            [1, other],
          ],
        ],
        { current: Int32Array.from([0]), stabilityBonus: bonus },
      );

    it('keeps the current manager when the gain is below the bonus', () => {
      const r = solveAuction(base(5, 73));
      expect(Array.from(r.assignment)).toEqual([0]);
      expect(r.kept).toBe(1);
      expect(r.totalScore).toBe(70);
      expect(r.objective).toBe(75);
    });

    it('moves when the gain exceeds the bonus', () => {
      const r = solveAuction(base(5, 80));
      expect(Array.from(r.assignment)).toEqual([1]);
      expect(r.kept).toBe(0);
      expect(r.totalScore).toBe(80);
    });

    it('moves without a bonus for any gain above ε', () => {
      expect(Array.from(solveAuction(base(0, 70.5)).assignment)).toEqual([1]);
    });

    it('keeps many customers in place when a new manager is only slightly better for each', () => {
      // 6 customers at manager 0 (capacity 6); a new manager 1 (capacity 6) is 2 points better.
      const rows: [number, number][][] = Array.from({ length: 6 }, () => [
        [0, 60],
        [1, 62],
      ]);
      const current = new Int32Array(6).fill(0);
      const small = solveAuction(problemOf([6, 6], rows, { current, stabilityBonus: 3 }));
      expect(Array.from(small.assignment)).toEqual([0, 0, 0, 0, 0, 0]);
      const none = solveAuction(problemOf([6, 6], rows, { current, stabilityBonus: 1 }));
      expect(Array.from(none.assignment)).toEqual([1, 1, 1, 1, 1, 1]);
    });

    it('ignores a current manager that is not a candidate (excluded pair)', () => {
      const p = problemOf([1, 1], [[[1, 50]]], { current: Int32Array.from([0]), stabilityBonus: 100 });
      const r = solveAuction(p);
      expect(Array.from(r.assignment)).toEqual([1]);
      expect(r.kept).toBe(0);
    });
  });

  it('leaves the lowest-value customers unassigned when capacity is short', () => {
    // 5 customers, one manager with capacity 3: the three highest scores win.
    const p = problemOf([3], [[[0, 50]], [[0, 90]], [[0, 10]], [[0, 70]], [[0, 30]]]);
    const r = solveAuction(p);
    expectFeasible(p, r);
    expect(Array.from(r.assignment)).toEqual([0, 0, -1, 0, -1]);
    expect(r.totalScore).toBe(210);
    expect(r.unassigned).toBe(2);
    // The price settles between the best loser and the last winner (within ε).
    expect(r.prices?.[0]).toBeGreaterThanOrEqual(30 - 0.01 - 1e-9);
    expect(r.prices?.[0]).toBeLessThanOrEqual(50 + 0.01 + 1e-9);
  });

  it('moves a customer to its second choice rather than leaving another unassigned', () => {
    // Both prefer manager 0 (capacity 1); only customer 1 has an alternative.
    const p = problemOf(
      [1, 1],
      [
        [[0, 80]],
        [
          [0, 85],
          [1, 75],
        ],
      ],
    );
    const r = solveAuction(p);
    expect(Array.from(r.assignment)).toEqual([0, 1]);
    expect(r.totalScore).toBe(155);
    expect(Array.from(solveGreedy(p).assignment)).toEqual([-1, 0]);
  });

  it('respects the unassigned value', () => {
    const p = problemOf(
      [2],
      [[[0, 40]], [[0, 60]]],
      { unassignedValue: Float64Array.from([50, 50]) },
    );
    const r = solveAuction(p);
    expect(Array.from(r.assignment)).toEqual([-1, 0]);
    expect(r.objective).toBe(110);
    expect(r.totalScore).toBe(60);
    expect(Array.from(solveAuction({ ...p, unassignedValue: 100 }).assignment)).toEqual([-1, -1]);
  });

  it('is deterministic', () => {
    const p = randomProblem({ bidders: 400, managers: 20, density: 0.3, maxCapacity: 25, decimals: 0 }, seededRandom(99));
    const a = solveAuction(p);
    const b = solveAuction(p);
    expect(Array.from(a.assignment)).toEqual(Array.from(b.assignment));
    expect(Array.from(a.prices ?? [])).toEqual(Array.from(b.prices ?? []));
    expect(a.counters).toEqual(b.counters);
    const w1 = solveAuction(p, { sampleAbove: 50 });
    const w2 = solveAuction(p, { sampleAbove: 50 });
    expect(Array.from(w1.assignment)).toEqual(Array.from(w2.assignment));
  });

  describe('edge cases', () => {
    it('solves an empty problem', () => {
      const r = solveAuction(problemOf([], []));
      expect(r.assignment.length).toBe(0);
      expect(r.totalScore).toBe(0);
      expect(r.gap).toBe(0);
    });

    it('leaves a customer without candidates unassigned', () => {
      const r = solveAuction(problemOf([1], [[], [[0, 50]]]));
      expect(Array.from(r.assignment)).toEqual([-1, 0]);
    });

    it('never assigns to a manager with zero capacity', () => {
      const p = problemOf(
        [0, 1],
        [
          [
            [0, 99],
            [1, 10],
          ],
          [[0, 90]],
        ],
      );
      const r = solveAuction(p);
      expect(Array.from(r.assignment)).toEqual([1, -1]);
      expectFeasible(p, r);
      expect(Number.isFinite(r.dualBound)).toBe(true);
    });

    it('breaks ties deterministically and still fills every slot', () => {
      const rows: [number, number][][] = Array.from({ length: 4 }, () => [
        [0, 50],
        [1, 50],
      ]);
      const p = problemOf([2, 2], rows);
      const r = solveAuction(p);
      expect(r.assigned).toBe(4);
      expect(r.totalScore).toBe(200);
      expect(Array.from(r.load)).toEqual([2, 2]);
      expect(Array.from(solveAuction(p).assignment)).toEqual(Array.from(r.assignment));
    });

    it('accepts Float32Array scores', () => {
      const p = problemOf([1, 1], [[[0, 10]], [[0, 20], [1, 15]]]);
      const f32 = { ...p, candidates: { ...p.candidates, scores: Float32Array.from(p.candidates.scores) } };
      expect(Array.from(solveAuction(f32).assignment)).toEqual([0, 1]);
    });

    it('stops at maxBids with a feasible (partial) assignment', () => {
      const p = randomProblem({ bidders: 200, managers: 5, density: 0.9, maxCapacity: 10 }, seededRandom(3));
      const r = solveAuction(p, { maxBids: 5 });
      expectFeasible(p, r);
      expect(r.epsilonBound).toBeUndefined();
      expect(r.dualBound).toBeGreaterThanOrEqual(r.objective);
    });
  });

  describe('validation', () => {
    const ok = problemOf([1], [[[0, 50]]]);
    it.each<[string, AssignmentProblem]>([
      ['offsets length', { ...ok, bidders: 2 }],
      ['manager out of range', { ...ok, candidates: { ...ok.candidates, managers: Int32Array.from([3]) } }],
      ['non-finite score', { ...ok, candidates: { ...ok.candidates, scores: Float64Array.from([NaN]) } }],
      ['negative capacity', { ...ok, capacity: Int32Array.from([-1]) }],
      ['current out of range', { ...ok, current: Int32Array.from([5]) }],
      ['demand 0', { ...ok, demand: Int32Array.from([0]) }],
      ['negative stability bonus', { ...ok, stabilityBonus: -1 }],
    ])('rejects %s', (_, p) => {
      expect(() => solveAuction(p)).toThrow(InvalidProblemError);
      expect(() => solveGreedy(p)).toThrow(InvalidProblemError);
    });
  });
});

describe('households (demand > 1)', () => {
  /** Brute force over all assignments (tiny instances only). */
  function bruteForce(p: AssignmentProblem): number {
    const demand = p.demand ?? new Int32Array(p.bidders).fill(1);
    const load = new Int32Array(p.managers);
    let best = -Infinity;
    const { offsets, managers, scores } = p.candidates;
    const go = (i: number, value: number): void => {
      if (i === p.bidders) {
        best = Math.max(best, value);
        return;
      }
      go(i + 1, value);
      for (let e = offsets[i]; e < offsets[i + 1]; e++) {
        const j = managers[e];
        if (load[j] + demand[i] > p.capacity[j]) continue;
        load[j] += demand[i];
        go(i + 1, value + scores[e]);
        load[j] -= demand[i];
      }
    };
    go(0, 0);
    return best;
  }

  it('assigns each household as one unit, never exceeds capacity, and certifies its gap', () => {
    const next = seededRandom(31);
    for (let t = 0; t < 120; t++) {
      const n = 2 + Math.floor(next() * 6);
      const m = 1 + Math.floor(next() * 3);
      const p0 = randomProblem({ bidders: n, managers: m, density: 0.7, maxCapacity: 6 }, next);
      const demand = Int32Array.from({ length: n }, () => 1 + Math.floor(next() * 3));
      // A household's value is the sum over its members: scale the per-member score.
      const scores = Float64Array.from(p0.candidates.scores);
      for (let i = 0; i < n; i++) {
        for (let e = p0.candidates.offsets[i]; e < p0.candidates.offsets[i + 1]; e++) scores[e] *= demand[i];
      }
      const p: AssignmentProblem = { ...p0, demand, candidates: { ...p0.candidates, scores } };
      const opt = bruteForce(p);
      for (const r of [solveAuction(p), solveGreedy(p)]) {
        const e = evaluateAssignment(p, r.assignment);
        for (let j = 0; j < m; j++) expect(e.load[j]).toBeLessThanOrEqual(p.capacity[j]);
        expect(r.objective).toBeLessThanOrEqual(opt + 1e-7);
      }
      const a = solveAuction(p);
      expect(a.dualBound).toBeGreaterThanOrEqual(opt - 1e-7);
      expect(a.epsilonBound).toBe(demand.every((d) => d === 1) ? n * 0.01 : undefined);
    }
  });

  it('places a household of 3 where 3 units are free', () => {
    const p = problemOf(
      [2, 3],
      [
        [
          [0, 270],
          [1, 240],
        ],
        [[0, 80]],
        [[0, 70]],
      ],
      { demand: Int32Array.from([3, 1, 1]) },
    );
    const r = solveAuction(p);
    expect(Array.from(r.assignment)).toEqual([1, 0, 0]);
    expect(Array.from(r.load)).toEqual([2, 3]);
  });
});
