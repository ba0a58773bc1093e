/**
 * Turns purchase-order lines, transfers in transit and supplier history into supply lots and lead-time fallbacks
 * for the projection. Pure: the service loads the rows and the receipts.
 */
import type { InboundLine, SupplierItemRow, TransferRow } from '../purchasing/repository.js';
import { addDays, type Fallback, type SupplyLot } from './domain.js';
import type { HistoryStats } from './history.js';

export interface SupplyInputs {
  today: string;
  /** Quantile of lateness and lead time that promises are made at (e.g. 0.8). */
  quantile: number;
  history: HistoryStats;
}

/** A PO line's open units, due on its expected date shifted by the supplier's lateness at the quantile. */
export function poLot(line: InboundLine, s: SupplyInputs): SupplyLot {
  const { shiftDays, shiftConfidence } = s.history.of(line.supplier_id, line.sku_id);
  const due = addDays(line.expected_date, shiftDays);
  return {
    id: line.id,
    warehouseId: line.warehouse_id,
    quantity: line.quantity - line.received - line.cancelled,
    date: due < s.today ? s.today : due,
    due,
    confidence: shiftConfidence,
    basis: { kind: 'po', poId: line.po_id, poLineId: line.id, supplierId: line.supplier_id, expectedDate: line.expected_date, shiftDays },
  };
}

/** Transit times are the company's own, so a transfer's arrival is trusted more than a supplier's date. */
export const transferConfidence = 0.9;

export function transferLot(t: TransferRow, s: SupplyInputs): SupplyLot {
  return {
    id: t.id,
    warehouseId: t.to_warehouse_id,
    quantity: t.quantity,
    date: t.expected_arrival < s.today ? s.today : t.expected_arrival,
    due: t.expected_arrival,
    confidence: transferConfidence,
    basis: { kind: 'transfer', transferId: t.id, fromWarehouseId: t.from_warehouse_id, arrivalDate: t.expected_arrival },
  };
}

/**
 * For demand no inbound covers: today + the shortest lead time at the quantile among the SKU's suppliers (measured
 * when there is enough history, else as configured).
 */
export function leadTimeFallback(items: readonly SupplierItemRow[], defaults: ReadonlyMap<string, number>, s: SupplyInputs): Fallback {
  let best: { supplierId: string; days: number; confidence: number } | null = null;
  for (const item of items) {
    const h = s.history.of(item.supplier_id, item.sku_id);
    const days = h.leadTimeDays ?? Math.ceil(item.lead_time_days ?? defaults.get(item.supplier_id) ?? 0);
    const confidence = h.leadConfidence;
    if (best === null || days < best.days) best = { supplierId: item.supplier_id, days, confidence };
  }
  if (best === null) return { date: null, confidence: 0, basis: { kind: 'none', reason: 'no supplier is known for this SKU' } };
  return {
    date: addDays(s.today, best.days),
    confidence: best.confidence,
    basis: { kind: 'lead_time', supplierId: best.supplierId, leadTimeDays: best.days, quantile: s.quantile },
  };
}
