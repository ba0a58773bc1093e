/**
 * Service set by what a backordered order line costs, instead of one target for every item.
 *
 * A fill rate target of 95% for every SKU spends as much safety stock per unit of demand on an expensive SKU bought
 * in cases of 48 as on a cheap one bought one at a time, yet the backorder rate (KPI: order lines backordered /
 * order lines) counts each line once, whatever its size. Pricing a backordered line at B instead gives each SKU the
 * level where one more unit of stock stops paying for itself (Silver, Pyke & Thomas 2017, ch. 6, the B2 rule: a
 * cost per unit short; here B / mean line size, since one unit short is 1 / (mean line size) of a line):
 *   raising the level by one unit costs h a year (holding, h = r v) and avoids, in each of the
 *   annualDemand / demandPerCycle cycles a year, the unit short whenever the cycle ends short (probability 1 - P1),
 *   so the optimum has  1 - P1 = h x meanLineSize x demandPerCycle / (annualDemand x B).
 * Cheap SKUs ordered often in small lines get a high cycle service level; dear SKUs ordered rarely in large lines a
 * low one. The level is then the P1 quantile of the cycle's demand, as for a cycle service target.
 *
 * Bounds: P1 is kept within [0.5, 0.999]. Below 0.5 the optimum plans backorders on purpose (a level under the
 * expected demand); the fitted laws are least trustworthy far in their tails, and a planner can still lower B.
 * Above 0.999 the tail of a fitted law says more than a year of data can support.
 */
export interface LineShortageCost {
  /** B: what one backordered order line costs (goodwill, expediting, the customer-service contact). */
  costPerLine: number;
  /** Mean units per order line of this item (at least 1 makes sense; any positive size is accepted). */
  meanLineSize: number;
}

export const lineCostServiceBounds = { min: 0.5, max: 0.999 } as const;

export interface LineCostCycle {
  /** h: cost of holding one unit for a year. */
  holdingCostPerUnitYear: number;
  /** Mean units demanded per replenishment cycle (Q for (s, Q), R days of demand for (R, S)). */
  demandPerCycle: number;
  annualDemand: number;
}

/** The cycle service level P1 that minimises holding cost plus B per backordered line (see above), within the bounds. */
export function cycleServiceForLineCost(cycle: LineCostCycle, cost: LineShortageCost): number {
  const { min, max } = lineCostServiceBounds;
  if (!(cycle.annualDemand > 0) || !(cycle.demandPerCycle > 0)) return min;
  const stockoutChance = (cycle.holdingCostPerUnitYear * cost.meanLineSize * cycle.demandPerCycle) / (cycle.annualDemand * cost.costPerLine);
  return Math.min(max, Math.max(min, 1 - stockoutChance));
}
