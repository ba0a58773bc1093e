/** SQL for supplier items, purchase orders, their lines and receipts, and transfers in transit. */
import { sql, type Selectable } from 'kysely';
import type { Tx } from '../db/connect.js';
import { receiptWritten } from './receipt-samples.js';
import type { PoLineTable, PoReceiptTable, PurchaseOrderStatus, PurchaseOrderTable, SupplierItemTable, TransferTable } from '../db/schema.js';

export type SupplierItemRow = Selectable<SupplierItemTable>;
export type PurchaseOrderRow = Selectable<PurchaseOrderTable>;
export type PoLineRow = Selectable<PoLineTable>;
export type PoReceiptRow = Selectable<PoReceiptTable>;
export type TransferRow = Selectable<TransferTable>;

/** PO states whose open quantities are inbound supply. */
export const inboundStatuses: PurchaseOrderStatus[] = ['placed', 'partially_received'];

export async function upsertSupplierItem(tx: Tx, row: SupplierItemRow): Promise<void> {
  const { supplier_id: _s, sku_id: _k, created_at: _c, ...changes } = row;
  await tx
    .insertInto('supplier_item')
    .values(row)
    .onConflict((oc) => oc.columns(['supplier_id', 'sku_id']).doUpdateSet(changes))
    .execute();
}

export async function supplierItems(tx: Tx, by: { supplierId?: string; skuIds?: readonly string[] }): Promise<SupplierItemRow[]> {
  let q = tx.selectFrom('supplier_item').selectAll();
  if (by.supplierId) q = q.where('supplier_id', '=', by.supplierId);
  if (by.skuIds) {
    if (by.skuIds.length === 0) return [];
    q = q.where('sku_id', 'in', [...new Set(by.skuIds)]);
  }
  return q.orderBy('supplier_id').orderBy('sku_id').execute();
}

export async function insertPurchaseOrder(tx: Tx, po: PurchaseOrderRow, lines: PoLineRow[]): Promise<void> {
  await tx.insertInto('purchase_order').values(po).execute();
  await tx.insertInto('po_line').values(lines).execute();
}

export async function findPurchaseOrder(tx: Tx, id: string): Promise<PurchaseOrderRow | undefined> {
  return tx.selectFrom('purchase_order').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function linesOfPo(tx: Tx, poId: string): Promise<PoLineRow[]> {
  return tx.selectFrom('po_line').selectAll().where('po_id', '=', poId).orderBy('line_no').execute();
}

export async function linesOfPos(tx: Tx, poIds: readonly string[]): Promise<PoLineRow[]> {
  if (poIds.length === 0) return [];
  return tx.selectFrom('po_line').selectAll().where('po_id', 'in', poIds).orderBy('po_id').orderBy('line_no').execute();
}

/** Moves a PO from one status to another; false if it was no longer in `from` (a concurrent change). */
export async function setPoStatus(tx: Tx, id: string, from: PurchaseOrderStatus, to: PurchaseOrderStatus, now: string, placedAt?: string): Promise<boolean> {
  const r = await tx
    .updateTable('purchase_order')
    .set({ status: to, updated_at: now, ...(placedAt ? { placed_at: placedAt } : {}) })
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function setExpectedDate(tx: Tx, lineId: string, date: string, alsoOriginal: boolean): Promise<void> {
  await tx
    .updateTable('po_line')
    .set(alsoOriginal ? { expected_date: date, original_expected_date: date } : { expected_date: date })
    .where('id', '=', lineId)
    .execute();
}

/** Adds received and cancelled units to a line; the CHECK refuses more than was ordered. */
export async function drawPoLine(tx: Tx, lineId: string, delta: { received?: number; cancelled?: number }): Promise<void> {
  await tx
    .updateTable('po_line')
    .set({ received: sql`received + ${delta.received ?? 0}`, cancelled: sql`cancelled + ${delta.cancelled ?? 0}` })
    .where('id', '=', lineId)
    .execute();
}

export async function insertPoReceipt(tx: Tx, row: PoReceiptRow): Promise<void> {
  receiptWritten(tx, row.supplier_id);
  await tx.insertInto('po_receipt').values(row).execute();
}

export interface InboundLine
  extends Pick<PoLineRow, 'id' | 'po_id' | 'sku_id' | 'warehouse_id' | 'quantity' | 'received' | 'cancelled' | 'expected_date'> {
  supplier_id: string;
}

/** Open PO lines (placed, not fully received or cancelled) of the given SKUs. */
export async function inboundLines(tx: Tx, skuIds: readonly string[] | 'all'): Promise<InboundLine[]> {
  let q = tx
    .selectFrom('po_line as l')
    .innerJoin('purchase_order as po', 'po.id', 'l.po_id')
    .select(['l.id', 'l.po_id', 'l.sku_id', 'l.warehouse_id', 'l.quantity', 'l.received', 'l.cancelled', 'l.expected_date', 'po.supplier_id'])
    .where('po.status', 'in', inboundStatuses)
    .where(sql<boolean>`l.quantity - l.received - l.cancelled > 0`);
  if (skuIds !== 'all') {
    if (skuIds.length === 0) return [];
    q = q.where('l.sku_id', 'in', [...new Set(skuIds)]);
  }
  return q.execute();
}

export async function transfersInTransit(tx: Tx, skuIds: readonly string[] | 'all'): Promise<TransferRow[]> {
  let q = tx.selectFrom('transfer').selectAll().where('status', '=', 'in_transit');
  if (skuIds !== 'all') {
    if (skuIds.length === 0) return [];
    q = q.where('sku_id', 'in', [...new Set(skuIds)]);
  }
  return q.execute();
}

/** Lines of closed POs (received or cancelled) for quantity fill rate. */
export async function closedLines(tx: Tx, supplierId: string): Promise<PoLineRow[]> {
  return tx
    .selectFrom('po_line as l')
    .innerJoin('purchase_order as po', 'po.id', 'l.po_id')
    .selectAll('l')
    .where('po.supplier_id', '=', supplierId)
    .where('po.status', 'in', ['received', 'cancelled'])
    .execute();
}

export async function insertTransfer(tx: Tx, row: TransferRow): Promise<void> {
  await tx.insertInto('transfer').values(row).execute();
}

export async function findTransfer(tx: Tx, id: string): Promise<TransferRow | undefined> {
  return tx.selectFrom('transfer').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function markArrived(tx: Tx, id: string, now: string): Promise<boolean> {
  const r = await tx
    .updateTable('transfer')
    .set({ status: 'arrived', arrived_at: now })
    .where('id', '=', id)
    .where('status', '=', 'in_transit')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export interface PoFilter {
  supplierId?: string | undefined;
  status?: PurchaseOrderStatus | undefined;
  /** Only orders with a line for this SKU. */
  skuId?: string | undefined;
}

export async function listPurchaseOrders(tx: Tx, f: PoFilter, after: string | null, limit: number): Promise<PurchaseOrderRow[]> {
  let q = tx.selectFrom('purchase_order').selectAll();
  if (f.supplierId) q = q.where('supplier_id', '=', f.supplierId);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.skuId) q = q.where('id', 'in', (eb) => eb.selectFrom('po_line').select('po_id').where('sku_id', '=', f.skuId!));
  if (after !== null) q = q.where('id', '>', after);
  return q.orderBy('id').limit(limit + 1).execute();
}
