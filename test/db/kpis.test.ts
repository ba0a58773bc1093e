/**
 * KPIs on every engine, from a week where every figure was worked out by hand (README "KPIs" has the formulas).
 * Timeline (2026, UTC), cost 500 per unit everywhere; UK serves GB first, EU serves DE first; both customers
 * accept partial shipments; LAMP refuses backorders.
 *   01-05 09:00 receive MUG 10 at UK, LAMP 2 at EU
 *   01-05 10:00 O1 (A, GB, tier 1): MUG 4 (UK), LAMP 1 (EU, home UK)      -> filled
 *   01-05 11:00 O2 (D, DE, tier 2): MUG 3 (UK, home EU)                  -> filled
 *   01-06 10:00 O3 (A): MUG 5 (3 UK + 2 backordered at UK), LAMP 3 (1 EU, 2 refused)
 *   01-06 11:00 O4 (D): MUG 2 (backordered at EU, may be filled anywhere)
 *   01-07 12:00 ship O1 at UK, 01-07 11:00 ship O2 at UK, 01-08 10:00 ship O1 at EU (O1 complete: 72 h; O2: 48 h)
 *   01-09 09:00 receive MUG 4 at UK: O3's 2 and O4's 2 (FIFO)
 *   01-10 09:00 ship O3 at UK (its backorder fulfilled after 3 d 23 h), 10:00 at EU (O3 complete: 96 h)
 *   01-11 surveys answered: O1 5, O2 3, O3 4; the report is read on 01-12 12:00 for 01-05..01-11.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../support/engines.js';
import { customer, must, openTestContext, seedCatalog, sku, type TestContext } from '../support/context.js';
import { receiveStock } from '../../src/inventory/service.js';
import { placeOrder } from '../../src/orders/service.js';
import { shipOrder } from '../../src/orders/fulfilment.js';
import { answerSurvey } from '../../src/selfservice/csat.js';
import { kpiReport, type KpiRow } from '../../src/kpis/service.js';
import { foldKpis, foldedUntil, resetFold } from '../../src/kpis/rollup.js';

const at = (t: TestContext, stamp: string) => t.clock.set(`2026-01-${stamp}:00.000Z`);

describe.each(engines)('KPIs on $name', (engine) => {
  let t: TestContext;
  const ids: string[] = [];

  beforeAll(async () => {
    t = await openTestContext(engine);
    await seedCatalog(t.ctx, {
      skus: [sku('MUG'), sku('LAMP', 'deny')],
      customers: [customer('A', 'GB', 1), customer('D', 'DE', 2)],
    });
    at(t, '05T09:00');
    must(await receiveStock(t.ctx, { skuId: 'MUG', warehouseId: 'UK', quantity: 10 }));
    must(await receiveStock(t.ctx, { skuId: 'LAMP', warehouseId: 'EU', quantity: 2 }));
    const place = async (stamp: string, customerId: string, lines: { skuId: string; quantity: number }[]) => {
      at(t, stamp);
      ids.push(must(await placeOrder(t.ctx, { customerId, lines })).order.id);
    };
    await place('05T10:00', 'A', [{ skuId: 'MUG', quantity: 4 }, { skuId: 'LAMP', quantity: 1 }]);
    await place('05T11:00', 'D', [{ skuId: 'MUG', quantity: 3 }]);
    await place('06T10:00', 'A', [{ skuId: 'MUG', quantity: 5 }, { skuId: 'LAMP', quantity: 3 }]);
    await place('06T11:00', 'D', [{ skuId: 'MUG', quantity: 2 }]);
    const ship = async (stamp: string, order: number, warehouseId: string) => {
      at(t, stamp);
      must(await shipOrder(t.ctx, ids[order]!, { warehouseId }));
    };
    await ship('07T11:00', 1, 'UK');
    await ship('07T12:00', 0, 'UK');
    await ship('08T10:00', 0, 'EU');
    at(t, '09T09:00');
    must(await receiveStock(t.ctx, { skuId: 'MUG', warehouseId: 'UK', quantity: 4 }));
    await ship('10T09:00', 2, 'UK');
    await ship('10T10:00', 2, 'EU');
    at(t, '11T15:00');
    const surveys = await t.ctx.store.db.selectFrom('csat_survey').select(['id', 'order_id']).execute();
    const scores = [5, 3, 4];
    for (const [i, score] of scores.entries()) {
      const survey = surveys.find((s) => s.order_id === ids[i]);
      must(await answerSurvey(t.ctx, survey!.id, score));
    }
    at(t, '12T12:00');
  });
  afterAll(async () => t.close());

  const report = async (q: Partial<Parameters<typeof kpiReport>[1]> = {}) => must(await kpiReport(t.ctx, { from: '2026-01-05', to: '2026-01-11', period: 'total', ...q }));
  const only = (rows: KpiRow[]) => {
    expect(rows).toHaveLength(1);
    return rows[0]!;
  };

  it('intake: backorder rate, first-time fill rate and lost demand, by lines, units and orders', async () => {
    const r = only((await report()).rows);
    expect(r.intake).toMatchObject({
      orders: 4, ordersAccepted: 4, ordersBackordered: 2, ordersFilled: 2,
      lines: 6, linesAccepted: 6, linesBackordered: 2, linesFilled: 3,
      units: 18, unitsAccepted: 16, unitsBackordered: 4, unitsRejected: 2,
    });
    expect(r.intake.backorderRate).toEqual({ lines: 2 / 6, units: 4 / 16, orders: 2 / 4 });
    expect(r.intake.fillRate).toEqual({ units: 12 / 18, lines: 3 / 6, orders: 2 / 4 });
    expect(r.intake.lostDemandRate).toBe(2 / 18);
  });

  it('cycle time, backorder age and time to clear, promise accuracy, CSAT', async () => {
    const r = only((await report()).rows);
    expect(r.cycleTime).toEqual({ orders: 3, p50Hours: 72, p90Hours: 96 });
    // O4's backorder is open at the end of 01-11: 5 d 13 h old.
    expect(r.backorders.open).toMatchObject({ count: 1, units: 2 });
    expect(r.backorders.open.buckets.map((b) => b.count)).toEqual([1, 0, 0, 0, 0]);
    const cleared = 3 + 23 / 24;
    expect(r.backorders.cleared).toEqual({ count: 1, meanDays: cleared, p50Days: cleared, p90Days: cleared });
    // Never promised (no purchase order, no supplier): fulfilled, but not on a first promised date.
    expect(r.backorders.promiseAccuracy).toEqual({ fulfilled: 1, kept: 0, rate: 0 });
    expect(r.csat).toMatchObject({ count: 3, mean: 4, share45: 2 / 3 });
    expect(r.csat!.segments.backordered).toEqual({ yes: { n: 1, mean: 4, share45: 1 }, no: { n: 2, mean: 4, share45: 0.5 } });
  });

  it('inventory: mean of day-end values, turnover and days of supply', async () => {
    const inv = only((await report()).rows).inventory!;
    // Day-end units 01-05..01-11: 12, 12, 5, 4, 8, 2, 2 (sum 45); shipped 4 + 3 + 1 + 5 + 1 = 14 units.
    expect(inv.averageUnits).toBeCloseTo(45 / 7, 12);
    expect(inv.averageValueMinor).toBeCloseTo((45 * 500) / 7, 9);
    expect(inv).toMatchObject({ shippedUnits: 14, cogsMinor: 7000, onHandUnits: 2, onHandValueMinor: 1000 });
    expect(inv.turnover).toBeCloseTo(7000 / ((45 * 500) / 7), 12);
    expect(inv.daysOfSupply).toBeCloseTo(2 / (18 / 7), 12);
  });

  it('by warehouse: lines at their home warehouse, stock where it lies', async () => {
    const rows = (await report({ by: 'warehouse' })).rows;
    expect(rows.map((r) => r.slice)).toEqual(['EU', 'UK']);
    const [eu, uk] = rows as [KpiRow, KpiRow];
    expect(uk.intake).toMatchObject({ orders: 2, ordersBackordered: 1, ordersFilled: 1, lines: 4, linesBackordered: 1, linesFilled: 2, units: 13, unitsBackordered: 2, unitsRejected: 2 });
    expect(eu.intake).toMatchObject({ orders: 2, ordersBackordered: 1, ordersFilled: 1, lines: 2, linesBackordered: 1, linesFilled: 1, units: 5, unitsBackordered: 2, unitsRejected: 0 });
    expect(uk.cycleTime).toEqual({ orders: 2, p50Hours: 72, p90Hours: 96 });
    expect(eu.cycleTime).toEqual({ orders: 1, p50Hours: 48, p90Hours: 48 });
    // UK day-end: 10, 10, 3, 3, 7, 2, 2; EU: 2, 2, 2, 1, 1, 0, 0.
    expect(uk.inventory!.averageUnits).toBeCloseTo(37 / 7, 12);
    expect(eu.inventory!.averageUnits).toBeCloseTo(8 / 7, 12);
    expect(eu.backorders.open.count).toBe(1);
    expect(uk.csat).toBeNull();
  });

  it('by day and by tier', async () => {
    const days = (await report({ period: 'day' })).rows;
    expect(days.map((r) => r.period)).toEqual(['2026-01-05', '2026-01-06', '2026-01-07', '2026-01-08', '2026-01-09', '2026-01-10', '2026-01-11']);
    expect(days.map((r) => r.intake.orders)).toEqual([2, 2, 0, 0, 0, 0, 0]);
    expect(days[0]!.intake.fillRate.orders).toBe(1);
    expect(days[1]!.intake.backorderRate.units).toBe(4 / 8);
    // Day-end on-hand, one day at a time.
    expect(days.map((r) => r.inventory!.onHandUnits)).toEqual([12, 12, 5, 4, 8, 2, 2]);
    // Open backorders at the end of each day: O3's and O4's from 01-06, O3's cleared on 01-10.
    expect(days.map((r) => r.backorders.open.count)).toEqual([0, 2, 2, 2, 2, 1, 1]);
    const tiers = await report({ by: 'tier' });
    expect(tiers.rows.map((r) => [r.slice, r.intake.orders, r.csat?.count])).toEqual([['1', 2, 2], ['2', 2, 1]]);
    expect(tiers.rows[0]!.inventory).toBeNull();
  });

  it('filters, and bad ranges name the field', async () => {
    const mug = only((await report({ skuId: 'MUG' })).rows);
    expect(mug.intake).toMatchObject({ lines: 4, units: 14, unitsBackordered: 4, unitsRejected: 0 });
    expect(mug.inventory!.shippedUnits).toBe(12);
    const bad = await kpiReport(t.ctx, { from: '2026-01-11', to: '2026-01-05' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatchObject({ code: 'validation_failed', field: 'from' });
  });

  it('folding past days into the rollup changes no figure, whatever the watermark; folding twice adds nothing', async () => {
    const queries = [
      {}, { period: 'day' as const }, { by: 'warehouse' as const }, { by: 'tier' as const }, { period: 'week' as const, by: 'warehouse' as const },
      { warehouseId: 'UK' }, { tier: 2 }, { by: 'sku' as const }, { from: '2026-01-07', to: '2026-01-12', period: 'day' as const },
    ];
    const all = async () => Promise.all(queries.map((q) => report(q)));
    const unfolded = await all();
    expect(await foldedUntil(t.ctx.store.db)).toBeNull();
    // Mid-week: O3's and O4's backorders were created before the watermark and resolve (or not) after it.
    expect(await foldKpis(t.ctx, '2026-01-08')).toBeGreaterThan(0);
    expect(await foldedUntil(t.ctx.store.db)).toBe('2026-01-08');
    expect(await all()).toEqual(unfolded);
    await foldKpis(t.ctx, '2026-01-12');
    expect(await foldedUntil(t.ctx.store.db)).toBe('2026-01-12');
    expect(await all()).toEqual(unfolded);
    expect(await foldKpis(t.ctx, '2026-01-12')).toBe(0);
    expect(await all()).toEqual(unfolded);
    const rows = await t.ctx.store.db.selectFrom('kpi_day').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(rows.n)).toBeGreaterThan(0);
    // The report reads the folded days: a folded day's facts changed by hand show in it.
    const day5 = (await t.ctx.store.db.selectFrom('kpi_day').select('data').where('kind', '=', 'intake').where('dim', '=', 'none').where('day', '=', '2026-01-05').executeTakeFirstOrThrow()).data;
    await t.ctx.store.db.updateTable('kpi_day').set({ data: JSON.stringify({ ...JSON.parse(day5), orders: 100 }) }).where('kind', '=', 'intake').where('dim', '=', 'none').where('day', '=', '2026-01-05').execute();
    expect(only((await report()).rows).intake.orders).toBe(100 + 2);
    await resetFold(t.ctx);
    expect(await foldedUntil(t.ctx.store.db)).toBeNull();
    expect(await all()).toEqual(unfolded);
  });
});
