import { describe, expect, it } from 'vitest';
import { forecastSeries, horizonDemand } from '../forecasting/index.js';
import { chooseFamily, forecastDemand, historyDemand, planChunk, planColumns, planDefaults, type PlanSettings } from './plan-rows.js';
import type { DemandSeries } from './types.js';

const settings: PlanSettings = {
  policy: 'sQ',
  review: 0,
  target: { measure: 'fill-rate', level: 0.95 },
  periodsPerYear: 52,
  defaults: planDefaults,
  demand: { source: 'history' },
};
const series = (id: string, values: number[], attributes: DemandSeries['attributes'] = {}): DemandSeries => ({ id, values: Float64Array.from(values), attributes });

function rows(text: string): Record<string, string>[] {
  return text.trim().split('\n').map((line) => Object.fromEntries(line.split(',').map((cell, i) => [planColumns[i]!, cell])));
}

describe('plan rows', () => {
  it('estimate demand from the observed periods only (NaN left out)', () => {
    expect(historyDemand(Float64Array.from([2, NaN, 4, NaN]), 1)).toEqual({ mean: 3, variance: 2, family: 'poisson', method: 'history' });
    expect(historyDemand(Float64Array.from([NaN]), 1)).toEqual({ mean: 0, variance: 0, family: 'normal', method: 'history' });
    expect(historyDemand(Float64Array.from([5]), 1)).toEqual({ mean: 5, variance: 5, family: 'poisson', method: 'history' });
  });

  it('use each series attributes, and the defaults where a series has none', () => {
    const demand = [3, 0, 5, 2, 0, 4, 1, 3];
    const own = series('own', demand, { lead_time: 4, order_cost: 50, holding_cost: 2, min_order_qty: 100 });
    const bare = series('bare', demand);
    const [a, b] = rows(planChunk([own, bare], settings).text);
    expect(a).toMatchObject({ series_id: 'own', policy: 'sQ', method: 'history', lead_time: '4', order_quantity: '100', order_up_to: '' });
    expect(b).toMatchObject({ series_id: 'bare', lead_time: String(planDefaults.leadTime) });
    expect(Number(a!.reorder_point)).toBeGreaterThan(Number(b!.reorder_point));
    expect(Number(a!.expected_fill_rate)).toBeGreaterThanOrEqual(0.95);
    // Holding cost per unit-year: the column when present, else holding rate x unit cost.
    expect(Number(a!.holding_cost_per_year)).toBeCloseTo(2 * Number(a!.average_on_hand), 5);
    expect(Number(b!.holding_cost_per_year)).toBeCloseTo(planDefaults.holdingRate * planDefaults.unitCost * Number(b!.average_on_hand), 5);
  });

  it('report order-up-to levels for (R, S) and a cycle service level when asked', () => {
    const [r] = rows(planChunk([series('x', [10, 12, 8, 11, 9])], { ...settings, policy: 'RS', review: 2, target: { measure: 'cycle-service-level', level: 0.9 } }).text);
    expect(r).toMatchObject({ policy: 'RS', review: '2', reorder_point: '', order_quantity: '' });
    expect(Number(r!.order_up_to)).toBeGreaterThan(0);
    expect(Number(r!.cycle_service_level)).toBeGreaterThanOrEqual(0.9);
  });

  it('leave the numbers of a series empty when its inputs are out of range, and say why', () => {
    const result = planChunk([series('free', [1, 2], { holding_cost: 0 })], settings);
    expect(result.failures).toEqual([{ id: 'free', message: expect.stringContaining('out of range') }]);
    expect(rows(result.text)[0]).toMatchObject({ series_id: 'free', reorder_point: '', cost_per_year: '' });
  });

  it('choose normal for volume, negative binomial or Poisson for slow movers', () => {
    expect(chooseFamily({ mean: 10, variance: 50 }, 3)).toBe('normal');
    expect(chooseFamily({ mean: 1, variance: 4 }, 3)).toBe('negative-binomial');
    expect(chooseFamily({ mean: 1, variance: 0.5 }, 3)).toBe('poisson');
    expect(chooseFamily({ mean: 0, variance: 0 }, 3)).toBe('normal');
  });

  it('with forecast demand, plan for the forecast total over lead time + review, per period', () => {
    const y = Float64Array.from([0, 3, 0, 0, 5, 0, 1, 0, 0, 4, 0, 2, 0, 0, 3, 0]);
    const d = forecastDemand('auto')(y, 2.5);
    const f = forecastSeries(y, { horizon: 3, quantiles: [], method: 'auto' });
    const total = horizonDemand(f, 3);
    expect(d).toEqual({ mean: total.mean / 3, variance: total.variance / 3, family: f.predictive.family, method: f.method });
    const [row] = rows(planChunk([series('slow', Array.from(y), { lead_time: 2 })], { ...settings, demand: { source: 'forecast', method: 'auto' } }).text);
    expect(row).toMatchObject({ series_id: 'slow', method: f.method, family: f.predictive.family });
    expect(forecastDemand('auto')(new Float64Array(8), 1)).toMatchObject({ mean: 0, variance: 0, method: 'none' });
  });
});
