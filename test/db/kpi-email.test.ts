/**
 * The weekly KPI report email on every engine: a hand-built week of orders (manual clock), the scheduler at the
 * report's hour, exactly one kpi-report message per ISO week holding the figures worked out by hand below, and its
 * delivery through the production SMTP channel to a real SMTP server: an HTML body with the trend chart (a PNG)
 * and a plain-text body with the same figures. Rounds later in the same week write nothing.
 *
 * Timeline (UTC). Warehouses UK (GB) and EU (NL, DE); every SKU costs 500 minor units; customers accept partial
 * shipments, so a line's home warehouse is the customer's first (UK for A, EU for D) wherever it was served from.
 *   2026-W01  Fri 01-02  stock: MUG 10 at UK, BOLT 5 at EU. o0: A 2 MUG (filled, never shipped)
 *   2026-W02  Mon 01-05  o1: A 3 MUG (filled)
 *             Tue 01-06  o1 shipped (24 h). o2: A 7 MUG (5 + 2 backordered at UK) and 1 BOLT (filled from EU)
 *             Wed 01-07  o3: D 3 BOLT (filled)
 *             Thu 01-08  o4: D 2 LAMP (denied: 2 units lost). o3 shipped 16:00 (30 h)
 *             Fri 01-09  o5: D 4 BOLT (1 + 3 backordered at EU). 12:00: 2 MUG received at UK, o2's backorder filled
 *             Sat 01-10  o2 shipped from UK and EU (96 h): its backorder fulfilled after 4 days, before its promise
 *   2026-W03  Mon 01-12  06:00 o6: A 1 MUG (backordered); 07:00 the W02 report; Mon 01-19 07:00 the W03 report
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../support/engines.js';
import { customer, must, openTestContext, seedCatalog, sku, type TestContext } from '../support/context.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { catalogService } from '../../src/catalog/service.js';
import { supplierDef } from '../../src/catalog/entities.js';
import { receiveStock } from '../../src/inventory/service.js';
import { placeOrder } from '../../src/orders/service.js';
import { shipOrder } from '../../src/orders/fulfilment.js';
import { putSupplierItem } from '../../src/purchasing/service.js';
import { runSchedule } from '../../src/communication/schedule.js';
import { storePlaybook } from '../../src/communication/playbook/active.js';
import { dispatchOnce } from '../../src/communication/delivery.js';
import { realChannels, type Channels } from '../../src/communication/channels.js';
import type { MessageRow } from '../../src/communication/outbox-repository.js';
import { kpiReportView, type KpiReportVars } from '../../src/kpis/weekly-report.js';
import { PNG_SIGNATURE } from '../../src/simulation/png.js';

const playbookSource = `version: 1
name: KPI email test
rules:
  - id: weekly-kpis
    on: report.weekly
    weekday: monday
    hour_utc: 7
    to: [team@example.com, planning@example.com]
    template: kpi-report
`;

describe.each(engines)('weekly KPI report email on $name', (engine) => {
  let t: TestContext;
  let smtp: TestSmtpServer;
  let channels: Channels;
  let promisedO2 = '';

  const reports = async (): Promise<MessageRow[]> => t.ctx.store.db.selectFrom('message').selectAll().where('rule', '=', 'weekly-kpis').orderBy('id').execute();
  const at = (iso: string) => t.clock.set(iso);
  const order = async (customerId: string, lines: [string, number][]) =>
    must(await placeOrder(t.ctx, { customerId, lines: lines.map(([skuId, quantity]) => ({ skuId, quantity })) }));
  const ship = async (orderId: string, warehouseId: string) => must(await shipOrder(t.ctx, orderId, { warehouseId }));

  beforeAll(async () => {
    smtp = await startSmtpServer();
    channels = realChannels(smtp.url);
    t = await openTestContext(engine, '2026-01-02T09:00:00.000Z');
    must(await t.ctx.store.transaction((tx) => storePlaybook(t.ctx, tx, playbookSource, 'kpi email test')));
    await seedCatalog(t.ctx, { skus: [sku('MUG'), sku('BOLT'), sku('LAMP', 'deny')], customers: [customer('A', 'GB'), customer('D', 'DE')] });
    // A 30-day lead time gives o2's backorder a first promise of 02-05, so its fulfilment on 01-10 keeps it.
    must(await catalogService(supplierDef).create(t.ctx, { id: 'ACME', name: 'Acme', defaultLeadTimeDays: 30 }));
    for (const s of ['MUG', 'BOLT']) must(await putSupplierItem(t.ctx, 'ACME', s, { leadTimeDays: 30, packSize: 1, minOrderQty: 1, unitCostMinor: 100 }));

    at('2026-01-02T10:00:00.000Z');
    must(await receiveStock(t.ctx, { skuId: 'MUG', warehouseId: 'UK', quantity: 10 }));
    must(await receiveStock(t.ctx, { skuId: 'BOLT', warehouseId: 'EU', quantity: 5 }));
    await order('A', [['MUG', 2]]);

    at('2026-01-05T10:00:00.000Z');
    const o1 = await order('A', [['MUG', 3]]);
    at('2026-01-06T10:00:00.000Z');
    await ship(o1.order.id, 'UK');
    const o2 = await order('A', [['MUG', 7], ['BOLT', 1]]);
    expect(o2.intake.map((l) => l.backordered?.quantity ?? 0)).toEqual([2, 0]);
    promisedO2 = o2.intake[0]!.backordered!.promisedDate ?? '';
    at('2026-01-07T10:00:00.000Z');
    const o3 = await order('D', [['BOLT', 3]]);
    at('2026-01-08T10:00:00.000Z');
    const o4 = await order('D', [['LAMP', 2]]);
    expect(o4.intake[0]!.rejected).toMatchObject({ quantity: 2 });
    at('2026-01-08T16:00:00.000Z');
    await ship(o3.order.id, 'EU');
    at('2026-01-09T10:00:00.000Z');
    const o5 = await order('D', [['BOLT', 4]]);
    expect(o5.intake[0]!.backordered?.quantity).toBe(3);
    at('2026-01-09T12:00:00.000Z');
    must(await receiveStock(t.ctx, { skuId: 'MUG', warehouseId: 'UK', quantity: 2 }));
    at('2026-01-10T10:00:00.000Z');
    await ship(o2.order.id, 'UK');
    await ship(o2.order.id, 'EU');
    at('2026-01-12T06:00:00.000Z');
    await order('A', [['MUG', 1]]); // week 3: not in week 2's figures
  });
  afterAll(async () => {
    await channels?.close();
    await t?.close();
    await smtp?.stop();
  });

  it('gave o2 a first promise after its fulfilment day (so promise accuracy is 1)', () => {
    expect(promisedO2).toBe('2026-02-05');
  });

  it('queues nothing before Monday 07:00 UTC, then one report for the week just ended', async () => {
    at('2026-01-12T06:59:59.999Z');
    expect(await runSchedule(t.ctx)).toBe(0);
    at('2026-01-12T07:00:00.000Z');
    expect(await runSchedule(t.ctx)).toBe(1);
    const [m] = await reports();
    expect(m).toMatchObject({
      template: 'kpi-report',
      audience: 'internal',
      channel: 'email',
      recipient: 'team@example.com, planning@example.com',
      dedupe_key: 'weekly-kpis:2026-W02',
      customer_id: null,
      order_id: null,
      status: 'pending',
      next_attempt_at: '2026-01-12T07:00:00.000Z',
    });
  });

  it('stores week 2’s figures, worked out by hand, overall and by warehouse, and the 8-week trend', async () => {
    const vars = (JSON.parse((await reports())[0]!.vars) as { kpiReport: KpiReportVars }).kpiReport;
    expect(vars.week).toEqual({ label: '2026-W02', start: '2026-01-05', end: '2026-01-11' });
    const o = vars.overall;
    // o1..o5: 6 lines, 20 units; 2 refused (o4), so 18 accepted, of which 5 backordered (o2 2, o5 3).
    expect(o).toMatchObject({ orders: 5, lines: 6, units: 20, unitsBackordered: 5, unitsRejected: 2 });
    // Lines: 5 accepted, 2 backordered, 3 filled whole (o1, o2's BOLT, o3); orders: 4 accepted, 2 backordered, 2 filled (o1, o3).
    expect(o.backorderRate).toEqual({ lines: 2 / 5, units: 5 / 18, orders: 2 / 4 });
    expect(o.fillRate).toEqual({ units: 13 / 20, lines: 3 / 6, orders: 2 / 5 });
    expect(o.lostDemandRate).toBe(2 / 20);
    // Completed: o1 24 h, o3 30 h, o2 96 h (nearest rank: p50 is the 2nd, p90 the 3rd).
    expect(o.cycleTime).toEqual({ orders: 3, p50Hours: 30, p90Hours: 96 });
    // At the week's end (Mon 01-12 00:00) only o5's backorder (3 units) waits; o2's cleared in 4 days, on promise.
    expect(o.openBackorders).toEqual({ count: 1, units: 3 });
    expect(o.cleared).toEqual({ count: 1, meanDays: 4 });
    expect(o.promiseAccuracy).toBe(1);
    expect(o.csat).toEqual({ count: 0, mean: null });
    // Day-end on-hand Mon..Sun: 15, 12, 12, 9, 11, 3, 3 = 65 unit-days; 14 units shipped; 20 units demanded.
    expect(o.inventory!.onHandUnits).toBe(3);
    expect(o.inventory!.turnover).toBeCloseTo((14 * 500) / ((65 * 500) / 7), 12);
    expect(o.inventory!.daysOfSupply).toBeCloseTo(3 / (20 / 7), 12);

    expect(vars.warehouses.map((w) => [w.warehouseId, w.name])).toEqual([['EU', 'Rotterdam'], ['UK', 'Manchester']]);
    const [eu, uk] = vars.warehouses;
    // UK (A's lines): o1 MUG 3, o2 MUG 7 (2 backordered) and BOLT 1 (served from EU, home UK).
    expect(uk).toMatchObject({ orders: 2, lines: 3, units: 11, unitsBackordered: 2, unitsRejected: 0, openBackorders: { count: 0, units: 0 }, csat: null });
    expect(uk!.backorderRate).toEqual({ lines: 1 / 3, units: 2 / 11, orders: 1 / 2 });
    expect(uk!.fillRate).toEqual({ units: 9 / 11, lines: 2 / 3, orders: 1 / 2 });
    expect(uk!.cycleTime).toEqual({ orders: 2, p50Hours: 24, p90Hours: 96 });
    expect(uk!.inventory!.onHandUnits).toBe(2);
    // EU (D's lines): o3 BOLT 3, o4 LAMP 2 refused, o5 BOLT 4 (3 backordered).
    expect(eu).toMatchObject({ orders: 3, lines: 3, units: 9, unitsBackordered: 3, unitsRejected: 2, openBackorders: { count: 1, units: 3 } });
    expect(eu!.backorderRate).toEqual({ lines: 1 / 2, units: 3 / 7, orders: 1 / 2 });
    expect(eu!.fillRate).toEqual({ units: 4 / 9, lines: 1 / 3, orders: 1 / 3 });
    expect(eu!.lostDemandRate).toBe(2 / 9);
    expect(eu!.inventory!.onHandUnits).toBe(1);

    expect(vars.trend.map((p) => p.week)).toEqual(['2025-W47', '2025-W48', '2025-W49', '2025-W50', '2025-W51', '2025-W52', '2026-W01', '2026-W02']);
    expect(vars.trend.slice(0, 6).every((p) => p.orders === 0 && p.backorderRateUnits === null && p.fillRateUnits === null)).toBe(true);
    expect(vars.trend.slice(6)).toEqual([
      { week: '2026-W01', start: '2025-12-29', orders: 1, backorderRateUnits: 0, fillRateUnits: 1 },
      { week: '2026-W02', start: '2026-01-05', orders: 5, backorderRateUnits: 5 / 18, fillRateUnits: 13 / 20 },
    ]);
  });

  it('writes nothing on later rounds of the same week', async () => {
    for (const time of ['2026-01-12T07:00:00.000Z', '2026-01-12T23:00:00.000Z', '2026-01-15T12:00:00.000Z', '2026-01-18T23:59:59.999Z']) {
      at(time);
      expect(await runSchedule(t.ctx), time).toBe(0);
    }
    expect(await reports()).toHaveLength(1);
  });

  it('delivers one email with the chart in its HTML and the same figures in its plain text', async () => {
    at('2026-01-12T07:01:00.000Z');
    expect(await dispatchOnce(t.ctx, channels, { channel: 'email' })).toMatchObject({ claimed: 1, delivered: 1 });
    await smtp.waitFor(1);
    const [mail] = smtp.mails;
    const [m] = await reports();
    expect(m).toMatchObject({ status: 'delivered', language: 'en' });
    expect(mail!.to.sort()).toEqual(['planning@example.com', 'team@example.com']);
    expect(mail!.messageId).toBe(`${m!.id}@raincheck`);
    expect(mail!.subject).toBe('[KPIs] Weekly report 2026-W02: backorder rate 27.8%, fill rate 65.0%');
    for (const line of [
      'Orders / lines / units: 5 / 6 / 20',
      'Backorder rate (units / lines / orders): 27.8% / 40.0% / 50.0% (+27.8 pp against the week before)',
      'Fill rate, first time (units / lines / orders): 65.0% / 50.0% / 40.0% (-35 pp against the week before)',
      'Lost-demand rate: 10.0% (2 units refused)',
      'Order cycle time p50 / p90: 30 h / 96 h',
      'Open backorders at week end: 1 (3 units)',
      'Backorders cleared: 1, mean 4 days to clear',
      'Promise accuracy: 100.0%',
      'CSAT (mean score): –',
      'Inventory turnover / days of supply: 1.5 / 1.1',
      '- Rotterdam (EU): 3 orders, 9 units; backorder rate 42.9%, fill rate 44.4%, lost demand 22.2%; 1 open backorders (3 units)',
      '- Manchester (UK): 2 orders, 11 units; backorder rate 18.2%, fill rate 81.8%, lost demand 0.0%; 0 open backorders (0 units)',
      '- 2025-W47: 0 orders, backorder rate –, fill rate –',
      '- 2026-W01: 1 orders, backorder rate 0.0%, fill rate 100.0%',
      '- 2026-W02: 5 orders, backorder rate 27.8%, fill rate 65.0%',
    ]) {
      expect(mail!.text).toContain(line);
    }

    // The HTML has the trend chart inline: the PNG drawn from the stored figures, and the same figures in tables.
    const src = /<img src="(data:image\/png;base64,[A-Za-z0-9+/=]+)" width="560" height="200"/.exec(mail!.html)?.[1];
    expect(src).toBeDefined();
    const png = Buffer.from(src!.slice('data:image/png;base64,'.length), 'base64');
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([560, 200]);
    const vars = (JSON.parse(m!.vars) as { kpiReport: KpiReportVars }).kpiReport;
    expect(src).toBe(kpiReportView(vars, 'en').chart.src);
    for (const cell of ['27.8% / 40.0% / 50.0%', '65.0% / 50.0% / 40.0%', '30 h / 96 h', '<td>2026-W02</td>']) expect(mail!.html).toContain(cell);
    expect(m!.body_html).toContain(src);
    expect(m!.body_text).toBe(mail!.text.replace(/\r\n/g, '\n'));
  });

  it('sends week 3’s report the next Monday: one message per week', async () => {
    at('2026-01-19T07:00:00.000Z');
    expect(await runSchedule(t.ctx)).toBe(1);
    expect(await runSchedule(t.ctx)).toBe(0);
    const all = await reports();
    expect(all.map((m) => m.dedupe_key)).toEqual(['weekly-kpis:2026-W02', 'weekly-kpis:2026-W03']);
    const vars = (JSON.parse(all[1]!.vars) as { kpiReport: KpiReportVars }).kpiReport;
    // o6 (1 MUG, all backordered) is week 3's only order; o5's and o6's backorders wait at its end.
    expect(vars.overall).toMatchObject({ orders: 1, units: 1, unitsBackordered: 1, openBackorders: { count: 2, units: 4 } });
    expect(vars.trend.slice(-2).map((p) => [p.week, p.backorderRateUnits, p.fillRateUnits])).toEqual([
      ['2026-W02', 5 / 18, 13 / 20],
      ['2026-W03', 1, 0],
    ]);
  });
});
