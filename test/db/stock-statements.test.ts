import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../support/engines.js';
import { must, openTestContext, seedCatalog, sku, type TestContext } from '../support/context.js';
import { receiveStock } from '../../src/inventory/service.js';
import { findLevel, reserveMany } from '../../src/inventory/repository.js';

describe.each(engines)('conditional stock statements on $name', (engine) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await openTestContext(engine);
    await seedCatalog(t.ctx, { skus: [sku('S1'), sku('S2')] });
    must(await receiveStock(t.ctx, { skuId: 'S1', warehouseId: 'UK', quantity: 5 }));
    must(await receiveStock(t.ctx, { skuId: 'S2', warehouseId: 'EU', quantity: 2 }));
  });
  afterAll(async () => t.close());

  const now = '2026-01-05T09:00:00.000Z';

  it('reserves many pairs in one statement, summing repeated pairs', async () => {
    const done = await reserveMany(t.ctx.store.db, [
      { skuId: 'S1', warehouseId: 'UK', quantity: 2 },
      { skuId: 'S2', warehouseId: 'EU', quantity: 2 },
      { skuId: 'S1', warehouseId: 'UK', quantity: 1 },
    ], now);
    expect(done).toBe(true);
    expect((await findLevel(t.ctx.store.db, 'S1', 'UK'))!.allocated).toBe(3);
    expect((await findLevel(t.ctx.store.db, 'S2', 'EU'))!.allocated).toBe(2);
  });

  it('says so when any pair lacks the units, and the database refuses to over-allocate', async () => {
    const short = await reserveMany(t.ctx.store.db, [{ skuId: 'S1', warehouseId: 'UK', quantity: 3 }], now);
    expect(short).toBe(false);
    const missing = await reserveMany(t.ctx.store.db, [{ skuId: 'S2', warehouseId: 'UK', quantity: 1 }], now);
    expect(missing).toBe(false);
    expect((await findLevel(t.ctx.store.db, 'S1', 'UK'))!.allocated).toBe(3);
    await expect(t.ctx.store.db.updateTable('stock_level').set({ allocated: 6 }).where('sku_id', '=', 'S1').execute()).rejects.toThrow();
  });
});
