/**
 * `raincheck export` on the demo store, on both engines: every kind as CSV and JSON, checked against the store
 * itself (every backorder and order line once; the ledger sums to the stock levels), and bad filters refused with
 * a message, an exit code, and no file left behind.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, type TestDatabase } from '../support/engines.js';
import { createContext, type AppContext } from '../../src/main/context.js';
import { readCsvRecords } from '../../src/demand-files/csv.js';
import { listRecommendations } from '../../src/replenishment/service.js';

async function csvRows(path: string): Promise<Record<string, string>[]> {
  const rows: Record<string, string>[] = [];
  let header: string[] | null = null;
  for await (const r of readCsvRecords(path)) {
    if (header === null) header = r.fields;
    else rows.push(Object.fromEntries(header.map((h, i) => [h, r.fields[i] ?? ''])));
  }
  return rows;
}

describe.each(engines)('raincheck export on $name', (engine) => {
  let db: TestDatabase;
  let ctx: AppContext;
  const dir = mkdtempSync(join(tmpdir(), 'raincheck-export-'));
  const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/raincheck.js', '--database', db.url, ...args], { encoding: 'utf8' });
  const file = (name: string) => join(dir, `${engine.name}-${name}`);

  beforeAll(async () => {
    db = await engine.create();
    const seeded = cli('seed', '--demo');
    if (seeded.status !== 0) throw new Error(seeded.stderr);
    ctx = await createContext({ databaseUrl: db.url, log: pino({ level: 'silent' }) });
  }, 120_000);
  afterAll(async () => {
    await ctx?.store.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes every backorder once, as CSV and as JSON, filtered by status', async () => {
    const all = await ctx.store.db.selectFrom('backorder').select(['id', 'status']).execute();
    expect(all.length).toBeGreaterThan(5);
    const csv = cli('export', 'backorders', '--out', file('backorders.csv'));
    expect(csv.status, csv.stderr).toBe(0);
    expect(csv.stderr).toContain(`${all.length} records written`);
    const rows = await csvRows(file('backorders.csv'));
    expect(rows.map((r) => r.id).sort()).toEqual(all.map((b) => b.id).sort());
    expect(Object.keys(rows[0]!)).toEqual(expect.arrayContaining(['order_id', 'sku_id', 'warehouse_id', 'waiting', 'promised_date', 'cause']));
    const open = cli('export', 'backorders', '--status', 'open,partially_allocated', '--format', 'json');
    const parsed = JSON.parse(open.stdout) as { id: string; status: string; promisedDate: string | null }[];
    expect(parsed.map((b) => b.id).sort()).toEqual(all.filter((b) => ['open', 'partially_allocated'].includes(b.status)).map((b) => b.id).sort());
    expect(parsed.every((b) => b.promisedDate !== undefined)).toBe(true);
  });

  it('writes one record per order line, and a ledger that sums to the stock levels', async () => {
    const lines = await ctx.store.db.selectFrom('order_line').select('id').execute();
    expect(cli('export', 'orders', '--out', file('orders.csv')).status).toBe(0);
    const orderRows = await csvRows(file('orders.csv'));
    expect(orderRows.map((r) => r.line_id).sort()).toEqual(lines.map((l) => l.id).sort());

    expect(cli('export', 'ledger', '--out', file('ledger.csv')).status).toBe(0);
    const sums = new Map<string, number>();
    for (const m of await csvRows(file('ledger.csv'))) sums.set(`${m.sku_id}@${m.warehouse_id}`, (sums.get(`${m.sku_id}@${m.warehouse_id}`) ?? 0) + Number(m.quantity));
    const levels = await ctx.store.db.selectFrom('stock_level').select(['sku_id', 'warehouse_id', 'on_hand']).execute();
    expect(levels.length).toBeGreaterThan(10);
    for (const l of levels) expect(sums.get(`${l.sku_id}@${l.warehouse_id}`) ?? 0, `${l.sku_id}@${l.warehouse_id}`).toBe(Number(l.on_hand));
  });

  it('writes KPIs and recommendations', async () => {
    const day = new Date().toISOString().slice(0, 10);
    const kpis = cli('export', 'kpis', '--from', '2020-01-01', '--to', day, '--period', 'total', '--format', 'csv');
    expect(kpis.status, kpis.stderr).toBe(0);
    const [header, first] = kpis.stdout.trim().split('\n');
    expect(header!.split(',')).toEqual(expect.arrayContaining(['period', 'backorder_rate_lines', 'fill_rate_units', 'promise_accuracy']));
    expect(first).toBeDefined();
    const recs = cli('export', 'recommendations', '--format', 'json');
    expect(recs.status, recs.stderr).toBe(0);
    const list = JSON.parse(recs.stdout) as { skuId: string; warehouseId: string; quantity: number }[];
    const expected = await listRecommendations(ctx, { due: 'all', limit: 100_000 });
    if (!expected.ok) throw new Error(expected.error.message);
    expect(list.map((r) => `${r.skuId}@${r.warehouseId}:${r.quantity}`)).toEqual(expected.value.items.map((r) => `${r.skuId}@${r.warehouseId}:${r.quantity}`));
  });

  it('refuses a bad filter with a message and writes no file', () => {
    const bad = cli('export', 'backorders', '--status', 'lost', '--out', file('bad.csv'));
    expect(bad.status).toBe(65);
    expect(bad.stderr).toContain("--status 'lost' is not one of open, partially_allocated, allocated, fulfilled, cancelled");
    expect(existsSync(file('bad.csv'))).toBe(false);
    const noDates = cli('export', 'kpis', '--out', file('kpis.csv'));
    expect(noDates.status).toBe(65);
    expect(noDates.stderr).toContain('--from and --to');
    expect(existsSync(file('kpis.csv'))).toBe(false);
    const unknown = cli('export', 'everything');
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toContain('<kind> must be one of backorders, orders, kpis, recommendations, ledger');
    expect(readFileSync(file('orders.csv'), 'utf8').length).toBeGreaterThan(0);
  });
});
