import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { engines } from '../support/engines.js';
import { openTestApp, type TestContext } from '../support/context.js';

describe.each(engines)('HTTP API on $name', (engine) => {
  let t: TestContext & { app: FastifyInstance };
  beforeAll(async () => {
    t = await openTestApp(engine);
  });
  afterAll(async () => t.close());

  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url, payload: payload as object, headers });
  const get = (url: string) => t.app.inject({ method: 'GET', url });
  const count = async (table: 'sales_order' | 'movement' | 'backorder') =>
    Number((await t.ctx.store.db.selectFrom(table).select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('sets up the catalog: create, get, update, list', async () => {
    for (const w of [{ id: 'UK', name: 'Manchester', regions: ['GB'], priority: 1 }, { id: 'EU', name: 'Rotterdam', regions: ['NL'], priority: 2 }]) {
      expect((await post('/warehouses', w)).statusCode).toBe(201);
    }
    const created = await post('/skus', { id: 'MUG-1', name: 'Mug', unitCostMinor: 350, backorderPolicy: 'allow', backorderCap: 50 });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ id: 'MUG-1', backorderCap: 50, createdAt: expect.any(String) });
    expect((await post('/skus', { id: 'OLD-1', name: 'Old', unitCostMinor: 100, backorderPolicy: 'discontinued' })).statusCode).toBe(201);
    const cust = await post('/customers', { id: 'C1', name: 'Ada', email: 'ada@example.com', region: 'GB' });
    expect(cust.json()).toMatchObject({ tier: 3, acceptsPartial: true });
    const patched = await t.app.inject({ method: 'PATCH', url: '/customers/C1', payload: { tier: 1 } });
    expect(patched.json()).toMatchObject({ id: 'C1', tier: 1, name: 'Ada' });
    expect((await get('/skus/MUG-1')).json()).toMatchObject({ name: 'Mug' });
    expect((await get('/skus?limit=1')).json()).toMatchObject({ items: [{ id: 'MUG-1' }], nextCursor: expect.any(String) });
    const dup = await post('/skus', { id: 'MUG-1', name: 'Again', unitCostMinor: 1, backorderPolicy: 'allow' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: 'already_exists', field: 'id' });
  });

  it('takes an order end to end: receipt, intake with a backorder, receipt filling it, shipment', async () => {
    expect((await post('/stock/receipts', { skuId: 'MUG-1', warehouseId: 'UK', quantity: 2 })).statusCode).toBe(201);
    const placed = await post('/orders', { customerId: 'C1', lines: [{ skuId: 'MUG-1', quantity: 5 }, { skuId: 'OLD-1', quantity: 1 }] });
    expect(placed.statusCode).toBe(201);
    const body = placed.json();
    expect(body.intake[0]).toMatchObject({ allocated: [{ warehouseId: 'UK', quantity: 2 }], backordered: { quantity: 3 } });
    expect(body.intake[1]).toMatchObject({ rejected: { quantity: 1, reason: 'discontinued' } });
    const filled = await post('/stock/receipts', { skuId: 'MUG-1', warehouseId: 'EU', quantity: 10 });
    expect(filled.json().allocations).toMatchObject([{ backorderId: body.intake[0].backordered.backorderId, quantity: 3 }]);
    const shipped = await post(`/orders/${body.order.id}/shipments`, { warehouseId: 'UK' });
    expect(shipped.statusCode).toBe(201);
    expect((await get(`/orders/${body.order.id}`)).json().lines[0]).toMatchObject({ shipped: 2, allocated: 3, status: 'allocated' });
    const bo = (await get(`/backorders/${body.intake[0].backordered.backorderId}`)).json();
    expect(bo).toMatchObject({ status: 'allocated', history: [{ type: 'backorder.created' }, { type: 'backorder.allocated' }] });
    expect((await get('/backorders?status=allocated&skuId=MUG-1')).json().items).toHaveLength(1);
    expect((await get('/stock?skuId=MUG-1')).json().items).toHaveLength(2);
    expect((await get('/stock/totals?skuId=MUG-1')).json().items[0]).toMatchObject({ onHand: 10, allocated: 3, available: 7 });
    expect((await get('/stock/movements?skuId=MUG-1')).json().items.map((m: { kind: string }) => m.kind)).toEqual(['receipt', 'receipt', 'shipment']);
  });

  it('answers a retried POST with the first answer (Idempotency-Key) and creates nothing new', async () => {
    const payload = { customerId: 'C1', lines: [{ skuId: 'MUG-1', quantity: 1 }] };
    const first = await post('/orders', payload, { 'idempotency-key': 'order-77' });
    const before = await count('sales_order');
    const retry = await post('/orders', payload, { 'idempotency-key': 'order-77' });
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toEqual(first.json());
    expect(await count('sales_order')).toBe(before);
    const reused = await post('/orders', { ...payload, reference: 'x' }, { 'idempotency-key': 'order-77' });
    expect(reused.statusCode).toBe(422);
    expect(reused.json()).toMatchObject({ code: 'idempotency_key_reused' });
  });

  const rejects = async (
    label: string,
    send: () => ReturnType<typeof post>,
    status: number,
    code: string,
    field?: string,
  ) => {
    const before = await Promise.all([count('sales_order'), count('movement'), count('backorder')]);
    const res = await send();
    expect(res.statusCode, label).toBe(status);
    expect(res.headers['content-type'], label).toContain('application/problem+json');
    const problem = res.json();
    expect(problem, label).toMatchObject({ status, code, type: `urn:raincheck:problem:${code}`, detail: expect.any(String) });
    if (field !== undefined) expect(problem.field, label).toBe(field);
    expect(await Promise.all([count('sales_order'), count('movement'), count('backorder')]), label).toEqual(before);
  };

  it('rejects bad input with problem+json naming the field, and writes nothing', async () => {
    const line = (quantity: unknown) => ({ customerId: 'C1', lines: [{ skuId: 'MUG-1', quantity }] });
    await rejects('malformed JSON', () => t.app.inject({ method: 'POST', url: '/orders', payload: '{"customerId": ', headers: { 'content-type': 'application/json' } }), 400, 'malformed_request');
    await rejects('missing lines', () => post('/orders', { customerId: 'C1' }), 400, 'validation_failed', 'lines');
    await rejects('zero quantity', () => post('/orders', line(0)), 400, 'validation_failed', 'lines/0/quantity');
    await rejects('negative quantity', () => post('/orders', line(-2)), 400, 'validation_failed', 'lines/0/quantity');
    await rejects('fractional quantity', () => post('/orders', line(1.5)), 400, 'validation_failed', 'lines/0/quantity');
    await rejects('absurd quantity', () => post('/orders', line(1e15)), 400, 'validation_failed', 'lines/0/quantity');
    await rejects('string quantity', () => post('/orders', line('3')), 400, 'validation_failed', 'lines/0/quantity');
    await rejects('unknown field', () => post('/orders', { ...line(1), discount: 5 }), 400, 'validation_failed');
    await rejects('unknown SKU', () => post('/orders', { customerId: 'C1', lines: [{ skuId: 'MUG-1', quantity: 1 }, { skuId: 'GHOST', quantity: 1 }] }), 422, 'unknown_reference', 'lines/1/skuId');
    await rejects('unknown customer', () => post('/orders', { customerId: 'NOBODY', lines: [{ skuId: 'MUG-1', quantity: 1 }] }), 422, 'unknown_reference', 'customerId');
    await rejects('unknown warehouse', () => post('/stock/receipts', { skuId: 'MUG-1', warehouseId: 'MARS', quantity: 1 }), 422, 'unknown_reference', 'warehouseId');
    await rejects('zero adjustment', () => post('/stock/adjustments', { skuId: 'MUG-1', warehouseId: 'UK', quantity: 0, reason: 'x' }), 400, 'validation_failed', 'quantity');
    await rejects('cap on a deny SKU', () => post('/skus', { id: 'X-1', name: 'x', unitCostMinor: 1, backorderPolicy: 'deny', backorderCap: 3 }), 400, 'validation_failed', 'backorderCap');
    await rejects('bad id', () => post('/skus', { id: 'has space', name: 'x', unitCostMinor: 1, backorderPolicy: 'deny' }), 400, 'validation_failed', 'id');
    await rejects('bad email', () => post('/customers', { id: 'C9', name: 'x', email: 'nope', region: 'GB' }), 400, 'validation_failed', 'email');
    await rejects('bad cursor', () => get('/backorders?cursor=zzz'), 400, 'validation_failed', 'cursor');
    await rejects('bad status filter', () => get('/backorders?status=lost'), 400, 'validation_failed');
    await rejects('body over 1 MiB', () => t.app.inject({ method: 'POST', url: '/orders', payload: JSON.stringify({ customerId: 'C1', lines: [], pad: 'x'.repeat(1_100_000) }), headers: { 'content-type': 'application/json' } }), 413, 'payload_too_large');
    await rejects('not JSON', () => t.app.inject({ method: 'POST', url: '/orders', payload: 'a=1', headers: { 'content-type': 'text/csv' } }), 415, 'unsupported_media_type');
    await rejects('unknown order', () => get('/orders/ord_nope'), 404, 'not_found');
    await rejects('unknown route', () => get('/nowhere'), 404, 'not_found');
  });

  it('answers an illegal state transition with 409', async () => {
    const placed = (await post('/orders', { customerId: 'C1', lines: [{ skuId: 'MUG-1', quantity: 1 }] })).json();
    const line = placed.order.lines[0];
    expect((await post(`/orders/${placed.order.id}/lines/${line.id}/cancel`, {})).statusCode).toBe(200);
    await rejects('cancel twice', () => post(`/orders/${placed.order.id}/lines/${line.id}/cancel`, {}), 409, 'illegal_transition');
  });

  it('switches the allocation strategy', async () => {
    expect((await get('/settings/allocation')).json()).toMatchObject({ strategy: 'fifo' });
    const put = await t.app.inject({ method: 'PUT', url: '/settings/allocation', payload: { strategy: 'tier-then-fifo' } });
    expect(put.json()).toMatchObject({ strategy: 'tier-then-fifo' });
    expect((await t.app.inject({ method: 'PUT', url: '/settings/allocation', payload: { strategy: 'random' } })).statusCode).toBe(400);
  });

  it('serves the OpenAPI document and the browsable docs', async () => {
    const doc = (await get('/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    for (const path of ['/orders', '/orders/{id}', '/orders/{id}/shipments', '/orders/{id}/lines/{lineId}/cancel', '/backorders', '/backorders/{id}', '/backorders/{id}/cancel', '/stock/receipts', '/stock/adjustments', '/stock/transfers', '/stock', '/stock/totals', '/stock/movements', '/skus', '/skus/{id}', '/warehouses', '/customers', '/settings/allocation']) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
    expect(doc.paths['/orders'].post.responses).toHaveProperty(['422']);
    const docs = await get('/docs/');
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('<html');
  });
});
