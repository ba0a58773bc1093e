/**
 * Supplier history reduced once: for each supplier (and supplier x SKU with enough receipts) the lateness shift and
 * lead time at the promise quantile, and their confidences, each computed once per quantile and kept with the
 * supplier's receipts (between projections too: purchasing/receipt-samples.ts). Every PO line and every fallback of
 * that supplier then costs a lookup, not a pass over all its receipts.
 */
import { lateness, leadTimes, minSamples, type ReceiptSample } from '../purchasing/performance.js';
import { probabilityAtMost, quantile } from './domain.js';

export interface ItemHistory {
  /** Days to add to a PO line's expected date (0 without enough history). */
  shiftDays: number;
  /** Estimated probability of arriving within the shift. */
  shiftConfidence: number;
  /** Lead time at the quantile, measured; null without enough history. */
  leadTimeDays: number | null;
  /** Estimated probability of a lead time within leadTimeDays (0.5 without history). */
  leadConfidence: number;
}

export interface HistoryStats {
  of(supplierId: string, skuId: string): ItemHistory;
}

export function historyStats(receipts: readonly ReceiptSample[], q: number): HistoryStats {
  return statsOf(suppliersOf(receipts), q);
}

/** Receipts grouped by supplier, each group a SupplierHistory. */
function suppliersOf(receipts: readonly ReceiptSample[]): Map<string, SupplierHistory> {
  const bySupplier = new Map<string, ReceiptSample[]>();
  for (const r of receipts) (bySupplier.get(r.supplierId) ?? bySupplier.set(r.supplierId, []).get(r.supplierId)!).push(r);
  return new Map([...bySupplier].map(([id, rs]) => [id, new SupplierHistory(rs)]));
}

/** The HistoryStats of some suppliers' histories at the quantile q (a supplier without one has no receipts). */
export function statsOf(suppliers: ReadonlyMap<string, SupplierHistory>, q: number): HistoryStats {
  return { of: (supplierId, skuId) => (suppliers.get(supplierId) ?? noReceipts).of(skuId, q) };
}

/**
 * One supplier's receipts, grouped by SKU, with each summary computed once per quantile: immutable, so it can be
 * kept between projections while the supplier's receipts stay the same (purchasing/receipt-samples.ts).
 */
export class SupplierHistory {
  private readonly bySku = new Map<string, ReceiptSample[]>();
  private readonly computed = new Map<string, ItemHistory>();
  constructor(readonly receipts: readonly ReceiptSample[]) {
    for (const r of receipts) (this.bySku.get(r.skuId) ?? this.bySku.set(r.skuId, []).get(r.skuId)!).push(r);
  }
  /** A SKU is judged by its own receipts when there are enough, else by all of the supplier's. */
  of(skuId: string, q: number): ItemHistory {
    const own = this.bySku.get(skuId);
    const samples = own && own.length >= minSamples ? own : this.receipts;
    const key = `${q}\u0000${samples === own ? skuId : ''}`;
    let stats = this.computed.get(key);
    if (!stats) this.computed.set(key, (stats = summarise(samples, q)));
    return stats;
  }
}

const noReceipts = new SupplierHistory([]);

function summarise(samples: readonly ReceiptSample[], q: number): ItemHistory {
  const late = lateness(samples);
  const enough = samples.length >= minSamples;
  const shiftDays = enough ? Math.max(0, Math.ceil(quantile(late, q)!)) : 0;
  const lead = enough ? leadTimes(samples) : null;
  const leadTimeDays = lead ? Math.ceil(quantile(lead, q)!) : null;
  return {
    shiftDays,
    shiftConfidence: probabilityAtMost(late, shiftDays),
    leadTimeDays,
    leadConfidence: lead && leadTimeDays !== null ? probabilityAtMost(lead, leadTimeDays) : 0.5,
  };
}
