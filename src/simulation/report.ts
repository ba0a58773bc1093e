/**
 * The documents of a simulation run, built from its totals (pure: no files, no clock):
 *
 * - the JSON report: the run's settings, every family x setting with its Summary (summary.ts) and the unit counts
 *   behind the rates, the inventory each family needs for the target fill rate, and the comparisons at matched
 *   inventory;
 * - the per-series rows (series.csv): one row per series x family x setting, kept out of the JSON so the JSON
 *   stays small on panels of thousands of series;
 * - the trade-off charts (chart.ts, as SVG and png.ts) and the HTML page (html.ts) are drawn from this report.
 *
 * Matched inventory, because any policy can buy fill rate with stock: a claim "P backorders X% fewer units" only
 * means something at the same average inventory. The yardstick is the best rule of thumb, i.e. the rule family
 * (cover, minmax) that reaches the target fill rate with the least inventory; every other family is read off its
 * own curve at that inventory (linear interpolation between its settings, never extrapolated: null outside).
 *
 * Inventory is average on-hand units per series, or the total on-hand value when the items' unit costs are not
 * all 1 (then units of different parts are not comparable, and money is).
 */
import type { ItemResult } from './engine.js';
import type { PlanItem } from './policies.js';
import type { SettingResult, Totals } from './run.js';
import { interpolate, reduction, summarize, type Summary } from './summary.js';

export type InventoryMeasure = 'averageOnHandUnitsPerItem' | 'averageOnHandValue';

/** The rule-of-thumb families (policies.ts): the baseline every claim is made against. */
export const ruleFamilies: readonly string[] = ['cover', 'minmax'];
export const isRuleOfThumb = (family: string): boolean => ruleFamilies.includes(family);

/** Value when any item's unit cost differs from 1 (mixed parts are only comparable in money), else units. */
export function inventoryMeasureOf(items: readonly Pick<PlanItem, 'unitCost'>[]): InventoryMeasure {
  return items.some((i) => i.unitCost !== 1) ? 'averageOnHandValue' : 'averageOnHandUnitsPerItem';
}

export const inventoryLabel = (m: InventoryMeasure): string => (m === 'averageOnHandValue' ? 'average on-hand value (all series)' : 'average on-hand units per series');

/** The unit counts behind a setting's rates, so a reader can check them (fill rate = fromStock / demand). */
export interface SettingUnits {
  readonly items: number;
  readonly itemPeriods: number;
  readonly demand: number;
  readonly demandLines: number;
  readonly fromStock: number;
  readonly short: number;
  readonly shortLines: number;
  readonly lost: number;
  readonly shipped: number;
  readonly ordered: number;
}

export interface SettingRow extends Summary {
  readonly units: SettingUnits;
}

export interface FamilyCurve {
  readonly name: string;
  readonly knob: string;
  readonly rule: boolean;
  /** The family's settings in the order swept. */
  readonly settings: readonly SettingRow[];
}

/** Groups a run's results by family (first-seen order) and summarizes every setting. */
export function curvesOf(results: readonly SettingResult[], periodsPerYear: number): FamilyCurve[] {
  const byName = new Map<string, { name: string; knob: string; rule: boolean; settings: SettingRow[] }>();
  for (const r of results) {
    let c = byName.get(r.family);
    if (c === undefined) byName.set(r.family, (c = { name: r.family, knob: r.knob, rule: isRuleOfThumb(r.family), settings: [] }));
    c.settings.push({ ...summarize(r, periodsPerYear), units: unitsOf(r.totals) });
  }
  return [...byName.values()];
}

function unitsOf(t: Totals): SettingUnits {
  return {
    items: t.items, itemPeriods: t.itemPeriods, demand: t.demandUnits, demandLines: t.demandLines, fromStock: t.fromStockUnits,
    short: t.shortUnits, shortLines: t.shortLines, lost: t.lostUnits, shipped: t.shippedUnits, ordered: t.orderedUnits,
  };
}

/** The inventory a family needs for a fill rate, by interpolation along its curve; null outside its sweep. */
export function inventoryForFill(curve: FamilyCurve, inventory: InventoryMeasure, fillRate: number): number | null {
  return interpolate(curve.settings, 'fillRate', fillRate, inventory);
}

/** Backordered units of a family at an inventory level; null outside its sweep. */
export function backorderedAt(curve: FamilyCurve, inventory: InventoryMeasure, at: number): number | null {
  return interpolate(curve.settings, inventory, at, 'backorderedUnits');
}

/** The rule family with the least inventory at the fill rate, or null when no rule reaches it in its sweep. */
export function bestRule(curves: readonly FamilyCurve[], inventory: InventoryMeasure, fillRate: number): { family: string; inventory: number } | null {
  let best: { family: string; inventory: number } | null = null;
  for (const c of curves) {
    if (!c.rule) continue;
    const x = inventoryForFill(c, inventory, fillRate);
    if (x !== null && (best === null || x < best.inventory)) best = { family: c.name, inventory: x };
  }
  return best;
}

export interface MatchedComparison {
  readonly family: string;
  readonly baseline: string;
  /** The inventory both are read at. */
  readonly inventory: number;
  readonly backorderedUnits: number | null;
  readonly baselineBackorderedUnits: number | null;
  /** 1 - backordered / baseline's (0.4: 40% fewer); null when either is outside its sweep. */
  readonly reduction: number | null;
}

export function compareAt(curve: FamilyCurve, baseline: FamilyCurve, inventory: InventoryMeasure, at: number): MatchedComparison {
  const mine = backorderedAt(curve, inventory, at);
  const theirs = backorderedAt(baseline, inventory, at);
  return { family: curve.name, baseline: baseline.name, inventory: at, backorderedUnits: mine, baselineBackorderedUnits: theirs, reduction: reduction(mine, theirs) };
}

/** What the run was: echoed into the report so a result file says how it was made. */
export interface RunDescription {
  readonly input: string;
  readonly format?: string;
  readonly periodKind: string;
  readonly periods: number;
  readonly series: number;
  /** 0-based period index where the policies start, and where measuring starts; labels when the calendar has them. */
  readonly start: number;
  readonly measureFrom: number;
  readonly startLabel?: string;
  readonly measureFromLabel?: string;
  readonly review: number;
  readonly lostSales: boolean;
  readonly periodsPerYear: number;
  readonly backorderCostPerUnitPeriod: number;
  readonly policies: readonly string[];
  readonly [more: string]: unknown;
}

/** A series' backorders under one family x setting. */
export interface SeriesShortfall {
  readonly id: string;
  readonly backorderedUnits: number;
  readonly demandUnits: number;
  readonly fillRate: number;
}

/** The series with the most backordered units, per family x setting (key: settingKey). */
export type WorstSeries = Map<string, SeriesShortfall[]>;

const settingKey = (family: string, setting: number) => `${family}|${setting}`;

/**
 * Adds one chunk's per-item results (runPanel with `keepItems`) to the `keep` series with the most backordered
 * units per family x setting, so a run in chunks never holds every item's result for this.
 */
export function collectWorstSeries(into: WorstSeries, items: readonly PlanItem[], results: readonly SettingResult[], keep = 10): void {
  for (const r of results) {
    if (r.items === undefined) continue;
    const key = settingKey(r.family, r.setting);
    const list = into.get(key) ?? [];
    r.items.forEach((res, i) => {
      if (res.shortUnits > 0) list.push({ id: items[i]!.id, backorderedUnits: res.shortUnits, demandUnits: res.demandUnits, fillRate: res.fromStockUnits / res.demandUnits });
    });
    list.sort((a, b) => b.backorderedUnits - a.backorderedUnits || (a.id < b.id ? -1 : 1));
    into.set(key, list.slice(0, keep));
  }
}

export interface FamilyReport extends FamilyCurve {
  readonly inventoryForTargetFill: number | null;
  /** At the setting whose fill rate is nearest the target: the series with the most backordered units. */
  readonly mostBackordered?: { readonly setting: number; readonly fillRate: number; readonly series: readonly SeriesShortfall[] };
}

export interface SimulationReport {
  readonly settings: RunDescription;
  readonly inventory: { readonly measure: InventoryMeasure; readonly label: string };
  readonly targetFillRate: number;
  readonly families: readonly FamilyReport[];
  readonly comparison: {
    /** The rule family with the least inventory at the target fill rate, and that inventory. */
    readonly bestRule: { readonly family: string; readonly inventory: number } | null;
    /** Every non-rule family against the best rule, at the best rule's inventory. */
    readonly matched: readonly MatchedComparison[];
    readonly sentences: readonly string[];
  };
}

export function buildReport(settings: RunDescription, results: readonly SettingResult[], inventory: InventoryMeasure, targetFillRate = 0.95, worst?: WorstSeries): SimulationReport {
  const curves = curvesOf(results, settings.periodsPerYear);
  const families: FamilyReport[] = curves.map((c) => {
    const f = { ...c, inventoryForTargetFill: inventoryForFill(c, inventory, targetFillRate) };
    if (worst === undefined || c.settings.length === 0) return f;
    const near = c.settings.reduce((a, b) => (Math.abs(b.fillRate - targetFillRate) < Math.abs(a.fillRate - targetFillRate) ? b : a));
    return { ...f, mostBackordered: { setting: near.setting, fillRate: near.fillRate, series: worst.get(settingKey(c.name, near.setting)) ?? [] } };
  });
  const rule = bestRule(curves, inventory, targetFillRate);
  const ruleCurve = rule === null ? undefined : curves.find((c) => c.name === rule.family);
  const matched = ruleCurve === undefined || rule === null ? [] : curves.filter((c) => !c.rule).map((c) => compareAt(c, ruleCurve, inventory, rule.inventory));
  return {
    settings,
    inventory: { measure: inventory, label: inventoryLabel(inventory) },
    targetFillRate,
    families,
    comparison: { bestRule: rule, matched, sentences: sentences(families, rule, matched, inventory, targetFillRate) },
  };
}

function sentences(
  families: SimulationReport['families'],
  rule: SimulationReport['comparison']['bestRule'],
  matched: readonly MatchedComparison[],
  inventory: InventoryMeasure,
  target: number,
): string[] {
  const inv = (x: number) => (inventory === 'averageOnHandValue' ? `an average on-hand value of ${num(x)}` : `${num(x)} units per series on hand`);
  const fill = pct(target);
  const out: string[] = [];
  if (rule === null) out.push(`No rule of thumb reaches a ${fill} fill rate within its sweep, so there is no matched-inventory comparison.`);
  else {
    for (const m of matched) {
      const lead = `At the same average inventory as the best rule of thumb (${rule.family}, ${inv(rule.inventory)} for a ${fill} fill rate)`;
      if (m.reduction === null) out.push(`${lead}, ${m.family} cannot be compared: its sweep does not reach that inventory.`);
      else {
        const word = m.reduction >= 0 ? 'fewer' : 'more';
        out.push(`${lead}, ${m.family} backorders ${pct(Math.abs(m.reduction))} ${word} units (${num(m.backorderedUnits!)} vs ${num(m.baselineBackorderedUnits!)}).`);
      }
    }
  }
  for (const f of families) {
    const x = f.inventoryForTargetFill;
    if (x !== null) out.push(`${f.name} needs ${inv(x)} for a ${fill} fill rate.`);
    else {
      const rates = f.settings.map((s) => s.fillRate);
      out.push(`${f.name} does not cross a ${fill} fill rate within its sweep (fill rates ${pct(Math.min(...rates))} to ${pct(Math.max(...rates))}).`);
    }
  }
  return out;
}

/** Three significant digits, thousands separated, no exponent for the sizes a report shows. */
export function num(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  const digits = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
  return x.toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: digits });
}

export const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** A knob's value as given (0.9999 stays 0.9999, which num() would round to 1). */
export const settingLabel = (x: number): string => String(Number(x.toPrecision(8)));

// ---------------------------------------------------------------------------------------------------------------
// Per-series rows

export const seriesColumns = [
  'series_id', 'family', 'setting', 'periods', 'demand_units', 'demand_lines', 'from_stock_units', 'short_units', 'short_lines', 'lost_units',
  'fill_rate', 'average_on_hand_units', 'average_on_hand_value', 'backlog_unit_periods', 'orders', 'ordered_units',
] as const;

/** Chooses which family x setting pairs get per-series rows (all by default). */
export type SeriesFilter = (family: string, setting: number) => boolean;

/**
 * The CSV rows (no header) of one chunk's results: `results` as runPanel returns them with `keepItems`, whose
 * items[i] is the result of `items[i]`.
 */
export function seriesRows(items: readonly PlanItem[], results: readonly SettingResult[], only: SeriesFilter = () => true): string {
  let text = '';
  for (const r of results) {
    if (r.items === undefined || !only(r.family, r.setting)) continue;
    r.items.forEach((res, i) => (text += seriesRow(csvText(items[i]!.id), r.family, r.setting, res, items[i]!.unitCost)));
  }
  return text;
}

function seriesRow(id: string, family: string, setting: number, r: ItemResult, unitCost: number): string {
  const onHand = r.periods > 0 ? r.onHandSum / r.periods : 0;
  const cells = [
    id, csvText(family), setting, r.periods, r.demandUnits, r.demandLines, r.fromStockUnits, r.shortUnits, r.shortLines, r.lostUnits,
    r.demandUnits > 0 ? round(r.fromStockUnits / r.demandUnits) : 1, round(onHand), round(onHand * unitCost), r.backlogSum, r.orders, r.orderedUnits,
  ];
  return `${cells.join(',')}\n`;
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180). */
function csvText(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
