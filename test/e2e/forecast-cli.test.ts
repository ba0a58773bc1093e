/** `raincheck forecast` and `raincheck plan` run as a user runs them, on CSV files this test writes. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { splitCsvLine } from '../../src/demand-files/csv.js';
import { cli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'raincheck-forecast-cli-'));
const path = (name: string) => join(dir, name);

/** A wide weekly file shaped like the MAN data: attributes under their own names, 40 weeks, some cells empty. */
function writeWide(name: string, seriesCount: number): string {
  const weeks = Array.from({ length: 40 }, (_, i) => `${2013 + Math.floor(i / 52)}-W${String((i % 52) + 1).padStart(2, '0')}`);
  const lines = [`sku,lead_time_weeks,cost_price_eur,fixed_order_cost_eur,holding_cost_eur_per_unit_year,min_order_qty,${weeks.join(',')}`];
  for (let s = 0; s < seriesCount; s++) {
    const qty = weeks.map((_, t) => (t < s % 5 ? '' : String((s * 13 + t * 7) % 10 < 6 ? 0 : (s + t) % 12)));
    lines.push(`P${s},${1 + (s % 6)},${(2 + (s % 7)).toFixed(2)},${5 + (s % 3)},${(0.5 + (s % 4) / 4).toFixed(2)},${s % 4 === 0 ? 25 : ''},${qty.join(',')}`);
  }
  writeFileSync(path(name), `${lines.join('\n')}\n`);
  return path(name);
}

const map = 'lead_time=lead_time_weeks,unit_cost=cost_price_eur,order_cost=fixed_order_cost_eur,holding_cost=holding_cost_eur_per_unit_year';
const header = (file: string) => readFileSync(file, 'utf8').split('\n')[0]!.split(',');
const body = (file: string) => readFileSync(file, 'utf8').trim().split('\n').slice(1);

describe('raincheck plan and forecast on a CSV', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('plan writes a policy per series, the same bytes on worker threads as on the main thread', async () => {
    const input = writeWide('wide.csv', 60);
    const args = ['plan', '--input', input, '--map', map, '--service', '0.95', '--policy', 'sS', '--review', '1'];
    const [single, pooled] = await Promise.all([
      cli(...args, '--threads', '0', '--out', path('plan-1.csv'), '--json'),
      cli(...args, '--threads', '2', '--out', path('plan-2.csv')),
    ]);
    expect(single.status, single.stderr).toBe(0);
    expect(pooled.status, pooled.stderr).toBe(0);
    expect(header(path('plan-1.csv'))).toEqual([
      'series_id', 'policy', 'method', 'family', 'demand_mean', 'demand_sd', 'lead_time', 'review', 'reorder_point', 'order_quantity',
      'order_up_to', 'safety_stock', 'expected_fill_rate', 'cycle_service_level', 'average_on_hand', 'orders_per_year',
      'holding_cost_per_year', 'ordering_cost_per_year', 'cost_per_year',
    ]);
    const rows = body(path('plan-1.csv')).map(splitCsvLine);
    expect(rows).toHaveLength(60);
    // P3: lead time 4 weeks from lead_time_weeks, (s, S) reviewed weekly, demand from a forecast method.
    expect(rows[3]!.slice(0, 2).concat(rows[3]!.slice(6, 8))).toEqual(['P3', 'sS', '4', '1']);
    expect(rows[3]![2]).not.toBe('history');
    expect(rows.every((r) => r[9] === '' && Number(r[10]) >= Number(r[8]))).toBe(true);
    expect(JSON.parse(single.stdout)).toMatchObject({ format: 'wide', periodKind: 'week', periods: 40, series: 60, threads: 0, failures: 0 });
    expect(pooled.stdout).toContain('on 2 thread(s)');
    expect(readFileSync(path('plan-2.csv'), 'utf8')).toBe(readFileSync(path('plan-1.csv'), 'utf8'));
  }, 60_000);

  it('forecast writes steps, periods, quantiles and the method per series, the same bytes on worker threads', async () => {
    const input = writeWide('wide-fc.csv', 40);
    const args = ['forecast', '--input', input, '--horizon', '3', '--train', '38', '--quantiles', '0.5,0.9'];
    const [single, pooled] = await Promise.all([
      cli(...args, '--threads', '0', '--out', path('fc-1.csv')),
      cli(...args, '--threads', '2', '--out', path('fc-2.csv')),
    ]);
    expect(single.status, single.stderr).toBe(0);
    expect(pooled.status, pooled.stderr).toBe(0);
    expect(header(path('fc-1.csv'))).toEqual(['series_id', 'step', 'period', 'mean', 'point', 'q0.5', 'q0.9', 'method', 'demand_class', 'actual']);
    const rows = body(path('fc-1.csv')).map(splitCsvLine);
    expect(rows).toHaveLength(40 * 3);
    // Fitted on weeks 1..38 (2013-W01..W38): steps 1-2 have actuals, step 3 is past the data.
    expect(rows.slice(0, 3).map((r) => [r[0], r[1], r[2]])).toEqual([['P0', '1', '2013-W39'], ['P0', '2', '2013-W40'], ['P0', '3', '2013-W41']]);
    expect(rows[0]!.at(-1)).not.toBe('');
    expect(rows[2]!.at(-1)).toBe('');
    expect(rows.every((r) => Number(r[6]) >= Number(r[5]) && r[7] !== '')).toBe(true);
    expect(readFileSync(path('fc-2.csv'), 'utf8')).toBe(readFileSync(path('fc-1.csv'), 'utf8'));
  }, 60_000);

  it('forecast --calibrate learns P(demand) from the file: other quantiles for slow movers, same means, same bytes on workers', async () => {
    const input = writeWide('wide-cal.csv', 60);
    const args = ['forecast', '--input', input, '--horizon', '2', '--train', '36', '--quantiles', '0.5,0.9,0.99'];
    const [plain, single, pooled, named] = await Promise.all([
      cli(...args, '--out', path('cal-0.csv')),
      cli(...args, '--calibrate', '--threads', '0', '--out', path('cal-1.csv')),
      cli(...args, '--calibrate', '--threads', '2', '--out', path('cal-2.csv')),
      cli(...args, '--calibrate', '--method', 'ses', '--out', path('cal-3.csv')),
    ]);
    for (const run of [plain, single, pooled]) expect(run.status, run.stderr).toBe(0);
    const before = body(path('cal-0.csv')).map(splitCsvLine);
    const after = body(path('cal-1.csv')).map(splitCsvLine);
    expect(after.map((r) => r[3])).toEqual(before.map((r) => r[3])); // the means do not move
    const changed = after.filter((r, i) => r.slice(5, 8).join() !== before[i]!.slice(5, 8).join());
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.every((r) => r[9] === 'intermittent' || r[9] === 'lumpy')).toBe(true);
    expect(readFileSync(path('cal-2.csv'), 'utf8')).toBe(readFileSync(path('cal-1.csv'), 'utf8'));
    expect(named.status).toBe(64);
    expect(named.stderr).toMatch(/--calibrate works with --method auto/);
    expect(existsSync(path('cal-3.csv'))).toBe(false);
  }, 60_000);

  it('plan reads order lines and writes CSV to stdout without --out', async () => {
    const orders = [
      'invoice,stock_code,description,quantity,invoice_date,unit_price,customer_id,country',
      '1,A,"Mug, red",2,2021-01-04 09:00:00,1.5,7,UK',
      '2,A,"Mug, red",4,2021-01-19 09:00:00,1.5,7,UK',
      'C3,A,"Mug, red",-1,2021-01-20 09:00:00,1.5,7,UK',
      '4,B,Plate,1,2021-02-01 09:00:00,2,7,UK',
    ];
    writeFileSync(path('orders.csv'), `${orders.join('\n')}\n`);
    const run = await cli('plan', '--input', path('orders.csv'), '--demand', 'history', '--service', '0.9', '--service-type', 'cycle', '--lead-time', '2');
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    // A: weeks W01..W05 = 2, 0, 4, 0, 0 (the cancellation is skipped): mean 1.2, variance 3.2 > mean.
    expect(lines[1]).toMatch(/^A,sQ,history,negative-binomial,1.2,1.788854,2,0,/);
    expect(run.stderr).toMatch(/2 series x 5 week periods \(orders\)/);
  }, 60_000);

  it('bad input: exit 65 with the line and column named, 66 for a missing file, no output file', async () => {
    writeFileSync(path('bad.csv'), 'series_id,period,quantity\nA,2020-01,1\nA,2020-02,2\nA,2020-02,3\n');
    writeFileSync(path('bad-cell.csv'), 'id,2020-01,2020-02\nA,1,2\nB,1,two\n');
    const [dup, cell, missing, unfit] = await Promise.all([
      cli('plan', '--input', path('bad.csv'), '--service', '0.95', '--out', path('never.csv')),
      cli('forecast', '--input', path('bad-cell.csv'), '--horizon', '2', '--out', path('never.csv')),
      cli('plan', '--input', path('nope.csv'), '--service', '0.95'),
      // Holt-Winters needs two seasons; a 2-period file has none: every series fails, so nothing is written.
      cli('forecast', '--input', path('bad-cell.csv'), '--format', 'wide', '--exclude', 'B', '--horizon', '2', '--method', 'hw_add', '--season-length', '4', '--out', path('never.csv')),
    ]);
    expect(dup.status).toBe(65);
    expect(dup.stderr).toContain("line 4: series 'A', period 2020-02 appears twice (first on line 3)");
    expect(cell.status).toBe(65);
    expect(cell.stderr).toContain("line 3, column '2020-02': quantity 'two' is not a number");
    expect(missing.status).toBe(66);
    expect(unfit.status).toBe(65);
    expect(unfit.stderr).toContain("no series could be computed; the first: series 'A'");
    expect(existsSync(path('never.csv'))).toBe(false);
  }, 60_000);
});
