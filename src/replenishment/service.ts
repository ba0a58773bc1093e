/**
 * Replenishment reads: the policy per SKU x warehouse, the SKUs most likely to go on backorder, and what to order.
 * Each gathers the facts once (facts.ts) and runs the pure planning per pair (plan.ts).
 */
import type { AppContext } from '../main/context.js';
import type { PolicyKind } from '../planning/policies.js';
import { inventoryPosition } from '../planning/risk.js';
import { fail, ok, type Result } from '../shared/result.js';
import { loadPairFacts } from './facts.js';
import { defaultWindowDays, requireNamedPair } from './history.js';
import { planPair, recommendFor, riskOf, type PairFacts, type PlanSettings, type ServiceSetting } from './plan.js';
import { policyView, recommendationView, riskView, type PolicyView, type RecommendationView, type RiskView } from './views.js';

/** What a planning request may set; every field has a default (see `settingsOf`). */
export interface PlanningQuery {
  skuId?: string | undefined;
  warehouseId?: string | undefined;
  service?: number | undefined;
  serviceType?: 'fill-rate' | 'cycle' | 'line-cost' | undefined;
  /** B, with serviceType line-cost: what one backordered order line costs (minor units). */
  backorderCostMinor?: number | undefined;
  policy?: PolicyKind | undefined;
  reviewDays?: number | undefined;
  orderCostMinor?: number | undefined;
  holdingRate?: number | undefined;
  windowDays?: number | undefined;
}

export const planningDefaults = {
  service: 0.95,
  serviceType: 'fill-rate',
  policy: 'sQ',
  reviewDays: 7,
  /** K: what placing one purchase order costs (minor units); a guess until set per company. */
  orderCostMinor: 2500,
  /** B: what a backordered order line costs (minor units), for serviceType line-cost; a guess until set per company. */
  backorderCostMinor: 2500,
  /** r: 25% of the unit value per year, the usual textbook figure for capital, space and shrinkage. */
  holdingRate: 0.25,
  windowDays: defaultWindowDays,
} as const;

export function settingsOf(q: PlanningQuery): Result<PlanSettings> {
  const policy = q.policy ?? planningDefaults.policy;
  const reviewDays = q.reviewDays ?? planningDefaults.reviewDays;
  if (policy === 'RS' && !(reviewDays > 0)) {
    return fail('validation_failed', 'an (R, S) policy orders every R days: reviewDays must be at least 1', { field: 'reviewDays' });
  }
  const serviceType = q.serviceType ?? planningDefaults.serviceType;
  if (serviceType === 'line-cost' && q.service !== undefined) {
    return fail('validation_failed', 'serviceType line-cost sets each service level from backorderCostMinor: leave service out, or choose fill-rate or cycle', { field: 'service' });
  }
  if (serviceType !== 'line-cost' && q.backorderCostMinor !== undefined) {
    return fail('validation_failed', `backorderCostMinor is used with serviceType line-cost only (serviceType is ${serviceType})`, { field: 'backorderCostMinor' });
  }
  const target: ServiceSetting =
    serviceType === 'line-cost'
      ? { measure: 'line-shortage-cost', costPerLine: q.backorderCostMinor ?? planningDefaults.backorderCostMinor }
      : { measure: serviceType === 'cycle' ? 'cycle-service-level' : 'fill-rate', level: q.service ?? planningDefaults.service };
  return ok({
    policy,
    reviewDays,
    target,
    orderCostMinor: q.orderCostMinor ?? planningDefaults.orderCostMinor,
    holdingRate: q.holdingRate ?? planningDefaults.holdingRate,
  });
}

/** Checks the named SKU and warehouse, then gathers the facts of the pairs asked for. */
export async function factsFor(ctx: AppContext, q: PlanningQuery, uncovered = false): Promise<Result<PairFacts[]>> {
  const db = ctx.store.db;
  const named = await requireNamedPair(db, q);
  if (!named.ok) return named;
  return ok(await loadPairFacts(ctx, { skuId: q.skuId, warehouseId: q.warehouseId, windowDays: q.windowDays ?? planningDefaults.windowDays, uncovered, launches: true }));
}

const today = (ctx: AppContext) => ctx.clock.now().toISOString().slice(0, 10);

/** The policy of every SKU x warehouse asked for, with the cheapest supplier item. */
export async function listPolicies(ctx: AppContext, q: PlanningQuery): Promise<Result<PolicyView[]>> {
  const settings = settingsOf(q);
  if (!settings.ok) return settings;
  const facts = await factsFor(ctx, q);
  if (!facts.ok) return facts;
  return ok(facts.value.map((f) => policyView(f, planPair(f, settings.value), settings.value)));
}

/** SKU x warehouses by backorder risk, highest first: the ones about to go on backorder. */
export async function listRisks(ctx: AppContext, q: PlanningQuery & { limit: number }): Promise<Result<RiskView[]>> {
  const settings = settingsOf(q);
  if (!settings.ok) return settings;
  const facts = await factsFor(ctx, q);
  if (!facts.ok) return facts;
  const rows = facts.value.map((f) => riskView(f, riskOf(f, settings.value)));
  return ok(rows.sort(byRisk).slice(0, q.limit));
}

/** Most likely to go short first, then most units short, then soonest out of stock, then by id. */
function byRisk(a: RiskView, b: RiskView): number {
  const days = (r: RiskView) => r.daysUntilStockout ?? Infinity;
  return (
    b.stockoutProbability - a.stockoutProbability ||
    b.expectedShortage - a.expectedShortage ||
    days(a) - days(b) ||
    (a.skuId + '|' + a.warehouseId < b.skuId + '|' + b.warehouseId ? -1 : 1)
  );
}

export interface RecommendationList {
  items: RecommendationView[];
  /** Pairs that need stock (demand, or units already short) but have no supplier item to order from. */
  unsourced: { skuId: string; warehouseId: string; inventoryPosition: number; dailyMean: number }[];
}

/**
 * What to order: pairs with something to order, those to order now first, then by order-by day and risk. `due`:
 * `all`, `now` (what to order today), or `uncovered`: only the pairs whose waiting backorders nothing on hand or on
 * order covers (inventory position below 0), all due now; the check to run every day between reviews.
 */
export async function listRecommendations(ctx: AppContext, q: PlanningQuery & { due: 'now' | 'all' | 'uncovered'; limit: number }): Promise<Result<RecommendationList>> {
  const settings = settingsOf(q);
  if (!settings.ok) return settings;
  const facts = await factsFor(ctx, q, q.due === 'uncovered');
  if (!facts.ok) return facts;
  const items: RecommendationView[] = [];
  const unsourced: RecommendationList['unsourced'] = [];
  for (const f of facts.value) {
    const rec = recommendFor(f, settings.value, today(ctx));
    if (rec === null) {
      const position = inventoryPosition(f.stock);
      if (f.demand.dailyMean > 0 || position < 0) unsourced.push({ skuId: f.skuId, warehouseId: f.warehouseId, inventoryPosition: position, dailyMean: f.demand.dailyMean });
    } else if (rec.quantity > 0 && (q.due === 'all' || rec.orderNow)) {
      items.push(recommendationView(f, rec));
    }
  }
  items.sort((a, b) => Number(b.orderNow) - Number(a.orderNow) || (a.orderBy ?? '').localeCompare(b.orderBy ?? '') || b.risk - a.risk);
  return ok({ items: items.slice(0, q.limit), unsourced });
}
