// Hand-checked recursions: each expected value is the textbook recursion written out for a short series.
import { describe, expect, it } from 'vitest';
import { expectClose } from '../../test/support/expect-close.js';
import { adida, aggregate, imapa } from './aggregation.js';
import { classifyDemand } from './classify.js';
import { croston, sba } from './croston.js';
import { ses } from './ses.js';
import { movingAverage, movingAverageFit, naive, seasonalNaive } from './simple.js';
import { tsb } from './tsb.js';

const f64 = (a: readonly number[]): Float64Array => Float64Array.from(a);

describe('benchmark methods (FPP 5.2)', () => {
  const y = f64([3, 5, 4, 8, 6, 7]);

  it('naive repeats the last observation, skipping missing ones', () => {
    const m = naive(y);
    expectClose(m.fitted, [NaN, 3, 5, 4, 8, 6]);
    expectClose(m.forecast(2), [7, 7]);
    expectClose(naive(f64([3, 5, NaN])).forecast(1), [5]);
  });

  it('seasonal naive repeats the last observation of the same season', () => {
    const m = seasonalNaive(y, 4);
    expectClose(m.fitted, [NaN, NaN, NaN, NaN, 3, 5]);
    // periods 6, 7, 8, 9 have seasons 2, 3, 0, 1: last seen 4, 8, 6, 7
    expectClose(m.forecast(5), [4, 8, 6, 7, 4]);
  });

  it('the moving average is the mean of the last k observations', () => {
    const m = movingAverage(y, 3);
    expectClose(m.fitted, [NaN, NaN, NaN, (3 + 5 + 4) / 3, (5 + 4 + 8) / 3, (4 + 8 + 6) / 3]);
    expectClose(m.forecast(2), [7, 7]);
    expectClose(movingAverage(f64([1, NaN, 3, 5]), 2).fitted, [NaN, NaN, 1, 3]);
  });

  it('fitting the window picks the k with the lowest one-step MSE', () => {
    // A level shift every other period is best followed by the mean of the last 2.
    const alternating = f64([0, 10, 0, 10, 0, 10, 0, 10, 0, 10, 0, 10]);
    expect(movingAverageFit(alternating, { maxWindow: 4 }).params['k']).toBe(2);
    const trending = f64([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(movingAverageFit(trending, { maxWindow: 4 }).params['k']).toBe(1);
  });
});

describe('SES (FPP 8.1) by hand', () => {
  it('follows l_t = l_{t-1} + alpha (y_t - l_{t-1}) and carries the level over a missing period', () => {
    const m = ses(f64([10, 14, NaN, 8]), { alpha: 0.5, level0: 12 });
    // l0 = 12; y=10 -> 11; y=14 -> 12.5; missing -> 12.5; y=8 -> 10.25
    expectClose(m.fitted, [12, 11, 12.5, 12.5]);
    expectClose(m.forecast(2), [10.25, 10.25]);
    expect(m.mse).toBeCloseTo((4 + 9 + 20.25) / 3, 12);
  });
});

describe('Croston family by hand', () => {
  const y = f64([0, 4, 0, 0, 6, 0, 3]);

  it('Croston smooths sizes and intervals separately (different constants)', () => {
    const m = croston(y, { alphaSize: 0.2, alphaInterval: 0.5 });
    // first demand at period 2 (1-based): z = 4, p = 2 -> 2
    // demand 6 after 3 periods: z = 4 + 0.2 (6 - 4) = 4.4, p = 2 + 0.5 (3 - 2) = 2.5 -> 1.76
    // demand 3 after 2 periods: z = 4.4 + 0.2 (3 - 4.4) = 4.12, p = 2.5 + 0.5 (2 - 2.5) = 2.25
    expectClose(m.fitted, [NaN, 0, 2, 2, 2, 1.76, 1.76]);
    expectClose(m.forecast(1), [4.12 / 2.25]);
  });

  it('SBA multiplies by 1 - alphaInterval / 2', () => {
    const m = sba(y, { alphaSize: 0.2, alphaInterval: 0.5 });
    expectClose(m.forecast(1), [0.75 * (4.12 / 2.25)]);
    expectClose(m.fitted, [NaN, 0, 1.5, 1.5, 1.5, 1.32, 1.32]);
  });

  it('TSB smooths the demand probability every period and the size at demands', () => {
    const m = tsb(f64([0, 3, 0, 0, 5, 0, 2]), { alpha: 0.2, beta: 0.1 });
    // first demand at period 2: z = 3, p = 1/2
    const p2 = 0.5 + 0.1 * (0 - 0.5);
    const p3 = p2 + 0.1 * (0 - p2);
    const p4 = p3 + 0.1 * (1 - p3);
    const z4 = 3 + 0.2 * (5 - 3);
    const p5 = p4 + 0.1 * (0 - p4);
    const p6 = p5 + 0.1 * (1 - p5);
    const z6 = z4 + 0.2 * (2 - z4);
    expectClose(m.fitted, [NaN, 0, 0.5 * 3, p2 * 3, p3 * 3, p4 * z4, p5 * z4]);
    expectClose(m.forecast(2), [p6 * z6, p6 * z6]);
  });

  it('a missing period is left out of the intervals and the probability', () => {
    const withGap = f64([0, 4, 0, NaN, 0, 6, 0, 3]);
    const without = f64([0, 4, 0, 0, 6, 0, 3]);
    const p = { alphaSize: 0.2, alphaInterval: 0.5 };
    expectClose(croston(withGap, p).forecast(1), Array.from(croston(without, p).forecast(1)));
    expectClose(tsb(withGap, { alpha: 0.2, beta: 0.1 }).forecast(1), Array.from(tsb(without, { alpha: 0.2, beta: 0.1 }).forecast(1)));
  });
});

describe('temporal aggregation by hand', () => {
  const y = f64([1, 0, 2, 0, 0, 3, 0, 4]);

  it('buckets end at the last period and drop the oldest remainder', () => {
    expectClose(aggregate(y, 3), [2, 7]);
    expectClose(aggregate(y, 2), [1, 2, 3, 4]);
    // half observed: scaled up from the observed period
    expectClose(aggregate(f64([1, NaN, 2, 2]), 2), [2, 4]);
  });

  it('ADIDA smooths the buckets and splits the forecast equally', () => {
    const m = adida(y, { k: 2, alpha: 0.5 });
    // SES on [1, 2, 3, 4] from l0 = 1: fitted 1, 1, 1.5, 2.25; final level 3.125
    expectClose(m.fitted, [0.5, 0.5, 0.5, 0.5, 0.75, 0.75, 1.125, 1.125]);
    expectClose(m.forecast(3), [1.5625, 1.5625, 1.5625]);
    expectClose(adida(y, { k: 3, alpha: 0.2 }).fitted, [NaN, NaN, 2 / 3, 2 / 3, 2 / 3, 2 / 3, 2 / 3, 2 / 3]);
  });

  it('IMAPA averages the levels', () => {
    const m = imapa(y, { maxLevel: 2, alpha: 0.5 });
    // level 1 is SES on y from l0 = 1: 1, 1, 0.5, 1.25, 0.625, 0.3125, 1.65625, 0.828125 -> 2.4140625
    const level1 = [1, 1, 0.5, 1.25, 0.625, 0.3125, 1.65625, 0.828125];
    const level2 = [0.5, 0.5, 0.5, 0.5, 0.75, 0.75, 1.125, 1.125];
    expectClose(m.fitted, level1.map((v, i) => (v + level2[i]!) / 2));
    expectClose(m.forecast(1), [(2.4140625 + 1.5625) / 2]);
  });
});

describe('Syntetos-Boylan-Croston classification by hand', () => {
  it('computes ADI from Croston intervals and CV^2 from the sample variance of sizes', () => {
    // demands at periods 2, 5, 7 (1-based): intervals 2, 3, 2 -> ADI 7/3; sizes 4, 6, 3: mean 13/3
    const p = classifyDemand(f64([0, 4, 0, 0, 6, 0, 3, 0]));
    const mean = 13 / 3;
    const variance = ((4 - mean) ** 2 + (6 - mean) ** 2 + (3 - mean) ** 2) / 2;
    expect(p.adi).toBeCloseTo(7 / 3, 12);
    expect(p.cv2).toBeCloseTo(variance / mean ** 2, 12);
    expect(p.demandClass).toBe('intermittent');
  });

  it('names the four classes and the empty case', () => {
    expect(classifyDemand(f64([5, 6, 5, 4, 5])).demandClass).toBe('smooth');
    expect(classifyDemand(f64([1, 20, 2, 30, 1])).demandClass).toBe('erratic');
    expect(classifyDemand(f64([0, 1, 0, 30, 0, 2])).demandClass).toBe('lumpy');
    expect(classifyDemand(f64([0, 0, 0])).demandClass).toBe('no_demand');
  });
});
