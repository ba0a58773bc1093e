/**
 * SQL for replenishment: the parts of order lines as demand, and stock, waiting backorders, inbound and draft
 * purchase orders per SKU x warehouse. Read-only; sums are per pair so a read returns one row per pair (or day).
 */
import { sql } from 'kysely';
import type { Tx } from '../db/connect.js';
import type { PurchaseOrderStatus } from '../db/schema.js';
import type { PlacedPart, RejectedPart } from './demand.js';
import { shiftDay } from './periods.js';

export interface PairFilter {
  skuId?: string | undefined;
  warehouseId?: string | undefined;
  /** Only these SKUs (a non-empty list; skuId, when set, names the one SKU instead). */
  skuIds?: readonly string[] | undefined;
}

/** The SKUs a filter keeps, undefined for all. */
const skusOf = (f: PairFilter): readonly string[] | undefined => (f.skuId !== undefined ? [f.skuId] : f.skuIds);

export interface PairQuantity {
  skuId: string;
  warehouseId: string;
  quantity: number;
}

/** Timestamps of orders placed from the first moment of `from` to before the day after `to` (ISO text sorts). */
const bounds = (from: string, to: string) => [`${from}T00:00:00.000Z`, `${shiftDay(to, 1)}T00:00:00.000Z`] as const;

/**
 * Demand parts of orders placed in from..to: units allocated at intake by warehouse (allocation rows without a
 * backorder; open + shipped + released is what was allocated), backordered units by the warehouse they wait at,
 * and rejected units by customer. Allocations made later to fill a backorder are not demand: the backorder was.
 * Each part also counts its order lines.
 */
/**
 * A backorder's line, unless the same line also had units allocated at intake at that warehouse (counted there
 * already): a line counts once at each warehouse it had a part at.
 */
const linesNotAllocatedThere = sql<number>`sum(case when exists (select 1 from allocation a2 where a2.order_id = b.order_id and a2.order_line_id = b.order_line_id and a2.warehouse_id = b.warehouse_id and a2.backorder_id is null) then 0 else 1 end)`;

export async function demandParts(tx: Tx, from: string, to: string, f: PairFilter): Promise<{ placed: PlacedPart[]; rejected: RejectedPart[] }> {
  const skuIds = skusOf(f);
  const [start, end] = bounds(from, to);
  const orderDay = sql<string>`substr(o.placed_at, 1, 10)`;
  let allocated = tx
    .selectFrom('allocation as a')
    .innerJoin('sales_order as o', 'o.id', 'a.order_id')
    .select(['a.sku_id as skuId', 'a.warehouse_id as warehouseId', orderDay.as('day'), sql<number>`sum(a.quantity + a.shipped + a.released)`.as('quantity'), sql<number>`count(distinct a.order_line_id)`.as('lines')])
    .where('a.backorder_id', 'is', null)
    .where('o.placed_at', '>=', start)
    .where('o.placed_at', '<', end)
    .groupBy(['a.sku_id', 'a.warehouse_id', orderDay]);
  const boDay = sql<string>`substr(b.placed_at, 1, 10)`;
  let backordered = tx
    .selectFrom('backorder as b')
    .select(['b.sku_id as skuId', 'b.warehouse_id as warehouseId', boDay.as('day'), sql<number>`sum(b.quantity)`.as('quantity'), linesNotAllocatedThere.as('lines')])
    .where('b.placed_at', '>=', start)
    .where('b.placed_at', '<', end)
    .groupBy(['b.sku_id', 'b.warehouse_id', boDay]);
  let rejected = tx
    .selectFrom('order_line as l')
    .innerJoin('sales_order as o', 'o.id', 'l.order_id')
    .select(['l.sku_id as skuId', 'o.customer_id as customerId', orderDay.as('day'), sql<number>`sum(l.rejected)`.as('quantity'), sql<number>`count(*)`.as('lines')])
    .where('l.rejected', '>', 0)
    .where('o.placed_at', '>=', start)
    .where('o.placed_at', '<', end)
    .groupBy(['l.sku_id', 'o.customer_id', orderDay]);
  if (skuIds !== undefined) {
    allocated = allocated.where('a.sku_id', 'in', skuIds);
    backordered = backordered.where('b.sku_id', 'in', skuIds);
    rejected = rejected.where('l.sku_id', 'in', skuIds);
  }
  const [a, b, r] = await Promise.all([allocated.execute(), backordered.execute(), rejected.execute()]);
  const num = <T extends { quantity: number; lines: number }>(row: T): T => ({ ...row, quantity: Number(row.quantity), lines: Number(row.lines) });
  return { placed: [...a, ...b].map(num), rejected: r.map(num) };
}

export interface LevelNumbers {
  skuId: string;
  warehouseId: string;
  onHand: number;
  allocated: number;
}

export async function stockLevels(tx: Tx, f: PairFilter): Promise<LevelNumbers[]> {
  let q = tx.selectFrom('stock_level').select(['sku_id as skuId', 'warehouse_id as warehouseId', 'on_hand as onHand', 'allocated']);
  const skuIds = skusOf(f);
  if (skuIds !== undefined) q = q.where('sku_id', 'in', skuIds);
  if (f.warehouseId !== undefined) q = q.where('warehouse_id', '=', f.warehouseId);
  return (await q.execute()).map((r) => ({ ...r, onHand: Number(r.onHand), allocated: Number(r.allocated) }));
}

/** Units still waiting (not allocated, fulfilled or cancelled) on backorders, by the warehouse they wait at. */
export async function waitingBackorders(tx: Tx, f: PairFilter): Promise<PairQuantity[]> {
  const waiting = sql<number>`b.quantity - b.allocated - b.fulfilled - b.cancelled`;
  let q = tx
    .selectFrom('backorder as b')
    .select(['b.sku_id as skuId', 'b.warehouse_id as warehouseId', sql<number>`sum(${waiting})`.as('quantity')])
    .where('b.status', 'in', ['open', 'partially_allocated'])
    .groupBy(['b.sku_id', 'b.warehouse_id']);
  const skuIds = skusOf(f);
  if (skuIds !== undefined) q = q.where('b.sku_id', 'in', skuIds);
  if (f.warehouseId !== undefined) q = q.where('b.warehouse_id', '=', f.warehouseId);
  return (await q.execute()).map((r) => ({ ...r, quantity: Number(r.quantity) }));
}

/** Open units on purchase-order lines in the given states, by SKU x destination warehouse. */
export async function poLineUnits(tx: Tx, statuses: readonly PurchaseOrderStatus[], f: PairFilter): Promise<PairQuantity[]> {
  let q = tx
    .selectFrom('po_line as l')
    .innerJoin('purchase_order as po', 'po.id', 'l.po_id')
    .select(['l.sku_id as skuId', 'l.warehouse_id as warehouseId', sql<number>`sum(l.quantity - l.received - l.cancelled)`.as('quantity')])
    .where('po.status', 'in', [...statuses])
    .groupBy(['l.sku_id', 'l.warehouse_id']);
  const skuIds = skusOf(f);
  if (skuIds !== undefined) q = q.where('l.sku_id', 'in', skuIds);
  if (f.warehouseId !== undefined) q = q.where('l.warehouse_id', '=', f.warehouseId);
  return (await q.execute()).map((r) => ({ ...r, quantity: Number(r.quantity) })).filter((r) => r.quantity > 0);
}

/** Units in transit by SKU x destination warehouse: they left the sender's on-hand and are not yet anywhere's. */
export async function unitsInTransit(tx: Tx, f: PairFilter): Promise<PairQuantity[]> {
  let q = tx
    .selectFrom('transfer')
    .select(['sku_id as skuId', 'to_warehouse_id as warehouseId', sql<number>`sum(quantity)`.as('quantity')])
    .where('status', '=', 'in_transit')
    .groupBy(['sku_id', 'to_warehouse_id']);
  const skuIds = skusOf(f);
  if (skuIds !== undefined) q = q.where('sku_id', 'in', skuIds);
  if (f.warehouseId !== undefined) q = q.where('to_warehouse_id', '=', f.warehouseId);
  return (await q.execute()).map((r) => ({ ...r, quantity: Number(r.quantity) }));
}

export interface ListedSku {
  id: string;
  listedAt: string;
  unitCostMinor: number;
  discontinued: boolean;
  /** The day of its first order line ever, when it has had one: when it launched. */
  firstOrderDay: string | undefined;
}

/**
 * SKUs listed from `since` up to `until` (ISO timestamps; a replay lists products ahead of its clock), with the
 * filter's SKUs only, each with its first order's day: min() over one SKU is one seek on the (sku_id, placed_at) index on
 * both engines (ORDER BY placed_at LIMIT 1 made SQLite walk the placed_at index instead, the whole table for a SKU
 * never ordered).
 */
export async function skusListedBetween(tx: Tx, since: string, until: string, f: PairFilter): Promise<ListedSku[]> {
  const first = sql<string | null>`(select min(l.placed_at) from order_line l where l.sku_id = sku.id)`;
  let q = tx.selectFrom('sku').select(['id', 'created_at', 'unit_cost_minor', 'backorder_policy', first.as('first')]).where('created_at', '>=', since).where('created_at', '<=', until);
  const skuIds = skusOf(f);
  if (skuIds !== undefined) q = q.where('id', 'in', skuIds);
  return (await q.execute()).map((r) => ({
    id: r.id,
    listedAt: r.created_at,
    unitCostMinor: Number(r.unit_cost_minor),
    discontinued: r.backorder_policy === 'discontinued',
    firstOrderDay: r.first ? r.first.slice(0, 10) : undefined,
  }));
}

/** Whether an Idempotency-Key already holds a committed answer (its retry must replay, not recompute). */
export async function idempotencyKeyUsed(tx: Tx, scope: string, key: string): Promise<boolean> {
  const row = await tx.selectFrom('idempotency_key').select('key').where('scope', '=', scope).where('key', '=', key).executeTakeFirst();
  return row !== undefined;
}
