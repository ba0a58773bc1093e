/** Orders as the API shows them, assembled from rows; line status follows from the line's quantities. */
import type { AllocationRow, LineRow, OrderRow } from './repository.js';
import type { BackorderRow } from '../backorders/repository.js';

export type LineStatus = 'backordered' | 'allocated' | 'shipped' | 'cancelled' | 'rejected';

export interface OrderLineView {
  id: string;
  lineNo: number;
  skuId: string;
  quantity: number;
  allocated: number;
  shipped: number;
  /** Units still waiting for stock. */
  waiting: number;
  backorderedAtIntake: number;
  rejected: number;
  rejectReason: string | null;
  cancelled: number;
  status: LineStatus;
  backorderId: string | null;
  allocations: { warehouseId: string; quantity: number; shipped: number }[];
}

export interface OrderView {
  id: string;
  customerId: string;
  reference: string | null;
  shipComplete: boolean;
  status: OrderRow['status'];
  placedAt: string;
  updatedAt: string;
  lines: OrderLineView[];
}

/** Units neither shipped, allocated, rejected nor cancelled: they wait on the line's backorder. */
export const lineWaiting = (l: LineRow): number => l.quantity - l.allocated - l.shipped - l.rejected - l.cancelled;

export function lineStatus(l: LineRow): LineStatus {
  if (lineWaiting(l) > 0) return 'backordered';
  if (l.allocated > 0) return 'allocated';
  if (l.shipped > 0) return 'shipped';
  return l.cancelled > 0 ? 'cancelled' : 'rejected';
}

/** An order is open while any unit is allocated or waiting. */
export const orderStatusOf = (lines: readonly LineRow[]): OrderRow['status'] =>
  lines.some((l) => l.allocated > 0 || lineWaiting(l) > 0) ? 'open' : 'closed';

export function orderView(
  order: OrderRow,
  lines: readonly LineRow[],
  allocations: readonly AllocationRow[],
  backorders: readonly Pick<BackorderRow, 'id' | 'order_line_id'>[],
): OrderView {
  return {
    id: order.id,
    customerId: order.customer_id,
    reference: order.reference,
    shipComplete: order.ship_complete === 1,
    status: order.status,
    placedAt: order.placed_at,
    updatedAt: order.updated_at,
    lines: lines.map((l) => ({
      id: l.id,
      lineNo: l.line_no,
      skuId: l.sku_id,
      quantity: l.quantity,
      allocated: l.allocated,
      shipped: l.shipped,
      waiting: lineWaiting(l),
      backorderedAtIntake: l.backordered,
      rejected: l.rejected,
      rejectReason: l.reject_reason,
      cancelled: l.cancelled,
      status: lineStatus(l),
      backorderId: backorders.find((b) => b.order_line_id === l.id)?.id ?? null,
      allocations: mergeByWarehouse(allocations.filter((a) => a.order_line_id === l.id)),
    })),
  };
}

function mergeByWarehouse(rows: readonly AllocationRow[]): OrderLineView['allocations'] {
  const byWh = new Map<string, { warehouseId: string; quantity: number; shipped: number }>();
  for (const a of rows) {
    const entry = byWh.get(a.warehouse_id) ?? { warehouseId: a.warehouse_id, quantity: 0, shipped: 0 };
    entry.quantity += a.quantity;
    entry.shipped += a.shipped;
    byWh.set(a.warehouse_id, entry);
  }
  return [...byWh.values()];
}
