/**
 * Shipping and cancelling. Both lock the order's SKUs, move units between the line's counters, the allocations, the
 * stock level and the backorder in one transaction, and cancelled units flow straight to the next waiting order.
 */
import { RetryableConflict, type Tx } from '../db/connect.js';
import { fail, ok, type Result } from '../shared/result.js';
import type { AppContext } from '../main/context.js';
import { requireRef } from '../catalog/references.js';
import { changeBackorder } from '../backorders/changes.js';
import { waitingOf } from '../backorders/domain.js';
import * as backorders from '../backorders/repository.js';
import * as stock from '../inventory/repository.js';
import { fillWaiting, type AllocationMade } from '../allocation/service.js';
import { runCommand, type IdempotencyKey } from '../idempotency/command.js';
import { repromise } from '../promising/service.js';
import * as repo from './repository.js';
import { lineWaiting, orderStatusOf, orderView, type OrderView } from './views.js';
import { loadOrderView } from './service.js';
import { recordFacts } from '../communication/record.js';
import type { PartialFact } from '../communication/facts.js';

export interface ShipInput {
  warehouseId: string;
  /** Lines and quantities to ship; all that is allocated at the warehouse when left out. */
  lines?: { lineId: string; quantity: number }[] | undefined;
}

export interface Shipment {
  id: string;
  orderId: string;
  warehouseId: string;
  lines: { lineId: string; skuId: string; quantity: number }[];
  createdAt: string;
}

const notFound = (orderId: string) => fail<never>('not_found', `order '${orderId}' not found`, { field: 'orderId' });

export interface LockedOrder {
  order: repo.OrderRow;
  lines: repo.LineRow[];
  allocations: repo.AllocationRow[];
}

/**
 * Locks the order's SKUs (and `alsoSkus`, e.g. a substitute's, in the same id-ordered call so two commands can
 * never deadlock), then reads the order, its lines and allocations as they are under the lock.
 */
export async function lockOrder(ctx: AppContext, tx: Tx, orderId: string, alsoSkus: readonly string[] = []): Promise<LockedOrder | null> {
  let order = await repo.findOrder(tx, orderId);
  if (!order) return null;
  let lines = await repo.linesOf(tx, orderId);
  // Where the write transaction already excludes every other writer (SQLite), what was just read is what the lock
  // would show: no lock to take, nothing to read again.
  if (!ctx.store.writersSerialised) {
    await ctx.store.lockSkus(tx, [...new Set([...lines.map((l) => l.sku_id), ...alsoSkus])]);
    order = (await repo.findOrder(tx, orderId))!;
    lines = await repo.linesOf(tx, orderId);
  }
  return { order, lines, allocations: await repo.allocationsOf(tx, orderId) };
}

/** Ships allocated units from one warehouse: on-hand and allocated fall, lines and backorders advance. */
export function shipOrder(
  ctx: AppContext,
  orderId: string,
  input: ShipInput,
  idem?: IdempotencyKey,
): Promise<Result<{ shipment: Shipment; order: OrderView }>> {
  return runCommand(ctx, idem, (tx) => shipOrderIn(ctx, tx, orderId, input));
}

/**
 * shipOrder inside the caller's transaction. A refusal returns before anything is written, so a caller shipping
 * many orders in one transaction goes on past one (the replay's evening dispatch: one transaction a day).
 */
export async function shipOrderIn(ctx: AppContext, tx: Tx, orderId: string, input: ShipInput): Promise<Result<{ shipment: Shipment; order: OrderView }>> {
  const wh = await requireRef(tx, 'warehouse', input.warehouseId, 'warehouseId');
  if (!wh.ok) return wh;
  const locked = await lockOrder(ctx, tx, orderId);
  if (!locked) return notFound(orderId);
  const { order, lines, allocations } = locked;
  const atWarehouse = allocations.filter((a) => a.warehouse_id === input.warehouseId && a.quantity > 0);
  const openAt = (lineId: string) => atWarehouse.filter((a) => a.order_line_id === lineId).reduce((s, a) => s + a.quantity, 0);
  const requested = input.lines ?? lines.filter((l) => openAt(l.id) > 0).map((l) => ({ lineId: l.id, quantity: openAt(l.id) }));
  for (const [i, r] of requested.entries()) {
    if (requested.findIndex((o) => o.lineId === r.lineId) < i) {
      return fail('validation_failed', `line '${r.lineId}' is listed more than once; give its whole quantity once`, { field: `lines/${i}/lineId` });
    }
    if (!lines.some((l) => l.id === r.lineId)) {
      return fail('unknown_reference', `line '${r.lineId}' is not a line of order ${orderId}`, { field: `lines/${i}/lineId` });
    }
    if (r.quantity > openAt(r.lineId)) {
      return fail('insufficient_stock', `line ${r.lineId} has ${openAt(r.lineId)} unit(s) allocated at ${input.warehouseId}, ${r.quantity} requested`, {
        field: `lines/${i}/quantity`,
        details: { allocated: openAt(r.lineId), requested: r.quantity },
      });
    }
  }
  if (requested.length === 0) {
    return fail('illegal_transition', `order ${orderId} has nothing allocated at ${input.warehouseId} to ship`, { field: 'warehouseId' });
  }
  const complete = await mustShipComplete(tx, order);
  if (complete) {
    const waiting = lines.reduce((s, l) => s + lineWaiting(l), 0);
    const partial = requested.some((r) => r.quantity < openAt(r.lineId)) || requested.length < lines.filter((l) => openAt(l.id) > 0).length;
    if (waiting > 0 || partial) {
      return fail('illegal_transition', `order ${orderId} ships complete (${complete}): ${waiting > 0 ? `${waiting} unit(s) still wait on backorder` : 'every allocated unit must ship together'}`, {
        details: { waiting },
      });
    }
  }
  const now = ctx.clock.now().toISOString();
  const shipmentId = ctx.ids.next('shp');
  const shipped: Shipment['lines'] = requested.map((r) => ({ lineId: r.lineId, skuId: lines.find((l) => l.id === r.lineId)!.sku_id, quantity: r.quantity }));
  const draws = drawsOf(requested, atWarehouse);
  const taken = new Map(draws.map((d) => [d.allocation.id, d.take]));
  await shipDraws(ctx, tx, orderId, draws, shipmentId, now);
  await repo.adjustLines(tx, requested.map((r) => ({ id: r.lineId, allocated: -r.quantity, shipped: r.quantity })), now);
  // One statement for the shipment's ledger entries instead of one per line.
  await stock.insertMovements(tx, shipped.map((l) => shipmentMovement(ctx, l, input.warehouseId, shipmentId, now)));
  const shipment: Shipment = { id: shipmentId, orderId, warehouseId: input.warehouseId, lines: shipped, createdAt: now };
  await repo.insertShipment(tx, { id: shipmentId, order_id: orderId, warehouse_id: input.warehouseId, lines: JSON.stringify(shipped), created_at: now });
  // The order as it now is, from what was read under the lock and what this shipment changed: read again, it
  // would cost a third of a shipment's time (the replay ships 58,000 times).
  const shippedOf = new Map(shipped.map((l) => [l.lineId, l.quantity]));
  const current = {
    lines: lines.map((l) => {
      const q = shippedOf.get(l.id);
      return q === undefined ? l : { ...l, allocated: l.allocated - q, shipped: l.shipped + q, last_shipped_at: now };
    }),
    allocations: allocations.map((a) => {
      const take = taken.get(a.id);
      return take === undefined ? a : { ...a, quantity: a.quantity - take, shipped: a.shipped + take };
    }),
  };
  return ok({ shipment, order: await refreshOrder(ctx, tx, order, now, shipment, current) });
}

/**
 * Why an order may only ship whole, or null: the order asked for it, or its customer refuses partial shipments,
 * unless the customer has since consented (on the status page or through the API) to ship what is ready.
 */
export async function mustShipComplete(tx: Tx, order: repo.OrderRow): Promise<string | null> {
  if (order.partial_consent === 1) return null;
  if (order.ship_complete === 1) return 'the order asks to ship complete';
  const customer = await tx.selectFrom('customer').select('accepts_partial').where('id', '=', order.customer_id).executeTakeFirst();
  return customer?.accepts_partial === 0 ? 'the customer does not accept partial shipments' : null;
}

/** The units each line takes from its allocations at the warehouse, oldest allocation first. */
function drawsOf(
  requested: readonly { lineId: string; quantity: number }[],
  atWarehouse: readonly repo.AllocationRow[],
): { allocation: repo.AllocationRow; take: number }[] {
  const draws: { allocation: repo.AllocationRow; take: number }[] = [];
  for (const r of requested) {
    let left = r.quantity;
    for (const a of atWarehouse) {
      if (a.order_line_id !== r.lineId || left === 0) continue;
      const take = Math.min(left, a.quantity);
      if (take > 0) draws.push({ allocation: a, take });
      left -= take;
    }
  }
  return draws;
}

/**
 * Ships the drawn units: the allocations and the stock levels each in one statement (a shipment of 20 lines made 40
 * before), then each backorder the units were allocated to records its shipment.
 */
async function shipDraws(
  ctx: AppContext,
  tx: Tx,
  orderId: string,
  draws: readonly { allocation: repo.AllocationRow; take: number }[],
  shipmentId: string,
  now: string,
): Promise<void> {
  const drawn = await repo.drawAllocations(tx, draws.map((d) => ({ id: d.allocation.id, quantity: d.take })), 'shipped');
  if (!drawn || !(await stock.shipAllocatedMany(tx, draws.map((d) => ({ skuId: d.allocation.sku_id, warehouseId: d.allocation.warehouse_id, quantity: d.take })), now))) {
    throw new RetryableConflict(`the allocations of order ${orderId} changed while shipping`);
  }
  for (const { allocation: a, take } of draws) {
    if (a.backorder_id === null) continue;
    const bo = await backorders.findBackorder(tx, a.backorder_id);
    const changed = bo && (await changeBackorder(ctx, tx, bo, { allocated: -take, fulfilled: take }, {
      type: 'backorder.shipped',
      data: { quantity: take, warehouseId: a.warehouse_id, shipmentId },
    }));
    if (!changed || !changed.ok) throw new Error(`backorder ${a.backorder_id} could not record its shipment`);
  }
}

function shipmentMovement(ctx: AppContext, line: Shipment['lines'][number], warehouseId: string, shipmentId: string, now: string): stock.MovementRow {
  return {
    id: ctx.ids.next('mov'),
    sku_id: line.skuId,
    warehouse_id: warehouseId,
    kind: 'shipment',
    quantity: -line.quantity,
    reason: null,
    source_type: 'shipment',
    source_id: shipmentId,
    created_at: now,
  };
}

/**
 * Settles the order's status after a change and tells the playbook about a shipment or the order's completion.
 * `current`: the order's lines and allocations as they now are, when the caller knows them (else they are read).
 */
async function refreshOrder(
  ctx: AppContext,
  tx: Tx,
  before: repo.OrderRow,
  now: string,
  shipment?: Shipment,
  current?: { lines: repo.LineRow[]; allocations: repo.AllocationRow[] },
): Promise<OrderView> {
  const lines = current?.lines ?? (await repo.linesOf(tx, before.id));
  const status = orderStatusOf(lines);
  await repo.setOrderStatus(tx, before.id, status, now);
  const fact = (type: PartialFact['type'], data: Record<string, unknown>): PartialFact => ({
    id: ctx.ids.next('evt'), type, at: now, orderId: before.id, customerId: before.customer_id, backorderId: null, skuId: null, data,
  });
  const facts: PartialFact[] = [];
  if (shipment) {
    const data = { shipmentId: shipment.id, warehouseId: shipment.warehouseId, lines: shipment.lines.map((l) => ({ lineId: l.lineId, skuId: l.skuId, quantity: l.quantity })) };
    facts.push(fact(status === 'closed' ? 'order.shipped' : 'order.partially_shipped', data));
  }
  if (status === 'closed' && before.status !== 'closed') {
    facts.push(fact('order.closed', { backordered: lines.some((l) => l.backordered > 0), shipped: lines.reduce((s, l) => s + l.shipped, 0) }));
  }
  await recordFacts(ctx, tx, facts);
  if (!current) return (await loadOrderView(tx, before.id))!;
  return orderView({ ...before, status, updated_at: now }, lines, current.allocations, await backorders.backordersOfLines(tx, lines.map((l) => l.id)));
}

export interface CancelInput {
  /** Units to cancel; everything not yet shipped when left out. */
  quantity?: number | undefined;
  reason?: string | undefined;
}

export interface CancelResult {
  order: OrderView;
  cancelled: number;
  /** Units that were allocated to this line and went back to stock, per warehouse. */
  released: { warehouseId: string; quantity: number }[];
  /** Where the released units went next. */
  reallocated: AllocationMade[];
}

/** Cancels the unshipped part of a line (waiting units first, then allocated ones, newest allocation first). */
export function cancelLine(ctx: AppContext, orderId: string, lineId: string, input: CancelInput, idem?: IdempotencyKey): Promise<Result<CancelResult>> {
  return runCommand(ctx, idem, async (tx) => {
    const locked = await lockOrder(ctx, tx, orderId);
    if (!locked) return notFound(orderId);
    return cancelLineIn(ctx, tx, locked, lineId, input);
  });
}

/** cancelLine inside the caller's transaction, on an order it has locked (self-service choices use it). */
export async function cancelLineIn(ctx: AppContext, tx: Tx, locked: LockedOrder, lineId: string, input: CancelInput): Promise<Result<CancelResult>> {
  const line = locked.lines.find((l) => l.id === lineId);
  if (!line) return fail('not_found', `order ${locked.order.id} has no line '${lineId}'`, { field: 'lineId' });
  const [bo] = await backorders.backordersOfLines(tx, [line.id]);
  return cancelUnits(ctx, tx, { order: locked.order, line, backorder: bo ?? null, allocations: locked.allocations, onlyBackorder: false }, input);
}

/** Cancels a backorder's waiting units and the units already allocated to it. */
export function cancelBackorder(ctx: AppContext, backorderId: string, input: CancelInput, idem?: IdempotencyKey): Promise<Result<CancelResult>> {
  return runCommand(ctx, idem, async (tx) => {
    const found = await backorders.findBackorder(tx, backorderId);
    if (!found) return fail('not_found', `backorder '${backorderId}' not found`, { field: 'id' });
    const locked = (await lockOrder(ctx, tx, found.order_id))!;
    const line = locked.lines.find((l) => l.id === found.order_line_id)!;
    const bo = (await backorders.findBackorder(tx, backorderId))!;
    return cancelUnits(ctx, tx, { order: locked.order, line, backorder: bo, allocations: locked.allocations, onlyBackorder: true }, input);
  });
}

interface CancelTarget {
  order: repo.OrderRow;
  line: repo.LineRow;
  backorder: backorders.BackorderRow | null;
  allocations: repo.AllocationRow[];
  /** Limit the cancellation to the backorder's own units (not what intake allocated to the line). */
  onlyBackorder: boolean;
}

async function cancelUnits(ctx: AppContext, tx: Tx, t: CancelTarget, input: CancelInput): Promise<Result<CancelResult>> {
  const bo = t.backorder;
  const waiting = bo ? waitingOf(bo) : 0;
  const releasable = t.allocations
    .filter((a) => a.order_line_id === t.line.id && a.quantity > 0 && (!t.onlyBackorder || a.backorder_id === bo?.id))
    .sort((a, b) => (a.id < b.id ? 1 : -1));
  const cancellable = waiting + releasable.reduce((s, a) => s + a.quantity, 0);
  const what = t.onlyBackorder ? `backorder ${bo?.id}` : `line ${t.line.id}`;
  if (cancellable === 0) {
    return fail('illegal_transition', `${what} has nothing left to cancel (shipped ${t.line.shipped}, cancelled ${t.line.cancelled})`, {
      details: { status: bo?.status ?? null },
    });
  }
  const quantity = input.quantity ?? cancellable;
  if (quantity > cancellable) {
    return fail('illegal_transition', `${what} has only ${cancellable} unit(s) left to cancel, ${quantity} requested`, {
      field: 'quantity',
      details: { cancellable, requested: quantity },
    });
  }
  const now = ctx.clock.now().toISOString();
  const fromWaiting = Math.min(quantity, waiting);
  let left = quantity - fromWaiting;
  const released = new Map<string, number>();
  let releasedFromBackorder = 0;
  for (const a of releasable) {
    if (left === 0) break;
    const take = Math.min(left, a.quantity);
    left -= take;
    if (!(await repo.drawAllocations(tx, [{ id: a.id, quantity: take }], 'released')) || !(await stock.release(tx, a.sku_id, a.warehouse_id, take, now))) {
      throw new RetryableConflict(`allocation ${a.id} changed while cancelling`);
    }
    released.set(a.warehouse_id, (released.get(a.warehouse_id) ?? 0) + take);
    if (a.backorder_id !== null) releasedFromBackorder += take;
  }
  const releasedTotal = quantity - fromWaiting;
  await repo.adjustLine(tx, t.line.id, { allocated: -releasedTotal, cancelled: quantity });
  if (bo && fromWaiting + releasedFromBackorder > 0) {
    const changed = await changeBackorder(ctx, tx, bo, { allocated: -releasedFromBackorder, cancelled: fromWaiting + releasedFromBackorder }, {
      type: 'backorder.cancelled',
      data: { quantity: fromWaiting + releasedFromBackorder, released: releasedFromBackorder, reason: input.reason ?? null },
    });
    if (!changed.ok) return changed;
  }
  const reallocated: AllocationMade[] = [];
  for (const warehouseId of released.keys()) {
    const filled = await fillWaiting(ctx, tx, t.line.sku_id, warehouseId);
    if (!filled.ok) return filled;
    reallocated.push(...filled.value);
  }
  await repromise(ctx, tx, [t.line.sku_id], 'order_cancelled');
  return ok({
    order: await refreshOrder(ctx, tx, t.order, now),
    cancelled: quantity,
    released: [...released].map(([warehouseId, q]) => ({ warehouseId, quantity: q })),
    reallocated,
  });
}
