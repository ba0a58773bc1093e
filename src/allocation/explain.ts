/**
 * "Why did order X get stock before order Y?" Every allocation decision is recorded with its reason (receipts:
 * `backorder.allocated` events with strategy, rank and reason; processing runs: the run's changes and events with
 * rank, competing demand and reason). This module reads them back, with the backorder's place in today's queue
 * under the strategy in force, and says it in plain words and as structured data. Compared with another backorder,
 * each time the other got units is explained: it was ordered first, ranked higher under the strategy of that
 * decision, the units were at a warehouse this one cannot be served from, or this one did not exist yet.
 */
import type { Tx } from '../db/connect.js';
import type { AppContext } from '../main/context.js';
import { fail, ok, type Result } from '../shared/result.js';
import * as backorders from '../backorders/repository.js';
import { waitingOf } from '../backorders/domain.js';
import { waitingQueue, type QueuedBackorder } from '../promising/repository.js';
import { currentStrategy } from './settings.js';
import { isEligibleAt } from './domain.js';
import type { AllocationStrategy } from './strategies.js';

export interface ExplainedBackorder {
  id: string;
  orderId: string;
  customerId: string;
  customerTier: number;
  skuId: string;
  warehouseId: string;
  flexible: boolean;
  placedAt: string;
  status: string;
  quantity: number;
  allocated: number;
  fulfilled: number;
  waiting: number;
  promisedDate: string | null;
}

export interface Decision {
  at: string;
  /** Units gained (allocated), lost (deallocated) or moved between warehouses (reallocated). */
  kind: 'allocated' | 'deallocated' | 'reallocated';
  quantity: number;
  warehouseId: string | null;
  /** receipt: stock that became available went down the queue; run: a processing run re-allocated the SKU. */
  source: 'receipt' | 'run';
  runId: string | null;
  strategy: string | null;
  rank: number | null;
  competing: number | null;
  reason: string | null;
}

export interface QueuePlace {
  /** 1-based among the waiting demand that may take the same stock; null when nothing waits. */
  position: number | null;
  of: number;
  unitsAhead: number;
  /** The first few ahead, each with why it is ahead. */
  ahead: { backorderId: string; orderId: string; customerTier: number; placedAt: string; waiting: number; why: string }[];
}

export type Because = 'ordered_after' | 'other_warehouse' | 'higher_tier' | 'earlier_order' | 'earlier_promise' | 'fair_share' | 'category' | 'strategy';

export interface Finding {
  at: string;
  units: number;
  warehouseId: string | null;
  because: Because;
  words: string;
}

export interface Comparison {
  other: ExplainedBackorder;
  otherDecisions: Decision[];
  /** One per time the other backorder gained units. */
  findings: Finding[];
  summary: string;
}

export interface Explanation {
  backorder: ExplainedBackorder;
  strategy: { name: string; description: string };
  queue: QueuePlace;
  decisions: Decision[];
  comparison: Comparison | null;
  summary: string;
}

async function load(tx: Tx, id: string): Promise<{ b: ExplainedBackorder; decisions: Decision[] } | null> {
  const row = await backorders.findBackorder(tx, id);
  if (!row) return null;
  const customer = await tx.selectFrom('customer').select('tier').where('id', '=', row.customer_id).executeTakeFirstOrThrow();
  const b: ExplainedBackorder = {
    id: row.id,
    orderId: row.order_id,
    customerId: row.customer_id,
    customerTier: customer.tier,
    skuId: row.sku_id,
    warehouseId: row.warehouse_id,
    flexible: row.flexible === 1,
    placedAt: row.placed_at,
    status: row.status,
    quantity: row.quantity,
    allocated: row.allocated,
    fulfilled: row.fulfilled,
    waiting: waitingOf(row),
    promisedDate: row.promised_date,
  };
  const events = await backorders.eventsOf(tx, id);
  const decisions = events.flatMap((e): Decision[] => {
    const kind = ({ 'backorder.allocated': 'allocated', 'backorder.deallocated': 'deallocated', 'backorder.reallocated': 'reallocated' } as const)[e.type as 'backorder.allocated'];
    if (!kind) return [];
    const d = JSON.parse(e.data) as Record<string, unknown>;
    const str = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : null);
    const num = (k: string) => (typeof d[k] === 'number' ? (d[k] as number) : null);
    const moves = Array.isArray(d.moves) ? (d.moves as { warehouseId: string; before: number; after: number }[]) : [];
    return [
      {
        at: e.created_at,
        kind,
        quantity: num('quantity') ?? 0,
        warehouseId: str('warehouseId') ?? moves.find((m) => m.after > m.before)?.warehouseId ?? null,
        source: str('runId') === null ? 'receipt' : 'run',
        runId: str('runId'),
        strategy: str('strategy'),
        rank: num('rank'),
        competing: num('competing'),
        reason: str('reason'),
      },
    ];
  });
  return { b, decisions };
}

/** Both may take units at some warehouse: one of them flexible, or both waiting at the same one. */
const competes = (a: Pick<QueuedBackorder, 'flexible' | 'warehouseId'>, b: Pick<QueuedBackorder, 'flexible' | 'warehouseId'>) => a.flexible || b.flexible || a.warehouseId === b.warehouseId;

function whyAhead(strategy: AllocationStrategy, a: QueuedBackorder, b: ExplainedBackorder): string {
  if (strategy.name === 'tier-then-fifo' && a.customerTier !== b.customerTier) return `tier ${a.customerTier} customer, before tier ${b.customerTier}`;
  if (a.placedAt !== b.placedAt) return `ordered earlier, ${a.placedAt}`;
  return `ordered at the same time; the earlier backorder id goes first`;
}

async function queuePlace(ctx: AppContext, tx: Tx, b: ExplainedBackorder, strategy: AllocationStrategy): Promise<QueuePlace> {
  const queue = (await waitingQueue(ctx.store, tx, [b.skuId])).filter((d) => d.backorderId === b.id || competes(d, b)).sort(strategy.compare);
  const at = queue.findIndex((d) => d.backorderId === b.id);
  if (at < 0) return { position: null, of: queue.length, unitsAhead: 0, ahead: [] };
  const ahead = queue.slice(0, at);
  return {
    position: at + 1,
    of: queue.length,
    unitsAhead: ahead.reduce((s, d) => s + d.waiting, 0),
    ahead: ahead.slice(0, 5).map((d) => ({ backorderId: d.backorderId, orderId: d.orderId, customerTier: d.customerTier, placedAt: d.placedAt, waiting: d.waiting, why: whyAhead(strategy, d, b) })),
  };
}

/** Why `other` got units at decision `d` (a gain) while `b` did not get them. */
function finding(d: Decision, other: ExplainedBackorder, b: ExplainedBackorder, bDecisions: readonly Decision[]): Finding {
  const base = { at: d.at, units: d.quantity, warehouseId: d.warehouseId };
  const where = d.warehouseId ? ` at ${d.warehouseId}` : '';
  const got = `${other.orderId} got ${d.quantity} unit${d.quantity === 1 ? '' : 's'}${where} on ${d.at.slice(0, 10)}`;
  if (b.placedAt > d.at) return { ...base, because: 'ordered_after', words: `${got}, before ${b.orderId} was ordered (${b.placedAt}).` };
  if (d.warehouseId && !b.flexible && b.warehouseId !== d.warehouseId)
    return { ...base, because: 'other_warehouse', words: `${got}: those units were at ${d.warehouseId}, and ${b.orderId} can only be filled from ${b.warehouseId}.` };
  const sameRun = d.runId === null ? undefined : bDecisions.find((x) => x.runId === d.runId);
  const theirs = sameRun?.rank != null && d.rank != null ? ` (position ${d.rank} against ${sameRun.rank} for ${b.orderId})` : d.rank != null ? ` (position ${d.rank}${d.competing ? ` of ${d.competing}` : ''})` : '';
  const rule = d.strategy ?? 'fifo';
  const via = d.source === 'run' ? `processing run ${d.runId} under ${rule}` : `the ${rule} queue for received stock`;
  if (rule === 'tier-then-fifo' && other.customerTier < b.customerTier)
    return { ...base, because: 'higher_tier', words: `${got} by ${via}${theirs}: a tier ${other.customerTier} customer goes before tier ${b.customerTier}.` };
  if (rule === 'fair-share') return { ...base, because: 'fair_share', words: `${got} by ${via}${theirs}: short stock is shared in proportion to what each order owes.` };
  if (rule === 'categories') return { ...base, because: 'category', words: `${got} by ${via}${theirs}: ${d.reason ?? 'its segment ranks first'}.` };
  if (rule === 'earliest-promise') return { ...base, because: 'earlier_promise', words: `${got} by ${via}${theirs}: ${d.reason ?? 'the earlier promise date goes first'}.` };
  if (other.placedAt < b.placedAt) return { ...base, because: 'earlier_order', words: `${got} by ${via}${theirs}: it was ordered first (${other.placedAt}, against ${b.placedAt}).` };
  return { ...base, because: 'strategy', words: `${got} by ${via}${theirs}: ${d.reason ?? 'the strategy ranked it first'}.` };
}

const units = (n: number) => `${n} unit${n === 1 ? '' : 's'}`;

function summaryOf(b: ExplainedBackorder, strategy: AllocationStrategy, q: QueuePlace, decisions: readonly Decision[]): string {
  const parts = [`${b.orderId} (${b.quantity} x ${b.skuId}, ${b.flexible ? 'from any warehouse' : `from ${b.warehouseId}`}) ordered ${b.placedAt}: ${b.status.replace('_', ' ')}.`];
  if (q.position === null) parts.push(b.waiting === 0 ? 'Nothing of it waits for stock.' : 'It is not in the queue.');
  else
    parts.push(
      `It waits for ${units(b.waiting)}; received stock goes by ${strategy.name}, and it is ${q.position} of ${q.of} in line for the same stock` +
        (q.unitsAhead > 0 ? `, behind ${units(q.unitsAhead)} owed to orders ${q.ahead[0] ? `such as ${q.ahead[0].orderId} (${q.ahead[0].why})` : 'ahead'}.` : ', first in line.'),
    );
  for (const d of decisions) {
    const verb = d.kind === 'allocated' ? 'got' : d.kind === 'deallocated' ? 'lost' : 'moved';
    const how = d.source === 'run' ? `in processing run ${d.runId} (${d.strategy})` : `from received stock (${d.strategy ?? 'fifo'})`;
    parts.push(`On ${d.at.slice(0, 10)} it ${verb} ${units(d.quantity)} ${how}${d.reason ? `: ${d.reason}` : ''}.`);
  }
  if (b.waiting > 0 && b.promisedDate) parts.push(`What waits is promised for ${b.promisedDate}.`);
  return parts.join(' ');
}

/** Explains a backorder's allocations, and optionally why another backorder got stock before it. */
export async function explainBackorder(ctx: AppContext, id: string, compareWith?: string): Promise<Result<Explanation>> {
  return ctx.store.transaction(async (tx) => {
    const mine = await load(tx, id);
    if (!mine) return fail('not_found', `backorder '${id}' not found`, { field: 'id' });
    const strategy = await currentStrategy(tx);
    const queue = await queuePlace(ctx, tx, mine.b, strategy);
    let comparison: Comparison | null = null;
    if (compareWith !== undefined) {
      const theirs = await load(tx, compareWith);
      if (!theirs) return fail('not_found', `backorder '${compareWith}' (compare) not found`, { field: 'compare' });
      if (theirs.b.skuId !== mine.b.skuId)
        return fail('validation_failed', `backorder '${compareWith}' is for ${theirs.b.skuId}, not ${mine.b.skuId}: they never compete for the same stock`, { field: 'compare' });
      const findings = theirs.decisions.filter((d) => d.kind !== 'deallocated' && d.quantity > 0).map((d) => finding(d, theirs.b, mine.b, mine.decisions));
      const ahead = queue.ahead.find((a) => a.backorderId === theirs.b.id);
      const now = theirs.b.waiting > 0 && isEligibleAt(theirs.b, mine.b.warehouseId) && ahead ? ` Today it is still ahead in line: ${ahead.why}.` : '';
      comparison = {
        other: theirs.b,
        otherDecisions: theirs.decisions,
        findings,
        summary: findings.length === 0 ? `${theirs.b.orderId} has not been given units of ${mine.b.skuId} for its backorder.${now}` : findings.map((f) => f.words).join(' ') + now,
      };
    }
    return ok({ backorder: mine.b, strategy: { name: strategy.name, description: strategy.description }, queue, decisions: mine.decisions, comparison, summary: summaryOf(mine.b, strategy, queue, mine.decisions) });
  });
}
