/**
 * A replay of a small synthetic history (src/replay/synthetic.ts), on both engines: every invoice of the replayed
 * span goes through intake exactly once with the file's quantities, earlier ones are history, UK customers are
 * served from the UK warehouse and the rest from the export one, purchase orders follow the policy and arrive, `C`
 * invoices cancel what still waits (or count as returns), the invariants hold, and the KPIs it prints agree with the
 * order lines themselves. On SQLite also: the same seed gives the same year, and the two policies order differently.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../support/engines.js';
import { openTestContext, type TestContext } from '../support/context.js';
import { findViolations } from '../../src/audit/invariants.js';
import { historyInstant } from '../../src/imports/order-history-kind.js';
import { runReplay, type ReplayOptions, type ReplaySummary } from '../../src/replay/run.js';
import { newSkuDays } from '../../src/replay/ages.js';
import { scanOrders } from '../../src/replay/orders-file.js';
import { buildWorld } from '../../src/replay/world.js';
import { syntheticOrderLines, writeSyntheticOrders, type SyntheticOptions } from '../../src/replay/synthetic.js';

const synthetic: SyntheticOptions = { seed: 11, start: '2026-01-05', days: 56, skus: 14, customers: 12, invoicesPerDay: 4 };
const from = '2026-01-26';
const to = '2026-02-28';

interface FileLine {
  invoice: string;
  sku: string;
  quantity: number;
  at: string;
  customer: string;
  country: string;
}

/** The synthetic file as the replay should read it: stock lines only (not POST). */
function fileLines(): FileLine[] {
  return syntheticOrderLines(synthetic)
    .slice(1)
    .map((l) => l.split(','))
    .filter((f) => f[1] !== 'POST')
    .map((f) => ({ invoice: f[0]!, sku: f[1]!, quantity: Number(f[3]), at: historyInstant(f[4]!)!, customer: f[6]!, country: f[7]! }));
}

describe.each(engines)('replay on $name', (engine) => {
  let t: TestContext;
  let summary: ReplaySummary;
  const dir = mkdtempSync(join(tmpdir(), 'raincheck-replay-'));
  const file = join(dir, 'orders.csv');
  const options = (policy: ReplayOptions['policy']): ReplayOptions => ({
    ordersFile: file, from, to, warehouses: 'uk-split', policy, service: 0.95, orderCostMinor: 200, reviewDays: 7, windowDays: 182, shortageCheck: true, seed: 3,
  });

  beforeAll(async () => {
    writeSyntheticOrders(file, synthetic);
    t = await openTestContext(engine);
    summary = await runReplay(t.ctx, t.clock, options('raincheck'));
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('places every invoice of the span once, with the file quantities; earlier invoices are history', async () => {
    const lines = fileLines();
    const start = `${from}T00:00:00.000Z`;
    const end = new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString();
    const inSpan = lines.filter((l) => !l.invoice.startsWith('C') && l.at >= start && l.at < end);
    const before = lines.filter((l) => !l.invoice.startsWith('C') && l.at < start);
    expect(inSpan.length).toBeGreaterThan(100);
    expect(summary.orders).toBe(new Set(inSpan.map((l) => l.invoice)).size);
    // Lines of one SKU within an invoice are one order line.
    expect(summary.historyLines).toBe(new Set(before.map((l) => `${l.invoice}|${l.sku}`)).size);
    expect(summary.file.ignored).toBe(syntheticOrderLines(synthetic).filter((l) => l.includes(',POST,')).length);

    const db = t.ctx.store.db;
    const stored = await db
      .selectFrom('order_line as l')
      .innerJoin('sales_order as o', 'o.id', 'l.order_id')
      .select(['o.reference', 'l.sku_id', 'l.quantity', 'o.placed_at'])
      .where('o.placed_at', '>=', start)
      .execute();
    const sum = (rows: { key: string; q: number }[]) => {
      const m = new Map<string, number>();
      for (const r of rows) m.set(r.key, (m.get(r.key) ?? 0) + r.q);
      return [...m].sort();
    };
    expect(sum(stored.map((r) => ({ key: `${r.reference}|${r.sku_id}`, q: Number(r.quantity) })))).toEqual(sum(inSpan.map((l) => ({ key: `${l.invoice}|${l.sku}`, q: l.quantity }))));
    // Each order at its invoice's minute: the accelerated clock stood there when intake ran.
    const first = inSpan[0]!;
    expect(stored.find((r) => r.reference === first.invoice)!.placed_at).toBe(first.at);
  });

  it('lists each SKU on the day of its first order in the file (returns included)', async () => {
    const firstAt = new Map<string, string>();
    for (const l of fileLines()) if (!firstAt.has(l.sku) || l.at < firstAt.get(l.sku)!) firstAt.set(l.sku, l.at);
    const skus = await t.ctx.store.db.selectFrom('sku').select(['id', 'created_at']).execute();
    expect(new Map(skus.map((s) => [s.id, s.created_at]))).toEqual(firstAt);
    expect(new Set(firstAt.values()).size).toBeGreaterThan(1);
  });

  it('lists each SKU --listed-days-ahead days before its first order when asked (a company lists before launch)', async () => {
    const firstAt = new Map<string, string>();
    for (const l of fileLines()) if (!firstAt.has(l.sku) || l.at < firstAt.get(l.sku)!) firstAt.set(l.sku, l.at);
    const ahead = await openTestContext(engine);
    try {
      await buildWorld(ahead.ctx, await scanOrders(file), 'uk-split', { daysAhead: 14, unsoldShare: 0, seed: 1 });
      const skus = await ahead.ctx.store.db.selectFrom('sku').select(['id', 'created_at']).execute();
      const expected = new Map([...firstAt].map(([id, at]) => [id, new Date(Date.parse(at) - 14 * 86_400_000).toISOString()]));
      expect(new Map(skus.map((s) => [s.id, s.created_at]))).toEqual(expected);
    } finally {
      await ahead.close();
    }
  });

  it('serves UK customers from the UK warehouse and the rest from the export one', async () => {
    const warehouses = await t.ctx.store.db.selectFrom('warehouse').select(['id', 'regions']).orderBy('id').execute();
    expect(warehouses.map((w) => w.id)).toEqual(['EU', 'UK']);
    const homes = await t.ctx.store.db
      .selectFrom('order_line as l')
      .innerJoin('sales_order as o', 'o.id', 'l.order_id')
      .innerJoin('customer as c', 'c.id', 'o.customer_id')
      .select(['c.region', 'l.warehouse_id'])
      .where('l.backordered', '>', 0)
      .execute();
    expect(homes.length).toBeGreaterThan(0);
    // A backordered line waits at its home warehouse.
    for (const h of homes) expect(h.warehouse_id, h.region).toBe(h.region === 'United Kingdom' ? 'UK' : 'EU');
  });

  it('orders by the policy, receives what arrives, cancels what still waits, and keeps every invariant', async () => {
    expect(summary.purchaseOrders).toBeGreaterThan(0);
    expect(summary.receipts).toBeGreaterThan(0);
    const received = await t.ctx.store.db.selectFrom('po_receipt').select(['quantity', 'received_at']).execute();
    expect(received.length).toBeGreaterThan(0);
    for (const r of received) expect(r.received_at >= `${from}T00:00`).toBe(true);
    const start = `${from}T00:00:00.000Z`;
    const cancelled = fileLines().filter((l) => l.invoice.startsWith('C') && l.at >= start && l.at <= `${to}T23:59`).reduce((s, l) => s + -l.quantity, 0);
    expect(summary.cancelledUnits + summary.returnedUnits).toBe(cancelled);
    expect(await findViolations(t.ctx.store.db)).toEqual([]);
    expect(summary.messages).toBeGreaterThan(0);
  });

  it('prints KPIs that agree with the order lines', async () => {
    const lines = await t.ctx.store.db
      .selectFrom('order_line')
      .select(['quantity', 'rejected', 'backordered'])
      .where('placed_at', '>=', `${from}T00:00:00.000Z`)
      .where('placed_at', '<', new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString())
      .execute();
    const accepted = lines.filter((l) => l.quantity > l.rejected);
    const units = lines.reduce((s, l) => s + Number(l.quantity), 0);
    const backorderedUnits = lines.reduce((s, l) => s + Number(l.backordered), 0);
    const rejectedUnits = lines.reduce((s, l) => s + Number(l.rejected), 0);
    expect(summary.kpis.backorderRate).toBeCloseTo(accepted.filter((l) => l.backordered > 0).length / accepted.length, 10);
    expect(summary.kpis.fillRate).toBeCloseTo((units - rejectedUnits - backorderedUnits) / units, 10);
    expect(summary.kpis.averageInventoryValue).toBeGreaterThan(0);
    expect(summary.kpis.promiseAccuracy).not.toBeNull();
    expect(summary.causes.length).toBeGreaterThan(0);
  });

  it("splits the lines' backorder rate by how long their SKU had been selling", async () => {
    const all = (await t.ctx.store.db.selectFrom('order_line').select(['sku_id', 'placed_at', 'quantity', 'rejected', 'backordered']).execute()).map((l) => ({ ...l, placed_at: l.placed_at! }));
    const first = new Map<string, string>();
    for (const l of all) if (!first.has(l.sku_id) || l.placed_at < first.get(l.sku_id)!) first.set(l.sku_id, l.placed_at);
    const inSpan = all.filter((l) => l.placed_at >= `${from}T00:00:00.000Z` && l.placed_at < `${to}T23:59:59.999Z` && l.quantity > l.rejected);
    const isNew = (l: (typeof all)[number]) => Date.parse(l.placed_at) - Date.parse(first.get(l.sku_id)!) < newSkuDays * 86_400_000;
    const young = inSpan.filter(isNew);
    const old = inSpan.filter((l) => !isNew(l));
    // The synthetic file's SKUs all sell in its first weeks, so the span holds lines of both ages.
    expect(young.length).toBeGreaterThan(0);
    expect(old.length).toBeGreaterThan(0);
    expect(summary.bySkuAge.newSkus).toEqual({ lines: young.length, backordered: young.filter((l) => l.backordered > 0).length, rate: young.filter((l) => l.backordered > 0).length / young.length });
    expect(summary.bySkuAge.established).toEqual({ lines: old.length, backordered: old.filter((l) => l.backordered > 0).length, rate: old.filter((l) => l.backordered > 0).length / old.length });
    // Together they are the KPI report's backorder rate.
    expect((summary.bySkuAge.newSkus.backordered + summary.bySkuAge.established.backordered) / inSpan.length).toBeCloseTo(summary.kpis.backorderRate!, 10);
  });

  /** Purchase order lines with the day they were placed, and whether that was a review day (every 7th from `from`). */
  const placedLines = async (c: TestContext) => {
    const rows = await c.ctx.store.db.selectFrom('purchase_order as p').innerJoin('po_line as l', 'l.po_id', 'p.id').select(['p.placed_at', 'l.sku_id', 'l.warehouse_id']).execute();
    return rows.map((r) => ({ ...r, review: Math.round((Date.parse(r.placed_at!.slice(0, 10)) - Date.parse(from)) / 86_400_000) % 7 === 0 }));
  };

  it.runIf(engine.name === 'sqlite')('orders between reviews only for pairs with backorders waiting that morning, and only with the shortage check', async () => {
    // The rule with a low min runs short often enough for the morning check to find shortages nothing covers.
    const lean = { ...options('minmax'), minmaxFactor: 0.5 };
    const daily = await openTestContext(engine);
    const weekly = await openTestContext(engine);
    try {
      await runReplay(daily.ctx, daily.clock, lean);
      const between = (await placedLines(daily)).filter((l) => !l.review);
      expect(between.length).toBeGreaterThan(0);
      for (const l of between) {
        const waiting = await daily.ctx.store.db
          .selectFrom('backorder')
          .select('id')
          .where('sku_id', '=', l.sku_id)
          .where('warehouse_id', '=', l.warehouse_id)
          .where('placed_at', '<', l.placed_at!)
          .where((eb) => eb.or([eb('fulfilled_at', 'is', null), eb('fulfilled_at', '>', l.placed_at!)]))
          .executeTakeFirst();
        expect(waiting, `${l.sku_id}@${l.warehouse_id} ordered ${l.placed_at}`).toBeDefined();
      }
      await runReplay(weekly.ctx, weekly.clock, { ...lean, shortageCheck: false });
      const lines = await placedLines(weekly);
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.filter((l) => !l.review)).toEqual([]);
    } finally {
      await daily.close();
      await weekly.close();
    }
  }, 120_000);

  it.runIf(engine.name === 'sqlite')('gives the same year for the same seed, a different purchasing for the rule of thumb, and more stock for a larger k', async () => {
    const again = await openTestContext(engine);
    const rule = await openTestContext(engine);
    const richer = await openTestContext(engine);
    try {
      const same = await runReplay(again.ctx, again.clock, options('raincheck'));
      expect({ ...same, seconds: null }).toEqual({ ...summary, seconds: null });
      const minmax = await runReplay(rule.ctx, rule.clock, options('minmax'));
      expect(minmax.orders).toBe(summary.orders);
      expect(minmax.policy).toBe('minmax');
      const ordered = async (c: TestContext) => (await c.ctx.store.db.selectFrom('po_line').select(['sku_id', 'warehouse_id', 'quantity']).orderBy('id').execute()).map((l) => `${l.sku_id}@${l.warehouse_id}:${l.quantity}`);
      expect(await ordered(rule)).not.toEqual(await ordered(again));
      expect(await findViolations(rule.ctx.store.db)).toEqual([]);
      // The rule's knob: a min three times as high holds more stock and orders more.
      const generous = await runReplay(richer.ctx, richer.clock, { ...options('minmax'), minmaxFactor: 3 });
      const units = async (c: TestContext) => Number((await c.ctx.store.db.selectFrom('po_line').select((eb) => eb.fn.sum<number>('quantity').as('n')).executeTakeFirstOrThrow()).n);
      expect(await units(richer)).toBeGreaterThan(await units(rule));
      expect(generous.kpis.averageInventoryValue!).toBeGreaterThan(minmax.kpis.averageInventoryValue!);
    } finally {
      await again.close();
      await rule.close();
      await richer.close();
    }
  }, 120_000);
});
