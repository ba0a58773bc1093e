/**
 * Products listed but not yet ordered are planned from the launches like them (src/replenishment/launch.ts), on
 * every engine: each launch's first 28 days per warehouse make a sample; a SKU listed within 90 days and never
 * ordered gets those launches' demand at each warehouse, and a purchase recommendation for its first orders; a SKU
 * listed long ago, discontinued, or listed after the clock's now gets nothing; the rule of thumb's facts (no
 * launches) leave them out; once the product sells, its own sales take over, measured from that first order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../support/engines.js';
import { customer, must, openTestContext, seedCatalog, sku, type TestContext } from '../support/context.js';
import { placeOrder } from '../../src/orders/service.js';
import { catalogService } from '../../src/catalog/service.js';
import { skuDef, supplierDef } from '../../src/catalog/entities.js';
import { putSupplierItem } from '../../src/purchasing/service.js';
import { loadPairFacts } from '../../src/replenishment/facts.js';
import { listPolicies, listRecommendations } from '../../src/replenishment/service.js';
import { shiftDay } from '../../src/replenishment/periods.js';

describe.each(engines)('planning products about to launch on $name', (engine) => {
  let t: TestContext;
  const at = (day: string) => t.clock.set(`${day}T10:00:00.000Z`);
  const order = async (customerId: string, skuId: string, quantity: number) => must(await placeOrder(t.ctx, { customerId, lines: [{ skuId, quantity }] }));
  const launches = Array.from({ length: 10 }, (_, i) => `L${i}`);

  beforeAll(async () => {
    t = await openTestContext(engine);
    at('2026-01-01');
    await seedCatalog(t.ctx, { skus: [...launches, 'OLD'].map((id) => sku(id)), customers: [customer('A', 'GB'), customer('B', 'NL')] });
    must(await catalogService(supplierDef).create(t.ctx, { id: 'S', name: 'Supplier', defaultLeadTimeDays: 10 }));
    // Launch i: 10 + i units at UK on day 10 + i; L0-L2 also 4 at EU five days later; L0 sells 100 more after its first 28 days.
    for (const [i, id] of launches.entries()) {
      at(shiftDay('2026-01-10', i));
      await order('A', id, 10 + i);
      if (i < 3) {
        at(shiftDay('2026-01-15', i));
        await order('B', id, 4);
      }
    }
    at('2026-02-15');
    await order('A', 'L0', 100);
    at('2026-04-20');
    for (const s of [sku('NEXT'), sku('GONE', 'discontinued')]) must(await catalogService(skuDef).create(t.ctx, s));
    must(await putSupplierItem(t.ctx, 'S', 'NEXT', { packSize: 1, minOrderQty: 1, unitCostMinor: 500 }));
    at('2026-06-01');
    must(await catalogService(skuDef).create(t.ctx, sku('FUTURE')));
    at('2026-05-01');
  });
  afterAll(async () => t.close());

  it("gives a product listed lately and never ordered the launches' mean demand at each warehouse", async () => {
    const rows = must(await listPolicies(t.ctx, {}));
    const next = rows.filter((r) => r.skuId === 'NEXT');
    expect(next.map((r) => r.warehouseId).sort()).toEqual(['EU', 'UK']);
    const uk = next.find((r) => r.warehouseId === 'UK')!;
    const eu = next.find((r) => r.warehouseId === 'EU')!;
    expect(uk.demand.method).toContain('launch-analogs(10 launches');
    // UK: 10..19 units in the first 28 days (L0's later 100 is outside them); EU: 4 from three of the ten.
    expect(uk.demand.dailyMean).toBeCloseTo(14.5 / 28, 12);
    expect(eu.demand.dailyMean).toBeCloseTo(1.2 / 28, 12);
    // Lines are weighed by the launches' units per line (one line per order here): 145 / 10 and 12 / 3.
    expect(uk.demand.meanLineSize).toBeCloseTo(14.5, 12);
    expect(eu.demand.meanLineSize).toBeCloseTo(4, 12);
    expect(uk.demand).not.toHaveProperty('lineSize');
    expect(rows.some((r) => ['OLD', 'GONE', 'FUTURE'].includes(r.skuId)), 'listed long ago, discontinued, or not listed yet').toBe(false);
  });

  it('the same when asked for by name', async () => {
    const all = must(await listPolicies(t.ctx, {})).find((r) => r.skuId === 'NEXT' && r.warehouseId === 'UK');
    expect(must(await listPolicies(t.ctx, { skuId: 'NEXT', warehouseId: 'UK' }))).toEqual([all]);
  });

  it('recommends buying for its first orders; the rule of thumb, which plans no launches, does not see it', async () => {
    const recs = must(await listRecommendations(t.ctx, { due: 'all', limit: 100 })).items.filter((r) => r.skuId === 'NEXT');
    expect(recs.find((r) => r.warehouseId === 'UK')?.quantity).toBeGreaterThan(0);
    const ruleFacts = await loadPairFacts(t.ctx, { windowDays: 182 });
    expect(ruleFacts.some((f) => f.skuId === 'NEXT')).toBe(false);
  });

  it('once it has sold, plans from its own sales, measured from its first order, not its listing', async () => {
    await order('A', 'NEXT', 28);
    at('2026-05-21');
    const [uk] = must(await listPolicies(t.ctx, { skuId: 'NEXT', warehouseId: 'UK' }));
    expect(uk!.demand.method).not.toContain('launch');
    expect(uk!.demand).toMatchObject({ from: '2026-05-01', to: '2026-05-20', days: 20, units: 28 });
    expect(uk!.demand.dailyMean).toBeCloseTo(28 / 20, 12);
  });
});
