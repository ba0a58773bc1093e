/** Replenishment figures as the API shows them (JSON has no Infinity: "never" is null). */
import type { Family } from '../planning/distributions.js';
import type { Expected, Policy, PolicyKind } from '../planning/policies.js';
import type { Recommendation } from '../planning/recommend.js';
import { inventoryPosition } from '../planning/risk.js';
import type { LeadTimeEstimate } from './inputs.js';
import { familyFor, meanLineSize, type PairFacts, type PairPlan, type PairRisk, type PlanSettings } from './plan.js';

export interface DemandView {
  dailyMean: number;
  dailyVariance: number;
  method: string;
  from: string;
  to: string;
  days: number;
  units: number;
  lines: number;
  meanLineSize: number;
  family: Family;
}

export interface PolicyNumbers {
  kind: PolicyKind;
  reviewDays: number;
  reorderPoint: number | null;
  orderQuantity: number | null;
  orderUpTo: number | null;
  safetyStock: number;
}

export interface SupplierView {
  supplierId: string;
  unitCostMinor: number;
  packSize: number;
  minOrderQty: number;
  leadTime: LeadTimeEstimate;
}

export interface PolicyView {
  skuId: string;
  warehouseId: string;
  inventoryPosition: number;
  demand: DemandView;
  supplier: SupplierView | null;
  policy: PolicyNumbers | null;
  expected: Expected | null;
}

export interface RiskView {
  skuId: string;
  warehouseId: string;
  onHand: number;
  allocated: number;
  backordered: number;
  onOrder: number;
  inventoryPosition: number;
  dailyMean: number;
  family: Family;
  supplierId: string | null;
  leadTime: LeadTimeEstimate | null;
  stockoutProbability: number;
  expectedShortage: number;
  daysUntilStockout: number | null;
}

export interface RecommendationView {
  skuId: string;
  warehouseId: string;
  orderNow: boolean;
  quantity: number;
  supplierId: string;
  basis: Recommendation['basis'];
  orderBy: string | null;
  expectedArrival: string | null;
  risk: number;
  expectedFillRate: number;
  expectedCostPerYear: number;
  costPerUnit: number;
  orderValue: number;
  inventoryPosition: number;
  onDraft: number;
  dailyMean: number;
  policy: PolicyNumbers;
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

// lineSize is planning's input, shown as meanLineSize.
const demandView = (f: PairFacts, family: Family): DemandView => {
  const { lineSize: _, ...demand } = f.demand;
  return { ...demand, meanLineSize: meanLineSize(f), family };
};

export function policyNumbers(p: Policy): PolicyNumbers {
  return {
    kind: p.kind,
    reviewDays: p.reviewDays,
    reorderPoint: p.kind === 'RS' ? null : p.reorderPoint,
    orderQuantity: p.kind === 'sQ' ? p.orderQuantity : null,
    orderUpTo: p.kind === 'sQ' ? null : p.orderUpTo,
    safetyStock: p.safetyStock,
  };
}

export function policyView(f: PairFacts, plan: PairPlan | null, settings: PlanSettings): PolicyView {
  const base = { skuId: f.skuId, warehouseId: f.warehouseId, inventoryPosition: inventoryPosition(f.stock) };
  if (plan === null) return { ...base, demand: demandView(f, familyFor(f, null, settings)), supplier: null, policy: null, expected: null };
  const { supplier } = plan;
  return {
    ...base,
    demand: demandView(f, plan.family),
    supplier: { supplierId: supplier.supplierId, unitCostMinor: supplier.unitCostMinor, packSize: supplier.packSize, minOrderQty: supplier.minOrderQty, leadTime: supplier.leadTime },
    policy: policyNumbers(plan.policy),
    expected: plan.policy.expected,
  };
}

export function riskView(f: PairFacts, r: PairRisk): RiskView {
  return {
    skuId: f.skuId,
    warehouseId: f.warehouseId,
    ...f.stock,
    inventoryPosition: r.inventoryPosition,
    dailyMean: f.demand.dailyMean,
    family: r.family,
    supplierId: r.supplier?.supplierId ?? null,
    leadTime: r.supplier?.leadTime ?? null,
    stockoutProbability: r.stockoutProbability,
    expectedShortage: r.expectedShortage,
    daysUntilStockout: finite(r.daysUntilStockout),
  };
}

export function recommendationView(f: PairFacts, r: Recommendation): RecommendationView {
  return {
    skuId: f.skuId,
    warehouseId: f.warehouseId,
    orderNow: r.orderNow,
    quantity: r.quantity,
    supplierId: r.supplierId,
    basis: r.basis,
    orderBy: r.orderBy,
    expectedArrival: r.expectedArrival,
    risk: r.risk,
    expectedFillRate: r.expectedFillRate,
    expectedCostPerYear: r.expectedCostPerYear,
    costPerUnit: r.costPerUnit,
    orderValue: r.orderValue,
    inventoryPosition: inventoryPosition(f.stock),
    onDraft: f.onDraft,
    dailyMean: f.demand.dailyMean,
    policy: policyNumbers(r.policy),
  };
}
