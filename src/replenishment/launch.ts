/**
 * Demand of a product that is listed but has not sold yet, from the launches most like it: without it every policy
 * that learns from sales holds nothing for a new product, and its first weeks' orders all wait a lead time (on the
 * Online Retail year, new products' first weeks were 9% of order lines and most of the backorders).
 *
 * A launch is a SKU listed inside the demand window whose first order came at least `firstDays` days before the
 * window's end, so its first `firstDays` days of demand are known; its units and order lines there, per warehouse,
 * are one sample. A product about to launch takes the `analogs` launches nearest it in unit cost (ratio, not
 * difference: a 0.40 and a 0.80 item are as far apart as a 4 and an 8 one; cheap items sell by the dozen, dear ones
 * singly), and its daily demand at each warehouse is their mean over those days, with their variance: the spread
 * between launches is the uncertainty about which kind of launch this one will be. Pure.
 */
import type { DemandEstimate } from './estimate.js';

export const launchSettings = {
  /** Days of a launch's first demand that make a sample. */
  firstDays: 28,
  /** Launches a new product is compared with. */
  analogs: 25,
  /** Fewer launches than this in the window and no estimate is made: the product waits for its own sales. */
  minAnalogs: 10,
  /** A SKU listed longer ago than this without an order is not about to launch; nothing is held for it. */
  listedWithinDays: 90,
} as const;

export interface LaunchSample {
  skuId: string;
  unitCostMinor: number;
  /** Units and order lines in its first `firstDays` days, per warehouse (absent: none there). */
  byWarehouse: ReadonlyMap<string, { units: number; lines: number }>;
}

export interface LaunchEstimate extends DemandEstimate {
  /** Units per order line of the analogs at this warehouse (1 when they had none). */
  meanLineSize: number;
  analogs: number;
}

/** The launches sorted by unit cost once, so each product about to launch finds its nearest in O(log n + analogs). */
export function launchAnalogs(samples: readonly LaunchSample[], s = launchSettings) {
  const logCost = (c: number) => Math.log(Math.max(1, c));
  const sorted = samples.map((x) => ({ x, at: logCost(x.unitCostMinor) })).sort((a, b) => a.at - b.at || byId(a.x, b.x));
  /** The `analogs` launches nearest in log unit cost, ties by SKU id (as sorting all of them by that would give). */
  const nearest = (unitCostMinor: number): LaunchSample[] => {
    const at = logCost(unitCostMinor);
    const k = Math.min(s.analogs, sorted.length);
    let lo = 0;
    for (let hi = sorted.length; lo < hi; ) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]!.at < at) lo = mid + 1;
      else hi = mid;
    }
    // Widen [left, right) to the k nearest, then take in every launch as far as the farthest of them (a tie at the
    // edge), and let the sort by (distance, id) choose among those.
    let left = lo;
    let right = lo;
    const distance = (i: number) => Math.abs(sorted[i]!.at - at);
    while (right - left < k) {
      if (left > 0 && (right >= sorted.length || distance(left - 1) <= distance(right))) left--;
      else right++;
    }
    const edge = Math.max(left < right ? distance(left) : 0, left < right ? distance(right - 1) : 0);
    while (left > 0 && distance(left - 1) <= edge) left--;
    while (right < sorted.length && distance(right) <= edge) right++;
    return sorted
      .slice(left, right)
      .sort((a, b) => Math.abs(a.at - at) - Math.abs(b.at - at) || byId(a.x, b.x))
      .slice(0, k)
      .map((e) => e.x);
  };
  return {
    /** The daily demand of a product about to launch at one warehouse, or null with too few launches to compare with. */
    estimate(unitCostMinor: number, warehouseId: string): LaunchEstimate | null {
      if (samples.length < s.minAnalogs) return null;
      return estimateFrom(nearest(unitCostMinor), warehouseId, s);
    },
    nearest,
  };
}

/** launchAnalogs(samples).estimate(unitCostMinor, warehouseId), for one product. */
export function launchEstimate(unitCostMinor: number, warehouseId: string, samples: readonly LaunchSample[], s = launchSettings): LaunchEstimate | null {
  return launchAnalogs(samples, s).estimate(unitCostMinor, warehouseId);
}

const byId = (a: LaunchSample, b: LaunchSample) => (a.skuId < b.skuId ? -1 : a.skuId > b.skuId ? 1 : 0);

function estimateFrom(nearest: readonly LaunchSample[], warehouseId: string, s: typeof launchSettings): LaunchEstimate {
  const units = nearest.map((x) => x.byWarehouse.get(warehouseId)?.units ?? 0);
  const lines = nearest.reduce((sum, x) => sum + (x.byWarehouse.get(warehouseId)?.lines ?? 0), 0);
  const n = units.length;
  const total = units.reduce((a, b) => a + b, 0);
  const mean = total / n;
  const variance = units.reduce((acc, u) => acc + (u - mean) * (u - mean), 0) / (n - 1);
  return {
    // Spread over the days as the weekly forecaster spreads a week: any horizon's total keeps the launches' dispersion.
    dailyMean: mean / s.firstDays,
    dailyVariance: Math.max(variance, mean) / s.firstDays,
    method: `launch-analogs(${n} launches nearest in unit cost, first ${s.firstDays}d)`,
    meanLineSize: lines > 0 && total > 0 ? total / lines : 1,
    analogs: n,
  };
}
