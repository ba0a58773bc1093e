/**
 * Replays one item's real demand through a replenishment policy, in discrete periods, and counts what happened.
 *
 * Each period t, in this order:
 *   1. orders due at t arrive (at the start of the period) and fill the backlog first-in first-out, the rest goes
 *      on the shelf;
 *   2. demand y_t is served from the shelf; what the shelf cannot serve is backordered (or lost, `lostSales`);
 *   3. at a review (every `review` periods from `start`), the policy sees the demand of periods 0..t ONLY (the
 *      engine reveals the demand period by period into a buffer of its own and hands out views of it: later
 *      periods are not in it yet, and what a policy writes there never reaches the engine's demand) and the inventory
 *      position (on hand + on order - backlog), and may order; an order placed at the end of t with lead time L
 *      arrives at the start of t + 1 + L.
 * Orders are rounded up to whole packs and at least the minimum order quantity. The shelf starts at the policy's
 * own target (its order-up-to level, or s + Q) as seen at the start, so no policy is judged on an arbitrary
 * opening stock; the periods before `measureFrom` are warm-up and not counted.
 *
 * Empty (NaN) demand is taken as no demand. Everything is in units; values and costs are the report's business
 * (report.ts), from the counts here.
 */

export interface SimItem {
  readonly id: string;
  /** Demand per period, oldest first. */
  readonly demand: Float64Array;
  /** Periods from the end of the ordering period to the start of the arrival period, minus one (0: next period). */
  readonly leadTime: number;
  /** A lead time per order instead (k = 0, 1, ... in order of placing), e.g. drawn from a supplier's history. */
  readonly leadTimeOf?: (k: number) => number;
  readonly minOrder?: number;
  readonly packSize?: number;
}

/** What a policy decides at a review: when to order and how much. */
export type OrderRule =
  /** Order up to S whenever the position is below S (periodic review). */
  | { readonly kind: 'RS'; readonly orderUpTo: number }
  /** Order up to S when the position is at or below s. */
  | { readonly kind: 'sS'; readonly reorderPoint: number; readonly orderUpTo: number }
  /** Order the smallest multiple of Q that lifts the position above s, when it is at or below s. */
  | { readonly kind: 'sQ'; readonly reorderPoint: number; readonly orderQuantity: number };

/** Decides one item's rule at the end of period t from the demand of periods 0..t (`history`). */
export type Decide = (history: Float64Array, position: number) => OrderRule;

export interface SimOptions {
  /** First period the policy runs (periods before it are history only). */
  readonly start: number;
  /** First period counted in the results (>= start). */
  readonly measureFrom: number;
  /** Periods between reviews (1: every period). */
  readonly review: number;
  /** Unserved demand is lost instead of backordered. */
  readonly lostSales?: boolean;
  /** Keep every period's numbers (tests, reports of one item). */
  readonly trace?: boolean;
}

export interface PeriodTrace {
  readonly t: number;
  readonly arrived: number;
  readonly demand: number;
  readonly fromStock: number;
  /** Units of earlier backorders filled by this period's arrivals. */
  readonly backlogFilled: number;
  readonly short: number;
  readonly ordered: number;
  readonly onHand: number;
  readonly backlog: number;
  readonly onOrder: number;
}

export interface ItemResult {
  readonly id: string;
  readonly periods: number;
  readonly demandUnits: number;
  readonly demandLines: number;
  /** Units served from the shelf in the period they were asked for. */
  readonly fromStockUnits: number;
  /** Units not served at once: backordered (or lost). */
  readonly shortUnits: number;
  /** Periods with demand that could not all be served at once. */
  readonly shortLines: number;
  readonly lostUnits: number;
  /** Units shipped in the measured periods: from the shelf at once plus backorders filled. */
  readonly shippedUnits: number;
  /** Sum over measured periods of the end-of-period on-hand and backlog. */
  readonly onHandSum: number;
  readonly backlogSum: number;
  readonly orders: number;
  readonly orderedUnits: number;
  /**
   * Waits of backordered units: waits[w] = units that waited w periods (filled w periods after they were asked
   * for). Units still waiting at the end count at the wait they had reached (a lower bound), in `openWaits`.
   */
  readonly waits: number[];
  readonly openWaits: number[];
  readonly initialOnHand: number;
  readonly trace?: PeriodTrace[];
}

/** Runs one item through the periods start..n-1. */
export function simulateItem(item: SimItem, decide: Decide, o: SimOptions): ItemResult {
  check(item, o);
  const y = item.demand;
  const n = y.length;
  const pack = item.packSize ?? 1;
  const moq = item.minOrder ?? 0;
  const due = new Float64Array(n + 1);
  // The backlog queue: the period each lot of waiting units was asked for, and how many are left.
  const queueT: number[] = [];
  const queueQ: number[] = [];
  let head = 0;
  // What the policy may see: filled in period by period (a copy per review cost more than the rest of the run).
  const revealed = new Float64Array(n).fill(NaN);
  revealed.set(y.subarray(0, o.start));
  let onHand = Math.max(0, Math.ceil(targetOf(decide(revealed.subarray(0, o.start), 0)) - 1e-9));
  let onOrder = 0;
  let backlog = 0;
  let orderCount = 0;
  const r = { demandUnits: 0, demandLines: 0, fromStockUnits: 0, shortUnits: 0, shortLines: 0, lostUnits: 0, shippedUnits: 0, onHandSum: 0, backlogSum: 0, orders: 0, orderedUnits: 0 };
  const waits: number[] = [];
  const openWaits: number[] = [];
  const trace: PeriodTrace[] | undefined = o.trace ? [] : undefined;
  const initialOnHand = onHand;
  for (let t = o.start; t < n; t++) {
    const measured = t >= o.measureFrom;
    // 1. Arrivals fill the backlog first, oldest first.
    const arrived = due[t]!;
    onOrder -= arrived;
    let supply = arrived;
    let backlogFilled = 0;
    while (supply > 0 && head < queueQ.length) {
      const take = Math.min(supply, queueQ[head]!);
      supply -= take;
      backlogFilled += take;
      queueQ[head]! -= take;
      if (queueT[head]! >= o.measureFrom) add(waits, t - queueT[head]!, take);
      if (queueQ[head] === 0) head++;
    }
    backlog -= backlogFilled;
    onHand += supply;
    // 2. Demand.
    revealed[t] = y[t]!;
    const d = y[t]! > 0 ? y[t]! : 0;
    const fromStock = Math.min(onHand, d);
    const short = d - fromStock;
    onHand -= fromStock;
    if (short > 0 && !o.lostSales) {
      queueT.push(t);
      queueQ.push(short);
      backlog += short;
    }
    // 3. Review.
    let ordered = 0;
    if ((t - o.start) % o.review === 0) {
      const position = onHand + onOrder - backlog;
      ordered = orderFor(decide(revealed.subarray(0, t + 1), position), position, moq, pack);
      if (ordered > 0) {
        const lead = item.leadTimeOf ? item.leadTimeOf(orderCount) : item.leadTime;
        orderCount++;
        const arrival = t + 1 + Math.max(0, Math.round(lead));
        if (arrival < n) due[arrival]! += ordered;
        onOrder += ordered;
      }
    }
    if (measured) {
      r.demandUnits += d;
      if (d > 0) r.demandLines++;
      r.fromStockUnits += fromStock;
      r.shortUnits += short;
      if (short > 0) r.shortLines++;
      if (o.lostSales) r.lostUnits += short;
      r.shippedUnits += fromStock + backlogFilled;
      r.onHandSum += onHand;
      r.backlogSum += backlog;
      if (ordered > 0) {
        r.orders++;
        r.orderedUnits += ordered;
      }
    }
    trace?.push({ t, arrived, demand: d, fromStock, backlogFilled, short, ordered, onHand, backlog, onOrder });
  }
  for (let i = head; i < queueQ.length; i++) if (queueT[i]! >= o.measureFrom && queueQ[i]! > 0) add(openWaits, n - queueT[i]!, queueQ[i]!);
  return { id: item.id, periods: Math.max(0, n - o.measureFrom), ...r, waits, openWaits, initialOnHand, ...(trace ? { trace } : {}) };
}

/** The position a rule aims for: where the shelf starts. */
function targetOf(rule: OrderRule): number {
  return rule.kind === 'sQ' ? rule.reorderPoint + rule.orderQuantity : rule.orderUpTo;
}

/** Units to order under the rule at this position, in whole packs and at least the minimum order. */
export function orderFor(rule: OrderRule, position: number, minOrder: number, packSize: number): number {
  let want = 0;
  if (rule.kind === 'RS') want = position < rule.orderUpTo ? rule.orderUpTo - position : 0;
  else if (position <= rule.reorderPoint) {
    if (rule.kind === 'sS') want = rule.orderUpTo - position;
    else want = rule.orderQuantity * Math.max(1, Math.floor((rule.reorderPoint - position) / rule.orderQuantity) + 1);
  }
  if (!(want > 1e-9)) return 0;
  const packs = Math.ceil(Math.max(want, minOrder) / packSize - 1e-9);
  return Math.max(1, packs) * packSize;
}

function add(histogram: number[], at: number, units: number): void {
  while (histogram.length <= at) histogram.push(0);
  histogram[at]! += units;
}

function check(item: SimItem, o: SimOptions): void {
  const n = item.demand.length;
  const problems: string[] = [];
  if (!Number.isInteger(o.start) || o.start < 0 || o.start > n) problems.push(`start must be an integer in 0..${n}, got ${o.start}`);
  if (!Number.isInteger(o.measureFrom) || o.measureFrom < o.start) problems.push(`measureFrom must be an integer >= start (${o.start}), got ${o.measureFrom}`);
  if (!Number.isInteger(o.review) || o.review < 1) problems.push(`review must be a positive integer, got ${o.review}`);
  if (!(item.leadTime >= 0)) problems.push(`lead time must be >= 0, got ${item.leadTime}`);
  if (!((item.packSize ?? 1) >= 1)) problems.push(`pack size must be >= 1, got ${item.packSize}`);
  if (!((item.minOrder ?? 0) >= 0)) problems.push(`minimum order must be >= 0, got ${item.minOrder}`);
  if (problems.length > 0) throw new RangeError(`item '${item.id}': ${problems.join('; ')}`);
}
