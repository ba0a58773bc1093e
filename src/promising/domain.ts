/**
 * Promise dates as a pure, time-phased projection (available-to-promise). Waiting backorders of one SKU, in the
 * allocation strategy's queue order, consume inbound supply lots (open PO lines, transfers in transit) in order of
 * their effective date; a backorder is promised the date of the lot that completes it. Demand no inbound covers is
 * promised today + the supplier's lead time at the chosen quantile, marked unconfirmed. Dates are ISO days
 * (YYYY-MM-DD); supply arriving on a day can ship that day.
 */

export type PromiseBasis =
  | { kind: 'stock' }
  | { kind: 'po'; poId: string; poLineId: string; supplierId: string; expectedDate: string; shiftDays: number }
  | { kind: 'transfer'; transferId: string; fromWarehouseId: string; arrivalDate: string }
  | { kind: 'lead_time'; supplierId: string; leadTimeDays: number; quantile: number }
  | { kind: 'none'; reason: string };

export interface SupplyLot {
  id: string;
  warehouseId: string;
  /** Units not yet received or cancelled. */
  quantity: number;
  /** When the units can ship: expected date shifted by the supplier's lateness at the quantile, not before today. */
  date: string;
  /** The same before the "not before today" clamp; stored so a later day can clamp again. */
  due?: string;
  confidence: number;
  basis: PromiseBasis;
}

export interface WaitingBackorder {
  backorderId: string;
  waiting: number;
  warehouseId: string;
  flexible: boolean;
}

export interface Fallback {
  /** today + lead time at the quantile, or null when no supplier is known for the SKU. */
  date: string | null;
  confidence: number;
  basis: PromiseBasis;
}

export interface Promise {
  backorderId: string;
  date: string | null;
  confidence: number;
  confirmed: boolean;
  basis: PromiseBasis;
  /** Units of each lot this backorder is expected to take (lot id -> units). */
  takes: Map<string, number>;
}

const later = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a > b ? a : b);

/**
 * Promises for `queue` (already in allocation order). Lots are consumed earliest first; no lot is promised more
 * than its quantity; among demand that may use the same lots, dates never decrease along the queue.
 *
 * Linear in queue + lots: a flexible backorder draws from all lots, a pinned one from its warehouse's; each list has
 * a cursor that only moves forward past lots used up, so no lot is scanned again once empty.
 */
export function project(queue: readonly WaitingBackorder[], lots: readonly SupplyLot[], fallback: Fallback): Promise[] {
  const all = lots.map((lot) => ({ lot, left: lot.quantity })).sort((a, b) => byDateThenId(a.lot, b.lot));
  const byWarehouse = new Map<string, typeof all>();
  for (const entry of all) {
    const list = byWarehouse.get(entry.lot.warehouseId);
    if (list) list.push(entry);
    else byWarehouse.set(entry.lot.warehouseId, [entry]);
  }
  const cursors = new Map<(typeof all)[number][], number>();
  return queue.map((b) => {
    const list = b.flexible ? all : (byWarehouse.get(b.warehouseId) ?? []);
    let i = cursors.get(list) ?? 0;
    while (i < list.length && list[i]!.left === 0) i++;
    cursors.set(list, i);
    let need = b.waiting;
    const takes = new Map<string, number>();
    let completing: SupplyLot | null = null;
    let confidence = 1;
    for (let j = i; j < list.length && need > 0; j++) {
      const entry = list[j]!;
      if (entry.left === 0) continue;
      const take = Math.min(need, entry.left);
      entry.left -= take;
      need -= take;
      takes.set(entry.lot.id, take);
      confidence = Math.min(confidence, entry.lot.confidence);
      completing = entry.lot;
    }
    if (need === 0 && completing !== null) {
      return { backorderId: b.backorderId, date: completing.date, confidence, confirmed: true, basis: completing.basis, takes };
    }
    // Uncovered demand has used up every lot it could take, so the rest cannot come before the last of them.
    const lastEligible = list.at(-1)?.lot.date ?? null;
    return {
      backorderId: b.backorderId,
      date: fallback.date === null ? null : later(fallback.date, lastEligible),
      confidence: fallback.date === null ? 0 : fallback.confidence,
      confirmed: false,
      basis: fallback.basis,
      takes,
    };
  });
}

const byDateThenId = (a: SupplyLot, b: SupplyLot) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : 1);

/** The q-quantile (0..1) of a sample, by linear interpolation between order statistics (Hyndman-Fan type 7). */
export function quantile(sample: readonly number[], q: number): number | null {
  if (sample.length === 0) return null;
  const sorted = [...sample].sort((a, b) => a - b);
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * Estimated probability that an outcome is at most `bound`, from a sample: (k + 1) / (n + 2) (Laplace's rule of
 * succession), so one lucky delivery does not make a promise look certain and no history means 0.5.
 */
export function probabilityAtMost(sample: readonly number[], bound: number): number {
  const k = sample.filter((x) => x <= bound).length;
  return (k + 1) / (sample.length + 2);
}

// Every PO line's date is shifted on every projection, and lines share few distinct dates: remember the answers.
const shifted = new Map<string, string>();

/** ISO day `days` after `day` (UTC). */
export function addDays(day: string, days: number): string {
  const key = `${day}|${days}`;
  let out = shifted.get(key);
  if (out === undefined) {
    out = new Date(Date.parse(`${day}T00:00:00.000Z`) + Math.round(days) * 86_400_000).toISOString().slice(0, 10);
    if (shifted.size > 50_000) shifted.clear();
    shifted.set(key, out);
  }
  return out;
}

/** Whole days from `from` to `to` (ISO days or timestamps; negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to.slice(0, 10)) - Date.parse(from.slice(0, 10))) / 86_400_000);
}
