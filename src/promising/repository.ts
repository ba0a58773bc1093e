/** SQL for promises: the waiting queue of SKUs with their current promises, and writing changed promises. */
import { sql } from 'kysely';
import type { Tx } from '../db/connect.js';
import type { BackorderRow } from '../backorders/repository.js';

export interface QueuedBackorder
  extends Pick<
    BackorderRow,
    | 'id' | 'order_id' | 'sku_id' | 'warehouse_id' | 'flexible' | 'quantity' | 'allocated' | 'fulfilled' | 'cancelled'
    | 'placed_at' | 'promised_date' | 'promise_confidence' | 'promise_confirmed' | 'promise_basis' | 'first_promised_date'
  > {
  customer_tier: number;
}

/** Backorders still waiting for units, of the given SKUs (or all). */
export async function waitingQueue(tx: Tx, skuIds: readonly string[] | 'all'): Promise<QueuedBackorder[]> {
  let q = tx
    .selectFrom('backorder as b')
    .innerJoin('customer as c', 'c.id', 'b.customer_id')
    .select([
      'b.id', 'b.order_id', 'b.sku_id', 'b.warehouse_id', 'b.flexible', 'b.quantity', 'b.allocated', 'b.fulfilled',
      'b.cancelled', 'b.placed_at', 'b.promised_date', 'b.promise_confidence', 'b.promise_confirmed', 'b.promise_basis',
      'b.first_promised_date', 'c.tier as customer_tier',
    ])
    .where('b.status', 'in', ['open', 'partially_allocated']);
  if (skuIds !== 'all') {
    if (skuIds.length === 0) return [];
    q = q.where('b.sku_id', 'in', [...new Set(skuIds)]);
  }
  return q.execute();
}

export interface QueueTotal {
  waiting: number;
  /** Waiting backorders that only one warehouse may fill. */
  pinned: number;
}

/** Units waiting per SKU, and how many of those backorders are pinned, leaving out the given backorders. */
export async function queueTotals(tx: Tx, skuIds: readonly string[], exceptIds: readonly string[]): Promise<Map<string, QueueTotal>> {
  if (skuIds.length === 0) return new Map();
  let q = tx
    .selectFrom('backorder')
    .select('sku_id')
    .select(sql<number>`sum(quantity - allocated - fulfilled - cancelled)`.as('waiting'))
    .select(sql<number>`sum(case when flexible = 0 then 1 else 0 end)`.as('pinned'))
    .where('sku_id', 'in', [...new Set(skuIds)])
    .where('status', 'in', ['open', 'partially_allocated']);
  if (exceptIds.length > 0) q = q.where('id', 'not in', [...exceptIds]);
  const rows = await q.groupBy('sku_id').execute();
  return new Map(rows.map((r) => [r.sku_id, { waiting: Number(r.waiting), pinned: Number(r.pinned) }]));
}

export interface PromiseWrite {
  id: string;
  promised_date: string | null;
  promise_confidence: number;
  promise_confirmed: number;
  promise_basis: string;
  first_promised_date: string | null;
}

export async function writePromise(tx: Tx, w: PromiseWrite): Promise<void> {
  await tx
    .updateTable('backorder')
    .set({
      promised_date: w.promised_date,
      promise_confidence: w.promise_confidence,
      promise_confirmed: w.promise_confirmed,
      promise_basis: w.promise_basis,
      first_promised_date: w.first_promised_date,
    })
    .where('id', '=', w.id)
    .execute();
}
