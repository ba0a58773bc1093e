// Panel-learned sizes of demand (sizes.ts) and the zero-modified count law with calibrated sizes (quantiles.ts).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { seededRandom } from '../shared/random.js';
import { fitDistribution } from '../planning/distributions.js';
import { fitSizeModel as fitSizeModelAuto, forecastSeries, horizonDemand } from './auto.js';
import { fitOccurrenceModel } from './occurrence.js';
import { intermittentPredictive, stepDistribution, stepQuantiles, ZeroModifiedCount } from './quantiles.js';
import { fitSizeModel, sizeContinuation } from './sizes.js';
import { expectMomentsOfMass, expectQuantilesOfCdf } from '../../test/support/count-law.js';

/** Intermittent series, demand probability 0.1-0.5 each; half sell single units, half mostly pairs (1: 0.2, 2: 0.6, 3: 0.2). */
function sizePanel(count: number, length: number, seed: number): { series: Float64Array[]; pairs: boolean[] } {
  const u = seededRandom(seed);
  const pairs: boolean[] = [];
  const series = Array.from({ length: count }, (_, i) => {
    const p = 0.1 + 0.4 * u();
    const pair = i % 2 === 1;
    pairs.push(pair);
    return Float64Array.from({ length }, () => {
      if (u() >= p) return 0;
      if (!pair) return 1;
      const v = u();
      return v < 0.2 ? 1 : v < 0.8 ? 2 : 3;
    });
  });
  return { series, pairs };
}

/** The history's mean and variance (at least the mean): a stand-in for the automatic method's NB. */
const momentLaw = (y: Float64Array) => {
  let sum = 0;
  let squares = 0;
  for (const v of y) (sum += v), (squares += v * v);
  const mean = sum / y.length;
  return mean > 0 ? { mean, variance: Math.max(mean, squares / y.length - mean * mean) } : null;
};

describe('fitSizeModel', () => {
  it("learns each series' P(size >= 2 | demand) from the panel where the NB alone cannot tell singles from pairs", () => {
    const { series, pairs } = sizePanel(1200, 60, 3);
    const model = fitSizeModel(series, { horizon: 6, baseLaw: momentLaw })!;
    expect(model.coefficients).toHaveLength(2); // no size above 3: h_3 keeps the NB's
    let single = 0;
    let pair = 0;
    series.forEach((y, i) => {
      const law = momentLaw(y)!;
      const h = sizeContinuation(model, y, law.mean, law.variance);
      if (pairs[i]) pair += h[0]! / (series.length / 2);
      else single += h[0]! / (series.length / 2);
    });
    expect(single).toBeLessThan(0.1); // truth 0
    expect(pair).toBeGreaterThan(0.7); // truth 0.8
    expect(pair).toBeLessThan(0.9);
  });

  it('uses only the data passed in, and is null without sizes above 1', () => {
    const { series } = sizePanel(300, 60, 5);
    const a = fitSizeModel(series.map((y) => y.subarray(0, 48)), { horizon: 6, baseLaw: momentLaw })!;
    const b = fitSizeModel(series.map((y) => Float64Array.from(y).fill(9, 48).subarray(0, 48)), { horizon: 6, baseLaw: momentLaw })!;
    expect(a.coefficients).toEqual(b.coefficients);
    const ones = series.map((y) => y.map((v) => (v > 0 ? 1 : 0)));
    expect(fitSizeModel(ones, { horizon: 6, baseLaw: momentLaw })).toBeNull();
  });
});

describe('zero-modified count law with calibrated sizes', () => {
  it('has P(0) = 1 - p, the given ratios, the base tail above them, and quantiles, moments and shortfall consistent with its pmf', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 30, noNaN: true }),
        fc.double({ min: 1, max: 8, noNaN: true }),
        fc.double({ min: 0.01, max: 0.95, noNaN: true }),
        fc.array(fc.double({ min: 0.01, max: 0.99, noNaN: true }), { minLength: 1, maxLength: 4 }),
        (m, d, p, h) => {
          const law = new ZeroModifiedCount({ occurrence: p, baseMean: m, baseVariance: m * d, continuation: h });
          const base = fitDistribution(m * d <= m * (1 + 1e-9) ? 'poisson' : 'negative-binomial', m, m * d);
          expect(law.cdf(0)).toBeCloseTo(1 - p, 12);
          let atLeast = p;
          for (let k = 1; k <= h.length; k++) {
            expect(law.survival(k - 1)).toBeCloseTo(atLeast, 12);
            atLeast *= h[k - 1]!;
          }
          const K = h.length;
          if (base.survival(K + 3) > 1e-12) {
            expect(law.survival(K + 3) / law.survival(K)).toBeCloseTo(base.survival(K + 3) / base.survival(K), 8);
          }
          expectMomentsOfMass(law);
          for (const x of [0.5, 1, 2.5, K + 1, K + 2.25]) {
            let shortfall = 0;
            for (let k = Math.ceil(x); k < 5000; k++) shortfall += (k - x) * law.density(k);
            expect(law.loss(x)).toBeCloseTo(shortfall, 4);
          }
          expectQuantilesOfCdf(law);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('gives step quantiles equal to its law and totals whose mean is the sum of the step means', () => {
    const p = intermittentPredictive(0.8, 2.5, 0.1, 6, 'negative-binomial', 0.2, [0.6, 0.3, 0.2]);
    const law = stepDistribution(p, 3);
    expect(law.mean).toBeCloseTo(p.mean[2]!, 12);
    const levels = [0.5, 0.8, 0.9, 0.95, 0.99];
    stepQuantiles(p, levels).forEach((row, k) => expect([...row.values]).toEqual(new Array(6).fill(law.quantile(levels[k]!))));
    for (let H = 1; H <= 6; H++) expect(p.totalMean[H - 1]).toBeCloseTo(H * p.mean[0]!, 12);
  });
});

describe('forecastSeries with panel occurrence and size models', () => {
  it('calibrates the sizes of intermittent count series only, keeping the point forecast and consistent horizon totals', () => {
    const { series } = sizePanel(400, 48, 11);
    const occurrence = fitOccurrenceModel(series, { horizon: 6 })!;
    const sizes = fitSizeModelAuto(series, { horizon: 6 })!;
    const y = new Float64Array(40);
    y[3] = 2;
    y[15] = 2;
    y[22] = 1;
    y[30] = 2;
    y[36] = 3;
    const options = { horizon: 6, quantiles: [0.5, 0.9, 0.95, 0.99], method: 'auto' as const };
    const plain = forecastSeries(y, { ...options, occurrence });
    const calibrated = forecastSeries(y, { ...options, occurrence, sizes });
    expect(calibrated.predictive.zeroModified?.continuation).toHaveLength(sizes.coefficients.length);
    expect(calibrated.predictive.zeroModified?.occurrence).toBe(plain.predictive.zeroModified?.occurrence);
    expect([...calibrated.point]).toEqual([...plain.point]);
    // Mostly pairs: the calibrated law puts more of a demand's mass on 2 and above than the NB of a level of 0.25.
    expect(stepDistribution(calibrated.predictive, 1).survival(1)).toBeGreaterThan(stepDistribution(plain.predictive, 1).survival(1));
    for (let H = 1; H <= 6; H++) {
      const sum = calibrated.predictive.mean.subarray(0, H).reduce((a, b) => a + b, 0);
      expect(horizonDemand(calibrated, H).mean).toBeCloseTo(sum, 10);
    }
    // Without the occurrence model the sizes model is not used; smooth series are never zero-modified.
    expect(forecastSeries(y, { ...options, sizes }).predictive.zeroModified).toBeUndefined();
    const smooth = Float64Array.from({ length: 40 }, (_, t) => 20 + (t % 5));
    expect(forecastSeries(smooth, { ...options, occurrence, sizes }).predictive.zeroModified).toBeUndefined();
  });
});
