/** SQL for orders, their lines, allocations and shipments. */
import { sql, type Selectable } from 'kysely';
import type { Tx } from '../db/connect.js';
import { updateEveryRow } from '../db/row-updates.js';
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

/** adjustLine for a shipment's lines, in one statement: allocated and shipped change, last_shipped_at is now. */
export async function adjustLines(tx: Tx, changes: readonly { id: string; allocated: number; shipped: number }[], shippedAt: string): Promise<void> {
  for (let at = 0; at < changes.length; at += 300) {
    // VALUES columns are column1..3 on both engines; parameters arrive untyped on PostgreSQL, hence the casts.
    const values = sql.join(changes.slice(at, at + 300).map((c) => sql`(${c.id}, ${c.allocated}, ${c.shipped})`));
    await sql`
      update order_line set allocated = allocated + cast(v.column2 as bigint), shipped = shipped + cast(v.column3 as bigint),
        last_shipped_at = ${shippedAt}
      from (values ${values}) as v
      where order_line.id = v.column1`.execute(tx);
  }
}

/**
 * Moves units out of allocations (shipped, or released to stock), never below zero; one statement each 300
 * allocations: false unless every one held the units.
 */
export async function drawAllocations(tx: Tx, draws: readonly { id: string; quantity: number }[], as: 'shipped' | 'released'): Promise<boolean> {
  const counter = as === 'shipped' ? sql`shipped = shipped + cast(v.column2 as bigint)` : sql`released = released + cast(v.column2 as bigint)`;
  return updateEveryRow(tx, draws, (chunk) => {
    const values = sql.join(chunk.map((d) => sql`(${d.id}, ${d.quantity})`));
    return sql`
      update allocation set quantity = quantity - cast(v.column2 as bigint), ${counter}
      from (values ${values}) as v
      where allocation.id = v.column1 and allocation.quantity >= cast(v.column2 as bigint)`;
  });
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
