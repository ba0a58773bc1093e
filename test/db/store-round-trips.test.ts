/**
 * The store capabilities intake uses to hold its SKU locks for fewer round trips: several reads in one statement,
 * the reservations in the statement that writes the order, and SKU locks taken all at once (a busy SKU waited for
 * alone, a missing one told apart from it). Each must behave the same on both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../support/engines.js';
import { must, openTestContext, seedCatalog, sku, type TestContext } from '../support/context.js';
import { receiveStock } from '../../src/inventory/service.js';
import { findLevel, levelsQuery, reservationGuard } from '../../src/inventory/repository.js';
import { allQuery, byIdQuery } from '../../src/catalog/repository.js';
import { waitingTotalsQuery } from '../../src/backorders/repository.js';
import { fail, ok } from '../../src/shared/result.js';

describe.each(engines)('store round trips on $name', (engine) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await openTestContext(engine);
    await seedCatalog(t.ctx, { skus: [sku('S1'), sku('S2'), sku('S3')] });
    must(await receiveStock(t.ctx, { skuId: 'S1', warehouseId: 'UK', quantity: 5 }));
    must(await receiveStock(t.ctx, { skuId: 'S1', warehouseId: 'EU', quantity: 3 }));
    must(await receiveStock(t.ctx, { skuId: 'S2', warehouseId: 'EU', quantity: 2 }));
  });
  afterAll(async () => t.close());

  const now = '2026-01-05T09:00:00.000Z';

  it('readMany returns what each query returns alone, in its order, with its values and types', async () => {
    const db = t.ctx.store.db;
    const queries = [
      levelsQuery(db, ['S2', 'S1']).orderBy('sku_id').orderBy('warehouse_id'),
      byIdQuery(db, 'sku', 'S3'),
      byIdQuery(db, 'customer', 'nobody'),
      allQuery(db, 'warehouse'),
      waitingTotalsQuery(db, ['S1']),
      null,
    ] as const;
    const together = await t.ctx.store.readMany(db, queries);
    const alone = [];
    for (const q of queries) alone.push(q ? (await db.executeQuery(q.compile())).rows : []);
    expect(together).toEqual(alone);
    expect(together[0].map((l) => [l.sku_id, l.warehouse_id, l.on_hand])).toEqual([
      ['S1', 'EU', 3],
      ['S1', 'UK', 5],
      ['S2', 'EU', 2],
    ]);
    expect(together[1][0]!.backorder_cap).toBeNull();
    expect(together[2]).toEqual([]);
  });

  it('insertAll with a reservation guard reserves and writes together, and says when the stock was not there', async () => {
    const movement = (id: string) => ({ id, sku_id: 'S1', warehouse_id: 'UK', kind: 'adjustment', quantity: 0, reason: 'test', source_type: null, source_id: null, created_at: now });
    const done = await t.ctx.store.transaction(async (tx) => {
      const guard = reservationGuard([{ skuId: 'S1', warehouseId: 'UK', quantity: 2 }, { skuId: 'S1', warehouseId: 'EU', quantity: 3 }], now);
      return ok(await t.ctx.store.insertAll(tx, [{ table: 'movement', rows: [movement('mv-guard-1')] }], guard));
    });
    expect(must(done)).toBe(true);
    expect((await findLevel(t.ctx.store.db, 'S1', 'UK'))!.allocated).toBe(2);
    expect((await findLevel(t.ctx.store.db, 'S1', 'EU'))!.allocated).toBe(3);

    // EU has nothing left: the guard changes one row of two, and the caller rolls everything back.
    const short = await t.ctx.store.transaction(async (tx) => {
      const guard = reservationGuard([{ skuId: 'S1', warehouseId: 'UK', quantity: 1 }, { skuId: 'S1', warehouseId: 'EU', quantity: 1 }], now);
      const written = await t.ctx.store.insertAll(tx, [{ table: 'movement', rows: [movement('mv-guard-2')] }], guard);
      return written ? ok(written) : fail('insufficient_stock', 'stock changed');
    });
    expect(short.ok).toBe(false);
    expect((await findLevel(t.ctx.store.db, 'S1', 'UK'))!.allocated).toBe(2);
    const movements = await t.ctx.store.db.selectFrom('movement').select('id').where('id', 'like', 'mv-guard-%').execute();
    expect(movements.map((m) => m.id)).toEqual(['mv-guard-1']);
  });

  it('lockSkus returns the SKUs that exist, and waits for a busy one before taking them all', async () => {
    const missing = await t.ctx.store.transaction(async (tx) => ok(await t.ctx.store.lockSkus(tx, ['S3', 'NOPE', 'S1'])));
    expect(must(missing).map((s) => s.id)).toEqual(['S1', 'S3']);
    if (engine.name !== 'postgres') return; // SQLite's writers are serialised: there is no second holder to wait for

    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let holding!: () => void;
    const held = new Promise<void>((r) => (holding = r));
    const holder = t.ctx.store.transaction(async (tx) => {
      await t.ctx.store.lockSkus(tx, ['S2']);
      holding();
      await released;
      return ok(null);
    });
    await held;
    let taken: string[] | null = null;
    const waiter = t.ctx.store
      .transaction(async (tx) => ok(await t.ctx.store.lockSkus(tx, ['S3', 'S2', 'S1'])))
      .then((r) => (taken = must(r).map((s) => s.id)));
    await new Promise((r) => setTimeout(r, 300));
    expect(taken).toBeNull(); // S2 is held, and the waiter does not return without it
    // While it waits for S2 it holds nothing else: S1 and S3 can be locked at once by a third transaction.
    const others = await Promise.race([
      t.ctx.store.transaction(async (tx) => ok((await t.ctx.store.lockSkus(tx, ['S1', 'S3'])).map((s) => s.id))),
      new Promise<'blocked'>((r) => setTimeout(() => r('blocked'), 2000)),
    ]);
    expect(others === 'blocked' ? others : must(others)).toEqual(['S1', 'S3']);
    release();
    await holder;
    await waiter;
    expect(taken).toEqual(['S1', 'S2', 'S3']);
  });
});
