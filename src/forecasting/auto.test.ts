// forecastSeries: the shape other modules rely on, determinism, and automatic choices on clear simulated series.
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../shared/random.js';
import { protectionDemand } from '../planning/safety-stock.js';
import { forecastSeries, horizonDemand, horizonDemandInputs, horizonDemandQuantile, type SeriesForecast } from './auto.js';
import { methodNames } from './index.js';

const levels = [0.5, 0.9, 0.95, 0.99];

function poissonSeries(seed: number, mean: number, length: number): Float64Array {
  const u = seededRandom(seed);
  return Float64Array.from({ length }, () => {
    let k = 0;
    let p = Math.exp(-mean);
    let cdf = p;
    const x = u();
    while (x > cdf) {
      k++;
      p *= mean / k;
      cdf += p;
    }
    return k;
  });
}

function expectShape(f: SeriesForecast, h: number): void {
  expect(f.mean).toBeInstanceOf(Float64Array);
  expect(f.mean.length).toBe(h);
  expect(f.point.length).toBe(h);
  expect(f.quantiles.map((r) => r.q)).toEqual(levels);
  expect(f.cumulative.map((r) => r.q)).toEqual(levels);
  for (let j = 0; j < h; j++) {
    expect(f.point[j]).toBeLessThanOrEqual(f.mean[j]! + 1e-12);
    for (let k = 1; k < levels.length; k++) {
      expect(f.quantiles[k]!.values[j]).toBeGreaterThanOrEqual(f.quantiles[k - 1]!.values[j]!);
      expect(f.cumulative[k]!.values[j]).toBeGreaterThanOrEqual(f.cumulative[k - 1]!.values[j]!);
    }
    if (j > 0) for (const row of f.cumulative) expect(row.values[j]).toBeGreaterThanOrEqual(row.values[j - 1]!);
  }
}

describe('forecastSeries', () => {
  it('returns per-step means, points, quantiles and cumulative quantiles, and repeats itself exactly', () => {
    const y = poissonSeries(1, 0.6, 48);
    const copy = y.slice();
    const a = forecastSeries(y, { horizon: 6, quantiles: levels, method: 'auto' });
    const b = forecastSeries(y, { horizon: 6, quantiles: levels, method: 'auto' });
    expectShape(a, 6);
    expect(a).toEqual(b);
    expect(y).toEqual(copy);
    expect(a.demandClass).toBe(b.demandClass);
  });

  it.each(methodNames)('runs the named method %s', (method) => {
    // Positive data: multiplicative Holt-Winters refuses zeros.
    const y = poissonSeries(2, 3, 40).map((v) => v + 1);
    const f = forecastSeries(y, { horizon: 5, quantiles: levels, method, seasonLength: 12 });
    expectShape(f, 5);
    expect(f.method.length).toBeGreaterThan(0);
  });

  it('copes with missing periods, no demand and a single observation', () => {
    expectShape(forecastSeries(Float64Array.from([NaN, 1, 0, NaN, 2, 0, 0, 1]), { horizon: 3, quantiles: levels, method: 'auto' }), 3);
    const none = forecastSeries(new Float64Array(12), { horizon: 3, quantiles: levels, method: 'auto' });
    expect(none.demandClass).toBe('no_demand');
    expect(Array.from(none.cumulative[3]!.values)).toEqual([0, 0, 0]);
    expectShape(forecastSeries(Float64Array.from([4]), { horizon: 2, quantiles: levels, method: 'auto' }), 2);
  });

  it('rejects a bad horizon, quantile level or method', () => {
    const y = poissonSeries(3, 1, 20);
    expect(() => forecastSeries(y, { horizon: 0, quantiles: levels, method: 'auto' })).toThrow(RangeError);
    expect(() => forecastSeries(y, { horizon: 2, quantiles: [1], method: 'auto' })).toThrow(RangeError);
    expect(() => forecastSeries(y, { horizon: 2, quantiles: levels, method: 'nope' as 'auto' })).toThrow(RangeError);
  });
});

describe('automatic selection', () => {
  it('a flat Poisson series gets a level or intermittent method, never naive or a trend', () => {
    for (const [seed, mean] of [[4, 0.3], [5, 1], [6, 4]] as const) {
      const f = forecastSeries(poissonSeries(seed, mean, 60), { horizon: 6, quantiles: levels, method: 'auto' });
      expect(f.method).toMatch(/^(ses|tsb|sba|ma|combination)/);
    }
  });

  it('a strong linear trend gets a trend method', () => {
    const u = seededRandom(7);
    const y = Float64Array.from({ length: 60 }, (_, t) => 100 + 5 * t + 4 * (u() - 0.5));
    const f = forecastSeries(y, { horizon: 6, quantiles: levels, method: 'auto' });
    expect(f.method).toMatch(/^holt/);
    expect(f.mean[5]! - f.mean[0]!).toBeGreaterThan(20);
  });

  it('a strong season with its length gets a seasonal method', () => {
    const u = seededRandom(8);
    const y = Float64Array.from({ length: 72 }, (_, t) => 200 + 50 * Math.sin((2 * Math.PI * t) / 12) + 10 * (u() - 0.5));
    const f = forecastSeries(y, { horizon: 12, quantiles: levels, method: 'auto', seasonLength: 12 });
    expect(f.method).toMatch(/^(ETS\(.,.*,[AM]\)|snaive)/);
  });
});

describe('horizon demand', () => {
  it('is the distribution behind the cumulative quantiles', () => {
    const f = forecastSeries(poissonSeries(9, 0.8, 60), { horizon: 8, quantiles: levels, method: 'auto' });
    for (const H of [1, 4, 8]) {
      levels.forEach((q, k) => expect(horizonDemandQuantile(f, H, q)).toBe(f.cumulative[k]!.values[H - 1]));
      expect(horizonDemand(f, H).mean).toBeCloseTo(f.predictive.totalMean[H - 1]!, 12);
    }
    expect(() => horizonDemand(f, 9)).toThrow(RangeError);
  });

  it('gives the planning module per-period moments whose lead-time total is that distribution', () => {
    const f = forecastSeries(poissonSeries(10, 2.5, 60), { horizon: 6, quantiles: levels, method: 'auto' });
    const { family, perPeriod } = horizonDemandInputs(f, 4);
    const total = protectionDemand(perPeriod, { meanDays: 4, sdDays: 0 });
    expect(family).toBe(f.predictive.family);
    expect(total.mean).toBeCloseTo(horizonDemand(f, 4).mean, 9);
    expect(total.variance).toBeCloseTo(horizonDemand(f, 4).variance, 9);
  });
});
