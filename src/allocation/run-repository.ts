/**
 * SQL for processing runs: the state a run re-allocates, read in bulk (one query per table, not per SKU) so a run
 * over a whole catalogue reads it in a few statements: open backorders with their customers' tiers, their unshipped
 * allocations per warehouse, free stock per SKU x warehouse, and each order's value at unit cost.
 */
import { sql } from 'kysely';
import type { Tx } from '../db/connect.js';
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
}

/** Open backorders of the SKUs (all SKUs with any when `skuIds` is null). */
export async function openBackorders(tx: Tx, skuIds: readonly string[] | null): Promise<OpenBackorderRow[]> {
  let q = tx
    .selectFrom('backorder as b')
    .innerJoin('customer as c', 'c.id', 'b.customer_id')
    .select([
      'b.id', 'b.sku_id as skuId', 'b.order_id as orderId', 'b.customer_id as customerId', 'b.placed_at as placedAt', 'c.tier',
      'b.promised_date as promisedDate', sql<number>`b.quantity - b.fulfilled - b.cancelled`.as('owed'), 'b.warehouse_id as warehouseId', 'b.flexible',
    ])
    .where('b.status', 'in', openStatuses);
  if (skuIds !== null) q = q.where('b.sku_id', 'in', [...skuIds]);
  return q.execute();
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
  if (skuIds !== null) q = q.where('a.sku_id', 'in', [...skuIds]);
  const rows = await q.execute();
  return rows.map((r) => ({ backorderId: r.backorderId!, warehouseId: r.warehouseId, quantity: Number(r.quantity) }));
}

/** On-hand not allocated to anything, per SKU x warehouse. */
export async function freeStock(tx: Tx, skuIds: readonly string[] | null): Promise<{ skuId: string; warehouseId: string; free: number }[]> {
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
      .select(['l.order_id as orderId', sql<number>`sum(l.quantity * s.unit_cost_minor)`.as('value')])
      .where('l.order_id', 'in', orderIds.slice(i, i + 5_000))
      .groupBy('l.order_id')
      .execute();
    for (const r of rows) out.set(r.orderId, Number(r.value));
  }
  return out;
}
