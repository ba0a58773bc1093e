/** A KPI row as one flat record: the columns of `raincheck report --format csv` and `raincheck export kpis`. */
import type { KpiRow } from '../kpis/service.js';

export function flatKpiRow(r: KpiRow): Record<string, number | string | null> {
  const i = r.intake;
  return {
    period: r.period,
    slice: r.slice,
    orders: i.orders,
    lines: i.lines,
    units: i.units,
    backorder_rate_lines: i.backorderRate.lines,
    backorder_rate_units: i.backorderRate.units,
    backorder_rate_orders: i.backorderRate.orders,
    fill_rate_units: i.fillRate.units,
    fill_rate_lines: i.fillRate.lines,
    fill_rate_orders: i.fillRate.orders,
    lost_demand_rate: i.lostDemandRate,
    cycle_p50_hours: r.cycleTime.p50Hours,
    cycle_p90_hours: r.cycleTime.p90Hours,
    open_backorders: r.backorders.open.count,
    open_backorder_units: r.backorders.open.units,
    ...Object.fromEntries(r.backorders.open.buckets.map((b) => [`open_${b.bucket.replace(/[-+]/g, (c) => (c === '-' ? '_' : 'plus'))}`, b.count])),
    time_to_clear_p50_days: r.backorders.cleared.p50Days,
    time_to_clear_p90_days: r.backorders.cleared.p90Days,
    promise_accuracy: r.backorders.promiseAccuracy.rate,
    csat_mean: r.csat?.mean ?? null,
    csat_share_4_5: r.csat?.share45 ?? null,
    inventory_turnover: r.inventory?.turnover ?? null,
    days_of_supply: r.inventory?.daysOfSupply ?? null,
  };
}

