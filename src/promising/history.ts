/**
 * Supplier history reduced once per projection: for each supplier (and supplier x SKU with enough receipts) the
 * lateness shift and lead time at the promise quantile, and their confidences. Every PO line and every fallback of
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
  const bySupplier = new Map<string, ReceiptSample[]>();
  const byItem = new Map<string, ReceiptSample[]>();
  for (const r of receipts) {
    (bySupplier.get(r.supplierId) ?? bySupplier.set(r.supplierId, []).get(r.supplierId)!).push(r);
    const key = `${r.supplierId}\u0000${r.skuId}`;
    (byItem.get(key) ?? byItem.set(key, []).get(key)!).push(r);
  }
  const computed = new Map<string, ItemHistory>();
  const summarise = (samples: readonly ReceiptSample[]): ItemHistory => {
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
  };
  return {
    of(supplierId, skuId) {
      // A supplier x SKU is judged by its own receipts when there are enough, else by all of the supplier's.
      const itemKey = `${supplierId}\u0000${skuId}`;
      const key = (byItem.get(itemKey)?.length ?? 0) >= minSamples ? itemKey : supplierId;
      let stats = computed.get(key);
      if (!stats) {
        stats = summarise(key === itemKey ? byItem.get(itemKey)! : (bySupplier.get(supplierId) ?? []));
        computed.set(key, stats);
      }
      return stats;
    },
  };
}
