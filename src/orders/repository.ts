/** SQL for orders, their lines, allocations and shipments. */
import { sql, type Selectable } from 'kysely';
import type { Tx } from '../db/connect.js';
import type { AllocationTable, OrderLineTable, SalesOrderTable, ShipmentTable } from '../db/schema.js';

export type OrderRow = Selectable<SalesOrderTable>;
export type LineRow = Selectable<OrderLineTable>;
export type AllocationRow = Selectable<AllocationTable>;
export type ShipmentRow = Selectable<ShipmentTable>;

export async function insertAllocations(tx: Tx, rows: AllocationRow[]): Promise<void> {
  if (rows.length > 0) await tx.insertInto('allocation').values(rows).execute();
}

export async function findOrder(tx: Tx, id: string): Promise<OrderRow | undefined> {
  return tx.selectFrom('sales_order').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function linesOf(tx: Tx, orderId: string): Promise<LineRow[]> {
  return tx.selectFrom('order_line').selectAll().where('order_id', '=', orderId).orderBy('line_no').execute();
}

export async function allocationsOf(tx: Tx, orderId: string): Promise<AllocationRow[]> {
  return tx.selectFrom('allocation').selectAll().where('order_id', '=', orderId).orderBy('id').execute();
}

export async function insertShipment(tx: Tx, row: ShipmentRow): Promise<void> {
  await tx.insertInto('shipment').values(row).execute();
}

/** Adds deltas to a line's counters; the table's CHECKs refuse any result that breaks conservation. */
export async function adjustLine(
  tx: Tx,
  id: string,
  delta: { allocated?: number; shipped?: number; cancelled?: number },
  shippedAt?: string,
): Promise<void> {
  await tx
    .updateTable('order_line')
    .set({
      allocated: sql`allocated + ${delta.allocated ?? 0}`,
      shipped: sql`shipped + ${delta.shipped ?? 0}`,
      cancelled: sql`cancelled + ${delta.cancelled ?? 0}`,
      ...(shippedAt !== undefined ? { last_shipped_at: shippedAt } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** Moves units out of an allocation (shipped or released), never below zero. */
export async function drawAllocation(
  tx: Tx,
  id: string,
  delta: { shipped?: number; released?: number },
): Promise<boolean> {
  const total = (delta.shipped ?? 0) + (delta.released ?? 0);
  const r = await tx
    .updateTable('allocation')
    .set({
      quantity: sql`quantity - ${total}`,
      shipped: sql`shipped + ${delta.shipped ?? 0}`,
      released: sql`released + ${delta.released ?? 0}`,
    })
    .where('id', '=', id)
    .where('quantity', '>=', total)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function setOrderStatus(tx: Tx, id: string, status: OrderRow['status'], now: string): Promise<void> {
  await tx.updateTable('sales_order').set({ status, updated_at: now }).where('id', '=', id).execute();
}

export interface OrderFilter {
  customerId?: string | undefined;
  status?: OrderRow['status'] | undefined;
}

export async function listOrders(tx: Tx, f: OrderFilter, after: string | null, limit: number): Promise<OrderRow[]> {
  let q = tx.selectFrom('sales_order').selectAll();
  if (f.customerId) q = q.where('customer_id', '=', f.customerId);
  if (f.status) q = q.where('status', '=', f.status);
  if (after !== null) q = q.where('id', '>', after);
  return q.orderBy('id').limit(limit + 1).execute();
}

export async function linesOfOrders(tx: Tx, orderIds: readonly string[]): Promise<LineRow[]> {
  if (orderIds.length === 0) return [];
  return tx.selectFrom('order_line').selectAll().where('order_id', 'in', orderIds).orderBy('order_id').orderBy('line_no').execute();
}

export async function allocationsOfOrders(tx: Tx, orderIds: readonly string[]): Promise<AllocationRow[]> {
  if (orderIds.length === 0) return [];
  return tx.selectFrom('allocation').selectAll().where('order_id', 'in', orderIds).orderBy('id').execute();
}
