/**
 * Self-service through HTTP: the status page behind signed links (refused when tampered, expired or borrowed from
 * another order), the four choices through the page and the API, SKU alternates, and CSAT from the order's closing
 * to the report. Today is 2026-01-05 unless a test moves the clock (and then puts it back).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { engines } from '../support/engines.js';
import { customer, openTestApp, seedCatalog, sku, type TestContext } from '../support/context.js';
import { signToken, statusUrl, surveyUrls } from '../../src/communication/links.js';
import { findViolations } from '../../src/audit/invariants.js';

const start = '2026-01-05T09:00:00.000Z';
const dayMs = 86_400_000;

describe.each(engines)('self-service on $name', (engine) => {
  let t: TestContext & { app: FastifyInstance };
  const db = () => t.ctx.store.db;

  const send = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  const must = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => {
    const res = await send(method, url, payload);
    if (res.statusCode >= 400) throw new Error(`${method} ${url} -> ${res.statusCode} ${res.body}`);
    return res.json();
  };
  const form = (url: string, fields: Record<string, string>) =>
    t.app.inject({ method: 'POST', url, payload: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  const local = (url: string) => url.slice(t.ctx.comms.publicUrl.length);
  const statusPath = (orderId: string) => local(statusUrl(t.ctx, orderId, 30));
  const linkOf = (path: string) => {
    const u = new URL(path, 'http://x');
    return { e: u.searchParams.get('e')!, s: u.searchParams.get('s')! };
  };
  const place = async (customerId: string, lines: [string, number][], extra: Record<string, unknown> = {}) =>
    (await must('POST', '/orders', { customerId, lines: lines.map(([skuId, quantity]) => ({ skuId, quantity })), ...extra })).order;
  const receive = (skuId: string, quantity: number) => must('POST', '/stock/receipts', { skuId, warehouseId: 'UK', quantity });
  const choose = (orderId: string, fields: Record<string, string>) => form(`/status/${orderId}/choices`, { ...linkOf(statusPath(orderId)), ...fields });
  const choicesOf = (orderId: string) => db().selectFrom('customer_choice').selectAll().where('order_id', '=', orderId).orderBy('id').execute();
  const rulesOf = async (orderId: string) =>
    (await db().selectFrom('message').select('rule').where('order_id', '=', orderId).execute()).map((m) => m.rule);
  const level = (skuId: string) => db().selectFrom('stock_level').select(['on_hand', 'allocated']).where('sku_id', '=', skuId).where('warehouse_id', '=', 'UK').executeTakeFirstOrThrow();
  const count = async (table: 'customer_choice' | 'message' | 'order_line' | 'allocation' | 'backorder_event') =>
    Number((await db().selectFrom(table).select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const snapshot = async (orderId: string) => ({
    stock: await db().selectFrom('stock_level').selectAll().orderBy('sku_id').orderBy('warehouse_id').execute(),
    order: (await send('GET', `/orders/${orderId}`)).json(),
    backorders: await db().selectFrom('backorder').selectAll().where('order_id', '=', orderId).execute(),
    counts: await Promise.all((['customer_choice', 'message', 'order_line', 'allocation', 'backorder_event'] as const).map(count)),
  });

  beforeAll(async () => {
    t = await openTestApp(engine);
    await seedCatalog(t.ctx, {
      skus: ['MUG', 'MUG-BLUE', 'MUG-RED', 'CUP', 'VASE', 'LAMP', 'KETTLE'].map((id) => sku(id)),
      customers: [customer('C1'), customer('C2', 'GB', 2, false)],
    });
    await must('POST', '/suppliers', { id: 'ACME', name: 'Acme', defaultLeadTimeDays: 20 });
    for (const s of ['MUG', 'KETTLE']) await must('PUT', `/suppliers/ACME/items/${s}`, { unitCostMinor: 100 });
    await must('POST', '/purchase-orders', { supplierId: 'ACME', place: true, lines: [{ skuId: 'MUG', warehouseId: 'UK', quantity: 1000, expectedDate: '2026-01-20' }] });
    await must('POST', '/purchase-orders', { supplierId: 'ACME', place: true, lines: [{ skuId: 'KETTLE', warehouseId: 'UK', quantity: 10, expectedDate: '2026-01-20' }] });
  });
  afterAll(async () => t.close());

  describe('the status page', () => {
    let a: { id: string; lines: { id: string }[] };
    let other: { id: string };
    beforeAll(async () => {
      a = await place('C1', [['MUG', 2]], { reference: '<script>alert(1)</script>' });
      other = await place('C1', [['MUG', 1]]);
    });

    const showsNoData = (res: LightMyRequestResponse) => {
      for (const secret of [a.id, 'Item MUG', '2026-01-20', 'alert']) expect(res.body).not.toContain(secret);
    };

    it("shows each line's status, promised date, confidence, basis, history and the choices that apply", async () => {
      const res = await send('GET', statusPath(a.id));
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
      for (const text of [`Your order ${a.id}`, 'Item MUG', 'Waiting for stock', '<strong>2026-01-20</strong>', '50% likely', 'confirmed by a delivery', 'purchase order', '2 unit(s) backordered', 'Expected to ship by 2026-01-20']) {
        expect(res.body).toContain(text);
      }
      expect(res.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(res.body).not.toContain('<script>');
      expect(res.body).toContain('value="wait"');
      expect(res.body).toContain('value="cancel"');
      expect(res.body).not.toContain('value="substitute"');
      expect(res.body).not.toContain('value="ship_ready"');
    });

    it('refuses tampered, expired, other-order and wrong-purpose links and shows no data', async () => {
      const good = linkOf(statusPath(a.id));
      const flip = (s: string) => s.slice(0, -1) + (s.endsWith('A') ? 'B' : 'A');
      const refused: [string, string, number, string][] = [
        ['tampered signature', `/status/${a.id}?e=${good.e}&s=${flip(good.s)}`, 403, 'This link is not valid'],
        ['stretched expiry', `/status/${a.id}?e=${Number(good.e) + 86_400}&s=${good.s}`, 403, 'This link is not valid'],
        ["another order's link", `/status/${a.id}${statusPath(other.id).slice(statusPath(other.id).indexOf('?'))}`, 403, 'This link is not valid'],
        ['a survey signature', `/status/${a.id}?e=${good.e}&s=${signToken(t.ctx.comms.linkSecret, 'survey', a.id, Number(good.e))}`, 403, 'This link is not valid'],
        ['no signature', `/status/${a.id}`, 403, 'This link is not valid'],
      ];
      for (const [label, url, status, text] of refused) {
        const res = await send('GET', url);
        expect(res.statusCode, label).toBe(status);
        expect(res.body, label).toContain(text);
        showsNoData(res);
      }
      t.clock.advance(31 * dayMs);
      const expired = await send('GET', `/status/${a.id}?e=${good.e}&s=${good.s}`);
      t.clock.set(start);
      expect(expired.statusCode).toBe(410);
      expect(expired.body).toContain('This link has expired');
      expect(expired.body).toContain('contact');
      showsNoData(expired);
      const unknown = await send('GET', statusPath('ord_nope'));
      expect(unknown.statusCode).toBe(404);

      const before = await count('customer_choice');
      const forged = await form(`/status/${a.id}/choices`, { e: good.e, s: flip(good.s), kind: 'cancel', lineId: a.lines[0]!.id });
      expect(forged.statusCode).toBe(403);
      showsNoData(forged);
      expect(await count('customer_choice')).toBe(before);
    });

    it('records "keep waiting" from the page and from the API, with its messages', async () => {
      const lineId = a.lines[0]!.id;
      const res = await choose(a.id, { kind: 'wait', lineId });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toMatch(new RegExp(`^/status/${a.id}\\?e=\\d+&s=[\\w-]+&notice=wait$`));
      const back = await send('GET', res.headers.location as string);
      expect(back.body).toContain('keeps its place');
      expect(back.body).toContain('You chose to keep waiting for line 1 (MUG)');

      const api = await send('POST', `/orders/${a.id}/choices`, { kind: 'wait', lineId }, { 'idempotency-key': 'wait-1' });
      expect(api.statusCode).toBe(201);
      expect(api.json()).toMatchObject({ choice: { kind: 'wait', via: 'api', lineId, detail: { waiting: 2 } }, order: { id: a.id } });
      const retry = await send('POST', `/orders/${a.id}/choices`, { kind: 'wait', lineId }, { 'idempotency-key': 'wait-1' });
      expect(retry.json()).toEqual(api.json());

      const rows = await choicesOf(a.id);
      expect(rows.map((r) => [r.choice, r.via, r.line_id])).toEqual([['wait', 'status_page', lineId], ['wait', 'api', lineId]]);
      const rules = await rulesOf(a.id);
      expect(rules.filter((r) => r === 'choice-confirmed')).toHaveLength(2);
      expect(rules.filter((r) => r === 'choice-to-team')).toHaveLength(2);
    });

    it('refuses bad choices naming the field, and changes nothing', async () => {
      await receive('CUP', 5);
      const inStock = await place('C1', [['CUP', 1]]);
      const lineId = a.lines[0]!.id;
      const cases: [string, string, unknown, number, string, string | undefined][] = [
        ['unknown line', a.id, { kind: 'wait', lineId: 'line_nope' }, 422, 'unknown_reference', 'lineId'],
        ['no line', a.id, { kind: 'cancel' }, 400, 'validation_failed', 'lineId'],
        ['alternate on wait', a.id, { kind: 'wait', lineId, alternateSkuId: 'MUG-RED' }, 400, 'validation_failed', 'alternateSkuId'],
        ['line not backordered', inStock.id, { kind: 'wait', lineId: inStock.lines[0].id }, 409, 'illegal_transition', 'lineId'],
        ['no alternates configured', a.id, { kind: 'substitute', lineId }, 409, 'illegal_transition', 'lineId'],
        ['alternate not configured', a.id, { kind: 'substitute', lineId, alternateSkuId: 'CUP' }, 422, 'unknown_reference', 'alternateSkuId'],
        ['nothing ready to ship', a.id, { kind: 'ship_ready' }, 409, 'illegal_transition', 'kind'],
        ['unknown kind', a.id, { kind: 'refund', lineId }, 400, 'validation_failed', 'kind'],
        ['unknown order', 'ord_nope', { kind: 'ship_ready' }, 404, 'not_found', 'orderId'],
      ];
      for (const [label, orderId, body, status, code, field] of cases) {
        const before = await snapshot(a.id);
        const res = await send('POST', `/orders/${orderId}/choices`, body);
        expect(res.statusCode, label).toBe(status);
        expect(res.json(), label).toMatchObject({ code, field });
        expect(await snapshot(a.id), label).toEqual(before);
      }
      const page = await choose(inStock.id, { kind: 'wait', lineId: inStock.lines[0].id });
      expect(page.statusCode).toBe(409);
      expect(page.body).toContain('is not waiting for stock');
      expect(page.body).toContain('Nothing was changed');
    });
  });

  describe('substitutes', () => {
    it('keeps alternates per SKU, in rank order, checked', async () => {
      expect((await send('PUT', '/skus/MUG/alternates', { alternates: ['MUG-RED', 'MUG-BLUE'] })).json()).toEqual({ skuId: 'MUG', alternates: ['MUG-RED', 'MUG-BLUE'] });
      expect((await send('GET', '/skus/MUG/alternates')).json()).toEqual({ skuId: 'MUG', alternates: ['MUG-RED', 'MUG-BLUE'] });
      const bad: [unknown, string, number, string][] = [
        [{ alternates: ['MUG'] }, 'MUG', 400, 'alternates/0'],
        [{ alternates: ['MUG-RED', 'GHOST'] }, 'MUG', 422, 'alternates/1'],
        [{ alternates: ['MUG-RED', 'MUG-RED'] }, 'MUG', 400, 'alternates/1'],
        [{ alternates: [] }, 'GHOST', 404, 'id'],
      ];
      for (const [body, id, status, field] of bad) {
        const res = await send('PUT', `/skus/${id}/alternates`, body);
        expect(res.statusCode, field).toBe(status);
        expect(res.json().field).toBe(field);
      }
      expect((await send('GET', '/skus/MUG/alternates')).json().alternates).toEqual(['MUG-RED', 'MUG-BLUE']);
    });

    it('replaces the waiting units by an in-stock alternate, through the page and the API', async () => {
      await receive('MUG-BLUE', 5);
      const s1 = await place('C1', [['MUG', 3]]);
      const page = await send('GET', statusPath(s1.id));
      expect(page.body).toContain('value="MUG-BLUE"');
      expect(page.body).not.toContain('value="MUG-RED"');
      const res = await choose(s1.id, { kind: 'substitute', lineId: s1.lines[0].id, alternateSkuId: 'MUG-BLUE' });
      expect(res.statusCode).toBe(303);
      const after = (await send('GET', `/orders/${s1.id}`)).json();
      expect(after.lines).toMatchObject([
        { lineNo: 1, skuId: 'MUG', cancelled: 3, waiting: 0, status: 'cancelled' },
        { lineNo: 2, skuId: 'MUG-BLUE', quantity: 3, allocated: 3, status: 'allocated', allocations: [{ warehouseId: 'UK', quantity: 3 }] },
      ]);
      expect(await level('MUG-BLUE')).toEqual({ on_hand: 5, allocated: 3 });
      const bo = (await send('GET', `/backorders/${s1.lines[0].backorderId}`)).json();
      expect(bo).toMatchObject({ status: 'cancelled' });
      expect(bo.history.at(-1)).toMatchObject({ type: 'backorder.cancelled', data: { quantity: 3, reason: 'substituted by MUG-BLUE' } });
      const [row] = await choicesOf(s1.id);
      expect(JSON.parse(row!.detail)).toMatchObject({ replacedSkuId: 'MUG', alternateSkuId: 'MUG-BLUE', warehouseId: 'UK', quantity: 3 });
      expect(await rulesOf(s1.id)).toEqual(expect.arrayContaining(['choice-confirmed', 'choice-to-team']));

      // Through the API without naming one: MUG-RED (ranked first) has no stock, so MUG-BLUE.
      const s2 = await place('C1', [['MUG', 2]]);
      const api = await send('POST', `/orders/${s2.id}/choices`, { kind: 'substitute', lineId: s2.lines[0].id });
      expect(api.statusCode).toBe(201);
      expect(api.json()).toMatchObject({ choice: { kind: 'substitute', via: 'api', detail: { alternateSkuId: 'MUG-BLUE', quantity: 2 } } });
      expect(await level('MUG-BLUE')).toEqual({ on_hand: 5, allocated: 5 });
    });

    it('refuses a substitute when no alternate has the stock, and changes nothing', async () => {
      const s3 = await place('C1', [['MUG', 1]]);
      expect((await send('GET', statusPath(s3.id))).body).not.toContain('value="substitute"');
      const before = await snapshot(s3.id);
      const api = await send('POST', `/orders/${s3.id}/choices`, { kind: 'substitute', lineId: s3.lines[0].id });
      expect(api.statusCode).toBe(409);
      expect(api.json()).toMatchObject({ code: 'insufficient_stock', field: 'lineId', details: { needed: 1, tried: ['MUG-RED', 'MUG-BLUE'] } });
      const page = await choose(s3.id, { kind: 'substitute', lineId: s3.lines[0].id, alternateSkuId: 'MUG-BLUE' });
      expect(page.statusCode).toBe(409);
      expect(page.body).toContain('no alternate of MUG has 1 unit(s) free');
      expect(await snapshot(s3.id)).toEqual(before);
    });
  });

  describe('shipping what is ready and cancelling', () => {
    it('lets a customer who refuses partial shipments ship what is ready (page), and a ship-complete order (API)', async () => {
      const r1 = await place('C2', [['CUP', 2], ['VASE', 1]]);
      expect((await send('POST', `/orders/${r1.id}/shipments`, { warehouseId: 'UK' })).json()).toMatchObject({ code: 'illegal_transition' });
      expect((await send('GET', statusPath(r1.id))).body).toContain('value="ship_ready"');
      expect((await choose(r1.id, { kind: 'ship_ready' })).statusCode).toBe(303);
      expect(await db().selectFrom('sales_order').select('partial_consent').where('id', '=', r1.id).executeTakeFirstOrThrow()).toEqual({ partial_consent: 1 });
      const shipped = await send('POST', `/orders/${r1.id}/shipments`, { warehouseId: 'UK' });
      expect(shipped.statusCode).toBe(201);
      expect(shipped.json().shipment.lines).toMatchObject([{ skuId: 'CUP', quantity: 2 }]);
      expect((await send('GET', statusPath(r1.id))).body).not.toContain('value="ship_ready"');

      const r2 = await place('C1', [['CUP', 1], ['VASE', 1]], { shipComplete: true });
      expect((await send('POST', `/orders/${r2.id}/shipments`, { warehouseId: 'UK' })).statusCode).toBe(409);
      const api = await send('POST', `/orders/${r2.id}/choices`, { kind: 'ship_ready' });
      expect(api.json()).toMatchObject({ choice: { kind: 'ship_ready', lineId: null, detail: { ready: 1, waiting: 1 } } });
      expect((await send('POST', `/orders/${r2.id}/shipments`, { warehouseId: 'UK' })).statusCode).toBe(201);
    });

    it('cancels a line through the page and the API, releasing its allocated units', async () => {
      await receive('LAMP', 1);
      const l1 = await place('C1', [['LAMP', 3]]);
      expect(await level('LAMP')).toEqual({ on_hand: 1, allocated: 1 });
      expect((await choose(l1.id, { kind: 'cancel', lineId: l1.lines[0].id })).statusCode).toBe(303);
      expect((await send('GET', `/orders/${l1.id}`)).json()).toMatchObject({ status: 'closed', lines: [{ cancelled: 3, allocated: 0, status: 'cancelled' }] });
      expect(await level('LAMP')).toEqual({ on_hand: 1, allocated: 0 });
      expect((await choicesOf(l1.id)).map((c) => c.choice)).toEqual(['cancel']);

      const l2 = await place('C1', [['LAMP', 2]]);
      const api = await send('POST', `/orders/${l2.id}/choices`, { kind: 'cancel', lineId: l2.lines[0].id });
      expect(api.json()).toMatchObject({ choice: { detail: { cancelled: 2, released: [{ warehouseId: 'UK', quantity: 1 }] } }, order: { status: 'closed' } });
      expect(await level('LAMP')).toEqual({ on_hand: 1, allocated: 0 });
    });
  });

  describe('CSAT', () => {
    let surveyId: string;
    const surveyPath = (id: string, score: number) => local(surveyUrls(t.ctx, id, 30)[score - 1]!.url);
    const survey = () => db().selectFrom('csat_survey').selectAll().where('id', '=', surveyId).executeTakeFirstOrThrow();

    it('opens a survey when a backordered order ships complete, and stores one-click answers (the latest wins)', async () => {
      const k = await place('C1', [['KETTLE', 2]]);
      // The confirmation (and the date that followed it) reached the customer within the hour.
      await db().updateTable('message').set({ status: 'delivered', delivered_at: '2026-01-05T10:00:00.000Z' }).where('order_id', '=', k.id).execute();
      t.clock.set('2026-01-07T09:00:00.000Z');
      await receive('KETTLE', 2);
      expect((await send('POST', `/orders/${k.id}/shipments`, { warehouseId: 'UK' })).statusCode).toBe(201);
      const [row] = await db().selectFrom('csat_survey').selectAll().where('order_id', '=', k.id).execute();
      expect(row).toMatchObject({ backordered: 1, score: null, answered_at: null });
      surveyId = row!.id;
      const csatMessage = await db().selectFrom('message').selectAll().where('order_id', '=', k.id).where('rule', '=', 'csat').executeTakeFirstOrThrow();
      expect(JSON.parse(csatMessage.vars)).toMatchObject({ surveyId });

      const first = await send('GET', surveyPath(surveyId, 4));
      expect(first.statusCode).toBe(200);
      expect(first.body).toContain('4 out of 5');
      expect(await survey()).toMatchObject({ score: 4, answered_at: '2026-01-07T09:00:00.000Z', notified_on_time: 1, promise_kept: 1 });

      // Segments were settled by the first answer: a later change to the messages does not move them.
      await db().updateTable('message').set({ delivered_at: null }).where('order_id', '=', k.id).execute();
      expect((await send('GET', surveyPath(surveyId, 2))).statusCode).toBe(200);
      expect(await survey()).toMatchObject({ score: 2, notified_on_time: 1, promise_kept: 1 });

      const comment = await form(`/survey/${surveyId}`, { ...linkOf(surveyPath(surveyId, 2)), score: '2', comment: ' Slow, but kept me posted ' });
      expect(comment.statusCode).toBe(200);
      expect(await survey()).toMatchObject({ score: 2, comment: 'Slow, but kept me posted' });
      t.clock.set(start);
    });

    it('settles the segments from what happened: a late, unannounced backorder; an order served from stock', async () => {
      const late = await place('C1', [['KETTLE', 1]]);
      const fromStock = await place('C1', [['CUP', 1]]);
      t.clock.set('2026-01-25T09:00:00.000Z');
      await receive('KETTLE', 1);
      for (const o of [late, fromStock]) expect((await send('POST', `/orders/${o.id}/shipments`, { warehouseId: 'UK' })).statusCode).toBe(201);
      const surveys = await db().selectFrom('csat_survey').selectAll().where('order_id', 'in', [late.id, fromStock.id]).execute();
      for (const s of surveys) expect((await send('GET', surveyPath(s.id, 3))).statusCode).toBe(200);
      const settled = await db().selectFrom('csat_survey').select(['order_id', 'backordered', 'notified_on_time', 'promise_kept']).where('order_id', 'in', [late.id, fromStock.id]).execute();
      expect(settled.find((s) => s.order_id === late.id)).toMatchObject({ backordered: 1, notified_on_time: 0, promise_kept: 0 });
      expect(settled.find((s) => s.order_id === fromStock.id)).toMatchObject({ backordered: 0, notified_on_time: null, promise_kept: null });
      t.clock.set(start);
    });

    it('refuses tampered, expired and borrowed survey links, and bad scores', async () => {
      const good = linkOf(surveyPath(surveyId, 5));
      const k = (await survey()).order_id;
      const refused: [string, string, number][] = [
        ['tampered signature', `/survey/${surveyId}?score=5&e=${good.e}&s=${good.s.slice(1)}`, 403],
        ['stretched expiry', `/survey/${surveyId}?score=5&e=${Number(good.e) + 1}&s=${good.s}`, 403],
        ["another survey's link", `/survey/srv_other?score=5&e=${good.e}&s=${good.s}`, 403],
        ['a status link', `/survey/${surveyId}?score=5&${new URL(statusPath(k), 'http://x').search.slice(1)}`, 403],
        ['a bad score', `/survey/${surveyId}?score=9&e=${good.e}&s=${good.s}`, 400],
        ['an unknown survey', surveyPath('srv_nope', 5), 404],
      ];
      for (const [label, url, status] of refused) {
        expect((await send('GET', url)).statusCode, label).toBe(status);
      }
      t.clock.advance(31 * dayMs);
      const expired = await send('GET', `/survey/${surveyId}?score=5&e=${good.e}&s=${good.s}`);
      t.clock.set(start);
      expect(expired.statusCode).toBe(410);
      expect(expired.body).toContain('This link has expired');
      expect((await survey()).score).toBe(2);
    });

    it('reports count, mean and share of 4-5 by segment over the answers in the period', async () => {
      const at = '2030-03-01T00:00:00.000Z';
      const fixture: [number | null, number, number | null, number | null, string][] = [
        [5, 1, 1, 1, at],
        [4, 1, 0, 0, at],
        [2, 1, 1, 0, at],
        [3, 0, null, null, at],
        [5, 0, null, null, at],
        [null, 1, null, null, at], // not answered
        [1, 1, 0, 0, '2031-01-01T00:00:00.000Z'], // outside the period
      ];
      for (const [i, [score, backordered, notified, kept, answeredAt]] of fixture.entries()) {
        const orderId = `ord_fx${i}`;
        await db().insertInto('sales_order').values({ id: orderId, customer_id: 'C1', reference: null, ship_complete: 0, partial_consent: 0, status: 'closed', placed_at: at, updated_at: at }).execute();
        await db().insertInto('csat_survey').values({
          id: `srv_fx${i}`, order_id: orderId, customer_id: 'C1', backordered, score, comment: null, notified_on_time: notified, promise_kept: kept, created_at: at, answered_at: score === null ? null : answeredAt,
        }).execute();
      }
      const res = await send('GET', '/csat?from=2030-01-01T00:00:00Z&to=2030-12-31T23:59:59Z');
      expect(res.statusCode).toBe(200);
      const s = (n: number, mean: number | null, share45: number | null) => ({ n, mean, share45 });
      expect(res.json()).toEqual({
        from: '2030-01-01T00:00:00Z',
        to: '2030-12-31T23:59:59Z',
        count: 5,
        mean: 3.8,
        share45: 0.6,
        segments: {
          backordered: { yes: s(3, 11 / 3, 2 / 3), no: s(2, 4, 0.5) },
          notifiedOnTime: { yes: s(2, 3.5, 0.5), no: s(1, 4, 1), notApplicable: s(2, 4, 0.5) },
          promiseKept: { yes: s(1, 5, 1), no: s(2, 3, 0.5), notApplicable: s(2, 4, 0.5) },
        },
      });
      expect((await send('GET', '/csat?from=2040-01-01T00:00:00Z')).json()).toMatchObject({ count: 0, mean: null, share45: null });
    });
  });

  it('leaves every invariant intact (stock, ledger, line and backorder conservation)', async () => {
    expect(await findViolations(db())).toEqual([]);
  });

  it('documents the routes in OpenAPI', async () => {
    const doc = (await send('GET', '/openapi.json')).json();
    for (const path of ['/orders/{id}/choices', '/skus/{id}/alternates', '/csat', '/status/{orderId}', '/survey/{surveyId}']) expect(doc.paths, path).toHaveProperty([path]);
  });
});
