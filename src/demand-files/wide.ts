/**
 * Wide demand files: one row per series. The first column (or --series-column) is the series id; a column whose
 * header is a period label holds that period's quantity (an empty cell is "not observed", NaN, never zero);
 * columns named by an attribute (or mapped to one) hold per-series facts; any other column is ignored.
 * Period columns need not be contiguous or sorted: values land on the calendar by ordinal, gaps are NaN.
 */
import { BadInput, parseNumber, type CsvRecord } from './csv.js';
import { parsePeriod, type PeriodKind } from './periods.js';
import { attributeNames, type AttributeName, type Attributes, type DemandSeries, type DemandSet, type ReadOptions } from './types.js';

interface Layout {
  idColumn: number;
  kind: PeriodKind;
  firstOrdinal: number;
  periodCount: number;
  /** For each period column: its index in the row and its position on the calendar. */
  periods: { column: number; index: number }[];
  attributes: { column: number; name: AttributeName }[];
  ignored: string[];
}

/** Reads the rows after `header` into a demand set. Throws BadInput naming the line and column at fault. */
export async function readWide(header: CsvRecord, rows: AsyncIterable<CsvRecord>, opts: ReadOptions): Promise<DemandSet> {
  const names = header.fields.map((f) => f.trim());
  const layout = wideLayout(names, opts);
  const seen = new Map<string, number>();
  const series: DemandSeries[] = [];
  let linesRead = 0;
  let linesSkipped = 0;
  for await (const row of rows) {
    linesRead++;
    if (row.fields.length !== names.length) {
      throw new BadInput(row.line, null, `has ${row.fields.length} fields, the header has ${names.length}`);
    }
    const id = row.fields[layout.idColumn]!.trim();
    const idName = names[layout.idColumn]!;
    if (id === '') throw new BadInput(row.line, idName, 'the series id is empty');
    const first = seen.get(id);
    if (first !== undefined) throw new BadInput(row.line, idName, `series '${id}' appears twice (first on line ${first})`);
    seen.set(id, row.line);
    if (opts.exclude?.has(id)) {
      linesSkipped++;
      continue;
    }
    series.push({ id, values: rowValues(row, names, layout), attributes: rowAttributes(row, names, layout) });
  }
  const { kind: periodKind, firstOrdinal, periodCount } = layout;
  return { format: 'wide', periodKind, firstOrdinal, periodCount, series, ignoredColumns: layout.ignored, linesRead, linesSkipped };
}

/** Which column is what, from the header; throws for a header that cannot be read. */
export function wideLayout(names: readonly string[], opts: ReadOptions): Layout {
  const idColumn = opts.seriesColumn === undefined ? 0 : columnOf(names, opts.seriesColumn, '--series-column');
  const mapped = attributeColumns(names, opts);
  const found: { column: number; kind: PeriodKind; ordinal: number }[] = [];
  const ignored: string[] = [];
  names.forEach((name, column) => {
    if (column === idColumn || mapped.some((a) => a.column === column)) return;
    const period = parsePeriod(name);
    if (period === 'invalid') throw new BadInput(1, name, 'looks like a period but names none (month 01-12, ISO week 01-52/53, a real date)');
    if (period === null) ignored.push(name);
    else found.push({ column, ...period });
  });
  const kind = found[0]?.kind;
  if (kind === undefined) throw new BadInput(1, null, 'no period columns: expected headers like 2020-01, 2020-W01, 2020-01-31 or 1, 2, 3');
  const ordinals = new Map<number, string>();
  for (const p of found) {
    const name = names[p.column]!;
    if (p.kind !== kind) throw new BadInput(1, name, `a ${p.kind} period among ${kind} periods`);
    const twin = ordinals.get(p.ordinal);
    if (twin !== undefined) throw new BadInput(1, name, `the same period as column '${twin}'`);
    ordinals.set(p.ordinal, name);
  }
  const firstOrdinal = Math.min(...ordinals.keys());
  const periodCount = Math.max(...ordinals.keys()) - firstOrdinal + 1;
  const periods = found.map((p) => ({ column: p.column, index: p.ordinal - firstOrdinal }));
  return { idColumn, kind, firstOrdinal, periodCount, periods, attributes: mapped, ignored };
}

/** Attribute columns: each mapped one must exist; unmapped attributes are read from a column of their own name. */
function attributeColumns(names: readonly string[], opts: ReadOptions): { column: number; name: AttributeName }[] {
  const out: { column: number; name: AttributeName }[] = [];
  for (const name of attributeNames) {
    const source = opts.map?.[name];
    if (source !== undefined) out.push({ column: columnOf(names, source, `--map ${name}=${source}`), name });
    else if (names.includes(name)) out.push({ column: names.indexOf(name), name });
  }
  return out;
}

function rowValues(row: CsvRecord, names: readonly string[], layout: Layout): Float64Array {
  const values = new Float64Array(layout.periodCount).fill(NaN);
  for (const { column, index } of layout.periods) {
    const cell = row.fields[column]!;
    if (cell.trim() === '') continue;
    const q = parseNumber(cell);
    if (q === null) throw new BadInput(row.line, names[column]!, `quantity '${cell}' is not a number`);
    values[index] = q;
  }
  return values;
}

function rowAttributes(row: CsvRecord, names: readonly string[], layout: Layout): Attributes {
  const attributes: Attributes = {};
  for (const { column, name } of layout.attributes) {
    const cell = row.fields[column]!;
    if (cell.trim() === '') continue;
    const x = parseNumber(cell);
    if (x === null || x < 0) throw new BadInput(row.line, names[column]!, `${name} '${cell}' is not a number >= 0`);
    attributes[name] = x;
  }
  return attributes;
}

/** Index of a named column; throws on line 1 when the header lacks it. */
export function columnOf(names: readonly string[], name: string, flag: string): number {
  const i = names.indexOf(name);
  if (i === -1) throw new BadInput(1, name, `no such column in the header (from ${flag}); columns: ${names.slice(0, 12).join(', ')}${names.length > 12 ? ', ...' : ''}`);
  return i;
}
