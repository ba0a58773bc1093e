/**
 * KPIs as pure functions over sums and rows the store hands over (formulas: README "KPIs", from GUIDE.md):
 * the store sums per day and slice key, and this module rolls days into periods, divides, and takes percentiles,
 * so every figure has one definition whatever the engine.
 */
import { dayNumber } from '../replenishment/periods.js';
import { sumFacts, calendarAge, type StockDay, histogramCount, histogramPercentile, histogramSum, type AgingDay, type ClearedDay, type Histogram } from './facts.js';

/** One period of a report: a label and its first and last day (inclusive). */
export interface Span {
  label: string;
  start: string;
  end: string;
}

/** Intake sums of one day and slice: orders count each order's lines within the slice. */
export interface IntakeSums {
  orders: number;
  ordersAccepted: number;
  ordersBackordered: number;
  ordersFilled: number;
  lines: number;
  linesAccepted: number;
  linesBackordered: number;
  linesFilled: number;
  units: number;
  unitsAccepted: number;
  unitsBackordered: number;
  unitsRejected: number;
}

export const intakeFields = [
  'orders', 'ordersAccepted', 'ordersBackordered', 'ordersFilled',
  'lines', 'linesAccepted', 'linesBackordered', 'linesFilled',
  'units', 'unitsAccepted', 'unitsBackordered', 'unitsRejected',
] as const satisfies readonly (keyof IntakeSums)[];

export const emptyIntake = (): IntakeSums => Object.fromEntries(intakeFields.map((f) => [f, 0])) as unknown as IntakeSums;

export interface Keyed {
  day: string;
  key: string;
}

/** Stock movements of one day and slice: net change (units, value at unit cost) and what shipped. */
export type MovementSums = Keyed & StockDay;

export const ageBuckets = [
  { label: '0-7d', maxDays: 7 },
  { label: '8-14d', maxDays: 14 },
  { label: '15-30d', maxDays: 30 },
  { label: '31-60d', maxDays: 60 },
  { label: '61d+', maxDays: Infinity },
] as const;

const ratio = (num: number, den: number): number | null => (den > 0 ? num / den : null);

const within = (day: string, span: Span) => day >= span.start && day <= span.end;

/** Adds day rows into one sum per slice key for each span (days outside every span are ignored). */
export function rollIntake(rows: readonly (Keyed & IntakeSums)[], spans: readonly Span[]): Map<string, Map<string, IntakeSums>> {
  const out = new Map<string, Map<string, IntakeSums>>();
  for (const span of spans) out.set(span.label, new Map());
  for (const r of rows) {
    for (const span of spans) {
      if (!within(r.day, span)) continue;
      const bySlice = out.get(span.label)!;
      const sum = bySlice.get(r.key) ?? emptyIntake();
      for (const f of intakeFields) sum[f] += r[f];
      bySlice.set(r.key, sum);
    }
  }
  return out;
}

export interface IntakeKpis {
  backorderRate: { lines: number | null; units: number | null; orders: number | null };
  fillRate: { units: number | null; lines: number | null; orders: number | null };
  lostDemandRate: number | null;
}

/** Backorder rate = backordered / accepted at intake; first-time fill = filled whole from stock / ordered. */
export function intakeKpis(s: IntakeSums): IntakeKpis {
  return {
    backorderRate: {
      lines: ratio(s.linesBackordered, s.linesAccepted),
      units: ratio(s.unitsBackordered, s.unitsAccepted),
      orders: ratio(s.ordersBackordered, s.ordersAccepted),
    },
    fillRate: {
      units: ratio(s.unitsAccepted - s.unitsBackordered, s.units),
      lines: ratio(s.linesFilled, s.lines),
      orders: ratio(s.ordersFilled, s.orders),
    },
    lostDemandRate: ratio(s.unitsRejected, s.units),
  };
}

export interface CycleKpis {
  orders: number;
  p50Hours: number | null;
  p90Hours: number | null;
}

/** Cycle time of the orders closed in a span, from their minute histograms (day facts). */
export function cycleKpis(days: readonly Histogram[]): CycleKpis {
  const h = sumFacts('cycle', days, {});
  const hours = (m: number | null) => (m === null ? null : m / 60);
  return { orders: histogramCount(h), p50Hours: hours(histogramPercentile(h, 0.5)), p90Hours: hours(histogramPercentile(h, 0.9)) };
}

export interface BackorderKpis {
  /** Open at the end of the span (or now, if sooner), by age in calendar days counting both ends. */
  open: { count: number; units: number; buckets: { bucket: string; count: number; units: number }[] };
  /** Fulfilled or cancelled within the span: resolved - created, in days. */
  cleared: { count: number; meanDays: number | null; p50Days: number | null; p90Days: number | null };
  /** Fulfilled within the span on or before their first promised date / fulfilled within the span. */
  promiseAccuracy: { fulfilled: number; kept: number; rate: number | null };
}

/**
 * The backorder KPIs of one slice for one span from its day facts: every creation day's backorders (aging, all
 * days) and every resolution day's (cleared). Open ones are counted at the span's last day, or today if sooner.
 */
export function backorderKpis(aging: readonly { day: string; data: AgingDay }[], cleared: readonly { day: string; data: ClearedDay }[], span: Span, asOf: string): BackorderKpis {
  const today = asOf.slice(0, 10);
  const atDay = span.end < today ? span.end : today;
  const buckets = ageBuckets.map((b) => ({ bucket: b.label, count: 0, units: 0 }));
  let open = 0;
  let openUnits = 0;
  for (const f of aging) {
    if (f.day > atDay) continue;
    let [count, units] = f.data.created;
    for (const [day, [c, u]] of Object.entries(f.data.resolved)) {
      if (day > atDay) continue;
      count -= c;
      units -= u;
    }
    // Facts of one creation day may come from several windows (folded days, today's), each balanced only with the
    // others: one may hold a resolution's count and another its units. Skip only what adds nothing.
    if (count === 0 && units === 0) continue;
    const age = calendarAge(f.day, atDay);
    const i = ageBuckets.findIndex((x) => age <= x.maxDays);
    buckets[i]!.count += count;
    buckets[i]!.units += units;
    open += count;
    openUnits += units;
  }
  const inSpan = cleared.filter((f) => within(f.day, span) && f.day <= atDay).map((f) => f.data);
  const { minutes, fulfilled, kept } = sumFacts('cleared', inSpan, { minutes: {}, fulfilled: 0, kept: 0 });
  const n = histogramCount(minutes);
  const days = (m: number | null) => (m === null ? null : m / 1440);
  return {
    open: { count: open, units: openUnits, buckets },
    cleared: { count: n, meanDays: n > 0 ? histogramSum(minutes) / n / 1440 : null, p50Days: days(histogramPercentile(minutes, 0.5)), p90Days: days(histogramPercentile(minutes, 0.9)) },
    promiseAccuracy: { fulfilled, kept, rate: ratio(kept, fulfilled) },
  };
}

export interface InventoryKpis {
  /** Mean of the day-end on-hand over the span's days (units, and value at unit cost). */
  averageUnits: number;
  averageValueMinor: number;
  /** Units and cost of goods shipped in the span. */
  shippedUnits: number;
  cogsMinor: number;
  /** Cost of goods shipped / average inventory value, for the span (not annualised). */
  turnover: number | null;
  /** On-hand at the end of the span (units, and value at unit cost). */
  onHandUnits: number;
  onHandValueMinor: number;
  /** On-hand at the end / average daily demand (units ordered per day over the span). */
  daysOfSupply: number | null;
}

/**
 * Inventory of one slice over one span from its opening balance (everything before the span) and its movements
 * per day: each day's closing on-hand counts once, so a unit held for half the span weighs half.
 */
export function inventoryKpis(
  opening: { units: number; valueMinor: number },
  days: readonly MovementSums[],
  span: Span,
  unitsDemanded: number,
): InventoryKpis {
  const spanDays = dayNumber(span.end) - dayNumber(span.start) + 1;
  let units = opening.units;
  let value = opening.valueMinor;
  let unitDays = 0;
  let valueDays = 0;
  let shippedUnits = 0;
  let cogs = 0;
  let last = dayNumber(span.start) - 1;
  const sorted = days.filter((d) => within(d.day, span)).sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  for (const d of sorted) {
    const n = dayNumber(d.day);
    // The days before this one closed at the balance carried so far.
    unitDays += units * (n - 1 - last);
    valueDays += value * (n - 1 - last);
    units += d.units;
    value += d.valueMinor;
    shippedUnits += d.shippedUnits;
    cogs += d.shippedValueMinor;
    last = n - 1;
  }
  const end = dayNumber(span.end);
  unitDays += units * (end - last);
  valueDays += value * (end - last);
  const averageValueMinor = valueDays / spanDays;
  const dailyDemand = unitsDemanded / spanDays;
  return {
    averageUnits: unitDays / spanDays,
    averageValueMinor,
    shippedUnits,
    cogsMinor: cogs,
    turnover: ratio(cogs, averageValueMinor),
    onHandUnits: units,
    onHandValueMinor: value,
    daysOfSupply: ratio(units, dailyDemand),
  };
}
