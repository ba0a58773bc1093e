/**
 * One SKU x warehouse's policy, risk and purchase recommendation, as pure functions over the facts gathered for it.
 * The numbers come from the planning core (src/planning/); this file only decides which inputs it gets.
 */
import type { Family, Moments } from '../planning/distributions.js';
import { planPolicy, type Policy, type PolicyInputs, type PolicyKind, type ServiceTarget } from '../planning/policies.js';
import type { LineShortageCost } from '../planning/line-cost.js';
import { recommendOrder, type Recommendation, type SupplierOption } from '../planning/recommend.js';
import { backorderRisk, inventoryPosition, type Risk, type StockNumbers } from '../planning/risk.js';
import type { DemandEstimate } from './estimate.js';
import { cheapestSupplier, chooseFamily, holdingValue, type SupplierChoice } from './inputs.js';

/**
 * The service asked for: one target for every pair, or the cost of a backordered order line, from which each pair's
 * target follows with its own mean line size (`targetFor`).
 */
export type ServiceSetting = Exclude<ServiceTarget, { measure: 'line-shortage-cost' }> | ({ measure: 'line-shortage-cost' } & Omit<LineShortageCost, 'meanLineSize'>);

export interface PlanSettings {
  policy: PolicyKind;
  /** Days between reviews; 0 is continuous review ((s, Q) and (s, S) only). */
  reviewDays: number;
  target: ServiceSetting;
  /** K, minor units per order placed. */
  orderCostMinor: number;
  /** r: holding cost per year as a share of the unit value. */
  holdingRate: number;
}

export interface PairFacts {
  skuId: string;
  warehouseId: string;
  skuUnitCostMinor: number;
  /** onHand, allocated, backordered (units still waiting there), onOrder (open PO lines + transfers in transit). */
  stock: StockNumbers;
  /** Units on draft purchase orders to this warehouse: approved, not yet placed. */
  onDraft: number;
  /**
   * The estimate, and the window's units and order lines (a line with parts here, demand.ts); `lineSize`: units per
   * order line to plan with when the window has no lines of its own (a product about to launch: its analogs').
   */
  demand: DemandEstimate & { from: string; to: string; days: number; units: number; lines: number; lineSize?: number };
  suppliers: readonly SupplierChoice[];
}

export interface PairPlan {
  family: Family;
  supplier: SupplierChoice;
  inputs: PolicyInputs;
  policy: Policy;
}

const moments = (f: PairFacts): Moments => ({ mean: f.demand.dailyMean, variance: f.demand.dailyVariance });

/**
 * Mean units per order line in the window; without lines, the launch analogs' (demand.lineSize) or 1 (a pair with no
 * orders yet is assumed to sell singly).
 */
export const meanLineSize = (f: PairFacts): number => (f.demand.lines > 0 && f.demand.units > 0 ? f.demand.units / f.demand.lines : (f.demand.lineSize ?? 1));

/** The service target of this pair: the setting itself, or for a line shortage cost, with the pair's mean line size. */
export function targetFor(f: PairFacts, settings: PlanSettings): ServiceTarget {
  const t = settings.target;
  return t.measure === 'line-shortage-cost' ? { ...t, meanLineSize: meanLineSize(f) } : t;
}

/** The family for this pair with this supplier's lead time (see chooseFamily). */
export function familyFor(f: PairFacts, supplier: SupplierChoice | null, settings: PlanSettings): Family {
  return chooseFamily(moments(f), settings.reviewDays + (supplier?.leadTime.meanDays ?? 0));
}

/** What planPolicy is called with for this pair and supplier. */
export function policyInputsFor(f: PairFacts, supplier: SupplierChoice, family: Family, settings: PlanSettings): PolicyInputs {
  return {
    family,
    dailyDemand: moments(f),
    leadTime: { meanDays: supplier.leadTime.meanDays, sdDays: supplier.leadTime.sdDays },
    orderCost: settings.orderCostMinor,
    holdingCostPerUnitYear: settings.holdingRate * holdingValue(supplier.unitCostMinor, f.skuUnitCostMinor),
    minimumOrder: supplier.minOrderQty,
    packSize: supplier.packSize,
  };
}

/** The policy with the cheapest supplier item; null when nobody supplies the SKU. */
export function planPair(f: PairFacts, settings: PlanSettings): PairPlan | null {
  const supplier = cheapestSupplier(f.suppliers);
  if (!supplier) return null;
  const family = familyFor(f, supplier, settings);
  const inputs = policyInputsFor(f, supplier, family, settings);
  return { family, supplier, inputs, policy: planPolicy(settings.policy, inputs, targetFor(f, settings), settings.reviewDays) };
}

export interface PairRisk extends Risk {
  family: Family;
  supplier: SupplierChoice | null;
}

/**
 * Backorder risk over the cheapest supplier's lead time: the chance that demand before an order placed now could
 * arrive exceeds the inventory position. Without a supplier the lead time is 0: only units already short count.
 */
export function riskOf(f: PairFacts, settings: PlanSettings): PairRisk {
  const supplier = cheapestSupplier(f.suppliers);
  const family = familyFor(f, supplier, settings);
  const leadTime = supplier ? { meanDays: supplier.leadTime.meanDays, sdDays: supplier.leadTime.sdDays } : { meanDays: 0, sdDays: 0 };
  return { ...backorderRisk({ ...f.stock, family, dailyDemand: moments(f), leadTime }), family, supplier };
}

/**
 * The position recommendations work from: the inventory position plus units on draft purchase orders, so that an
 * approved recommendation (a draft) is not recommended again while it waits to be placed.
 */
export const planningPosition = (f: PairFacts): number => inventoryPosition(f.stock) + f.onDraft;

/** The planning core's option for a supplier (unit value as holding costs see it). */
export function supplierOption(f: PairFacts, s: SupplierChoice): SupplierOption {
  return {
    supplierId: s.supplierId,
    leadTime: { meanDays: s.leadTime.meanDays, sdDays: s.leadTime.sdDays },
    unitCost: holdingValue(s.unitCostMinor, f.skuUnitCostMinor),
    minimumOrder: s.minOrderQty,
    packSize: s.packSize,
  };
}

/** What to order for this pair (among `suppliers`, all of the SKU's by default), or null without a supplier. */
export function recommendFor(f: PairFacts, settings: PlanSettings, today: string, suppliers = f.suppliers): Recommendation | null {
  if (suppliers.length === 0) return null;
  return recommendOrder({
    policy: settings.policy,
    reviewDays: settings.reviewDays,
    target: targetFor(f, settings),
    family: familyFor(f, cheapestSupplier(f.suppliers), settings),
    dailyDemand: moments(f),
    orderCost: settings.orderCostMinor,
    holdingRate: settings.holdingRate,
    inventoryPosition: planningPosition(f),
    suppliers: suppliers.map((s) => supplierOption(f, s)),
    today,
  });
}
