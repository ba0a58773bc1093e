/**
 * The worklist's server side on every engine: the at-risk filter and re-promising a selection. KETTLE waits for A
 * (5) and B (4) with no inbound: both are promised ACME's 14-day lead time, unconfirmed, so both are at risk. A PO of
 * 5 due 01-12 covers A (confirmed): A leaves the at-risk list, B stays.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { engines } from '../support/engines.js';
import { openTestApp, type TestContext } from '../support/context.js';
import { httpClient } from '../support/http-client.js';

describe.each(engines)('worklist filters and bulk actions on $name', (engine) => {
  let t: TestContext & { app: FastifyInstance };
  const bo: Record<string, string> = {};
  const { call, send } = httpClient(() => t.app);
  const atRisk = async () => (await send('GET', '/backorders?atRisk=true')).items.map((b: { id: string }) => b.id).sort();

  beforeAll(async () => {
    t = await openTestApp(engine);
    await send('POST', '/warehouses', { id: 'UK', name: 'Manchester', regions: ['GB'], priority: 1 });
    await send('POST', '/skus', { id: 'KETTLE', name: 'Kettle', unitCostMinor: 1500, backorderPolicy: 'allow' });
    await send('POST', '/suppliers', { id: 'ACME', name: 'Acme', defaultLeadTimeDays: 20 });
    await send('PUT', '/suppliers/ACME/items/KETTLE', { leadTimeDays: 14, unitCostMinor: 1200 });
    for (const [id, qty] of [['A', 5], ['B', 4]] as const) {
      await send('POST', '/customers', { id, name: id, email: `${id.toLowerCase()}@example.com`, region: 'GB', tier: 2, acceptsPartial: true });
      bo[id] = (await send('POST', '/orders', { customerId: id, lines: [{ skuId: 'KETTLE', quantity: qty }] })).intake[0].backordered.backorderId;
    }
  });
  afterAll(async () => t.close());

  it('at risk: promises no inbound supply covers; a covering PO takes a backorder off the list', async () => {
    expect(await atRisk()).toEqual([bo.A, bo.B].sort());
    await send('POST', '/purchase-orders', { supplierId: 'ACME', place: true, lines: [{ skuId: 'KETTLE', warehouseId: 'UK', quantity: 5, expectedDate: '2026-01-12' }] });
    expect(await atRisk()).toEqual([bo.B]);
    expect((await send('GET', '/backorders?atRisk=false')).items).toHaveLength(2);
    expect((await call('GET', '/backorders?atRisk=maybe')).statusCode).toBe(400);
  });

  it('re-promises a selection now: a stale stored date is projected again and the move recorded as manual', async () => {
    // A stored promise gone stale (as after a change made outside Raincheck): the projection says 01-12.
    await t.ctx.store.db.updateTable('backorder').set({ promised_date: '2026-03-01', promise_key: null }).where('id', '=', bo.A!).execute();
    const r = await send('POST', '/backorders/repromise', { backorderIds: [bo.A] });
    expect(r).toEqual({ skus: 1, moved: 1 });
    const a = await send('GET', `/backorders/${bo.A}`);
    expect(a.promisedDate).toBe('2026-01-12');
    expect(a.history.at(-1)).toMatchObject({ type: 'backorder.promise_changed', data: { from: '2026-03-01', to: '2026-01-12', cause: 'manual' } });
    // Nothing stale: nothing moves.
    expect(await send('POST', '/backorders/repromise', { backorderIds: [bo.A, bo.B] })).toEqual({ skus: 1, moved: 0 });
  });

  it("purchase orders by SKU (the SKU page's inbound)", async () => {
    await send('POST', '/skus', { id: 'TOASTER', name: 'Toaster', unitCostMinor: 900, backorderPolicy: 'allow' });
    await send('PUT', '/suppliers/ACME/items/TOASTER', { leadTimeDays: 10, unitCostMinor: 600 });
    await send('POST', '/purchase-orders', { supplierId: 'ACME', lines: [{ skuId: 'TOASTER', warehouseId: 'UK', quantity: 2, expectedDate: '2026-01-20' }] });
    const kettle = await send('GET', '/purchase-orders?skuId=KETTLE');
    expect(kettle.items.map((p: { lines: { skuId: string }[] }) => p.lines.map((l) => l.skuId))).toEqual([['KETTLE']]);
    expect((await send('GET', '/purchase-orders?skuId=TOASTER')).items).toHaveLength(1);
    expect((await send('GET', '/purchase-orders')).items).toHaveLength(2);
    expect((await send('GET', '/purchase-orders?skuId=NOPE')).items).toEqual([]);
  });

  it('refuses unknown backorders, naming them, and changes nothing', async () => {
    const events = async () => (await t.ctx.store.db.selectFrom('backorder_event').select('id').execute()).length;
    const before = await events();
    const res = await call('POST', '/backorders/repromise', { backorderIds: [bo.A, 'bo_nope'] });
    expect(res.statusCode).toBe(404);
    expect(res.json().detail).toContain('bo_nope');
    expect((await call('POST', '/backorders/repromise', { backorderIds: [] })).statusCode).toBe(400);
    expect(await events()).toBe(before);
  });
});
