/** Allocation of a quantity of newly available stock at one warehouse to waiting backorders, as a pure function. */
import type { AllocationStrategy, WaitingDemand } from './strategies.js';

export interface AllocationDecision {
  backorderId: string;
  orderId: string;
  quantity: number;
  /** 1-based position in the strategy's queue among the demand eligible at this warehouse. */
  rank: number;
  /** How many eligible backorders were waiting in that queue (the competing demand). */
  competing: number;
  reason: string;
}

/** Demand may take stock from a warehouse when it waits there, or when it may be filled from anywhere. */
export const isEligibleAt = (d: Pick<WaitingDemand, 'flexible' | 'warehouseId'>, warehouseId: string): boolean =>
  d.flexible || d.warehouseId === warehouseId;

/**
 * Gives `supply` units at `warehouseId` to eligible waiting demand in strategy order, each up to what it waits for.
 * Conserves units: the decisions sum to min(supply, total eligible waiting).
 */
export function allocateSupply(
  supply: number,
  warehouseId: string,
  waiting: readonly WaitingDemand[],
  strategy: AllocationStrategy,
): AllocationDecision[] {
  const queue = waiting.filter((d) => d.waiting > 0 && isEligibleAt(d, warehouseId)).sort(strategy.compare);
  const decisions: AllocationDecision[] = [];
  let left = supply;
  for (const [i, d] of queue.entries()) {
    if (left <= 0) break;
    const quantity = Math.min(left, d.waiting);
    decisions.push({ backorderId: d.backorderId, orderId: d.orderId, quantity, rank: i + 1, competing: queue.length, reason: strategy.explain(d, i + 1) });
    left -= quantity;
  }
  return decisions;
}
