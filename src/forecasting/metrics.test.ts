// Accuracy measures against values worked out by hand.
import { describe, expect, it } from 'vitest';
import { coverageOf, inSampleScale, mase, pinballLoss, rmsse, scaledPinball, Scoreboard } from './metrics.js';

const f64 = (...v: number[]) => Float64Array.from(v);
// Training differences 2, -1, 0, 3: mean |d| = 6/4 = 1.5, mean d^2 = 14/4 = 3.5.
const train = f64(1, 3, 2, 2, 5);
const actual = f64(4, 0);

describe('per-series measures', () => {
  it('scales by the in-sample first differences (lag 1, or a seasonal lag)', () => {
    expect(inSampleScale(train, 1)).toBe(1.5);
    expect(inSampleScale(train, 2)).toBe(3.5);
    expect(inSampleScale(train, 1, 2)).toBeCloseTo(5 / 3, 12); // differences 1, -1, 3
    expect(inSampleScale(f64(1, NaN, 4, 6), 1)).toBe(2); // only the pair (4, 6) is observed
    expect(inSampleScale(f64(7), 1)).toBeNaN();
  });

  it('MASE and RMSSE', () => {
    const forecast = f64(3, 1); // errors 1 and -1
    expect(mase(train, actual, forecast)).toBeCloseTo(1 / 1.5, 12);
    expect(rmsse(train, actual, forecast)).toBeCloseTo(Math.sqrt(1 / 3.5), 12);
    expect(rmsse(f64(2, 2, 2), actual, forecast)).toBeNaN(); // zero scale
    expect(rmsse(train, f64(4, NaN), forecast)).toBeCloseTo(Math.sqrt(1 / 3.5), 12); // a missing actual is skipped
  });

  it('pinball loss, scaled pinball and coverage', () => {
    const quantile = f64(5, 0); // 4 below 5: (1 - 0.9) * 1 = 0.1; 0 at 0: nothing
    expect(pinballLoss(actual, quantile, 0.9)).toBeCloseTo(0.05, 12);
    expect(pinballLoss(actual, f64(3, 0), 0.9)).toBeCloseTo(0.45, 12); // 4 above 3: 0.9 * 1, over 2 steps
    expect(scaledPinball(train, actual, quantile, 0.9)).toBeCloseTo(0.05 / 1.5, 12);
    expect(coverageOf(actual, quantile)).toBe(1);
    expect(coverageOf(actual, f64(3, 0))).toBe(0.5);
  });
});

describe('Scoreboard', () => {
  it('averages scaled measures over series with a scale, pools bias and coverage over all', () => {
    const board = new Scoreboard([0.9]);
    board.add({ train, actual, mean: f64(3, 1), quantiles: [{ q: 0.9, values: f64(5, 0) }] });
    // Constant history: no scale, so no MASE / RMSSE / SPL, but its errors count in the bias and coverage.
    board.add({ train: f64(2, 2, 2), actual: f64(1, 1), mean: f64(2, 2), quantiles: [{ q: 0.9, values: f64(0, 3) }] });
    const s = board.summary();
    expect(s.series).toBe(2);
    expect(s.scaled).toBe(1);
    expect(s.mase).toBeCloseTo(1 / 1.5, 12);
    expect(s.rmsse).toBeCloseTo(Math.sqrt(1 / 3.5), 12);
    expect(s.bias).toBeCloseTo((-1 + 1 + 1 + 1) / (4 + 0 + 1 + 1), 12);
    expect(s.quantiles[0]!.spl).toBeCloseTo(0.05 / 1.5, 12);
    expect(s.quantiles[0]!.coverage).toBeCloseTo(3 / 4, 12);
  });
});
