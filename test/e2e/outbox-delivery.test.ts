/**
 * The outbox delivered for real: a real SMTP server (smtp-server) and a real HTTP webhook receiver, fed by real
 * intake and a real PO date change through the services, drained by dispatchOnce with the production channels.
 * Checks what arrives: the customer's address, the subject and body in the customer's language, every line with
 * its promised date, a status link that verifies, and webhooks signed with their subscription's secret.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../support/engines.js';
import { customer, must, openTestContext, seedCatalog, sku, type TestContext } from '../support/context.js';
import { startSmtpServer, type ReceivedMail, type TestSmtpServer } from '../support/smtp.js';
import { startWebhookReceiver, verifySignature, type WebhookReceiver } from '../support/webhook-receiver.js';
import { placeOrder } from '../../src/orders/service.js';
import { getBackorder } from '../../src/backorders/service.js';
import { catalogService } from '../../src/catalog/service.js';
import { supplierDef } from '../../src/catalog/entities.js';
import { changeExpectedDate, createPurchaseOrder, putSupplierItem } from '../../src/purchasing/service.js';
import { receiveStock } from '../../src/inventory/service.js';
import { createSubscription } from '../../src/communication/webhooks.js';
import { dispatchOnce } from '../../src/communication/delivery.js';
import { realChannels, type Channels } from '../../src/communication/channels.js';
import { verifyToken } from '../../src/communication/links.js';

/** Mustache escapes / = and & in HTML; a browser decodes them back, and so does this. */
const decodeEntities = (html: string): string =>
  html.replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16))).replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

interface Sub {
  id: string;
  secret: string;
}

describe.each(engines)('outbox delivery to real SMTP and webhook servers on $name', (engine) => {
  let t: TestContext;
  let smtp: TestSmtpServer;
  let hooks: WebhookReceiver;
  let channels: Channels;
  let all: Sub;
  let createdOnly: Sub;
  let hansOrder = '';
  let aliceOrder = '';
  let poId = '';
  let poLineDe = '';

  /** Runs dispatch rounds until nothing is due; returns the total delivered. */
  const drain = async (): Promise<number> => {
    let delivered = 0;
    for (let round = 0; round < 50; round++) {
      const s = await dispatchOnce(t.ctx, channels, { batchSize: 50 });
      delivered += s.delivered;
      expect(s.retried + s.dead, 'no delivery may fail against healthy servers').toBe(0);
      if (s.claimed === 0) return delivered;
    }
    throw new Error('outbox did not drain in 50 rounds');
  };

  beforeAll(async () => {
    [smtp, hooks] = await Promise.all([startSmtpServer(), startWebhookReceiver()]);
    t = await openTestContext(engine);
    channels = realChannels(smtp.url);
    await seedCatalog(t.ctx, {
      skus: [sku('LAMP'), sku('DESK'), sku('PEN')],
      customers: [{ ...customer('HANS', 'DE', 2), language: 'de' }, customer('ALICE', 'GB', 2)],
    });
    must(await catalogService(supplierDef).create(t.ctx, { id: 'S', name: 'Lampen GmbH', defaultLeadTimeDays: 30 }));
    for (const s of ['LAMP', 'DESK']) must(await putSupplierItem(t.ctx, 'S', s, { packSize: 1, minOrderQty: 1, unitCostMinor: 100 }));
    const po = must(
      await createPurchaseOrder(t.ctx, {
        supplierId: 'S',
        place: true,
        lines: [
          { skuId: 'LAMP', warehouseId: 'EU', quantity: 10, expectedDate: '2026-01-20' },
          { skuId: 'LAMP', warehouseId: 'UK', quantity: 10, expectedDate: '2026-01-22' },
        ],
      }),
    );
    poId = po.id;
    poLineDe = po.lines.find((l) => l.warehouseId === 'EU')!.id;
    must(await receiveStock(t.ctx, { skuId: 'PEN', warehouseId: 'EU', quantity: 50 }));
    const a = must(await createSubscription(t.ctx, { url: `${hooks.url}/all`, eventTypes: ['*'] }));
    const c = must(await createSubscription(t.ctx, { url: `${hooks.url}/created`, eventTypes: ['backorder.created'] }));
    all = { id: a.id, secret: a.secret };
    createdOnly = { id: c.id, secret: c.secret };
    expect(all.secret).not.toBe(createdOnly.secret);
  });

  afterAll(async () => {
    await channels?.close();
    await t?.close();
    await Promise.all([smtp?.stop(), hooks?.close()]);
  });

  it('sends one confirmation per order, in the customer’s language, with every backordered line, its date and a signed status link', async () => {
    const hans = must(
      await placeOrder(t.ctx, {
        customerId: 'HANS',
        reference: 'BE-1001',
        lines: [
          { skuId: 'LAMP', quantity: 2 },
          { skuId: 'DESK', quantity: 1 },
          { skuId: 'PEN', quantity: 3 },
        ],
      }),
    );
    hansOrder = hans.order.id;
    t.clock.advance(60_000);
    aliceOrder = must(await placeOrder(t.ctx, { customerId: 'ALICE', reference: 'GB-2002', lines: [{ skuId: 'LAMP', quantity: 1 }] })).order.id;
    t.clock.advance(1_000);

    await drain();
    const lamp = must(await getBackorder(t.ctx, hans.intake[0]!.backordered!.backorderId));
    const desk = must(await getBackorder(t.ctx, hans.intake[1]!.backordered!.backorderId));
    expect(hans.intake[2]!.backordered, 'PEN was in stock').toBeNull();
    expect(lamp.promisedDate).toBe('2026-01-20');
    expect(desk.promisedDate).toBe('2026-02-04');

    const rows = await t.ctx.store.db.selectFrom('message').selectAll().where('channel', '=', 'email').orderBy('id').execute();
    const confirmations = rows.filter((r) => r.rule === 'confirm-backorder');
    expect(confirmations.map((r) => [r.order_id, r.status, r.attempts, r.language, r.recipient])).toEqual([
      [hansOrder, 'delivered', 1, 'de', 'hans@example.com'],
      [aliceOrder, 'delivered', 1, 'en', 'alice@example.com'],
    ]);
    const mailOf = (id: string) => smtp.mails.find((x) => x.messageId === `${id}@raincheck`);
    const de = mailOf(confirmations[0]!.id);
    const en = mailOf(confirmations[1]!.id);
    expect(de, 'the German confirmation arrived, its Message-ID the outbox id').toBeDefined();
    expect(en, 'the English confirmation arrived, its Message-ID the outbox id').toBeDefined();
    expect(de!.to).toEqual(['hans@example.com']);
    expect(en!.to).toEqual(['alice@example.com']);

    const m = de!;
    expect(m.headers.get('to')).toContain('hans@example.com');
    expect(m.headers.get('content-language')).toBe('de');
    expect(m.subject).toBe('Ihre Bestellung BE-1001: einige Artikel werden nachgeliefert');
    expect(m.text).toContain('Guten Tag Customer HANS,');
    expect(m.text).toMatch(/^- 2 x Item LAMP: /m);
    expect(m.text).toMatch(/^- 1 x Item DESK: /m);
    expect(m.text, 'the allocated line is not on backorder').not.toContain('Item PEN');
    expect(m.html).toContain('<html lang="de">');
    expectStatusLink(m, hansOrder);
    expect(rows.find((r) => r.id === confirmations[0]!.id)!.subject).toBe(m.subject);

    expect(en!.subject).toBe('Order GB-2002: some items are on backorder');
    expect(en!.headers.get('content-language')).toBe('en');
    expect(en!.text).toContain('- 1 x Item LAMP: expected 2026-01-20');
    expectStatusLink(en!, aliceOrder);

    // Every mail that arrived is an outbox message, once.
    expect(smtp.mails.map((x) => x.messageId).sort()).toEqual(rows.map((r) => `${r.id}@raincheck`).sort());

    // Regression: the first backorder of a SKU with no stored projection is promised by a re-projection later in
    // the same transaction; the confirmation must still carry that date, and no "date changed" mail may follow.
    expect(m.text, 'the confirmation carries the promised dates known at intake').toContain('- 2 x Item LAMP: voraussichtlich am 2026-01-20');
    expect(m.text).toContain('- 1 x Item DESK: voraussichtlich am 2026-02-04');
    expect(m.html).toContain('voraussichtlich am 2026-01-20');
    expect(rows.map((r) => [r.rule, r.order_id]), 'intake sends exactly one mail per order: its confirmation').toEqual([
      ['confirm-backorder', hansOrder],
      ['confirm-backorder', aliceOrder],
    ]);
  });

  /** The status link in the text verifies against the link secret for this order, and the HTML carries it too. */
  function expectStatusLink(m: ReceivedMail, orderId: string): void {
    const base = t.ctx.comms.publicUrl.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    const found = new RegExp(`(${base}/status/[^\\s?]+\\?e=(\\d+)&s=([A-Za-z0-9_-]+))`).exec(m.text);
    expect(found, `a status link in:\n${m.text}`).not.toBeNull();
    const [, url, e, s] = found!;
    expect(url).toContain(`/status/${orderId}?`);
    expect(verifyToken(t.ctx.comms.linkSecret, 'status', orderId, Number(e), s!, t.clock.now().getTime())).toBe('ok');
    expect(verifyToken(t.ctx.comms.linkSecret, 'status', orderId === hansOrder ? aliceOrder : hansOrder, Number(e), s!, t.clock.now().getTime())).toBe('invalid');
    expect(decodeEntities(m.html)).toContain(`href="${url}"`);
  }

  it('delivers one signed webhook per event per matching subscription, with the message id as idempotency key', async () => {
    const events = await t.ctx.store.db.selectFrom('backorder_event').select(['id', 'type', 'backorder_id']).execute();
    expect(events.length).toBeGreaterThanOrEqual(6); // 3 backorders created and promised
    const nowS = Math.floor(t.clock.now().getTime() / 1000);
    const toAll = hooks.requests.filter((r) => r.path === '/all');
    const toCreated = hooks.requests.filter((r) => r.path === '/created');
    expect(toAll.map((r) => r.eventId).sort()).toEqual(events.map((e) => e.id).sort());
    expect(toCreated.map((r) => r.eventId).sort()).toEqual(events.filter((e) => e.type === 'backorder.created').map((e) => e.id).sort());

    const webhookRows = await t.ctx.store.db.selectFrom('message').selectAll().where('channel', '=', 'webhook').execute();
    const byId = new Map(webhookRows.map((r) => [r.id, r]));
    expect(webhookRows).toHaveLength(toAll.length + toCreated.length);
    for (const r of [...toAll, ...toCreated]) {
      const sub = r.path === '/all' ? all : createdOnly;
      const other = r.path === '/all' ? createdOnly : all;
      const check = verifySignature(r.signature, r.body, sub.secret, nowS, 300);
      expect(check, `signature of ${r.idempotencyKey}`).toMatchObject({ ok: true });
      expect(verifySignature(r.signature, r.body, other.secret, nowS, 300).ok, 'another subscription’s secret must not verify').toBe(false);
      expect(verifySignature(r.signature, `${r.body} `, sub.secret, nowS, 300).ok, 'a changed body must not verify').toBe(false);
      expect(r.headers['content-type']).toBe('application/json');
      const row = byId.get(r.idempotencyKey);
      expect(row, `idempotency-key ${r.idempotencyKey} is an outbox message id`).toBeDefined();
      expect(row).toMatchObject({ status: 'delivered', attempts: 1, subscription_id: sub.id, recipient: `${hooks.url}${r.path}` });
      const body = JSON.parse(r.body) as { id: string; type: string; version: number; occurredAt: string; data: Record<string, unknown> };
      const event = events.find((e) => e.id === body.id)!;
      expect(body).toMatchObject({ id: r.eventId, type: r.eventType, version: 1 });
      expect(body.type).toBe(event.type);
      expect(body.data).toMatchObject({ backorderId: event.backorder_id, orderId: expect.stringMatching(/^ord_/), customerId: expect.stringMatching(/^(HANS|ALICE)$/) });
    }
    // Each key arrived once: no delivery was repeated.
    const keys = hooks.requests.map((r) => r.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('tells each customer in their language that a promised date moved later, and the webhooks say the same', async () => {
    const mailsBefore = smtp.mails.length;
    const hooksBefore = hooks.requests.length;
    t.clock.advance(3_600_000);
    // The EU lot slips past the UK one: both waiting LAMP backorders (flexible) now wait for the UK lot of 01-22.
    must(await changeExpectedDate(t.ctx, poId, poLineDe, '2026-01-29'));
    await drain();
    const news = smtp.mails.slice(mailsBefore);
    expect(news.map((x) => x.to[0]).sort()).toEqual(['alice@example.com', 'hans@example.com']);
    const de = news.find((x) => x.to[0] === 'hans@example.com')!;
    const en = news.find((x) => x.to[0] === 'alice@example.com')!;
    expect(de.subject).toBe('Ihre Bestellung BE-1001: neuer voraussichtlicher Liefertermin');
    expect(de.text).toMatch(/^- \d+ x Item LAMP: 2026-01-20 -> 2026-01-22\r?$/m);
    expect(en.subject).toBe('Order GB-2002: new expected delivery date');
    expect(en.text).toMatch(/^- \d+ x Item LAMP: 2026-01-20 -> 2026-01-22\r?$/m);
    expectStatusLink(de, hansOrder);
    expectStatusLink(en, aliceOrder);
    // Regression: promise facts once carried no quantity, so every "date changed" line read "0 x".
    expect(de.text, 'the line names the units waiting').toContain('- 2 x Item LAMP: 2026-01-20 -> 2026-01-22');
    expect(en.text, 'the line names the units waiting').toContain('- 1 x Item LAMP: 2026-01-20 -> 2026-01-22');

    const changed = hooks.requests.slice(hooksBefore);
    expect(changed.map((r) => [r.path, r.eventType])).toEqual([
      ['/all', 'backorder.promise_changed'],
      ['/all', 'backorder.promise_changed'],
    ]);
    const nowS = Math.floor(t.clock.now().getTime() / 1000);
    for (const r of changed) {
      expect(verifySignature(r.signature, r.body, all.secret, nowS, 300).ok).toBe(true);
      expect(JSON.parse(r.body)).toMatchObject({ type: 'backorder.promise_changed', data: { from: '2026-01-20', to: '2026-01-22', cause: 'eta_changed' } });
    }
    expect(changed.map((r) => (JSON.parse(r.body) as { data: { orderId: string } }).data.orderId).sort()).toEqual([hansOrder, aliceOrder].sort());
  });
});
