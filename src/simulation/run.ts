/**
 * Runs a panel of items through policy families and their knob settings, and sums what happened per setting.
 * Items are independent (no shared stock), so the totals are plain sums; per-item results are kept on request.
 */
import { simulateItem, type ItemResult, type SimOptions } from './engine.js';
import type { PanelLevels } from './panel-knn.js';
import type { PlanItem, PolicyContext, PolicyFamily } from './policies.js';

export interface RunOptions extends Omit<SimOptions, 'trace'> {
  readonly periodsPerYear: number;
  /** Cost of one unit waiting one period on backorder (for the total cost). */
  readonly backorderCostPerUnitPeriod?: number;
  readonly keepItems?: boolean;
}

/**
 * Whether a series had demand in at least `minNonZero` of its first `periods` periods: history a policy can start
 * from. A policy that learns from sales holds nothing for a series until it sells, so series without it put a
 * ceiling on every policy's fill rate (`raincheck simulate --min-history`; the simulate bench's selections).
 */
export function hasHistory(demand: ArrayLike<number>, periods: number, minNonZero = 2): boolean {
  let nonZero = 0;
  for (let t = 0; t < periods && t < demand.length; t++) if (demand[t]! > 0) nonZero++;
  return nonZero >= minNonZero;
}

/** Sums over items, in units and money. */
export interface Totals {
  items: number;
  itemPeriods: number;
  demandUnits: number;
  demandLines: number;
  fromStockUnits: number;
  shortUnits: number;
  shortLines: number;
  lostUnits: number;
  shippedUnits: number;
  shippedValue: number;
  onHandUnitPeriods: number;
  onHandValuePeriods: number;
  backlogUnitPeriods: number;
  orders: number;
  orderedUnits: number;
  holdingCost: number;
  orderingCost: number;
  backorderCost: number;
  /** waits[w]: backordered units filled after w periods; openWaits: still waiting at the end, by wait so far. */
  waits: number[];
  openWaits: number[];
}

export interface SettingResult {
  readonly family: string;
  readonly knob: string;
  readonly setting: number;
  readonly totals: Totals;
  readonly items?: ItemResult[];
}

export function emptyTotals(): Totals {
  return {
    items: 0, itemPeriods: 0, demandUnits: 0, demandLines: 0, fromStockUnits: 0, shortUnits: 0, shortLines: 0, lostUnits: 0,
    shippedUnits: 0, shippedValue: 0, onHandUnitPeriods: 0, onHandValuePeriods: 0, backlogUnitPeriods: 0, orders: 0,
    orderedUnits: 0, holdingCost: 0, orderingCost: 0, backorderCost: 0, waits: [], openWaits: [],
  };
}

/** Adds one item's result to the totals. */
export function addItem(t: Totals, item: PlanItem, r: ItemResult, o: RunOptions): void {
  t.items++;
  t.itemPeriods += r.periods;
  t.demandUnits += r.demandUnits;
  t.demandLines += r.demandLines;
  t.fromStockUnits += r.fromStockUnits;
  t.shortUnits += r.shortUnits;
  t.shortLines += r.shortLines;
  t.lostUnits += r.lostUnits;
  t.shippedUnits += r.shippedUnits;
  t.shippedValue += r.shippedUnits * item.unitCost;
  t.onHandUnitPeriods += r.onHandSum;
  t.onHandValuePeriods += r.onHandSum * item.unitCost;
  t.backlogUnitPeriods += r.backlogSum;
  t.orders += r.orders;
  t.orderedUnits += r.orderedUnits;
  t.holdingCost += (r.onHandSum * item.holdingCostPerYear) / o.periodsPerYear;
  t.orderingCost += r.orders * item.orderCost;
  t.backorderCost += r.backlogSum * (o.backorderCostPerUnitPeriod ?? 0);
  addInto(t.waits, r.waits);
  addInto(t.openWaits, r.openWaits);
}

/** Adds totals (e.g. from worker threads) into `into`. */
export function mergeTotals(into: Totals, t: Totals): void {
  for (const key of Object.keys(t) as (keyof Totals)[]) {
    if (key === 'waits' || key === 'openWaits') addInto(into[key], t[key]);
    else into[key] += t[key];
  }
}

/**
 * One SettingResult per family x setting from runs of the same families over disjoint items (a pool's chunks, a
 * panel's parts): the totals summed, the items concatenated in part order.
 */
export function sumResults(parts: readonly SettingResult[][]): SettingResult[] {
  return parts[0]!.map((first, k) => {
    const totals = emptyTotals();
    for (const part of parts) mergeTotals(totals, part[k]!.totals);
    const items = first.items === undefined ? undefined : parts.flatMap((part) => part[k]!.items!);
    return { family: first.family, knob: first.knob, setting: first.setting, totals, ...(items ? { items } : {}) };
  });
}

function addInto(into: number[], from: readonly number[]): void {
  for (let i = 0; i < from.length; i++) into[i] = (into[i] ?? 0) + from[i]!;
}

/**
 * What each family that pools the panel learnt from these items (undefined for the others); null for one whose fit
 * passed the deadline (performance.now() milliseconds).
 */
export function fitPanels(items: readonly PlanItem[], families: readonly PolicyFamily[], o: RunOptions, deadline = Infinity): (PanelLevels | null | undefined)[] {
  const ctx: PolicyContext = { review: o.review, periodsPerYear: o.periodsPerYear };
  return families.map((f) => (f.fitPanel && items.length > 0 ? f.fitPanel(items, o.start, ctx, deadline) : undefined));
}

/**
 * Every family x setting over every item. `panels`: fitPanels of the WHOLE panel when these items are a chunk of
 * it (the workers); without it, families that pool the panel are fitted on these items.
 */
export function runPanel(items: readonly PlanItem[], families: readonly PolicyFamily[], o: RunOptions, panels?: readonly (PanelLevels | null | undefined)[]): SettingResult[] {
  const out: SettingResult[] = [];
  const ctx: PolicyContext = { review: o.review, periodsPerYear: o.periodsPerYear };
  const fitted = panels ?? fitPanels(items, families, o);
  if (fitted.some((p) => p === null)) throw new Error('runPanel: a panel family was not fitted');
  for (const [f, family] of families.entries()) {
    const rows = family.settings.map((setting) => ({ family: family.name, knob: family.knob, setting, totals: emptyTotals(), ...(o.keepItems ? { items: [] as ItemResult[] } : {}) }));
    for (const item of items) {
      const at = family.prepare(item, ctx, fitted[f] ?? undefined);
      family.settings.forEach((setting, k) => {
        const r = simulateItem(item, at(setting), o);
        addItem(rows[k]!.totals, item, r, o);
        rows[k]!.items?.push(r);
      });
    }
    out.push(...rows);
  }
  return out;
}
