/**
 * Reads an order-lines file for a replay (the Online Retail layout by default: `invoice, stock_code, description,
 * quantity, invoice_date, unit_price, customer_id, country`; other layouts through a column mapping), streamed.
 * `scanOrders` makes a first pass for what the world needs (SKUs with a cost and a name, customers with a country,
 * the date span); `orderEvents` makes the second, yielding whole invoices in file order: consecutive rows of one
 * invoice are one order, an invoice starting with `C` (or a negative quantity) cancels units of that customer.
 * Only SKUs matching `skuPattern` are stock: the Online Retail file also bills postage, fees and manual
 * corrections (POST, DOT, M, BANK CHARGES...), which are not.
 */
import { readCsvRecords, parseNumber } from '../demand-files/csv.js';
import { guestCustomerId, historyInstant } from '../imports/order-history-kind.js';

/** The file (or the span asked for) cannot be replayed: the message says why. */
export class ReplayInputError extends Error {}

export const replayColumns = ['invoice', 'stock_code', 'description', 'quantity', 'invoice_date', 'unit_price', 'customer_id', 'country'] as const;
export type ReplayColumn = (typeof replayColumns)[number];

export interface FileLayout {
  /** Column of the file for each field; the Online Retail names when left out. */
  map?: Partial<Record<ReplayColumn, string>>;
  /** Stock codes that are stock (default: starting with a digit, as Online Retail's products do). */
  skuPattern?: RegExp;
}

export interface InvoiceLine {
  skuId: string;
  quantity: number;
}

/** One invoice: an order (positive lines) or a cancellation (`cancel`, quantities positive). */
export interface Invoice {
  reference: string;
  customerId: string;
  region: string;
  at: string;
  cancel: boolean;
  lines: InvoiceLine[];
}

export interface FileScan {
  /** Each SKU's name, lowest positive price, and its first row's time (when the world lists it). */
  skus: Map<string, { name: string; priceMinor: number; firstAt: string }>;
  customers: Map<string, string>;
  first: string;
  last: string;
  /** Rows read, and rows left out (not stock, price or date unusable). */
  rows: number;
  ignored: number;
}

type Row = { invoice: string; skuId: string; name: string; quantity: number; at: string; priceMinor: number; customerId: string; region: string };

/** Where each replay column is in this header (-1: absent), or why the file cannot be replayed. */
function columnsOf(path: string, header: string[], layout: FileLayout): number[] {
  const at = replayColumns.map((c) => header.indexOf(layout.map?.[c] ?? c));
  const missing = replayColumns.filter((c, i) => at[i]! < 0 && c !== 'description' && c !== 'customer_id' && c !== 'country');
  if (missing.length > 0) throw new ReplayInputError(`${path}: no column for ${missing.join(', ')} (header: ${header.join(', ')}); map them with --map`);
  return at;
}

/** Checks the file's header against the layout before anything is built (throws ReplayInputError). */
export async function checkLayout(path: string, layout: FileLayout = {}): Promise<void> {
  for await (const r of readCsvRecords(path)) {
    columnsOf(path, r.fields.map((f) => f.trim()), layout);
    return;
  }
  throw new ReplayInputError(`${path} is empty: it needs a header line`);
}

async function* stockRows(path: string, layout: FileLayout, count: { rows: number; ignored: number }): AsyncGenerator<Row> {
  const pattern = layout.skuPattern ?? /^\d/;
  let at: number[] | null = null;
  for await (const r of readCsvRecords(path)) {
    if (at === null) {
      at = columnsOf(path, r.fields.map((f) => f.trim()), layout);
      continue;
    }
    count.rows++;
    const cell = (i: number) => (at![i]! < 0 ? '' : (r.fields[at![i]!] ?? '').trim());
    const skuId = cell(1);
    const quantity = parseNumber(cell(3));
    const when = historyInstant(cell(4));
    const price = parseNumber(cell(5));
    if (!pattern.test(skuId) || !/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/.test(skuId) || quantity === null || quantity === 0 || !Number.isInteger(quantity) || when === null || price === null || price < 0) {
      count.ignored++;
      continue;
    }
    const region = cell(7) || 'NONE';
    const customer = cell(6).replace(/\.0$/, '');
    yield { invoice: cell(0), skuId, name: cell(2) || skuId, quantity, at: when, priceMinor: Math.round(price * 100), customerId: customer || guestCustomerId(region), region };
  }
}

export async function scanOrders(path: string, layout: FileLayout = {}): Promise<FileScan> {
  const count = { rows: 0, ignored: 0 };
  const scan: FileScan = { skus: new Map(), customers: new Map(), first: '', last: '', rows: 0, ignored: 0 };
  for await (const row of stockRows(path, layout, count)) {
    const sku = scan.skus.get(row.skuId);
    // The lowest positive price seen: closest to what the company paid, as a cost basis for both policies alike.
    if (!sku) scan.skus.set(row.skuId, { name: row.name, priceMinor: row.priceMinor, firstAt: row.at });
    else {
      if (row.priceMinor > 0 && (sku.priceMinor === 0 || row.priceMinor < sku.priceMinor)) sku.priceMinor = row.priceMinor;
      if (row.at < sku.firstAt) sku.firstAt = row.at;
    }
    if (!scan.customers.has(row.customerId)) scan.customers.set(row.customerId, row.region);
    if (scan.first === '' || row.at < scan.first) scan.first = row.at;
    if (row.at > scan.last) scan.last = row.at;
  }
  return { ...scan, ...count };
}

/** Whole invoices in file order (lines of one SKU merged). */
export async function* orderEvents(path: string, layout: FileLayout = {}): AsyncGenerator<Invoice> {
  let current: Invoice | null = null;
  for await (const row of stockRows(path, layout, { rows: 0, ignored: 0 })) {
    const cancel = row.invoice.startsWith('C') || row.quantity < 0;
    if (!current || current.reference !== row.invoice || current.customerId !== row.customerId || current.cancel !== cancel) {
      if (current) yield current;
      current = { reference: row.invoice, customerId: row.customerId, region: row.region, at: row.at, cancel, lines: [] };
    }
    const quantity = Math.abs(row.quantity);
    const same = current.lines.find((l) => l.skuId === row.skuId);
    if (same) same.quantity += quantity;
    else current.lines.push({ skuId: row.skuId, quantity });
  }
  if (current) yield current;
}
