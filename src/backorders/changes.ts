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
