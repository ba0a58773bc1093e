import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../support/engines.js';
import { customer, must, openTestContext, seedCatalog, sku, type TestContext } from '../support/context.js';
import { placeOrder } from '../../src/orders/service.js';
import { receiveStock } from '../../src/inventory/service.js';
import { catalogService } from '../../src/catalog/service.js';
import { supplierDef } from '../../src/catalog/entities.js';
import { createPurchaseOrder } from '../../src/purchasing/service.js';
import { recordFacts } from '../../src/communication/record.js';
import { fail, ok } from '../../src/shared/result.js';

describe.each(engines)('messages are written with the change that caused them, on $name', (engine) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await openTestContext(engine);
    await seedCatalog(t.ctx, { skus: [sku('KETTLE'), sku('TOASTER')], customers: [customer('ANN')] });
    must(await catalogService(supplierDef).create(t.ctx, { id: 'SUP', name: 'Supplier', defaultLeadTimeDays: 14 }));
    must(await createPurchaseOrder(t.ctx, { supplierId: 'SUP', place: true, lines: [{ skuId: 'KETTLE', warehouseId: 'UK', quantity: 50, expectedDate: '2026-01-20' }] }));
  });
  afterAll(async () => t.close());

  const messages = (orderId?: string) => {
    let q = t.ctx.store.db.selectFrom('message').selectAll().where('channel', '=', 'email').orderBy('id');
    if (orderId) q = q.where('order_id', '=', orderId);
    return q.execute();
  };

  it('a transaction that fails writes none of the messages its facts called for; one that commits writes them', async () => {
    const before = (await messages()).length;
    const fact = (id: string) => ({ id, type: 'order.closed' as const, at: t.clock.now().toISOString(), orderId: 'ord_x', customerId: 'ANN', backorderId: null, skuId: null, data: { backordered: false } });
    const orderRow = { id: 'ord_x', customer_id: 'ANN', reference: null, ship_complete: 0, partial_consent: 0, status: 'closed' as const, placed_at: t.clock.now().toISOString(), updated_at: t.clock.now().toISOString() };
    const failed = await t.ctx.store.transaction(async (tx) => {
      await tx.insertInto('sales_order').values(orderRow).execute();
      await recordFacts(t.ctx, tx, [fact('evt_rolled_back')]);
      return fail('illegal_transition', 'changed my mind');
    });
    expect(failed.ok).toBe(false);
    expect(await messages()).toHaveLength(before);
    must(
      await t.ctx.store.transaction(async (tx) => {
        await tx.insertInto('sales_order').values(orderRow).execute();
        await recordFacts(t.ctx, tx, [fact('evt_committed')]);
        return ok(null);
      }),
    );
    expect((await messages('ord_x')).map((m) => m.rule)).toEqual(['csat']);
  });

  it('an order with two backordered lines gets ONE confirmation listing both, with the first promise of each (or none)', async () => {
    const placed = must(await placeOrder(t.ctx, { customerId: 'ANN', lines: [{ skuId: 'KETTLE', quantity: 2 }, { skuId: 'TOASTER', quantity: 3 }] }));
    const sent = await messages(placed.order.id);
    expect(sent.map((m) => m.rule)).toEqual(['confirm-backorder']);
    const lines = (JSON.parse(sent[0]!.vars) as { lines: { skuId: string; quantity: number; promisedDate: string | null; basis: { kind: string } | null }[] }).lines;
    expect(lines).toEqual([
      expect.objectContaining({ skuId: 'KETTLE', quantity: 2, promisedDate: expect.stringMatching(/^2026-01-2\d$/), basis: expect.objectContaining({ kind: 'po' }) }),
      // No supplier supplies toasters: no date yet, and the message says so rather than inventing one.
      expect.objectContaining({ skuId: 'TOASTER', quantity: 3, promisedDate: null }),
    ]);
  });

  it('a receipt that readies lines of several orders tells each order once', async () => {
    const a = must(await placeOrder(t.ctx, { customerId: 'ANN', lines: [{ skuId: 'TOASTER', quantity: 1 }] }));
    const b = must(await placeOrder(t.ctx, { customerId: 'ANN', lines: [{ skuId: 'TOASTER', quantity: 1 }] }));
    must(await receiveStock(t.ctx, { skuId: 'TOASTER', warehouseId: 'UK', quantity: 50 }));
    for (const id of [a.order.id, b.order.id]) {
      expect((await messages(id)).map((m) => m.rule)).toEqual(['confirm-backorder', 'backorder-ready']);
    }
  });
});
