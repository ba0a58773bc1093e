/** The one way a backorder's quantities change inside a transaction: checked by the machine, recorded as an event. */
import { RetryableConflict, type Tx } from '../db/connect.js';
import { fail, ok, type Result } from '../shared/result.js';
import type { AppContext } from '../main/context.js';
import { nextStatus, waitingOf } from './domain.js';
import * as repo from './repository.js';
import { recordFacts } from '../communication/record.js';

export interface BackorderDelta {
  allocated?: number;
  fulfilled?: number;
  cancelled?: number;
}

export type BackorderEventType =
  | 'backorder.created'
  | 'backorder.allocated'
  | 'backorder.deallocated'
  | 'backorder.reallocated'
  | 'backorder.shipped'
  | 'backorder.cancelled'
  | 'backorder.promised'
  | 'backorder.promise_changed';

/** Applies a delta, refusing illegal moves (409) and recording what happened and why in the history. */
export async function changeBackorder(
  ctx: AppContext,
  tx: Tx,
  row: repo.BackorderRow,
  delta: BackorderDelta,
  event: { type: BackorderEventType; data: Record<string, unknown> },
): Promise<Result<repo.BackorderRow>> {
  const after = {
    quantity: row.quantity,
    allocated: row.allocated + (delta.allocated ?? 0),
    fulfilled: row.fulfilled + (delta.fulfilled ?? 0),
    cancelled: row.cancelled + (delta.cancelled ?? 0),
  };
  const status = waitingOf(after) >= 0 && after.allocated >= 0 ? nextStatus(row.status, after) : null;
  if (status === null) {
    return fail('illegal_transition', `backorder ${row.id} cannot go from ${row.status} by ${JSON.stringify(delta)}`, {
      details: { backorderId: row.id, status: row.status },
    });
  }
  const now = ctx.clock.now().toISOString();
  const fulfilledAt = status === 'fulfilled' && row.status !== 'fulfilled' ? now : row.fulfilled_at;
  if (!(await repo.updateQuantities(tx, row, { ...after, status, fulfilledAt }, now))) {
    throw new RetryableConflict(`backorder ${row.id} changed concurrently`);
  }
  const id = ctx.ids.next('bev');
  const data = { ...event.data, status, waiting: waitingOf(after) };
  await repo.insertEvents(tx, [{ id, backorder_id: row.id, type: event.type, data: JSON.stringify(data), created_at: now }]);
  await recordFacts(ctx, tx, [{ id, type: event.type, at: now, orderId: row.order_id, customerId: row.customer_id, backorderId: row.id, skuId: row.sku_id, data }]);
  return ok({ ...row, ...after, status, updated_at: now, fulfilled_at: fulfilledAt });
}

/** What a bulk re-allocation needs of a backorder, as read in the same transaction. */
export type ReallocatedRow = Pick<repo.BackorderRow, 'id' | 'order_id' | 'customer_id' | 'sku_id' | 'status' | 'quantity' | 'allocated' | 'fulfilled' | 'cancelled'>;

/**
 * Changes the allocated units of many backorders at once (a processing run re-allocating a SKU): the same checks
 * as changeBackorder (the machine, no lost update) and the same records (an event each, its facts for the
 * playbook), in a few statements instead of a few per backorder. The event is `backorder.allocated` when a backorder
 * gains units, `backorder.deallocated` when it loses some, `backorder.reallocated` when its units only move.
 */
export async function reallocateBackorders(
  ctx: AppContext,
  tx: Tx,
  changes: readonly { row: ReallocatedRow; delta: number; data: Record<string, unknown> }[],
): Promise<Result<void>> {
  const now = ctx.clock.now().toISOString();
  const updates: Parameters<typeof repo.updateAllocatedMany>[1][number][] = [];
  const events: repo.BackorderEventRow[] = [];
  const facts: Parameters<typeof recordFacts>[2][number][] = [];
  for (const { row, delta, data: extra } of changes) {
    const after = { quantity: row.quantity, allocated: row.allocated + delta, fulfilled: row.fulfilled, cancelled: row.cancelled };
    const status = waitingOf(after) >= 0 && after.allocated >= 0 ? nextStatus(row.status, after) : null;
    if (status === null) {
      return fail('illegal_transition', `backorder ${row.id} cannot go from ${row.status} by ${JSON.stringify({ allocated: delta })}`, {
        details: { backorderId: row.id, status: row.status },
      });
    }
    updates.push({ id: row.id, fromStatus: row.status, fromAllocated: row.allocated, allocated: after.allocated, status });
    const type: BackorderEventType = delta > 0 ? 'backorder.allocated' : delta < 0 ? 'backorder.deallocated' : 'backorder.reallocated';
    const data = { quantity: Math.abs(delta), ...extra, status, waiting: waitingOf(after) };
    const id = ctx.ids.next('bev');
    events.push({ id, backorder_id: row.id, type, data: JSON.stringify(data), created_at: now });
    facts.push({ id, type, at: now, orderId: row.order_id, customerId: row.customer_id, backorderId: row.id, skuId: row.sku_id, data });
  }
  if (!(await repo.updateAllocatedMany(tx, updates, now))) throw new RetryableConflict('a backorder changed concurrently during a re-allocation');
  const eventColumns = ['id', 'backorder_id', 'type', 'data', 'created_at'] as const;
  await ctx.store.insertRows(tx, { table: 'backorder_event', columns: eventColumns }, events.map((e) => eventColumns.map((c) => e[c])));
  await recordFacts(ctx, tx, facts);
  return ok(undefined);
}
