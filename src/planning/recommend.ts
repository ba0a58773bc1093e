/**
 * What to order today for one SKU x warehouse: whether, how much, from whom and by when. Pure: the policy kind,
 * service target, demand, inventory position, supplier options and today's date in; a decision out.
 *
 * - Each supplier gets its own policy (its lead time, MOQ, pack, and h = holding rate x its unit cost, SPT's h = r v),
 *   and its cost per unit served: unit cost + (holding + ordering cost per year) / annual demand. A supplier with a
 *   longer or less reliable lead time needs more safety stock, and that is where its price advantage can go.
 * - The cheapest per unit wins, unless the risk is high: when P(lead-time demand > inventory position) with the
 *   cheapest supplier reaches `urgentRisk` (default 0.5: a backorder is more likely than not before its goods would
 *   arrive), the shortest mean lead time wins (ties: cheaper), because then the days saved are units not backordered.
 * - Order now when the position is at or below the reorder point ((s, Q), (s, S)), or below S for (R, S), which
 *   assumes the caller asks on review days. Quantity: (s, Q) the smallest multiple n Q that lifts the position above
 *   s; (s, S) and (R, S) S minus the position, rounded up to packs and at least the MOQ. Without demand, only
 *   backorders already taken (a negative position) are ordered.
 * - Order-by: the last day before expected demand (mean per day) takes the position down to the reorder point (or
 *   below S): today + floor((position - level) / d); today when ordering now; null without demand.
 */
import type { Family, Moments } from './distributions.js';
import { planPolicy, type Policy, type PolicyKind, type ServiceTarget } from './policies.js';
import { leadTimeDemand } from './risk.js';
import { roundOrderQuantity, type LeadTime } from './safety-stock.js';

export interface SupplierOption {
  supplierId: string;
  leadTime: LeadTime;
  unitCost: number;
  minimumOrder: number;
  packSize: number;
}

export interface RecommendInput {
  policy: PolicyKind;
  /** Days between reviews; 0 means continuous review for (s, Q) and (s, S); (R, S) needs > 0. */
  reviewDays: number;
  target: ServiceTarget;
  family: Family;
  dailyDemand: Moments;
  /** K: fixed cost of one order. */
  orderCost: number;
  /** r: holding cost per year as a share of the unit cost. */
  holdingRate: number;
  inventoryPosition: number;
  suppliers: readonly SupplierOption[];
  /** Today, YYYY-MM-DD. */
  today: string;
  urgentRisk?: number;
  daysPerYear?: number;
}

export interface Recommendation {
  orderNow: boolean;
  /** Units to order now, or on `orderBy` when not now; whole packs, at least the MOQ. */
  quantity: number;
  supplierId: string;
  basis: 'lowest-cost' | 'shortest-lead-time';
  orderBy: string | null;
  /** orderBy + the mean lead time (rounded). */
  expectedArrival: string | null;
  policy: Policy;
  /** P(lead-time demand > inventory position) with the chosen supplier. */
  risk: number;
  expectedFillRate: number;
  expectedCostPerYear: number;
  costPerUnit: number;
  /** quantity x unit cost + K. */
  orderValue: number;
}

interface Option {
  supplier: SupplierOption;
  policy: Policy;
  costPerUnit: number;
  risk: number;
}

/** The order decision for one SKU x warehouse, or null when no supplier is offered. */
export function recommendOrder(input: RecommendInput): Recommendation | null {
  if (input.suppliers.length === 0) return null;
  const options = input.suppliers.map((s) => evaluateSupplier(input, s));
  const cheapest = best(options, (a, b) => a.costPerUnit - b.costPerUnit || a.supplier.leadTime.meanDays - b.supplier.leadTime.meanDays);
  const urgent = cheapest.risk >= (input.urgentRisk ?? 0.5);
  const chosen = urgent
    ? best(options, (a, b) => a.supplier.leadTime.meanDays - b.supplier.leadTime.meanDays || a.costPerUnit - b.costPerUnit)
    : cheapest;
  const { orderNow, quantity, orderBy } = decide(input, chosen);
  return {
    orderNow,
    quantity,
    supplierId: chosen.supplier.supplierId,
    basis: chosen === cheapest ? 'lowest-cost' : 'shortest-lead-time',
    orderBy,
    expectedArrival: orderBy === null ? null : addDays(orderBy, Math.round(chosen.supplier.leadTime.meanDays)),
    policy: chosen.policy,
    risk: chosen.risk,
    expectedFillRate: chosen.policy.expected.fillRate,
    expectedCostPerYear: chosen.policy.expected.costPerYear,
    costPerUnit: chosen.costPerUnit,
    orderValue: quantity * chosen.supplier.unitCost + input.orderCost,
  };
}

function evaluateSupplier(input: RecommendInput, supplier: SupplierOption): Option {
  const policyInputs = {
    family: input.family,
    dailyDemand: input.dailyDemand,
    leadTime: supplier.leadTime,
    orderCost: input.orderCost,
    holdingCostPerUnitYear: input.holdingRate * supplier.unitCost,
    minimumOrder: supplier.minimumOrder,
    packSize: supplier.packSize,
    daysPerYear: input.daysPerYear ?? 365,
  };
  const policy = planPolicy(input.policy, policyInputs, input.target, input.reviewDays);
  const annual = input.dailyDemand.mean * policyInputs.daysPerYear;
  const costPerUnit = supplier.unitCost + (annual > 0 ? policy.expected.costPerYear / annual : 0);
  const risk = leadTimeDemand(input.family, input.dailyDemand, supplier.leadTime).survival(input.inventoryPosition);
  return { supplier, policy, costPerUnit, risk };
}

/** The first of `options` under `order` (ties kept in input order, then by supplier id). */
function best(options: readonly Option[], order: (a: Option, b: Option) => number): Option {
  let top = options[0]!;
  for (const o of options) {
    const c = order(o, top);
    if (c < 0 || (c === 0 && o.supplier.supplierId < top.supplier.supplierId)) top = o;
  }
  return top;
}

function decide(input: RecommendInput, chosen: Option): { orderNow: boolean; quantity: number; orderBy: string | null } {
  const { policy, supplier } = chosen;
  const position = input.inventoryPosition;
  const d = input.dailyDemand.mean;
  const round = (q: number) => roundOrderQuantity(q, supplier.minimumOrder, supplier.packSize);
  if (!(d > 0)) {
    return position < 0 ? { orderNow: true, quantity: round(-position), orderBy: input.today } : { orderNow: false, quantity: 0, orderBy: null };
  }
  const level = policy.kind === 'RS' ? policy.orderUpTo : policy.reorderPoint;
  const orderNow = policy.kind === 'RS' ? position < level : position <= level;
  // Days until the position falls to the level, capped: a huge position over a trickle of demand would otherwise
  // name a day past the calendar (an invalid Date, thrown by toISOString).
  const orderBy = orderNow ? input.today : addDays(input.today, Math.min(Math.floor((position - level) / d), maxWaitDays));
  // The position when the order is placed: today's, or the reorder level reached on orderBy.
  const at = orderNow ? position : level;
  if (policy.kind === 'sQ') {
    const n = Math.max(1, Math.floor((policy.reorderPoint - at) / policy.orderQuantity) + 1);
    return { orderNow, quantity: n * policy.orderQuantity, orderBy };
  }
  const upTo = policy.orderUpTo;
  const quantity = round(orderNow || policy.kind === 'sS' ? upTo - at : d * policy.reviewDays);
  return { orderNow, quantity, orderBy };
}

/** The furthest "order by" said: a century ahead, which reads as "not in any plan" yet stays a valid day. */
export const maxWaitDays = 36_500;

/** ISO day `days` after `day` (UTC calendar days). */
function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
