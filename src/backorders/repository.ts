/** SQL for backorders and their event history. */
import { sql, type Selectable } from 'kysely';
import type { Tx } from '../db/connect.js';
import { updateEveryRow } from '../db/row-updates.js';
import type { BackorderEventTable, BackorderTable } from '../db/schema.js';
import type { BackorderStatus } from './domain.js';

export type BackorderRow = Selectable<BackorderTable>;
export type BackorderEventRow = Selectable<BackorderEventTable>;

const waitingStatuses: BackorderStatus[] = ['open', 'partially_allocated'];

export async function insertEvents(tx: Tx, rows: BackorderEventRow[]): Promise<void> {
  if (rows.length > 0) await tx.insertInto('backorder_event').values(rows).execute();
}

export async function findBackorder(tx: Tx, id: string): Promise<BackorderRow | undefined> {
  return tx.selectFrom('backorder').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function backordersOfLines(tx: Tx, lineIds: readonly string[]): Promise<BackorderRow[]> {
  if (lineIds.length === 0) return [];
  return tx.selectFrom('backorder').selectAll().where('order_line_id', 'in', lineIds).execute();
}

export async function eventsOf(tx: Tx, backorderId: string): Promise<BackorderEventRow[]> {
  return tx.selectFrom('backorder_event').selectAll().where('backorder_id', '=', backorderId).orderBy('id').execute();
}

export interface WaitingRow extends BackorderRow {
  customer_tier: number;
}

/** Backorders of a SKU still waiting for units that a given warehouse may fill. */
export async function waitingFor(tx: Tx, skuId: string, warehouseId: string): Promise<WaitingRow[]> {
  return tx
    .selectFrom('backorder as b')
    .innerJoin('customer as c', 'c.id', 'b.customer_id')
    .selectAll('b')
    .select('c.tier as customer_tier')
    .where('b.sku_id', '=', skuId)
    .where('b.status', 'in', waitingStatuses)
    .where((eb) => eb.or([eb('b.flexible', '=', 1), eb('b.warehouse_id', '=', warehouseId)]))
    .execute();
}

/** Units waiting on backorder per SKU (for capped policies). */
export async function waitingTotals(tx: Tx, skuIds: readonly string[]): Promise<Map<string, number>> {
  if (skuIds.length === 0) return new Map();
  return waitingTotalsFrom(await waitingTotalsQuery(tx, skuIds).execute());
}

/** Units waiting per SKU (at least one SKU), for `store.readMany`; waitingTotalsFrom reads its rows. */
export const waitingTotalsQuery = (tx: Tx, skuIds: readonly string[]) =>
  tx
    .selectFrom('backorder')
    .select('sku_id')
    .select(sql<number>`sum(quantity - allocated - fulfilled - cancelled)`.as('waiting'))
    .where('sku_id', 'in', [...new Set(skuIds)])
    .where('status', 'in', waitingStatuses)
    .groupBy('sku_id');

export const waitingTotalsFrom = (rows: readonly { sku_id: string; waiting: number }[]): Map<string, number> =>
  new Map(rows.map((r) => [r.sku_id, Number(r.waiting)]));

export interface QuantityChange {
  allocated: number;
  fulfilled: number;
  cancelled: number;
}

/**
 * Writes new quantities and status, guarded by the status and quantities read earlier: if another writer changed
 * the backorder in between, nothing is written and false is returned (no update is ever lost).
 */
export async function updateQuantities(
  tx: Tx,
  from: BackorderRow,
  q: QuantityChange & { status: BackorderStatus; fulfilledAt: string | null },
  now: string,
): Promise<boolean> {
  const r = await tx
    .updateTable('backorder')
    .set({ allocated: q.allocated, fulfilled: q.fulfilled, cancelled: q.cancelled, status: q.status, fulfilled_at: q.fulfilledAt, updated_at: now })
    .where('id', '=', from.id)
    .where('status', '=', from.status)
    .where('allocated', '=', from.allocated)
    .where('fulfilled', '=', from.fulfilled)
    .where('cancelled', '=', from.cancelled)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export interface BackorderFilter {
  skuId?: string | undefined;
  warehouseId?: string | undefined;
  customerId?: string | undefined;
  orderId?: string | undefined;
  statuses?: readonly BackorderStatus[] | undefined;
  /** Created at or before this instant (i.e. at least this old). */
  createdAtOrBefore?: string | undefined;
  /** Created at or after this instant (i.e. at most this old). */
  createdAtOrAfter?: string | undefined;
  /** The customer's tier. */
  tier?: number | undefined;
  /** The root cause attributed at creation. */
  cause?: string | undefined;
  /** oldest first (default) or newest first; ids are creation-ordered. */
  sort?: 'oldest' | 'newest' | undefined;
  /** Only backorders whose promise is at risk (see atRiskConfidence). */
  atRisk?: boolean | undefined;
}

/** A promise less likely than not to hold is at risk, as is one not covered by inbound supply or without a date. */
export const atRiskConfidence = 0.5;

export async function listBackorders(tx: Tx, f: BackorderFilter, after: string | null, limit: number): Promise<BackorderRow[]> {
  let q = tx.selectFrom('backorder').selectAll('backorder');
  if (f.tier !== undefined) q = q.where('customer_id', 'in', (eb) => eb.selectFrom('customer').select('id').where('tier', '=', f.tier!));
  if (f.cause) q = q.where('cause', '=', f.cause);
  // At risk: its promise rests on no inbound supply (a lead-time estimate, or no date) or is unlikely to hold.
  if (f.atRisk) q = q.where((eb) => eb.or([eb('promise_confirmed', '=', 0), eb('promised_date', 'is', null), eb('promise_confidence', '<', atRiskConfidence)]));
  if (f.skuId) q = q.where('sku_id', '=', f.skuId);
  if (f.warehouseId) q = q.where('warehouse_id', '=', f.warehouseId);
  if (f.customerId) q = q.where('customer_id', '=', f.customerId);
  if (f.orderId) q = q.where('order_id', '=', f.orderId);
  if (f.statuses && f.statuses.length > 0) q = q.where('status', 'in', [...f.statuses]);
  if (f.createdAtOrBefore) q = q.where('created_at', '<=', f.createdAtOrBefore);
  if (f.createdAtOrAfter) q = q.where('created_at', '>=', f.createdAtOrAfter);
  const newest = f.sort === 'newest';
  if (after !== null) q = q.where('id', newest ? '<' : '>', after);
  return q.orderBy('id', newest ? 'desc' : 'asc').limit(limit + 1).execute();
}

/**
 * Sets many backorders' allocated units and status in one statement per 300 rows, each guarded by the status and
 * allocated units read earlier (as updateQuantities): false when any row had changed, and the caller rolls back.
 */
export async function updateAllocatedMany(
  tx: Tx,
  rows: readonly { id: string; fromStatus: BackorderStatus; fromAllocated: number; allocated: number; status: BackorderStatus }[],
  now: string,
): Promise<boolean> {
  return updateEveryRow(tx, rows, (chunk) => {
    // VALUES columns are column1..5 on both engines; parameters arrive untyped on PostgreSQL, hence the casts.
    const values = sql.join(chunk.map((r) => sql`(${r.id}, ${r.fromStatus}, ${r.fromAllocated}, ${r.allocated}, ${r.status})`));
    return sql`
      update backorder set allocated = cast(v.column4 as bigint), status = v.column5, updated_at = ${now}
      from (values ${values}) as v
      where backorder.id = v.column1 and backorder.status = v.column2 and backorder.allocated = cast(v.column3 as bigint)`;
  });
}
