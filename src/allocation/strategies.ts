/**
 * Allocation strategies decide which waiting backorder gets incoming stock first. Each is a total order over
 * waiting demand plus a sentence that explains a position in it, so every decision can be told to a person.
 */
export interface WaitingDemand {
  backorderId: string;
  orderId: string;
  /** When the order was placed (ISO-8601); ties broken by backorder id, which is creation-ordered. */
  placedAt: string;
  customerTier: number;
  waiting: number;
  warehouseId: string;
  flexible: boolean;
}

export interface AllocationStrategy {
  readonly name: StrategyName;
  readonly description: string;
  compare(a: WaitingDemand, b: WaitingDemand): number;
  explain(d: WaitingDemand, rank: number): string;
}

export const strategyNames = ['fifo', 'tier-then-fifo'] as const;
export type StrategyName = (typeof strategyNames)[number];

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const fifoCompare = (a: WaitingDemand, b: WaitingDemand) =>
  byText(a.placedAt, b.placedAt) || byText(a.backorderId, b.backorderId);

const fifo: AllocationStrategy = {
  name: 'fifo',
  description: 'First in, first out: the earliest order waiting gets stock first.',
  compare: fifoCompare,
  explain: (d, rank) => `FIFO: ordered at ${d.placedAt}, position ${rank} in the queue`,
};

const tierThenFifo: AllocationStrategy = {
  name: 'tier-then-fifo',
  description: 'Customer tier first (tier 1 before tier 2), then first in, first out within a tier.',
  compare: (a, b) => a.customerTier - b.customerTier || fifoCompare(a, b),
  explain: (d, rank) => `tier ${d.customerTier} customer, ordered at ${d.placedAt}: position ${rank} in the queue`,
};

export const strategies: Readonly<Record<StrategyName, AllocationStrategy>> = {
  fifo,
  'tier-then-fifo': tierThenFifo,
};
