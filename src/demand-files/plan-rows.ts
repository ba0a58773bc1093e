/**
 * `raincheck plan` for one chunk of series: a replenishment policy per series from its demand (forecast, or plain
 * history) and its attributes, as CSV rows. Pure, so the worker threads and the main thread produce
 * byte-identical rows.
 *
 * Time is counted in the file's periods: lead time and review in periods, demand per period, and costs per year
 * through `periodsPerYear` (12 for months, 52.18 for weeks, 365.24 for days, given by the user for integer periods).
 * With demand from the forecast, the family is the forecast's (see forecastDemand). With plain history it follows
 * the rule of replenishment/inputs.ts: normal when at least 30 units are expected over review + lead time (or no
 * demand at all), otherwise negative binomial when the variance exceeds the mean, else Poisson.
 */
import type { Family, Moments } from '../planning/distributions.js';
import { forecastSeries, horizonDemand, type MethodName } from '../forecasting/index.js';
import { planPolicy, type Policy, type PolicyInputs, type PolicyKind, type ServiceTarget } from '../planning/policies.js';
import { csvField, csvNumber } from './csv.js';
import type { Attributes, DemandSeries } from './types.js';

/** Values used for a series whose file has no such column (or an empty cell). */
export interface PlanDefaults {
  leadTime: number;
  leadTimeSd: number;
  unitCost: number;
  orderCost: number;
  /** Holding cost per year as a share of the unit cost, used when there is no holding_cost column. */
  holdingRate: number;
  minOrderQty: number;
  packSize: number;
}

export const planDefaults: PlanDefaults = { leadTime: 1, leadTimeSd: 0, unitCost: 1, orderCost: 10, holdingRate: 0.25, minOrderQty: 0, packSize: 1 };

/** The defaults with the ones given (e.g. by command-line flags) put in. */
export function planDefaultsWith(given: Partial<PlanDefaults>): PlanDefaults {
  const out: PlanDefaults = { ...planDefaults };
  for (const key of Object.keys(planDefaults) as (keyof PlanDefaults)[]) out[key] = given[key] ?? planDefaults[key];
  return out;
}

export interface PlanSettings {
  policy: PolicyKind;
  /** Periods between reviews; 0 = continuous review ((s, Q) and (s, S) only). */
  review: number;
  target: ServiceTarget;
  periodsPerYear: number;
  defaults: PlanDefaults;
  /** Use only the first `train` periods. */
  train?: number;
  /** Demand from the project's forecaster (default), or the history's plain mean and variance. */
  demand: { source: 'forecast'; method: MethodName | 'auto'; seasonLength?: number } | { source: 'history' };
}

/** Demand per period for planning, its family, and where it came from (a forecast method, or 'history'). */
export interface PlanDemand extends Moments {
  family: Family;
  method: string;
}

/** Demand per period of a series, given the periods its protection interval (lead time + review) spans. */
export type DemandModel = (values: Float64Array, protectionPeriods: number) => PlanDemand;

export interface ChunkResult {
  text: string;
  failures: { id: string; message: string }[];
  /** Series per method (forecast) or per distribution family (plan), for the summary. */
  tally: Record<string, number>;
}

export const planColumns = [
  'series_id', 'policy', 'method', 'family', 'demand_mean', 'demand_sd', 'lead_time', 'review', 'reorder_point', 'order_quantity',
  'order_up_to', 'safety_stock', 'expected_fill_rate', 'cycle_service_level', 'average_on_hand', 'orders_per_year',
  'holding_cost_per_year', 'ordering_cost_per_year', 'cost_per_year',
] as const;

/** Mean and sample variance of the observed periods (variance = mean with a single observation, as for Poisson). */
export const historyDemand: DemandModel = (values, protectionPeriods) => {
  let n = 0;
  let sum = 0;
  for (const v of values) {
    if (v !== v) continue;
    n++;
    sum += v;
  }
  const mean = n === 0 ? 0 : Math.max(0, sum / n);
  let squares = 0;
  for (const v of values) if (v === v) squares += (v - mean) * (v - mean);
  const variance = n > 1 ? squares / (n - 1) : mean;
  return { mean, variance, family: chooseFamily({ mean, variance }, protectionPeriods), method: 'history' };
};

/**
 * Demand from the forecast's predictive distribution of the TOTAL over the protection interval (H periods, rounded
 * up): per-period mean and variance are the total's divided by H, so the policy's lead-time demand, d L and
 * var_d L, is that total again, with the forecast's family.
 */
export function forecastDemand(method: MethodName | 'auto', seasonLength?: number): DemandModel {
  return (values, protectionPeriods) => {
    const horizon = Math.max(1, Math.ceil(protectionPeriods - 1e-9));
    const options = seasonLength === undefined ? { horizon, quantiles: [], method } : { horizon, quantiles: [], method, seasonLength };
    const f = forecastSeries(values, options);
    const total = horizonDemand(f, horizon);
    return { mean: total.mean / horizon, variance: total.variance / horizon, family: f.predictive.family, method: f.method };
  };
}

/** The settings' demand model. */
export function demandModelOf(settings: PlanSettings): DemandModel {
  const d = settings.demand;
  return d.source === 'history' ? historyDemand : forecastDemand(d.method, d.seasonLength);
}

/** The CSV rows of one chunk; a series whose inputs are out of range gets empty numbers and a failure. */
export function planChunk(series: readonly DemandSeries[], settings: PlanSettings): ChunkResult {
  const model = demandModelOf(settings);
  const failures: ChunkResult['failures'] = [];
  const tally: Record<string, number> = {};
  let text = '';
  for (const s of series) {
    const values = settings.train === undefined ? s.values : s.values.subarray(0, settings.train);
    const lead = s.attributes.lead_time ?? settings.defaults.leadTime;
    let d: PlanDemand | null = null;
    let policy: Policy | null = null;
    try {
      d = model(values, lead + settings.review);
      policy = planPolicy(settings.policy, policyInputs(s.attributes, settings, d, lead), settings.target, settings.review);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      failures.push({ id: s.id, message: e.message });
    }
    const key = d?.family ?? 'failed';
    tally[key] = (tally[key] ?? 0) + 1;
    text += planRow(s.id, settings, d, lead, policy);
  }
  return { text, failures, tally };
}

/** A series' economics: its attribute where the file has one, else the default (holding cost: rate x unit cost). */
export function seriesEconomics(a: Attributes, def: PlanDefaults) {
  const unitCost = a.unit_cost ?? def.unitCost;
  return {
    leadTime: a.lead_time ?? def.leadTime,
    leadTimeSd: a.lead_time_sd ?? def.leadTimeSd,
    unitCost,
    orderCost: a.order_cost ?? def.orderCost,
    holdingCostPerYear: a.holding_cost ?? def.holdingRate * unitCost,
    minOrder: a.min_order_qty ?? def.minOrderQty,
    packSize: a.pack_size ?? def.packSize,
  };
}

function policyInputs(a: Attributes, settings: PlanSettings, d: PlanDemand, lead: number): PolicyInputs {
  const e = seriesEconomics(a, settings.defaults);
  return {
    family: d.family,
    dailyDemand: { mean: d.mean, variance: d.variance },
    leadTime: { meanDays: lead, sdDays: e.leadTimeSd },
    orderCost: e.orderCost,
    holdingCostPerUnitYear: e.holdingCostPerYear,
    minimumOrder: e.minOrder,
    packSize: e.packSize,
    daysPerYear: settings.periodsPerYear,
  };
}

function planRow(id: string, settings: PlanSettings, d: PlanDemand | null, lead: number, p: Policy | null): string {
  const n = csvNumber;
  const cells = [csvField(id), settings.policy, csvField(d?.method ?? ''), d?.family ?? '', n(d?.mean ?? NaN), n(Math.sqrt(d?.variance ?? NaN)), n(lead), n(settings.review)];
  if (p === null) cells.push(...Array<string>(planColumns.length - cells.length).fill(''));
  else {
    const e = p.expected;
    cells.push(
      p.kind === 'RS' ? '' : n(p.reorderPoint),
      p.kind === 'sQ' ? n(p.orderQuantity) : '',
      p.kind === 'sQ' ? '' : n(p.orderUpTo),
      n(p.safetyStock), n(e.fillRate), n(e.cycleServiceLevel), n(e.averageOnHand), n(e.ordersPerYear),
      n(e.holdingCostPerYear), n(e.orderingCostPerYear), n(e.costPerYear),
    );
  }
  return `${cells.join(',')}\n`;
}

/** See the file comment: normal for volume, NB or Poisson for slow movers counted in units. */
export function chooseFamily(d: Moments, protectionPeriods: number): Family {
  if (!(d.mean > 0) || d.mean * protectionPeriods >= 30) return 'normal';
  return d.variance > d.mean ? 'negative-binomial' : 'poisson';
}
