/**
 * Allocation of newly available stock (a receipt, an upward adjustment, a transfer in, a released allocation) to
 * waiting backorders, in the order the strategy decides. Runs inside the caller's transaction, after the caller has
 * locked the SKU, so the units it sees available stay available until it commits.
 */
import { RetryableConflict, type Tx } from '../db/connect.js';
import { ok, type Result } from '../shared/result.js';
import type { AppContext } from '../main/context.js';
import { changeBackorder } from '../backorders/changes.js';
import { waitingOf } from '../backorders/domain.js';
import * as backorders from '../backorders/repository.js';
import * as stock from '../inventory/repository.js';
import * as orders from '../orders/repository.js';
import { allocateSupply, type AllocationDecision } from './domain.js';
import { currentStrategy } from './settings.js';
import { strategies, type StrategyName } from './strategies.js';

export interface AllocationMade extends AllocationDecision {
  skuId: string;
  warehouseId: string;
  strategy: StrategyName;
}

/** Gives the units available at one SKU x warehouse to waiting backorders; returns what each one got and why. */
export async function fillWaiting(
  ctx: AppContext,
  tx: Tx,
  skuId: string,
  warehouseId: string,
  strategyName?: StrategyName,
): Promise<Result<AllocationMade[]>> {
  const level = await stock.findLevel(tx, skuId, warehouseId);
  const available = level ? level.on_hand - level.allocated : 0;
  if (available <= 0) return ok([]);
  const rows = await backorders.waitingFor(tx, skuId, warehouseId);
  if (rows.length === 0) return ok([]);
  const strategy = strategyName ? strategies[strategyName] : await currentStrategy(tx);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const waiting = rows.map((r) => ({
    backorderId: r.id,
    orderId: r.order_id,
    placedAt: r.placed_at,
    customerTier: r.customer_tier,
    waiting: waitingOf(r),
    warehouseId: r.warehouse_id,
    flexible: r.flexible === 1,
  }));
  const decisions = allocateSupply(available, warehouseId, waiting, strategy);
  const now = ctx.clock.now().toISOString();
  const made: AllocationMade[] = [];
  for (const d of decisions) {
    const row = byId.get(d.backorderId)!;
    if (!(await stock.reserve(tx, skuId, warehouseId, d.quantity, now))) {
      throw new RetryableConflict(`stock of ${skuId} at ${warehouseId} changed while allocating`);
    }
    await orders.insertAllocations(tx, [
      {
        id: ctx.ids.next('alc'),
        order_id: row.order_id,
        order_line_id: row.order_line_id,
        backorder_id: row.id,
        sku_id: skuId,
        warehouse_id: warehouseId,
        quantity: d.quantity,
        shipped: 0,
        released: 0,
        created_at: now,
      },
    ]);
    await orders.adjustLine(tx, row.order_line_id, { allocated: d.quantity });
    const changed = await changeBackorder(ctx, tx, row, { allocated: d.quantity }, {
      type: 'backorder.allocated',
      data: { quantity: d.quantity, warehouseId, strategy: strategy.name, rank: d.rank, competing: d.competing, reason: d.reason },
    });
    if (!changed.ok) return changed;
    made.push({ ...d, skuId, warehouseId, strategy: strategy.name });
  }
  return ok(made);
}
