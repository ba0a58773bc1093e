/**
 * Supplier reliability from history, as pure functions: lead time (placed -> received), lateness (received -
 * expected at placement, in days), on-time rate, quantity fill rate. Promises use these to shift PO dates and to
 * estimate lead times at a quantile.
 */
import { daysBetween, quantile } from '../promising/domain.js';

export interface ReceiptSample {
  supplierId: string;
  skuId: string;
  placedAt: string;
  expectedDate: string;
  receivedAt: string;
}

export interface Distribution {
  mean: number;
  p50: number;
  p80: number;
  p95: number;
}

export interface Performance {
  receipts: number;
  leadTimeDays: Distribution | null;
  latenessDays: Distribution | null;
  /** Share of receipts that arrived on or before the date expected when the PO was placed. */
  onTimeRate: number | null;
  /** Units received / units ordered over closed PO lines. */
  quantityFillRate: number | null;
}

/** Per-SKU figures are used only with at least this many receipts; below it the supplier's overall figures serve. */
export const minSamples = 5;

export function distribution(sample: readonly number[]): Distribution | null {
  if (sample.length === 0) return null;
  return {
    mean: sample.reduce((a, b) => a + b, 0) / sample.length,
    p50: quantile(sample, 0.5)!,
    p80: quantile(sample, 0.8)!,
    p95: quantile(sample, 0.95)!,
  };
}

export const leadTimes = (rs: readonly ReceiptSample[]) => rs.map((r) => daysBetween(r.placedAt, r.receivedAt));
export const lateness = (rs: readonly ReceiptSample[]) => rs.map((r) => daysBetween(r.expectedDate, r.receivedAt));

export function performance(receipts: readonly ReceiptSample[], closedLines: readonly { quantity: number; received: number }[]): Performance {
  const late = lateness(receipts);
  const ordered = closedLines.reduce((s, l) => s + l.quantity, 0);
  return {
    receipts: receipts.length,
    leadTimeDays: distribution(leadTimes(receipts)),
    latenessDays: distribution(late),
    onTimeRate: late.length === 0 ? null : late.filter((d) => d <= 0).length / late.length,
    quantityFillRate: ordered === 0 ? null : closedLines.reduce((s, l) => s + l.received, 0) / ordered,
  };
}

export interface MonthPerformance {
  /** YYYY-MM of the receipts. */
  month: string;
  receipts: number;
  onTimeRate: number;
  meanLeadTimeDays: number;
  meanLatenessDays: number;
}

/** The trend: receipts grouped by the month they arrived in, oldest first (months without receipts are left out). */
export function monthlyTrend(receipts: readonly ReceiptSample[]): MonthPerformance[] {
  const byMonth = new Map<string, ReceiptSample[]>();
  for (const r of receipts) {
    const m = r.receivedAt.slice(0, 7);
    (byMonth.get(m) ?? byMonth.set(m, []).get(m)!).push(r);
  }
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return [...byMonth.keys()].sort().map((month) => {
    const rs = byMonth.get(month)!;
    const late = lateness(rs);
    return { month, receipts: rs.length, onTimeRate: late.filter((d) => d <= 0).length / rs.length, meanLeadTimeDays: mean(leadTimes(rs)), meanLatenessDays: mean(late) };
  });
}
