/**
 * Safety stock and reorder levels for a target service (Silver, Pyke & Thomas, Inventory and Production Management
 * in Supply Chains, 4th ed., 2017, ch. 6: the (s, Q) and (R, S) decision rules, the two service measures, and the
 * variance of lead-time demand when the lead time itself varies).
 *
 * - Protection interval: the lead time L for continuous review, R + L for periodic review. With per-day demand of
 *   mean d and variance var_d and a lead time of mean E[L] and variance Var[L] (independent):
 *     mean = d (R + E[L]),   variance = (R + E[L]) var_d + d^2 Var[L].
 * - Cycle service level P1 (probability of no stockout in a replenishment cycle): the level is the P1 quantile of
 *   the demand it must cover.
 * - Fill rate P2 (share of demand met from stock): 1 - ESC / (demand per cycle), ESC the expected shortage per
 *   cycle. SPT's approximation ESC = E[(X - s)+] for (s, Q) overstates shortages when Q is small next to sigma;
 *   we always use the exact form ESC = E[(X - s)+] - E[(X - s - Q)+] (backorders at the end of the cycle minus those
 *   already there at its start), and for (R, S) ESC = E[(X_{R+L} - S)+] - E[(X_L - S)+].
 * - Levels are never below 0: a target low enough to allow a negative reorder point (planned backorders) gets 0,
 *   and then a service above the target.
 * - Periodic review with a reorder point ((R, s, S), (R, s, Q)) orders when the position is already below s by the
 *   undershoot U; its moments follow from renewal theory (continuous: E[U] = E[D^2] / 2E[D], E[U^2] = E[D^3] / 3E[D];
 *   integer demand: E[U] = (E[D^2] - E[D]) / 2E[D], E[U^2] = (2E[D^3] - 3E[D^2] + E[D]) / 6E[D], D = demand per review),
 *   and the level then covers X_L + U, fitted in the same family by two moments.
 */
import { fitDistribution, type Distribution, type Family, type Moments } from './distributions.js';
import { normalLossInverse } from './normal.js';
import { firstInteger, solveMonotone } from './solve.js';

export interface LeadTime {
  meanDays: number;
  sdDays: number;
}

/** Demand over `reviewDays` + the lead time: mean d (R + E[L]), variance (R + E[L]) var_d + d^2 Var[L]. */
export function protectionDemand(daily: Moments, leadTime: LeadTime, reviewDays = 0): Moments {
  const days = reviewDays + leadTime.meanDays;
  return {
    mean: daily.mean * days,
    variance: days * daily.variance + daily.mean * daily.mean * leadTime.sdDays * leadTime.sdDays,
  };
}

/** Economic order quantity sqrt(2 D K / h): annual demand D, cost K per order, h per unit held a year (SPT ch. 4). */
export function economicOrderQuantity(annualDemand: number, orderCost: number, holdingCostPerUnitYear: number): number {
  if (annualDemand <= 0) return 0;
  if (holdingCostPerUnitYear <= 0) return Infinity;
  return Math.sqrt((2 * annualDemand * orderCost) / holdingCostPerUnitYear);
}

/** A quantity rounded up to whole packs and to at least the minimum order quantity (0 stays 0). */
export function roundOrderQuantity(quantity: number, minimumOrder = 0, packSize = 1): number {
  if (!(quantity > 0)) return 0;
  const pack = packSize > 0 ? packSize : 1;
  // Tolerate float dust (3.0000000000000004 packs is 3 packs), then round up.
  const packs = Math.ceil(Math.max(quantity, minimumOrder) / pack - 1e-9);
  return Math.max(1, packs) * pack;
}

/** Third central moment of the family with this mean and variance (normal 0, gamma 2 var^2 / mean, NB/Poisson var (2 var / mean - 1)). */
export function thirdCentralMoment(family: Family, mean: number, variance: number): number {
  if (mean <= 0 || family === 'normal') return 0;
  if (family === 'gamma') return (2 * variance * variance) / mean;
  const v = family === 'poisson' || variance <= mean ? mean : variance;
  return v * ((2 * v) / mean - 1);
}

/** Moments of the undershoot below a reorder point at a review, from the family's demand per review (see above). */
export function undershoot(family: Family, perReview: Moments): Moments {
  const m1 = perReview.mean;
  if (m1 <= 0) return { mean: 0, variance: 0 };
  const m2 = perReview.variance + m1 * m1;
  const m3 = thirdCentralMoment(family, m1, perReview.variance) + 3 * m1 * perReview.variance + m1 * m1 * m1;
  const continuous = family === 'normal' || family === 'gamma';
  const mean = continuous ? m2 / (2 * m1) : (m2 - m1) / (2 * m1);
  const second = continuous ? m3 / (3 * m1) : (2 * m3 - 3 * m2 + m1) / (6 * m1);
  return { mean: Math.max(0, mean), variance: Math.max(0, second - mean * mean) };
}

/** `x` plus an independent undershoot, fitted in the family by its two moments. */
export function withUndershoot(family: Family, x: Moments, u: Moments): Distribution {
  return fitDistribution(family, x.mean + u.mean, x.variance + u.variance);
}

/**
 * One replenishment cycle of a policy with level `level`: the position starts the cycle at level + `raise`; demand
 * `end` must be covered by `level` before the cycle's order arrives; `start` is the lead-time demand that measures
 * backorders already there when the cycle starts; `demandPerCycle` is the expected demand a cycle serves.
 *   (s, Q): end = start = X_L (+ U),  raise = Q,  demandPerCycle = Q.
 *   (R, s, S): end = X_L + U, start = X_L, raise = S - s, demandPerCycle = S - s + E[U].
 *   (R, S): end = X_{R+L}, start = X_L, raise = 0, demandPerCycle = d R.
 */
export interface Cycle {
  end: Distribution;
  start: Distribution;
  raise: number;
  demandPerCycle: number;
}

/** Expected units short per cycle at this level: E[(end - level)+] - E[(start - level - raise)+]. */
export function shortagePerCycle(c: Cycle, level: number): number {
  return Math.max(0, c.end.loss(level) - c.start.loss(level + c.raise));
}

/** Fill rate (share of demand met from stock) at this level. */
export function fillRate(c: Cycle, level: number): number {
  if (!(c.demandPerCycle > 0)) return 1;
  return Math.min(1, Math.max(0, 1 - shortagePerCycle(c, level) / c.demandPerCycle));
}

/** Cycle service level (probability of no stockout in a cycle) at this level. */
export function cycleServiceLevel(c: Cycle, level: number): number {
  return c.end.cdf(level);
}

/** The level (>= 0) for a cycle service level p1: the p1 quantile of the demand it covers. */
export function levelForCycleService(c: Cycle, p1: number): number {
  return Math.max(0, c.end.quantile(p1));
}

/**
 * The level (>= 0) whose fill rate is p2: for continuous demand the root of ESC(level) = (1 - p2) demandPerCycle
 * (to ~1e-12 of the cycle's demand), for discrete demand the smallest integer level reaching p2.
 */
export function levelForFillRate(c: Cycle, p2: number): number {
  const target = (1 - p2) * c.demandPerCycle;
  if (!(c.demandPerCycle > 0) || shortagePerCycle(c, 0) <= target) return 0;
  const guess = normalGuess(c, target);
  if (c.end.discrete && c.start.discrete) return firstInteger((k) => shortagePerCycle(c, k) <= target, guess, 0);
  // ESC is decreasing with slope P(start > level + raise) - P(end > level); f keeps the slope of its last call.
  let slope = 0;
  const f = (level: number) => {
    slope = c.start.survival(level + c.raise) - c.end.survival(level);
    return c.end.loss(level) - c.start.loss(level + c.raise) - target;
  };
  const scale = Math.sqrt(c.end.variance) + 1;
  let hi = Math.max(guess, c.end.mean) + scale;
  while (f(hi) > 0) hi += 2 * (hi - c.end.mean) + scale;
  return solveMonotone(f, () => slope, 0, hi, guess, 1e-12 * scale, 1e-12 * c.demandPerCycle);
}

/** Start for the search: the normal rule mean + k sigma with G(k) = target / sigma (the start term left out). */
function normalGuess(c: Cycle, target: number): number {
  const sd = Math.sqrt(c.end.variance);
  if (!(sd > 0)) return c.end.mean;
  const k = normalLossInverse(target / sd);
  return Number.isFinite(k) ? Math.max(0, c.end.mean + sd * k) : c.end.mean;
}
