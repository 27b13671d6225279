import { seededRandom } from '@relationship/seeded-random';
import { problemOf } from '../testing/random';
import { groupBy, topKCandidates } from './candidates';
import { solveGreedy } from './greedy';
import { dualBound, prepareProblem } from './problem';

describe('solveGreedy', () => {
  it('takes edges best first and skips full managers', () => {
    const p = problemOf(
      [1, 1],
      [
        [
          [0, 90],
          [1, 60],
        ],
        [
          [0, 95],
          [1, 50],
        ],
        [[1, 70]],
      ],
    );
    const r = solveGreedy(p);
    // 95 (1→0), then 90 is blocked, 70 (2→1), then 60 and 50 are blocked.
    expect(Array.from(r.assignment)).toEqual([-1, 0, 1]);
    expect(r.totalScore).toBe(165);
    expect(r.method).toBe('greedy');
  });

  it('applies the stability bonus and the unassigned value', () => {
    const p = problemOf(
      [1, 1],
      [
        [
          [0, 70],
          [1, 73],
        ],
        [[0, 20]],
      ],
      { current: Int32Array.from([0, -1]), stabilityBonus: 5, unassignedValue: 30 },
    );
    const r = solveGreedy(p);
    expect(Array.from(r.assignment)).toEqual([0, -1]);
    expect(r.objective).toBe(70 + 5 + 30);
  });

  it('is deterministic on ties (edge order)', () => {
    const p = problemOf([1], [[[0, 50]], [[0, 50]], [[0, 50]]]);
    expect(Array.from(solveGreedy(p).assignment)).toEqual([0, -1, -1]);
  });
});

describe('dualBound', () => {
  it('is an upper bound for any prices', () => {
    const p = problemOf([1, 2], [[[0, 10], [1, 20]], [[1, 30]], [[0, 5]]]);
    const pp = prepareProblem(p);
    const best = 20 + 30 + 5; // bidder 0 → 1, 1 → 1, 2 → 0
    for (const prices of [
      [0, 0],
      [5, 5],
      [100, 0],
      [3, 17],
    ]) {
      expect(dualBound(pp, Float64Array.from(prices))).toBeGreaterThanOrEqual(best);
    }
  });
});

describe('groupBy', () => {
  it('groups items by key in index order and drops keys out of range', () => {
    const g = groupBy(Int32Array.from([2, 0, 2, -1, 1, 5, 0]), 3);
    expect(Array.from(g.offsets)).toEqual([0, 2, 3, 5]);
    expect(Array.from(g.items)).toEqual([1, 6, 4, 0, 2]);
  });
});

describe('topKCandidates', () => {
  const n = 60;
  const m = 40;
  const next = seededRandom(17);
  // Integer scores: plenty of ties; NaN marks excluded pairs.
  const table = Array.from({ length: n }, () =>
    Array.from({ length: m }, () => (next() < 0.1 ? NaN : Math.floor(next() * 20))),
  );
  const scoreRow = (c: number, managers: Int32Array, count: number, out: Float64Array): void => {
    for (let t = 0; t < count; t++) out[t] = table[c][managers[t]];
  };
  /** Reference: sort all scorable managers by score desc, manager asc. */
  const reference = (c: number, allowed: (j: number) => boolean, k: number): number[] =>
    Array.from({ length: m }, (_, j) => j)
      .filter((j) => allowed(j) && !Number.isNaN(table[c][j]))
      .sort((a, b) => table[c][b] - table[c][a] || a - b)
      .slice(0, k);

  it('keeps the k best managers per customer, by decreasing score then manager index', () => {
    const g = topKCandidates({ customers: n, managers: m, k: 7, scoreRow });
    expect(g.offsets[n]).toBe(n * 7);
    for (let c = 0; c < n; c++) {
      const got = Array.from(g.managers.subarray(g.offsets[c], g.offsets[c + 1]));
      expect(got).toEqual(reference(c, () => true, 7));
      const s = Array.from(g.scores.subarray(g.offsets[c], g.offsets[c + 1]));
      expect(s).toEqual(got.map((j) => table[c][j]));
    }
  });

  it('scores only the managers of the customer block', () => {
    const region = Int32Array.from({ length: m }, (_, j) => j % 4);
    const blocks = groupBy(region, 4);
    const ofCustomer = Int32Array.from({ length: n }, (_, c) => (c % 5 === 0 ? -1 : c % 4));
    let scored = 0;
    const counting = (c: number, managers: Int32Array, count: number, out: Float64Array): void => {
      scored += count;
      scoreRow(c, managers, count, out);
    };
    const g = topKCandidates({
      customers: n,
      managers: m,
      k: 5,
      scoreRow: counting,
      blocks: { ofCustomer, offsets: blocks.offsets, managers: blocks.items },
    });
    let expected = 0;
    for (let c = 0; c < n; c++) {
      const b = ofCustomer[c];
      expected += b < 0 ? m : m / 4;
      const got = Array.from(g.managers.subarray(g.offsets[c], g.offsets[c + 1]));
      expect(got).toEqual(reference(c, (j) => b < 0 || region[j] === b, 5));
    }
    expect(scored).toBe(expected);
  });

  it('always includes the current manager when it is scorable, drops pairs below minScore', () => {
    const include = Int32Array.from({ length: n }, (_, c) => (c * 7) % m);
    const g = topKCandidates({ customers: n, managers: m, k: 3, scoreRow, include, minScore: 2, scoreType: 'float32' });
    expect(g.scores).toBeInstanceOf(Float32Array);
    for (let c = 0; c < n; c++) {
      const got = Array.from(g.managers.subarray(g.offsets[c], g.offsets[c + 1]));
      const top = reference(c, (j) => table[c][j] >= 2, 3);
      const inc = include[c];
      const scorable = !Number.isNaN(table[c][inc]) && table[c][inc] >= 2;
      expect(got).toEqual(scorable && !top.includes(inc) ? [...top, inc] : top);
    }
  });

  it('generates a range of customers for chunked generation', () => {
    const whole = topKCandidates({ customers: n, managers: m, k: 4, scoreRow });
    const part = topKCandidates({ customers: n, managers: m, k: 4, scoreRow, from: 10, to: 30 });
    expect(part.offsets.length).toBe(21);
    expect(Array.from(part.managers)).toEqual(Array.from(whole.managers.subarray(whole.offsets[10], whole.offsets[30])));
  });
});
