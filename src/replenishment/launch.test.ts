import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { launchAnalogs, launchEstimate, launchSettings, type LaunchSample } from './launch.js';

const sample = (skuId: string, unitCostMinor: number, uk: number, ukLines = 1, eu?: number): LaunchSample => ({
  skuId,
  unitCostMinor,
  byWarehouse: new Map([['UK', { units: uk, lines: ukLines }], ...(eu === undefined ? [] : ([['EU', { units: eu, lines: 1 }]] as const))]),
});

describe('a product about to launch, from the launches nearest it in unit cost', () => {
  it('takes the 25 nearest by cost ratio: their mean and variance over 28 days, their line size', () => {
    // 25 cheap launches (1.00-1.24) sold 28 or 56 units in 14 lines; 10 dear ones (40.00) sold 2 each.
    const cheap = Array.from({ length: 25 }, (_, i) => sample(`C${i}`, 100 + i, i % 2 === 0 ? 28 : 56, 14));
    const dear = Array.from({ length: 10 }, (_, i) => sample(`D${i}`, 4000, 2, 2));
    const e = launchEstimate(110, 'UK', [...dear, ...cheap])!;
    const units = cheap.map((c) => c.byWarehouse.get('UK')!.units);
    const mean = units.reduce((a, b) => a + b, 0) / 25;
    const variance = units.reduce((a, u) => a + (u - mean) ** 2, 0) / 24;
    expect(e.analogs).toBe(25);
    expect(e.dailyMean).toBeCloseTo(mean / 28, 12);
    expect(e.dailyVariance).toBeCloseTo(variance / 28, 12);
    expect(e.meanLineSize).toBeCloseTo((13 * 28 + 12 * 56) / (25 * 14), 12);
    expect(e.method).toContain('launch-analogs');
    // A dear product is compared with the dear launches first.
    expect(launchEstimate(4000, 'UK', [...dear, ...cheap])!.dailyMean).toBeLessThan(e.dailyMean);
  });

  it('counts a launch that sold nothing at a warehouse as 0 there, and plans nothing where none sold', () => {
    const launches = Array.from({ length: 12 }, (_, i) => sample(`L${i}`, 100, 28, 2, i < 3 ? 14 : undefined));
    const eu = launchEstimate(100, 'EU', launches)!;
    expect(eu.dailyMean).toBeCloseTo((3 * 14) / 12 / 28, 12);
    const none = Array.from({ length: 12 }, (_, i) => sample(`N${i}`, 100, 5));
    expect(launchEstimate(100, 'EU', none)!.dailyMean).toBe(0);
  });

  it('makes no estimate from fewer than minAnalogs launches', () => {
    const few = Array.from({ length: launchSettings.minAnalogs - 1 }, (_, i) => sample(`F${i}`, 100, 28));
    expect(launchEstimate(100, 'UK', few)).toBeNull();
    expect(launchEstimate(100, 'UK', [...few, sample('X', 100, 28)])).not.toBeNull();
  });

  it('picks the same launches as sorting them all by distance in log cost, ties by SKU id', () => {
    const launch = fc.record({ cost: fc.constantFrom(1, 50, 99, 100, 101, 200, 5000, 5001), id: fc.integer({ min: 0, max: 200 }) });
    fc.assert(
      fc.property(fc.uniqueArray(launch, { minLength: 1, maxLength: 80, selector: (x) => x.id }), fc.integer({ min: 1, max: 6000 }), (xs, cost) => {
        const samples = xs.map((x) => sample(`S${String(x.id).padStart(3, '0')}`, x.cost, 1));
        const d = (x: LaunchSample) => Math.abs(Math.log(x.unitCostMinor) - Math.log(cost));
        const brute = [...samples].sort((a, b) => d(a) - d(b) || (a.skuId < b.skuId ? -1 : 1)).slice(0, launchSettings.analogs);
        expect(launchAnalogs(samples).nearest(cost).map((x) => x.skuId)).toEqual(brute.map((x) => x.skuId));
      }),
    );
  });

  it('does not depend on the order of the launches, and its variance is never below its mean (Poisson at least)', () => {
    const launch = fc.record({ cost: fc.integer({ min: 1, max: 100_000 }), units: fc.integer({ min: 0, max: 500 }), lines: fc.integer({ min: 0, max: 20 }) });
    fc.assert(
      fc.property(fc.array(launch, { minLength: 10, maxLength: 60 }), fc.integer({ min: 1, max: 100_000 }), (xs, cost) => {
        const samples = xs.map((x, i) => sample(`S${String(i).padStart(3, '0')}`, x.cost, x.units, x.lines));
        const a = launchEstimate(cost, 'UK', samples)!;
        const b = launchEstimate(cost, 'UK', [...samples].reverse())!;
        expect(b).toEqual(a);
        expect(a.analogs).toBe(Math.min(launchSettings.analogs, xs.length));
        expect(a.dailyVariance).toBeGreaterThanOrEqual(a.dailyMean - 1e-12);
      }),
    );
  });
});
