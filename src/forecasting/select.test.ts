// Tracks reproduce the fixed-parameter methods at every origin; rolling-origin scores by hand.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sba } from './croston.js';
import { initialStates } from './ets-init.js';
import { holt } from './holt.js';
import { holtWintersFit } from './holt-winters.js';
import { forecastSeries } from './auto.js';
import { candidatePool, minPointsForTrend, modelTrack, rollingOriginMse, selectByRollingOrigin } from './select.js';
import { ses } from './ses.js';
import { movingAverage, naive, seasonalNaive } from './simple.js';
import { holtTrack, movingAverageTrack, naiveTrack, sbaTrack, seasonalNaiveTrack, sesTrack, tsbTrack } from './tracks.js';
import { tsb } from './tsb.js';

const same = (a: number, b: number): boolean =>
  (Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

const demand = fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, { weight: 4, arbitrary: fc.integer({ min: 1, max: 30 }) });

describe('tracks', () => {
  it('TSB, SBA, naive and moving-average tracks forecast from each origin what the model of the prefix does', () => {
    fc.assert(
      fc.property(fc.array(demand, { minLength: 1, maxLength: 40 }), (values) => {
        const y = Float64Array.from(values);
        const t = tsbTrack(y, 0.1, 0.3);
        const s = sbaTrack(y, 0.2);
        const n = naiveTrack(y);
        const ma = movingAverageTrack(y, 3);
        for (let o = 1; o <= y.length; o++) {
          const prefix = y.subarray(0, o);
          if (o >= 3 && !same(ma.forecastAt(o, 1), movingAverage(prefix, 3).forecast(1)[0]!)) throw new Error(`ma at ${o}`);
          if (!same(t.forecastAt(o, 1), tsb(prefix, { alpha: 0.1, beta: 0.3 }).forecast(1)[0]!)) throw new Error(`tsb at ${o}`);
          if (!same(s.forecastAt(o, 3), sba(prefix, { alphaSize: 0.2, alphaInterval: 0.2 }).forecast(3)[2]!)) throw new Error(`sba at ${o}`);
          if (!same(n.forecastAt(o, 2), naive(prefix).forecast(2)[1]!)) throw new Error(`naive at ${o}`);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('SES and Holt tracks match ses() and holt() from the same starting states', () => {
    const y = Float64Array.from({ length: 30 }, (_, t) => 10 + t + ((t * 7) % 5));
    const level0 = y.subarray(0, 12).reduce((a, b) => a + b, 0) / 12;
    const start = initialStates(y, 1, true, 'none');
    const s = sesTrack(y, 0.3);
    const h = holtTrack(y, 0.4, 0.1, 0.9);
    for (let o = 12; o <= y.length; o++) {
      const prefix = y.subarray(0, o);
      expect(s.forecastAt(o, 1)).toBeCloseTo(ses(prefix, { alpha: 0.3, level0 }).forecast(1)[0]!, 9);
      const model = holt(prefix, { alpha: 0.4, beta: 0.1, phi: 0.9, level0: start.level, trend0: start.trend });
      expect(h.forecastAt(o, 4)).toBeCloseTo(model.forecast(4)[3]!, 9);
    }
  });

  it('seasonal naive repeats the last season, skipping missing periods', () => {
    const y = Float64Array.from([1, 2, 3, 4, 5, NaN, 7, 8]);
    const track = seasonalNaiveTrack(y, 4);
    const model = seasonalNaive(y, 4).forecast(6);
    for (let j = 1; j <= 6; j++) expect(track.forecastAt(8, j)).toBe(model[j - 1]!);
  });
});

describe('rolling-origin evaluation', () => {
  it('scores forecasts from the last origins up to the horizon, never past the data', () => {
    // Naive on 1, 2, 3, 4 from origins 2 and 3, two steps: errors (3-2), (4-2) and (4-3): MSE (1 + 4 + 1) / 3.
    const y = Float64Array.from([1, 2, 3, 4]);
    expect(rollingOriginMse(y, naiveTrack(y), { origins: 2, horizon: 2 })).toBe(2);
  });

  it('scores flat and trend tracks alike from their forecasts at each origin', () => {
    const y = Float64Array.from({ length: 30 }, (_, t) => 3 * t + ((t * 5) % 7));
    for (const track of [sesTrack(y, 0.3), holtTrack(y, 0.3, 0.1, 0.9)]) {
      let sum = 0;
      let count = 0;
      for (let o = 24; o < 30; o++) {
        for (let j = 1; j <= Math.min(4, 30 - o); j++) {
          sum += (y[o + j - 1]! - track.forecastAt(o, j)) ** 2;
          count++;
        }
      }
      expect(rollingOriginMse(y, track, { origins: 6, horizon: 4 })).toBeCloseTo(sum / count, 9);
    }
  });

  it('picks the candidate with the lowest score, the first on ties', () => {
    const y = Float64Array.from([5, 5, 5, 5, 5, 5]);
    const picked = selectByRollingOrigin(y, [naiveTrack(y), sesTrack(y, 0.5)], { origins: 3, horizon: 2 });
    expect(picked.best.name).toBe('naive');
    expect(picked.scores.map((s) => s.mse)).toEqual([0, 0]);
  });

  it('a fitted Holt-Winters model reruns its recursion from earlier origins', () => {
    const y = Float64Array.from({ length: 48 }, (_, t) => 100 + 2 * t + 20 * Math.sin((2 * Math.PI * t) / 12));
    const model = holtWintersFit(y, 12, 'additive');
    const track = modelTrack(y, model, 12)!;
    expect(track.forecastAt(48, 3)).toBeCloseTo(model.forecast(3)[2]!, 12);
    expect(Math.abs(track.forecastAt(40, 1) - y[40]!)).toBeLessThan(5);
  });

  it('leaves naive and trend candidates out of short series, where a last point or slope would win by chance', () => {
    const names = (n: number) => candidatePool(Float64Array.from({ length: n }, (_, t) => 10 + (t % 3))).map((c) => c.name);
    expect(names(minPointsForTrend - 1).some((n) => n === 'naive' || n.startsWith('holt'))).toBe(false);
    expect(names(minPointsForTrend).filter((n) => n === 'naive' || n.startsWith('holt'))).toHaveLength(3);
    // Four weeks of a best seller ending in the Christmas shutdown week: Holt's trend forecast 0 for the next week.
    const weeks = Float64Array.from([1653, 2979, 1141, 12]);
    const f = forecastSeries(weeks, { horizon: 1, quantiles: [], method: 'auto' });
    expect(f.mean[0]).toBeGreaterThan(500);
  });
});
