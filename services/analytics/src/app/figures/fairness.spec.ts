import { coefficientOfVariation, gini, utilisationBand, waitingBand } from './fairness';

describe('fairness figures', () => {
  it('gini is 0 for equal loads and (n-1)/n when one manager carries everything', () => {
    expect(gini([5, 5, 5, 5])).toBe(0);
    expect(gini([0, 0, 0, 12])).toBeCloseTo(0.75, 10);
    // by hand: loads 1,2,3,4 → Σ|xi−xj| over ordered pairs = 20, / (2·16·2.5) = 0.25
    expect(gini([4, 1, 3, 2])).toBeCloseTo(0.25, 10);
    expect(gini([])).toBeNull();
    expect(gini([0, 0])).toBeNull();
  });

  it('coefficient of variation is the population standard deviation over the mean', () => {
    // mean 5, deviations ±3 → sd 3 → 0.6
    expect(coefficientOfVariation([2, 8, 2, 8])).toBeCloseTo(0.6, 10);
    expect(coefficientOfVariation([7, 7])).toBe(0);
    expect(coefficientOfVariation([])).toBeNull();
  });

  it('bands utilisation and waiting time', () => {
    expect(utilisationBand(0, 0)).toBe('no_capacity');
    expect(utilisationBand(9, 10)).toBe('90_100');
    expect(utilisationBand(10, 10)).toBe('90_100');
    expect(utilisationBand(11, 10)).toBe('over_100');
    expect(utilisationBand(2, 10)).toBe('lt_25');
    expect(waitingBand(0.5)).toBe('lt_1h');
    expect(waitingBand(30)).toBe('1d_7d');
    expect(waitingBand(24 * 31)).toBe('gte_30d');
  });
});
