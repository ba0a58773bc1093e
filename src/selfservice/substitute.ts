/**
 * Accepting a substitute: the waiting units of a line are replaced by an alternate SKU that one warehouse holds
 * free. One transaction (the caller's, with both SKUs locked): reserve the alternate with the inventory's
 * conditional reserve, add a line with its allocation, then cancel the original line's waiting units through the
 * fulfilment code (so the backorder, its history, promises and messages follow the usual path).
 */
import { RetryableConflict, type Tx } from '../db/connect.js';
import type { AppContext } from '../main/context.js';
import * as stock from '../inventory/repository.js';
import { cancelLineIn, type CancelResult, type LockedOrder } from '../orders/fulfilment.js';
import type { AllocationRow, LineRow } from '../orders/repository.js';
import { lineWaiting } from '../orders/views.js';
import { fail, ok, type Result } from '../shared/result.js';
import { regionOf, substituteOptions } from './alternates.js';

export interface Substitution {
  alternateSkuId: string;
  warehouseId: string;
  quantity: number;
  newLineId: string;
  cancelled: CancelResult;
}

/**
 * Replaces `line`'s waiting units by the first of `candidates` (the SKU's alternates, locked by the caller, best
 * first) that is in stock, or by `named` when the customer picked one.
 */
export async function substituteLine(
  ctx: AppContext,
  tx: Tx,
  locked: LockedOrder,
  line: LineRow,
  candidates: readonly string[],
  named: string | undefined,
): Promise<Result<Substitution>> {
  const quantity = lineWaiting(line);
  if (named !== undefined && !candidates.includes(named)) {
    return fail('unknown_reference', `SKU '${named}' is not a configured alternate of ${line.sku_id}`, { field: 'alternateSkuId', details: { alternates: [...candidates] } });
  }
  if (candidates.length === 0) {
    return fail('illegal_transition', `no alternates are configured for SKU ${line.sku_id}, so it cannot be substituted`, { field: 'lineId' });
  }
  const tried = named !== undefined ? [named] : [...candidates];
  const [pick] = await substituteOptions(tx, tried, quantity, await regionOf(tx, locked.order.customer_id));
  if (!pick) {
    return fail('insufficient_stock', `no alternate of ${line.sku_id} has ${quantity} unit(s) free at one warehouse (tried ${tried.join(', ')})`, {
      field: named !== undefined ? 'alternateSkuId' : 'lineId',
      details: { needed: quantity, tried },
    });
  }
  const now = ctx.clock.now().toISOString();
  // The SKU is locked and its free stock was read under the lock: a miss means a writer skipped the lock; retry.
  if (!(await stock.reserve(tx, pick.skuId, pick.warehouseId, quantity, now))) {
    throw new RetryableConflict(`stock of ${pick.skuId} at ${pick.warehouseId} changed during a substitution`);
  }
  const added = newLine(ctx, locked, pick.skuId, quantity, pick.warehouseId, now);
  const allocation: AllocationRow = {
    id: ctx.ids.next('alc'),
    order_id: locked.order.id,
    order_line_id: added.id,
    backorder_id: null,
    sku_id: pick.skuId,
    warehouse_id: pick.warehouseId,
    quantity,
    shipped: 0,
    released: 0,
    created_at: now,
  };
  // The new line goes in first, so the order stays open when the original line's waiting units are cancelled.
  await ctx.store.insertAll(tx, [
    { table: 'order_line', rows: [added] },
    { table: 'allocation', rows: [allocation] },
  ]);
  const cancelled = await cancelLineIn(ctx, tx, locked, line.id, { quantity, reason: `substituted by ${pick.skuId}` });
  if (!cancelled.ok) return cancelled;
  return ok({ alternateSkuId: pick.skuId, warehouseId: pick.warehouseId, quantity, newLineId: added.id, cancelled: cancelled.value });
}

function newLine(ctx: AppContext, locked: LockedOrder, skuId: string, quantity: number, warehouseId: string, now: string): LineRow {
  return {
    id: ctx.ids.next('line'),
    order_id: locked.order.id,
    line_no: Math.max(0, ...locked.lines.map((l) => l.line_no)) + 1,
    sku_id: skuId,
    quantity,
    allocated: quantity,
    shipped: 0,
    backordered: 0,
    rejected: 0,
    reject_reason: null,
    cancelled: 0,
    placed_at: now,
    warehouse_id: warehouseId,
    last_shipped_at: null,
  };
}
