// summary.ts: the measures of a hand-made Totals, the wait quantiles, interpolation along a curve and reductions.
import { describe, expect, it } from 'vitest';
import { emptyTotals, type SettingResult, type Totals } from './run.js';
import { interpolate, reduction, summarize, type Summary } from './summary.js';

const result = (t: Partial<Totals>): SettingResult => ({ family: 'f', knob: 'k', setting: 1, totals: { ...emptyTotals(), ...t } });

describe('summarize', () => {
  it('every measure of a small panel, by hand', () => {
    // 2 items x 10 measured periods. Waits: filled 4 after 1 period, 3 after 2, 1 after 3; still waiting: 2 at 2.
    const s = summarize(
      result({
        items: 2, itemPeriods: 20, demandUnits: 50, demandLines: 10, fromStockUnits: 40, shortUnits: 10, shortLines: 3, lostUnits: 0,
        shippedUnits: 48, shippedValue: 96, onHandUnitPeriods: 60, onHandValuePeriods: 150, backlogUnitPeriods: 14, orders: 6, orderedUnits: 50,
        holdingCost: 5, orderingCost: 60, backorderCost: 7, waits: [0, 4, 3, 1], openWaits: [0, 0, 2],
      }),
      12,
    );
    expect(s).toMatchObject({
      family: 'f',
      setting: 1,
      fillRate: 0.8, // 40 / 50
      backorderRateUnits: 0.2, // 10 / 50
      backorderRateLines: 0.3, // 3 / 10
      backorderedUnits: 10,
      averageOnHandUnitsPerItem: 3, // 60 unit-periods / 20 item-periods
      averageOnHandValue: 15, // 150 value-periods / 10 periods (both items together)
      orders: 6,
      totalCost: 72, // 5 + 60 + 7
    });
    // Turnover: 96 shipped over 10/12 of a year, against 15 on hand: 96 x 1.2 / 15.
    expect(s.inventoryTurnover).toBeCloseTo(7.68, 12);
    // Waits with the open ones: [0, 4, 5, 1]: mean (4 + 10 + 3) / 10 = 1.7; 90% of 10 units = 9, reached at 2.
    expect(s.backorderDurationMean).toBeCloseTo(1.7, 12);
    expect(s.backorderDurationP90).toBe(2);
  });

  it('p90 of the waits: the smallest wait with 90% of the units at or below it', () => {
    // 6 units: 5 at 0 (83%), one at 9.
    expect(summarize(result({ waits: [5, 0, 0, 0, 0, 0, 0, 0, 0, 1] }), 12).backorderDurationP90).toBe(9);
    // 10 units: 9 at 0 is exactly 90%.
    expect(summarize(result({ waits: [9, 0, 1] }), 12).backorderDurationP90).toBe(0);
    // Only open waits count too: 1 unit waiting 4 periods so far.
    expect(summarize(result({ openWaits: [0, 0, 0, 0, 1] }), 12)).toMatchObject({ backorderDurationP90: 4, backorderDurationMean: 4 });
  });

  it('no demand: fill rate 1, no backorders, no turnover', () => {
    expect(summarize(result({ items: 1, itemPeriods: 5 }), 52)).toMatchObject({ fillRate: 1, backorderRateUnits: 0, backorderRateLines: 0, inventoryTurnover: 0, backorderDurationMean: 0, backorderDurationP90: 0 });
  });
});

describe('interpolate', () => {
  // (inventory, fill rate), given out of order: (2, 0.9), (1, 0.8), (4, 0.95).
  const point = (inv: number, fill: number) => ({ averageOnHandUnitsPerItem: inv, fillRate: fill }) as Summary;
  const curve = [point(2, 0.9), point(1, 0.8), point(4, 0.95)];

  it('inside the range: linear between the settings on either side', () => {
    expect(interpolate(curve, 'averageOnHandUnitsPerItem', 3, 'fillRate')).toBeCloseTo(0.925, 12); // 0.9 + 0.05 / 2
    expect(interpolate(curve, 'averageOnHandUnitsPerItem', 1.5, 'fillRate')).toBeCloseTo(0.85, 12);
    // The other way round: the inventory for a 93% fill rate, 2 + 2 x 0.03 / 0.05.
    expect(interpolate(curve, 'fillRate', 0.93, 'averageOnHandUnitsPerItem')).toBeCloseTo(3.2, 12);
  });

  it('at a setting: its value; at the ends too', () => {
    expect(interpolate(curve, 'averageOnHandUnitsPerItem', 2, 'fillRate')).toBe(0.9);
    expect(interpolate(curve, 'averageOnHandUnitsPerItem', 1, 'fillRate')).toBe(0.8);
    expect(interpolate(curve, 'averageOnHandUnitsPerItem', 4, 'fillRate')).toBe(0.95);
  });

  it('outside the range: null, never extrapolated', () => {
    expect(interpolate(curve, 'averageOnHandUnitsPerItem', 0.5, 'fillRate')).toBeNull();
    expect(interpolate(curve, 'averageOnHandUnitsPerItem', 4.01, 'fillRate')).toBeNull();
    expect(interpolate(curve, 'fillRate', 0.99, 'averageOnHandUnitsPerItem')).toBeNull();
    expect(interpolate([], 'fillRate', 0.9, 'averageOnHandUnitsPerItem')).toBeNull();
  });
});

describe('reduction', () => {
  it('1 - a / b, null when either is missing or b is not positive', () => {
    expect(reduction(6, 10)).toBeCloseTo(0.4, 12);
    expect(reduction(12, 10)).toBeCloseTo(-0.2, 12);
    expect(reduction(null, 10)).toBeNull();
    expect(reduction(5, null)).toBeNull();
    expect(reduction(5, 0)).toBeNull();
  });
});
