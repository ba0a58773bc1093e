/**
 * Suppliers' receipt histories kept between projections (src/purchasing/receipt-samples.ts): what is kept is reused
 * while nothing changed, a receipt committed by another process is seen at once, and a receipt that was written and
 * rolled back is never kept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { engines } from '../support/engines.js';
import { must, openTestContext, seedCatalog, sku, type TestContext } from '../support/context.js';
import { createContext, type AppContext } from '../../src/main/context.js';
import { catalogService } from '../../src/catalog/service.js';
import { supplierDef } from '../../src/catalog/entities.js';
import { createPurchaseOrder, receivePurchaseOrder } from '../../src/purchasing/service.js';
import { insertPoReceipt } from '../../src/purchasing/repository.js';
import { supplierHistories } from '../../src/purchasing/receipt-samples.js';
import { fail } from '../../src/shared/result.js';

describe.each(engines)('receipt histories on $name', (engine) => {
  let t: TestContext;
  let other: AppContext;
  const poIds: string[] = [];
  beforeAll(async () => {
    t = await openTestContext(engine);
    other = await createContext({ databaseUrl: t.db.url, log: pino({ level: 'silent' }), clock: t.clock });
    await seedCatalog(t.ctx, { skus: [sku('NUT')] });
    for (const id of ['S', 'T']) must(await catalogService(supplierDef).create(t.ctx, { id, name: id, defaultLeadTimeDays: 10 }));
    for (const expectedDate of ['2026-01-05', '2026-01-06', '2026-01-07']) {
      poIds.push(must(await createPurchaseOrder(t.ctx, { supplierId: 'S', place: true, lines: [{ skuId: 'NUT', warehouseId: 'UK', quantity: 4, expectedDate }] })).id);
    }
  });
  afterAll(async () => {
    await other?.store.close();
    await t?.close();
  });

  const receiveAll = async (ctx: AppContext, poId: string) => {
    const line = (await ctx.store.db.selectFrom('po_line').select(['id', 'quantity']).where('po_id', '=', poId).executeTakeFirstOrThrow());
    must(await receivePurchaseOrder(ctx, poId, { lines: [{ lineId: line.id, quantity: line.quantity }] }));
  };
  const histories = async () => supplierHistories(t.ctx.store, t.ctx.store.db, ['S', 'T']);

  it('reuses a kept history while the supplier has no new receipt, and sees one another process commits', async () => {
    await receiveAll(t.ctx, poIds[0]!);
    const first = await histories();
    expect(first.get('S')!.receipts).toHaveLength(1);
    expect(first.has('T')).toBe(false); // no receipts: no history
    expect((await histories()).get('S')).toBe(first.get('S'));
    await receiveAll(other, poIds[1]!);
    const after = (await histories()).get('S')!;
    expect(after).not.toBe(first.get('S'));
    expect(after.receipts.map((r) => r.expectedDate).sort()).toEqual(['2026-01-05', '2026-01-06']);
  });

  it('never keeps a receipt its transaction wrote and then rolled back', async () => {
    const line = await t.ctx.store.db.selectFrom('po_line').selectAll().where('po_id', '=', poIds[2]!).executeTakeFirstOrThrow();
    let seenInside = 0;
    const result = await t.ctx.store.transaction(async (tx) => {
      await insertPoReceipt(tx, {
        id: t.ctx.ids.next('rcp'), po_line_id: line.id, po_id: poIds[2]!, supplier_id: 'S', sku_id: 'NUT', quantity: 1,
        placed_at: '2026-01-01T00:00:00.000Z', expected_date: '2026-01-07', received_at: '2026-01-20T00:00:00.000Z',
      });
      seenInside = (await supplierHistories(t.ctx.store, tx, ['S'])).get('S')!.receipts.length;
      return fail('illegal_transition', 'roll back');
    });
    expect(result.ok).toBe(false);
    expect(seenInside).toBe(3);
    // Another process commits a receipt: the count is back at 3, and what is read must be the committed three.
    await receiveAll(other, poIds[2]!);
    const kept = (await histories()).get('S')!;
    expect(kept.receipts.map((r) => r.receivedAt.slice(0, 10))).not.toContain('2026-01-20');
    expect(kept.receipts.map((r) => r.expectedDate).sort()).toEqual(['2026-01-05', '2026-01-06', '2026-01-07']);
  });
});
