import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../support/engines.js';
import { customer, must, openTestContext, seedCatalog, sku, type TestContext } from '../support/context.js';
import { placeOrder, getOrder } from '../../src/orders/service.js';
import { adjustStock, listLevels, listMovements, receiveStock } from '../../src/inventory/service.js';
import { transferStock } from '../../src/inventory/transfers.js';
import { getBackorder, listBackorders } from '../../src/backorders/service.js';
import { findViolations } from '../../src/audit/invariants.js';
import { setStrategy } from '../../src/allocation/settings.js';
import { ok } from '../../src/shared/result.js';

describe.each(engines)('intake and allocation on $name', (engine) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await openTestContext(engine);
    await seedCatalog(t.ctx, {
      skus: [sku('MUG'), sku('CAP', 'allow', 5), sku('DENY', 'deny'), sku('OLD', 'discontinued'), sku('LAMP')],
      customers: [customer('C-GB'), customer('C-NL', 'NL'), customer('C-VIP', 'GB', 1), customer('C-WHOLE', 'GB', 2, false)],
    });
  });
  afterAll(async () => t.close());

  const level = async (skuId: string, warehouseId: string) =>
    must(await listLevels(t.ctx, { skuId, warehouseId, limit: 1 })).items[0];

  it('splits a line across warehouses, backorders the rest and refuses stockouts, in one answer', async () => {
    must(await receiveStock(t.ctx, { skuId: 'MUG', warehouseId: 'UK', quantity: 3 }));
    must(await receiveStock(t.ctx, { skuId: 'MUG', warehouseId: 'EU', quantity: 2 }));
    const placed = must(
      await placeOrder(t.ctx, {
        customerId: 'C-GB',
        lines: [{ skuId: 'MUG', quantity: 8 }, { skuId: 'DENY', quantity: 2 }, { skuId: 'OLD', quantity: 1 }],
      }),
    );
    const [mug, deny, old] = placed.intake;
    expect(mug!.allocated).toEqual([{ warehouseId: 'UK', quantity: 3 }, { warehouseId: 'EU', quantity: 2 }]);
    expect(mug!.backordered).toMatchObject({ quantity: 3, warehouseId: 'UK', flexible: true });
    expect(deny!.rejected).toEqual({ quantity: 2, reason: 'backorders_denied' });
    expect(old!.rejected).toEqual({ quantity: 1, reason: 'discontinued' });
    expect(placed.order.lines.map((l) => l.status)).toEqual(['backordered', 'rejected', 'rejected']);
    expect(await level('MUG', 'UK')).toMatchObject({ onHand: 3, allocated: 3, available: 0 });
    const bo = must(await getBackorder(t.ctx, mug!.backordered!.backorderId));
    expect(bo).toMatchObject({ status: 'open', waiting: 3, customerId: 'C-GB', skuId: 'MUG' });
    expect(bo.history.map((e) => e.type)).toEqual(['backorder.created']);
  });

  it('fills waiting backorders FIFO when stock arrives, partially when short', async () => {
    t.clock.advance(60_000);
    const second = must(await placeOrder(t.ctx, { customerId: 'C-NL', lines: [{ skuId: 'MUG', quantity: 4 }] }));
    const secondBo = second.intake[0]!.backordered!.backorderId;
    t.clock.advance(60_000);
    const receipt = must(await receiveStock(t.ctx, { skuId: 'MUG', warehouseId: 'EU', quantity: 5, reference: 'ASN-1' }));
    // The first order (3 waiting) is served in full, the second gets the remaining 2 of its 4.
    expect(receipt.allocations.map((a) => [a.quantity, a.rank, a.strategy])).toEqual([[3, 1, 'fifo'], [2, 2, 'fifo']]);
    expect(receipt.allocations[1]!.backorderId).toBe(secondBo);
    expect(receipt.levels[0]).toMatchObject({ onHand: 7, allocated: 7, available: 0 });
    const bo = must(await getBackorder(t.ctx, secondBo));
    expect(bo).toMatchObject({ status: 'partially_allocated', waiting: 2, allocated: 2 });
    expect(bo.history.at(-1)).toMatchObject({ type: 'backorder.allocated', data: { quantity: 2, warehouseId: 'EU', rank: 2 } });
  });

  it('serves a higher tier first under tier-then-fifo, per receipt or as the setting', async () => {
    const early = must(await placeOrder(t.ctx, { customerId: 'C-GB', lines: [{ skuId: 'LAMP', quantity: 2 }] }));
    t.clock.advance(60_000);
    const vip = must(await placeOrder(t.ctx, { customerId: 'C-VIP', lines: [{ skuId: 'LAMP', quantity: 2 }] }));
    const r1 = must(await receiveStock(t.ctx, { skuId: 'LAMP', warehouseId: 'UK', quantity: 2, strategy: 'tier-then-fifo' }));
    expect(r1.allocations.map((a) => a.orderId)).toEqual([vip.order.id]);
    await t.ctx.store.transaction(async (tx) => ok(await setStrategy(tx, 'tier-then-fifo', t.clock.now().toISOString())));
    const late = must(await placeOrder(t.ctx, { customerId: 'C-VIP', lines: [{ skuId: 'LAMP', quantity: 1 }] }));
    const r2 = must(await receiveStock(t.ctx, { skuId: 'LAMP', warehouseId: 'UK', quantity: 1 }));
    expect(r2.allocations.map((a) => a.orderId)).toEqual([late.order.id]);
    await t.ctx.store.transaction(async (tx) => ok(await setStrategy(tx, 'fifo', t.clock.now().toISOString())));
    const r3 = must(await receiveStock(t.ctx, { skuId: 'LAMP', warehouseId: 'UK', quantity: 5 }));
    expect(r3.allocations.map((a) => [a.orderId, a.quantity])).toEqual([[early.order.id, 2]]);
  });

  it('keeps a backorder of a customer who refuses split shipments at its one warehouse', async () => {
    must(await receiveStock(t.ctx, { skuId: 'CAP', warehouseId: 'EU', quantity: 1 }));
    const placed = must(await placeOrder(t.ctx, { customerId: 'C-WHOLE', lines: [{ skuId: 'CAP', quantity: 3 }] }));
    expect(placed.intake[0]).toMatchObject({ allocated: [{ warehouseId: 'EU', quantity: 1 }], backordered: { quantity: 2, warehouseId: 'EU', flexible: false } });
    const atUk = must(await receiveStock(t.ctx, { skuId: 'CAP', warehouseId: 'UK', quantity: 2 }));
    expect(atUk.allocations).toEqual([]);
    const atEu = must(await receiveStock(t.ctx, { skuId: 'CAP', warehouseId: 'EU', quantity: 2 }));
    expect(atEu.allocations.map((a) => a.quantity)).toEqual([2]);
  });

  it('caps outstanding backorders and refuses the excess as lost demand', async () => {
    const a = must(await placeOrder(t.ctx, { customerId: 'C-GB', lines: [{ skuId: 'CAP', quantity: 6 }] }));
    // 2 on hand at UK are allocated; 4 waiting fit under the cap of 5.
    expect(a.intake[0]).toMatchObject({ backordered: { quantity: 4 }, rejected: null });
    const b = must(await placeOrder(t.ctx, { customerId: 'C-NL', lines: [{ skuId: 'CAP', quantity: 3 }] }));
    expect(b.intake[0]).toMatchObject({ backordered: { quantity: 1 }, rejected: { quantity: 2, reason: 'backorder_cap_reached' } });
  });

  it('refuses a downward adjustment of promised units and changes nothing', async () => {
    const before = await level('MUG', 'EU');
    const r = await adjustStock(t.ctx, { skuId: 'MUG', warehouseId: 'EU', quantity: -1, reason: 'damaged' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'insufficient_stock', field: 'quantity', details: { available: 0 } });
    expect(await level('MUG', 'EU')).toEqual(before);
  });

  it('lets an upward adjustment and a transfer flow to waiting backorders', async () => {
    const up = must(await adjustStock(t.ctx, { skuId: 'MUG', warehouseId: 'UK', quantity: 3, reason: 'found in cycle count' }));
    expect(up.allocations.reduce((s, a) => s + a.quantity, 0)).toBe(2);
    expect(up.levels[0]).toMatchObject({ onHand: 6, allocated: 5, available: 1 });
    must(await receiveStock(t.ctx, { skuId: 'LAMP', warehouseId: 'EU', quantity: 4 }));
    const moved = must(await transferStock(t.ctx, { skuId: 'LAMP', fromWarehouseId: 'EU', toWarehouseId: 'UK', quantity: 3 }));
    expect(moved.movements.map((m) => [m.kind, m.warehouseId, m.quantity])).toEqual([['transfer_out', 'EU', -3], ['transfer_in', 'UK', 3]]);
    const tooMuch = await transferStock(t.ctx, { skuId: 'LAMP', fromWarehouseId: 'EU', toWarehouseId: 'UK', quantity: 2 });
    expect(tooMuch.ok).toBe(false);
  });

  it('writes nothing when a request fails part-way', async () => {
    const movementsBefore = must(await listMovements(t.ctx, { limit: 500 })).items.length;
    const levelBefore = await level('MUG', 'UK');
    const r = await placeOrder(t.ctx, { customerId: 'C-GB', lines: [{ skuId: 'MUG', quantity: 1 }, { skuId: 'NOPE', quantity: 1 }] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'unknown_reference', field: 'lines/1/skuId' });
    const unknownCustomer = await placeOrder(t.ctx, { customerId: 'NOBODY', lines: [{ skuId: 'MUG', quantity: 1 }] });
    expect(!unknownCustomer.ok && unknownCustomer.error.field).toBe('customerId');
    expect(must(await listMovements(t.ctx, { limit: 500 })).items.length).toBe(movementsBefore);
    expect(await level('MUG', 'UK')).toEqual(levelBefore);
  });

  it('lists backorders by filter with cursor pagination', async () => {
    const all = must(await listBackorders(t.ctx, { limit: 500 }));
    expect(all.items.length).toBeGreaterThan(4);
    const pages: string[] = [];
    let cursor: string | undefined;
    do {
      const page = must(await listBackorders(t.ctx, { limit: 2, cursor }));
      pages.push(...page.items.map((b) => b.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(pages).toEqual(all.items.map((b) => b.id));
    const mugOpen = must(await listBackorders(t.ctx, { skuId: 'MUG', statuses: ['open', 'partially_allocated'], limit: 50 }));
    expect(mugOpen.items.every((b) => b.skuId === 'MUG' && b.waiting > 0)).toBe(true);
    expect(must(await listBackorders(t.ctx, { customerId: 'C-WHOLE', warehouseId: 'EU', limit: 50 })).items).toHaveLength(1);
    expect(must(await listBackorders(t.ctx, { minAgeDays: 1, limit: 50 })).items).toHaveLength(0);
    // Newest first pages the same backorders in the reverse order.
    const newest: string[] = [];
    for (let next: string | null | undefined; next !== null; ) {
      const page: Awaited<ReturnType<typeof listBackorders>> = await listBackorders(t.ctx, { limit: 2, cursor: next, sort: 'newest' });
      const items = must(page);
      newest.push(...items.items.map((b) => b.id));
      next = items.nextCursor;
    }
    expect(newest).toEqual([...pages].reverse());
    // By the customer's tier: exactly the backorders of customers of that tier.
    const tiers = new Map((await t.ctx.store.db.selectFrom('customer').select(['id', 'tier']).execute()).map((c) => [c.id, c.tier]));
    for (const tier of new Set(tiers.values())) {
      const got = must(await listBackorders(t.ctx, { tier, limit: 500 })).items.map((b) => b.id);
      expect(got).toEqual(all.items.filter((b) => tiers.get(b.customerId) === tier).map((b) => b.id));
    }
    // By cause: none attributed yet, so none; then every one attributed 'no_replenishment' when set so.
    expect(must(await listBackorders(t.ctx, { cause: 'no_replenishment', limit: 500 })).items).toHaveLength(0);
    await t.ctx.store.db.updateTable('backorder').set({ cause: 'no_replenishment' }).where('id', '=', all.items[0]!.id).execute();
    expect(must(await listBackorders(t.ctx, { cause: 'no_replenishment', limit: 500 })).items.map((b) => b.id)).toEqual([all.items[0]!.id]);
    await t.ctx.store.db.updateTable('backorder').set({ cause: null }).where('id', '=', all.items[0]!.id).execute();
    t.clock.advance(3 * 86_400_000);
    expect(must(await listBackorders(t.ctx, { minAgeDays: 2, limit: 500 })).items).toHaveLength(all.items.length);
    expect(must(await listBackorders(t.ctx, { maxAgeDays: 1, limit: 500 })).items).toHaveLength(0);
  });

  it('keeps every invariant: ledger = on-hand, allocations = allocated, every unit accounted for', async () => {
    expect(await findViolations(t.ctx.store.db)).toEqual([]);
    const order = must(await listBackorders(t.ctx, { limit: 1 })).items[0]!;
    const view = must(await getOrder(t.ctx, order.orderId));
    for (const l of view.lines) expect(l.allocated + l.shipped + l.waiting + l.rejected + l.cancelled).toBe(l.quantity);
  });
});
