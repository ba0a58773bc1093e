import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../support/engines.js';
import { customer, must, openTestContext, seedCatalog, sku, type TestContext } from '../support/context.js';
import { getOrder, placeOrder } from '../../src/orders/service.js';
import { cancelBackorder, cancelLine, shipOrder } from '../../src/orders/fulfilment.js';
import { listLevels, listMovements, receiveStock } from '../../src/inventory/service.js';
import { getBackorder } from '../../src/backorders/service.js';
import { findViolations } from '../../src/audit/invariants.js';

describe.each(engines)('shipping and cancelling on $name', (engine) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await openTestContext(engine);
    await seedCatalog(t.ctx, {
      skus: [sku('TEA'), sku('JUG'), sku('BOX'), sku('CUP'), sku('PEN')],
      customers: [customer('A'), customer('B'), customer('C'), customer('WHOLE', 'GB', 2, false)],
    });
  });
  afterAll(async () => t.close());

  const level = async (skuId: string, warehouseId: string) => must(await listLevels(t.ctx, { skuId, warehouseId, limit: 1 })).items[0]!;

  it('ships allocated units: on-hand and allocated fall, a shipment movement is written, the backorder is fulfilled', async () => {
    must(await receiveStock(t.ctx, { skuId: 'TEA', warehouseId: 'UK', quantity: 2 }));
    const placed = must(await placeOrder(t.ctx, { customerId: 'A', lines: [{ skuId: 'TEA', quantity: 5 }] }));
    const boId = placed.intake[0]!.backordered!.backorderId;
    const first = must(await shipOrder(t.ctx, placed.order.id, { warehouseId: 'UK' }));
    expect(first.shipment.lines).toEqual([{ lineId: placed.order.lines[0]!.id, skuId: 'TEA', quantity: 2 }]);
    expect(await level('TEA', 'UK')).toMatchObject({ onHand: 0, allocated: 0 });
    must(await receiveStock(t.ctx, { skuId: 'TEA', warehouseId: 'UK', quantity: 3 }));
    const second = must(await shipOrder(t.ctx, placed.order.id, { warehouseId: 'UK' }));
    expect(second.order).toMatchObject({ status: 'closed', lines: [{ shipped: 5, waiting: 0, allocated: 0, status: 'shipped' }] });
    const bo = must(await getBackorder(t.ctx, boId));
    expect(bo).toMatchObject({ status: 'fulfilled', fulfilled: 3 });
    expect(bo.history.map((e) => e.type)).toEqual(['backorder.created', 'backorder.allocated', 'backorder.shipped']);
    const ledger = must(await listMovements(t.ctx, { skuId: 'TEA', limit: 50 })).items.map((m) => [m.kind, m.quantity]);
    expect(ledger).toEqual([['receipt', 2], ['shipment', -2], ['receipt', 3], ['shipment', -3]]);
  });

  it('refuses to ship nothing, more than allocated, or an order that must ship complete', async () => {
    must(await receiveStock(t.ctx, { skuId: 'JUG', warehouseId: 'UK', quantity: 2 }));
    const whole = must(await placeOrder(t.ctx, { customerId: 'WHOLE', lines: [{ skuId: 'JUG', quantity: 3 }] }));
    const refused = await shipOrder(t.ctx, whole.order.id, { warehouseId: 'UK' });
    expect(!refused.ok && refused.error.code).toBe('illegal_transition');
    const complete = must(await placeOrder(t.ctx, { customerId: 'A', shipComplete: true, lines: [{ skuId: 'BOX', quantity: 1 }] }));
    const early = await shipOrder(t.ctx, complete.order.id, { warehouseId: 'UK' });
    expect(!early.ok && early.error.code).toBe('illegal_transition');
    const tooMany = await shipOrder(t.ctx, whole.order.id, { warehouseId: 'UK', lines: [{ lineId: whole.order.lines[0]!.id, quantity: 3 }] });
    expect(!tooMany.ok && tooMany.error).toMatchObject({ code: 'insufficient_stock', field: 'lines/0/quantity' });
    const elsewhere = await shipOrder(t.ctx, whole.order.id, { warehouseId: 'EU' });
    expect(!elsewhere.ok && elsewhere.error.code).toBe('illegal_transition');
    expect(await level('JUG', 'UK')).toMatchObject({ onHand: 2, allocated: 2 });
  });

  it('cancelling a line releases its stock to the next waiting order', async () => {
    must(await receiveStock(t.ctx, { skuId: 'BOX', warehouseId: 'UK', quantity: 3 }));
    // The ship-complete order above was waiting for 1 BOX; it is served first.
    const holder = must(await placeOrder(t.ctx, { customerId: 'B', lines: [{ skuId: 'BOX', quantity: 2 }] }));
    t.clock.advance(1000);
    const waiter = must(await placeOrder(t.ctx, { customerId: 'C', lines: [{ skuId: 'BOX', quantity: 2 }] }));
    expect(waiter.intake[0]!.backordered!.quantity).toBe(2);
    const cancelled = must(await cancelLine(t.ctx, holder.order.id, holder.order.lines[0]!.id, { reason: 'customer changed mind' }));
    expect(cancelled).toMatchObject({ cancelled: 2, released: [{ warehouseId: 'UK', quantity: 2 }] });
    expect(cancelled.reallocated.map((a) => [a.orderId, a.quantity])).toEqual([[waiter.order.id, 2]]);
    expect(cancelled.order).toMatchObject({ status: 'closed', lines: [{ cancelled: 2, status: 'cancelled' }] });
    const again = await cancelLine(t.ctx, holder.order.id, holder.order.lines[0]!.id, {});
    expect(!again.ok && again.error.code).toBe('illegal_transition');
  });

  it('cancels part of a backorder, then the rest, and a fulfilled backorder cannot be cancelled', async () => {
    const placed = must(await placeOrder(t.ctx, { customerId: 'A', lines: [{ skuId: 'JUG', quantity: 4 }] }));
    const boId = placed.intake[0]!.backordered!.backorderId;
    const part = must(await cancelBackorder(t.ctx, boId, { quantity: 1 }));
    expect(part.cancelled).toBe(1);
    expect(must(await getBackorder(t.ctx, boId))).toMatchObject({ status: 'open', waiting: 3, cancelled: 1 });
    const over = await cancelBackorder(t.ctx, boId, { quantity: 9 });
    expect(!over.ok && over.error).toMatchObject({ code: 'illegal_transition', field: 'quantity' });
    must(await cancelBackorder(t.ctx, boId, {}));
    expect(must(await getBackorder(t.ctx, boId))).toMatchObject({ status: 'cancelled', waiting: 0, cancelled: 4 });
    const fulfilled = (await t.ctx.store.db.selectFrom('backorder').select('id').where('status', '=', 'fulfilled').executeTakeFirstOrThrow()).id;
    const refused = await cancelBackorder(t.ctx, fulfilled, {});
    expect(!refused.ok && refused.error.code).toBe('illegal_transition');
  });

  it('answers a shipment with the order as it is read afterwards (lines, allocations per warehouse, backorders)', async () => {
    must(await receiveStock(t.ctx, { skuId: 'CUP', warehouseId: 'UK', quantity: 3 }));
    must(await receiveStock(t.ctx, { skuId: 'CUP', warehouseId: 'EU', quantity: 2 }));
    must(await receiveStock(t.ctx, { skuId: 'PEN', warehouseId: 'UK', quantity: 1 }));
    const placed = must(await placeOrder(t.ctx, { customerId: 'A', lines: [{ skuId: 'CUP', quantity: 6 }, { skuId: 'PEN', quantity: 2 }] }));
    const [cup, pen] = placed.order.lines;
    expect(cup!.allocations.map((a) => [a.warehouseId, a.quantity])).toEqual([['UK', 3], ['EU', 2]]);
    const asRead = async () => must(await getOrder(t.ctx, placed.order.id));
    // Part of one line at one warehouse, then the rest there, a backorder filled and shipped, the other warehouse.
    t.clock.advance(60_000);
    expect(must(await shipOrder(t.ctx, placed.order.id, { warehouseId: 'UK', lines: [{ lineId: cup!.id, quantity: 2 }] })).order).toEqual(await asRead());
    t.clock.advance(60_000);
    expect(must(await shipOrder(t.ctx, placed.order.id, { warehouseId: 'UK' })).order).toEqual(await asRead());
    must(await receiveStock(t.ctx, { skuId: 'PEN', warehouseId: 'UK', quantity: 1 }));
    t.clock.advance(60_000);
    const third = must(await shipOrder(t.ctx, placed.order.id, { warehouseId: 'UK' }));
    expect(third.order).toEqual(await asRead());
    expect(third.order.lines[1]).toMatchObject({ id: pen!.id, shipped: 2, waiting: 0, backorderId: expect.any(String) });
    t.clock.advance(60_000);
    const last = must(await shipOrder(t.ctx, placed.order.id, { warehouseId: 'EU' }));
    expect(last.order).toEqual(await asRead());
    expect(last.order).toMatchObject({ status: 'open', lines: [{ shipped: 5, waiting: 1 }, { shipped: 2, status: 'shipped' }] });
  });

  it('refuses a shipment that lists a line twice, and changes nothing', async () => {
    must(await receiveStock(t.ctx, { skuId: 'TEA', warehouseId: 'UK', quantity: 4 }));
    const placed = must(await placeOrder(t.ctx, { customerId: 'B', lines: [{ skuId: 'TEA', quantity: 4 }] }));
    const lineId = placed.order.lines[0]!.id;
    const before = await level('TEA', 'UK');
    // 3 + 1 is what is allocated, 3 + 3 more: either way a line is given once, with its whole quantity.
    for (const second of [1, 3]) {
      const twice = await shipOrder(t.ctx, placed.order.id, { warehouseId: 'UK', lines: [{ lineId, quantity: 3 }, { lineId, quantity: second }] });
      expect(!twice.ok && twice.error).toMatchObject({ code: 'validation_failed', field: 'lines/1/lineId' });
    }
    expect(await level('TEA', 'UK')).toEqual(before);
    expect(must(await getOrder(t.ctx, placed.order.id))).toEqual(placed.order);
  });

  it('keeps every invariant', async () => {
    expect(await findViolations(t.ctx.store.db)).toEqual([]);
  });
});
