/**
 * The documents of a simulation run, built from its totals (pure: no files, no clock):
 *
 * - the JSON report: the run's settings, every family x setting with its Summary (summary.ts) and the unit counts
 *   behind the rates, the inventory each family needs for the target fill rate, and the comparisons at matched
 *   inventory;
 * - the per-series rows (series.csv): one row per series x family x setting, kept out of the JSON so the JSON
 *   stays small on panels of thousands of series;
 * - a self-contained HTML report: two inline SVG trade-off charts, the table, and the comparison sentences.
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

// ---------------------------------------------------------------------------------------------------------------
// Charts: one model, drawn as SVG here and as a raster PNG in png.ts, so both show the same thing.

export interface Axis {
  readonly min: number;
  readonly max: number;
  readonly ticks: readonly number[];
}

export interface ChartSeries {
  readonly name: string;
  readonly color: readonly [number, number, number];
  /** Points in data units, sorted by x. */
  readonly points: readonly (readonly [number, number])[];
}

export interface ChartModel {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly x: Axis;
  readonly y: Axis;
  /** Show y ticks as percentages. */
  readonly yPercent: boolean;
  /** Where the legend goes: the corner the curves leave free (rising fill-rate curves: bottom; falling backorders: top). */
  readonly legend: 'top' | 'bottom';
  readonly series: readonly ChartSeries[];
}

/** Colour-blind-safe-ish categorical colours (Okabe & Ito 2008), then a few more. */
export const palette: readonly (readonly [number, number, number])[] = [
  [0, 114, 178], [213, 94, 0], [0, 158, 115], [204, 121, 167], [230, 159, 0], [86, 180, 233], [0, 0, 0], [120, 120, 120], [160, 40, 40], [40, 40, 160],
];

/**
 * Ticks at 1, 2 or 5 times a power of ten covering [min, max], about `count` of them; the axis is widened to the
 * outer ticks so every point sits inside.
 */
export function niceAxis(min: number, max: number, count = 5): Axis {
  if (!(max > min)) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    return niceAxis(min - (min === 0 ? 0 : pad), max + pad, count);
  }
  const raw = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw * (1 - 1e-9))!;
  const lo = Math.floor(min / step + 1e-9) * step;
  const hi = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let k = 0; lo + k * step <= hi + step * 1e-9; k++) ticks.push(Number((lo + k * step).toPrecision(12)));
  return { min: lo, max: hi, ticks };
}

/** The two trade-off charts of a report: fill rate, and backordered units, against inventory; one curve per family. */
export function tradeoffCharts(report: SimulationReport): { fill: ChartModel; backorders: ChartModel } {
  const m = report.inventory.measure;
  const xs = report.families.flatMap((f) => f.settings.map((s) => s[m]));
  const x = niceAxis(0, Math.max(0, ...xs));
  const curve = (y: (s: SettingRow) => number) =>
    report.families.map((f, k) => ({
      name: f.name,
      color: palette[k % palette.length]!,
      points: f.settings.map((s) => [s[m], y(s)] as const).sort((a, b) => a[0] - b[0]),
    }));
  const fills = report.families.flatMap((f) => f.settings.map((s) => s.fillRate));
  const yFill = niceAxis(Math.max(0, Math.floor(Math.min(1, ...fills) * 10) / 10), 1);
  const shorts = report.families.flatMap((f) => f.settings.map((s) => s.backorderedUnits));
  const label = report.inventory.label;
  return {
    fill: { title: 'Fill rate against inventory', xLabel: label, yLabel: 'fill rate', x, y: yFill, yPercent: true, legend: 'bottom', series: curve((s) => s.fillRate) },
    backorders: { title: 'Backordered units against inventory', xLabel: label, yLabel: 'backordered units', x, y: niceAxis(0, Math.max(0, ...shorts)), yPercent: false, legend: 'top', series: curve((s) => s.backorderedUnits) },
  };
}

/** Plot area inside a width x height chart; png.ts uses the same so both charts put points at the same places. */
export function plotArea(width: number, height: number): { left: number; top: number; right: number; bottom: number } {
  return { left: 72, top: 40, right: width - 24, bottom: height - 56 };
}

/** Pixel position of a data point (y grows downwards). */
export function toPixel(model: ChartModel, width: number, height: number, x: number, y: number): [number, number] {
  const a = plotArea(width, height);
  return [a.left + ((x - model.x.min) / (model.x.max - model.x.min)) * (a.right - a.left), a.bottom - ((y - model.y.min) / (model.y.max - model.y.min)) * (a.bottom - a.top)];
}

export function tickLabel(v: number, percent: boolean): string {
  if (percent) return `${Number((v * 100).toPrecision(6))}%`;
  return Math.abs(v) >= 10_000 ? `${Number((v / 1000).toPrecision(6))}k` : String(Number(v.toPrecision(6)));
}

// ---------------------------------------------------------------------------------------------------------------
// HTML

/** Text for HTML content and attribute values: the five characters that could open markup or end a value. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const rgb = (c: readonly [number, number, number]) => `rgb(${c[0]},${c[1]},${c[2]})`;

export function chartSvg(model: ChartModel, width = 760, height = 440): string {
  const a = plotArea(width, height);
  const px = (x: number, y: number) => toPixel(model, width, height, x, y).map((v) => v.toFixed(1)).join(',');
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(model.title)}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${a.left}" y="20" font-size="14" font-weight="bold">${escapeHtml(model.title)}</text>`,
  ];
  for (const t of model.x.ticks) {
    const [x] = toPixel(model, width, height, t, model.y.min);
    parts.push(`<line x1="${x.toFixed(1)}" y1="${a.top}" x2="${x.toFixed(1)}" y2="${a.bottom + 5}" stroke="#ddd"/>`, `<text x="${x.toFixed(1)}" y="${a.bottom + 18}" text-anchor="middle">${tickLabel(t, false)}</text>`);
  }
  for (const t of model.y.ticks) {
    const [, y] = toPixel(model, width, height, model.x.min, t);
    parts.push(`<line x1="${a.left - 5}" y1="${y.toFixed(1)}" x2="${a.right}" y2="${y.toFixed(1)}" stroke="#ddd"/>`, `<text x="${a.left - 8}" y="${(y + 4).toFixed(1)}" text-anchor="end">${tickLabel(t, model.yPercent)}</text>`);
  }
  parts.push(
    `<path d="M${a.left},${a.top}V${a.bottom}H${a.right}" fill="none" stroke="black"/>`,
    `<text x="${(a.left + a.right) / 2}" y="${height - 14}" text-anchor="middle">${escapeHtml(model.xLabel)}</text>`,
    `<text transform="translate(16,${(a.top + a.bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(model.yLabel)}</text>`,
  );
  for (const s of model.series) {
    const color = rgb(s.color);
    const name = escapeHtml(s.name);
    parts.push(`<g class="series"><title>${name}</title><polyline fill="none" stroke="${color}" stroke-width="2" points="${s.points.map(([x, y]) => px(x, y)).join(' ')}"/>`);
    for (const [x, y] of s.points) {
      const [cx, cy] = toPixel(model, width, height, x, y);
      parts.push(`<circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="3" fill="${color}"><title>${name}: ${num(x)}, ${model.yPercent ? pct(y) : num(y)}</title></circle>`);
    }
    parts.push('</g>');
  }
  const rowHeight = 16;
  const legendWidth = 16 + 7 * Math.max(8, ...model.series.map((s) => s.name.length)) + 24;
  const legendHeight = rowHeight * model.series.length + 8;
  const lx = a.right - legendWidth - 8;
  const ly = model.legend === 'bottom' ? a.bottom - legendHeight - 8 : a.top + 8;
  parts.push(`<g class="legend"><rect x="${lx}" y="${ly}" width="${legendWidth}" height="${legendHeight}" fill="white" stroke="#888"/>`);
  model.series.forEach((s, k) => {
    const y = ly + 4 + k * rowHeight;
    parts.push(`<rect x="${lx + 6}" y="${y + 3}" width="14" height="8" fill="${rgb(s.color)}"/>`, `<text x="${lx + 26}" y="${y + 11}">${escapeHtml(s.name)}</text>`);
  });
  parts.push('</g></svg>');
  return parts.join('\n');
}

const tableColumns: [string, (s: SettingRow) => string][] = [
  ['fill rate', (s) => pct(s.fillRate)],
  ['backorder rate (units)', (s) => pct(s.backorderRateUnits)],
  ['backorder rate (lines)', (s) => pct(s.backorderRateLines)],
  ['backordered units', (s) => num(s.backorderedUnits)],
  ['lost units', (s) => num(s.lostUnits)],
  ['on hand per series (units)', (s) => num(s.averageOnHandUnitsPerItem)],
  ['on hand (value)', (s) => num(s.averageOnHandValue)],
  ['turnover per year', (s) => num(s.inventoryTurnover)],
  ['backorder duration mean', (s) => num(s.backorderDurationMean)],
  ['backorder duration p90', (s) => num(s.backorderDurationP90)],
  ['orders', (s) => num(s.orders)],
  ['holding cost', (s) => num(s.holdingCost)],
  ['ordering cost', (s) => num(s.orderingCost)],
  ['backorder cost', (s) => num(s.backorderCost)],
  ['total cost', (s) => num(s.totalCost)],
];

/** The whole report as one HTML page with no external resources. */
export function reportHtml(report: SimulationReport): string {
  const e = escapeHtml;
  const s = report.settings;
  const charts = tradeoffCharts(report);
  const facts: [string, string][] = [
    ['input', s.input],
    ['series', String(s.series)],
    ['periods', `${s.periods} (${s.periodKind})`],
    ['policies run from', `period ${s.start + 1}${s.startLabel ? ` (${s.startLabel})` : ''}`],
    ['measured from', `period ${s.measureFrom + 1}${s.measureFromLabel ? ` (${s.measureFromLabel})` : ''}`],
    ['review', `every ${s.review} period(s)`],
    ['unserved demand', s.lostSales ? 'lost' : 'backordered'],
    ['periods per year', num(s.periodsPerYear)],
    ['policies', s.policies.join(', ')],
  ];
  const head = `<tr><th>family</th><th>setting</th>${tableColumns.map(([h]) => `<th>${e(h)}</th>`).join('')}</tr>`;
  const rows = report.families.flatMap((f) => f.settings.map((r) => `<tr><td>${e(f.name)}</td><td>${settingLabel(r.setting)}</td>${tableColumns.map(([, v]) => `<td>${e(v(r))}</td>`).join('')}</tr>`));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Raincheck policy simulation: ${e(s.input)}</title>
<style>
body { font-family: sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; font-size: 13px; }
th, td { border: 1px solid #ccc; padding: 2px 6px; text-align: right; }
th { background: #f4f4f4; }
td:first-child, th:first-child { text-align: left; }
dl { display: grid; grid-template-columns: max-content auto; gap: 2px 12px; }
dt { font-weight: bold; }
dd { margin: 0; }
</style>
</head>
<body>
<h1>Policy simulation</h1>
<dl>
${facts.map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v)}</dd>`).join('\n')}
</dl>
<h2>At matched inventory</h2>
<ul>
${report.comparison.sentences.map((t) => `<li>${e(t)}</li>`).join('\n')}
</ul>
<h2>Trade-off</h2>
<p>Inventory: ${e(report.inventory.label)}. Each point is one setting of a family's knob.</p>
${chartSvg(charts.fill)}
${chartSvg(charts.backorders)}
${worstHtml(report)}
<h2>Every family and setting</h2>
<table>
${head}
${rows.join('\n')}
</table>
</body>
</html>
`;
}

/** Per family, the series with the most backordered units at the setting nearest the target fill rate. */
function worstHtml(report: SimulationReport): string {
  const e = escapeHtml;
  const parts = report.families.filter((f) => f.mostBackordered !== undefined).map((f) => {
    const w = f.mostBackordered!;
    const rows = w.series.map((s) => `<tr><td>${e(s.id)}</td><td>${num(s.backorderedUnits)}</td><td>${num(s.demandUnits)}</td><td>${pct(s.fillRate)}</td></tr>`);
    const caption = `${f.name} at ${settingLabel(w.setting)} (fill rate ${pct(w.fillRate)})`;
    return `<h3>${e(caption)}</h3>\n${rows.length === 0 ? '<p>No series had backorders.</p>' : `<table>\n<tr><th>series</th><th>backordered units</th><th>demand units</th><th>fill rate</th></tr>\n${rows.join('\n')}\n</table>`}`;
  });
  return parts.length === 0 ? '' : `<h2>Series with the most backordered units</h2>\n${parts.join('\n')}`;
}
