/**
 * Replenishment policies for one SKU x warehouse, with their expected performance (Silver, Pyke & Thomas 2017:
 * ch. 4 for the EOQ, ch. 6 for (s, Q) and (R, S), ch. 7 for (s, S); the cycle model is in ./safety-stock.ts).
 *
 * - (s, Q): order Q when the inventory position is at or below s; Q = EOQ rounded up to the pack and MOQ.
 *   Continuous review by default (SPT's model); with `reviewDays` > 0 it is (R, s, Q) and covers the undershoot.
 * - (s, S): at each review, when the position is at or below s, order up to S; S - s = EOQ rounded. With
 *   reviewDays = 0 and unit demands it is (s, Q) with Q = S - s.
 * - (R, S): every R days order up to S.
 *
 * The order quantity is rounded first and the level is then chosen for the rounded quantity, so every reported
 * number is for the quantities actually ordered. Orders up to S are rounded up to whole packs too; the overshoot
 * this adds, (pack - 1) / 2 on average, is counted in the expected fill rate, service level and stock.
 *
 * Expected average on hand is the mean of the stock just after a replenishment arrives and just before it
 * (straight-line depletion, SPT's Q/2 + safety stock), with stock before arrival floored at zero:
 *   demandPerCycle / 2 + (level - E[end]) + E[(end - level)+] / 2.
 * Cost per year = h * average on hand + K * orders per year (no shortage cost: service is the constraint).
 */
import { fitDistribution, type Family, type Moments } from './distributions.js';
import { cycleServiceForLineCost, type LineShortageCost } from './line-cost.js';
import {
  cycleServiceLevel,
  economicOrderQuantity,
  fillRate,
  levelForCycleService,
  levelForFillRate,
  protectionDemand,
  roundOrderQuantity,
  undershoot,
  withUndershoot,
  type Cycle,
  type LeadTime,
} from './safety-stock.js';

export interface PolicyInputs {
  family: Family;
  /** Demand per day: mean and variance. */
  dailyDemand: Moments;
  leadTime: LeadTime;
  /** K: fixed cost of placing one order. */
  orderCost: number;
  /** h: cost of holding one unit for a year. */
  holdingCostPerUnitYear: number;
  minimumOrder?: number;
  packSize?: number;
  /** An order quantity to use instead of the EOQ (a negotiated lot, a pallet); still rounded to packs and MOQ. */
  fixedOrderQuantity?: number;
  /** 365 unless given. */
  daysPerYear?: number;
}

/**
 * Which service the level is set for: a target (0 < level < 1) for the cycle service level or the fill rate, or the
 * cost of a backordered order line, from which each item's cycle service level follows (./line-cost.ts).
 */
export type ServiceTarget =
  | { measure: 'cycle-service-level' | 'fill-rate'; level: number }
  | ({ measure: 'line-shortage-cost' } & LineShortageCost);

export interface Expected {
  fillRate: number;
  cycleServiceLevel: number;
  averageOnHand: number;
  ordersPerYear: number;
  holdingCostPerYear: number;
  orderingCostPerYear: number;
  costPerYear: number;
}

interface Common {
  reviewDays: number;
  /** Level minus the expected demand it covers. */
  safetyStock: number;
  expected: Expected;
}
export interface SQPolicy extends Common {
  kind: 'sQ';
  reorderPoint: number;
  orderQuantity: number;
}
export interface SSPolicy extends Common {
  kind: 'sS';
  reorderPoint: number;
  orderUpTo: number;
}
export interface RSPolicy extends Common {
  kind: 'RS';
  orderUpTo: number;
}
export type Policy = SQPolicy | SSPolicy | RSPolicy;
export type PolicyKind = Policy['kind'];

/** (s, Q) with Q from the EOQ (rounded), s for the target; continuous review unless reviewDays > 0. */
export function planSQ(input: PolicyInputs, target: ServiceTarget, reviewDays = 0): SQPolicy {
  check(input, target, reviewDays);
  const q = orderQuantity(input);
  const end = withUndershoot(input.family, protectionDemand(input.dailyDemand, input.leadTime), perReviewUndershoot(input, reviewDays));
  const cycle: Cycle = { end, start: end, raise: q, demandPerCycle: q };
  const s = levelFor(cycle, target, input);
  const expected = evaluate(input, cycle, s, annualDemand(input) / q);
  return { kind: 'sQ', reviewDays, reorderPoint: s, orderQuantity: q, safetyStock: s - end.mean, expected };
}

/** (s, S) reviewed every `reviewDays` (0: continuous), S - s from the EOQ (rounded), s for the target. */
export function planSS(input: PolicyInputs, target: ServiceTarget, reviewDays: number): SSPolicy {
  check(input, target, reviewDays);
  const q = orderQuantity(input);
  const lead = protectionDemand(input.dailyDemand, input.leadTime);
  const u = perReviewUndershoot(input, reviewDays);
  const over = packOvershoot(input);
  const end = withUndershoot(input.family, lead, u);
  const start = fitDistribution(input.family, lead.mean, lead.variance);
  const cycle: Cycle = { end, start, raise: q + over, demandPerCycle: q + u.mean + over };
  const s = levelFor(cycle, target, input);
  const expected = evaluate(input, cycle, s, annualDemand(input) / cycle.demandPerCycle);
  return { kind: 'sS', reviewDays, reorderPoint: s, orderUpTo: s + q, safetyStock: s - end.mean, expected };
}

/** (R, S): every `reviewDays` (> 0) order up to S, S for the target. */
export function planRS(input: PolicyInputs, target: ServiceTarget, reviewDays: number): RSPolicy {
  check(input, target, reviewDays);
  if (!(reviewDays > 0)) throw new RangeError('planRS: reviewDays must be > 0');
  const { family, dailyDemand: d } = input;
  const covered = protectionDemand(d, input.leadTime, reviewDays);
  const lead = protectionDemand(d, input.leadTime);
  const end = fitDistribution(family, covered.mean, covered.variance);
  const start = fitDistribution(family, lead.mean, lead.variance);
  const cycle: Cycle = { end, start, raise: 0, demandPerCycle: d.mean * reviewDays };
  const level = levelFor(cycle, target, input);
  // A review with no demand places no order (real for slow discrete demand; for the normal, P(D <= 0) is an
  // artefact of the model and ignored); rounding up to packs leaves the position above S on average.
  const perReview = fitDistribution(family, d.mean * reviewDays, d.variance * reviewDays);
  const ordering = perReview.discrete ? perReview.survival(0) : d.mean > 0 ? 1 : 0;
  const ordersPerYear = (daysPerYear(input) / reviewDays) * ordering;
  const expected = evaluate(input, cycle, level + packOvershoot(input), ordersPerYear);
  return { kind: 'RS', reviewDays, orderUpTo: level, safetyStock: level - end.mean, expected };
}

/** The policy of this kind (reviewDays: 0 means continuous review for (s, Q) and (s, S)). */
export function planPolicy(kind: PolicyKind, input: PolicyInputs, target: ServiceTarget, reviewDays: number): Policy {
  if (kind === 'sQ') return planSQ(input, target, reviewDays);
  if (kind === 'sS') return planSS(input, target, reviewDays);
  return planRS(input, target, reviewDays);
}

function levelFor(cycle: Cycle, target: ServiceTarget, input: PolicyInputs): number {
  if (target.measure === 'line-shortage-cost') {
    const cost = { holdingCostPerUnitYear: input.holdingCostPerUnitYear, demandPerCycle: cycle.demandPerCycle, annualDemand: annualDemand(input) };
    return levelForCycleService(cycle, cycleServiceForLineCost(cost, target));
  }
  return target.measure === 'fill-rate' ? levelForFillRate(cycle, target.level) : levelForCycleService(cycle, target.level);
}

function validTarget(t: ServiceTarget): boolean {
  if (t.measure === 'line-shortage-cost') return t.costPerLine > 0 && Number.isFinite(t.costPerLine) && t.meanLineSize > 0 && Number.isFinite(t.meanLineSize);
  return t.level > 0 && t.level < 1;
}

function evaluate(input: PolicyInputs, cycle: Cycle, level: number, ordersPerYear: number): Expected {
  const averageOnHand = Math.max(0, cycle.demandPerCycle / 2 + level - cycle.end.mean + cycle.end.loss(level) / 2);
  const holdingCostPerYear = input.holdingCostPerUnitYear * averageOnHand;
  const orderingCostPerYear = input.orderCost * ordersPerYear;
  return {
    fillRate: fillRate(cycle, level),
    cycleServiceLevel: cycleServiceLevel(cycle, level),
    averageOnHand,
    ordersPerYear,
    holdingCostPerYear,
    orderingCostPerYear,
    costPerYear: holdingCostPerYear + orderingCostPerYear,
  };
}

const daysPerYear = (input: PolicyInputs) => input.daysPerYear ?? 365;
const annualDemand = (input: PolicyInputs) => input.dailyDemand.mean * daysPerYear(input);

/** EOQ (or the fixed quantity) rounded up to packs and MOQ, at least one unit (or pack) even without demand. */
function orderQuantity(input: PolicyInputs): number {
  const q = input.fixedOrderQuantity ?? economicOrderQuantity(annualDemand(input), input.orderCost, input.holdingCostPerUnitYear);
  return roundOrderQuantity(Math.max(1, q), input.minimumOrder ?? 0, input.packSize ?? 1);
}

/** Mean units an order-up-to order overshoots S by when rounded up to whole packs. */
function packOvershoot(input: PolicyInputs): number {
  return ((input.packSize ?? 1) - 1) / 2;
}

function perReviewUndershoot(input: PolicyInputs, reviewDays: number): Moments {
  if (!(reviewDays > 0)) return { mean: 0, variance: 0 };
  const d = input.dailyDemand;
  return undershoot(input.family, { mean: d.mean * reviewDays, variance: d.variance * reviewDays });
}

function check(input: PolicyInputs, target: ServiceTarget, reviewDays: number): void {
  const { dailyDemand: d, leadTime: l } = input;
  const ok =
    d.mean >= 0 && d.variance >= 0 && l.meanDays >= 0 && l.sdDays >= 0 && input.orderCost >= 0 &&
    input.holdingCostPerUnitYear > 0 && reviewDays >= 0 && validTarget(target) &&
    (input.packSize ?? 1) >= 1 && (input.minimumOrder ?? 0) >= 0 && (input.fixedOrderQuantity ?? 1) > 0;
  if (!ok) throw new RangeError(`policy inputs out of range: ${JSON.stringify({ input, target, reviewDays })}`);
}
