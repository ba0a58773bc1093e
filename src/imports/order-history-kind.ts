/**
 * Order history (`reference, sku_id, customer_id, quantity, placed_at`, optionally `unit_price, description,
 * region`): orders that were placed and shipped before Raincheck ran, so forecasting, planning and the KPIs have the
 * company's past to work from. Each reference becomes one closed order whose lines shipped in full from the
 * customer's home warehouse at the time it was placed; the stock ledger is not touched (the units left before
 * today's stock was counted). A history names SKUs and customers a catalogue may not hold yet: they are created from
 * the row (SKU name from the description and cost from the unit price; a customer's region from the row, a row
 * without a customer belongs to `GUEST-<region>`); existing ones are left as they are. Rows with a negative quantity
 * (cancellations, returns, stock corrections) are not sales: counted as skipped. A reference already stored for its
 * customer is left alone, so importing the same file again changes nothing.
 */
import { z } from 'zod';
import type { Tx } from '../db/connect.js';
import type { AppContext } from '../main/context.js';
import { catalogId, maxQuantity } from '../main/http-schemas.js';
import * as catalog from '../catalog/repository.js';
import { customerDef, skuDef } from '../catalog/entities.js';
import { homeWarehouse, type WarehouseRef } from '../replenishment/demand.js';
import { warehouseRefs } from '../replenishment/history.js';
import { resetFold } from '../kpis/rollup.js';
import type { ImportCounts, ImportKind, StoreProblem } from './catalog-kinds.js';

export interface HistoryLine {
  reference: string;
  skuId: string;
  customerId?: string | undefined;
  quantity: number;
  placedAt: string;
  unitPrice?: number | undefined;
  description?: string | undefined;
  region?: string | undefined;
}

/** `2010-12-09 20:01:00`, `2010-12-09T20:01`, `2010-12-09` (UTC unless the text says otherwise) as an ISO instant. */
export function historyInstant(text: string): string | null {
  const t = text.trim();
  if (!/^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(t)) return null;
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(t) ? t : `${t.length === 10 ? `${t}T00:00` : t}Z`;
  const ms = Date.parse(zoned.replace(' ', 'T'));
  // Date.parse rolls 30 February into March: the day must exist as written.
  const [y, m, d] = t.slice(0, 10).split('-').map(Number) as [number, number, number];
  if (Number.isNaN(ms) || new Date(Date.UTC(y, m - 1, d)).getUTCDate() !== d || m > 12) return null;
  return new Date(ms).toISOString();
}

/** A catalogue id made from free text (a region for a guest customer): letters and digits kept, the rest `-`. */
const idPart = (text: string) => text.replace(/[^A-Za-z0-9._:-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 50) || 'NONE';
export const guestCustomerId = (region: string | undefined) => `GUEST-${idPart(region ?? 'NONE')}`;

/** A customer known only by id and region (order history names no more): an address that can never receive mail. */
export function placeholderCustomerRow(id: string, region: string, tier: number, now: string) {
  return customerDef.toRow({ id, name: id, email: `${id.toLowerCase()}@customers.invalid`, region, tier, acceptsPartial: true }, now, now);
}

const schema = z
  .object({
    reference: z.string().trim().min(1).max(200),
    skuId: catalogId,
    customerId: catalogId.optional(),
    quantity: z.number().int('must be a whole number').refine((q) => q !== 0, 'must not be 0').refine((q) => Math.abs(q) <= maxQuantity, `must be at most ${maxQuantity}`),
    placedAt: z.string().transform((t, c) => historyInstant(t) ?? (c.addIssue({ code: 'custom', message: `'${t}' is not a date or date and time (YYYY-MM-DD[ HH:MM[:SS]])` }), z.NEVER)),
    unitPrice: z.number().min(0, 'must be at least 0').max(1e9).optional(),
    description: z.string().trim().max(200).optional(),
    region: z.string().trim().min(1).max(64).optional(),
  })
  .strict();

/** Per import run: what the earlier rows made, so lines of one reference join one order and nothing is looked up twice. */
interface HistoryRun {
  orders: Map<string, { orderId: string; lines: number } | 'existing'>;
  skus: Set<string>;
  customers: Map<string, string | null>;
  warehouses: WarehouseRef[] | null;
}

function runOf(run: Map<string, unknown>): HistoryRun {
  let r = run.get('history') as HistoryRun | undefined;
  if (!r) run.set('history', (r = { orders: new Map(), skus: new Set(), customers: new Map(), warehouses: null }));
  return r;
}

/** Creates the SKUs and customers the lines name that do not exist yet, and records each customer's home warehouse in the run. */
async function ensureCatalog(ctx: AppContext, tx: Tx, lines: readonly HistoryLine[], r: HistoryRun): Promise<void> {
  const now = ctx.clock.now().toISOString();
  const newSkus = [...new Map(lines.filter((l) => !r.skus.has(l.skuId)).map((l) => [l.skuId, l])).values()];
  const storedSkus = new Set((await catalog.findByIds(tx, 'sku', newSkus.map((l) => l.skuId))).map((s) => s.id));
  const skuRows = newSkus
    .filter((l) => !storedSkus.has(l.skuId))
    .map((l) => skuDef.toRow({ id: l.skuId, name: l.description || l.skuId, unitCostMinor: Math.round((l.unitPrice ?? 0) * 100), backorderPolicy: 'allow' }, now, now));
  await catalog.insertManyIfAbsent(tx, 'sku', skuRows);
  for (const l of newSkus) r.skus.add(l.skuId);

  const named = new Map(lines.map((l) => [l.customerId ?? guestCustomerId(l.region), l]));
  const unseen = [...named.keys()].filter((id) => !r.customers.has(id));
  const stored = new Map((await catalog.findByIds(tx, 'customer', unseen)).map((c) => [c.id, c.region]));
  const customerRows = [];
  for (const id of unseen) {
    let region = stored.get(id);
    if (region === undefined) {
      region = named.get(id)!.region ?? 'NONE';
      customerRows.push(placeholderCustomerRow(id, region, 3, now));
    }
    r.customers.set(id, homeWarehouse(region, r.warehouses!));
  }
  await catalog.insertManyIfAbsent(tx, 'customer', customerRows);
}

/**
 * Writes history lines (in file order) as closed, fully shipped orders; `counts` gets a created line per line
 * written, unchanged per line of a reference stored before this run, skipped per negative line.
 */
export async function writeHistory(ctx: AppContext, tx: Tx, lines: readonly { line: number; input: HistoryLine }[], counts: ImportCounts, run: Map<string, unknown>): Promise<StoreProblem | null> {
  const r = runOf(run);
  const sales = lines.filter((l) => l.input.quantity > 0);
  counts.skipped = (counts.skipped ?? 0) + lines.length - sales.length;
  const future = sales.find((l) => l.input.placedAt > ctx.clock.now().toISOString());
  if (future) return { line: future.line, field: 'placedAt', message: `${future.input.placedAt} is in the future: history is what already happened` };
  r.warehouses ??= await warehouseRefs(tx);
  // Demand is counted where it was served: without a warehouse the history would be stored but never seen.
  if (r.warehouses.length === 0 && sales.length > 0) return { line: sales[0]!.line, field: null, message: 'there are no warehouses yet: import warehouses first, so each order is counted at its home warehouse' };
  await ensureCatalog(ctx, tx, sales.map((l) => l.input), r);

  const orderKey = (l: HistoryLine) => `${l.customerId ?? guestCustomerId(l.region)}|${l.reference}`;
  const unseen = [...new Set(sales.filter((l) => !r.orders.has(orderKey(l.input))).map((l) => l.input.reference))];
  const before = new Set(
    unseen.length === 0
      ? []
      : (await tx.selectFrom('sales_order').select(['customer_id', 'reference']).where('reference', 'in', unseen).execute()).map((o) => `${o.customer_id}|${o.reference}`),
  );
  const orders = [];
  const orderLines = [];
  const allocations = [];
  for (const { input: l } of sales) {
    const customerId = l.customerId ?? guestCustomerId(l.region);
    const key = orderKey(l);
    let order = r.orders.get(key);
    if (order === undefined) {
      order = before.has(key) ? 'existing' : { orderId: ctx.ids.next('ord'), lines: 0 };
      r.orders.set(key, order);
      if (order !== 'existing') {
        orders.push({ id: order.orderId, customer_id: customerId, reference: l.reference, ship_complete: 0, partial_consent: 0, status: 'closed' as const, placed_at: l.placedAt, updated_at: l.placedAt });
      }
    }
    if (order === 'existing') {
      counts.unchanged++;
      continue;
    }
    order.lines++;
    const warehouseId = r.customers.get(customerId) ?? null;
    const lineId = ctx.ids.next('line');
    orderLines.push({
      id: lineId, order_id: order.orderId, line_no: order.lines, sku_id: l.skuId, quantity: l.quantity, allocated: 0, shipped: l.quantity,
      backordered: 0, rejected: 0, reject_reason: null, cancelled: 0, placed_at: l.placedAt, warehouse_id: warehouseId, last_shipped_at: l.placedAt,
    });
    if (warehouseId !== null) {
      allocations.push({ id: ctx.ids.next('alc'), order_id: order.orderId, order_line_id: lineId, backorder_id: null, sku_id: l.skuId, warehouse_id: warehouseId, quantity: 0, shipped: l.quantity, released: 0, created_at: l.placedAt });
    }
    counts.created++;
  }
  // Parents first; SQLite takes at most 32766 parameters per statement, so rows go in slices.
  for (const [table, rows] of [['sales_order', orders], ['order_line', orderLines], ['allocation', allocations]] as const) {
    for (let at = 0; at < rows.length; at += 1000) await tx.insertInto(table).values(rows.slice(at, at + 1000) as never).execute();
  }
  return null;
}

export const orderHistoryKind: ImportKind<HistoryLine> = {
  columns: { reference: 'string', skuId: 'string', customerId: 'string', quantity: 'number', placedAt: 'string', unitPrice: 'number', description: 'string', region: 'string' },
  schema: schema as unknown as z.ZodType<HistoryLine>,
  key: (l) => `order '${l.reference}'`,
  keyField: 'reference',
  repeatsKey: true,
  check: () => null,
  apply: writeHistory,
  // The lines are back-dated facts: the KPI days folded before them are folded again.
  afterImport: (ctx, counts) => (counts.created > 0 ? resetFold(ctx) : Promise.resolve()),
};
