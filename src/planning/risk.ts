/**
 * Backorder risk of one SKU x warehouse, from the numbers alone (Silver, Pyke & Thomas 2017, ch. 6: the inventory
 * position and the probability that lead-time demand exceeds it, i.e. 1 - the cycle service level it implies).
 *
 * - inventory position = on hand - allocated - backordered + on order (the GUIDE's definition);
 * - risk = P(demand over the lead time > inventory position): if we ordered now, the chance the order arrives
 *   after at least one unit more than the position has been demanded, i.e. a new backorder appears;
 * - expected shortage E[(X_L - IP)+]: units expected to be backordered by then;
 * - days until stockout: available stock (on hand - allocated - backordered) divided by the mean daily demand,
 *   the day on which expected cumulative demand uses the shelf up if nothing arrives. By Wald's identity the true
 *   expected first-passage time is this plus (expected overshoot) / d, about half a day's demand more; we leave
 *   it out so the figure reads as days of cover. Inbound stock is ignored here: the risk figure covers it.
 */
import { fitDistribution, type Distribution, type Family, type Moments } from './distributions.js';
import { protectionDemand, type LeadTime } from './safety-stock.js';

export interface StockNumbers {
  onHand: number;
  allocated: number;
  backordered: number;
  onOrder: number;
}

export interface RiskInputs extends StockNumbers {
  family: Family;
  dailyDemand: Moments;
  leadTime: LeadTime;
}

export interface Risk {
  inventoryPosition: number;
  /** P(lead-time demand > inventory position), in [0, 1]. */
  stockoutProbability: number;
  /** E[(lead-time demand - inventory position)+]. */
  expectedShortage: number;
  /** Days of cover of the available stock at mean demand; 0 when none is available, Infinity without demand. */
  daysUntilStockout: number;
}

/** on hand - allocated - backordered + on order. */
export function inventoryPosition(s: StockNumbers): number {
  return s.onHand - s.allocated - s.backordered + s.onOrder;
}

/** Lead-time demand in the family, from daily demand and the lead time (mean d E[L], variance E[L] var_d + d^2 Var[L]). */
export function leadTimeDemand(family: Family, dailyDemand: Moments, leadTime: LeadTime): Distribution {
  const lead = protectionDemand(dailyDemand, leadTime);
  return fitDistribution(family, lead.mean, lead.variance);
}

/** The backorder-risk score and its companions for one SKU x warehouse. */
export function backorderRisk(input: RiskInputs): Risk {
  const position = inventoryPosition(input);
  const x = leadTimeDemand(input.family, input.dailyDemand, input.leadTime);
  const available = input.onHand - input.allocated - input.backordered;
  const d = input.dailyDemand.mean;
  return {
    inventoryPosition: position,
    stockoutProbability: x.survival(position),
    expectedShortage: x.loss(position),
    daysUntilStockout: available <= 0 ? 0 : d > 0 ? available / d : Infinity,
  };
}
