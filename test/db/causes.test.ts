/**
 * Root causes on every engine: one scenario per cause, each on its own SKU, run through the real services; each
 * backorder must get exactly its cause (README "Root causes" has the rules and their order).
 * Timeline: day 0 = Mon 2026-01-05; SPIKE's six weeks of steady demand run first, the other scenarios after.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../support/engines.js';
import { customer, must, openTestContext, seedCatalog, sku, type TestContext } from '../support/context.js';
import { catalogService } from '../../src/catalog/service.js';
import { supplierDef } from '../../src/catalog/entities.js';
import { adjustStock, receiveStock } from '../../src/inventory/service.js';
import { placeOrder } from '../../src/orders/service.js';
import { shipOrder } from '../../src/orders/fulfilment.js';
import { cancelPurchaseOrder, createPurchaseOrder, receivePurchaseOrder } from '../../src/purchasing/service.js';
import { setStrategy } from '../../src/allocation/settings.js';
import { ok } from '../../src/shared/result.js';
import { attributePending, causeReport } from '../../src/causes/service.js';
import { getBackorder } from '../../src/backorders/service.js';

const day = (n: number, hh = 10) => new Date(Date.UTC(2026, 0, 5 + n, hh)).toISOString();

describe.each(engines)('root causes on $name', (engine) => {
  let t: TestContext;
  const bo = new Map<string, string>();
  const at = (n: number, hh = 10) => t.clock.set(day(n, hh));
  const order = async (customerId: string, skuId: string, quantity: number) => must(await placeOrder(t.ctx, { customerId, lines: [{ skuId, quantity }] }));
  const backorderOf = async (name: string, customerId: string, skuId: string, quantity: number) => {
    const placed = await order(customerId, skuId, quantity);
    const id = placed.intake[0]!.backordered?.backorderId;
    if (!id) throw new Error(`${name}: expected a backorder`);
    bo.set(name, id);
    return placed;
  };
  const po = async (skuId: string, quantity: number, dueDay: number) =>
    must(await createPurchaseOrder(t.ctx, { supplierId: 'ACME', place: true, lines: [{ skuId, warehouseId: 'UK', quantity, expectedDate: day(dueDay).slice(0, 10) }] }));

  beforeAll(async () => {
    t = await openTestContext(engine, day(0, 8));
    const skus = ['DATA', 'LATE', 'SHORT', 'SPIKE', 'EMPTY', 'LOWRP', 'PRIO'];
    await seedCatalog(t.ctx, { skus: skus.map((s) => sku(s)), customers: [customer('A', 'GB', 2, false), customer('VIP', 'GB', 1, false)] });
    must(await catalogService(supplierDef).create(t.ctx, { id: 'ACME', name: 'Acme', defaultLeadTimeDays: 10 }));

    // SPIKE: 5 a week for six weeks from 40 in stock, then 50 at once: 10 allocated, 40 wait.
    at(0, 9);
    must(await receiveStock(t.ctx, { skuId: 'SPIKE', warehouseId: 'UK', quantity: 40 }));
    for (let w = 0; w < 6; w++) {
      at(7 * w);
      await order('A', 'SPIKE', 5);
    }
    at(43);
    await backorderOf('demand_spike', 'A', 'SPIKE', 50);

    // DATA: 5 received, a count removes 3, then 4 asked for.
    at(44, 9);
    must(await receiveStock(t.ctx, { skuId: 'DATA', warehouseId: 'UK', quantity: 5 }));
    must(await adjustStock(t.ctx, { skuId: 'DATA', warehouseId: 'UK', quantity: -3, reason: 'cycle count' }));
    // LATE: a PO due day 45 that has not come by day 47.  SHORT: 10 ordered, 4 delivered, the rest cancelled.
    await po('LATE', 10, 45);
    const short = await po('SHORT', 10, 45);
    // LOWRP: 2 in stock and 10 on order, due in time; 5 asked for.
    must(await receiveStock(t.ctx, { skuId: 'LOWRP', warehouseId: 'UK', quantity: 2 }));
    await po('LOWRP', 10, 60);
    at(44);
    await backorderOf('data_error', 'A', 'DATA', 4);
    at(45, 15);
    must(await receivePurchaseOrder(t.ctx, short.id, { lines: [{ lineId: short.lines[0]!.id, quantity: 4 }] }));
    must(await cancelPurchaseOrder(t.ctx, short.id));
    at(47);
    await backorderOf('supplier_late', 'A', 'LATE', 2);
    await backorderOf('supplier_short', 'A', 'SHORT', 6);
    await backorderOf('reorder_point_low', 'A', 'LOWRP', 5);
    // EMPTY: nothing in stock, nothing on order, no history.
    await backorderOf('no_replenishment', 'A', 'EMPTY', 3);

    // PRIO: A waits first, VIP (tier 1) later; under tier-then-fifo VIP gets the first receipt.
    await t.ctx.store.transaction(async (tx) => {
      await setStrategy(tx, 'tier-then-fifo', day(47));
      return ok(undefined);
    });
    const first = await backorderOf('allocation_priority', 'A', 'PRIO', 2);
    at(48);
    const vip = await order('VIP', 'PRIO', 2);
    at(49);
    must(await receiveStock(t.ctx, { skuId: 'PRIO', warehouseId: 'UK', quantity: 2 }));
    must(await shipOrder(t.ctx, vip.order.id, { warehouseId: 'UK' }));
    at(51);
    must(await receiveStock(t.ctx, { skuId: 'PRIO', warehouseId: 'UK', quantity: 2 }));
    must(await shipOrder(t.ctx, first.order.id, { warehouseId: 'UK' }));
    at(52);
  });
  afterAll(async () => t.close());

  it('gives each scenario exactly its cause, with the facts it rests on', async () => {
    expect(await attributePending(t.ctx)).toBeGreaterThanOrEqual(bo.size);
    for (const [expected, id] of bo) {
      const view = must(await getBackorder(t.ctx, id));
      const cause = expected === 'allocation_priority' ? view.cause?.cause : view.resolutionCause?.cause ?? view.cause?.cause;
      expect({ expected, cause }).toEqual({ expected, cause: expected === 'allocation_priority' ? 'no_replenishment' : expected });
    }
    const prio = must(await getBackorder(t.ctx, bo.get('allocation_priority')!));
    expect(prio.resolutionCause).toMatchObject({ cause: 'allocation_priority', facts: { jumpedBy: [expect.objectContaining({ tier: 1 })] } });
    const spike = must(await getBackorder(t.ctx, bo.get('demand_spike')!));
    expect(spike.cause!.facts).toMatchObject({ weekDemand: 50, weeklyMean: 5 });
    const late = must(await getBackorder(t.ctx, bo.get('supplier_late')!));
    expect(late.cause!.reason).toContain(`was due ${day(45).slice(0, 10)}`);
  });

  it('attributes once: a second run changes nothing', async () => {
    const before = await t.ctx.store.db.selectFrom('backorder').select(['id', 'cause', 'cause_detail', 'resolution_cause']).orderBy('id').execute();
    expect(await attributePending(t.ctx)).toBe(0);
    expect(await t.ctx.store.db.selectFrom('backorder').select(['id', 'cause', 'cause_detail', 'resolution_cause']).orderBy('id').execute()).toEqual(before);
  });

  it('reports a Pareto of causes by units, per SKU and overall', async () => {
    const all = must(await causeReport(t.ctx, { from: '2026-01-05', to: '2026-03-31' }));
    // PRIO also has VIP's backorder (no_replenishment when created, resolved without a rival ahead of it).
    expect(all.rows.map((r) => [r.cause, r.count, r.units])).toEqual([
      ['demand_spike', 1, 40],
      ['supplier_short', 1, 2],
      ['no_replenishment', 2, 5],
      ['allocation_priority', 1, 2],
      ['data_error', 1, 2],
      ['reorder_point_low', 1, 3],
      ['supplier_late', 1, 2],
    ].sort((a, b) => (b[2] as number) - (a[2] as number) || (b[1] as number) - (a[1] as number) || String(a[0]).localeCompare(String(b[0]))));
    const units = 40 + 2 + 5 + 2 + 2 + 3 + 2;
    expect(all.rows[0]).toMatchObject({ shareOfUnits: 40 / units, cumulativeUnits: 40 / units });
    expect(all.rows.at(-1)!.cumulativeUnits).toBeCloseTo(1, 12);
    const bySku = must(await causeReport(t.ctx, { from: '2026-01-05', to: '2026-03-31', by: 'sku', stage: 'created' }));
    expect(bySku.rows.filter((r) => r.slice === 'PRIO').map((r) => [r.cause, r.count])).toEqual([['no_replenishment', 2]]);
    const bad = await causeReport(t.ctx, { from: '2026-13-01', to: '2026-03-31' });
    expect(bad.ok ? null : bad.error.field).toBe('from');
  });
});
