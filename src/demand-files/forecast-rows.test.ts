import { describe, expect, it } from 'vitest';
import { forecastChunk, forecastColumns, type ForecastFn, type ForecastSettings } from './forecast-rows.js';
import { parsePeriod } from './periods.js';
import type { DemandSeries } from './types.js';

/** A stand-in forecaster: the last value, its quantiles q x 10 above it; a series of length 1 cannot be fitted. */
const stub: ForecastFn = (y, o) => {
  if (y.length < 2) throw new RangeError('needs two periods');
  const last = y[y.length - 1]!;
  const mean = new Float64Array(o.horizon).fill(last);
  return { method: 'stub', demandClass: 'smooth', mean, point: mean.map((m) => m - 1), quantiles: o.quantiles.map((q) => ({ q, values: mean.map((m) => m + q * 10) })) };
};

const first = (parsePeriod('2020-11') as { ordinal: number }).ordinal;
const settings: ForecastSettings = { horizon: 2, quantiles: [0.5, 0.9], method: 'auto', periodKind: 'month', firstOrdinal: first };
const series = (id: string, values: number[]): DemandSeries => ({ id, values: Float64Array.from(values), attributes: {} });

describe('forecast rows', () => {
  it('write one row per step with the period it forecasts, the quantiles and the method', () => {
    expect(forecastColumns(settings)).toEqual(['series_id', 'step', 'period', 'mean', 'point', 'q0.5', 'q0.9', 'method', 'demand_class']);
    const out = forecastChunk([series('A,1', [1, 2, 3])], settings, stub);
    expect(out.text).toBe('"A,1",1,2021-02,3,2,8,12,stub,smooth\n"A,1",2,2021-03,3,2,8,12,stub,smooth\n');
    expect(out.tally).toEqual({ stub: 1 });
  });

  it('with --train fit on the first N periods and report what followed as actual (empty beyond the data)', () => {
    const train = { ...settings, train: 2 };
    expect(forecastColumns(train).at(-1)).toBe('actual');
    expect(forecastChunk([series('A', [1, 2, 7])], train, stub).text).toBe('A,1,2021-01,2,1,7,11,stub,smooth,7\nA,2,2021-02,2,1,7,11,stub,smooth,\n');
  });

  it('leave numbers empty for a series the method cannot fit and say why', () => {
    const out = forecastChunk([series('short', [0])], settings, stub);
    expect(out.failures).toEqual([{ id: 'short', message: 'needs two periods' }]);
    expect(out.text.split('\n')[0]).toBe('short,1,2020-12,,,,,,no_demand');
  });
});
