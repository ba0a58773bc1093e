import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { periodLabel } from './periods.js';
import { readDemandFile } from './read.js';
import type { DemandSet, ReadOptions } from './types.js';

const dir = mkdtempSync(join(tmpdir(), 'raincheck-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

function file(content: string | Buffer): string {
  const path = join(dir, `f${n++}.csv`);
  writeFileSync(path, content);
  return path;
}

async function read(content: string | Buffer, opts: ReadOptions = {}): Promise<DemandSet> {
  const r = await readDemandFile(file(content), opts);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

async function failure(content: string, opts: ReadOptions = {}) {
  const r = await readDemandFile(file(content), opts);
  if (r.ok) throw new Error('expected a failure');
  return r.error;
}

const values = (set: DemandSet, id: string) => Array.from(set.series.find((s) => s.id === id)!.values);
const labels = (set: DemandSet) => Array.from({ length: set.periodCount }, (_, i) => periodLabel(set.periodKind, set.firstOrdinal + i));

describe('wide files', () => {
  it('read periods by header, an empty cell as NaN, attributes by name or --map, other columns ignored', async () => {
    const set = await read('sku,lead_time_weeks,note,2020-W52,2020-W53,2021-W01,min_order_qty\nA,3,x,1,,0,10\nB,,y,0,2,5,\n', { map: { lead_time: 'lead_time_weeks' } });
    expect(set).toMatchObject({ format: 'wide', periodKind: 'week', periodCount: 3, ignoredColumns: ['note'], linesRead: 2 });
    expect(values(set, 'A')).toEqual([1, NaN, 0]);
    expect(values(set, 'B')).toEqual([0, 2, 5]);
    expect(set.series.map((s) => s.attributes)).toEqual([{ lead_time: 3, min_order_qty: 10 }, {}]);
  });

  it('place unsorted period columns on the calendar, a missing period as NaN', async () => {
    const set = await read('id,2020-03,2020-01\nA,3,1\n');
    expect(labels(set)).toEqual(['2020-01', '2020-02', '2020-03']);
    expect(values(set, 'A')).toEqual([1, NaN, 3]);
  });

  it('name the line and column of a non-numeric quantity, a duplicate series, a short row and a bad attribute', async () => {
    expect(await failure('id,1,2\nA,1,2\nB,1,two\n')).toMatchObject({ code: 'validation_failed', details: { line: 3, column: '2' } });
    expect((await failure('id,1,2\nA,1,2\nB,1,two\n')).message).toMatch(/line 3, column '2': quantity 'two' is not a number/);
    expect((await failure('id,1\nA,1\nB,2\nA,3\n')).message).toMatch(/line 4, column 'id': series 'A' appears twice \(first on line 2\)/);
    expect((await failure('id,1,2\nA,1\n')).message).toMatch(/line 2: has 2 fields, the header has 3/);
    expect((await failure('id,unit_cost,1\nA,cheap,1\n')).message).toMatch(/line 2, column 'unit_cost': unit_cost 'cheap' is not a number >= 0/);
  });

  it('reject a header naming no real period, mixed kinds, a repeated period and a --map column that is absent', async () => {
    expect((await failure('id,2020-01,2020-13\nA,1,2\n')).message).toMatch(/line 1, column '2020-13': looks like a period but names none/);
    expect((await failure('id,2020-01,2020-W02\nA,1,2\n')).message).toMatch(/line 1, column '2020-W02': a week period among month periods/);
    expect((await failure('id,2020-01, 2020-01\nA,1,2\n')).message).toMatch(/the same period as column '2020-01'/);
    expect((await failure('id,2020-01\nA,1\n', { format: 'wide', map: { lead_time: 'lt' } })).message).toMatch(/line 1, column 'lt': no such column/);
  });
});

describe('long files', () => {
  it('read rows in any order; a period without a row is NaN, or 0 with missing: zero; an empty quantity is NaN', async () => {
    const text = 'series_id,period,quantity\nB,2021-03-02,4\nA,2021-03-01,1\nA,2021-03-04,\nB,2021-03-03,0\n';
    const set = await read(text);
    expect(set).toMatchObject({ format: 'long', periodKind: 'day', periodCount: 4 });
    expect(set.series.map((s) => s.id)).toEqual(['B', 'A']);
    expect(values(set, 'A')).toEqual([1, NaN, NaN, NaN]);
    expect(values(set, 'B')).toEqual([NaN, 4, 0, NaN]);
    expect(values(await read(text, { missing: 'zero' }), 'B')).toEqual([0, 4, 0, 0]);
  });

  it('name the line of a duplicate (series, period), an unknown period format and a non-numeric quantity', async () => {
    const dup = await failure('series_id,period,quantity\nA,1,1\nB,1,1\nA,2,1\nA,1,5\n');
    expect(dup.message).toMatch(/line 5: series 'A', period 1 appears twice \(first on line 2\)/);
    expect((await failure('series_id,period,quantity\nA,2020-01,1\nA,Jan 2020,1\n')).message).toMatch(
      /line 3, column 'period': unknown period format 'Jan 2020'/,
    );
    expect((await failure('series_id,period,quantity\nA,2020-01,1\nA,2020-W02,1\n')).message).toMatch(/line 3, column 'period': a week period among month periods/);
    expect((await failure('series_id,period,quantity\nA,2020-01,1\nA,2020-02,n/a\n')).message).toMatch(/line 3, column 'quantity': quantity 'n\/a' is not a number/);
  });

  it('take other column names from flags', async () => {
    const set = await read('when,item,units\n1,X,2\n2,X,3\n', { format: 'long', seriesColumn: 'item', periodColumn: 'when', quantityColumn: 'units' });
    expect(values(set, 'X')).toEqual([2, 3]);
  });
});

const orders = [
  'invoice,stock_code,description,quantity,invoice_date,unit_price,customer_id,country',
  '1,A,"Mug, red",2,2021-01-04 09:00:00,1.5,7,UK', // Monday of 2021-W01
  '1,B,Plate,1,2021-01-04 09:00:00,2,7,UK',
  '2,A,"Mug, red",3,2021-01-10 23:59:00,1.5,8,FR', // Sunday: still W01
  'C3,A,"Mug, red",-4,2021-01-19 10:00:00,1.5,8,FR', // cancellation in W03
  '4,A,"Mug, red",-1,2021-01-20 10:00:00,1.5,,UK', // stock correction: skipped
  'A5,B,Adjust bad debt,1,2021-01-21 10:00:00,-50,,UK', // bad-debt adjustment: skipped
  '6,B,Plate,5,2021-01-26T08:00:00Z,2,9,UK', // W04
].join('\n');

describe('order lines', () => {
  it('sum per ISO week, 0 in weeks without orders, NaN before a series first sells, cancellations skipped', async () => {
    const set = await read(`${orders}\n`);
    expect(set).toMatchObject({ format: 'orders', periodKind: 'week', linesRead: 7, linesSkipped: 3 });
    expect(labels(set)).toEqual(['2021-W01', '2021-W02', '2021-W03', '2021-W04']);
    expect(values(set, 'A')).toEqual([5, 0, 0, 0]);
    expect(values(set, 'B')).toEqual([1, 0, 0, 5]);
    expect(set.ignoredColumns).toEqual(['description', 'unit_price', 'customer_id', 'country']);
  });

  it('subtract cancellations in their own period (floored at 0), sum per day or month, read gzip', async () => {
    expect(values(await read(orders, { cancellations: 'subtract' }), 'A')).toEqual([5, 0, 0, 0]);
    const later = `${orders}\n7,A,x,9,2021-01-18,1,1,UK`;
    expect(values(await read(later, { cancellations: 'subtract' }), 'A')).toEqual([5, 0, 5, 0]);
    const monthly = await read(gzipSync(`${orders}\n7,B,Plate,2,2021-03-01,2,9,UK\n`), { grain: 'month' });
    expect(labels(monthly)).toEqual(['2021-01', '2021-02', '2021-03']);
    expect(values(monthly, 'B')).toEqual([6, 0, 2]);
    const daily = await read(orders, { grain: 'day' });
    expect(daily.periodCount).toBe(23);
    expect(values(daily, 'B').slice(0, 3)).toEqual([1, 0, 0]);
    expect(values(await read(orders, { exclude: new Set(['B']) }), 'A')).toEqual([5, 0, 0, 0]);
  });

  it('name the line of a bad date, a non-numeric quantity, and a missing column', async () => {
    expect((await failure(`${orders}\n8,A,x,1,04/01/2021 10:00,1,1,UK\n`)).message).toMatch(/line 9, column 'invoice_date': date '04\/01\/2021 10:00' is not YYYY-MM-DD/);
    expect((await failure(`${orders}\n8,A,x,lots,2021-01-05,1,1,UK\n`)).message).toMatch(/line 9, column 'quantity': quantity 'lots' is not a number/);
    expect((await failure('order_date,sku,qty\n2021-01-01,A,1\n', { quantityColumn: 'units' })).message).toMatch(/line 1, column 'units': no such column/);
  });
});

describe('readDemandFile', () => {
  it('says which file is missing, and when a header fits no format', async () => {
    expect(await readDemandFile(join(dir, 'nope.csv'))).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect((await failure('a,b,c\n1,2,3\n')).message).toMatch(/line 1: cannot tell the format .* use --format/);
    expect((await failure('')).message).toMatch(/the file is empty/);
  });

  const carparts = '../shared/data/carparts/carparts.csv';
  it.skipIf(!existsSync(carparts))('reads a slice of the real carparts file: 51 months, series that stop early end in NaN', async () => {
    const slice = readFileSync(carparts, 'utf8').split('\n').slice(0, 40).join('\n');
    const set = await read(slice);
    expect(set).toMatchObject({ format: 'wide', periodKind: 'month', periodCount: 51, linesRead: 39 });
    expect(labels(set)[50]).toBe('2002-03');
    const stopsEarly = set.series.find((s) => Number.isNaN(s.values[50]))!;
    expect(Array.from(stopsEarly.values).some((v) => v >= 0)).toBe(true);
  });
});
