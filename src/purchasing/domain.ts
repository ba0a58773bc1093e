/** Purchase-order states as a table, and what a PO looks like to the API. */
import { defineMachine } from '../shared/fsm.js';
import type { PurchaseOrderStatus } from '../db/schema.js';
import type { PoLineRow, PurchaseOrderRow } from './repository.js';

export const poMachine = defineMachine<PurchaseOrderStatus>('purchase order', {
  draft: ['placed', 'cancelled'],
  placed: ['partially_received', 'received', 'cancelled'],
  partially_received: ['received', 'cancelled'],
  received: [],
  cancelled: [],
});

export interface PurchaseOrderView {
  id: string;
  supplierId: string;
  reference: string | null;
  status: PurchaseOrderStatus;
  placedAt: string | null;
  createdAt: string;
  updatedAt: string;
  lines: {
    id: string;
    lineNo: number;
    skuId: string;
    warehouseId: string;
    quantity: number;
    received: number;
    cancelled: number;
    /** Units still expected. */
    open: number;
    expectedDate: string;
    originalExpectedDate: string;
  }[];
}

export const openOf = (l: PoLineRow): number => l.quantity - l.received - l.cancelled;

/** After a receipt: received when nothing is left open, else partially received. */
export const statusAfterReceipt = (lines: readonly PoLineRow[]): PurchaseOrderStatus =>
  lines.every((l) => openOf(l) === 0) ? 'received' : 'partially_received';

export function poView(po: PurchaseOrderRow, lines: readonly PoLineRow[]): PurchaseOrderView {
  return {
    id: po.id,
    supplierId: po.supplier_id,
    reference: po.reference,
    status: po.status,
    placedAt: po.placed_at,
    createdAt: po.created_at,
    updatedAt: po.updated_at,
    lines: lines.map((l) => ({
      id: l.id,
      lineNo: l.line_no,
      skuId: l.sku_id,
      warehouseId: l.warehouse_id,
      quantity: l.quantity,
      received: l.received,
      cancelled: l.cancelled,
      open: openOf(l),
      expectedDate: l.expected_date,
      originalExpectedDate: l.original_expected_date,
    })),
  };
}
