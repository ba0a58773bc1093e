/**
 * Order intake and order reads. Intake runs in ONE transaction: check references, lock the SKUs, plan every line
 * (pure, see intake.ts), then reserve with conditional updates and write the order, its allocations and backorders.
 */
import { recordFacts } from '../communication/record.js';
import type { Fact } from '../communication/facts.js';
import { RetryableConflict, type Tx } from '../db/connect.js';
import { resumeAfter, toPage, type Page } from '../shared/pagination.js';
import { fail, ok, type Result } from '../shared/result.js';
import type { AppContext } from '../main/context.js';
import * as backorders from '../backorders/repository.js';
import * as stock from '../inventory/repository.js';
import { runCommand, type IdempotencyKey } from '../idempotency/command.js';
import type { LinePlan, RejectReason } from './intake.js';
import { planOrder } from './planning.js';
import { promisesForCreation, reprojectAfterCreation, type PromisingInputs } from '../promising/service.js';
import { promiseView, storedPromise, type PromiseView } from '../promising/stored.js';
import * as repo from './repository.js';
import { orderStatusOf, orderView, type OrderView } from './views.js';

export interface PlaceOrderInput {
  customerId: string;
  lines: { skuId: string; quantity: number }[];
  shipComplete?: boolean | undefined;
  reference?: string | undefined;
}

export interface IntakeLineResult {
  lineId: string;
  lineNo: number;
  skuId: string;
  quantity: number;
  allocated: { warehouseId: string; quantity: number }[];
  backordered: ({ backorderId: string; quantity: number; warehouseId: string; flexible: boolean } & PromiseView) | null;
  rejected: { quantity: number; reason: RejectReason } | null;
}

export interface PlacedOrder {
  order: OrderView;
  intake: IntakeLineResult[];
}

/** Places an order: each line is allocated now, backordered, or refused as a stockout, per the SKU's policy. */
export function placeOrder(ctx: AppContext, input: PlaceOrderInput, idem?: IdempotencyKey): Promise<Result<PlacedOrder>> {
  return runCommand(ctx, idem, (tx) => placeOrderIn(ctx, tx, input));
}

async function placeOrderIn(ctx: AppContext, tx: Tx, input: PlaceOrderInput): Promise<Result<PlacedOrder>> {
  const planned = await planOrder(ctx, tx, input, { lock: true });
  if (!planned.ok) return planned;
  const { customer, plans, promising } = planned.value;
  if (!promising) throw new Error('planOrder with lock: true reads what promising needs');
  return ok(await writeOrder(ctx, tx, input, customer.id, plans, promising));
}

async function writeOrder(
  ctx: AppContext,
  tx: Tx,
  input: PlaceOrderInput,
  customerId: string,
  plans: LinePlan[],
  promising: PromisingInputs,
): Promise<PlacedOrder> {
  const now = ctx.clock.now().toISOString();
  const orderId = ctx.ids.next('ord');
  const lines: repo.LineRow[] = plans.map((p, i) => ({
    id: ctx.ids.next('line'),
    order_id: orderId,
    line_no: i + 1,
    sku_id: p.skuId,
    quantity: p.quantity,
    allocated: p.allocations.reduce((s, a) => s + a.quantity, 0),
    shipped: 0,
    backordered: p.backordered,
    rejected: p.rejected,
    reject_reason: p.rejectReason,
    cancelled: 0,
    placed_at: now,
    warehouse_id: p.homeWarehouseId,
    last_shipped_at: null,
  }));
  const order: repo.OrderRow = {
    id: orderId,
    customer_id: customerId,
    reference: input.reference ?? null,
    ship_complete: input.shipComplete ? 1 : 0,
    partial_consent: 0,
    status: orderStatusOf(lines),
    placed_at: now,
    updated_at: now,
  };

  const allocations: repo.AllocationRow[] = [];
  const backorderRows: backorders.BackorderRow[] = [];
  plans.forEach((p, i) => {
    const line = lines[i]!;
    for (const a of p.allocations) {
      allocations.push({
        id: ctx.ids.next('alc'),
        order_id: orderId,
        order_line_id: line.id,
        backorder_id: null,
        sku_id: p.skuId,
        warehouse_id: a.warehouseId,
        quantity: a.quantity,
        shipped: 0,
        released: 0,
        created_at: now,
      });
    }
    if (p.backordered > 0 && p.backorderWarehouseId !== null) {
      backorderRows.push({
        id: ctx.ids.next('bo'),
        order_id: orderId,
        order_line_id: line.id,
        sku_id: p.skuId,
        customer_id: customerId,
        warehouse_id: p.backorderWarehouseId,
        flexible: p.flexible ? 1 : 0,
        quantity: p.backordered,
        allocated: 0,
        fulfilled: 0,
        cancelled: 0,
        status: 'open',
        placed_at: now,
        created_at: now,
        updated_at: now,
        promised_date: null,
        promise_confidence: null,
        promise_confirmed: 0,
        promise_basis: null,
        first_promised_date: null,
        fulfilled_at: null,
        promise_key: null,
        cause: null,
        cause_detail: null,
        resolution_cause: null,
        resolution_detail: null,
      });
    }
  });
  const { ready, reprojectSkus, remainders } = await promisesForCreation(
    ctx,
    tx,
    promising,
    backorderRows.map((b) => ({ id: b.id, sku_id: b.sku_id, waiting: b.quantity, warehouse_id: b.warehouse_id, flexible: b.flexible === 1 })),
  );
  const events: backorders.BackorderEventRow[] = [];
  const facts: Fact[] = [];
  for (const b of backorderRows) {
    const event = (type: 'backorder.created' | 'backorder.promised', data: Record<string, unknown>) => {
      const id = ctx.ids.next('bev');
      events.push({ id, backorder_id: b.id, type, data: JSON.stringify(data), created_at: now });
      facts.push({ id, type, at: now, orderId, customerId, backorderId: b.id, skuId: b.sku_id, data });
    };
    event('backorder.created', { quantity: b.quantity, warehouseId: b.warehouse_id, flexible: b.flexible === 1, status: 'open', waiting: b.quantity });
    const p = ready.get(b.id);
    if (p) {
      Object.assign(b, storedPromise(p));
      if (p.date !== null) event('backorder.promised', { date: p.date, confidence: b.promise_confidence, confirmed: p.confirmed, basis: p.basis, cause: 'new_order' });
    }
  }
  // Everything the order writes, reservations included, in one statement on PostgreSQL: the SKU locks are held for
  // one round trip, not seven. The SKUs are locked and availability was read under the lock, so the reservations
  // cannot fail unless a writer skipped the lock; then the whole transaction runs again rather than oversell.
  const reservations = stock.reservationGuard(allocations.map((a) => ({ skuId: a.sku_id, warehouseId: a.warehouse_id, quantity: a.quantity })), now);
  const written = await ctx.store.insertAll(tx, [
    { table: 'sales_order', rows: [order] },
    { table: 'order_line', rows: lines },
    { table: 'allocation', rows: allocations },
    { table: 'backorder', rows: backorderRows },
    { table: 'backorder_event', rows: events },
    { table: 'sku_projection', rows: remainders, upsertOn: ['sku_id'] },
  ], reservations);
  if (!written) throw new RetryableConflict(`stock of order ${orderId} changed during intake`);
  await recordFacts(ctx, tx, facts);
  const reprojected = await reprojectAfterCreation(ctx, tx, reprojectSkus, promising.settings);
  return {
    order: orderView(order, lines, allocations, backorderRows),
    intake: plans.map((p, i) => {
      const line = lines[i]!;
      const bo = backorderRows.find((b) => b.order_line_id === line.id);
      return {
        lineId: line.id,
        lineNo: line.line_no,
        skuId: p.skuId,
        quantity: p.quantity,
        allocated: p.allocations,
        backordered: bo
          ? { backorderId: bo.id, quantity: bo.quantity, warehouseId: bo.warehouse_id, flexible: bo.flexible === 1, ...promiseView(ready.get(bo.id) ?? reprojected.get(bo.id)) }
          : null,
        rejected: p.rejected > 0 && p.rejectReason ? { quantity: p.rejected, reason: p.rejectReason } : null,
      };
    }),
  };
}

/** Reads one order with its lines, allocations per warehouse and backorder ids. */
export async function loadOrderView(tx: Tx, orderId: string): Promise<OrderView | null> {
  const order = await repo.findOrder(tx, orderId);
  if (!order) return null;
  const lines = await repo.linesOf(tx, orderId);
  const [allocations, bos] = [await repo.allocationsOf(tx, orderId), await backorders.backordersOfLines(tx, lines.map((l) => l.id))];
  return orderView(order, lines, allocations, bos);
}

export async function getOrder(ctx: AppContext, orderId: string): Promise<Result<OrderView>> {
  const view = await loadOrderView(ctx.store.db, orderId);
  return view ? ok(view) : fail('not_found', `order '${orderId}' not found`, { field: 'id' });
}

export interface OrderQuery {
  customerId?: string | undefined;
  status?: 'open' | 'closed' | undefined;
  cursor?: string | undefined;
  limit: number;
}

export async function listOrders(ctx: AppContext, q: OrderQuery): Promise<Result<Page<OrderView>>> {
  const resumed = resumeAfter(q.cursor);
  if (!resumed.ok) return resumed;
  const after = resumed.value;
  const db = ctx.store.db;
  const rows = await repo.listOrders(db, q, after, q.limit);
  const ids = rows.slice(0, q.limit).map((r) => r.id);
  const lines = await repo.linesOfOrders(db, ids);
  const allocations = await repo.allocationsOfOrders(db, ids);
  const bos = await backorders.backordersOfLines(db, lines.map((l) => l.id));
  return ok(
    toPage(rows, q.limit, (r) => r.id, (r) =>
      orderView(r, lines.filter((l) => l.order_id === r.id), allocations.filter((a) => a.order_id === r.id), bos),
    ),
  );
}
