/**
 * Root causes of backorders as pure decision lists over facts reconstructed as they stood at a moment (README
 * "Root causes"). Each backorder gets a cause for the moment it was created and another for the moment it
 * resolved; the first rule that holds wins, and the facts it rests on are kept with it so the answer explains itself.
 */

export const causes = [
  'data_error',
  'supplier_late',
  'supplier_short',
  'demand_spike',
  'no_replenishment',
  'reorder_point_low',
  'allocation_priority',
] as const;
export type Cause = (typeof causes)[number];

/** A purchase order line of the SKU x warehouse as it stood at the moment looked at. */
export interface InboundAt {
  poLineId: string;
  poId: string;
  supplierId: string;
  /** Ordered. */
  quantity: number;
  /** Received before the moment. */
  receivedBefore: number;
  originalExpectedDate: string;
  /** When the line was closed (its PO cancelled, or received) with less than ordered received, if before the moment. */
  closedShortAt: string | null;
}

export interface CreationFacts {
  /** When the backorder was created (ISO instant). */
  at: string;
  /** Purchase order lines of the SKU x warehouse placed before `at`. */
  inbound: readonly InboundAt[];
  /** Units removed by stock adjustments (counts, write-offs) in the 30 days before `at`. */
  adjustedDown: number;
  /** Units demanded of the SKU at the warehouse in the 7 days up to `at`, this order included. */
  weekDemand: number;
  /** Mean and variance of 7-day demand over the 12 weeks before those 7 days; null without 4 weeks of history. */
  weekly: { mean: number; variance: number } | null;
  /** Lead time (days) of the SKU's cheapest supplier item, or its supplier's default; null when none. */
  leadTimeDays: number | null;
  /** On-hand minus units waiting for it, plus open inbound, just before the order: the inventory position. */
  positionBefore: number;
}

export interface Attribution {
  cause: Cause;
  /** Plain words: why this cause. */
  reason: string;
  facts: Record<string, unknown>;
}

/** Upper quantile the demand-spike rule compares against, and the service level the reorder point is set for. */
export const spikeQuantile = 0.95;
const z95 = 1.6448536269514722;
const dayMs = 86_400_000;

/** The reorder point for a 95% cycle service level: lead-time demand's mean + z x its standard deviation. */
export function reorderPointOf(weekly: { mean: number; variance: number }, leadTimeDays: number): number {
  const weeks = leadTimeDays / 7;
  return weekly.mean * weeks + z95 * Math.sqrt(weekly.variance * weeks);
}

/** Still expected at the moment: not all received, and not closed short before it. */
const openAt = (l: InboundAt) => l.receivedBefore < l.quantity && l.closedShortAt === null;

/** Why the backorder was created: the first rule that holds. */
export function attributeCreation(f: CreationFacts): Attribution {
  const day = f.at.slice(0, 10);
  if (f.adjustedDown > 0) {
    return { cause: 'data_error', reason: `stock adjustments removed ${f.adjustedDown} unit(s) in the 30 days before: the record showed stock that was not there`, facts: { adjustedDown: f.adjustedDown } };
  }
  const late = f.inbound.filter((l) => openAt(l) && l.originalExpectedDate < day);
  if (late.length > 0) {
    const l = late[0]!;
    return {
      cause: 'supplier_late',
      reason: `PO ${l.poId} (${l.supplierId}) was due ${l.originalExpectedDate} and had not arrived`,
      facts: { poLines: late.map((x) => ({ poId: x.poId, poLineId: x.poLineId, supplierId: x.supplierId, due: x.originalExpectedDate, outstanding: x.quantity - x.receivedBefore })) },
    };
  }
  const recent = (iso: string | null) => iso !== null && Date.parse(f.at) - Date.parse(iso) <= 60 * dayMs;
  const short = f.inbound.filter((l) => recent(l.closedShortAt));
  if (short.length > 0) {
    const l = short[0]!;
    return {
      cause: 'supplier_short',
      reason: `PO ${l.poId} (${l.supplierId}) delivered ${l.receivedBefore} of ${l.quantity} unit(s) and closed short`,
      facts: { poLines: short.map((x) => ({ poId: x.poId, poLineId: x.poLineId, supplierId: x.supplierId, ordered: x.quantity, received: x.receivedBefore })) },
    };
  }
  if (f.weekly !== null) {
    const upper = upperWeekly(f.weekly);
    if (f.weekDemand > upper) {
      return {
        cause: 'demand_spike',
        reason: `${f.weekDemand} unit(s) asked for in 7 days, above the forecast's ${spikeQuantile} quantile of ${upper.toFixed(1)}`,
        facts: { weekDemand: f.weekDemand, upperQuantile: upper, quantile: spikeQuantile, weeklyMean: f.weekly.mean },
      };
    }
  }
  const inbound = f.inbound.filter(openAt).reduce((s, l) => s + l.quantity - l.receivedBefore, 0);
  const s = f.weekly !== null && f.leadTimeDays !== null ? reorderPointOf(f.weekly, f.leadTimeDays) : null;
  if (inbound === 0 && (s === null || f.positionBefore <= s)) {
    return {
      cause: 'no_replenishment',
      reason: s === null ? 'nothing was on order' : `the inventory position (${f.positionBefore}) was at or below the reorder point (${s.toFixed(1)}) with nothing on order`,
      facts: { positionBefore: f.positionBefore, reorderPoint: s, inbound },
    };
  }
  return {
    cause: 'reorder_point_low',
    reason: `demand was within the forecast and ${inbound > 0 ? `${inbound} unit(s) were on order` : `the position (${f.positionBefore}) was above the reorder point`}, yet stock ran out: the reorder point is too low for the target`,
    facts: { positionBefore: f.positionBefore, reorderPoint: s, inbound },
  };
}

/** The upper quantile of 7-day demand: normal, with the variance at least the mean (counts are at least Poisson). */
export function upperWeekly(w: { mean: number; variance: number }): number {
  return w.mean + z95 * Math.sqrt(Math.max(w.variance, w.mean));
}

export interface RivalBackorder {
  id: string;
  tier: number;
  createdAt: string;
  /** When it got stock (fulfilled), or null. */
  filledAt: string | null;
}

export interface ResolutionFacts {
  createdAt: string;
  resolvedAt: string;
  tier: number;
  /** Backorders of the same SKU that got stock while this one waited. */
  rivals: readonly RivalBackorder[];
  /** PO lines of the SKU x warehouse due while it waited, with when they were received (null: not yet). */
  dueWhileWaiting: readonly { poId: string; supplierId: string; originalExpectedDate: string; receivedAt: string | null }[];
  /** The cause at creation. */
  created: Attribution;
}

/** Why the backorder waited as long as it did: jumped by a higher tier, held by a late supplier, else its creation cause. */
export function attributeResolution(f: ResolutionFacts): Attribution {
  const jumped = f.rivals.filter((r) => r.tier < f.tier && r.createdAt > f.createdAt && r.filledAt !== null && r.filledAt < f.resolvedAt);
  if (jumped.length > 0) {
    return {
      cause: 'allocation_priority',
      reason: `${jumped.length} later backorder(s) of higher-tier customers got stock first`,
      facts: { jumpedBy: jumped.map((r) => ({ backorderId: r.id, tier: r.tier, createdAt: r.createdAt })) },
    };
  }
  const resolvedDay = f.resolvedAt.slice(0, 10);
  const late = f.dueWhileWaiting.filter((l) => l.receivedAt === null ? l.originalExpectedDate < resolvedDay : l.receivedAt.slice(0, 10) > l.originalExpectedDate);
  if (late.length > 0) {
    const l = late[0]!;
    return {
      cause: 'supplier_late',
      reason: `PO ${l.poId} (${l.supplierId}) was due ${l.originalExpectedDate} and arrived ${l.receivedAt === null ? 'later' : l.receivedAt.slice(0, 10)}`,
      facts: { poLines: late },
    };
  }
  return f.created;
}
