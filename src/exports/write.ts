/**
 * Writing an export: CSV (a header from the first record's keys, RFC 4180 quoting) or JSON (one array, written as
 * the rows come), page by page to a stream, waiting when it is full, so a large export never sits in memory.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { csvField } from '../demand-files/csv.js';
import type { AppContext } from '../main/context.js';
import type { Result } from '../shared/result.js';
import { ok } from '../shared/result.js';
import type { ExportFilters, ExportKind } from './kinds.js';

export type Cell = string | number | boolean | null;
export type CsvRecord = Record<string, Cell>;

const cell = (v: Cell | undefined) => (v === null || v === undefined ? '' : csvField(String(v)));
export const csvHeader = (columns: readonly string[]) => `${columns.join(',')}\n`;
export const csvLine = (columns: readonly string[], r: CsvRecord) => `${columns.map((c) => cell(r[c])).join(',')}\n`;

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

/** Writes every page; returns how many rows (CSV: records) it wrote, or the failure that stopped it before any. */
export async function writeExport<Row>(ctx: AppContext, kind: ExportKind<Row>, filters: ExportFilters, format: 'csv' | 'json', out: Writable): Promise<Result<number>> {
  let columns: string[] | null = null;
  let count = 0;
  let started = false;
  for await (const page of kind.pages(ctx, filters)) {
    if (!page.ok) return page;
    let text = started || format === 'csv' ? '' : '[';
    started = true;
    for (const row of page.value) {
      if (format === 'json') {
        text += `${count === 0 ? '\n' : ',\n'}${JSON.stringify(row)}`;
        count++;
        continue;
      }
      for (const record of kind.records(row)) {
        if (columns === null) {
          columns = Object.keys(record);
          text += csvHeader(columns);
        }
        text += csvLine(columns, record);
        count++;
      }
    }
    await write(out, text);
  }
  if (format === 'json') await write(out, `${started ? '' : '['}${count === 0 ? ']' : '\n]'}\n`);
  return ok(count);
}
