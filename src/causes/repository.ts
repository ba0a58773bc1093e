/**
 * SQL for root causes: backorders still to attribute, and one SKU's history (purchase order lines with receipts,
 * stock movements, demand, other backorders) from which facts are rebuilt as they stood at any moment.
 */
import { sql } from 'kysely';
import type { Tx } from '../db/connect.js';
import { groupBy } from '../shared/group.js';
import { slicing, type KpiScope } from '../kpis/repository.js';
import type { CauseCount } from './pareto.js';

export interface PendingBackorder {
  id: string;
  skuId: string;
  warehouseId: string;
  quantity: number;
  createdAt: string;
  resolvedAt: string | null;
  tier: number;
  cause: string | null;
  causeDetail: string | null;
}

const resolvedAt = sql<string | null>`case when b.status in ('fulfilled', 'cancelled') then coalesce(b.fulfilled_at, b.updated_at) end`;

/** Backorders without a creation cause, or resolved without a resolution cause; oldest first, SKU by SKU. */
export async function pendingBackorders(tx: Tx, limit: number): Promise<PendingBackorder[]> {
  return tx
    .selectFrom('backorder as b')
    .innerJoin('customer as c', 'c.id', 'b.customer_id')
    .select([
      'b.id', 'b.sku_id as skuId', 'b.warehouse_id as warehouseId', 'b.quantity', 'b.created_at as createdAt', resolvedAt.as('resolvedAt'),
      'c.tier', 'b.cause', 'b.cause_detail as causeDetail',
    ])
    .where((eb) => eb.or([eb('b.cause', 'is', null), eb.and([eb('b.resolution_cause', 'is', null), eb('b.status', 'in', ['fulfilled', 'cancelled'])])]))
    .orderBy('b.sku_id')
    .orderBy('b.created_at')
    .limit(limit)
    .execute();
}

export interface PoLineHistory {
  poLineId: string;
  poId: string;
  supplierId: string;
  warehouseId: string;
  quantity: number;
  received: number;
  cancelled: number;
  status: string;
  placedAt: string | null;
  /** When its PO was last changed: for a cancelled PO, when it was cancelled. */
  poUpdatedAt: string;
  originalExpectedDate: string;
  receipts: { quantity: number; receivedAt: string }[];
}

export interface SkuHistory {
  poLines: PoLineHistory[];
  /** Stock movements of the SKU (all warehouses), oldest first. */
  movements: { warehouseId: string; kind: string; quantity: number; createdAt: string }[];
  /** Order lines of the SKU placed from `since`: their home warehouse, time and quantity. */
  demand: { warehouseId: string | null; placedAt: string; quantity: number }[];
  /** Every backorder of the SKU: its life and its customer's tier. */
  backorders: { id: string; warehouseId: string; quantity: number; tier: number; createdAt: string; fulfilledAt: string | null; resolvedAt: string | null }[];
  /** Lead time of the SKU's cheapest supplier item (its own, else the supplier's default). */
  leadTimeDays: number | null;
}

/** One SKU's history, demand from `since` on (the windows the rules look back over start there). */
export async function skuHistory(tx: Tx, skuId: string, since: string): Promise<SkuHistory> {
  const lines = await tx
    .selectFrom('po_line as l')
    .innerJoin('purchase_order as p', 'p.id', 'l.po_id')
    .select([
      'l.id as poLineId', 'l.po_id as poId', 'p.supplier_id as supplierId', 'l.warehouse_id as warehouseId', 'l.quantity', 'l.received',
      'l.cancelled', 'p.status', 'p.placed_at as placedAt', 'p.updated_at as poUpdatedAt', 'l.original_expected_date as originalExpectedDate',
    ])
    .where('l.sku_id', '=', skuId)
    .where('p.placed_at', 'is not', null)
    .execute();
  const receipts = await tx
    .selectFrom('po_receipt')
    .select(['po_line_id as poLineId', 'quantity', 'received_at as receivedAt'])
    .where('sku_id', '=', skuId)
    .orderBy('received_at')
    .execute();
  const movements = await tx
    .selectFrom('movement')
    .select(['warehouse_id as warehouseId', 'kind', 'quantity', 'created_at as createdAt'])
    .where('sku_id', '=', skuId)
    .orderBy('created_at')
    .execute();
  const demand = await tx
    .selectFrom('order_line')
    .select(['warehouse_id as warehouseId', 'placed_at as placedAt', 'quantity'])
    .where('sku_id', '=', skuId)
    .where('placed_at', '>=', since)
    .execute();
  const backorders = await tx
    .selectFrom('backorder as b')
    .innerJoin('customer as c', 'c.id', 'b.customer_id')
    .select(['b.id', 'b.warehouse_id as warehouseId', 'b.quantity', 'c.tier', 'b.created_at as createdAt', 'b.fulfilled_at as fulfilledAt', resolvedAt.as('resolvedAt')])
    .where('b.sku_id', '=', skuId)
    .execute();
  const item = await tx
    .selectFrom('supplier_item as i')
    .innerJoin('supplier as s', 's.id', 'i.supplier_id')
    .select(sql<number>`coalesce(i.lead_time_days, s.default_lead_time_days)`.as('days'))
    .where('i.sku_id', '=', skuId)
    .orderBy('i.unit_cost_minor')
    .orderBy('i.supplier_id')
    .executeTakeFirst();
  const byLine = groupBy(receipts, (r) => r.poLineId);
  return {
    poLines: lines.map((l) => ({ ...l, receipts: (byLine.get(l.poLineId) ?? []).map((r) => ({ quantity: r.quantity, receivedAt: r.receivedAt })) })),
    movements,
    demand: demand.filter((d): d is typeof d & { placedAt: string } => d.placedAt !== null),
    backorders,
    leadTimeDays: item?.days ?? null,
  };
}

/** Stores a creation and/or resolution cause; only where none is stored yet, so a second run changes nothing. */
export async function storeCauses(
  tx: Tx,
  id: string,
  created: { cause: string; detail: string } | null,
  resolved: { cause: string; detail: string } | null,
): Promise<void> {
  if (created) {
    await tx.updateTable('backorder').set({ cause: created.cause, cause_detail: created.detail }).where('id', '=', id).where('cause', 'is', null).execute();
  }
  if (resolved) {
    await tx
      .updateTable('backorder')
      .set({ resolution_cause: resolved.cause, resolution_detail: resolved.detail })
      .where('id', '=', id)
      .where('resolution_cause', 'is', null)
      .execute();
  }
}

/** Backorders created in scope, counted per slice and cause (`stage`: which of the two causes, or the latest). */
export async function causeCounts(tx: Tx, scope: KpiScope, stage: 'created' | 'resolved' | 'latest'): Promise<CauseCount[]> {
  const { key, joins, where } = slicing(scope, { sku: sql.ref('b.sku_id'), warehouse: sql.ref('b.warehouse_id'), customerJoin: sql`join customer c on c.id = b.customer_id` });
  const cause =
    stage === 'created' ? sql`coalesce(b.cause, 'unattributed')`
    : stage === 'resolved' ? sql`b.resolution_cause`
    : sql`coalesce(b.resolution_cause, b.cause, 'unattributed')`;
  const { rows } = await sql<CauseCount>`
    select slice, cause, count(*) as count, sum(quantity) as units from (
      select ${key} as slice, ${cause} as cause, b.quantity as quantity
      from backorder b ${joins}
      where b.created_at >= ${scope.start} and b.created_at < ${scope.end} ${where}
    ) attributed
    where cause is not null
    group by slice, cause`.execute(tx);
  return rows;
}
