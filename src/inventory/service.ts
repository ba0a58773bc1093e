/**
 * Stock use cases: receipts, adjustments, transfers (each one transaction, each a ledger row plus its level change),
 * and reads. Units that become available flow at once to waiting backorders.
 */
import type { Tx } from '../db/connect.js';
import { resumeAfter, toPage, type Page } from '../shared/pagination.js';
import { fail, ok, type Result } from '../shared/result.js';
import type { AppContext } from '../main/context.js';
import { matchRefs, requireRef } from '../catalog/references.js';
import { fillWaiting, type AllocationMade } from '../allocation/service.js';
import type { StrategyName } from '../allocation/strategies.js';
import type { MovementKind } from '../db/schema.js';
import { runCommand, type IdempotencyKey } from '../idempotency/command.js';
import { repromise, type PromiseCause } from '../promising/service.js';
import * as repo from './repository.js';
import { levelFromRow, movementFromRow, type Movement, type StockLevel } from './domain.js';

export interface ReceiptInput {
  skuId: string;
  warehouseId: string;
  quantity: number;
  reference?: string | undefined;
  strategy?: StrategyName | undefined;
}

export interface StockChangeResult {
  movements: Movement[];
  levels: StockLevel[];
  /** Backorders that received units because of this change, in allocation order. */
  allocations: AllocationMade[];
}

/** Checks the SKU and warehouse exist (422 naming the field) and locks the SKU for the rest of the transaction. */
export async function lockedSkuAt(ctx: AppContext, tx: Tx, skuId: string, warehouseIds: [string, string][]): Promise<Result<null>> {
  // The lock reads the SKU row too: no separate existence check.
  const sku = matchRefs('sku', await ctx.store.lockSkus(tx, [skuId]), [{ id: skuId, field: 'skuId' }]);
  if (!sku.ok) return sku;
  for (const [id, field] of warehouseIds) {
    const wh = await requireRef(tx, 'warehouse', id, field);
    if (!wh.ok) return wh;
  }
  return ok(null);
}

/** A new ledger row (not yet written). */
export function newMovement(ctx: AppContext, kind: MovementKind, skuId: string, warehouseId: string, quantity: number, extra: { reason?: string | null; sourceType?: string; sourceId?: string | null }): repo.MovementRow {
  return {
    id: ctx.ids.next('mov'),
    sku_id: skuId,
    warehouse_id: warehouseId,
    kind,
    quantity,
    reason: extra.reason ?? null,
    source_type: extra.sourceType ?? null,
    source_id: extra.sourceId ?? null,
    created_at: ctx.clock.now().toISOString(),
  };
}

/** Adds units to on-hand at one warehouse, records the movement, and fills waiting backorders there. */
export async function addStockAndFill(
  ctx: AppContext,
  tx: Tx,
  row: repo.MovementRow,
  strategy: StrategyName | undefined,
): Promise<Result<AllocationMade[]>> {
  await repo.insertMovements(tx, [row]);
  await repo.addOnHand(tx, row.sku_id, row.warehouse_id, row.quantity, row.created_at);
  return fillWaiting(ctx, tx, row.sku_id, row.warehouse_id, strategy);
}

/** Re-promises the SKU's waiting backorders (supply changed), then reads back the levels the movements touched. */
export async function finish(
  ctx: AppContext,
  tx: Tx,
  rows: repo.MovementRow[],
  allocations: AllocationMade[],
  cause: PromiseCause,
): Promise<Result<StockChangeResult>> {
  await repromise(ctx, tx, [...new Set(rows.map((r) => r.sku_id))], cause);
  const levels: StockLevel[] = [];
  for (const key of new Set(rows.map((r) => `${r.sku_id}\u0000${r.warehouse_id}`))) {
    const [sku, wh] = key.split('\u0000') as [string, string];
    const level = await repo.findLevel(tx, sku, wh);
    if (level) levels.push(levelFromRow(level));
  }
  return ok({ movements: rows.map(movementFromRow), levels, allocations });
}

/** A delivery: on-hand rises, then waiting backorders of the SKU are allocated in strategy order. */
export function receiveStock(ctx: AppContext, input: ReceiptInput, idem?: IdempotencyKey): Promise<Result<StockChangeResult>> {
  return runCommand(ctx, idem, async (tx) => {
    const checked = await lockedSkuAt(ctx, tx, input.skuId, [[input.warehouseId, 'warehouseId']]);
    if (!checked.ok) return checked;
    const row = newMovement(ctx, 'receipt', input.skuId, input.warehouseId, input.quantity, {
      sourceType: 'receipt',
      sourceId: input.reference ?? null,
    });
    const filled = await addStockAndFill(ctx, tx, row, input.strategy);
    if (!filled.ok) return filled;
    return finish(ctx, tx, [row], filled.value, 'receipt');
  });
}

export interface AdjustmentInput {
  skuId: string;
  warehouseId: string;
  /** Signed change of on-hand; never zero. */
  quantity: number;
  reason: string;
}

/**
 * A counted correction. Upward units flow to waiting backorders; downward ones may only take units nobody is
 * promised (an allocated unit that is lost must first be cancelled or re-backordered by a person).
 */
export function adjustStock(ctx: AppContext, input: AdjustmentInput, idem?: IdempotencyKey): Promise<Result<StockChangeResult>> {
  return runCommand(ctx, idem, async (tx) => {
    const checked = await lockedSkuAt(ctx, tx, input.skuId, [[input.warehouseId, 'warehouseId']]);
    if (!checked.ok) return checked;
    const row = newMovement(ctx, 'adjustment', input.skuId, input.warehouseId, input.quantity, {
      reason: input.reason,
      sourceType: 'adjustment',
    });
    if (input.quantity > 0) {
      const filled = await addStockAndFill(ctx, tx, row, undefined);
      if (!filled.ok) return filled;
      return finish(ctx, tx, [row], filled.value, 'adjustment');
    }
    const removed = await removeOrExplain(tx, input.skuId, input.warehouseId, -input.quantity, row.created_at);
    if (!removed.ok) return removed;
    await repo.insertMovements(tx, [row]);
    return finish(ctx, tx, [row], [], 'adjustment');
  });
}

export async function removeOrExplain(tx: Tx, skuId: string, warehouseId: string, quantity: number, now: string): Promise<Result<null>> {
  if (await repo.removeAvailable(tx, skuId, warehouseId, quantity, now)) return ok(null);
  const level = await repo.findLevel(tx, skuId, warehouseId);
  const available = level ? level.on_hand - level.allocated : 0;
  return fail('insufficient_stock', `only ${available} unit(s) of ${skuId} are available at ${warehouseId}, ${quantity} requested`, {
    field: 'quantity',
    details: { available, requested: quantity, onHand: level?.on_hand ?? 0, allocated: level?.allocated ?? 0 },
  });
}

export interface StockQuery {
  skuId?: string | undefined;
  warehouseId?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}


export async function listLevels(ctx: AppContext, q: StockQuery): Promise<Result<Page<StockLevel>>> {
  const resumed = resumeAfter(q.cursor);
  if (!resumed.ok) return resumed;
  const after = resumed.value;
  const rows = await repo.listLevels(ctx.store.db, q, after, q.limit);
  return ok(toPage(rows, q.limit, (r) => `${r.sku_id}|${r.warehouse_id}`, levelFromRow));
}

export interface SkuTotal {
  skuId: string;
  onHand: number;
  allocated: number;
  available: number;
}

export async function listTotals(ctx: AppContext, q: StockQuery): Promise<Result<Page<SkuTotal>>> {
  const resumed = resumeAfter(q.cursor);
  if (!resumed.ok) return resumed;
  const after = resumed.value;
  const rows = await repo.totalsBySku(ctx.store.db, q.skuId, after, q.limit);
  return ok(
    toPage(rows, q.limit, (r) => r.sku_id, (r) => ({
      skuId: r.sku_id,
      onHand: r.on_hand,
      allocated: r.allocated,
      available: r.on_hand - r.allocated,
    })),
  );
}

export async function listMovements(ctx: AppContext, q: StockQuery): Promise<Result<Page<Movement>>> {
  const resumed = resumeAfter(q.cursor);
  if (!resumed.ok) return resumed;
  const after = resumed.value;
  const rows = await repo.listMovements(ctx.store.db, q, after, q.limit);
  return ok(toPage(rows, q.limit, (r) => r.id, movementFromRow));
}
