/**
 * Importing order history (kind `orders`), on both engines: a file in the Online Retail layout through a mapping
 * becomes closed, fully shipped orders from each customer's home warehouse, with the SKUs and customers it names
 * created and the stock ledger untouched; importing it again changes nothing; the lines show up as demand; bad rows
 * (and a date in the future, found while writing) are named and nothing is written; an import that created lines
 * forgets the folded KPI days.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../support/engines.js';
import { must, openTestContext, type TestContext } from '../support/context.js';
import { findViolations } from '../../src/audit/invariants.js';
import { importKinds } from '../../src/imports/kinds.js';
import { importFile, type RowProblem } from '../../src/imports/run.js';
import { historyInstant } from '../../src/imports/order-history-kind.js';
import { demandHistory } from '../../src/replenishment/history.js';
import { foldKey } from '../../src/kpis/rollup.js';

describe('historyInstant', () => {
  it('reads dates and times as UTC unless the text names a zone, and refuses anything else', () => {
    expect(historyInstant('2010-12-09 20:01:00')).toBe('2010-12-09T20:01:00.000Z');
    expect(historyInstant('2010-12-09T20:01')).toBe('2010-12-09T20:01:00.000Z');
    expect(historyInstant('2010-12-09')).toBe('2010-12-09T00:00:00.000Z');
    expect(historyInstant(' 2010-12-09 ')).toBe('2010-12-09T00:00:00.000Z');
    expect(historyInstant('2010-12-09T20:01+01:00')).toBe('2010-12-09T19:01:00.000Z');
    expect(historyInstant('2010-12-09T20:01:00Z')).toBe('2010-12-09T20:01:00.000Z');
    for (const garbage of ['yesterday', '', '2010-13-45', '12/9/2010 20:01', '2010-12-9', '2010-12-09 25:00', '2010-12-09 20:61']) {
      expect(historyInstant(garbage), garbage).toBeNull();
    }
  });

  it('refuses a day the month does not have instead of rolling it into the next month', () => {
    // V8's Date.parse accepts 2010-02-30 as 2010-03-02 and 2010-02-29 (not a leap year) as 2010-03-01.
    expect(historyInstant('2010-02-30')).toBeNull();
    expect(historyInstant('2010-02-29 10:00')).toBeNull();
    expect(historyInstant('2012-02-29')).toBe('2012-02-29T00:00:00.000Z');
  });
});

describe.each(engines)('order history import on $name', (engine) => {
  let t: TestContext;
  const dir = mkdtempSync(join(tmpdir(), 'raincheck-history-'));
  const file = (name: string, lines: string[]) => {
    const path = join(dir, `${engine.name}-${name}`);
    writeFileSync(path, `${lines.join('\n')}\n`);
    return path;
  };
  const header = 'invoice,stock_code,description,quantity,invoice_date,unit_price,customer_id,country';
  const map = { reference: 'invoice', skuId: 'stock_code', customerId: 'customer_id', placedAt: 'invoice_date', unitPrice: 'unit_price', region: 'country' };
  const count = async (table: 'sales_order' | 'order_line' | 'allocation' | 'sku' | 'customer' | 'movement' | 'stock_level' | 'backorder') =>
    (await t.ctx.store.db.selectFrom(table).select(t.ctx.store.db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
  const counts = async () => ({
    orders: Number(await count('sales_order')),
    lines: Number(await count('order_line')),
    allocations: Number(await count('allocation')),
    skus: Number(await count('sku')),
    customers: Number(await count('customer')),
    backorders: Number(await count('backorder')),
  });
  const ledger = async () => ({
    movements: (await t.ctx.store.db.selectFrom('movement').selectAll().orderBy('id').execute()).map((m) => ({ ...m, quantity: Number(m.quantity) })),
    levels: (await t.ctx.store.db.selectFrom('stock_level').selectAll().orderBy('sku_id').orderBy('warehouse_id').execute()).map((l) => ({
      ...l,
      on_hand: Number(l.on_hand),
      allocated: Number(l.allocated),
    })),
  });

  // The Online Retail layout: invoice 536365 repeats a stock code, 536371 has no customer, C536379 is a cancellation.
  const history = [
    header,
    '536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850,United Kingdom',
    '536365,71053,WHITE METAL LANTERN,6,2010-12-01 08:26:00,3.39,17850,United Kingdom',
    '536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,2,2010-12-01 08:26:00,2.55,17850,United Kingdom',
    '536370,22728,ALARM CLOCK BAKELIKE PINK,24,2010-12-09 20:01:00,3.75,12583,France',
    '536370,85123A,WHITE HANGING HEART T-LIGHT HOLDER,12,2010-12-09 20:01:00,2.55,12583,France',
    '536371,22423,REGENCY CAKESTAND 3 TIER,3,2010-12-09 09:00:00,12.75,,United Kingdom',
    'C536379,D,Discount,-1,2010-12-01 09:41:00,27.50,14527,United Kingdom',
  ];
  let historyPath: string;

  beforeAll(async () => {
    t = await openTestContext(engine);
    historyPath = file('history.csv', history);
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes each invoice as a closed order shipped in full from the home warehouse, creating the SKUs and customers it names', async () => {
    const warehouses = file('wh.csv', ['id,name,regions,priority', 'UK,Manchester,United Kingdom,1', 'EU,Rotterdam,France|Germany,2']);
    expect(await importFile(t.ctx, importKinds.warehouses, warehouses)).toMatchObject({ ok: true, value: { created: 2 } });
    // A SKU the catalogue already holds (with stock) is left as it is, and so is its stock.
    expect(await importFile(t.ctx, importKinds.skus, file('skus.csv', ['id,name,unit_cost_minor,backorder_policy', '22423,Cakestand (ours),1000,deny']))).toMatchObject({ ok: true, value: { created: 1 } });
    expect(await importFile(t.ctx, importKinds.stock, file('stock.csv', ['sku_id,warehouse_id,on_hand', '22423,UK,5']))).toMatchObject({ ok: true, value: { created: 1 } });
    const stockBefore = await ledger();
    expect(stockBefore.movements).toHaveLength(1);

    const report = await importFile(t.ctx, importKinds.orders, historyPath, { map });
    expect(report).toEqual({ ok: true, value: { lines: 7, created: 6, updated: 0, unchanged: 0, skipped: 1, ignoredColumns: [] } });

    const orders = await t.ctx.store.db.selectFrom('sales_order').selectAll().orderBy('reference').execute();
    expect(orders.map((o) => [o.reference, o.customer_id, o.status, o.placed_at])).toEqual([
      ['536365', '17850', 'closed', '2010-12-01T08:26:00.000Z'],
      ['536370', '12583', 'closed', '2010-12-09T20:01:00.000Z'],
      ['536371', 'GUEST-United-Kingdom', 'closed', '2010-12-09T09:00:00.000Z'],
    ]);
    const refOf = new Map(orders.map((o) => [o.id, o.reference]));
    const lines = (await t.ctx.store.db.selectFrom('order_line').selectAll().execute())
      .map((l) => ({
        ref: refOf.get(l.order_id),
        lineNo: Number(l.line_no),
        sku: l.sku_id,
        quantity: Number(l.quantity),
        shipped: Number(l.shipped),
        open: [l.allocated, l.backordered, l.rejected, l.cancelled].map(Number),
        placedAt: l.placed_at,
        warehouse: l.warehouse_id,
      }))
      .sort((a, b) => `${a.ref}/${a.lineNo}`.localeCompare(`${b.ref}/${b.lineNo}`));
    const dec1 = '2010-12-01T08:26:00.000Z';
    const dec9 = '2010-12-09T20:01:00.000Z';
    expect(lines).toEqual([
      { ref: '536365', lineNo: 1, sku: '85123A', quantity: 6, shipped: 6, open: [0, 0, 0, 0], placedAt: dec1, warehouse: 'UK' },
      { ref: '536365', lineNo: 2, sku: '71053', quantity: 6, shipped: 6, open: [0, 0, 0, 0], placedAt: dec1, warehouse: 'UK' },
      { ref: '536365', lineNo: 3, sku: '85123A', quantity: 2, shipped: 2, open: [0, 0, 0, 0], placedAt: dec1, warehouse: 'UK' },
      { ref: '536370', lineNo: 1, sku: '22728', quantity: 24, shipped: 24, open: [0, 0, 0, 0], placedAt: dec9, warehouse: 'EU' },
      { ref: '536370', lineNo: 2, sku: '85123A', quantity: 12, shipped: 12, open: [0, 0, 0, 0], placedAt: dec9, warehouse: 'EU' },
      { ref: '536371', lineNo: 1, sku: '22423', quantity: 3, shipped: 3, open: [0, 0, 0, 0], placedAt: '2010-12-09T09:00:00.000Z', warehouse: 'UK' },
    ]);
    // Nothing waits: no backorder, no open allocation.
    expect(Number(await count('backorder'))).toBe(0);
    const openAllocated = await t.ctx.store.db.selectFrom('allocation').select('quantity').execute();
    expect(openAllocated.every((a) => Number(a.quantity) === 0)).toBe(true);

    const skus = await t.ctx.store.db.selectFrom('sku').select(['id', 'name', 'unit_cost_minor', 'backorder_policy']).orderBy('id').execute();
    expect(skus.map((s) => [s.id, s.name, Number(s.unit_cost_minor)])).toEqual([
      ['22423', 'Cakestand (ours)', 1000], // existing: left as it was
      ['22728', 'ALARM CLOCK BAKELIKE PINK', 375],
      ['71053', 'WHITE METAL LANTERN', 339],
      ['85123A', 'WHITE HANGING HEART T-LIGHT HOLDER', 255],
    ]); // no 'D': the cancellation was skipped
    const customers = await t.ctx.store.db.selectFrom('customer').select(['id', 'region']).orderBy('id').execute();
    expect(customers).toEqual([
      { id: '12583', region: 'France' },
      { id: '17850', region: 'United Kingdom' },
      { id: 'GUEST-United-Kingdom', region: 'United Kingdom' },
    ]); // no 14527: its only row was the cancellation

    expect(await findViolations(t.ctx.store.db)).toEqual([]);
    expect(await ledger()).toEqual(stockBefore);
  });

  it('changes nothing when the same file is imported again (and keeps the KPI fold then)', async () => {
    const before = await counts();
    const stock = await ledger();
    const now = t.ctx.clock.now().toISOString();
    await t.ctx.store.db.insertInto('setting').values({ key: foldKey, value: JSON.stringify('2025-12-01'), updated_at: now }).execute();
    t.clock.advance(60_000);
    const again = await importFile(t.ctx, importKinds.orders, historyPath, { map });
    expect(again).toEqual({ ok: true, value: { lines: 7, created: 0, updated: 0, unchanged: 6, skipped: 1, ignoredColumns: [] } });
    expect(await counts()).toEqual(before);
    expect(await ledger()).toEqual(stock);
    // Nothing back-dated was written, so the folded days stand.
    const fold = await t.ctx.store.db.selectFrom('setting').select('value').where('key', '=', foldKey).executeTakeFirst();
    expect(fold?.value).toBe(JSON.stringify('2025-12-01'));
    await t.ctx.store.db.deleteFrom('setting').where('key', '=', foldKey).execute();
  });

  it('counts the history as demand in the week and warehouse it happened', async () => {
    const view = must(await demandHistory(t.ctx, { skuId: '85123A', period: 'week', from: '2010-11-29', to: '2010-12-12' }));
    expect(view.from).toBe('2010-11-29');
    expect(view.to).toBe('2010-12-12');
    expect(view.series.map((s) => [s.warehouseId, s.total, s.periods.map((p) => [p.start, p.quantity])])).toEqual([
      ['EU', 12, [['2010-11-29', 0], ['2010-12-06', 12]]],
      ['UK', 8, [['2010-11-29', 8], ['2010-12-06', 0]]],
    ]);
    const guest = must(await demandHistory(t.ctx, { skuId: '22423', warehouseId: 'UK', period: 'week', from: '2010-11-29', to: '2010-12-12' }));
    expect(guest.series.map((s) => [s.warehouseId, s.periods.map((p) => p.quantity)])).toEqual([['UK', [0, 3]]]);
    const day = must(await demandHistory(t.ctx, { skuId: '22728', warehouseId: 'EU', period: 'day', from: '2010-12-09', to: '2010-12-09' }));
    expect(day.series[0]!.periods).toEqual([{ period: '2010-12-09', start: '2010-12-09', end: '2010-12-09', quantity: 24 }]);
  });

  it('names each bad row by line, column and reason, and writes nothing', async () => {
    const before = await counts();
    const bad = file('bad.csv', [
      header,
      '600001,NEW1,NEW ONE,1,2010-12-10 10:00:00,1.00,90001,France',
      '600002,NEW2,NEW TWO,0,2010-12-10 10:00:00,1.00,90001,France',
      '600003,NEW3,NEW THREE,1,2010-13-45,1.00,90001,France',
      '600004,NEW4,NEW FOUR,1,yesterday,1.00,90001,France',
      '600005,AB 12,SPACED CODE,1,2010-12-10 10:00:00,1.00,90001,France',
      '600006,NEW6,NEW SIX,1.5,2010-12-10 10:00:00,1.00,90001,France',
    ]);
    const result = await importFile(t.ctx, importKinds.orders, bad, { map });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toMatch(/^5 of 6 rows are bad; nothing was imported\. First: line 3, column 'quantity': must not be 0/);
    const problems = result.error.details!.problems as RowProblem[];
    expect(problems).toEqual([
      { line: 3, column: 'quantity', message: 'must not be 0' },
      { line: 4, column: 'invoice_date', message: "'2010-13-45' is not a date or date and time (YYYY-MM-DD[ HH:MM[:SS]])" },
      { line: 5, column: 'invoice_date', message: "'yesterday' is not a date or date and time (YYYY-MM-DD[ HH:MM[:SS]])" },
      { line: 6, column: 'stock_code', message: expect.stringContaining('must be 1-64 letters') },
      { line: 7, column: 'quantity', message: 'must be a whole number' },
    ]);
    expect(await counts()).toEqual(before);
  });

  it('refuses a history line placed after now while writing, and rolls back the batches already written', async () => {
    const before = await counts();
    const stock = await ledger();
    // 600 good rows (more than one write batch of 500) before the bad one, so the refusal comes after rows were written.
    const good = Array.from({ length: 600 }, (_, i) => `${700000 + Math.floor(i / 3)},FUT${i % 7},FUTURE ITEM,1,2025-12-31 23:00:00,1.00,${80000 + (Math.floor(i / 3) % 5)},Germany`);
    const now = t.ctx.clock.now();
    const at = (d: Date) => d.toISOString().slice(0, 19).replace('T', ' ');
    const soon = new Date(now.getTime() + 1000);
    const path = file('future.csv', [header, ...good, `799999,FUT1,FUTURE ITEM,2,${at(soon)},1.00,80000,Germany`]);
    const result = await importFile(t.ctx, importKinds.orders, path, { map });
    expect(result).toMatchObject({
      ok: false,
      error: {
        message: `line 602, column 'invoice_date': ${soon.toISOString()} is in the future: history is what already happened; nothing was imported`,
        field: 'invoice_date',
      },
    });
    if (!result.ok) expect(result.error.details!.problems).toEqual([{ line: 602, column: 'invoice_date', message: expect.stringContaining('is in the future') }]);
    expect(await counts()).toEqual(before);
    expect(await ledger()).toEqual(stock);
    const created = await t.ctx.store.db.selectFrom('sku').select('id').where('id', 'like', 'FUT%').execute();
    expect(created).toEqual([]);
    // The same file without the future line imports (the clock's own instant is not the future).
    const ok = await importFile(t.ctx, importKinds.orders, file('past.csv', [header, ...good, `799999,FUT1,FUTURE ITEM,2,${at(now)},1.00,80000,Germany`]), { map });
    expect(ok).toMatchObject({ ok: true, value: { lines: 601, created: 601, skipped: 0 } });
    const after = await counts();
    expect(after.orders - before.orders).toBe(201);
    expect(after.lines - before.lines).toBe(601);
    expect(await findViolations(t.ctx.store.db)).toEqual([]);
    expect(await ledger()).toEqual(stock);
  });

  it('forgets the folded KPI days after an import that created lines', async () => {
    const now = t.ctx.clock.now().toISOString();
    await t.ctx.store.db.insertInto('setting').values({ key: foldKey, value: JSON.stringify('2026-01-05'), updated_at: now }).execute();
    await t.ctx.store.db
      .insertInto('kpi_day')
      .values({ kind: 'lines', dim: 'none', key: '', day: '2010-12-01', data: JSON.stringify({ lines: 1 }) } as never)
      .execute();
    const path = file('more.csv', [header, '536400,85123A,WHITE HANGING HEART T-LIGHT HOLDER,4,2010-12-05 11:00:00,2.55,17850,United Kingdom']);
    expect(await importFile(t.ctx, importKinds.orders, path, { map })).toMatchObject({ ok: true, value: { created: 1, unchanged: 0 } });
    expect(await t.ctx.store.db.selectFrom('setting').select('key').where('key', '=', foldKey).execute()).toEqual([]);
    expect(await t.ctx.store.db.selectFrom('kpi_day').select('day').execute()).toEqual([]);
    // The new line counts as demand in its week at the UK warehouse.
    const view = must(await demandHistory(t.ctx, { skuId: '85123A', warehouseId: 'UK', period: 'week', from: '2010-11-29', to: '2010-12-05' }));
    expect(view.series[0]!.periods.map((p) => p.quantity)).toEqual([12]);
  });
});

describe.each(engines)('order history before any warehouse on $name', (engine) => {
  it('is refused, naming what to import first, and writes nothing', async () => {
    const t = await openTestContext(engine);
    const dir = mkdtempSync(join(tmpdir(), 'raincheck-history-'));
    try {
      const path = join(dir, 'orders.csv');
      writeFileSync(path, 'reference,sku_id,customer_id,quantity,placed_at\nA1,22423,C1,2,2010-12-01 10:00\n');
      const r = await importFile(t.ctx, importKinds.orders, path);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.message).toBe('line 2: there are no warehouses yet: import warehouses first, so each order is counted at its home warehouse; nothing was imported');
      expect(await t.ctx.store.db.selectFrom('sku').select('id').execute()).toEqual([]);
      expect(await t.ctx.store.db.selectFrom('sales_order').select('id').execute()).toEqual([]);
    } finally {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
