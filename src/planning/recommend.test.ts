import { describe, expect, it } from 'vitest';
import { planSQ, planSS } from './policies.js';
import { maxWaitDays, recommendOrder, type RecommendInput, type SupplierOption } from './recommend.js';

const cheapSlow: SupplierOption = { supplierId: 'slow', leadTime: { meanDays: 20, sdDays: 4 }, unitCost: 9.5, minimumOrder: 200, packSize: 24 };
const dearFast: SupplierOption = { supplierId: 'fast', leadTime: { meanDays: 3, sdDays: 1 }, unitCost: 10, minimumOrder: 0, packSize: 12 };

const ask = (extra: Partial<RecommendInput> = {}): RecommendInput => ({
  policy: 'sQ',
  reviewDays: 0,
  target: { measure: 'fill-rate', level: 0.98 },
  family: 'normal',
  dailyDemand: { mean: 10, variance: 40 },
  orderCost: 60,
  holdingRate: 0.25,
  inventoryPosition: 500,
  suppliers: [cheapSlow],
  today: '2026-03-02',
  ...extra,
});

const policyFor = (s: SupplierOption) => ({
  family: 'normal' as const,
  dailyDemand: { mean: 10, variance: 40 },
  leadTime: s.leadTime,
  orderCost: 60,
  holdingCostPerUnitYear: 0.25 * s.unitCost,
  minimumOrder: s.minimumOrder,
  packSize: s.packSize,
});

describe('recommendOrder', () => {
  it('waits while the position is above s, and says by when to order', () => {
    const r = recommendOrder(ask())!;
    const s = planSQ(policyFor(cheapSlow), { measure: 'fill-rate', level: 0.98 }).reorderPoint;
    expect(r.orderNow).toBe(false);
    const days = Math.floor((500 - s) / 10);
    expect(r.orderBy).toBe(new Date(Date.UTC(2026, 2, 2 + days)).toISOString().slice(0, 10));
    expect(r.quantity).toBe(r.policy.kind === 'sQ' ? r.policy.orderQuantity : -1);
    expect(r.expectedFillRate).toBeCloseTo(0.98, 9);
  });

  it('a huge position over a trickle of demand says order in a century, not a day past the calendar', () => {
    // Found by the HTTP fuzzer: 10^8 units on hand and 2 units of demand in 1096 days threw "Invalid time value".
    for (const policy of ['sQ', 'sS'] as const) {
      const r = recommendOrder(ask({ policy, inventoryPosition: 100_000_000, dailyDemand: { mean: 2 / 1096, variance: 0.002 } }))!;
      expect(r.orderNow).toBe(false);
      expect(r.orderBy).toBe(new Date(Date.UTC(2026, 2, 2 + maxWaitDays)).toISOString().slice(0, 10));
      expect(r.expectedArrival).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('orders n Q when at or below s, enough to lift the position above s, in whole packs and above the MOQ', () => {
    const r = recommendOrder(ask({ inventoryPosition: -400 }))!;
    expect(r.orderNow).toBe(true);
    expect(r.orderBy).toBe('2026-03-02');
    if (r.policy.kind !== 'sQ') throw new Error('expected (s, Q)');
    const q = r.policy.orderQuantity;
    expect(r.quantity % q).toBe(0);
    expect(-400 + r.quantity).toBeGreaterThan(r.policy.reorderPoint);
    expect(-400 + r.quantity - q).toBeLessThanOrEqual(r.policy.reorderPoint);
    expect(q % 24).toBe(0);
    expect(q).toBeGreaterThanOrEqual(200);
    expect(r.orderValue).toBeCloseTo(r.quantity * 9.5 + 60, 9);
    expect(r.expectedArrival).toBe('2026-03-22');
  });

  it('(s, S) orders S minus the position, rounded up to packs', () => {
    const r = recommendOrder(ask({ policy: 'sS', reviewDays: 1, inventoryPosition: 100 }))!;
    const p = planSS(policyFor(cheapSlow), { measure: 'fill-rate', level: 0.98 }, 1);
    expect(r.orderNow).toBe(true);
    expect(r.quantity).toBe(Math.ceil((p.orderUpTo - 100) / 24) * 24);
  });

  it('(R, S) on a review day orders up to S', () => {
    const r = recommendOrder(ask({ policy: 'RS', reviewDays: 7, inventoryPosition: 50, suppliers: [dearFast] }))!;
    if (r.policy.kind !== 'RS') throw new Error('expected (R, S)');
    expect(r.quantity).toBe(Math.ceil((r.policy.orderUpTo - 50) / 12) * 12);
  });

  it('picks the lowest cost per unit at the target service, and the shortest lead time when a backorder is likely', () => {
    const calm = recommendOrder(ask({ suppliers: [dearFast, cheapSlow], inventoryPosition: 600 }))!;
    expect(calm.supplierId).toBe('slow');
    expect(calm.basis).toBe('lowest-cost');
    expect(calm.costPerUnit).toBeLessThan(10.2);
    const urgent = recommendOrder(ask({ suppliers: [dearFast, cheapSlow], inventoryPosition: 60 }))!;
    expect(urgent.supplierId).toBe('fast');
    expect(urgent.basis).toBe('shortest-lead-time');
    // Judged with the fast supplier's lead time the position is comfortable: its order can wait a few days.
    expect(urgent.risk).toBeLessThan(0.5);
    if (urgent.policy.kind !== 'sQ') throw new Error('expected (s, Q)');
    expect(urgent.orderNow).toBe(60 <= urgent.policy.reorderPoint);
    expect(urgent.orderBy! >= '2026-03-02' && urgent.orderBy! <= '2026-03-08').toBe(true);
  });

  it('with a much longer lead time, the price advantage goes into safety stock', () => {
    const verySlow = { ...cheapSlow, supplierId: 'very-slow', unitCost: 9.99, leadTime: { meanDays: 60, sdDays: 20 } };
    const r = recommendOrder(ask({ suppliers: [verySlow, dearFast], inventoryPosition: 2000 }))!;
    expect(r.supplierId).toBe('fast');
    expect(r.basis).toBe('lowest-cost');
  });

  it('without demand orders only backorders already taken; without suppliers says nothing', () => {
    const idle = recommendOrder(ask({ dailyDemand: { mean: 0, variance: 0 }, inventoryPosition: 5 }))!;
    expect([idle.orderNow, idle.quantity, idle.orderBy]).toEqual([false, 0, null]);
    const owed = recommendOrder(ask({ dailyDemand: { mean: 0, variance: 0 }, inventoryPosition: -7 }))!;
    expect([owed.orderNow, owed.quantity]).toEqual([true, 216]);
    expect(recommendOrder(ask({ suppliers: [] }))).toBeNull();
  });
});
