/**
 * The measures of a run, from its totals, and the comparisons at matched inventory that make a claim honest.
 *
 * - fill rate = units served from stock in the period asked / units asked (GUIDE: first-time fill rate, units);
 *   backorder rate = units (lines) not served at once / units (lines) asked;
 * - average on hand = mean end-of-period on-hand, per item (units) and in total (value);
 * - inventory turnover = value shipped per year / average on-hand value; backorder duration in periods from the
 *   period asked to the period filled (units still waiting at the end count with the wait reached: a lower bound);
 * - cost = holding + ordering + backorder penalty.
 * Curves: each family's settings ordered by inventory; `atInventory` interpolates a measure linearly between the
 * two settings around the wanted inventory (null outside the swept range: no extrapolation).
 */
import type { SettingResult, Totals } from './run.js';
import { linearAt } from '../shared/interpolate.js';

export interface Summary {
  readonly family: string;
  readonly setting: number;
  readonly fillRate: number;
  readonly backorderRateUnits: number;
  readonly backorderRateLines: number;
  readonly backorderedUnits: number;
  readonly lostUnits: number;
  readonly averageOnHandUnitsPerItem: number;
  readonly averageOnHandValue: number;
  readonly inventoryTurnover: number;
  readonly backorderDurationMean: number;
  readonly backorderDurationP90: number;
  readonly orders: number;
  readonly holdingCost: number;
  readonly orderingCost: number;
  readonly backorderCost: number;
  readonly totalCost: number;
}

export function summarize(r: SettingResult, periodsPerYear: number): Summary {
  const t = r.totals;
  const periods = t.items > 0 ? t.itemPeriods / t.items : 0;
  const averageOnHandValue = periods > 0 ? t.onHandValuePeriods / periods : 0;
  const years = periods / periodsPerYear;
  const durations = mergedWaits(t);
  return {
    family: r.family,
    setting: r.setting,
    fillRate: ratio(t.fromStockUnits, t.demandUnits, 1),
    backorderRateUnits: ratio(t.shortUnits, t.demandUnits, 0),
    backorderRateLines: ratio(t.shortLines, t.demandLines, 0),
    backorderedUnits: t.shortUnits,
    lostUnits: t.lostUnits,
    averageOnHandUnitsPerItem: t.itemPeriods > 0 ? t.onHandUnitPeriods / t.itemPeriods : 0,
    averageOnHandValue,
    inventoryTurnover: averageOnHandValue > 0 && years > 0 ? t.shippedValue / years / averageOnHandValue : 0,
    backorderDurationMean: meanOf(durations),
    backorderDurationP90: quantileOf(durations, 0.9),
    orders: t.orders,
    holdingCost: t.holdingCost,
    orderingCost: t.orderingCost,
    backorderCost: t.backorderCost,
    totalCost: t.holdingCost + t.orderingCost + t.backorderCost,
  };
}

const ratio = (a: number, b: number, empty: number) => (b > 0 ? a / b : empty);

function mergedWaits(t: Totals): number[] {
  const out = [...t.waits];
  t.openWaits.forEach((u, w) => (out[w] = (out[w] ?? 0) + u));
  return out;
}

function meanOf(histogram: readonly number[]): number {
  let units = 0;
  let sum = 0;
  histogram.forEach((u, w) => {
    units += u ?? 0;
    sum += (u ?? 0) * w;
  });
  return units > 0 ? sum / units : 0;
}

/** The smallest wait w with at least q of the units waiting w or less. */
function quantileOf(histogram: readonly number[], q: number): number {
  const units = histogram.reduce((a, b) => a + (b ?? 0), 0);
  if (!(units > 0)) return 0;
  let cumulative = 0;
  for (let w = 0; w < histogram.length; w++) {
    cumulative += histogram[w] ?? 0;
    if (cumulative >= q * units - 1e-9) return w;
  }
  return histogram.length - 1;
}

export type Measure = keyof Pick<Summary, 'fillRate' | 'backorderedUnits' | 'backorderRateUnits' | 'averageOnHandUnitsPerItem' | 'averageOnHandValue' | 'totalCost'>;

/**
 * `y` at `x` along one family's curve, by linear interpolation between the settings on either side (sorted by x);
 * null when x is outside the range the settings reached.
 */
export function interpolate(curve: readonly Summary[], x: Measure, xAt: number, y: Measure): number | null {
  return linearAt(curve.map((s) => [s[x], s[y]] as const), xAt);
}

/** Relative reduction of a over b (0.4 = 40% fewer), null when either is missing. */
export function reduction(a: number | null, b: number | null): number | null {
  return a === null || b === null || !(b > 0) ? null : 1 - a / b;
}
