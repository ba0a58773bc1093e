import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addDays, daysBetween, probabilityAtMost, project, quantile, type Fallback, type SupplyLot, type WaitingBackorder } from './domain.js';
import { poLot, leadTimeFallback } from './supply.js';
import { historyStats } from './history.js';
import { performance } from '../purchasing/performance.js';

const lot = (id: string, date: string, quantity: number, warehouseId = 'UK', confidence = 0.8): SupplyLot => ({
  id,
  warehouseId,
  quantity,
  date,
  confidence,
  basis: { kind: 'po', poId: `po-${id}`, poLineId: id, supplierId: 'S', expectedDate: date, shiftDays: 0 },
});
const bo = (id: string, waiting: number, warehouseId = 'UK', flexible = true): WaitingBackorder => ({ backorderId: id, waiting, warehouseId, flexible });
const fallback: Fallback = { date: '2026-03-01', confidence: 0.5, basis: { kind: 'lead_time', supplierId: 'S', leadTimeDays: 50, quantile: 0.8 } };
const noSupplier: Fallback = { date: null, confidence: 0, basis: { kind: 'none', reason: 'no supplier' } };

describe('project by hand', () => {
  it('consumes POs earliest first in queue order; the lot that completes a backorder gives its date', () => {
    const ps = project([bo('a', 3), bo('b', 4), bo('c', 5)], [lot('late', '2026-02-10', 10), lot('early', '2026-01-20', 5)], fallback);
    expect(ps.map((p) => [p.backorderId, p.date, p.confirmed])).toEqual([
      ['a', '2026-01-20', true],
      ['b', '2026-02-10', true],
      ['c', '2026-02-10', true],
    ]);
    expect(ps[1]!.takes).toEqual(new Map([['early', 2], ['late', 2]]));
    expect(ps[1]!.basis).toMatchObject({ kind: 'po', poLineId: 'late' });
  });

  it('promises what no inbound covers from the lead time, unconfirmed, never before demand ahead of it', () => {
    const ps = project([bo('a', 5), bo('b', 5)], [lot('x', '2026-04-01', 6)], fallback);
    expect(ps[0]).toMatchObject({ date: '2026-04-01', confirmed: true });
    // b takes the last unit of x and waits for the rest: not before x arrives, though today + lead time is 2026-03-01.
    expect(ps[1]).toMatchObject({ date: '2026-04-01', confirmed: false, basis: { kind: 'lead_time' } });
    expect(project([bo('a', 1)], [], noSupplier)[0]).toMatchObject({ date: null, confidence: 0, basis: { kind: 'none' } });
  });

  it('lets a pinned backorder take only its own warehouse’s supply', () => {
    const ps = project([bo('pinned', 2, 'EU', false), bo('any', 2)], [lot('uk', '2026-01-10', 2, 'UK'), lot('eu', '2026-01-30', 2, 'EU')], fallback);
    expect(ps.map((p) => [p.backorderId, p.date])).toEqual([['pinned', '2026-01-30'], ['any', '2026-01-10']]);
  });

  it('uses the lowest confidence of the lots a backorder needs', () => {
    const [p] = project([bo('a', 4)], [lot('x', '2026-01-10', 2, 'UK', 0.9), lot('y', '2026-01-12', 2, 'UK', 0.6)], fallback);
    expect(p!.confidence).toBe(0.6);
  });
});

describe('supply lots and fallbacks from history', () => {
  const receipts = [3, 5, 8, 1, 10].map((late, i) => ({
    supplierId: 'S',
    skuId: 'K',
    placedAt: '2025-01-01T00:00:00.000Z',
    expectedDate: '2025-01-20',
    receivedAt: `${addDays('2025-01-20', late)}T10:00:00.000Z`,
    i,
  }));
  const line = { id: 'l1', po_id: 'po1', line_no: 1, sku_id: 'K', warehouse_id: 'UK', quantity: 10, received: 4, cancelled: 1, expected_date: '2026-02-01', original_expected_date: '2026-01-25', supplier_id: 'S' };

  it('shifts a PO line by the supplier’s lateness at the quantile and counts only its open units', () => {
    const l = poLot(line, { today: '2026-01-05', quantile: 0.8, history: historyStats(receipts, 0.8) });
    // lateness sample 1,3,5,8,10: p80 (type 7) = 8.4 -> 9 days.
    expect(l).toMatchObject({ quantity: 5, date: '2026-02-10', basis: { shiftDays: 9, expectedDate: '2026-02-01' } });
    expect(l.confidence).toBeCloseTo(5 / 7);
    expect(poLot(line, { today: '2026-01-05', quantile: 0.8, history: historyStats(receipts.slice(0, 4), 0.8) }).date).toBe('2026-02-01');
    expect(poLot(line, { today: '2026-03-01', quantile: 0.8, history: historyStats([], 0.8) }).date).toBe('2026-03-01');
  });

  it('estimates lead time at the quantile from history, else as configured, choosing the fastest supplier', () => {
    const item = { supplier_id: 'S', sku_id: 'K', lead_time_days: 30, pack_size: 1, min_order_qty: 1, unit_cost_minor: 1, created_at: '', updated_at: '' };
    const other = { ...item, supplier_id: 'T', lead_time_days: null };
    const fb = leadTimeFallback([item, other], new Map([['T', 12]]), { today: '2026-01-05', quantile: 0.8, history: historyStats([], 0.8) });
    expect(fb).toMatchObject({ date: '2026-01-17', confidence: 0.5, basis: { kind: 'lead_time', supplierId: 'T', leadTimeDays: 12 } });
    const measured = leadTimeFallback([item], new Map(), { today: '2026-01-05', quantile: 0.8, history: historyStats(receipts, 0.8) });
    // lead times 20,22,24,27,29 days: p80 = 27.4 -> 28.
    expect(measured.basis).toMatchObject({ leadTimeDays: 28 });
  });

  it('summarises supplier performance', () => {
    const p = performance(receipts, [{ quantity: 10, received: 8 }, { quantity: 10, received: 10 }]);
    expect(p).toMatchObject({ receipts: 5, onTimeRate: 0, quantityFillRate: 0.9 });
    expect(p.latenessDays).toMatchObject({ mean: 5.4, p50: 5 });
  });

  it('computes quantiles (type 7), smoothed probabilities and day arithmetic', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([], 0.5)).toBeNull();
    expect(probabilityAtMost([], 3)).toBe(0.5);
    expect(probabilityAtMost([1, 2, 9], 2)).toBe(3 / 5);
    expect(addDays('2026-02-27', 3)).toBe('2026-03-02');
    expect(daysBetween('2026-01-01', '2026-01-31T23:00:00Z')).toBe(30);
  });
});

const lotsArb = fc.uniqueArray(
  fc.record({
    id: fc.string({ minLength: 1, maxLength: 4 }),
    warehouseId: fc.constantFrom('UK', 'EU'),
    quantity: fc.integer({ min: 1, max: 20 }),
    date: fc.integer({ min: 0, max: 90 }).map((d) => addDays('2026-01-01', d)),
    confidence: fc.double({ min: 0, max: 1, noNaN: true }),
  }),
  { selector: (l) => l.id, maxLength: 8 },
).map((ls) => ls.map((l) => ({ ...l, basis: { kind: 'stock' as const } })));

describe('project properties', () => {
  it('never promises more of a lot than it holds, and never more to a backorder than it waits for', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ waiting: fc.integer({ min: 1, max: 15 }), warehouseId: fc.constantFrom('UK', 'EU'), flexible: fc.boolean() }), { maxLength: 12 }),
        lotsArb,
        (demands, lots) => {
          const queue = demands.map((d, i) => ({ ...d, backorderId: `b${i}` }));
          const ps = project(queue, lots, fallback);
          for (const l of lots) {
            const promised = ps.reduce((s, p) => s + (p.takes.get(l.id) ?? 0), 0);
            expect(promised).toBeLessThanOrEqual(l.quantity);
          }
          ps.forEach((p, i) => {
            const took = [...p.takes.values()].reduce((a, b) => a + b, 0);
            expect(took).toBeLessThanOrEqual(queue[i]!.waiting);
            expect(p.confirmed).toBe(took === queue[i]!.waiting && took > 0);
          });
        },
      ),
      { numRuns: 400 },
    );
  });

  it('gives non-decreasing dates along the queue for one SKU x warehouse', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 15 }), { maxLength: 12 }), lotsArb, fc.boolean(), (waits, lots, pinned) => {
        const queue = waits.map((w, i) => bo(`b${i}`, w, 'UK', !pinned));
        const dates = project(queue, lots, fallback).map((p) => p.date!);
        for (let i = 1; i < dates.length; i++) expect(dates[i]! >= dates[i - 1]!).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});

/** The projection as first written (quadratic, obviously right): the fast one must agree with it exactly. */
function naiveProject(queue: readonly WaitingBackorder[], lots: readonly SupplyLot[], fb: Fallback) {
  const ordered = [...lots].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : 1));
  const left = ordered.map((l) => l.quantity);
  const eligible = (b: WaitingBackorder, l: SupplyLot) => b.flexible || b.warehouseId === l.warehouseId;
  return queue.map((b) => {
    let need = b.waiting;
    const takes = new Map<string, number>();
    let completing: SupplyLot | null = null;
    let confidence = 1;
    ordered.forEach((l, i) => {
      if (need === 0 || left[i] === 0 || !eligible(b, l)) return;
      const take = Math.min(need, left[i]!);
      left[i]! -= take;
      need -= take;
      takes.set(l.id, take);
      confidence = Math.min(confidence, l.confidence);
      completing = l;
    });
    const done = completing as SupplyLot | null;
    if (need === 0 && done) return { backorderId: b.backorderId, date: done.date, confidence, confirmed: true, basis: done.basis, takes };
    const last = ordered.filter((l) => eligible(b, l)).at(-1)?.date ?? null;
    const date = fb.date === null ? null : last !== null && last > fb.date ? last : fb.date;
    return { backorderId: b.backorderId, date, confidence: fb.date === null ? 0 : fb.confidence, confirmed: false, basis: fb.basis, takes };
  });
}

describe('project agrees with the naive projection', () => {
  it('for any queue of pinned and flexible demand over lots at several warehouses', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ waiting: fc.integer({ min: 1, max: 15 }), warehouseId: fc.constantFrom('UK', 'EU', 'US'), flexible: fc.boolean() }), { maxLength: 15 }),
        lotsArb.map((ls) => ls.map((l, i) => ({ ...l, warehouseId: ['UK', 'EU', 'US'][i % 3]! }))),
        fc.constantFrom(fallback, noSupplier),
        (demands, lots, fb) => {
          const queue = demands.map((d, i) => ({ ...d, backorderId: `b${i}` }));
          expect(project(queue, lots, fb)).toEqual(naiveProject(queue, lots, fb));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
