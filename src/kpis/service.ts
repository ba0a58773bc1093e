/**
 * The KPI report: every KPI per period and slice over a date range, plus one total per slice. The store sums
 * (repository.ts), the pure core divides (domain.ts); read in one snapshot so the figures agree with each other.
 */
import type { AppContext } from '../main/context.js';
import { periodsCovering, type PeriodKind } from '../replenishment/periods.js';
import { fail, ok, type Result } from '../shared/result.js';
import {
  backorderKpis,
  cycleKpis,
  emptyIntake,
  intakeKpis,
  inventoryKpis,
  rollIntake,
  type BackorderKpis,
  type CycleKpis,
  type IntakeKpis,
  type IntakeSums,
  type InventoryKpis,
  type Span,
} from './domain.js';
import { groupBy } from '../shared/group.js';
import { checkRange } from './range.js';
import { csatSummary, type CsatSummary } from './facts.js';
import { reportFacts } from './read.js';
import type { Dimension, KpiFilter } from './repository.js';

export type KpiPeriod = PeriodKind | 'total';

export interface KpiQuery extends KpiFilter {
  /** ISO days, inclusive. */
  from: string;
  to: string;
  period?: KpiPeriod | undefined;
  by?: Dimension | undefined;
}

export interface KpiRow {
  period: string;
  start: string;
  end: string;
  /** The slice's value (warehouse id, SKU id, supplier id or tier); null when not sliced. */
  slice: string | null;
  intake: IntakeSums & IntakeKpis;
  cycleTime: CycleKpis;
  backorders: BackorderKpis;
  /** Null when slicing or filtering by warehouse, SKU or supplier: a survey rates a whole order. */
  csat: CsatSummary | null;
  /** Null when slicing or filtering by tier: stock belongs to no customer. */
  inventory: InventoryKpis | null;
}

export interface KpiReport {
  from: string;
  to: string;
  period: KpiPeriod;
  by: Dimension | null;
  /** Open backorders are aged at the end of each period, or at this moment when it comes first. */
  asOf: string;
  rows: KpiRow[];
  /** One row per slice over the whole range. */
  totals: KpiRow[];
}

/** Periods one report may hold: a year of days, ten years of months. */
export const maxPeriods = 1_000;

function spansOf(q: KpiQuery, period: KpiPeriod): Result<Span[]> {
  const range = checkRange(q.from, q.to);
  if (!range.ok) return range;
  if (period === 'total') return ok([{ label: 'total', start: q.from, end: q.to }]);
  const spans = periodsCovering(q.from, q.to, period).map((p) => ({
    label: p.period,
    start: p.start < q.from ? q.from : p.start,
    end: p.end > q.to ? q.to : p.end,
  }));
  if (spans.length > maxPeriods) {
    return fail('validation_failed', `${spans.length} ${period} periods from ${q.from} to ${q.to}: at most ${maxPeriods}; choose a longer period`, { field: 'period' });
  }
  return ok(spans);
}

/** All KPIs for the range, per period and slice. */
export async function kpiReport(ctx: AppContext, q: KpiQuery): Promise<Result<KpiReport>> {
  const period = q.period ?? 'month';
  const spans = spansOf(q, period);
  if (!spans.ok) return spans;
  const by = q.by ?? null;
  const filter: KpiFilter = { warehouseId: q.warehouseId, skuId: q.skuId, supplierId: q.supplierId, tier: q.tier };
  const asOf = ctx.clock.now().toISOString();
  const withCsat = by !== 'warehouse' && by !== 'sku' && by !== 'supplier' && !filter.warehouseId && !filter.skuId && !filter.supplierId;
  const withStock = by !== 'tier' && filter.tier === undefined;

  const read = await ctx.store.transaction(async (tx) => ok(await reportFacts(tx, { by, filter }, q.from, q.to, { stock: withStock, csat: withCsat })));
  if (!read.ok) return read;
  const facts = read.value;
  const intakeRows = facts.intake.map((f) => ({ day: f.day, key: f.key, ...f.data }));
  const stockRows = facts.stock.map((f) => ({ day: f.day, key: f.key, ...f.data }));
  // Stock before the range is its opening balance; inside it, each day's movements.
  const opening = new Map<string, { units: number; valueMinor: number }>();
  for (const f of stockRows) {
    if (f.day >= q.from) continue;
    const o = opening.get(f.key) ?? { units: 0, valueMinor: 0 };
    opening.set(f.key, { units: o.units + f.units, valueMinor: o.valueMinor + f.valueMinor });
  }
  const aging = groupBy(facts.aging, (f) => f.key);
  const cleared = groupBy(facts.cleared, (f) => f.key);

  // Every day of the range belongs to one span of the list: rows are bucketed once, not filtered per span.
  const bucketed = <T extends { day: string; key: string }>(rows: readonly T[], spanList: readonly Span[]) => {
    const out = new Map<string, Map<string, T[]>>(spanList.map((s) => [s.label, new Map()]));
    for (const r of rows) {
      const span = spanOf(r.day, spanList);
      if (span === undefined) continue;
      const byKey = out.get(span.label)!;
      const list = byKey.get(r.key);
      if (list) list.push(r);
      else byKey.set(r.key, [r]);
    }
    return out;
  };
  const report = (spanList: readonly Span[]): KpiRow[] => {
    const intake = rollIntake(intakeRows, spanList);
    const cycleBy = bucketed(facts.cycle, spanList);
    const surveyBy = bucketed(facts.csat, spanList);
    const moveBy = bucketed(stockRows, spanList);
    const rows: KpiRow[] = [];
    let carried = new Map<string, { units: number; valueMinor: number }>(opening);
    for (const span of spanList) {
      const keys = new Set<string>([...intake.get(span.label)!.keys(), ...cycleBy.get(span.label)!.keys(), ...aging.keys(), ...cleared.keys(), ...surveyBy.get(span.label)!.keys(), ...carried.keys(), ...moveBy.get(span.label)!.keys()]);
      if (by === null) keys.add('');
      const next = new Map<string, { units: number; valueMinor: number }>();
      for (const key of [...keys].sort()) {
        const sums = intake.get(span.label)!.get(key) ?? emptyIntake();
        const stock = withStock ? inventoryKpis(carried.get(key) ?? { units: 0, valueMinor: 0 }, moveBy.get(span.label)!.get(key) ?? [], span, sums.units) : null;
        if (stock) next.set(key, { units: stock.onHandUnits, valueMinor: stock.onHandValueMinor });
        const csat = withCsat ? csatSummary((surveyBy.get(span.label)!.get(key) ?? []).map((f) => f.data)) : null;
        const row: KpiRow = {
          period: span.label,
          start: span.start,
          end: span.end,
          slice: by === null ? null : key,
          intake: { ...sums, ...intakeKpis(sums) },
          cycleTime: cycleKpis((cycleBy.get(span.label)!.get(key) ?? []).map((f) => f.data)),
          backorders: backorderKpis(aging.get(key) ?? [], cleared.get(key) ?? [], span, asOf),
          csat,
          inventory: stock,
        };
        if (by === null || !isQuiet(row)) rows.push(row);
      }
      carried = next;
    }
    return rows;
  };
  const total: Span = { label: 'total', start: q.from, end: q.to };
  return ok({ from: q.from, to: q.to, period, by, asOf, rows: period === 'total' ? report([total]) : report(spans.value), totals: report([total]) });
}


/** The span holding a day (spans are contiguous and sorted), by binary search. */
function spanOf(day: string, spans: readonly Span[]): Span | undefined {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = spans[mid]!;
    if (day < s.start) hi = mid - 1;
    else if (day > s.end) lo = mid + 1;
    else return s;
  }
  return undefined;
}

/** A slice with nothing to report in a span: no intake, no completed order, no backorder, no survey, no stock. */
function isQuiet(r: KpiRow): boolean {
  const b = r.backorders;
  const stockQuiet = r.inventory === null || (r.inventory.averageUnits === 0 && r.inventory.onHandUnits === 0 && r.inventory.shippedUnits === 0);
  return r.intake.orders === 0 && r.cycleTime.orders === 0 && b.open.count === 0 && b.cleared.count === 0 && (r.csat?.count ?? 0) === 0 && stockQuiet;
}
