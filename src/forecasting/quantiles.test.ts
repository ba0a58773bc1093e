// Predictive distributions: exact count quantiles, the variance formulas, and calibration on simulated demand.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fitDistribution } from '../planning/distributions.js';
import { seededRandom } from '../shared/random.js';
import { forecastSeries, horizonDemand } from './auto.js';
import { rmsseOptimalPoint } from './point.js';
import { intermittentPredictive, quantilesOf, smoothPredictive } from './quantiles.js';

describe('quantilesOf', () => {
  it('matches the planning module quantiles for Poisson and negative binomial laws', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 400, noNaN: true }),
        fc.double({ min: 1, max: 40, noNaN: true }),
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        (mean, ratio, q) => {
          for (const family of ['poisson', 'negative-binomial'] as const) {
            const exact = fitDistribution(family, mean, mean * ratio).quantile(q);
            expect(quantilesOf(family, mean, mean * ratio, [q])[0]).toBe(exact);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('variance of multi-step and cumulative forecasts', () => {
  it('SES: sigma^2 (1 + (j - 1) alpha^2) per step, sigma^2 sum_k (1 + (H - k) alpha)^2 for totals', () => {
    const p = smoothPredictive(Float64Array.from([10, 10, 10]), 2, { alpha: 0.3, beta: 0, phi: 1 }, 'normal');
    expect(Array.from(p.variance)).toEqual([2, 2 * 1.09, 2 * 1.18].map((v) => expect.closeTo(v, 12)));
    expect(Array.from(p.totalVariance)).toEqual([2, 2 * (1.69 + 1), 2 * (2.56 + 1.69 + 1)].map((v) => expect.closeTo(v, 12)));
    expect(Array.from(p.totalMean)).toEqual([10, 20, 30]);
  });

  it('damped trend: c_i = alpha + beta (phi + ... + phi^i)', () => {
    const p = smoothPredictive(Float64Array.from([1, 1, 1]), 1, { alpha: 0.5, beta: 0.2, phi: 0.5 }, 'normal');
    const c1 = 0.5 + 0.2 * 0.5;
    const c2 = 0.5 + 0.2 * 0.75;
    expect(p.variance[2]).toBeCloseTo(1 + c1 * c1 + c2 * c2, 12);
    expect(p.totalVariance[2]).toBeCloseTo((1 + c1 + c2) ** 2 + (1 + c1) ** 2 + 1, 12);
  });

  it('counts: var / mean never exceeds the given dispersion, so a level near zero has a short tail', () => {
    const p = smoothPredictive(Float64Array.from([0.01, 0.01]), 10, { alpha: 0.5, beta: 0, phi: 1 }, 'negative-binomial', 3);
    expect(Array.from(p.variance)).toEqual([0.03, 0.03].map((v) => expect.closeTo(v, 12)));
    expect(p.totalVariance[1]).toBeCloseTo(0.06, 12);
    // Uncapped where the residual variance is the smaller; normal data is never capped.
    expect(smoothPredictive(Float64Array.from([50]), 10, { alpha: 0.5, beta: 0, phi: 1 }, 'negative-binomial', 3).variance[0]).toBe(10);
    expect(smoothPredictive(Float64Array.from([0.01]), 10, { alpha: 0.5, beta: 0, phi: 1 }, 'normal', 3).variance[0]).toBe(10);
  });

  it('a dying erratic count series keeps its own dispersion, not an NB of mean 0.01 and variance 20', () => {
    // A carparts series: erratic early demand, then 7 months of zeros; SES(0.5) wins and its level nears zero
    // while its residual variance is still that of the busy years. A fill-rate level is set by the law's
    // expected shortage, which such a variance sends to thousands of units.
    const y = Float64Array.from([2, 11, 8, 0, 5, 6, 4, 1, 2, 0, 0, 2, 3, 4, 3, 6, 3, 3, 1, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
    const f = forecastSeries(y, { horizon: 2, quantiles: [0.99], method: 'auto' });
    expect(f.demandClass).toBe('erratic');
    const total = horizonDemand(f, 2);
    expect(total.mean).toBeGreaterThan(0);
    expect(total.variance / total.mean).toBeLessThan(4); // the history's var / mean is about 3.2
    expect(total.quantile(0.999)).toBeLessThanOrEqual(3);
  });

  it('intermittent totals: H m d plus a shared level uncertainty', () => {
    const p = intermittentPredictive(0.5, 3, 0.1, 4, 'negative-binomial');
    expect(p.totalMean[3]).toBe(2);
    expect(p.totalVariance[3]).toBeCloseTo(4 * 0.5 * 3 + 4 * ((0.1 * 3) / (1.9 * 0.5)), 12);
    expect(p.family).toBe('negative-binomial');
  });
});

/** A Poisson draw by inversion, and a gamma-mixed one (negative binomial with shape k). */
function poisson(u: () => number, mean: number): number {
  let k = 0;
  let p = Math.exp(-mean);
  let cdf = p;
  const x = u();
  while (x > cdf && k < 1000) {
    k++;
    p *= mean / k;
    cdf += p;
  }
  return k;
}
function exponential(u: () => number): number {
  return -Math.log(1 - u());
}

describe('calibration on simulated demand (seeded)', () => {
  const levels = [0.5, 0.8, 0.9, 0.95, 0.99];
  const laws = [
    { name: 'Poisson 0.3', draw: (u: () => number) => poisson(u, 0.3), mean: 0.3, variance: 0.3 },
    { name: 'Poisson 2', draw: (u: () => number) => poisson(u, 2), mean: 2, variance: 2 },
    // Shape 1: the gamma mixing law is exponential; NB mean 1, variance 1 + 1.
    { name: 'NB mean 1 shape 1', draw: (u: () => number) => poisson(u, exponential(u)), mean: 1, variance: 2 },
  ];
  it.each(laws)('$name: each quantile is exceeded about (1 - q) of the time', (law) => {
    const u = seededRandom(2024);
    const covered = levels.map(() => 0);
    let steps = 0;
    for (let s = 0; s < 300; s++) {
      const y = Float64Array.from({ length: 72 }, () => law.draw(u));
      const f = forecastSeries(y.subarray(0, 60), { horizon: 12, quantiles: levels, method: 'auto' });
      for (let j = 0; j < 12; j++) {
        steps++;
        levels.forEach((_, k) => (covered[k]! += y[60 + j]! <= f.quantiles[k]!.values[j]! ? 1 : 0));
      }
    }
    const truth = fitDistribution(law.mean === law.variance ? 'poisson' : 'negative-binomial', law.mean, law.variance);
    levels.forEach((q, k) => {
      const coverage = covered[k]! / steps;
      // A discrete quantile covers at least q; even the true law's covers F(F^-1(q)), which can be well above q.
      expect(coverage, `q = ${q}`).toBeGreaterThanOrEqual(q - 0.03);
      expect(coverage, `q = ${q}`).toBeLessThanOrEqual(truth.cdf(truth.quantile(q)) + 0.04);
    });
  });
});

describe('rmsseOptimalPoint', () => {
  it('is 0 for very slow demand, the mean for fast demand, and in between otherwise', () => {
    expect(rmsseOptimalPoint(0.05, 6)).toBe(0);
    expect(rmsseOptimalPoint(8, 6)).toBe(8);
    const mid = rmsseOptimalPoint(0.5, 6);
    expect(mid).toBeGreaterThan(0.3);
    expect(mid).toBeLessThan(0.5);
  });

  it('comes within 1% of the best expected RMSSE found by simulation', () => {
    const u = seededRandom(11);
    for (const m of [0.25, 0.5, 1]) {
      const windows = Array.from({ length: 20_000 }, () => Array.from({ length: 6 }, () => poisson(u, m)));
      const loss = (f: number) => windows.reduce((s, w) => s + Math.sqrt(w.reduce((a, y) => a + (y - f) ** 2, 0) / 6), 0);
      let best = Infinity;
      for (let f = 0; f <= m; f += m / 100) best = Math.min(best, loss(f));
      expect(loss(rmsseOptimalPoint(m, 6))).toBeLessThanOrEqual(best * 1.01);
    }
  });
});

describe('gamma quantiles of large shapes (Wilson-Hilferty, Newton steps)', () => {
  it('agree with the exact inverse within 2.5e-4 relative from shape 10 on', () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 1e5, noNaN: true }), fc.double({ min: 10, max: 1e6, noNaN: true }), fc.double({ min: 0.001, max: 0.999, noNaN: true }), (mean, shape, q) => {
        const variance = (mean * mean) / shape;
        const exact = fitDistribution('gamma', mean, variance).quantile(q);
        expect(Math.abs(quantilesOf('gamma', mean, variance, [q])[0]! - exact)).toBeLessThanOrEqual(2.5e-4 * exact);
      }),
      { numRuns: 300 },
    );
  });
});
