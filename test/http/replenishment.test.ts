/**
 * Replenishment through the HTTP API (every response checked against its schema): demand history, policies, risk,
 * recommendations, and approving one into exactly one draft purchase order, idempotently, with bad input refused
 * before anything is written. KETTLE is ordered 4 a day from Mon 01-05 to Fri 01-09 with no stock; today is 01-12.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { engines } from '../support/engines.js';
import { openTestApp, type TestContext } from '../support/context.js';

describe.each(engines)('replenishment through the API on $name', (engine) => {
  let t: TestContext & { app: FastifyInstance };

  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, headers?: Record<string, string>) =>
    t.app.inject({ method, url, ...(payload === undefined ? {} : { payload }), ...(headers ? { headers } : {}) });
  const send = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, headers?: Record<string, string>) => {
    const res = await call(method, url, payload, headers);
    if (res.statusCode >= 400) throw new Error(`${method} ${url} -> ${res.statusCode} ${res.body}`);
    return res.json();
  };
  const count = async (table: 'purchase_order' | 'po_line' | 'idempotency_key') =>
    Number((await t.ctx.store.db.selectFrom(table).select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    t = await openTestApp(engine);
    for (const w of [{ id: 'UK', name: 'Manchester', regions: ['GB'], priority: 1 }, { id: 'EU', name: 'Rotterdam', regions: ['NL'], priority: 2 }]) await send('POST', '/warehouses', w);
    await send('POST', '/skus', { id: 'KETTLE', name: 'Kettle', unitCostMinor: 1500, backorderPolicy: 'allow' });
    await send('POST', '/skus', { id: 'TOASTER', name: 'Toaster', unitCostMinor: 2000, backorderPolicy: 'allow' });
    await send('POST', '/skus', { id: 'OLD', name: 'Old', unitCostMinor: 100, backorderPolicy: 'discontinued' });
    await send('POST', '/customers', { id: 'A', name: 'A', email: 'a@example.com', region: 'GB', tier: 2, acceptsPartial: true });
    await send('POST', '/suppliers', { id: 'ACME', name: 'Acme', defaultLeadTimeDays: 20 });
    await send('POST', '/suppliers', { id: 'OTHER', name: 'Other', defaultLeadTimeDays: 5 });
    await send('PUT', '/suppliers/ACME/items/KETTLE', { leadTimeDays: 10, packSize: 6, minOrderQty: 30, unitCostMinor: 1200 });
    await send('PUT', '/suppliers/ACME/items/TOASTER', { leadTimeDays: 10, unitCostMinor: 1500 });
    await send('POST', '/stock/receipts', { skuId: 'TOASTER', warehouseId: 'UK', quantity: 500 });
    for (let d = 5; d <= 9; d++) {
      t.clock.set(`2026-01-${String(d).padStart(2, '0')}T10:00:00.000Z`);
      await send('POST', '/orders', { customerId: 'A', lines: [{ skuId: 'KETTLE', quantity: 4 }, { skuId: 'TOASTER', quantity: 1 }] });
    }
    t.clock.set('2026-01-12T09:00:00.000Z');
  });
  afterAll(async () => t.close());

  it('serves demand history by week, backordered units included and empty weeks as 0', async () => {
    const h = await send('GET', '/demand?skuId=KETTLE&warehouseId=UK&period=week&from=2026-01-01&to=2026-01-18');
    expect(h).toMatchObject({ period: 'week', from: '2025-12-29', to: '2026-01-18' });
    expect(h.series).toEqual([
      {
        skuId: 'KETTLE',
        warehouseId: 'UK',
        total: 20,
        periods: [
          { period: '2026-W01', start: '2025-12-29', end: '2026-01-04', quantity: 0 },
          { period: '2026-W02', start: '2026-01-05', end: '2026-01-11', quantity: 20 },
          { period: '2026-W03', start: '2026-01-12', end: '2026-01-18', quantity: 0 },
        ],
      },
    ]);
  });

  it('refuses a bad demand query, naming the field', async () => {
    const cases: [string, number, string][] = [
      ['/demand?skuId=NOPE', 422, 'skuId'],
      ['/demand?warehouseId=NOPE', 422, 'warehouseId'],
      ['/demand?period=year', 400, 'period'],
      ['/demand?from=2026-02-30', 400, 'from'],
      ['/demand?from=2026-02-01&to=2026-01-01', 400, 'from'],
      ['/demand?period=day&from=2020-01-01&to=2026-01-01', 400, 'from'],
    ];
    for (const [url, status, field] of cases) {
      const res = await call('GET', url);
      expect([url, res.statusCode, res.json().field]).toEqual([url, status, field]);
    }
  });

  it('lists the policy per SKU x warehouse with its demand, lead time and expected performance', async () => {
    const [p] = await send('GET', '/replenishment/policies?skuId=KETTLE&warehouseId=UK&windowDays=7&service=0.9&serviceType=cycle');
    // Window 01-05..01-11 (today excluded): 20 units over 7 days.
    expect(p.demand).toMatchObject({ from: '2026-01-05', to: '2026-01-11', days: 7, method: 'trailing-mean(7d)' });
    expect(p.demand.dailyMean).toBeCloseTo(20 / 7, 12);
    expect(p.supplier).toMatchObject({ supplierId: 'ACME', packSize: 6, minOrderQty: 30, leadTime: { meanDays: 10, sdDays: 0, source: 'configured' } });
    expect(p.policy.kind).toBe('sQ');
    expect(p.policy.orderQuantity % 6).toBe(0);
    expect(p.policy.orderQuantity).toBeGreaterThanOrEqual(30);
    expect(p.expected.cycleServiceLevel).toBeGreaterThanOrEqual(0.9 - 1e-9);
    expect(p.inventoryPosition).toBe(-20);
  });

  it('plans for a price on each backordered line: the line size shown, a cycle service level that rises with the price', async () => {
    const url = (cost: number) => `/replenishment/policies?skuId=KETTLE&warehouseId=UK&windowDays=7&serviceType=line-cost&backorderCostMinor=${cost}`;
    const [p] = await send('GET', url(5000));
    expect(p.demand).toMatchObject({ units: 20, lines: 5, meanLineSize: 4 }); // 4 a day, one line a day
    // The level is the quantile for 1 - h x line size x Q / (annual demand x B) (src/planning/line-cost.ts); h = 25% of 1200.
    const target = 1 - (300 * 4 * p.policy.orderQuantity) / ((20 / 7) * 365 * 5000);
    expect(p.expected.cycleServiceLevel).toBeGreaterThanOrEqual(target - 1e-9);
    const [dearer] = await send('GET', url(50_000));
    expect(dearer.expected.cycleServiceLevel).toBeGreaterThan(p.expected.cycleServiceLevel);
  });

  it('refuses a service level and a line price where they do not apply, naming the field', async () => {
    const cases: [string, string][] = [
      ['serviceType=line-cost&service=0.9', 'service'],
      ['backorderCostMinor=100', 'backorderCostMinor'],
      ['serviceType=cycle&backorderCostMinor=100', 'backorderCostMinor'],
      ['serviceType=line-cost&backorderCostMinor=0', 'backorderCostMinor'],
      ['serviceType=line-cost&backorderCostMinor=abc', 'backorderCostMinor'],
    ];
    for (const [query, field] of cases) {
      const res = await call('GET', `/replenishment/policies?${query}`);
      expect([query, res.statusCode, res.json().field]).toEqual([query, 400, field]);
    }
  });

  it('refuses an (R, S) policy without a review period', async () => {
    const res = await call('GET', '/replenishment/policies?policy=RS&reviewDays=0');
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe('reviewDays');
  });

  it('ranks KETTLE (20 waiting, no stock) above TOASTER (plenty)', async () => {
    const risks = await send('GET', '/replenishment/risk?windowDays=7');
    expect(risks.map((r: { skuId: string }) => r.skuId)).toEqual(['KETTLE', 'TOASTER']);
    expect(risks[0]).toMatchObject({ warehouseId: 'UK', backordered: 20, inventoryPosition: -20, daysUntilStockout: 0, supplierId: 'ACME' });
    expect(risks[0].stockoutProbability).toBeCloseTo(1, 9);
    expect(risks[1].stockoutProbability).toBeLessThan(1e-6);
  });

  it('recommends ordering KETTLE now from ACME, in whole packs above the MOQ', async () => {
    const list = await send('GET', '/replenishment/recommendations?windowDays=7&due=now');
    expect(list.unsourced).toEqual([]);
    const rec = list.items.find((r: { skuId: string }) => r.skuId === 'KETTLE');
    expect(rec).toMatchObject({ warehouseId: 'UK', orderNow: true, supplierId: 'ACME', orderBy: '2026-01-12', expectedArrival: '2026-01-22', onDraft: 0 });
    expect(rec.risk).toBeCloseTo(1, 9);
    expect(rec.quantity % 6).toBe(0);
    expect(rec.quantity).toBeGreaterThanOrEqual(30);
    expect(list.items.some((r: { skuId: string }) => r.skuId === 'TOASTER')).toBe(false);
  });

  it('refuses bad approvals, naming the field, and writes nothing', async () => {
    const before = [await count('purchase_order'), await count('idempotency_key')];
    const cases: [object, number, string][] = [
      [{ skuId: 'NOPE', warehouseId: 'UK' }, 422, 'skuId'],
      [{ skuId: 'KETTLE', warehouseId: 'NOPE' }, 422, 'warehouseId'],
      [{ skuId: 'KETTLE', warehouseId: 'UK', supplierId: 'NOPE' }, 422, 'supplierId'],
      [{ skuId: 'KETTLE', warehouseId: 'UK', supplierId: 'OTHER' }, 422, 'supplierId'],
      [{ skuId: 'KETTLE', warehouseId: 'UK', quantity: -5 }, 400, 'quantity'],
      [{ skuId: 'KETTLE', warehouseId: 'UK', quantity: 2.5 }, 400, 'quantity'],
      [{ skuId: 'KETTLE', warehouseId: 'UK', policy: 'RS', reviewDays: 0 }, 400, 'reviewDays'],
      [{ skuId: 'KETTLE', warehouseId: 'UK', colour: 'red' }, 400, 'body'],
      [{ skuId: 'OLD', warehouseId: 'UK', quantity: 5 }, 409, 'skuId'],
      [{ warehouseId: 'UK' }, 400, 'skuId'],
    ];
    for (const [body, status, field] of cases) {
      const res = await call('POST', '/replenishment/recommendations/approve', body, { 'idempotency-key': `bad-${JSON.stringify(body)}`.slice(0, 200) });
      expect([body, res.statusCode, res.json().field]).toEqual([body, status, field]);
    }
    expect([await count('purchase_order'), await count('idempotency_key')]).toEqual(before);
  });

  it('approves into exactly one draft PO, expected today + lead time; a retry with the same key creates nothing', async () => {
    const { items } = await send('GET', '/replenishment/recommendations?windowDays=7');
    const rec = items.find((r: { skuId: string }) => r.skuId === 'KETTLE');
    const body = { skuId: 'KETTLE', warehouseId: 'UK', windowDays: 7 };
    const first = await call('POST', '/replenishment/recommendations/approve', body, { 'idempotency-key': 'approve-1' });
    expect(first.statusCode).toBe(201);
    const po = first.json();
    expect(po).toMatchObject({ supplierId: 'ACME', status: 'draft', placedAt: null, lines: [{ skuId: 'KETTLE', warehouseId: 'UK', quantity: rec.quantity, expectedDate: '2026-01-22' }] });
    expect(po.reference).toContain('replenishment KETTLE@UK');
    expect([await count('purchase_order'), await count('po_line')]).toEqual([1, 1]);

    const retry = await call('POST', '/replenishment/recommendations/approve', body, { 'idempotency-key': 'approve-1' });
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toEqual(po);
    expect([await count('purchase_order'), await count('po_line')]).toEqual([1, 1]);

    const reused = await call('POST', '/replenishment/recommendations/approve', { ...body, quantity: 6 }, { 'idempotency-key': 'approve-1' });
    expect([reused.statusCode, reused.json().code]).toEqual([422, 'idempotency_key_reused']);
    expect(await count('purchase_order')).toBe(1);
  });

  it('counts the draft as ordered: the need is not recommended again', async () => {
    const { items } = await send('GET', '/replenishment/recommendations?windowDays=7&due=now');
    expect(items.find((r: { skuId: string }) => r.skuId === 'KETTLE')).toBeUndefined();
    const [risk] = await send('GET', '/replenishment/risk?skuId=KETTLE&warehouseId=UK&windowDays=7');
    // Risk looks at real supply only: a draft is not on order until it is placed.
    expect(risk).toMatchObject({ onOrder: 0, inventoryPosition: -20 });
  });

  it('rounds a quantity given up to whole packs and at least the MOQ', async () => {
    const small = await send('POST', '/replenishment/recommendations/approve', { skuId: 'KETTLE', warehouseId: 'UK', quantity: 7 });
    expect(small.lines[0].quantity).toBe(30);
    const odd = await send('POST', '/replenishment/recommendations/approve', { skuId: 'KETTLE', warehouseId: 'UK', supplierId: 'ACME', quantity: 31 });
    expect(odd.lines[0].quantity).toBe(36);
    expect(await count('purchase_order')).toBe(3);
  });

  it('documents the routes in the OpenAPI document', async () => {
    const doc = await send('GET', '/openapi.json');
    for (const path of ['/demand', '/replenishment/policies', '/replenishment/risk', '/replenishment/recommendations', '/replenishment/recommendations/approve']) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
  });
});
