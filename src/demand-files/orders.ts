/**
 * Order lines (one row per invoice line, e.g. the UCI Online Retail file) summed per series and period.
 *
 * Rules, in order:
 * - Invoice numbers starting with "C" are cancellations (UCI convention): skipped by default, because a cancellation
 *   usually lands in a later period than the order it cancels, often one before the file starts; with
 *   `cancellations: 'subtract'` their quantity is taken off their own period, and a period's total is floored at 0.
 * - Invoice numbers starting with "A" are bad-debt adjustments, not sales: skipped.
 * - Other lines with a quantity <= 0 are stock corrections, not demand: skipped.
 * - Dates are `YYYY-MM-DD`, optionally followed by a time (` 07:45:00` or `T07:45:00Z`), taken as written (no
 *   time-zone shift). Weeks are ISO weeks (Monday first), labelled YYYY-Www.
 * - The calendar runs from the period of the file's first line to that of its last. A series is 0 in every period
 *   from its first order to the end of the file without an order, and NaN (not observed: it may not have been
 *   sold yet) before its first order. Note the file's first and last periods may be partial.
 * Memory grows with series x periods, not with lines.
 */
import { BadInput, parseNumber, type CsvRecord } from './csv.js';
import { dayNumber, periodOfDay, type Grain } from './periods.js';
import { columnOf } from './wide.js';
import type { DemandSeries, DemandSet, ReadOptions } from './types.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$/;

interface Columns {
  series: number;
  date: number;
  quantity: number;
  invoice: number | null;
}

/** Reads the order lines after `header` and sums them per series and period. Throws BadInput for a bad line. */
export async function readOrders(header: CsvRecord, rows: AsyncIterable<CsvRecord>, opts: ReadOptions): Promise<DemandSet> {
  const names = header.fields.map((f) => f.trim());
  const col = orderColumns(names, opts);
  const grain = opts.grain ?? 'week';
  const subtract = opts.cancellations === 'subtract';
  const totals = new Map<string, Map<number, number>>();
  const periodOf = periodReader(grain);
  let lo = Infinity;
  let hi = -Infinity;
  let linesRead = 0;
  let linesSkipped = 0;
  for await (const row of rows) {
    linesRead++;
    if (row.fields.length !== names.length) throw new BadInput(row.line, null, `has ${row.fields.length} fields, the header has ${names.length}`);
    const period = periodOf(row.fields[col.date]!, row.line, names[col.date]!);
    lo = Math.min(lo, period);
    hi = Math.max(hi, period);
    const quantity = signedQuantity(row, col, names, subtract, opts.exclude);
    if (quantity === null) {
      linesSkipped++;
      continue;
    }
    const id = row.fields[col.series]!.trim();
    let byPeriod = totals.get(id);
    if (byPeriod === undefined) totals.set(id, (byPeriod = new Map()));
    byPeriod.set(period, (byPeriod.get(period) ?? 0) + quantity);
  }
  if (linesRead === 0) throw new BadInput(1, null, 'no order lines');
  const periodCount = hi - lo + 1;
  const series: DemandSeries[] = [];
  for (const [id, byPeriod] of totals) series.push({ id, values: seriesValues(byPeriod, lo, periodCount), attributes: {} });
  const used = Object.values(col);
  const ignoredColumns = names.filter((_, i) => !used.includes(i));
  return { format: 'orders', periodKind: grain, firstOrdinal: lo, periodCount, series, ignoredColumns, linesRead, linesSkipped };
}

/** Where the series, date, quantity and invoice are: the flags' columns, or the usual names. */
function orderColumns(names: readonly string[], opts: ReadOptions): Columns {
  const pick = (what: string, given: string | undefined, usual: string[]) => {
    const name = given ?? usual.find((n) => names.includes(n));
    if (name === undefined) throw new BadInput(1, null, `no ${what} column: name it with --${what}-column (looked for ${usual.join(', ')})`);
    return columnOf(names, name, `--${what}-column`);
  };
  return {
    series: pick('series', opts.seriesColumn, ['stock_code', 'sku', 'series_id', 'item', 'product']),
    date: pick('date', opts.dateColumn, ['invoice_date', 'order_date', 'date']),
    quantity: pick('quantity', opts.quantityColumn, ['quantity', 'qty']),
    invoice: opts.invoiceColumn !== undefined ? columnOf(names, opts.invoiceColumn, '--invoice-column') : names.includes('invoice') ? names.indexOf('invoice') : null,
  };
}

/** The line's contribution to demand, or null when the rules leave it out. */
function signedQuantity(row: CsvRecord, col: Columns, names: readonly string[], subtract: boolean, exclude?: ReadonlySet<string>): number | null {
  const id = row.fields[col.series]!.trim();
  if (id === '') throw new BadInput(row.line, names[col.series]!, 'the series id is empty');
  const cell = row.fields[col.quantity]!;
  const q = parseNumber(cell);
  if (q === null) throw new BadInput(row.line, names[col.quantity]!, `quantity '${cell}' is not a number`);
  if (exclude?.has(id)) return null;
  const invoice = col.invoice === null ? '' : row.fields[col.invoice]!.trim();
  if (invoice.startsWith('C')) return subtract ? -Math.abs(q) : null;
  if (invoice.startsWith('A') || q <= 0) return null;
  return q;
}

/** Date cell -> period ordinal; remembers the last date text, since order lines come in runs of one invoice. */
function periodReader(grain: Grain): (cell: string, line: number, column: string) => number {
  let lastText = '';
  let lastPeriod = 0;
  return (cell, line, column) => {
    const text = cell.trim();
    if (text === lastText) return lastPeriod;
    const m = DATE.exec(text);
    const day = m ? dayNumber(Number(m[1]), Number(m[2]), Number(m[3])) : null;
    if (day === null) throw new BadInput(line, column, `date '${cell}' is not YYYY-MM-DD (optionally followed by a time)`);
    lastText = text;
    lastPeriod = periodOfDay(grain, day);
    return lastPeriod;
  };
}

/** NaN before the first period with a line, totals (floored at 0) from there, 0 where no line fell. */
function seriesValues(byPeriod: Map<number, number>, firstOrdinal: number, periodCount: number): Float64Array {
  const values = new Float64Array(periodCount);
  let first = Infinity;
  for (const [period, total] of byPeriod) {
    values[period - firstOrdinal] = Math.max(0, total);
    first = Math.min(first, period);
  }
  values.fill(NaN, 0, first - firstOrdinal);
  return values;
}
