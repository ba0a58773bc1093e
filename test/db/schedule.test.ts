/**
 * The playbook's time-based rules on the manual clock: each fires on the right simulated day and hour, not before,
 * and only once per period (still_open), per backorder (delayed, aged), per slip count (promise.slipped), per SKU
 * and day (sku.open_backorders) or per day (digest.daily); a second scheduler round queues nothing new.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../support/engines.js';
import { customer, must, openTestContext, seedCatalog, sku, type TestContext } from '../support/context.js';
import { placeOrder } from '../../src/orders/service.js';
import { cancelBackorder } from '../../src/orders/fulfilment.js';
import { catalogService } from '../../src/catalog/service.js';
import { supplierDef } from '../../src/catalog/entities.js';
import { changeExpectedDate, createPurchaseOrder, putSupplierItem } from '../../src/purchasing/service.js';
import { runSchedule } from '../../src/communication/schedule.js';
import { activePlaybook, storePlaybook } from '../../src/communication/playbook/active.js';
import { renderEmail, renderLookup } from '../../src/communication/render.js';
import type { MessageRow } from '../../src/communication/outbox-repository.js';

const playbookSource = `version: 1
name: Schedule test
rules:
  - id: still-open
    on: backorder.still_open
    every_days: 7
    to: customer
    template: still-on-track
  - id: delayed
    on: backorder.delayed
    wait_days_at_least: 21
    to: customer
    template: offer-choices
  - id: aged-vip
    on: backorder.aged
    days_at_least: 7
    tier_at_most: 1
    to: [escalations@example.com]
    template: escalation-aged
  - id: slipped-twice
    on: promise.slipped
    times_at_least: 2
    to: [escalations@example.com]
    template: escalation-slipped
  - id: sku-backlog
    on: sku.open_backorders
    above: 2
    to: [planning@example.com]
    template: escalation-sku
  - id: digest
    on: digest.daily
    hour_utc: 7
    list_size: 5
    to: [team@example.com, planning@example.com]
    template: daily-digest
  - id: confirm-off
    on: backorder.confirmed
    enabled: false
    to: customer
    template: backorder-confirmed
`;

describe.each(engines)('time-based playbook rules on $name', (engine) => {
  let t: TestContext;
  let poId = '';
  let poLine = '';
  const bo: Record<'vip' | 'a' | 'b' | 'desk', string> = { vip: '', a: '', b: '', desk: '' };
  let seen = new Set<string>();

  const all = async (): Promise<MessageRow[]> => t.ctx.store.db.selectFrom('message').selectAll().orderBy('id').execute();

  /** Runs one scheduler round at `at` (if given); returns what it queued per rule, then checks a second round queues nothing. */
  async function round(at?: string): Promise<Record<string, number>> {
    if (at) t.clock.set(at);
    const queued = await runSchedule(t.ctx);
    const rows = await all();
    const fresh = rows.filter((m) => !seen.has(m.id));
    seen = new Set(rows.map((m) => m.id));
    expect(fresh).toHaveLength(queued);
    for (const m of fresh) expect(m).toMatchObject({ status: 'pending', attempts: 0, next_attempt_at: t.clock.now().toISOString(), channel: 'email' });
    expect(await runSchedule(t.ctx), 'a second round at the same time queues nothing').toBe(0);
    expect((await all()).length).toBe(rows.length);
    const byRule: Record<string, number> = {};
    for (const m of fresh) byRule[m.rule] = (byRule[m.rule] ?? 0) + 1;
    return byRule;
  }

  const ofRule = async (rule: string) => (await all()).filter((m) => m.rule === rule);

  beforeAll(async () => {
    t = await openTestContext(engine, '2026-01-05T06:00:00.000Z');
    must(await t.ctx.store.transaction((tx) => storePlaybook(t.ctx, tx, playbookSource, 'schedule test')));
    await seedCatalog(t.ctx, { skus: [sku('LAMP'), sku('DESK')], customers: [customer('VIP', 'GB', 1), customer('A', 'GB', 2), customer('B', 'GB', 3)] });
    must(await catalogService(supplierDef).create(t.ctx, { id: 'S', name: 'S', defaultLeadTimeDays: 30 }));
    for (const s of ['LAMP', 'DESK']) must(await putSupplierItem(t.ctx, 'S', s, { packSize: 1, minOrderQty: 1, unitCostMinor: 1 }));
    const po = must(await createPurchaseOrder(t.ctx, { supplierId: 'S', place: true, lines: [{ skuId: 'LAMP', warehouseId: 'UK', quantity: 10, expectedDate: '2026-01-20' }] }));
    poId = po.id;
    poLine = po.lines[0]!.id;
    const place = async (customerId: string, skuId: string, quantity: number) =>
      must(await placeOrder(t.ctx, { customerId, lines: [{ skuId, quantity }] })).intake[0]!.backordered!.backorderId;
    bo.vip = await place('VIP', 'LAMP', 1);
    bo.a = await place('A', 'LAMP', 2);
    bo.b = await place('B', 'LAMP', 1);
    bo.desk = await place('A', 'DESK', 1);
    expect(await all(), 'the disabled event rule sends nothing at intake').toEqual([]);
  });
  afterAll(async () => t?.close());

  it('on the day of the orders: the long wait and the SKU backlog, not before the digest hour', async () => {
    // DESK has no PO: promised at the 30-day lead time, a wait of 30 >= 21 days. LAMP waits 15 days for its PO.
    expect(await round()).toEqual({ delayed: 1, 'sku-backlog': 1 });
    const [delayed] = await ofRule('delayed');
    expect(delayed).toMatchObject({ backorder_id: bo.desk, customer_id: 'A', audience: 'customer', recipient: null, dedupe_key: `delayed:${bo.desk}`, template: 'offer-choices' });
    const [backlog] = await ofRule('sku-backlog');
    expect(backlog).toMatchObject({ sku_id: 'LAMP', audience: 'internal', recipient: 'planning@example.com', dedupe_key: 'sku-backlog:LAMP:2026-01-05' });
    expect(JSON.parse(backlog!.vars)).toMatchObject({ sku: { id: 'LAMP', openBackorders: 3, waitingUnits: 4 } });
    expect(await round('2026-01-05T06:59:59.999Z'), 'no digest before 07:00 UTC').toEqual({});
  });

  it('sends the digest once a day, from hour_utc on', async () => {
    expect(await round('2026-01-05T07:00:00.000Z')).toEqual({ digest: 1 });
    expect(await round('2026-01-05T23:59:00.000Z')).toEqual({});
    const [digest] = await ofRule('digest');
    expect(digest).toMatchObject({ audience: 'internal', recipient: 'team@example.com, planning@example.com', dedupe_key: 'digest:2026-01-05', customer_id: null });
    const vars = JSON.parse(digest!.vars) as { digest: { date: string; oldest: { backorderId: string }[]; topSkus: { skuId: string; openBackorders: number }[] } };
    expect(vars.digest.date).toBe('2026-01-05');
    expect(vars.digest.oldest.map((l) => l.backorderId)).toEqual([bo.vip, bo.a, bo.b, bo.desk]);
    expect(vars.digest.topSkus[0]).toEqual({ skuId: 'LAMP', skuName: 'Item LAMP', openBackorders: 3, waitingUnits: 4 });
  });

  it('escalates a promise after its second later move (not the first, not an earlier one), and offers choices once the wait passes 21 days', async () => {
    t.clock.set('2026-01-06T08:00:00.000Z');
    must(await changeExpectedDate(t.ctx, poId, poLine, '2026-01-24')); // 19 days from the orders: not yet delayed
    expect(await round(), 'one slip is not two; a 19-day wait is not 21 (a new day: backlog and digest again)').toEqual({ 'sku-backlog': 1, digest: 1 });
    t.clock.advance(60_000);
    must(await changeExpectedDate(t.ctx, poId, poLine, '2026-02-10')); // 36 days
    expect(await round()).toEqual({ 'slipped-twice': 3, delayed: 3 });
    const slipped = await ofRule('slipped-twice');
    expect(slipped.map((m) => m.backorder_id).sort()).toEqual([bo.vip, bo.a, bo.b].sort());
    expect(slipped.map((m) => m.dedupe_key).sort()).toEqual([bo.vip, bo.a, bo.b].map((id) => `slipped-twice:${id}:2`).sort());
    expect(slipped[0]).toMatchObject({ recipient: 'escalations@example.com', audience: 'internal' });
    expect(JSON.parse(slipped[0]!.vars)).toMatchObject({ slips: 2 });
    t.clock.advance(60_000);
    must(await changeExpectedDate(t.ctx, poId, poLine, '2026-02-05')); // earlier: not a slip, still delayed
    expect(await round()).toEqual({});
    expect((await ofRule('delayed')).map((m) => m.backorder_id).sort()).toEqual([bo.desk, bo.vip, bo.a, bo.b].sort());
  });

  it('sends the weekly still-open update on day 7 (not day 6) and escalates the tier-1 customer’s aged backorder once', async () => {
    expect(await round('2026-01-12T05:59:59.999Z'), 'six days and 23:59 old: nothing yet').toEqual({ 'sku-backlog': 1 });
    expect(await round('2026-01-12T06:00:00.000Z')).toEqual({ 'still-open': 4, 'aged-vip': 1 });
    const still = await ofRule('still-open');
    expect(still.map((m) => m.dedupe_key).sort()).toEqual([bo.vip, bo.a, bo.b, bo.desk].map((id) => `still-open:${id}:1`).sort());
    const lampA = still.find((m) => m.backorder_id === bo.a)!;
    expect(lampA).toMatchObject({ customer_id: 'A', audience: 'customer', template: 'still-on-track' });
    expect(JSON.parse(lampA.vars)).toMatchObject({ lines: [{ backorderId: bo.a, skuId: 'LAMP', quantity: 2, promisedDate: '2026-02-05', previousDate: '2026-01-20' }] });
    const [aged] = await ofRule('aged-vip');
    expect(aged).toMatchObject({ backorder_id: bo.vip, recipient: 'escalations@example.com', dedupe_key: `aged-vip:${bo.vip}` });
    expect(JSON.parse(aged!.vars)).toMatchObject({ people: { [bo.vip]: { customerName: 'Customer VIP', tier: 1, ageDays: 7 } } });
    expect(await round('2026-01-12T07:00:00.000Z')).toEqual({ digest: 1 });
    expect(await round('2026-01-18T23:00:00.000Z'), 'one update per period').toEqual({ 'sku-backlog': 1, digest: 1 });
  });

  it('sends the second period’s update on day 14, only for backorders still open', async () => {
    t.clock.set('2026-01-15T10:00:00.000Z');
    must(await cancelBackorder(t.ctx, bo.desk, { reason: 'customer changed their mind' }));
    expect(await round('2026-01-19T05:59:00.000Z')).toEqual({ 'sku-backlog': 1 });
    expect(await round('2026-01-19T06:00:00.000Z')).toEqual({ 'still-open': 3 });
    const second = (await ofRule('still-open')).filter((m) => m.dedupe_key!.endsWith(':2'));
    expect(second.map((m) => m.backorder_id).sort()).toEqual([bo.vip, bo.a, bo.b].sort());
    expect((await ofRule('aged-vip')).length, 'aged fires once per backorder').toBe(1);
    expect((await ofRule('delayed')).length, 'delayed fires once per backorder').toBe(4);
  });

  it('stops the SKU escalation when the backlog is no longer above the threshold', async () => {
    t.clock.set('2026-01-20T09:00:00.000Z');
    must(await cancelBackorder(t.ctx, bo.b, {}));
    expect(await round('2026-01-20T09:00:00.000Z')).toEqual({ digest: 1 });
  });

  it('queues each message once when two scheduler rounds run at once (two workers)', async () => {
    t.clock.set('2026-01-26T06:00:00.000Z');
    await Promise.all([runSchedule(t.ctx), runSchedule(t.ctx)]);
    const rows = await all();
    const fresh = rows.filter((m) => !seen.has(m.id));
    seen = new Set(rows.map((m) => m.id));
    // Day 21: the third period for the two backorders still open; nothing else is due at 06:00.
    expect(fresh.map((m) => [m.rule, m.dedupe_key]).sort()).toEqual([bo.vip, bo.a].map((id) => ['still-open', `still-open:${id}:3`]).sort());
  });

  it('queues only messages that render, in the customer’s language or the playbook’s', async () => {
    const { playbook } = await activePlaybook(t.ctx, t.ctx.store.db);
    const messages = await all();
    const lookup = await renderLookup(t.ctx, messages);
    for (const m of messages) {
      const email = renderEmail(t.ctx, m, playbook, lookup);
      if (typeof email === 'string') throw new Error(`${m.rule} ${m.id} does not render: ${email}`);
      expect(email.subject.length).toBeGreaterThan(5);
      expect(email.to).toBe(m.audience === 'customer' ? `${m.customer_id!.toLowerCase()}@example.com` : m.recipient);
    }
    const digest = (await ofRule('digest'))[0]!;
    const rendered = renderEmail(t.ctx, digest, playbook, lookup);
    expect(typeof rendered !== 'string' && rendered.text).toContain('Item LAMP');
  });
});
