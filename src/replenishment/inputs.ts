/**
 * The rules that turn stored facts into planning inputs, as pure functions: a supplier item's lead time (measured
 * or configured), the demand distribution family, the cheapest supplier, and the holding cost.
 */
import type { Family, Moments } from '../planning/distributions.js';
import type { LeadTime } from '../planning/safety-stock.js';
import { leadTimes, minSamples, type ReceiptSample } from '../purchasing/performance.js';

export type LeadTimeSource = 'item-receipts' | 'supplier-receipts' | 'configured';

export interface LeadTimeEstimate extends LeadTime {
  source: LeadTimeSource;
  /** Receipts the estimate was measured from (0 when configured). */
  receipts: number;
}

/** A supplier item as planning sees it. */
export interface SupplierChoice {
  supplierId: string;
  unitCostMinor: number;
  packSize: number;
  minOrderQty: number;
  leadTime: LeadTimeEstimate;
}

/**
 * Lead time (placed -> received) of a supplier item. Measured from receipts as promising does: the item's own when
 * it has at least `minSamples` (5), else the supplier's across its SKUs when those reach 5; mean and sample sd.
 * Without that history: the configured lead time (the item's, else the supplier's default) with sd 0, since a
 * configured figure says nothing about its spread; the first receipts then bring the spread in.
 */
export function leadTimeEstimate(skuId: string, configuredDays: number, supplierReceipts: readonly ReceiptSample[]): LeadTimeEstimate {
  const summary = summaryOf(supplierReceipts);
  const own = summary.bySku.get(skuId) ?? [];
  if (own.length >= minSamples) return measured(own, 'item-receipts');
  if (summary.supplierWide) return { ...summary.supplierWide };
  return { meanDays: Math.max(0, configuredDays), sdDays: 0, source: 'configured', receipts: 0 };
}

/**
 * A supplier's receipts grouped by SKU and measured as a whole once per array (arrays of receipts are built, then
 * only read): planning asks for every item of a supplier with a year of receipts, and a pass over all of them per
 * item made each weekly review of a replayed year take seconds.
 */
const summaries = new WeakMap<readonly ReceiptSample[], { bySku: Map<string, ReceiptSample[]>; supplierWide: LeadTimeEstimate | null }>();
function summaryOf(receipts: readonly ReceiptSample[]) {
  let summary = summaries.get(receipts);
  if (!summary) {
    const bySku = new Map<string, ReceiptSample[]>();
    for (const r of receipts) (bySku.get(r.skuId) ?? bySku.set(r.skuId, []).get(r.skuId)!).push(r);
    summary = { bySku, supplierWide: receipts.length >= minSamples ? measured(receipts, 'supplier-receipts') : null };
    summaries.set(receipts, summary);
  }
  return summary;
}

function measured(samples: readonly ReceiptSample[], source: LeadTimeSource): LeadTimeEstimate {
  const days = leadTimes(samples).map((d) => Math.max(0, d));
  const mean = days.reduce((a, b) => a + b, 0) / days.length;
  const variance = days.reduce((s, d) => s + (d - mean) * (d - mean), 0) / (days.length - 1);
  return { meanDays: mean, sdDays: Math.sqrt(variance), source, receipts: days.length };
}

/** Expected demand over the protection interval below which a series counts as low volume. */
export const lowVolumeUnits = 30;

/**
 * The distribution family for a SKU x warehouse. Smooth demand (at least `lowVolumeUnits` expected over review +
 * lead time) is normal: there the normal is accurate and its symmetric tail harmless. Low-volume demand is counted
 * in whole units: negative binomial when the daily variance exceeds the mean (lumpy demand), else Poisson (the
 * negative binomial's own limit). No demand at all is normal, which the planning core treats as a point at zero.
 */
export function chooseFamily(daily: Moments, protectionDays: number): Family {
  const expected = daily.mean * protectionDays;
  if (!(daily.mean > 0) || expected >= lowVolumeUnits) return 'normal';
  return daily.variance > daily.mean ? 'negative-binomial' : 'poisson';
}

/** The supplier with the lowest unit cost; ties go to the shorter mean lead time, then the lower id. */
export function cheapestSupplier(choices: readonly SupplierChoice[]): SupplierChoice | null {
  let best: SupplierChoice | null = null;
  for (const c of choices) {
    const better =
      best === null ||
      c.unitCostMinor < best.unitCostMinor ||
      (c.unitCostMinor === best.unitCostMinor &&
        (c.leadTime.meanDays < best.leadTime.meanDays || (c.leadTime.meanDays === best.leadTime.meanDays && c.supplierId < best.supplierId)));
    if (better) best = c;
  }
  return best;
}

/**
 * The unit value holding costs are taken on: the supplier's price, else the SKU's cost, else 1 minor unit, because
 * the policies need a positive holding cost (a free item would otherwise have an infinite order quantity).
 */
export function holdingValue(supplierUnitCost: number, skuUnitCost: number): number {
  if (supplierUnitCost > 0) return supplierUnitCost;
  return skuUnitCost > 0 ? skuUnitCost : 1;
}
