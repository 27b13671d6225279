import { brierScore, calibration, logLoss, rocAuc } from './metrics';

describe('rocAuc', () => {
  it('is the share of (positive, negative) pairs ranked correctly, ties counting half', () => {
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [false, false, true, true])).toBe(0.75);
    expect(rocAuc([1, 2, 3, 4], [false, false, true, true])).toBe(1);
    expect(rocAuc([4, 3, 2, 1], [false, false, true, true])).toBe(0);
    expect(rocAuc([5, 5, 5, 5], [true, false, true, false])).toBe(0.5);
    expect(rocAuc([1, 2, 2, 3], [false, true, false, true])).toBe(0.875);
  });

  it('is null without both classes and refuses mismatched lengths', () => {
    expect(rocAuc([1, 2], [true, true])).toBeNull();
    expect(() => rocAuc([1], [true, false])).toThrow(/length/);
  });
});

describe('probability metrics', () => {
  it('log loss and Brier score of known predictions', () => {
    expect(logLoss([0.5, 0.5], [true, false])).toBeCloseTo(Math.LN2, 12);
    expect(logLoss([1, 0], [true, false])).toBeCloseTo(0, 9);
    expect(brierScore([0.8, 0.3], [true, false])).toBeCloseTo((0.04 + 0.09) / 2, 12);
  });

  it('calibration buckets count predictions and compare the mean prediction with the observed rate', () => {
    const buckets = calibration([0.05, 0.08, 0.95, 0.99, 1], [false, true, true, true, false], 10);
    expect(buckets).toHaveLength(2);
    expect(buckets[0]).toMatchObject({ from: 0, to: 0.1, count: 2, observedRate: 0.5 });
    expect(buckets[0]?.meanPredicted).toBeCloseTo(0.065, 12);
    expect(buckets[1]).toMatchObject({ from: 0.9, to: 1, count: 3 });
    expect(buckets[1]?.observedRate).toBeCloseTo(2 / 3, 12);
  });
});
