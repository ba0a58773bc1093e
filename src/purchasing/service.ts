/**
 * Purchasing use cases: supplier items, purchase orders (create, place, change an ETA, receive, cancel) and supplier
 * performance. Every change to inbound supply re-promises the waiting backorders of the SKUs it touches.
 */
import type { Tx } from '../db/connect.js';
import type { PurchaseOrderStatus } from '../db/schema.js';
import { canTransition } from '../shared/fsm.js';
import { resumeAfter, toPage, type Page } from '../shared/pagination.js';
import { fail, ok, type Result } from '../shared/result.js';
import type { AppContext } from '../main/context.js';
import { requireRef, requireRefs } from '../catalog/references.js';
import { runCommand, type IdempotencyKey } from '../idempotency/command.js';
import { addStockAndFill, newMovement } from '../inventory/service.js';
import type { AllocationMade } from '../allocation/service.js';
import { repromise, type PromiseCause } from '../promising/service.js';
import { openOf, poMachine, poView, statusAfterReceipt, type PurchaseOrderView } from './domain.js';
import { monthlyTrend, performance, type MonthPerformance, type Performance } from './performance.js';
import * as repo from './repository.js';
import { supplierHistories } from './receipt-samples.js';

export interface SupplierItemInput {
  leadTimeDays?: number | null | undefined;
  packSize: number;
  minOrderQty: number;
  unitCostMinor: number;
}

export interface SupplierItemView {
  supplierId: string;
  skuId: string;
  leadTimeDays: number | null;
  packSize: number;
  minOrderQty: number;
  unitCostMinor: number;
}

const itemView = (r: repo.SupplierItemRow): SupplierItemView => ({
  supplierId: r.supplier_id,
  skuId: r.sku_id,
  leadTimeDays: r.lead_time_days,
  packSize: r.pack_size,
  minOrderQty: r.min_order_qty,
  unitCostMinor: r.unit_cost_minor,
});

/** Says that a supplier can supply a SKU, on what terms (create or replace). */
export function putSupplierItem(ctx: AppContext, supplierId: string, skuId: string, input: SupplierItemInput): Promise<Result<SupplierItemView>> {
  return ctx.store.transaction(async (tx) => {
    const supplier = await requireRef(tx, 'supplier', supplierId, 'supplierId');
    if (!supplier.ok) return supplier;
    const sku = await requireRef(tx, 'sku', skuId, 'skuId');
    if (!sku.ok) return sku;
    await ctx.store.lockSkus(tx, [skuId]);
    const now = ctx.clock.now().toISOString();
    const row: repo.SupplierItemRow = {
      supplier_id: supplierId,
      sku_id: skuId,
      lead_time_days: input.leadTimeDays ?? null,
      pack_size: input.packSize,
      min_order_qty: input.minOrderQty,
      unit_cost_minor: input.unitCostMinor,
      created_at: now,
      updated_at: now,
    };
    await repo.upsertSupplierItem(tx, row);
    await repromise(ctx, tx, [skuId], 'supplier_changed');
    return ok(itemView(row));
  });
}

export async function listSupplierItems(ctx: AppContext, by: { supplierId?: string; skuId?: string }): Promise<Result<SupplierItemView[]>> {
  const rows = await repo.supplierItems(ctx.store.db, by.skuId ? { skuIds: [by.skuId] } : by.supplierId ? { supplierId: by.supplierId } : {});
  return ok(rows.filter((r) => !by.supplierId || r.supplier_id === by.supplierId).map(itemView));
}

export interface PurchaseOrderInput {
  supplierId: string;
  reference?: string | undefined;
  /** Place it at once (else it stays a draft). */
  place?: boolean | undefined;
  lines: { skuId: string; warehouseId: string; quantity: number; expectedDate: string }[];
}

export function createPurchaseOrder(ctx: AppContext, input: PurchaseOrderInput, idem?: IdempotencyKey): Promise<Result<PurchaseOrderView>> {
  return runCommand(ctx, idem, async (tx) => {
    const supplier = await requireRef(tx, 'supplier', input.supplierId, 'supplierId');
    if (!supplier.ok) return supplier;
    const skus = await requireRefs(tx, 'sku', input.lines.map((l, i) => ({ id: l.skuId, field: `lines/${i}/skuId` })));
    if (!skus.ok) return skus;
    const whs = await requireRefs(tx, 'warehouse', input.lines.map((l, i) => ({ id: l.warehouseId, field: `lines/${i}/warehouseId` })));
    if (!whs.ok) return whs;
    const now = ctx.clock.now().toISOString();
    const po: repo.PurchaseOrderRow = {
      id: ctx.ids.next('po'),
      supplier_id: input.supplierId,
      reference: input.reference ?? null,
      status: input.place ? 'placed' : 'draft',
      placed_at: input.place ? now : null,
      created_at: now,
      updated_at: now,
    };
    const lines: repo.PoLineRow[] = input.lines.map((l, i) => ({
      id: ctx.ids.next('pol'),
      po_id: po.id,
      line_no: i + 1,
      sku_id: l.skuId,
      warehouse_id: l.warehouseId,
      quantity: l.quantity,
      received: 0,
      cancelled: 0,
      expected_date: l.expectedDate,
      original_expected_date: l.expectedDate,
    }));
    await repo.insertPurchaseOrder(tx, po, lines);
    if (input.place) await lockAndRepromise(ctx, tx, lines, 'po_placed');
    return ok(poView(po, lines));
  });
}

async function lockAndRepromise(ctx: AppContext, tx: Tx, lines: readonly repo.PoLineRow[], cause: PromiseCause): Promise<void> {
  const skuIds = [...new Set(lines.map((l) => l.sku_id))];
  await ctx.store.lockSkus(tx, skuIds);
  await repromise(ctx, tx, skuIds, cause);
}

/** Loads a PO and checks that it may move to `to`; the failure names the state it is in. */
async function loadFor(tx: Tx, id: string, to: PurchaseOrderStatus, action: string) {
  const po = await repo.findPurchaseOrder(tx, id);
  if (!po) return fail<never>('not_found', `purchase order '${id}' not found`, { field: 'id' });
  if (!canTransition(poMachine, po.status, to) || (po.status === to && to !== 'partially_received')) {
    return fail<never>('illegal_transition', `cannot ${action} purchase order ${id}: it is ${po.status}`, { details: { status: po.status } });
  }
  return ok({ po, lines: await repo.linesOfPo(tx, id) });
}

export function placePurchaseOrder(ctx: AppContext, id: string, idem?: IdempotencyKey): Promise<Result<PurchaseOrderView>> {
  return runCommand(ctx, idem, async (tx) => {
    const loaded = await loadFor(tx, id, 'placed', 'place');
    if (!loaded.ok) return loaded;
    const now = ctx.clock.now().toISOString();
    if (!(await repo.setPoStatus(tx, id, 'draft', 'placed', now, now))) throw new Error(`purchase order ${id} changed concurrently`);
    await lockAndRepromise(ctx, tx, loaded.value.lines, 'po_placed');
    return ok(poView({ ...loaded.value.po, status: 'placed', placed_at: now, updated_at: now }, loaded.value.lines));
  });
}

/** An ETA change of one line; on a draft it also resets the date on-time performance is measured against. */
export function changeExpectedDate(ctx: AppContext, poId: string, lineId: string, expectedDate: string): Promise<Result<PurchaseOrderView>> {
  return ctx.store.transaction(async (tx) => {
    const po = await repo.findPurchaseOrder(tx, poId);
    if (!po) return fail('not_found', `purchase order '${poId}' not found`, { field: 'id' });
    if (po.status === 'received' || po.status === 'cancelled') {
      return fail('illegal_transition', `purchase order ${poId} is ${po.status}; its dates no longer change`, { details: { status: po.status } });
    }
    const lines = await repo.linesOfPo(tx, poId);
    const line = lines.find((l) => l.id === lineId);
    if (!line) return fail('not_found', `purchase order ${poId} has no line '${lineId}'`, { field: 'lineId' });
    await repo.setExpectedDate(tx, lineId, expectedDate, po.status === 'draft');
    if (po.status !== 'draft') await lockAndRepromise(ctx, tx, [line], 'eta_changed');
    return ok(poView(po, await repo.linesOfPo(tx, poId)));
  });
}

export interface PoReceiptInput {
  lines: { lineId: string; quantity: number }[];
  reference?: string | undefined;
}

/** Receives units of a placed PO (all or part): stock rises, waiting backorders are allocated, history grows. */
export function receivePurchaseOrder(
  ctx: AppContext,
  poId: string,
  input: PoReceiptInput,
  idem?: IdempotencyKey,
): Promise<Result<{ purchaseOrder: PurchaseOrderView; allocations: AllocationMade[] }>> {
  return runCommand(ctx, idem, async (tx) => {
    const loaded = await loadFor(tx, poId, 'partially_received', 'receive');
    if (!loaded.ok) return loaded;
    const { po, lines } = loaded.value;
    for (const [i, r] of input.lines.entries()) {
      const line = lines.find((l) => l.id === r.lineId);
      if (!line) return fail('unknown_reference', `line '${r.lineId}' is not a line of purchase order ${poId}`, { field: `lines/${i}/lineId` });
      if (r.quantity > openOf(line)) {
        return fail('illegal_transition', `line ${line.id} has ${openOf(line)} unit(s) open, ${r.quantity} received`, { field: `lines/${i}/quantity`, details: { open: openOf(line) } });
      }
    }
    await ctx.store.lockSkus(tx, lines.map((l) => l.sku_id));
    const now = ctx.clock.now().toISOString();
    const allocations: AllocationMade[] = [];
    for (const r of input.lines) {
      const line = lines.find((l) => l.id === r.lineId)!;
      await repo.drawPoLine(tx, line.id, { received: r.quantity });
      await repo.insertPoReceipt(tx, {
        id: ctx.ids.next('rcp'),
        po_line_id: line.id,
        po_id: poId,
        supplier_id: po.supplier_id,
        sku_id: line.sku_id,
        quantity: r.quantity,
        placed_at: po.placed_at ?? po.created_at,
        expected_date: line.original_expected_date,
        received_at: now,
      });
      const movement = newMovement(ctx, 'receipt', line.sku_id, line.warehouse_id, r.quantity, {
        reason: input.reference ?? null,
        sourceType: 'purchase_order',
        sourceId: poId,
      });
      const filled = await addStockAndFill(ctx, tx, movement, undefined);
      if (!filled.ok) return filled;
      allocations.push(...filled.value);
    }
    const after = await repo.linesOfPo(tx, poId);
    const status = statusAfterReceipt(after);
    if (!(await repo.setPoStatus(tx, poId, po.status, status, now))) throw new Error(`purchase order ${poId} changed concurrently`);
    await repromise(ctx, tx, [...new Set(after.map((l) => l.sku_id))], 'po_receipt');
    return ok({ purchaseOrder: poView({ ...po, status, updated_at: now }, after), allocations });
  });
}

/** Cancels what is still open on a PO; units already received stay. */
export function cancelPurchaseOrder(ctx: AppContext, poId: string, idem?: IdempotencyKey): Promise<Result<PurchaseOrderView>> {
  return runCommand(ctx, idem, async (tx) => {
    const loaded = await loadFor(tx, poId, 'cancelled', 'cancel');
    if (!loaded.ok) return loaded;
    const { po, lines } = loaded.value;
    await ctx.store.lockSkus(tx, lines.map((l) => l.sku_id));
    for (const l of lines) if (openOf(l) > 0) await repo.drawPoLine(tx, l.id, { cancelled: openOf(l) });
    const now = ctx.clock.now().toISOString();
    if (!(await repo.setPoStatus(tx, poId, po.status, 'cancelled', now))) throw new Error(`purchase order ${poId} changed concurrently`);
    if (po.status !== 'draft') await repromise(ctx, tx, [...new Set(lines.map((l) => l.sku_id))], 'po_cancelled');
    return ok(poView({ ...po, status: 'cancelled', updated_at: now }, await repo.linesOfPo(tx, poId)));
  });
}

export async function getPurchaseOrder(ctx: AppContext, id: string): Promise<Result<PurchaseOrderView>> {
  const po = await repo.findPurchaseOrder(ctx.store.db, id);
  if (!po) return fail('not_found', `purchase order '${id}' not found`, { field: 'id' });
  return ok(poView(po, await repo.linesOfPo(ctx.store.db, id)));
}

export async function listPurchaseOrders(ctx: AppContext, q: repo.PoFilter & { cursor?: string | undefined; limit: number }): Promise<Result<Page<PurchaseOrderView>>> {
  const resumed = resumeAfter(q.cursor);
  if (!resumed.ok) return resumed;
  const after = resumed.value;
  const rows = await repo.listPurchaseOrders(ctx.store.db, q, after, q.limit);
  const lines = await repo.linesOfPos(ctx.store.db, rows.slice(0, q.limit).map((r) => r.id));
  return ok(toPage(rows, q.limit, (r) => r.id, (r) => poView(r, lines.filter((l) => l.po_id === r.id))));
}

/** Lead time, lateness, on-time rate and fill rate of a supplier (and of one of its SKUs when asked). */
export async function supplierPerformance(ctx: AppContext, supplierId: string, skuId?: string): Promise<Result<Performance & { supplierId: string; skuId: string | null; trend: MonthPerformance[] }>> {
  const supplier = await requireRef(ctx.store.db, 'supplier', supplierId, 'supplierId');
  if (!supplier.ok) return fail('not_found', supplier.error.message, { field: 'id' });
  const all = (await supplierHistories(ctx.store, ctx.store.db, [supplierId])).get(supplierId)?.receipts ?? [];
  const receipts = skuId ? all.filter((r) => r.skuId === skuId) : all;
  const closed = (await repo.closedLines(ctx.store.db, supplierId)).filter((l) => !skuId || l.sku_id === skuId);
  return ok({ supplierId, skuId: skuId ?? null, ...performance(receipts, closed), trend: monthlyTrend(receipts) });
}
