/**
 * "Notify customers now" from the worklist, on every engine. KETTLE waits for order A1 (3), A2 (2) and D1 (4); a PO
 * of 5 due 01-12 covers A1 and A2 (confirmed), D1 gets ACME's lead-time estimate. TOASTER (A1, 2) has no supplier,
 * so no date. MUG: A3 (1) is filled by a receipt of 2, whose other unit goes to D1's 3 (partially allocated, 2
 * waiting). A is English, D German.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { engines } from '../support/engines.js';
import { openTestApp, type TestContext } from '../support/context.js';
import { httpClient } from '../support/http-client.js';

interface Bo {
  id: string;
  orderId: string;
  customerId: string;
  skuId: string;
  status: string;
  waiting: number;
  promisedDate: string | null;
  promiseConfidence: number | null;
  promiseBasis: unknown;
}

describe.each(engines)('notify customers now on $name', (engine) => {
  let t: TestContext & { app: FastifyInstance };
  const order: Record<string, string> = {};
  const bo: Record<string, string> = {};
  const { call, send } = httpClient(() => t.app);
  const backorder = async (key: string): Promise<Bo> => send('GET', `/backorders/${bo[key]}`);
  const messageCount = async () => (await t.ctx.store.db.selectFrom('message').select('id').execute()).length;
  const manualMessages = () => t.ctx.store.db.selectFrom('message').selectAll().where('rule', '=', 'manual').orderBy('id').execute();
  /** Places an order; records its id and each backorder by `${orderKey}.${skuId}`. */
  const place = async (key: string, customerId: string, lines: [string, number][]) => {
    const r = await send('POST', '/orders', { customerId, lines: lines.map(([skuId, quantity]) => ({ skuId, quantity })) });
    order[key] = r.order.id;
    lines.forEach(([skuId], i) => (bo[`${key}.${skuId}`] = r.intake[i].backordered.backorderId));
  };
  /** The line a message should carry for a backorder, as the API shows it now. */
  const expectedLine = async (key: string) => {
    const b = await backorder(key);
    return { backorderId: b.id, skuId: b.skuId, quantity: b.waiting, promisedDate: b.promisedDate, previousDate: null, shiftDays: null, confidence: b.promiseConfidence, basis: b.promiseBasis, reason: null };
  };

  beforeAll(async () => {
    t = await openTestApp(engine);
    await send('POST', '/warehouses', { id: 'UK', name: 'Manchester', regions: ['GB'], priority: 1 });
    await send('POST', '/skus', { id: 'KETTLE', name: 'Kettle, steel', unitCostMinor: 1500, backorderPolicy: 'allow' });
    await send('POST', '/skus', { id: 'TOASTER', name: 'Toaster', unitCostMinor: 2500, backorderPolicy: 'allow' });
    await send('POST', '/skus', { id: 'MUG', name: 'Mug', unitCostMinor: 300, backorderPolicy: 'allow' });
    await send('POST', '/suppliers', { id: 'ACME', name: 'Acme', defaultLeadTimeDays: 20 });
    await send('PUT', '/suppliers/ACME/items/KETTLE', { leadTimeDays: 14, unitCostMinor: 1200 });
    await send('POST', '/customers', { id: 'A', name: 'Ada', email: 'a@example.com', region: 'GB', tier: 2, acceptsPartial: true });
    await send('POST', '/customers', { id: 'D', name: 'Dora', email: 'd@example.com', region: 'GB', tier: 2, acceptsPartial: true, language: 'de' });
    await place('A1', 'A', [['KETTLE', 3], ['TOASTER', 2]]);
    await place('A2', 'A', [['KETTLE', 2]]);
    await place('A3', 'A', [['MUG', 1]]);
    await place('D1', 'D', [['KETTLE', 4], ['MUG', 3]]);
    await send('POST', '/purchase-orders', { supplierId: 'ACME', place: true, lines: [{ skuId: 'KETTLE', warehouseId: 'UK', quantity: 5, expectedDate: '2026-01-12' }] });
    await send('POST', '/stock/receipts', { skuId: 'MUG', warehouseId: 'UK', quantity: 2 });
  });
  afterAll(async () => t.close());

  it('starts from the state the scenario describes', async () => {
    expect(await backorder('A1.KETTLE')).toMatchObject({ status: 'open', waiting: 3, promisedDate: '2026-01-12' });
    expect(await backorder('A2.KETTLE')).toMatchObject({ status: 'open', waiting: 2, promisedDate: '2026-01-12' });
    expect(await backorder('A1.TOASTER')).toMatchObject({ status: 'open', waiting: 2, promisedDate: null });
    expect(await backorder('A3.MUG')).toMatchObject({ status: 'allocated', waiting: 0 });
    expect(await backorder('D1.MUG')).toMatchObject({ status: 'partially_allocated', waiting: 2 });
    const d1 = await backorder('D1.KETTLE');
    expect(d1).toMatchObject({ status: 'open', waiting: 4 });
    expect(d1.promisedDate).not.toBeNull();
    expect(d1.promisedDate! > '2026-01-12').toBe(true);
    expect(await manualMessages()).toEqual([]);
  });

  it('writes one customer email per order listing its waiting backorders, and skips the one no longer waiting', async () => {
    const before = await messageCount();
    const r = await send('POST', '/backorders/notify', { backorderIds: [bo['A1.KETTLE'], bo['A1.TOASTER'], bo['A2.KETTLE'], bo['A3.MUG'], bo['D1.KETTLE'], bo['D1.MUG'], bo['A2.KETTLE']] });
    expect(r).toEqual({ orders: 3, messages: 3, skipped: 1 });
    // Exactly three rows, all of them ours: nothing else (no playbook rule) wrote a message.
    expect(await messageCount()).toBe(before + 3);
    const rows = await manualMessages();
    expect(rows).toHaveLength(3);
    const byOrder = new Map(rows.map((m) => [m.order_id, m]));
    expect([...byOrder.keys()].sort()).toEqual([order.A1, order.A2, order.D1].sort());
    const now = t.clock.now().toISOString();
    for (const m of rows) {
      expect(m).toMatchObject({ channel: 'email', audience: 'customer', rule: 'manual', template: 'backorder-status', recipient: null, subscription_id: null, status: 'pending', attempts: 0, dedupe_key: null, playbook_version: 0, next_attempt_at: now });
    }
    const a1 = byOrder.get(order.A1!)!;
    expect(a1).toMatchObject({ customer_id: 'A', backorder_id: null, sku_id: null });
    expect(JSON.parse(a1.vars)).toEqual({ lines: [await expectedLine('A1.KETTLE'), await expectedLine('A1.TOASTER')] });
    expect(JSON.parse(a1.vars).lines.map((l: { quantity: number; promisedDate: string | null }) => [l.quantity, l.promisedDate])).toEqual([
      [3, '2026-01-12'],
      [2, null],
    ]);
    const a2 = byOrder.get(order.A2!)!;
    expect(a2).toMatchObject({ customer_id: 'A', backorder_id: bo['A2.KETTLE'], sku_id: 'KETTLE' });
    expect(JSON.parse(a2.vars)).toEqual({ lines: [await expectedLine('A2.KETTLE')] });
    expect(JSON.parse(a2.vars).lines[0]).toMatchObject({ quantity: 2, promisedDate: '2026-01-12', basis: { kind: 'po' } });
    const d1 = byOrder.get(order.D1!)!;
    expect(d1).toMatchObject({ customer_id: 'D', backorder_id: null, sku_id: null });
    expect(JSON.parse(d1.vars)).toEqual({ lines: [await expectedLine('D1.KETTLE'), await expectedLine('D1.MUG')] });
    // The partially allocated MUG line tells the 2 units still waiting, not the 3 ordered.
    expect(JSON.parse(d1.vars).lines.map((l: { skuId: string; quantity: number }) => [l.skuId, l.quantity])).toEqual([
      ['KETTLE', 4],
      ['MUG', 2],
    ]);
    // Asking again tells them again (an agent's deliberate choice, not a rule that fires once).
    expect(await send('POST', '/backorders/notify', { backorderIds: [bo['A2.KETTLE']] })).toEqual({ orders: 1, messages: 1, skipped: 0 });
    expect(await manualMessages()).toHaveLength(4);
  });

  it('renders in English with the dates, SKU names and status link', async () => {
    const a1 = (await manualMessages()).find((m) => m.order_id === order.A1)!;
    const mail = await send('GET', `/messages/${a1.id}/preview`);
    expect(mail).toMatchObject({ to: 'a@example.com', language: 'en' });
    expect(mail.subject).toContain(order.A1);
    expect(mail.text).toContain('Hello Ada,');
    expect(mail.text).toContain('3 x Kettle, steel: expected 2026-01-12');
    expect(mail.text).toContain('Based on: purchase order');
    expect(mail.text).toContain('2 x Toaster: expected date to be confirmed');
    expect(mail.text).toMatch(/check the latest status at any time: http\S+/);
    expect(mail.html).toContain('<html lang="en">');
    expect(mail.html).toContain('Kettle, steel');
    expect(mail.html).toContain('2026-01-12');
  });

  it("renders in the customer's language: German for D", async () => {
    const d1 = (await manualMessages()).find((m) => m.order_id === order.D1)!;
    const date = (await backorder('D1.KETTLE')).promisedDate!;
    const mail = await send('GET', `/messages/${d1.id}/preview`);
    expect(mail).toMatchObject({ to: 'd@example.com', language: 'de' });
    expect(mail.subject).toContain('Ihre Bestellung');
    expect(mail.text).toContain('Guten Tag Dora,');
    expect(mail.text).toContain(`4 x Kettle, steel: voraussichtlich am ${date}`);
    expect(mail.text).toContain('2 x Mug: Termin folgt');
    expect(mail.text).toContain('Den aktuellen Stand können Sie jederzeit hier einsehen: http');
    expect(mail.html).toContain('<html lang="de">');
    expect(mail.html).toContain(date);
  });

  it('refuses unknown backorders, naming them, and writes nothing', async () => {
    const before = await messageCount();
    const res = await call('POST', '/backorders/notify', { backorderIds: [bo['A1.KETTLE'], 'bo_nope', 'bo_gone'] });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'not_found', field: 'backorderIds' });
    expect(res.json().detail).toContain('bo_nope');
    expect(res.json().detail).toContain('bo_gone');
    expect((await call('POST', '/backorders/notify', { backorderIds: [] })).statusCode).toBe(400);
    expect((await call('POST', '/backorders/notify', { backorderIds: [bo['A1.KETTLE']], extra: true })).statusCode).toBe(400);
    expect(await messageCount()).toBe(before);
  });

  it('refuses a selection in which nothing waits any more, and writes nothing', async () => {
    const before = await messageCount();
    const res = await call('POST', '/backorders/notify', { backorderIds: [bo['A3.MUG']] });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'validation_failed', field: 'backorderIds' });
    expect(res.json().detail).toMatch(/still waiting/);
    expect(await messageCount()).toBe(before);
  });
});
