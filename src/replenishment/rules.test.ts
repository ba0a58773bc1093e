/** The pure replenishment rules: calendar periods, demand attribution, the estimator, lead times and the family. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { attributeDemand, dailySeries, homeWarehouse, periodSeries } from './demand.js';
import { minForecastWeeks, trailingMoments, weeklyForecast } from './estimate.js';
import { forecastSeries, horizonDemandInputs } from '../forecasting/index.js';
import { cheapestSupplier, chooseFamily, leadTimeEstimate, type SupplierChoice } from './inputs.js';
import { countPeriods, periodLabel, periodStart, periodsCovering, shiftDay } from './periods.js';

describe('periods', () => {
  it('labels ISO weeks by the year of their Thursday', () => {
    expect(periodLabel(periodStart('2027-01-01', 'week'), 'week')).toBe('2026-W53');
    expect(periodLabel(periodStart('2021-01-03', 'week'), 'week')).toBe('2020-W53');
    expect(periodLabel(periodStart('2024-12-30', 'week'), 'week')).toBe('2025-W01');
    expect(periodStart('2026-01-11', 'week')).toBe('2026-01-05');
    expect(periodStart('2026-01-05', 'week')).toBe('2026-01-05');
  });

  it('covers a range with whole, contiguous periods, and counts them without building them', () => {
    const day = fc.integer({ min: 0, max: 3000 }).map((n) => shiftDay('2020-01-01', n));
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 400 }), fc.constantFrom('day' as const, 'week' as const, 'month' as const), (from, span, kind) => {
        const to = shiftDay(from, span);
        const ps = periodsCovering(from, to, kind);
        expect(ps.length).toBe(countPeriods(from, to, kind));
        expect(ps[0]!.start <= from && ps.at(-1)!.end >= to).toBe(true);
        for (let i = 1; i < ps.length; i++) expect(ps[i]!.start).toBe(shiftDay(ps[i - 1]!.end, 1));
      }),
    );
  });
});

describe('demand attribution', () => {
  const warehouses = [
    { id: 'EU', regions: ['DE'], priority: 2 },
    { id: 'UK', regions: ['GB'], priority: 1 },
  ];

  it('sends rejected units to the home warehouse: region first, then priority', () => {
    expect(homeWarehouse('DE', warehouses)).toBe('EU');
    expect(homeWarehouse('US', warehouses)).toBe('UK');
    expect(homeWarehouse('US', [])).toBeNull();
    const rows = attributeDemand(
      [{ skuId: 'S', warehouseId: 'UK', day: '2026-01-05', quantity: 2, lines: 1 }],
      [{ skuId: 'S', customerId: 'C', day: '2026-01-05', quantity: 3, lines: 2 }],
      () => 'UK',
    );
    expect(rows).toEqual([{ skuId: 'S', warehouseId: 'UK', day: '2026-01-05', quantity: 5, lines: 3 }]);
  });

  it('fills days and periods without demand with 0', () => {
    const rows = [{ skuId: 'S', warehouseId: 'UK', day: '2026-01-07', quantity: 4, lines: 1 }];
    expect(dailySeries(rows, '2026-01-05', '2026-01-08')).toEqual([0, 0, 4, 0]);
    expect(periodSeries(rows, '2026-01-01', '2026-02-10', 'month').map((p) => p.quantity)).toEqual([4, 0]);
  });
});

describe('estimator and inputs', () => {
  it('takes the mean and sample variance of daily demand', () => {
    const e = trailingMoments({ skuId: 'S', warehouseId: 'W', from: '2026-01-01', daily: [1, 3, 2, 6] });
    expect(e).toEqual({ dailyMean: 3, dailyVariance: 14 / 3, method: 'trailing-mean(4d)' });
    expect(trailingMoments({ skuId: 'S', warehouseId: 'W', from: '2026-01-01', daily: [] })).toMatchObject({ dailyMean: 0, dailyVariance: 0 });
  });

  const history = (daily: number[]) => ({ skuId: 'S', warehouseId: 'W', from: '2026-01-01', daily });

  it('forecasts the next week from whole weekly buckets and spreads its law over 7 days', () => {
    // 30 days: the first 2 are left out, then 4 weeks of 7, 0, 14, 7 units.
    const daily = [9, 9, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1];
    const direct = forecastSeries(Float64Array.from([7, 0, 14, 7]), { horizon: 1, quantiles: [], method: 'auto' });
    const { perPeriod } = horizonDemandInputs(direct, 1);
    const e = weeklyForecast(history(daily));
    expect(e.method).toBe(`weekly-forecast(${direct.method}, 4w)`);
    expect(e.dailyMean).toBeCloseTo(perPeriod.mean / 7, 12);
    expect(e.dailyVariance).toBeCloseTo(perPeriod.variance / 7, 12);
    expect(e.dailyMean).toBeGreaterThan(0);
  });

  it('uses the trailing moments below four whole weeks of history', () => {
    const short = Array.from({ length: 7 * minForecastWeeks - 1 }, (_, d) => d % 3);
    expect(weeklyForecast(history(short))).toEqual(trailingMoments(history(short)));
    expect(weeklyForecast(history([]))).toMatchObject({ dailyMean: 0, dailyVariance: 0 });
  });

  it('gives a finite, non-negative rate and variance for any non-negative history, zero for none', () => {
    const daily = fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 50 })), { minLength: 28, maxLength: 200 });
    fc.assert(
      fc.property(daily, (d) => {
        const e = weeklyForecast(history(d));
        expect(Number.isFinite(e.dailyMean) && e.dailyMean >= 0).toBe(true);
        expect(Number.isFinite(e.dailyVariance) && e.dailyVariance >= 0).toBe(true);
        if (d.every((x) => x === 0)) expect(e.dailyMean).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it('follows a steady rate: 3 a day for 26 weeks is about 3 a day', () => {
    const e = weeklyForecast(history(Array.from({ length: 182 }, () => 3)));
    expect(e.dailyMean).toBeCloseTo(3, 6);
    expect(e.method).toMatch(/^weekly-forecast\(.+, 26w\)$/);
  });

  it('fits normal to smooth demand and counts low volumes in units', () => {
    expect(chooseFamily({ mean: 5, variance: 40 }, 10)).toBe('normal');
    expect(chooseFamily({ mean: 0.5, variance: 2 }, 10)).toBe('negative-binomial');
    expect(chooseFamily({ mean: 0.5, variance: 0.4 }, 10)).toBe('poisson');
    expect(chooseFamily({ mean: 0, variance: 0 }, 10)).toBe('normal');
  });

  it('measures lead times from five receipts of the item, else of the supplier, else uses the configured one', () => {
    const r = (skuId: string, days: number) => ({ supplierId: 'S', skuId, placedAt: '2026-01-01T10:00:00Z', expectedDate: '2026-01-05', receivedAt: `${shiftDay('2026-01-01', days)}T09:00:00Z` });
    expect(leadTimeEstimate('A', 7, [r('A', 5), r('B', 9)])).toEqual({ meanDays: 7, sdDays: 0, source: 'configured', receipts: 0 });
    const supplierWide = leadTimeEstimate('A', 7, [r('A', 4), r('B', 6), r('B', 6), r('B', 6), r('B', 8)]);
    expect(supplierWide).toMatchObject({ meanDays: 6, source: 'supplier-receipts', receipts: 5 });
    expect(supplierWide.sdDays).toBeCloseTo(Math.sqrt(2), 12);
    expect(leadTimeEstimate('A', 7, [1, 2, 3, 4, 5].map((d) => r('A', d)))).toMatchObject({ meanDays: 3, source: 'item-receipts' });
  });

  it('picks the cheapest supplier, then the faster, then by id', () => {
    const s = (supplierId: string, unitCostMinor: number, meanDays: number): SupplierChoice => ({
      supplierId, unitCostMinor, packSize: 1, minOrderQty: 1, leadTime: { meanDays, sdDays: 0, source: 'configured', receipts: 0 },
    });
    expect(cheapestSupplier([s('B', 10, 5), s('A', 10, 5), s('C', 10, 4), s('D', 11, 1)])?.supplierId).toBe('C');
    expect(cheapestSupplier([s('B', 10, 5), s('A', 10, 5)])?.supplierId).toBe('A');
    expect(cheapestSupplier([])).toBeNull();
  });
});
