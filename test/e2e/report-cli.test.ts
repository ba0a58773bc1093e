/** `raincheck report` run as a user runs it, on a SQLite store this test fills through the services. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../support/engines.js';
import { cli } from '../support/cli.js';
import { customer, must, openTestContext, seedCatalog, sku, type TestContext } from '../support/context.js';
import { receiveStock } from '../../src/inventory/service.js';
import { placeOrder } from '../../src/orders/service.js';
import { splitCsvLine } from '../../src/demand-files/csv.js';

const sqlite = engines.find((e) => e.name === 'sqlite')!;

describe('raincheck report', () => {
  let t: TestContext;
  let url: string;

  beforeAll(async () => {
    t = await openTestContext(sqlite, '2026-01-05T09:00:00.000Z');
    url = t.db.url;
    await seedCatalog(t.ctx, { skus: [sku('MUG')], customers: [customer('A', 'GB'), customer('D', 'DE')] });
    must(await receiveStock(t.ctx, { skuId: 'MUG', warehouseId: 'UK', quantity: 5 }));
    t.clock.set('2026-01-05T10:00:00.000Z');
    must(await placeOrder(t.ctx, { customerId: 'A', lines: [{ skuId: 'MUG', quantity: 4 }] })); // filled at UK
    t.clock.set('2026-02-02T10:00:00.000Z');
    must(await placeOrder(t.ctx, { customerId: 'D', lines: [{ skuId: 'MUG', quantity: 3 }] })); // 1 from UK, 2 wait at EU
    await t.ctx.store.close();
  });
  afterAll(async () => t.db.drop());

  it('prints the same figures as a table, as CSV and as JSON', async () => {
    const args = ['--database', url, 'report', '--from', '2026-01-01', '--to', '2026-02-28', '--by', 'warehouse'];
    const [json, csv, table] = await Promise.all([cli(...args, '--format', 'json'), cli(...args, '--format', 'csv'), cli(...args)]);
    expect([json.status, csv.status, table.status, json.stderr]).toEqual([0, 0, 0, '']);
    const rep = JSON.parse(json.stdout) as { rows: { period: string; slice: string; intake: { units: number; backorderRate: { units: number | null } } }[] };
    expect(rep.rows.map((r) => [r.period, r.slice, r.intake.units, r.intake.backorderRate.units])).toEqual([
      ['2026-01', 'UK', 4, 0],
      ['2026-02', 'EU', 3, 2 / 3],
      ['2026-02', 'UK', 0, null],
    ]);
    const [header, ...lines] = csv.stdout.trim().split('\n').map(splitCsvLine);
    const col = (name: string) => header!.indexOf(name);
    const feb = lines.find((l) => l[col('period')] === '2026-02' && l[col('slice')] === 'EU')!;
    expect([feb[col('units')], Number(feb[col('backorder_rate_units')]), feb[col('open_backorders')]]).toEqual(['3', 2 / 3, '1']);
    // The table: one line per row, then the totals per warehouse.
    expect(table.stdout).toMatch(/2026-02\s+EU\s+1\s+3\s+100\.0%\s+66\.7%/);
    expect(table.stdout).toMatch(/total\s+EU/);
  });

  it('prints the Pareto of causes', async () => {
    const r = await cli('--database', url, 'report', '--from', '2026-01-01', '--to', '2026-02-28', '--causes', '--format', 'json');
    expect(r.status).toBe(0);
    // D's 2 units waited with nothing on order and no demand history: no replenishment planned.
    expect((JSON.parse(r.stdout) as { rows: unknown[] }).rows).toEqual([
      expect.objectContaining({ slice: '', cause: 'no_replenishment', count: 1, units: 2, cumulativeUnits: 1 }),
    ]);
  });

  it('refuses bad input with a message naming it', async () => {
    const bad = await cli('--database', url, 'report', '--from', '2026-02-30', '--to', '2026-03-01');
    expect([bad.status, bad.stderr.trim()]).toEqual([65, "from must be an ISO day (YYYY-MM-DD), got '2026-02-30'"]);
    const format = await cli('--database', url, 'report', '--from', '2026-01-01', '--to', '2026-03-01', '--format', 'xml');
    expect(format.status).not.toBe(0);
    expect(format.stderr).toContain('--format must be one of table, json, csv');
  });
});
