/**
 * Unconstrained demand: what customers asked for, not what could be shipped. Pure functions from the parts of each
 * order line (as intake split it) to a quantity per SKU x warehouse x day.
 *
 * A line's `quantity` was split at intake into units allocated at one or more warehouses, a backorder waiting at
 * one warehouse, and rejected units (a stockout: discontinued, denied or over the cap). Every part counts as demand
 * on the day the order was placed (UTC):
 * - allocated units at the warehouse that allocated them (including units since shipped or released by a
 *   cancellation: the customer did ask for them);
 * - backordered units at the warehouse the backorder waits at;
 * - rejected units at the customer's home warehouse: the first in the sourcing order intake uses (warehouses
 *   serving the customer's region, then by priority, then id), i.e. where the customer would have been served.
 * So each line's units are counted exactly once, and lost demand is not lost from the history.
 */
import { sourcingOrder } from '../catalog/domain.js';
import { dayNumber, periodStart, periodsCovering, type Period, type PeriodKind } from './periods.js';

/**
 * Units of one SKU asked for on one day, at a warehouse known from the order (allocated or backordered there), and
 * the order lines they came from.
 */
export interface PlacedPart {
  skuId: string;
  warehouseId: string;
  day: string;
  quantity: number;
  lines: number;
}

/** Units of one SKU refused to one customer on one day, and the order lines they came from. */
export interface RejectedPart {
  skuId: string;
  customerId: string;
  day: string;
  quantity: number;
  lines: number;
}

/**
 * Units and order lines of one SKU x warehouse x day. A line split between warehouses counts once at each warehouse
 * it had a part at; a line rejected in part counts again at the customer's home warehouse.
 */
export interface DemandRow {
  skuId: string;
  warehouseId: string;
  day: string;
  quantity: number;
  lines: number;
}

export interface WarehouseRef {
  id: string;
  regions: string[];
  priority: number;
}

/** The customer's home warehouse: the first in intake's sourcing order for the region (null without warehouses). */
export function homeWarehouse(region: string, warehouses: readonly WarehouseRef[]): string | null {
  return sourcingOrder(warehouses, region)[0]?.id ?? null;
}

/** Sums placed and rejected parts (units and lines) per SKU x warehouse x day; rejected parts go to `homeOf(customerId)`. */
export function attributeDemand(
  placed: readonly PlacedPart[],
  rejected: readonly RejectedPart[],
  homeOf: (customerId: string) => string | null,
): DemandRow[] {
  const sums = new Map<string, DemandRow>();
  const add = (skuId: string, warehouseId: string, day: string, quantity: number, lines: number) => {
    if (quantity <= 0) return;
    const key = `${skuId}|${warehouseId}|${day}`;
    const row = sums.get(key);
    if (row) {
      row.quantity += quantity;
      row.lines += lines;
    } else sums.set(key, { skuId, warehouseId, day, quantity, lines });
  };
  for (const p of placed) add(p.skuId, p.warehouseId, p.day, p.quantity, p.lines);
  for (const r of rejected) {
    const home = homeOf(r.customerId);
    if (home !== null) add(r.skuId, home, r.day, r.quantity, r.lines);
  }
  return [...sums.values()];
}

export const pairKey = (skuId: string, warehouseId: string): string => `${skuId}|${warehouseId}`;

/** Demand rows grouped by SKU x warehouse (key `sku|warehouse`). */
export function byPair(rows: readonly DemandRow[]): Map<string, DemandRow[]> {
  const out = new Map<string, DemandRow[]>();
  for (const r of rows) {
    const key = pairKey(r.skuId, r.warehouseId);
    (out.get(key) ?? out.set(key, []).get(key)!).push(r);
  }
  return out;
}

/** Units per day from `from` to `to` (inclusive), 0 on days without demand. */
export function dailySeries(rows: readonly DemandRow[], from: string, to: string): number[] {
  const first = dayNumber(from);
  const days = Math.max(0, dayNumber(to) - first + 1);
  const series = new Array<number>(days).fill(0);
  for (const r of rows) {
    const i = dayNumber(r.day) - first;
    if (i >= 0 && i < days) series[i] = (series[i] ?? 0) + r.quantity;
  }
  return series;
}

/** Units per period over whole periods covering from..to, 0 in periods without demand. */
export function periodSeries(rows: readonly DemandRow[], from: string, to: string, kind: PeriodKind): (Period & { quantity: number })[] {
  const periods = periodsCovering(from, to, kind).map((p) => ({ ...p, quantity: 0 }));
  const index = new Map(periods.map((p, i) => [p.start, i]));
  for (const r of rows) {
    const i = index.get(periodStart(r.day, kind));
    if (i !== undefined) periods[i]!.quantity += r.quantity;
  }
  return periods;
}
