import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { monthlyTrend, performance, type ReceiptSample } from './performance.js';

const r = (placedAt: string, expectedDate: string, receivedAt: string): ReceiptSample => ({ supplierId: 'S', skuId: 'K', placedAt, expectedDate, receivedAt });

describe('monthlyTrend', () => {
  it('by hand: receipts grouped by the month they arrived, oldest first', () => {
    // January: one on time (lead 10, lateness -1), one 4 days late (lead 14); March: one 2 days late (lead 7).
    const trend = monthlyTrend([r('2026-03-01', '2026-03-06', '2026-03-08'), r('2026-01-01', '2026-01-12', '2026-01-11'), r('2026-01-05', '2026-01-15', '2026-01-19')]);
    expect(trend).toEqual([
      { month: '2026-01', receipts: 2, onTimeRate: 0.5, meanLeadTimeDays: 12, meanLatenessDays: 1.5 },
      { month: '2026-03', receipts: 1, onTimeRate: 0, meanLeadTimeDays: 7, meanLatenessDays: 2 },
    ]);
    expect(monthlyTrend([])).toEqual([]);
  });

  it('adds up to the whole: receipts sum, and the receipt-weighted on-time rate is the overall one', () => {
    const day = fc.integer({ min: 0, max: 200 }).map((d) => new Date(Date.UTC(2026, 0, 1) + d * 86_400_000).toISOString().slice(0, 10));
    fc.assert(
      fc.property(fc.array(fc.tuple(day, fc.integer({ min: 0, max: 30 }), fc.integer({ min: -5, max: 10 })), { minLength: 1, maxLength: 40 }), (xs) => {
        const add = (d: string, n: number) => new Date(Date.parse(d) + n * 86_400_000).toISOString().slice(0, 10);
        const rs = xs.map(([placed, lead, late]) => r(placed, add(placed, lead), add(placed, lead + late)));
        const trend = monthlyTrend(rs);
        expect(trend.reduce((s, m) => s + m.receipts, 0)).toBe(rs.length);
        const onTime = trend.reduce((s, m) => s + m.onTimeRate * m.receipts, 0) / rs.length;
        expect(onTime).toBeCloseTo(performance(rs, []).onTimeRate!, 12);
        expect(trend.map((m) => m.month)).toEqual([...new Set(rs.map((x) => x.receivedAt.slice(0, 7)))].sort());
      }),
    );
  });
});
