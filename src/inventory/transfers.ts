/**
 * Transfers between warehouses: immediate (a transfer-out / transfer-in pair at once) or in transit (out now, in on
 * arrival, counted as inbound supply for promises meanwhile), and suggestions of transfers that would serve a
 * waiting backorder sooner than its current promise.
 */
import type { Tx } from '../db/connect.js';
import { resumeAfter, toPage, type Page } from '../shared/pagination.js';
import { fail, ok, type Result } from '../shared/result.js';
import type { AppContext } from '../main/context.js';
import { runCommand, type IdempotencyKey } from '../idempotency/command.js';
import { currentStrategy } from '../allocation/settings.js';
import { addDays } from '../promising/domain.js';
import { today } from '../promising/service.js';
import { waitingQueue } from '../promising/repository.js';
import * as purchasing from '../purchasing/repository.js';
import * as repo from './repository.js';
import { addStockAndFill, finish, lockedSkuAt, newMovement, removeOrExplain, type StockChangeResult } from './service.js';

export interface TransferInput {
  skuId: string;
  fromWarehouseId: string;
  toWarehouseId: string;
  quantity: number;
  /** 0 (default): the units arrive at once; more: they are in transit and arrive when received. */
  transitDays?: number | undefined;
  reason?: string | undefined;
}

export interface TransferView {
  id: string;
  skuId: string;
  fromWarehouseId: string;
  toWarehouseId: string;
  quantity: number;
  status: 'in_transit' | 'arrived';
  shippedAt: string;
  expectedArrival: string;
  arrivedAt: string | null;
}

const view = (t: purchasing.TransferRow): TransferView => ({
  id: t.id,
  skuId: t.sku_id,
  fromWarehouseId: t.from_warehouse_id,
  toWarehouseId: t.to_warehouse_id,
  quantity: t.quantity,
  status: t.status,
  shippedAt: t.shipped_at,
  expectedArrival: t.expected_arrival,
  arrivedAt: t.arrived_at,
});

/** Moves available units between warehouses; arrivals fill waiting backorders at the destination. */
export function transferStock(
  ctx: AppContext,
  input: TransferInput,
  idem?: IdempotencyKey,
): Promise<Result<StockChangeResult & { transfer: TransferView }>> {
  return runCommand(ctx, idem, async (tx) => {
    if (input.fromWarehouseId === input.toWarehouseId) {
      return fail('validation_failed', 'a transfer needs two different warehouses', { field: 'toWarehouseId' });
    }
    const checked = await lockedSkuAt(ctx, tx, input.skuId, [
      [input.fromWarehouseId, 'fromWarehouseId'],
      [input.toWarehouseId, 'toWarehouseId'],
    ]);
    if (!checked.ok) return checked;
    const transitDays = input.transitDays ?? 0;
    const now = ctx.clock.now().toISOString();
    const row: purchasing.TransferRow = {
      id: ctx.ids.next('trf'),
      sku_id: input.skuId,
      from_warehouse_id: input.fromWarehouseId,
      to_warehouse_id: input.toWarehouseId,
      quantity: input.quantity,
      status: transitDays === 0 ? 'arrived' : 'in_transit',
      shipped_at: now,
      expected_arrival: addDays(today(ctx), transitDays),
      arrived_at: transitDays === 0 ? now : null,
    };
    const extra = { reason: input.reason ?? null, sourceType: 'transfer', sourceId: row.id };
    const out = newMovement(ctx, 'transfer_out', input.skuId, input.fromWarehouseId, -input.quantity, extra);
    const removed = await removeOrExplain(tx, input.skuId, input.fromWarehouseId, input.quantity, now);
    if (!removed.ok) return removed;
    await repo.insertMovements(tx, [out]);
    await purchasing.insertTransfer(tx, row);
    if (transitDays > 0) {
      const done = await finish(ctx, tx, [out], [], 'transfer');
      return done.ok ? ok({ ...done.value, transfer: view(row) }) : done;
    }
    const into = newMovement(ctx, 'transfer_in', input.skuId, input.toWarehouseId, input.quantity, extra);
    const filled = await addStockAndFill(ctx, tx, into, undefined);
    if (!filled.ok) return filled;
    const done = await finish(ctx, tx, [out, into], filled.value, 'transfer');
    return done.ok ? ok({ ...done.value, transfer: view(row) }) : done;
  });
}

/** A transfer in transit arrives: the units land at the destination and fill its waiting backorders. */
export function arriveTransfer(ctx: AppContext, id: string, idem?: IdempotencyKey): Promise<Result<StockChangeResult & { transfer: TransferView }>> {
  return runCommand(ctx, idem, async (tx) => {
    const found = await purchasing.findTransfer(tx, id);
    if (!found) return fail('not_found', `transfer '${id}' not found`, { field: 'id' });
    await ctx.store.lockSkus(tx, [found.sku_id]);
    const now = ctx.clock.now().toISOString();
    if (!(await purchasing.markArrived(tx, id, now))) {
      return fail('illegal_transition', `transfer ${id} has already arrived`, { details: { status: 'arrived' } });
    }
    const into = newMovement(ctx, 'transfer_in', found.sku_id, found.to_warehouse_id, found.quantity, { sourceType: 'transfer', sourceId: id });
    const filled = await addStockAndFill(ctx, tx, into, undefined);
    if (!filled.ok) return filled;
    const done = await finish(ctx, tx, [into], filled.value, 'transfer');
    return done.ok ? ok({ ...done.value, transfer: view({ ...found, status: 'arrived', arrived_at: now }) }) : done;
  });
}

export interface TransferQuery {
  skuId?: string | undefined;
  status?: 'in_transit' | 'arrived' | undefined;
  cursor?: string | undefined;
  limit: number;
}

export async function listTransfers(ctx: AppContext, q: TransferQuery): Promise<Result<Page<TransferView>>> {
  const resumed = resumeAfter(q.cursor);
  if (!resumed.ok) return resumed;
  const after = resumed.value;
  let query = ctx.store.db.selectFrom('transfer').selectAll();
  if (q.skuId) query = query.where('sku_id', '=', q.skuId);
  if (q.status) query = query.where('status', '=', q.status);
  if (after !== null) query = query.where('id', '>', after);
  const rows = await query.orderBy('id').limit(q.limit + 1).execute();
  return ok(toPage(rows, q.limit, (r) => r.id, view));
}

export interface TransferSuggestion {
  skuId: string;
  backorderId: string;
  fromWarehouseId: string;
  toWarehouseId: string;
  quantity: number;
  transitDays: number;
  /** The date the backorder could ship if the transfer leaves today. */
  promisedDateWithTransfer: string;
  currentPromisedDate: string | null;
}

/**
 * Waiting backorders (in queue order) that stock available at another warehouse could serve sooner than their
 * current promise; each unit is suggested once.
 */
export async function suggestTransfers(ctx: AppContext, q: { skuId?: string | undefined; transitDays: number }): Promise<Result<TransferSuggestion[]>> {
  const db: Tx = ctx.store.db;
  const queue = await waitingQueue(ctx.store, db, q.skuId ? [q.skuId] : 'all');
  if (queue.length === 0) return ok([]);
  const strategy = await currentStrategy(db);
  const levels = await repo.levelsForSkus(db, [...new Set(queue.map((b) => b.skuId))]);
  const spare = new Map(levels.filter((l) => l.on_hand > l.allocated).map((l) => [`${l.sku_id}|${l.warehouse_id}`, l.on_hand - l.allocated]));
  const arrival = addDays(today(ctx), q.transitDays);
  const ordered = [...queue].sort(strategy.compare);
  const out: TransferSuggestion[] = [];
  for (const d of ordered) {
    if (d.promisedDate !== null && d.promisedDate <= arrival) continue;
    let need = d.waiting;
    for (const [key, units] of spare) {
      const [skuId, from] = key.split('|') as [string, string];
      if (need === 0 || skuId !== d.skuId || from === d.warehouseId || units === 0) continue;
      const quantity = Math.min(need, units);
      spare.set(key, units - quantity);
      need -= quantity;
      out.push({ skuId, backorderId: d.backorderId, fromWarehouseId: from, toWarehouseId: d.warehouseId, quantity, transitDays: q.transitDays, promisedDateWithTransfer: arrival, currentPromisedDate: d.promisedDate });
    }
  }
  return ok(out);
}
