/**
 * Transfers in processing runs, through the API on every engine. P (GB, ships from one warehouse only) waits for 4
 * GADGETs and 3 GIZMOs at UK; 3 of each arrive at DE, where no one waits for them. A run with transfers moves them
 * to P: GADGET at once (allocated on landing), GIZMO in transit for 2 days (P's promise becomes the arrival day,
 * sooner than ACME's 14-day lead time). Without transfers the runs change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { engines } from '../support/engines.js';
import { openTestApp, type TestContext } from '../support/context.js';
import { httpClient } from '../support/http-client.js';
import { findViolations } from '../../src/audit/invariants.js';

describe.each(engines)('transfers in allocation runs on $name', (engine) => {
  let t: TestContext & { app: FastifyInstance };
  const bo = new Map<string, string>();

  const { send } = httpClient(() => t.app);
  const level = async (skuId: string, warehouseId: string) => {
    const r = await t.ctx.store.db.selectFrom('stock_level').selectAll().where('sku_id', '=', skuId).where('warehouse_id', '=', warehouseId).executeTakeFirst();
    return r ? { onHand: Number(r.on_hand), allocated: Number(r.allocated) } : null;
  };

  beforeAll(async () => {
    t = await openTestApp(engine);
    t.clock.set('2026-03-02T09:00:00.000Z');
    await send('POST', '/warehouses', { id: 'UK', name: 'Manchester', regions: ['GB'], priority: 1 });
    await send('POST', '/warehouses', { id: 'DE', name: 'Hamburg', regions: ['DE'], priority: 2 });
    await send('POST', '/suppliers', { id: 'ACME', name: 'Acme', defaultLeadTimeDays: 20 });
    await send('POST', '/customers', { id: 'P', name: 'P', email: 'p@example.com', region: 'GB', tier: 2, acceptsPartial: false });
    for (const [sku, quantity] of [['GADGET', 4], ['GIZMO', 3]] as const) {
      await send('POST', '/skus', { id: sku, name: sku, unitCostMinor: 500, backorderPolicy: 'allow' });
      await send('PUT', `/suppliers/ACME/items/${sku}`, { leadTimeDays: 14, unitCostMinor: 300 });
      const placed = await send('POST', '/orders', { customerId: 'P', lines: [{ skuId: sku, quantity }] });
      expect(placed.intake[0].backordered).toMatchObject({ warehouseId: 'UK', flexible: false, promisedDate: '2026-03-16' });
      bo.set(sku, placed.intake[0].backordered.backorderId);
      await send('POST', '/stock/receipts', { skuId: sku, warehouseId: 'DE', quantity: 3 });
    }
  });
  afterAll(async () => t.close());

  it('without transfers, stock at DE is nobody\'s business: nothing changes', async () => {
    const dry = await send('POST', '/allocation/runs/dry-run', { strategy: 'fifo' });
    expect(dry).toMatchObject({ changes: [], transfers: [] });
  });

  it('an immediate transfer lands at UK and is allocated to P; the ledger and the levels agree', async () => {
    const body = { strategy: 'fifo', skuIds: ['GADGET'], transfers: { transitDays: 0 } };
    const dry = await send('POST', '/allocation/runs/dry-run', body);
    expect(dry.transfers).toEqual([{ skuId: 'GADGET', backorderId: bo.get('GADGET'), fromWarehouseId: 'DE', toWarehouseId: 'UK', quantity: 3, rank: 1, arrival: '2026-03-02', transferId: null }]);
    expect(dry.changes).toEqual([expect.objectContaining({ backorderId: bo.get('GADGET'), warehouseId: 'UK', before: 0, after: 3, promisedBefore: '2026-03-16', promisedAfter: '2026-03-16' })]);
    expect(dry.changes[0].reason).toMatch(/3 transferred from DE/);

    const run = await send('POST', '/allocation/runs', body);
    expect(run.changes).toEqual(dry.changes);
    expect(run.transfers).toEqual([{ ...dry.transfers[0], transferId: expect.stringMatching(/^trf_/) }]);
    expect(await level('GADGET', 'DE')).toEqual({ onHand: 0, allocated: 0 });
    expect(await level('GADGET', 'UK')).toEqual({ onHand: 3, allocated: 3 });
    const transfer = await t.ctx.store.db.selectFrom('transfer').selectAll().where('id', '=', run.transfers[0].transferId).executeTakeFirstOrThrow();
    expect(transfer).toMatchObject({ status: 'arrived', from_warehouse_id: 'DE', to_warehouse_id: 'UK' });
    expect(await findViolations(t.ctx.store.db)).toEqual([]);
    expect((await send('GET', `/allocation/runs/${run.id}`)).run.transfers).toEqual(run.transfers);
  });

  it('a transfer in transit is inbound supply: P is promised its arrival day, nothing is allocated yet', async () => {
    const body = { strategy: 'fifo', skuIds: ['GIZMO'], transfers: { transitDays: 2 } };
    const dry = await send('POST', '/allocation/runs/dry-run', body);
    expect(dry).toMatchObject({ changes: [], transfers: [{ fromWarehouseId: 'DE', toWarehouseId: 'UK', quantity: 3, arrival: '2026-03-04' }] });
    const run = await send('POST', '/allocation/runs', body);
    expect(run.transfers).toHaveLength(1);
    expect(await level('GIZMO', 'DE')).toEqual({ onHand: 0, allocated: 0 });
    expect(await level('GIZMO', 'UK')).toBeNull();
    const p = await send('GET', `/backorders/${bo.get('GIZMO')}`);
    expect(p).toMatchObject({ promisedDate: '2026-03-04', promiseConfirmed: true, promiseBasis: { kind: 'transfer', transferId: run.transfers[0].transferId, fromWarehouseId: 'DE' } });
    expect(p.history.at(-1)).toMatchObject({ type: 'backorder.promise_changed', data: { from: '2026-03-16', to: '2026-03-04', cause: 'allocation_run' } });
    // The units are on their way: a second run proposes nothing more.
    expect((await send('POST', '/allocation/runs/dry-run', body)).transfers).toEqual([]);
    expect(await findViolations(t.ctx.store.db)).toEqual([]);
  });
});
