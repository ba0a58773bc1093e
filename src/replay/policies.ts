/**
 * What a replay orders at each review. `raincheck` takes the planning module's recommendations as they are (the
 * same call as `GET /replenishment/recommendations?due=now`: forecast-driven levels for a target fill rate, or for a
 * price on each backordered line, lead times measured from the receipts so far). `minmax` is the rule of thumb it is
 * compared with: from the plain average daily demand of the same trailing window and the supplier's quoted lead time
 * L, min = k x avg x (L + R) and max = min + avg x R (R the review period, k 1 unless set); at or below min, order up
 * to max. Between reviews both check every morning for shortages nothing on order covers (a new product's first
 * orders, a spike) and order for them by the same rule, so neither waits up to a week to react.
 */
import type { AppContext } from '../main/context.js';
import { inventoryPosition } from '../planning/risk.js';
import { roundOrderQuantity } from '../planning/safety-stock.js';
import { loadPairFacts } from '../replenishment/facts.js';
import { trailingMoments } from '../replenishment/estimate.js';
import { listRecommendations } from '../replenishment/service.js';

export const replayPolicies = ['raincheck', 'minmax'] as const;
export type ReplayPolicy = (typeof replayPolicies)[number];

export interface PolicySettings {
  policy: ReplayPolicy;
  reviewDays: number;
  /** Raincheck's target fill rate (unless `backorderCostMinor` is set). */
  service: number;
  /**
   * Raincheck's service priced instead: what a backordered order line costs (minor units), each SKU x warehouse's
   * service following from it (planning's serviceType line-cost).
   */
  backorderCostMinor?: number | undefined;
  /** What placing an order costs (minor units): Raincheck's lot sizes follow from it. */
  orderCostMinor: number;
  windowDays: number;
  /** The rule of thumb's knob k (1 by default): min = k x avg x (L + R), as the simulator's `minmax` family. */
  minmaxFactor?: number | undefined;
  /** Supplier id -> the lead time it quotes: what the rule of thumb plans with, whatever the receipts say. */
  quotedLeadTimeDays: ReadonlyMap<string, number>;
  /**
   * Every morning between reviews, order for the pairs whose backorders nothing covers (DecisionScope `uncovered`),
   * for either policy; off, shortages wait for the next review.
   */
  shortageCheck: boolean;
}

export interface OrderDecision {
  skuId: string;
  warehouseId: string;
  supplierId: string;
  quantity: number;
}

/**
 * `review`: every SKU x warehouse, as at a review; `uncovered`: only those whose waiting backorders nothing on hand
 * or on order covers (the morning check between reviews), each decided by the same rule as at a review.
 */
export type DecisionScope = 'review' | 'uncovered';

export async function decide(ctx: AppContext, s: PolicySettings, scope: DecisionScope = 'review'): Promise<OrderDecision[]> {
  return s.policy === 'raincheck' ? recommended(ctx, s, scope) : minMax(ctx, s, scope);
}

async function recommended(ctx: AppContext, s: PolicySettings, scope: DecisionScope): Promise<OrderDecision[]> {
  const service = s.backorderCostMinor === undefined ? { service: s.service } : { serviceType: 'line-cost' as const, backorderCostMinor: s.backorderCostMinor };
  const due = scope === 'review' ? ('now' as const) : ('uncovered' as const);
  const list = await listRecommendations(ctx, { due, limit: Number.MAX_SAFE_INTEGER, ...service, reviewDays: s.reviewDays, windowDays: s.windowDays, orderCostMinor: s.orderCostMinor });
  if (!list.ok) throw new Error(`replay: recommendations: ${list.error.message}`);
  return list.value.items.map((r) => ({ skuId: r.skuId, warehouseId: r.warehouseId, supplierId: r.supplierId, quantity: r.quantity }));
}

async function minMax(ctx: AppContext, s: PolicySettings, scope: DecisionScope): Promise<OrderDecision[]> {
  // The plain average daily demand of the window (from the SKU's first day when younger): no forecast.
  const facts = await loadPairFacts(ctx, { windowDays: s.windowDays, uncovered: scope === 'uncovered' }, trailingMoments);
  const out: OrderDecision[] = [];
  for (const f of facts) {
    const supplier = f.suppliers[0];
    if (!supplier) continue;
    const avg = f.demand.dailyMean;
    const quoted = s.quotedLeadTimeDays.get(supplier.supplierId) ?? supplier.leadTime.meanDays;
    const min = Math.ceil((s.minmaxFactor ?? 1) * avg * (quoted + s.reviewDays));
    const max = min + Math.max(1, Math.ceil(avg * s.reviewDays));
    const position = inventoryPosition(f.stock) + f.onDraft;
    if (avg > 0 && position <= min) out.push({ skuId: f.skuId, warehouseId: f.warehouseId, supplierId: supplier.supplierId, quantity: roundOrderQuantity(max - position, supplier.minOrderQty, supplier.packSize) });
    else if (position < 0) out.push({ skuId: f.skuId, warehouseId: f.warehouseId, supplierId: supplier.supplierId, quantity: roundOrderQuantity(-position, supplier.minOrderQty, supplier.packSize) });
  }
  return out;
}

