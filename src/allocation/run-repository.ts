/**
 * SQL for processing runs: the state a run re-allocates, read in bulk (one query per table, not per SKU) so a run
 * over a whole catalogue reads it in a few statements: open backorders with their customers' tiers, their unshipped
 * allocations per warehouse, free stock per SKU x warehouse, and each order's value at unit cost.
 */
import { sql } from 'kysely';
import type { Store, Tx } from '../db/connect.js';
import type { AllocationRunChangeTable, AllocationRunTable } from '../db/schema.js';
import type { BackorderStatus } from '../backorders/domain.js';

/** Backorders a run may re-allocate: still owed something, allocated or not. */
const openStatuses: BackorderStatus[] = ['open', 'partially_allocated', 'allocated'];

export interface OpenBackorderRow {
  id: string;
  skuId: string;
  orderId: string;
  customerId: string;
  placedAt: string;
  tier: number;
  promisedDate: string | null;
  owed: number;
  warehouseId: string;
  flexible: number;
  orderLineId: string;
  status: BackorderStatus;
  quantity: number;
  allocated: number;
  fulfilled: number;
  cancelled: number;
}

/** Open backorders of the SKUs (all SKUs with any when `skuIds` is null). */
export async function openBackorders(store: Store, tx: Tx, skuIds: readonly string[] | null): Promise<OpenBackorderRow[]> {
  let q = tx
    .selectFrom('backorder as b')
    .innerJoin('customer as c', 'c.id', 'b.customer_id')
    .select([
      'b.id', 'b.sku_id', 'b.order_id', 'b.customer_id', 'b.placed_at', 'c.tier', 'b.promised_date', 'b.warehouse_id', 'b.flexible',
      'b.order_line_id', 'b.status', 'b.quantity', 'b.allocated', 'b.fulfilled', 'b.cancelled',
    ])
    .where('b.status', 'in', openStatuses);
  if (skuIds !== null) q = q.where('b.sku_id', 'in', [...skuIds]);
  // A whole-catalogue run reads 100,000 rows: as arrays, then exactly one object each.
  const rows = await store.selectArrays(tx, q);
  return rows.map((r) => {
    const [quantity, allocated, fulfilled, cancelled] = [Number(r[11]), Number(r[12]), Number(r[13]), Number(r[14])];
    return {
      id: r[0] as string,
      skuId: r[1] as string,
      orderId: r[2] as string,
      customerId: r[3] as string,
      placedAt: r[4] as string,
      tier: Number(r[5]),
      promisedDate: r[6] as string | null,
      owed: quantity - fulfilled - cancelled,
      warehouseId: r[7] as string,
      flexible: Number(r[8]),
      orderLineId: r[9] as string,
      status: r[10] as BackorderStatus,
      quantity,
      allocated,
      fulfilled,
      cancelled,
    };
  });
}

/** Unshipped units allocated to backorders, per backorder and warehouse. */
export async function backorderAllocations(tx: Tx, skuIds: readonly string[] | null): Promise<{ backorderId: string; warehouseId: string; quantity: number }[]> {
  let q = tx
    .selectFrom('allocation as a')
    .innerJoin('backorder as b', 'b.id', 'a.backorder_id')
    .select(['a.backorder_id as backorderId', 'a.warehouse_id as warehouseId', sql<number>`sum(a.quantity)`.as('quantity')])
    .where('a.quantity', '>', 0)
    .where('b.status', 'in', openStatuses)
    .groupBy(['a.backorder_id', 'a.warehouse_id']);
  // Through the backorder's SKU (indexed with its status), then each backorder's allocations (indexed).
  if (skuIds !== null) q = q.where('b.sku_id', 'in', [...skuIds]);
  const rows = await q.execute();
  return rows.map((r) => ({ backorderId: r.backorderId!, warehouseId: r.warehouseId, quantity: Number(r.quantity) }));
}

/** On-hand not allocated to anything, per SKU x warehouse. */
export async function freeStock(tx: Tx, skuIds: readonly string[] | null): Promise<{ skuId: string; warehouseId: string; free: number }[]> {
  // `in ()` is an error on PostgreSQL: no SKU, no stock to read.
  if (skuIds !== null && skuIds.length === 0) return [];
  let q = tx.selectFrom('stock_level').select(['sku_id as skuId', 'warehouse_id as warehouseId', sql<number>`on_hand - allocated`.as('free')]);
  if (skuIds !== null) q = q.where('sku_id', 'in', [...skuIds]);
  return q.execute();
}

/** Each order's value: its lines' quantities at their SKUs' unit cost (orders carry no prices). */
export async function orderValues(tx: Tx, orderIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < orderIds.length; i += 5_000) {
    const rows = await tx
      .selectFrom('order_line as l')
      .innerJoin('sku as s', 's.id', 'l.sku_id')
      // In floating point: units (up to 1e8) x unit cost (up to 1e12) overflows a 64-bit integer.
      .select(['l.order_id as orderId', sql<number>`sum(l.quantity * cast(s.unit_cost_minor as double precision))`.as('value')])
      .where('l.order_id', 'in', orderIds.slice(i, i + 5_000))
      .groupBy('l.order_id')
      .execute();
    for (const r of rows) out.set(r.orderId, Number(r.value));
  }
  return out;
}

/** Unshipped allocation rows of some backorders, newest first: a run takes units back from the newest. */
export async function liveAllocations(tx: Tx, backorderIds: readonly string[]): Promise<{ id: string; backorderId: string; warehouseId: string; quantity: number }[]> {
  if (backorderIds.length === 0) return [];
  const rows = await tx
    .selectFrom('allocation')
    .select(['id', 'backorder_id as backorderId', 'warehouse_id as warehouseId', 'quantity'])
    .where('backorder_id', 'in', [...backorderIds])
    .where('quantity', '>', 0)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => ({ id: r.id, backorderId: r.backorderId!, warehouseId: r.warehouseId, quantity: Number(r.quantity) }));
}

/** Adds to many order lines' allocated units, one statement per 300 (the table's CHECKs guard conservation). */
export async function adjustLinesAllocated(tx: Tx, deltas: ReadonlyMap<string, number>): Promise<void> {
  const rows = [...deltas].filter(([, d]) => d !== 0);
  for (let at = 0; at < rows.length; at += 300) {
    const values = sql.join(rows.slice(at, at + 300).map(([id, d]) => sql`(${id}, ${d})`));
    await sql`
      update order_line set allocated = allocated + cast(v.column2 as bigint)
      from (values ${values}) as v
      where order_line.id = v.column1`.execute(tx);
  }
}

export type RunRow = AllocationRunTable;
export type RunChangeRow = AllocationRunChangeTable;

export async function insertRun(tx: Tx, row: RunRow): Promise<void> {
  await tx.insertInto('allocation_run').values(row).execute();
}

/** A scheduled run's day already has a run (any status): the unique schedule key says so. */
export async function scheduledRunExists(tx: Tx, scheduleKey: string): Promise<boolean> {
  return (await tx.selectFrom('allocation_run').select('id').where('schedule_key', '=', scheduleKey).executeTakeFirst()) !== undefined;
}

export async function updateRun(tx: Tx, id: string, set: Partial<Omit<RunRow, 'id'>>): Promise<void> {
  await tx.updateTable('allocation_run').set(set).where('id', '=', id).execute();
}

export async function findRun(tx: Tx, id: string): Promise<RunRow | undefined> {
  return tx.selectFrom('allocation_run').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Runs, newest first, after the cursor (an id of the previous page). */
export async function listRuns(tx: Tx, before: string | null, limit: number): Promise<RunRow[]> {
  let q = tx.selectFrom('allocation_run').selectAll().orderBy('id', 'desc').limit(limit);
  if (before !== null) q = q.where('id', '<', before);
  return q.execute();
}

export async function runChanges(tx: Tx, runId: string, offset: number, limit: number): Promise<RunChangeRow[]> {
  return tx.selectFrom('allocation_run_change').selectAll().where('run_id', '=', runId).orderBy('sku_id').orderBy('rank').orderBy('warehouse_id').offset(offset).limit(limit).execute();
}

/** Sets the promise of backorders that stop being ready to `today`, and forgets its key so re-promising writes it. */
export async function restartPromises(tx: Tx, backorderIds: readonly string[], today: string): Promise<void> {
  if (backorderIds.length === 0) return;
  await tx.updateTable('backorder').set({ promised_date: today, promise_key: null }).where('id', 'in', [...backorderIds]).execute();
}
