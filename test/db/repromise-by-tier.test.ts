/** Under tier-then-fifo a new order of a higher tier jumps the queue: the backorders it overtakes are re-promised. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../support/engines.js';
import { customer, must, openTestContext, seedCatalog, sku, type TestContext } from '../support/context.js';
import { placeOrder } from '../../src/orders/service.js';
import { getBackorder } from '../../src/backorders/service.js';
import { catalogService } from '../../src/catalog/service.js';
import { supplierDef } from '../../src/catalog/entities.js';
import { createPurchaseOrder, putSupplierItem } from '../../src/purchasing/service.js';
import { setStrategy } from '../../src/allocation/settings.js';
import { repromiseAll } from '../../src/promising/service.js';
import { ok } from '../../src/shared/result.js';
import { quote } from '../../src/promising/quote.js';

describe.each(engines)('re-promising when a new order jumps the queue on $name', (engine) => {
  let t: TestContext;
  let bId = '';
  beforeAll(async () => {
    t = await openTestContext(engine);
    await seedCatalog(t.ctx, { skus: [sku('LAMP')], customers: [customer('A', 'GB', 3), customer('B', 'GB', 3), customer('VIP', 'GB', 1)] });
    must(await catalogService(supplierDef).create(t.ctx, { id: 'S', name: 'S', defaultLeadTimeDays: 30 }));
    must(await putSupplierItem(t.ctx, 'S', 'LAMP', { packSize: 1, minOrderQty: 1, unitCostMinor: 1 }));
    for (const day of ['2026-01-10', '2026-01-20']) {
      must(await createPurchaseOrder(t.ctx, { supplierId: 'S', place: true, lines: [{ skuId: 'LAMP', warehouseId: 'UK', quantity: 5, expectedDate: day }] }));
    }
  });
  afterAll(async () => t.close());

  it('moves the overtaken promises later and says why', async () => {
    const a = must(await placeOrder(t.ctx, { customerId: 'A', lines: [{ skuId: 'LAMP', quantity: 5 }] })).intake[0]!.backordered!;
    t.clock.advance(60_000);
    const b = must(await placeOrder(t.ctx, { customerId: 'B', lines: [{ skuId: 'LAMP', quantity: 5 }] })).intake[0]!.backordered!;
    expect([a.promisedDate, b.promisedDate]).toEqual(['2026-01-10', '2026-01-20']);
    await t.ctx.store.transaction(async (tx) => {
      await setStrategy(tx, 'tier-then-fifo', t.clock.now().toISOString());
      return ok(await repromiseAll(t.ctx, tx, 'strategy_changed'));
    });
    t.clock.advance(60_000);
    const vip = must(await placeOrder(t.ctx, { customerId: 'VIP', lines: [{ skuId: 'LAMP', quantity: 5 }] })).intake[0]!.backordered!;
    expect(vip.promisedDate).toBe('2026-01-10');
    const movedA = must(await getBackorder(t.ctx, a.backorderId));
    expect(movedA.promisedDate).toBe('2026-01-20');
    expect(movedA.history.at(-1)).toMatchObject({ type: 'backorder.promise_changed', data: { from: '2026-01-10', to: '2026-01-20', cause: 'new_order' } });
    // B now waits beyond all inbound: today (2026-01-05) + 30 days, unconfirmed.
    expect(must(await getBackorder(t.ctx, b.backorderId))).toMatchObject({ promisedDate: '2026-02-04', promiseConfirmed: false, firstPromisedDate: '2026-01-20' });
    bId = b.backorderId;
  });

  it('re-promises from a supplier’s new default lead time, and quotes use it too', async () => {
    must(await catalogService(supplierDef).update(t.ctx, 'S', { defaultLeadTimeDays: 40 }));
    const b = must(await getBackorder(t.ctx, bId));
    expect(b).toMatchObject({ promisedDate: '2026-02-14', promiseBasis: { kind: 'lead_time', leadTimeDays: 40 } });
    expect(b.history.at(-1)).toMatchObject({ type: 'backorder.promise_changed', data: { from: '2026-02-04', to: '2026-02-14', cause: 'supplier_changed' } });
    const q = must(await quote(t.ctx, { customerId: 'A', lines: [{ skuId: 'LAMP', quantity: 1 }] }));
    expect(q.lines[0]!.backorder).toMatchObject({ promisedDate: '2026-02-14', confirmed: false });
  });
});
