/**
 * Importing catalogue CSV files, on both engines: a good file in another layout through a column mapping; each kind
 * of bad row named by line, column and reason, with nothing written; importing the same file again changes
 * nothing; a changed row updates only that row; a stock snapshot goes through the ledger and never takes promised units.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../support/engines.js';
import { must, openTestContext, type TestContext } from '../support/context.js';
import { placeOrder } from '../../src/orders/service.js';
import { findViolations } from '../../src/audit/invariants.js';
import { importKinds } from '../../src/imports/kinds.js';
import { importFile, type RowProblem } from '../../src/imports/run.js';

describe.each(engines)('import on $name', (engine) => {
  let t: TestContext;
  const dir = mkdtempSync(join(tmpdir(), 'raincheck-import-'));
  const file = (name: string, text: string) => {
    const path = join(dir, `${engine.name}-${name}`);
    writeFileSync(path, text);
    return path;
  };
  const count = async (table: 'sku' | 'warehouse' | 'customer' | 'supplier') => (await t.ctx.store.db.selectFrom(table).select('id').execute()).length;
  beforeAll(async () => {
    t = await openTestContext(engine);
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports a file in its own layout through a mapping, and again changes nothing', async () => {
    const warehouses = file('wh.csv', 'id,name,regions,priority\nUK,Manchester,GB|IE,1\nEU,Rotterdam,NL;DE,2\n');
    expect(await importFile(t.ctx, importKinds.warehouses, warehouses)).toMatchObject({ ok: true, value: { lines: 2, created: 2 } });
    // The Online Retail layout: stock_code, description, unit price in pounds... mapped, extra columns ignored.
    const skus = file('skus.csv', 'stock_code,description,price_pence,policy,country\n85123A,"WHITE HANGING HEART, T-LIGHT",255,allow,UK\n22423,REGENCY CAKESTAND,1275,deny,UK\n');
    const map = { id: 'stock_code', name: 'description', unitCostMinor: 'price_pence', backorderPolicy: 'policy' };
    const first = await importFile(t.ctx, importKinds.skus, skus, { map });
    expect(first).toEqual({ ok: true, value: { lines: 2, created: 2, updated: 0, unchanged: 0, ignoredColumns: ['country'] } });
    const stamp = await t.ctx.store.db.selectFrom('sku').select(['id', 'name', 'updated_at']).orderBy('id').execute();
    expect(stamp.map((s) => s.name)).toEqual(['REGENCY CAKESTAND', 'WHITE HANGING HEART, T-LIGHT']);
    t.clock.advance(60_000);
    expect(await importFile(t.ctx, importKinds.skus, skus, { map })).toMatchObject({ ok: true, value: { created: 0, updated: 0, unchanged: 2 } });
    expect(await t.ctx.store.db.selectFrom('sku').select(['id', 'name', 'updated_at']).orderBy('id').execute()).toEqual(stamp);
    const changed = file('skus2.csv', 'stock_code,description,price_pence,policy\n85123A,"WHITE HANGING HEART, T-LIGHT",260,allow\n22423,REGENCY CAKESTAND,1275,deny\n');
    expect(await importFile(t.ctx, importKinds.skus, changed, { map })).toMatchObject({ ok: true, value: { created: 0, updated: 1, unchanged: 1 } });
    const price = await t.ctx.store.db.selectFrom('sku').select('unit_cost_minor').where('id', '=', '85123A').executeTakeFirstOrThrow();
    expect(Number(price.unit_cost_minor)).toBe(260);
  });

  it('names every bad row by line, column and reason, and writes nothing', async () => {
    const before = await count('customer');
    const bad = file(
      'customers.csv',
      [
        'id,name,email,region,tier,accepts_partial',
        'C1,Ann,ann@example.com,GB,1,yes',
        'C2,Bob,not-an-email,GB,2,no', // bad email
        'C3,Cy,cy@example.com,GB,12,yes', // tier out of range
        'C4,Di,di@example.com,GB,two,yes', // not a number
        'C5,,ed@example.com,GB,1,maybe', // not a boolean (checked before the schema)
        'C1,Ann again,ann2@example.com,GB,1,yes', // duplicate id
        ',Nobody,no@example.com,GB,1,yes', // no id
      ].join('\n'),
    );
    const result = await importFile(t.ctx, importKinds.customers, bad);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toMatch(/^6 of 7 rows are bad; nothing was imported\. First: line 3, column 'email'/);
    const problems = result.error.details!.problems as RowProblem[];
    expect(problems.map((p) => [p.line, p.column])).toEqual([
      [3, 'email'],
      [4, 'tier'],
      [5, 'tier'],
      [6, 'accepts_partial'],
      [7, 'id'],
      [8, 'id'],
    ]);
    expect(problems[4]!.message).toBe("id 'C1' appears earlier in the file");
    expect(problems[5]!.message).toBe('id is required');
    expect(await count('customer')).toBe(before);
  });

  it('refuses a mapping or a header it cannot use, and an empty file', async () => {
    const path = file('sup.csv', 'code,label,lead\nS1,Acme,30\n');
    const noId = await importFile(t.ctx, importKinds.suppliers, path);
    expect(noId).toMatchObject({ ok: false, error: { message: expect.stringContaining("no column for 'id' (header: code, label, lead)") } });
    const wrongColumn = await importFile(t.ctx, importKinds.suppliers, path, { map: { id: 'code', name: 'title' } });
    expect(wrongColumn).toMatchObject({ ok: false, error: { message: expect.stringContaining("column 'title' (mapped to name) is not in the header") } });
    const wrongField = await importFile(t.ctx, importKinds.suppliers, path, { map: { ident: 'code' } });
    expect(wrongField).toMatchObject({ ok: false, error: { message: expect.stringContaining("--map names no field 'ident'") } });
    expect(await importFile(t.ctx, importKinds.suppliers, file('empty.csv', ''))).toMatchObject({ ok: false, error: { field: 'file' } });
    const ok = await importFile(t.ctx, importKinds.suppliers, path, { map: { id: 'code', name: 'label', defaultLeadTimeDays: 'lead' }, dryRun: true });
    expect(ok).toMatchObject({ ok: true, value: { lines: 1, created: 0 } });
    expect(await count('supplier')).toBe(0); // a dry run writes nothing
  });

  it('sets stock to a counted snapshot through the ledger: found units fill backorders, promised units are protected', async () => {
    expect(await importFile(t.ctx, importKinds.customers, file('cust-ok.csv', 'id,name,email,region\nBUYER,Buyer,buyer@example.com,GB\n'))).toMatchObject({ ok: true });
    const order = must(await placeOrder(t.ctx, { customerId: 'BUYER', lines: [{ skuId: '85123A', quantity: 3 }] }));
    expect(order.intake[0]!.backordered?.quantity).toBe(3);
    const level = async (sku: string, wh: string) => {
      const l = await t.ctx.store.db.selectFrom('stock_level').select(['on_hand', 'allocated']).where('sku_id', '=', sku).where('warehouse_id', '=', wh).executeTakeFirst();
      return l ? [Number(l.on_hand), Number(l.allocated)] : [0, 0];
    };
    const movements = async () => (await t.ctx.store.db.selectFrom('movement').select('id').execute()).length;

    const snapshot = file('stock.csv', 'sku_id,warehouse_id,on_hand\n85123A,UK,10\n22423,EU,4\n');
    expect(await importFile(t.ctx, importKinds.stock, snapshot)).toMatchObject({ ok: true, value: { created: 2, updated: 0, unchanged: 0 } });
    expect(await level('85123A', 'UK')).toEqual([10, 3]); // the waiting order got its 3
    expect(await level('22423', 'EU')).toEqual([4, 0]);
    const moved = await movements();
    expect(await importFile(t.ctx, importKinds.stock, snapshot)).toMatchObject({ ok: true, value: { created: 0, updated: 0, unchanged: 2 } });
    expect(await movements()).toBe(moved);

    // A count below what is promised is refused, and the whole file with it (the EU row is not applied either).
    const tooLow = await importFile(t.ctx, importKinds.stock, file('stock-low.csv', 'sku_id,warehouse_id,on_hand\n22423,EU,9\n85123A,UK,2\n'));
    expect(tooLow).toMatchObject({ ok: false, error: { message: "line 3, column 'on_hand': the count 2 is below the 3 units allocated to orders at UK; cancel or re-backorder those first; nothing was imported" } });
    expect(await level('22423', 'EU')).toEqual([4, 0]);
    const unknown = await importFile(t.ctx, importKinds.stock, file('stock-unknown.csv', 'sku_id,warehouse_id,on_hand\nNOPE,UK,1\n'));
    expect(unknown).toMatchObject({ ok: false, error: { field: 'sku_id' } });
    const twice = await importFile(t.ctx, importKinds.stock, file('stock-twice.csv', 'sku_id,warehouse_id,on_hand\n22423,EU,1\n22423,EU,2\n'));
    expect(twice).toMatchObject({ ok: false, error: { message: expect.stringContaining("SKU '22423' at 'EU' appears earlier in the file") } });

    expect(await importFile(t.ctx, importKinds.stock, file('stock-down.csv', 'sku_id,warehouse_id,on_hand\n85123A,UK,5\n'))).toMatchObject({ ok: true, value: { updated: 1 } });
    expect(await level('85123A', 'UK')).toEqual([5, 3]);
    expect(await findViolations(t.ctx.store.db)).toEqual([]);
  });

  it('adds, replaces or leaves supplier items, and refuses an unknown supplier', async () => {
    expect(await importFile(t.ctx, importKinds.suppliers, file('sup-ok.csv', 'id,name,default_lead_time_days\nS1,Acme,30\n'))).toMatchObject({ ok: true });
    const items = file('items.csv', 'supplier_id,sku_id,lead_time_days,pack_size,min_order_qty,unit_cost_minor\nS1,85123A,14,12,24,150\nS1,22423,,1,1,900\n');
    expect(await importFile(t.ctx, importKinds['supplier-items'], items)).toMatchObject({ ok: true, value: { created: 2 } });
    expect(await importFile(t.ctx, importKinds['supplier-items'], items)).toMatchObject({ ok: true, value: { created: 0, updated: 0, unchanged: 2 } });
    const changed = file('items2.csv', 'supplier_id,sku_id,lead_time_days,pack_size,min_order_qty,unit_cost_minor\nS1,85123A,21,12,24,150\n');
    expect(await importFile(t.ctx, importKinds['supplier-items'], changed)).toMatchObject({ ok: true, value: { updated: 1 } });
    const row = await t.ctx.store.db.selectFrom('supplier_item').selectAll().where('sku_id', '=', '85123A').executeTakeFirstOrThrow();
    expect([row.lead_time_days, row.pack_size, row.min_order_qty].map(Number)).toEqual([21, 12, 24]);
    const nobody = await importFile(t.ctx, importKinds['supplier-items'], file('items3.csv', 'supplier_id,sku_id,unit_cost_minor\nS9,85123A,1\n'));
    expect(nobody).toMatchObject({ ok: false, error: { field: 'supplier_id', message: expect.stringContaining('line 2') } });
    const packless = await importFile(t.ctx, importKinds['supplier-items'], file('items4.csv', 'supplier_id,sku_id,pack_size,unit_cost_minor\nS1,22423,0,1\n'));
    expect(packless).toMatchObject({ ok: false, error: { field: 'pack_size' } });
  });

  it('makes one placed purchase order per reference, dates the waiting backorders, and skips it the second time', async () => {
    const bo = must(await placeOrder(t.ctx, { customerId: 'BUYER', lines: [{ skuId: '85123A', quantity: 6 }] })).intake[0]!.backordered!;
    expect(bo.quantity).toBe(4); // 2 of the 5 on hand were free
    const before = await t.ctx.store.db.selectFrom('backorder').select(['promise_confirmed']).where('id', '=', bo.backorderId).executeTakeFirstOrThrow();
    expect(Number(before.promise_confirmed)).toBe(0);
    const pos = file(
      'pos.csv',
      'po_number,vendor,sku_id,warehouse_id,quantity,eta\nPO-1,S1,22423,EU,10,2026-02-01\nPO-1,S1,85123A,UK,5,2026-02-03\nPO-2,S1,22423,EU,4,2026-03-01\n',
    );
    const map = { reference: 'po_number', supplierId: 'vendor', expectedDate: 'eta' };
    expect(await importFile(t.ctx, importKinds['purchase-orders'], pos, { map })).toMatchObject({ ok: true, value: { created: 3 } });
    const orders = await t.ctx.store.db.selectFrom('purchase_order').select(['id', 'reference', 'status']).orderBy('reference').execute();
    expect(orders.map((o) => [o.reference, o.status])).toEqual([['PO-1', 'placed'], ['PO-2', 'placed']]);
    const lines = await t.ctx.store.db.selectFrom('po_line').select(['po_id', 'line_no', 'sku_id']).where('po_id', '=', orders[0]!.id).orderBy('line_no').execute();
    expect(lines.map((l) => [l.line_no, l.sku_id])).toEqual([[1, '22423'], [2, '85123A']]);
    const dated = await t.ctx.store.db.selectFrom('backorder').select(['promised_date', 'promise_confirmed']).where('id', '=', bo.backorderId).executeTakeFirstOrThrow();
    expect([dated.promised_date, Number(dated.promise_confirmed)]).toEqual(['2026-02-03', 1]);
    expect(await importFile(t.ctx, importKinds['purchase-orders'], pos, { map })).toMatchObject({ ok: true, value: { created: 0, unchanged: 3 } });
    expect((await t.ctx.store.db.selectFrom('po_line').select('id').execute()).length).toBe(3);
    const mixed = await importFile(t.ctx, importKinds['purchase-orders'], file('pos-bad.csv', 'reference,supplier_id,sku_id,warehouse_id,quantity,expected_date\nPO-9,S1,22423,EU,1,2026-04-01\nPO-9,S2,85123A,UK,1,2026-04-01\n'));
    expect(mixed).toMatchObject({ ok: false, error: { field: 'supplier_id', message: expect.stringContaining('line 3') } });
    expect(await t.ctx.store.db.selectFrom('purchase_order').select('id').where('reference', '=', 'PO-9').execute()).toEqual([]);
    const badDay = await importFile(t.ctx, importKinds['purchase-orders'], file('pos-day.csv', 'reference,supplier_id,sku_id,warehouse_id,quantity,expected_date\nPO-8,S1,22423,EU,1,2026-02-30\n'));
    expect(badDay).toMatchObject({ ok: false, error: { field: 'expected_date' } });
  });

  it('checks a changed row with what is stored, as a PATCH is checked', async () => {
    const capped = file('capped.csv', 'id,name,unit_cost_minor,backorder_policy,backorder_cap\nCAP-1,Capped,100,allow,300\n');
    expect(await importFile(t.ctx, importKinds.skus, capped)).toMatchObject({ ok: true, value: { created: 1 } });
    // The file says deny but has no cap column: the stored cap of 300 would stay, which only 'allow' may have.
    const denied = await importFile(t.ctx, importKinds.skus, file('denied.csv', 'id,name,unit_cost_minor,backorder_policy\nCAP-1,Capped,100,deny\n'));
    // The file has no such column, so the problem names the field.
    expect(denied).toMatchObject({ ok: false, error: { field: 'backorderCap', message: "line 2, column 'backorderCap': backorderCap applies only to the 'allow' policy, not 'deny' (with what 'CAP-1' has stored); nothing was imported" } });
    const row = await t.ctx.store.db.selectFrom('sku').select(['backorder_policy', 'backorder_cap']).where('id', '=', 'CAP-1').executeTakeFirstOrThrow();
    expect([row.backorder_policy, Number(row.backorder_cap)]).toEqual(['allow', 300]);
  });
});
