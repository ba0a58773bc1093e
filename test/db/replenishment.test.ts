/**
 * Replenishment on every engine, from a hand-built history: orders placed on known days (a manual clock) become
 * unconstrained demand per warehouse; the policy of a hand-made SKU equals planPolicy called with the same inputs;
 * lead times are measured from receipts; risk ranks an empty SKU with demand above a well-stocked one.
 * Timeline (2026, UTC): Mon 01-05 to Tue 01-20, which is "today" when the tests run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../support/engines.js';
import { customer, must, openTestContext, seedCatalog, sku, type TestContext } from '../support/context.js';
import { catalogService } from '../../src/catalog/service.js';
import { supplierDef } from '../../src/catalog/entities.js';
import { receiveStock } from '../../src/inventory/service.js';
import { placeOrder } from '../../src/orders/service.js';
import { cancelLine, shipOrder } from '../../src/orders/fulfilment.js';
import { createPurchaseOrder, putSupplierItem, receivePurchaseOrder } from '../../src/purchasing/service.js';
import { planPolicy } from '../../src/planning/policies.js';
import { demandHistory } from '../../src/replenishment/history.js';
import { listPolicies, listRecommendations, listRisks } from '../../src/replenishment/service.js';

/** BOLT's demand per day from 01-06 to 01-19 (14 days), all ordered by customer A (served from UK). */
const boltDaily = [5, 7, 0, 6, 4, 8, 5, 0, 6, 5, 7, 3, 6, 5];
/** NUT's five purchase orders, all placed on 01-05, received after these many days. */
const nutLeadTimes = [8, 10, 12, 9, 11];

const day = (offset: number) => new Date(Date.UTC(2026, 0, 5 + offset)).toISOString().slice(0, 10);

describe.each(engines)('replenishment on $name', (engine) => {
  let t: TestContext;
  const at = (d: string) => t.clock.set(`${d}T10:00:00.000Z`);
  const order = async (customerId: string, skuId: string, quantity: number) => must(await placeOrder(t.ctx, { customerId, lines: [{ skuId, quantity }] }));

  beforeAll(async () => {
    t = await openTestContext(engine);
    await seedCatalog(t.ctx, {
      skus: [sku('MUG'), sku('LAMP', 'deny'), { ...sku('BOLT'), unitCostMinor: 250 }, sku('EMPTY'), sku('NUT')],
      customers: [customer('A', 'GB'), customer('D', 'DE')],
    });
    must(await catalogService(supplierDef).create(t.ctx, { id: 'ACME', name: 'Acme', defaultLeadTimeDays: 20 }));
    must(await putSupplierItem(t.ctx, 'ACME', 'BOLT', { leadTimeDays: 10, packSize: 12, minOrderQty: 24, unitCostMinor: 200 }));
    must(await putSupplierItem(t.ctx, 'ACME', 'EMPTY', { leadTimeDays: 7, packSize: 1, minOrderQty: 1, unitCostMinor: 100 }));
    // NUT comes from its own supplier: ACME's lead times stay configured (five receipts would measure them too).
    must(await catalogService(supplierDef).create(t.ctx, { id: 'NUTCO', name: 'Nut Co', defaultLeadTimeDays: 20 }));
    must(await putSupplierItem(t.ctx, 'NUTCO', 'NUT', { packSize: 1, minOrderQty: 1, unitCostMinor: 10 }));

    // 01-05: 5 mugs in stock, A asks for 8 (5 allocated and shipped, 3 backordered at UK); BOLT stocked; NUT ordered.
    at(day(0));
    must(await receiveStock(t.ctx, { skuId: 'MUG', warehouseId: 'UK', quantity: 5 }));
    must(await receiveStock(t.ctx, { skuId: 'BOLT', warehouseId: 'UK', quantity: 1000 }));
    const first = await order('A', 'MUG', 8);
    must(await shipOrder(t.ctx, first.order.id, { warehouseId: 'UK' }));
    const nutPos = [];
    for (let i = 0; i < nutLeadTimes.length; i++) {
      nutPos.push(must(await createPurchaseOrder(t.ctx, { supplierId: 'NUTCO', place: true, lines: [{ skuId: 'NUT', warehouseId: 'UK', quantity: 1, expectedDate: day(20) }] })));
    }
    for (let d = 1; d <= 15; d++) {
      at(day(d));
      const bolt = boltDaily[d - 1];
      if (bolt) await order('A', 'BOLT', bolt);
      for (const [i, lead] of nutLeadTimes.entries()) {
        if (lead === d) must(await receivePurchaseOrder(t.ctx, nutPos[i]!.id, { lines: [{ lineId: nutPos[i]!.lines[0]!.id, quantity: 1 }] }));
      }
      if (d === 2) {
        // D (DE, served first by EU) asks for 4 mugs: none anywhere, so they wait at EU; D then cancels them.
        const mugs = await order('D', 'MUG', 4);
        must(await cancelLine(t.ctx, mugs.order.id, mugs.intake[0]!.lineId, {}));
        await order('D', 'LAMP', 6); // refused (deny): lost demand at D's home warehouse, EU
      }
      if (d === 7) await order('A', 'LAMP', 2); // refused at A's home warehouse, UK
      if (d === 3) await order('A', 'EMPTY', 3);
      if (d === 8) await order('A', 'EMPTY', 4);
      if (d === 11) {
        await order('A', 'EMPTY', 2);
        must(await createPurchaseOrder(t.ctx, { supplierId: 'ACME', place: true, lines: [{ skuId: 'EMPTY', warehouseId: 'UK', quantity: 5, expectedDate: day(20) }] }));
      }
    }
    at(day(15)); // today: Tue 01-20
    await order('A', 'MUG', 1);
  });
  afterAll(async () => t.close());

  it('counts allocated, backordered and rejected units as demand, by day, with empty days as 0', async () => {
    const h = must(await demandHistory(t.ctx, { skuId: 'MUG', warehouseId: 'UK', period: 'day', from: '2026-01-05', to: '2026-01-11' }));
    expect(h.series).toHaveLength(1);
    expect(h.series[0]!.periods.map((p) => p.quantity)).toEqual([8, 0, 0, 0, 0, 0, 0]);
    expect(h.series[0]!.periods.map((p) => p.period)).toEqual(['2026-01-05', '2026-01-06', '2026-01-07', '2026-01-08', '2026-01-09', '2026-01-10', '2026-01-11']);
  });

  it('groups by ISO week and puts each part at its warehouse: backorders where they wait, rejections at home', async () => {
    const mug = must(await demandHistory(t.ctx, { skuId: 'MUG', period: 'week', from: '2026-01-05', to: '2026-01-25' }));
    const weeks = (s: typeof mug.series) => Object.fromEntries(s.map((x) => [x.warehouseId, x.periods.map((p) => `${p.period}:${p.quantity}`)]));
    // The cancelled backorder at EU still counts: D asked for 4 mugs.
    expect(weeks(mug.series)).toEqual({ EU: ['2026-W02:4', '2026-W03:0', '2026-W04:0'], UK: ['2026-W02:8', '2026-W03:0', '2026-W04:1'] });
    const lamp = must(await demandHistory(t.ctx, { skuId: 'LAMP', period: 'week', from: '2026-01-05', to: '2026-01-25' }));
    expect(weeks(lamp.series)).toEqual({ EU: ['2026-W02:6', '2026-W03:0', '2026-W04:0'], UK: ['2026-W02:0', '2026-W03:2', '2026-W04:0'] });
  });

  it('rounds the range out to whole months and counts every unit asked for exactly once', async () => {
    const all = must(await demandHistory(t.ctx, { period: 'month', from: '2026-01-10', to: '2026-01-20' }));
    expect([all.from, all.to]).toEqual(['2026-01-01', '2026-01-31']);
    const total = all.series.reduce((s, x) => s + x.total, 0);
    const asked = 8 + 4 + 6 + 2 + 1 + 3 + 4 + 2 + boltDaily.reduce((a, b) => a + b, 0);
    expect(total).toBe(asked);
    expect(all.series.find((s) => s.skuId === 'BOLT' && s.warehouseId === 'UK')!.periods).toEqual([
      { period: '2026-01', start: '2026-01-01', end: '2026-01-31', quantity: boltDaily.reduce((a, b) => a + b, 0) },
    ]);
  });

  it('computes the policy of a hand-made SKU exactly as planPolicy does with the same inputs', async () => {
    const mean = boltDaily.reduce((a, b) => a + b, 0) / boltDaily.length;
    const variance = boltDaily.reduce((s, x) => s + (x - mean) ** 2, 0) / (boltDaily.length - 1);
    for (const [kind, serviceType, reviewDays] of [['sQ', 'fill-rate', 7], ['RS', 'cycle', 14], ['sS', 'fill-rate', 0]] as const) {
      const [row] = must(await listPolicies(t.ctx, { skuId: 'BOLT', warehouseId: 'UK', windowDays: 14, policy: kind, serviceType, reviewDays, service: 0.97 }));
      expect(row!.demand).toMatchObject({ from: '2026-01-06', to: '2026-01-19', days: 14, family: 'normal' });
      expect(row!.demand.dailyMean).toBeCloseTo(mean, 12);
      expect(row!.demand.dailyVariance).toBeCloseTo(variance, 12);
      expect(row!.supplier).toMatchObject({ supplierId: 'ACME', leadTime: { meanDays: 10, sdDays: 0, source: 'configured' } });
      const direct = planPolicy(
        kind,
        {
          family: 'normal',
          dailyDemand: { mean, variance },
          leadTime: { meanDays: 10, sdDays: 0 },
          orderCost: 2500,
          holdingCostPerUnitYear: 0.25 * 200,
          minimumOrder: 24,
          packSize: 12,
        },
        { measure: serviceType === 'cycle' ? 'cycle-service-level' : 'fill-rate', level: 0.97 },
        reviewDays,
      );
      expect(row!.policy).toEqual({
        kind,
        reviewDays,
        reorderPoint: direct.kind === 'RS' ? null : direct.reorderPoint,
        orderQuantity: direct.kind === 'sQ' ? direct.orderQuantity : null,
        orderUpTo: direct.kind === 'sQ' ? null : direct.orderUpTo,
        safetyStock: direct.safetyStock,
      });
      expect(row!.expected).toEqual(direct.expected);
    }
  });

  it('counts the order lines behind the units: a line once per warehouse it had a part at', async () => {
    const rows = must(await listPolicies(t.ctx, { windowDays: 15 }));
    const demand = (skuId: string, warehouseId: string) => rows.find((r) => r.skuId === skuId && r.warehouseId === warehouseId)?.demand;
    // 01-05: 8 mugs, 5 allocated and 3 backordered at UK: one line (today's order is outside the window).
    expect(demand('MUG', 'UK')).toMatchObject({ units: 8, lines: 1, meanLineSize: 8 });
    expect(demand('MUG', 'EU')).toMatchObject({ units: 4, lines: 1 }); // D's 4, backordered at EU, then cancelled
    expect(demand('LAMP', 'EU')).toMatchObject({ units: 6, lines: 1 }); // refused, at D's home
    const boltUnits = boltDaily.reduce((a, b) => a + b, 0);
    expect(demand('BOLT', 'UK')).toMatchObject({ units: boltUnits, lines: boltDaily.filter((u) => u > 0).length });
    expect(demand('BOLT', 'UK')!.meanLineSize).toBeCloseTo(boltUnits / 12, 12);
  });

  it('plans for a price on each backordered line as planPolicy does with the pair mean line size', async () => {
    const mean = boltDaily.reduce((a, b) => a + b, 0) / boltDaily.length;
    const variance = boltDaily.reduce((s, x) => s + (x - mean) ** 2, 0) / (boltDaily.length - 1);
    const [row] = must(await listPolicies(t.ctx, { skuId: 'BOLT', warehouseId: 'UK', windowDays: 14, serviceType: 'line-cost', backorderCostMinor: 900 }));
    const inputs = { family: 'normal', dailyDemand: { mean, variance }, leadTime: { meanDays: 10, sdDays: 0 }, orderCost: 2500, holdingCostPerUnitYear: 0.25 * 200, minimumOrder: 24, packSize: 12 } as const;
    const direct = planPolicy('sQ', inputs, { measure: 'line-shortage-cost', costPerLine: 900, meanLineSize: (mean * boltDaily.length) / 12 }, 7);
    expect(row!.policy).toMatchObject({ kind: 'sQ', reorderPoint: direct.kind === 'sQ' ? direct.reorderPoint : NaN, safetyStock: direct.safetyStock });
    expect(row!.expected).toEqual(direct.expected);
    // A dearer backordered line buys more cover.
    const [dearer] = must(await listPolicies(t.ctx, { skuId: 'BOLT', warehouseId: 'UK', windowDays: 14, serviceType: 'line-cost', backorderCostMinor: 90_000 }));
    expect(dearer!.policy!.safetyStock).toBeGreaterThan(row!.policy!.safetyStock);
  });

  it('measures the lead time from five receipts of the item: mean and sample sd', async () => {
    const [row] = must(await listPolicies(t.ctx, { skuId: 'NUT', warehouseId: 'UK' }));
    expect(row!.supplier!.leadTime).toMatchObject({ source: 'item-receipts', receipts: 5, meanDays: 10 });
    expect(row!.supplier!.leadTime.sdDays).toBeCloseTo(Math.sqrt(2.5), 12);
  });

  it('fits a negative binomial to lumpy low-volume demand', async () => {
    const [row] = must(await listPolicies(t.ctx, { skuId: 'EMPTY', warehouseId: 'UK', windowDays: 14 }));
    // 9 units over 14 days in three lumps: variance > mean, and 9/14 x (7 + 7) = 9 units over review + lead time.
    expect(row!.demand.family).toBe('negative-binomial');
    expect(row!.policy!.reorderPoint).toBe(Math.round(row!.policy!.reorderPoint!));
  });

  it('ranks a SKU with demand and no stock above one with plenty, and says why', async () => {
    const risks = must(await listRisks(t.ctx, { windowDays: 14, limit: 100 }));
    const rank = (skuId: string) => risks.findIndex((r) => r.skuId === skuId && r.warehouseId === 'UK');
    expect(rank('EMPTY')).toBeGreaterThanOrEqual(0);
    expect(rank('EMPTY')).toBeLessThan(rank('BOLT'));
    const empty = risks[rank('EMPTY')]!;
    // 9 waiting, 5 on a placed PO: position 0 - 0 - 9 + 5 = -4, so a backorder is certain.
    expect(empty).toMatchObject({ onHand: 0, allocated: 0, backordered: 9, onOrder: 5, inventoryPosition: -4, stockoutProbability: 1, daysUntilStockout: 0 });
    const bolt = risks[rank('BOLT')]!;
    expect(bolt.stockoutProbability).toBeLessThan(1e-6);
    expect(bolt.daysUntilStockout).toBeCloseTo((bolt.onHand - bolt.allocated - bolt.backordered) / bolt.dailyMean, 9);
    expect(risks.map((r) => r.stockoutProbability)).toEqual([...risks.map((r) => r.stockoutProbability)].sort((a, b) => b - a));
  });

  it('recommends for the uncovered shortages only (inventory position below 0), as among all pairs', async () => {
    const q = { windowDays: 14, limit: 100 };
    const all = must(await listRecommendations(t.ctx, { ...q, due: 'all' }));
    const uncovered = must(await listRecommendations(t.ctx, { ...q, due: 'uncovered' }));
    // EMPTY: 9 waiting, 5 on order; MUG: 4 waiting at UK, no supplier item (unsourced); BOLT and NUT are covered.
    expect(uncovered.items.map((r) => `${r.skuId}|${r.warehouseId}`)).toEqual(['EMPTY|UK']);
    expect(uncovered.items[0]).toMatchObject({ orderNow: true, inventoryPosition: -4 });
    expect(uncovered.items[0]).toEqual(all.items.find((r) => r.skuId === 'EMPTY' && r.warehouseId === 'UK'));
    expect(uncovered.unsourced.map((u) => `${u.skuId}|${u.warehouseId}|${u.inventoryPosition}`)).toEqual(['MUG|UK|-4']);
    expect(all.items.length + all.unsourced.length).toBeGreaterThan(2);
  });
});
