/**
 * The promise scenario through the HTTP API: orders go on backorder, purchase orders are placed, an ETA slips, a
 * quote is asked, a receipt is short, a transfer arrives; every backorder's promise and history is checked at each
 * step. Today is 2026-01-05 throughout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { engines } from '../support/engines.js';
import { openTestApp, type TestContext } from '../support/context.js';

describe.each(engines)('promise dates through the API on $name', (engine) => {
  let t: TestContext & { app: FastifyInstance };
  const ids: Record<string, string> = {};

  const send = async (method: 'POST' | 'PUT' | 'PATCH' | 'GET', url: string, payload?: unknown) => {
    const res = await t.app.inject({ method, url, ...(payload === undefined ? {} : { payload: payload as object }) });
    if (res.statusCode >= 400) throw new Error(`${method} ${url} -> ${res.statusCode} ${res.body}`);
    return res.json();
  };
  const backorder = (key: string) => send('GET', `/backorders/${ids[key]}`);
  const order = async (key: string, customerId: string, quantity: number, skuId = 'KETTLE') => {
    const placed = await send('POST', '/orders', { customerId, lines: [{ skuId, quantity }] });
    ids[key] = placed.intake[0].backordered?.backorderId;
    return placed.intake[0];
  };

  beforeAll(async () => {
    t = await openTestApp(engine);
    for (const w of [{ id: 'UK', name: 'Manchester', regions: ['GB'], priority: 1 }, { id: 'EU', name: 'Rotterdam', regions: ['NL'], priority: 2 }]) await send('POST', '/warehouses', w);
    await send('POST', '/skus', { id: 'KETTLE', name: 'Kettle', unitCostMinor: 1500, backorderPolicy: 'allow' });
    await send('POST', '/skus', { id: 'INB', name: 'Inbound only', unitCostMinor: 100, backorderPolicy: 'allow-up-to-inbound', backorderHorizonDays: 30 });
    for (const [id, tier, acceptsPartial] of [['A', 2, true], ['B', 2, true], ['VIP', 1, true], ['W', 2, false]] as const) {
      await send('POST', '/customers', { id, name: id, email: `${id.toLowerCase()}@example.com`, region: 'GB', tier, acceptsPartial });
    }
    await send('POST', '/suppliers', { id: 'ACME', name: 'Acme', defaultLeadTimeDays: 20 });
    await send('PUT', '/suppliers/ACME/items/KETTLE', { leadTimeDays: 14, unitCostMinor: 1200 });
    await send('PUT', '/suppliers/ACME/items/INB', { unitCostMinor: 50 });
  });
  afterAll(async () => t.close());

  it('promises a backorder without inbound from the supplier lead time, unconfirmed', async () => {
    const a = await order('A', 'A', 5);
    expect(a.backordered).toMatchObject({ quantity: 5, promisedDate: '2026-01-19', confirmed: false, confidence: 0.5, basis: { kind: 'lead_time', supplierId: 'ACME', leadTimeDays: 14 } });
    await order('B', 'B', 4);
    expect(await backorder('A')).toMatchObject({ promisedDate: '2026-01-19', firstPromisedDate: '2026-01-19', history: [{ type: 'backorder.created' }, { type: 'backorder.promised', data: { date: '2026-01-19', cause: 'new_order' } }] });
  });

  it('re-promises from a placed purchase order, in queue order', async () => {
    const po1 = await send('POST', '/purchase-orders', { supplierId: 'ACME', place: true, lines: [{ skuId: 'KETTLE', warehouseId: 'UK', quantity: 6, expectedDate: '2026-01-12' }] });
    ids.po1 = po1.id;
    ids.po1line = po1.lines[0].id;
    expect(po1).toMatchObject({ status: 'placed', lines: [{ open: 6, expectedDate: '2026-01-12' }] });
    const a = await backorder('A');
    // A (5) is covered by the PO; no history yet, so no lateness shift.
    expect(a).toMatchObject({ promisedDate: '2026-01-12', promiseConfirmed: true, promiseBasis: { kind: 'po', poId: po1.id, shiftDays: 0 } });
    expect(a.history.at(-1)).toMatchObject({ type: 'backorder.promise_changed', data: { from: '2026-01-19', to: '2026-01-12', cause: 'po_placed' } });
    // B gets the PO's last unit and waits for 3 more: still the lead-time date, unconfirmed.
    expect(await backorder('B')).toMatchObject({ promisedDate: '2026-01-19', promiseConfirmed: false });
    const po2 = await send('POST', '/purchase-orders', { supplierId: 'ACME', lines: [{ skuId: 'KETTLE', warehouseId: 'UK', quantity: 10, expectedDate: '2026-01-15' }] });
    ids.po2 = po2.id;
    ids.po2line = po2.lines[0].id;
    expect((await backorder('B')).promisedDate).toBe('2026-01-19');
    await send('POST', `/purchase-orders/${po2.id}/place`);
    expect(await backorder('B')).toMatchObject({ promisedDate: '2026-01-15', promiseConfirmed: true, promiseBasis: { poId: po2.id } });
  });

  it('moves promises when an ETA slips, and records old date, new date and cause', async () => {
    await send('PATCH', `/purchase-orders/${ids.po1}/lines/${ids.po1line}`, { expectedDate: '2026-01-25' });
    // Lots by date: PO2 (01-15, 10) then PO1 (01-25, 6). A takes 5 of PO2, B the next 4.
    const a = await backorder('A');
    expect(a).toMatchObject({ promisedDate: '2026-01-15', firstPromisedDate: '2026-01-19' });
    expect(a.history.at(-1)).toMatchObject({ type: 'backorder.promise_changed', data: { from: '2026-01-12', to: '2026-01-15', cause: 'eta_changed' } });
    expect((await backorder('B')).promisedDate).toBe('2026-01-15');
  });

  it('quotes a new order without writing anything', async () => {
    const before = (await send('GET', '/backorders')).items.length;
    const q = await send('POST', '/quotes', { customerId: 'VIP', lines: [{ skuId: 'KETTLE', quantity: 3 }] });
    // FIFO: behind A and B, VIP takes PO2's last unit and 2 of PO1 (01-25).
    expect(q.lines[0]).toMatchObject({ fromStock: [], backorder: { quantity: 3, promisedDate: '2026-01-25', confirmed: true } });
    expect((await send('GET', '/backorders')).items.length).toBe(before);
    await send('PUT', '/settings/allocation', { strategy: 'tier-then-fifo' });
    const vip = await send('POST', '/quotes', { customerId: 'VIP', lines: [{ skuId: 'KETTLE', quantity: 3 }] });
    // Tier 1 goes first: the 3 units come from PO2 (01-15).
    expect(vip.lines[0].backorder).toMatchObject({ promisedDate: '2026-01-15' });
    await send('PUT', '/settings/allocation', { strategy: 'fifo' });
  });

  it('allocates a short receipt in queue order and keeps the rest of the line expected', async () => {
    const r = await send('POST', `/purchase-orders/${ids.po2}/receipts`, { lines: [{ lineId: ids.po2line, quantity: 7 }] });
    expect(r.purchaseOrder).toMatchObject({ status: 'partially_received', lines: [{ received: 7, open: 3 }] });
    expect(r.allocations.map((x: { backorderId: string; quantity: number }) => [x.backorderId, x.quantity])).toEqual([[ids.A, 5], [ids.B, 2]]);
    expect(await backorder('A')).toMatchObject({ status: 'allocated', waiting: 0 });
    // B still waits for 2, covered by PO2's 3 open units.
    expect(await backorder('B')).toMatchObject({ status: 'partially_allocated', waiting: 2, promisedDate: '2026-01-15', promiseConfirmed: true });
    const perf = await send('GET', '/suppliers/ACME/performance');
    expect(perf).toMatchObject({ receipts: 1, onTimeRate: 1, leadTimeDays: { p50: 0 } });
    expect(perf.trend).toEqual([expect.objectContaining({ receipts: 1, onTimeRate: 1, meanLeadTimeDays: 0 })]);
  });

  it('suggests and runs a transfer for a backorder pinned to a warehouse, promising its arrival', async () => {
    await send('POST', '/purchase-orders/' + ids.po2 + '/receipts', { lines: [{ lineId: ids.po2line, quantity: 3 }] });
    // PO2's last 3 units: B takes its 2, so 1 is spare at UK. W refuses split shipments: it gets that unit from UK
    // and waits for 1 more there, and only there.
    const w = await order('W', 'W', 2);
    expect(w).toMatchObject({ allocated: [{ warehouseId: 'UK', quantity: 1 }], backordered: { quantity: 1, warehouseId: 'UK', flexible: false } });
    // PO1 (6 units, 01-25) is left for W.
    expect((await backorder('W')).promisedDate).toBe('2026-01-25');
    await send('POST', '/stock/receipts', { skuId: 'KETTLE', warehouseId: 'EU', quantity: 2 });
    const suggestions = await send('GET', '/transfers/suggestions?skuId=KETTLE&transitDays=3');
    expect(suggestions).toEqual([
      { skuId: 'KETTLE', backorderId: ids.W, fromWarehouseId: 'EU', toWarehouseId: 'UK', quantity: 1, transitDays: 3, promisedDateWithTransfer: '2026-01-08', currentPromisedDate: '2026-01-25' },
    ]);
    const moved = await send('POST', '/stock/transfers', { skuId: 'KETTLE', fromWarehouseId: 'EU', toWarehouseId: 'UK', quantity: 1, transitDays: 3 });
    expect(moved.transfer).toMatchObject({ status: 'in_transit', expectedArrival: '2026-01-08' });
    expect(await backorder('W')).toMatchObject({ promisedDate: '2026-01-08', promiseConfirmed: true, promiseBasis: { kind: 'transfer', transferId: moved.transfer.id } });
    const arrived = await send('POST', `/transfers/${moved.transfer.id}/arrive`);
    expect(arrived.allocations.map((x: { backorderId: string }) => x.backorderId)).toEqual([ids.W]);
    expect(await backorder('W')).toMatchObject({ status: 'allocated' });
  });

  it('accepts backorders of an allow-up-to-inbound SKU only up to confirmed inbound in the horizon', async () => {
    const none = await order('I1', 'A', 3, 'INB');
    expect(none).toMatchObject({ backordered: null, rejected: { quantity: 3, reason: 'beyond_inbound_supply' } });
    await send('POST', '/purchase-orders', { supplierId: 'ACME', place: true, lines: [{ skuId: 'INB', warehouseId: 'UK', quantity: 4, expectedDate: '2026-01-20' }, { skuId: 'INB', warehouseId: 'UK', quantity: 50, expectedDate: '2026-03-30' }] });
    const some = await order('I2', 'A', 6, 'INB');
    expect(some).toMatchObject({ backordered: { quantity: 4, promisedDate: '2026-01-20' }, rejected: { quantity: 2, reason: 'beyond_inbound_supply' } });
  });

  it('cancels a purchase order and re-promises from the lead time', async () => {
    const q = await order('C', 'B', 6);
    expect((await backorder('C')).promiseBasis).toMatchObject({ kind: 'po', poId: ids.po1 });
    await send('POST', `/purchase-orders/${ids.po1}/cancel`);
    const c = await backorder('C');
    expect(q.backordered.promisedDate).toBe('2026-01-25');
    expect(c).toMatchObject({ promisedDate: '2026-01-19', promiseConfirmed: false });
    expect(c.history.at(-1)).toMatchObject({ type: 'backorder.promise_changed', data: { cause: 'po_cancelled' } });
    const again = await t.app.inject({ method: 'POST', url: `/purchase-orders/${ids.po1}/cancel` });
    expect(again.statusCode).toBe(409);
  });

  it('reports promise accuracy against the first promise', async () => {
    // A was first promised 2026-01-19 and ships today (2026-01-05).
    await send('POST', `/orders/${(await backorder('A')).orderId}/shipments`, { warehouseId: 'UK' });
    const acc = await send('GET', '/reports/promise-accuracy');
    expect(acc).toMatchObject({ fulfilled: 1, keptFirstPromise: 1, neverPromised: 0, accuracy: 1 });
  });
});
