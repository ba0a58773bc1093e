/**
 * Processing runs through the HTTP API on every engine: a dry run of each strategy over one SKU whose stock went
 * first in, first out, and proof that a dry run changes nothing. WIDGET has no stock when A (tier 3), B (tier 2)
 * and VIP (tier 1) order 5, 3 and 4 on 01-05, 01-06, 01-07; 6 arrive on 01-08 and go FIFO: A 5, B 1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { engines } from '../support/engines.js';
import { openTestApp, type TestContext } from '../support/context.js';
import { httpClient } from '../support/http-client.js';

describe.each(engines)('allocation runs through the API on $name', (engine) => {
  let t: TestContext & { app: FastifyInstance };
  const bo = new Map<string, string>();

  const { call, send } = httpClient(() => t.app);
  const snapshot = async () => ({
    allocations: await t.ctx.store.db.selectFrom('allocation').selectAll().orderBy('id').execute(),
    backorders: await t.ctx.store.db.selectFrom('backorder').selectAll().orderBy('id').execute(),
    levels: await t.ctx.store.db.selectFrom('stock_level').selectAll().orderBy('sku_id').orderBy('warehouse_id').execute(),
    events: await t.ctx.store.db.selectFrom('backorder_event').select('id').orderBy('id').execute(),
  });
  const deltas = (run: { changes: { backorderId: string; delta: number }[] }) =>
    Object.fromEntries([...bo].map(([who, id]) => [who, run.changes.filter((c) => c.backorderId === id).reduce((s, c) => s + c.delta, 0)]));

  beforeAll(async () => {
    t = await openTestApp(engine);
    await send('POST', '/warehouses', { id: 'UK', name: 'Manchester', regions: ['GB'], priority: 1 });
    await send('POST', '/skus', { id: 'WIDGET', name: 'Widget', unitCostMinor: 1000, backorderPolicy: 'allow' });
    for (const [id, tier] of [['A', 3], ['B', 2], ['VIP', 1]] as const) {
      await send('POST', '/customers', { id, name: id, email: `${id.toLowerCase()}@example.com`, region: 'GB', tier, acceptsPartial: true });
    }
    for (const [who, qty, day] of [['A', 5, '05'], ['B', 3, '06'], ['VIP', 4, '07']] as const) {
      t.clock.set(`2026-01-${day}T10:00:00.000Z`);
      const placed = await send('POST', '/orders', { customerId: who, lines: [{ skuId: 'WIDGET', quantity: qty }] });
      bo.set(who, placed.intake[0].backordered.backorderId);
    }
    t.clock.set('2026-01-08T10:00:00.000Z');
    await send('POST', '/stock/receipts', { skuId: 'WIDGET', warehouseId: 'UK', quantity: 6 });
  });
  afterAll(async () => t.close());

  it('FIFO, the strategy the stock went by, changes nothing', async () => {
    const run = await send('POST', '/allocation/runs/dry-run', { strategy: 'fifo' });
    expect(run).toMatchObject({ strategy: 'fifo', skus: 1, backorders: 3, changes: [], unitsGained: 0, unitsLost: 0, customersAffected: 0 });
  });

  it('tier then FIFO moves A\'s units to VIP first, then B', async () => {
    const before = await snapshot();
    const run = await send('POST', '/allocation/runs/dry-run', { strategy: 'tier-then-fifo', skuIds: ['WIDGET'] });
    expect(deltas(run)).toEqual({ A: -5, B: 1, VIP: 4 });
    expect(run).toMatchObject({ unitsGained: 5, unitsLost: 5, customersAffected: 3 });
    const vip = run.changes.find((c: { backorderId: string }) => c.backorderId === bo.get('VIP'));
    expect(vip).toMatchObject({ skuId: 'WIDGET', warehouseId: 'UK', before: 0, after: 4 });
    expect(vip.reason).toMatch(/tier 1/);
    // A dry run writes nothing: not an allocation, not a level, not an event.
    expect(await snapshot()).toEqual(before);
  });

  it('fair share: 6 units for 12 owed, pro rata in whole units, the rest by FIFO', async () => {
    // floor(6 x 5/12) = 2, floor(6 x 3/12) = 1, floor(6 x 4/12) = 2; the sixth unit to the earliest, A.
    const run = await send('POST', '/allocation/runs/dry-run', { strategy: 'fair-share' });
    expect(deltas(run)).toEqual({ A: -2, B: 0, VIP: 2 });
  });

  it('categories: a protected segment takes from redistributable orders', async () => {
    const run = await send('POST', '/allocation/runs/dry-run', {
      strategy: 'categories',
      categories: { segments: [{ name: 'key accounts', category: 'protect', match: { tierAtMost: 1 } }], default: 'redistribute' },
    });
    const d = deltas(run);
    expect(d.VIP).toBe(4);
    expect(d.A! + d.B!).toBe(-4);
  });

  it('refuses an unknown strategy, a bad segment and an unknown SKU, naming them', async () => {
    const bad = await call('POST', '/allocation/runs/dry-run', { strategy: 'lottery' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toMatch(/strategy/);
    const segment = await call('POST', '/allocation/runs/dry-run', { strategy: 'categories', categories: { segments: [{ name: 'x', category: 'hoard', match: {} }], default: 'fill' } });
    expect(segment.statusCode).toBe(400);
    expect(segment.json().detail).toMatch(/categor/);
    const sku = await call('POST', '/allocation/runs/dry-run', { strategy: 'fifo', skuIds: ['NOPE'] });
    expect(sku.statusCode).toBe(404);
    expect(sku.json()).toMatchObject({ detail: expect.stringContaining('NOPE') });
  });
});
