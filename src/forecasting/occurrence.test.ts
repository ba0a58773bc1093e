// Panel-learned P(demand > 0) (occurrence.ts) and the zero-modified count law built on it (quantiles.ts).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { seededRandom } from '../shared/random.js';
import { forecastSeries, horizonDemand } from './auto.js';
import { fitOccurrenceModel, occurrenceFeatures, occurrenceProbability } from './occurrence.js';
import { intermittentPredictive, stepDistribution, stepQuantiles, ZeroModifiedCount } from './quantiles.js';
import { expectMomentsOfMass, expectQuantilesOfCdf } from '../../test/support/count-law.js';

/** Series with a constant demand probability each (0.03-0.6), sizes 1-3. */
function bernoulliPanel(count: number, length: number, seed: number): { series: Float64Array[]; rates: number[] } {
  const u = seededRandom(seed);
  const rates: number[] = [];
  const series = Array.from({ length: count }, () => {
    const p = 0.03 + 0.57 * u();
    rates.push(p);
    return Float64Array.from({ length }, () => (u() < p ? 1 + Math.floor(3 * u()) : 0));
  });
  return { series, rates };
}

describe('occurrenceFeatures', () => {
  it('is null without demand and counts runs and ages from the first demand, skipping missing periods', () => {
    expect(occurrenceFeatures(new Float64Array([0, 0, 0]))).toBeNull();
    const x = occurrenceFeatures(new Float64Array([0, 0, 2, NaN, 0, 1, 0, 0]))!;
    expect(x[0]).toBe(1);
    expect(x[5]).toBeCloseTo(Math.log1p(2), 12); // two zeros after the last demand
    expect(x[6]).toBeCloseTo(Math.log(0.4 / 0.6), 12); // 2 demands in the 5 observed periods from the first on
    expect(x[7]).toBeCloseTo(Math.log1p(5), 12);
  });
});

describe('fitOccurrenceModel', () => {
  it('recovers the demand probability of stationary series (pooled calibration and ranking)', () => {
    const { series, rates } = bernoulliPanel(1500, 60, 7);
    const model = fitOccurrenceModel(series, { horizon: 6 })!;
    expect(model.coefficients).toHaveLength(8);
    let predicted = 0;
    let actual = 0;
    let low = 0;
    let high = 0;
    let lows = 0;
    let highs = 0;
    series.forEach((y, i) => {
      const p = occurrenceProbability(model, y);
      if (Number.isNaN(p)) return; // a series that never sold
      predicted += p;
      actual += rates[i]!;
      if (rates[i]! < 0.15) (low += p), lows++;
      if (rates[i]! > 0.45) (high += p), highs++;
    });
    expect(predicted / actual).toBeGreaterThan(0.93);
    expect(predicted / actual).toBeLessThan(1.07);
    expect(low / lows).toBeLessThan(0.15);
    expect(high / highs).toBeGreaterThan(0.45);
  });

  it('uses only the data passed in, and is null when no window has both outcomes', () => {
    expect(fitOccurrenceModel([new Float64Array(40)], { horizon: 6 })).toBeNull();
    expect(() => fitOccurrenceModel([], { horizon: 0 })).toThrow(RangeError);
    const { series } = bernoulliPanel(300, 60, 3);
    const a = fitOccurrenceModel(series.map((y) => y.subarray(0, 48)), { horizon: 6 })!;
    const b = fitOccurrenceModel(series.map((y) => Float64Array.from(y).fill(9, 48).subarray(0, 48)), { horizon: 6 })!;
    expect(a.coefficients).toEqual(b.coefficients);
  });
});

describe('zero-modified count law', () => {
  it('has P(0) = 1 - p, a pmf summing to 1, and quantiles, moments and shortfall consistent with its pmf', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 30, noNaN: true }),
        fc.double({ min: 1, max: 8, noNaN: true }),
        fc.double({ min: 0.01, max: 0.95, noNaN: true }),
        (m, d, p) => {
          const law = new ZeroModifiedCount({ occurrence: p, baseMean: m, baseVariance: m * d });
          expect(law.cdf(0)).toBeCloseTo(1 - p, 12);
          expectMomentsOfMass(law);
          expectQuantilesOfCdf(law);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('gives step quantiles equal to its law and totals whose mean is the sum of the step means', () => {
    const p = intermittentPredictive(0.8, 2.5, 0.1, 6, 'negative-binomial', 0.2);
    const law = stepDistribution(p, 3);
    expect(law.mean).toBeCloseTo(p.mean[2]!, 12);
    const levels = [0.5, 0.8, 0.9, 0.95, 0.99];
    stepQuantiles(p, levels).forEach((row, k) => expect([...row.values]).toEqual(new Array(6).fill(law.quantile(levels[k]!))));
    for (let H = 1; H <= 6; H++) expect(p.totalMean[H - 1]).toBeCloseTo(H * p.mean[0]!, 12);
    // Without the occurrence (or for non-count families) the plain law is kept.
    expect(intermittentPredictive(0.8, 2.5, 0.1, 6, 'negative-binomial').zeroModified).toBeUndefined();
    expect(intermittentPredictive(0.8, 2.5, 0.1, 6, 'gamma', 0.2).zeroModified).toBeUndefined();
  });
});

describe('forecastSeries with a panel occurrence model', () => {
  it('zero-modifies intermittent count series only, keeping the point forecast and consistent horizon totals', () => {
    const { series } = bernoulliPanel(400, 48, 11);
    const occurrence = fitOccurrenceModel(series, { horizon: 6 })!;
    const y = new Float64Array(40);
    y[3] = 2;
    y[15] = 1;
    y[30] = 4;
    const options = { horizon: 6, quantiles: [0.5, 0.9, 0.95, 0.99], method: 'auto' as const };
    const plain = forecastSeries(y, options);
    const calibrated = forecastSeries(y, { ...options, occurrence });
    expect(calibrated.predictive.zeroModified?.occurrence).toBeCloseTo(occurrenceProbability(occurrence, y), 12);
    expect([...calibrated.point]).toEqual([...plain.point]);
    expect(calibrated.quantiles[0]!.values[0]).toBe(0);
    for (let H = 1; H <= 6; H++) {
      const sum = calibrated.mean.length > 0 ? calibrated.predictive.mean.subarray(0, H).reduce((a, b) => a + b, 0) : 0;
      expect(horizonDemand(calibrated, H).mean).toBeCloseTo(sum, 10);
    }
    const smooth = Float64Array.from({ length: 40 }, (_, t) => 20 + (t % 5));
    expect(forecastSeries(smooth, { ...options, occurrence }).predictive.zeroModified).toBeUndefined();
  });
});
