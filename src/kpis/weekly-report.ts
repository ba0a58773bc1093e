/**
 * The weekly KPI report (playbook trigger `report.weekly`): which ISO week is due, its figures overall and by
 * warehouse with the trend of the weeks before, and the view its email templates read. The scheduler stores the
 * figures (numbers only) in the message; the view, with its chart, is made at delivery in the reader's language.
 */
import type { AppContext } from '../main/context.js';
import { warehouseDef } from '../catalog/entities.js';
import { catalogService } from '../catalog/service.js';
import { dayNumber, periodLabel, periodStart, shiftDay } from '../replenishment/periods.js';
import { ok, type Result } from '../shared/result.js';
import { kpiReport, type KpiRow } from './service.js';
import { trendChartPng, trendColors } from './weekly-chart.js';

export interface ReportWeek {
  /** `2026-W02`. */
  label: string;
  /** Monday and Sunday, ISO days. */
  start: string;
  end: string;
}

/**
 * The week a report made at `now` covers: the ISO week before now's, once now's week has reached `weekday`
 * (1 = Monday) at `hourUtc`; null before that. A whole week is reported, so it is never one still running.
 */
export function dueReportWeek(now: Date, weekday: number, hourUtc: number): ReportWeek | null {
  const today = now.toISOString().slice(0, 10);
  const monday = periodStart(today, 'week');
  const isoDay = dayNumber(today) - dayNumber(monday) + 1;
  if (isoDay < weekday || (isoDay === weekday && now.getUTCHours() < hourUtc)) return null;
  const start = shiftDay(monday, -7);
  return { label: periodLabel(start, 'week'), start, end: shiftDay(monday, -1) };
}

/** One slice's figures for the week: the stored, language-free numbers (rates 0..1, null when undefined). */
export interface WeekFigures {
  orders: number;
  lines: number;
  units: number;
  unitsBackordered: number;
  unitsRejected: number;
  backorderRate: { lines: number | null; units: number | null; orders: number | null };
  fillRate: { units: number | null; lines: number | null; orders: number | null };
  lostDemandRate: number | null;
  cycleTime: { orders: number; p50Hours: number | null; p90Hours: number | null };
  /** Open at the end of the week. */
  openBackorders: { count: number; units: number };
  cleared: { count: number; meanDays: number | null };
  promiseAccuracy: number | null;
  /** Null by warehouse: a survey rates a whole order. */
  csat: { count: number; mean: number | null } | null;
  inventory: { onHandUnits: number; turnover: number | null; daysOfSupply: number | null } | null;
}

export interface TrendPoint {
  week: string;
  start: string;
  orders: number;
  backorderRateUnits: number | null;
  fillRateUnits: number | null;
}

export interface KpiReportVars {
  week: ReportWeek;
  overall: WeekFigures;
  /** Warehouse id '' collects lines with no home warehouse. */
  warehouses: (WeekFigures & { warehouseId: string; name: string })[];
  /** Oldest first; the last point is the reported week. */
  trend: TrendPoint[];
}

/** The stored figures of one KPI row. */
export function figuresOf(r: KpiRow): WeekFigures {
  const i = r.intake;
  return {
    orders: i.orders,
    lines: i.lines,
    units: i.units,
    unitsBackordered: i.unitsBackordered,
    unitsRejected: i.unitsRejected,
    backorderRate: i.backorderRate,
    fillRate: i.fillRate,
    lostDemandRate: i.lostDemandRate,
    cycleTime: r.cycleTime,
    openBackorders: { count: r.backorders.open.count, units: r.backorders.open.units },
    cleared: { count: r.backorders.cleared.count, meanDays: r.backorders.cleared.meanDays },
    promiseAccuracy: r.backorders.promiseAccuracy.rate,
    csat: r.csat && { count: r.csat.count, mean: r.csat.mean },
    inventory: r.inventory && { onHandUnits: r.inventory.onHandUnits, turnover: r.inventory.turnover, daysOfSupply: r.inventory.daysOfSupply },
  };
}

/** Reads the week's KPIs (overall and by warehouse) and the `trendWeeks` weeks ending with it. */
export async function weeklyReportVars(ctx: AppContext, week: ReportWeek, trendWeeks: number): Promise<Result<KpiReportVars>> {
  const weekly = await kpiReport(ctx, { from: shiftDay(week.start, -7 * (trendWeeks - 1)), to: week.end, period: 'week' });
  if (!weekly.ok) return weekly;
  const byWarehouse = await kpiReport(ctx, { from: week.start, to: week.end, period: 'total', by: 'warehouse' });
  if (!byWarehouse.ok) return byWarehouse;
  // Unsliced, every week has its row (quiet ones included), so the last is the reported week.
  const rows = weekly.value.rows;
  const warehouses = [];
  for (const r of byWarehouse.value.rows) {
    const id = r.slice ?? '';
    const found = id === '' ? null : await catalogService(warehouseDef).get(ctx, id);
    warehouses.push({ warehouseId: id, name: found?.ok ? found.value.name : id, ...figuresOf(r) });
  }
  return ok({
    week,
    overall: figuresOf(rows[rows.length - 1]!),
    warehouses,
    trend: rows.map((r) => ({ week: r.period, start: r.start, orders: r.intake.orders, backorderRateUnits: r.intake.backorderRate.units, fillRateUnits: r.intake.fillRate.units })),
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The view (at delivery)

/** One slice's figures as text in the reader's language; '–' where a figure is undefined (no orders, no survey). */
export interface FiguresView {
  orders: number;
  lines: number;
  units: number;
  unitsBackordered: number;
  unitsRejected: number;
  backorderRateUnits: string;
  backorderRateLines: string;
  backorderRateOrders: string;
  fillRateUnits: string;
  fillRateLines: string;
  fillRateOrders: string;
  lostDemandRate: string;
  cycleP50Hours: string;
  cycleP90Hours: string;
  openBackorders: number;
  openUnits: number;
  cleared: number;
  clearedMeanDays: string;
  promiseAccuracy: string;
  csatMean: string;
  turnover: string;
  daysOfSupply: string;
}

export interface KpiReportView {
  week: string;
  start: string;
  end: string;
  overall: FiguresView;
  warehouses: (FiguresView & { id: string; name: string })[];
  trendWeeks: number;
  /** Oldest first; the rates are units (backordered / accepted, filled from stock / ordered). */
  trend: { week: string; orders: number; backorderRate: string; fillRate: string }[];
  /** The reported week's unit rates against the week before, in percentage points. */
  change: { backorderRate: string; fillRate: string };
  /** The trend chart: a data: URI of a PNG (base64 only, so safe unescaped in an attribute). */
  chart: { src: string; width: number; height: number };
}

const none = '–';

function formats(language: string) {
  const pct = new Intl.NumberFormat(language, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const num = new Intl.NumberFormat(language, { maximumFractionDigits: 1 });
  const points = new Intl.NumberFormat(language, { maximumFractionDigits: 1, signDisplay: 'exceptZero' });
  return {
    pct: (v: number | null) => (v === null ? none : pct.format(v)),
    num: (v: number | null) => (v === null ? none : num.format(v)),
    /** Percentage points between two rates, signed (`+2.5`); the templates name the unit in their language. */
    change: (now: number | null, before: number | null) => (now === null || before === null ? none : points.format((now - before) * 100)),
  };
}

function figuresView(f: WeekFigures, fmt: ReturnType<typeof formats>): FiguresView {
  return {
    orders: f.orders,
    lines: f.lines,
    units: f.units,
    unitsBackordered: f.unitsBackordered,
    unitsRejected: f.unitsRejected,
    backorderRateUnits: fmt.pct(f.backorderRate.units),
    backorderRateLines: fmt.pct(f.backorderRate.lines),
    backorderRateOrders: fmt.pct(f.backorderRate.orders),
    fillRateUnits: fmt.pct(f.fillRate.units),
    fillRateLines: fmt.pct(f.fillRate.lines),
    fillRateOrders: fmt.pct(f.fillRate.orders),
    lostDemandRate: fmt.pct(f.lostDemandRate),
    cycleP50Hours: fmt.num(f.cycleTime.p50Hours),
    cycleP90Hours: fmt.num(f.cycleTime.p90Hours),
    openBackorders: f.openBackorders.count,
    openUnits: f.openBackorders.units,
    cleared: f.cleared.count,
    clearedMeanDays: fmt.num(f.cleared.meanDays),
    promiseAccuracy: fmt.pct(f.promiseAccuracy),
    csatMean: fmt.num(f.csat?.mean ?? null),
    turnover: fmt.num(f.inventory?.turnover ?? null),
    daysOfSupply: fmt.num(f.inventory?.daysOfSupply ?? null),
  };
}

/** The template view of stored report figures, in `language`, with the trend chart drawn. */
export function kpiReportView(v: KpiReportVars, language: string): KpiReportView {
  const fmt = formats(language);
  const width = 560;
  const height = 200;
  const png = trendChartPng(
    v.trend.map((p) => p.week.slice(5)),
    [
      { color: trendColors.fillRate, values: v.trend.map((p) => p.fillRateUnits) },
      { color: trendColors.backorderRate, values: v.trend.map((p) => p.backorderRateUnits) },
    ],
    width,
    height,
  );
  const [before, last] = [v.trend[v.trend.length - 2], v.trend[v.trend.length - 1]];
  return {
    week: v.week.label,
    start: v.week.start,
    end: v.week.end,
    overall: figuresView(v.overall, fmt),
    warehouses: v.warehouses.map((w) => ({ id: w.warehouseId, name: w.name || none, ...figuresView(w, fmt) })),
    trendWeeks: v.trend.length,
    trend: v.trend.map((p) => ({ week: p.week, orders: p.orders, backorderRate: fmt.pct(p.backorderRateUnits), fillRate: fmt.pct(p.fillRateUnits) })),
    change: {
      backorderRate: fmt.change(last?.backorderRateUnits ?? null, before?.backorderRateUnits ?? null),
      fillRate: fmt.change(last?.fillRateUnits ?? null, before?.fillRateUnits ?? null),
    },
    chart: { src: `data:image/png;base64,${png.toString('base64')}`, width, height },
  };
}
