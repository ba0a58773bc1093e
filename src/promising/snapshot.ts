/**
 * What a SKU's supply looks like after its whole waiting queue has been promised: each lot with its due date,
 * confidence, basis and the units nobody waiting has been promised yet, and the lead-time estimate for demand no
 * lot covers. Every re-projection stores it; under FIFO a new backorder joins the end of the queue, so intake and
 * quotes promise it from the snapshot alone, without reading the queue or the purchase orders. Pure.
 */
import { addDays, type Fallback, type Promise as ProjectedPromise, type PromiseBasis, type SupplyLot } from './domain.js';

export interface SnapshotLot {
  id: string;
  warehouseId: string;
  /** The lot's date before today's clamp (a past due date means "today" on the day it is read). */
  due: string;
  left: number;
  confidence: number;
  basis: PromiseBasis;
}

export interface Snapshot {
  lots: SnapshotLot[];
  fallback: { confidence: number; basis: PromiseBasis };
}

/** The snapshot after `promises` (the whole queue, in order) were made from `lots`. */
export function takeSnapshot(lots: readonly SupplyLot[], promises: readonly ProjectedPromise[], fallback: Fallback): Snapshot {
  return consume(
    {
      lots: lots.map((l) => ({ id: l.id, warehouseId: l.warehouseId, due: l.due ?? l.date, left: l.quantity, confidence: l.confidence, basis: l.basis })),
      fallback: { confidence: fallback.confidence, basis: fallback.basis },
    },
    promises,
  );
}

/** The snapshot after more promises were made from it. */
export function consume(s: Snapshot, promises: readonly ProjectedPromise[]): Snapshot {
  const taken = new Map<string, number>();
  for (const p of promises) for (const [lot, units] of p.takes) taken.set(lot, (taken.get(lot) ?? 0) + units);
  return { ...s, lots: s.lots.map((l) => (taken.has(l.id) ? { ...l, left: l.left - taken.get(l.id)! } : l)) };
}

/** The snapshot's lots as the projection takes them on `today`: what is left, due no earlier than today. */
export function lotsOf(s: Snapshot, today: string): SupplyLot[] {
  const hit = lotsByDay.get(s);
  if (hit && hit.day === today) return hit.lots;
  const lots = s.lots.map((l) => ({
    id: l.id,
    warehouseId: l.warehouseId,
    quantity: l.left,
    date: l.due < today ? today : l.due,
    due: l.due,
    confidence: l.confidence,
    basis: l.basis,
  }));
  lotsByDay.set(s, { day: today, lots });
  return lots;
}

// Snapshots are never changed in place (consume makes a new one), so their lots for a day can be kept with them.
const lotsByDay = new WeakMap<Snapshot, { day: string; lots: SupplyLot[] }>();

/** The lead-time estimate on `today` (its date moves with the calendar; its basis does not). */
export function fallbackOf(s: Snapshot, today: string): Fallback {
  const b = s.fallback.basis;
  return b.kind === 'lead_time'
    ? { date: addDays(today, b.leadTimeDays), confidence: s.fallback.confidence, basis: b }
    : { date: null, confidence: 0, basis: b };
}
