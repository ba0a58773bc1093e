/**
 * Background jobs shared by many processes: a periodic round is claimed by exactly one of several processes racing
 * for it; and the promise refresh re-projects what days passing moved (an overdue PO lot clamps to today), once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { engines } from '../support/engines.js';
import { customer, must, openTestContext, seedCatalog, sku, type TestContext } from '../support/context.js';
import { createContext, type AppContext } from '../../src/main/context.js';
import { claimRound } from '../../src/jobs/claims.js';
import { refreshStalePromises } from '../../src/promising/refresh.js';
import { placeOrder } from '../../src/orders/service.js';
import { getBackorder } from '../../src/backorders/service.js';
import { catalogService } from '../../src/catalog/service.js';
import { supplierDef } from '../../src/catalog/entities.js';
import { createPurchaseOrder, putSupplierItem } from '../../src/purchasing/service.js';

const dayMs = 86_400_000;

describe.each(engines)('background jobs on $name', (engine) => {
  let t: TestContext;
  let other: AppContext;
  beforeAll(async () => {
    t = await openTestContext(engine);
    // A second "process": its own connections to the same store.
    other = await createContext({ databaseUrl: t.db.url, log: pino({ level: 'silent' }), clock: t.clock });
  });
  afterAll(async () => {
    await other?.store.close();
    await t?.close();
  });

  it('lets one of many racing processes claim each round', async () => {
    const now = t.clock.now();
    const race = (at: Date) =>
      Promise.all(Array.from({ length: 16 }, (_, i) => claimRound((i % 2 ? other : t.ctx).store.db, 'test.job', at, 60_000, `p${i}`)));
    const first = await race(now);
    expect(first.filter(Boolean)).toHaveLength(1);
    expect((await race(new Date(now.getTime() + 59_000))).filter(Boolean)).toHaveLength(0);
    expect((await race(new Date(now.getTime() + 60_000))).filter(Boolean)).toHaveLength(1);
    const row = await t.ctx.store.db.selectFrom('job_claim').selectAll().where('name', '=', 'test.job').executeTakeFirstOrThrow();
    expect(row.due_at).toBe(new Date(now.getTime() + 120_000).toISOString());
  });

  it('re-projects promises that days passing moved, records why, and leaves fresh ones alone', async () => {
    await seedCatalog(t.ctx, { skus: [sku('BULB')], customers: [customer('A')] });
    must(await catalogService(supplierDef).create(t.ctx, { id: 'S', name: 'S', defaultLeadTimeDays: 30 }));
    must(await putSupplierItem(t.ctx, 'S', 'BULB', { packSize: 1, minOrderQty: 1, unitCostMinor: 1 }));
    must(await createPurchaseOrder(t.ctx, { supplierId: 'S', place: true, lines: [{ skuId: 'BULB', warehouseId: 'UK', quantity: 5, expectedDate: '2026-01-08' }] }));
    const bo = must(await placeOrder(t.ctx, { customerId: 'A', lines: [{ skuId: 'BULB', quantity: 2 }] })).intake[0]!.backordered!;
    expect(bo.promisedDate).toBe('2026-01-08');
    expect(await refreshStalePromises(t.ctx)).toEqual({ skus: 0, moved: 0 }); // just projected: not stale

    // Ten days on, the PO has not come: its lot is overdue and counts from today.
    t.clock.advance(10 * dayMs);
    try {
      expect(await refreshStalePromises(t.ctx)).toEqual({ skus: 1, moved: 1 });
      const after = must(await getBackorder(t.ctx, bo.backorderId));
      expect(after.promisedDate).toBe('2026-01-15');
      expect(after.history.at(-1)).toMatchObject({ type: 'backorder.promise_changed', data: { from: '2026-01-08', to: '2026-01-15', cause: 'refresh' } });
      expect(await refreshStalePromises(t.ctx)).toEqual({ skus: 0, moved: 0 });
    } finally {
      t.clock.advance(-10 * dayMs);
    }
  });
});
