/**
 * Long demand files: one row per (series, period): `series_id,period,quantity` (other names via flags; extra
 * columns ignored). Rows may come in any order. A period with no row for a series is "not observed" (NaN) unless
 * `missing: 'zero'`; an empty quantity cell is NaN too. Each (series, period) may appear once.
 * Rows are kept in typed arrays (16 bytes each), not objects, so a million rows stay small.
 */
import { BadInput, parseNumber, type CsvRecord } from './csv.js';
import { parsePeriod, periodLabel, type PeriodKind } from './periods.js';
import { columnOf } from './wide.js';
import type { DemandSeries, DemandSet, ReadOptions } from './types.js';

/** Rows of one series: period ordinal, quantity, and the line each came from (for duplicate errors). */
class SeriesRows {
  ordinals = new Float64Array(8);
  quantities = new Float64Array(8);
  lines = new Float64Array(8);
  size = 0;
  constructor(readonly id: string) {}
  push(ordinal: number, quantity: number, line: number): void {
    if (this.size === this.ordinals.length) {
      this.ordinals = grow(this.ordinals);
      this.quantities = grow(this.quantities);
      this.lines = grow(this.lines);
    }
    this.ordinals[this.size] = ordinal;
    this.quantities[this.size] = quantity;
    this.lines[this.size] = line;
    this.size++;
  }
}

/** Reads the rows after `header` into a demand set. Throws BadInput naming the line and column at fault. */
export async function readLong(header: CsvRecord, rows: AsyncIterable<CsvRecord>, opts: ReadOptions): Promise<DemandSet> {
  const names = header.fields.map((f) => f.trim());
  const seriesName = opts.seriesColumn ?? (names.includes('series_id') ? 'series_id' : names[0]!);
  const periodName = opts.periodColumn ?? 'period';
  const quantityName = opts.quantityColumn ?? 'quantity';
  const col = {
    series: columnOf(names, seriesName, '--series-column'),
    period: columnOf(names, periodName, '--period-column'),
    quantity: columnOf(names, quantityName, '--quantity-column'),
  };
  const bySeries = new Map<string, SeriesRows>();
  let kind: PeriodKind | null = null;
  let linesRead = 0;
  let linesSkipped = 0;
  for await (const row of rows) {
    linesRead++;
    if (row.fields.length !== names.length) throw new BadInput(row.line, null, `has ${row.fields.length} fields, the header has ${names.length}`);
    const id = row.fields[col.series]!.trim();
    if (id === '') throw new BadInput(row.line, seriesName, 'the series id is empty');
    if (opts.exclude?.has(id)) {
      linesSkipped++;
      continue;
    }
    const label = row.fields[col.period]!.trim();
    const period = parsePeriod(label);
    if (period === null) throw new BadInput(row.line, periodName, `unknown period format '${label}' (expected YYYY-MM, YYYY-Www, YYYY-MM-DD or an integer)`);
    if (period === 'invalid') throw new BadInput(row.line, periodName, `'${label}' names no real period`);
    kind ??= period.kind;
    if (period.kind !== kind) throw new BadInput(row.line, periodName, `a ${period.kind} period among ${kind} periods`);
    const cell = row.fields[col.quantity]!;
    const q = cell.trim() === '' ? NaN : parseNumber(cell);
    if (q === null) throw new BadInput(row.line, quantityName, `quantity '${cell}' is not a number`);
    let rowsOf = bySeries.get(id);
    if (rowsOf === undefined) bySeries.set(id, (rowsOf = new SeriesRows(id)));
    rowsOf.push(period.ordinal, q, row.line);
  }
  if (kind === null) throw new BadInput(1, null, 'no data rows');
  return assemble([...bySeries.values()], kind, opts, { linesRead, linesSkipped, ignored: names.filter((_, i) => !Object.values(col).includes(i)) });
}

function assemble(
  all: SeriesRows[],
  kind: PeriodKind,
  opts: ReadOptions,
  facts: { linesRead: number; linesSkipped: number; ignored: string[] },
): DemandSet {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of all) {
    for (let i = 0; i < s.size; i++) {
      lo = Math.min(lo, s.ordinals[i]!);
      hi = Math.max(hi, s.ordinals[i]!);
    }
  }
  const periodCount = hi - lo + 1;
  const fill = opts.missing === 'zero' ? 0 : NaN;
  const series: DemandSeries[] = all.map((s) => ({ id: s.id, values: placeValues(s, kind, lo, periodCount, fill), attributes: {} }));
  return { format: 'long', periodKind: kind, firstOrdinal: lo, periodCount, series, ignoredColumns: facts.ignored, linesRead: facts.linesRead, linesSkipped: facts.linesSkipped };
}

/** The series on the calendar; a second row for the same period is an error naming both lines. */
function placeValues(s: SeriesRows, kind: PeriodKind, firstOrdinal: number, periodCount: number, fill: number): Float64Array {
  const values = new Float64Array(periodCount).fill(fill);
  const lineAt = new Float64Array(periodCount);
  for (let i = 0; i < s.size; i++) {
    const index = s.ordinals[i]! - firstOrdinal;
    if (lineAt[index] !== 0) {
      // Rows were pushed in file order, so the one already placed came first.
      const where = `series '${s.id}', period ${periodLabel(kind, s.ordinals[i]!)}`;
      throw new BadInput(s.lines[i]!, null, `${where} appears twice (first on line ${lineAt[index]})`);
    }
    lineAt[index] = s.lines[i]!;
    values[index] = s.quantities[i]!;
  }
  return values;
}

function grow(a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
}
