/**
 * Reads a demand file of any of the three formats (wide, long, order lines; plain or gzip), telling them apart by
 * the header unless the caller names the format. Input that breaks a rule is a `validation_failed` result naming
 * the line, the column and why; a missing file is `not_found`. Nothing is half-read: a failure returns no series.
 */
import { existsSync, statSync } from 'node:fs';
import { fail, ok, type Result } from '../shared/result.js';
import { BadInput, readCsvRecords, type CsvRecord } from './csv.js';
import { readLong } from './long.js';
import { readOrders } from './orders.js';
import { parsePeriod } from './periods.js';
import { readWide } from './wide.js';
import type { DemandSet, FileFormat, ReadOptions } from './types.js';

/** The file's demand series, or a failure naming the line and column at fault. */
export async function readDemandFile(path: string, opts: ReadOptions = {}): Promise<Result<DemandSet>> {
  if (!existsSync(path) || !statSync(path).isFile()) return fail('not_found', `${path}: no such file`, { field: 'input' });
  const records = readCsvRecords(path);
  try {
    const first = await records.next();
    if (first.done) return fail('validation_failed', `${path}: the file is empty`, { field: 'input' });
    const header = first.value;
    const format = opts.format ?? detectFormat(header, opts);
    const rest = { [Symbol.asyncIterator]: () => records };
    if (format === 'wide') return ok(await readWide(header, rest, opts));
    if (format === 'long') return ok(await readLong(header, rest, opts));
    return ok(await readOrders(header, rest, opts));
  } catch (e) {
    if (!(e instanceof BadInput)) throw e;
    const details = { line: e.line, column: e.column, reason: e.reason };
    return fail('validation_failed', `${path}: ${e.message}`, { field: `line ${e.line}${e.column === null ? '' : `/${e.column}`}`, details });
  } finally {
    await records.return(undefined);
  }
}

/**
 * Wide when a header after the first names a period; long when there is a period column; order lines when there is
 * a date column. Anything else cannot be guessed and asks for --format.
 */
export function detectFormat(header: CsvRecord, opts: ReadOptions): FileFormat {
  const names = header.fields.map((f) => f.trim());
  if (names.slice(1).some((n) => parsePeriod(n) !== null)) return 'wide';
  if (names.includes(opts.periodColumn ?? 'period')) return 'long';
  const dates = opts.dateColumn === undefined ? ['invoice_date', 'order_date', 'date'] : [opts.dateColumn];
  if (dates.some((d) => names.includes(d))) return 'orders';
  throw new BadInput(
    1,
    null,
    'cannot tell the format from the header: expected period columns like 2020-01 (wide), a period column (long) or a date column (order lines); use --format',
  );
}
