/**
 * What `raincheck export` can write: each kind reads the store page by page through the same services as the API
 * (so an export holds what the API would show, and memory holds one page), and says how a row flattens to CSV
 * records (an order is one record per line). JSON writes the API's own objects.
 */
import type { AppContext } from '../main/context.js';
import { listBackorders, type BackorderView } from '../backorders/service.js';
import { backorderStatuses, type BackorderStatus } from '../backorders/domain.js';
import { listOrders } from '../orders/service.js';
import type { OrderView } from '../orders/views.js';
import { listMovements } from '../inventory/service.js';
import type { Movement } from '../inventory/domain.js';
import { listRecommendations } from '../replenishment/service.js';
import type { RecommendationView } from '../replenishment/views.js';
import { kpiReport } from '../kpis/service.js';
import type { KpiRow } from '../kpis/service.js';
import type { kpiPeriods, dimensions } from '../kpis/schemas.js';
import { fail, ok, type Result } from '../shared/result.js';
import { flatKpiRow } from './kpi-records.js';
import type { CsvRecord } from './write.js';

export interface ExportFilters {
  skuId?: string | undefined;
  warehouseId?: string | undefined;
  customerId?: string | undefined;
  /** Backorders: a comma list of statuses; orders: open or closed. */
  status?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  period?: (typeof kpiPeriods)[number] | undefined;
  by?: (typeof dimensions)[number] | undefined;
}

export interface ExportKind<Row> {
  /** Pages of rows, in a stable order; a failure (a bad filter) stops the export before anything is written. */
  pages(ctx: AppContext, f: ExportFilters): AsyncGenerator<Result<Row[]>>;
  records(row: Row): CsvRecord[];
}

const pageSize = 500;

/** Follows an API list's cursor to the end. */
async function* paged<Row>(next: (cursor: string | undefined) => Promise<Result<{ items: Row[]; nextCursor: string | null }>>): AsyncGenerator<Result<Row[]>> {
  let cursor: string | undefined;
  do {
    const page = await next(cursor);
    if (!page.ok) return yield page;
    yield ok(page.value.items);
    cursor = page.value.nextCursor ?? undefined;
  } while (cursor !== undefined);
}

function statusesOf(text: string | undefined): Result<BackorderStatus[] | undefined> {
  if (text === undefined) return ok(undefined);
  const list = text.split(',').map((s) => s.trim());
  const bad = list.find((s) => !(backorderStatuses as readonly string[]).includes(s));
  return bad === undefined ? ok(list as BackorderStatus[]) : fail('validation_failed', `--status '${bad}' is not one of ${backorderStatuses.join(', ')}`, { field: 'status' });
}

const backorders: ExportKind<BackorderView> = {
  async *pages(ctx, f) {
    const statuses = statusesOf(f.status);
    if (!statuses.ok) return yield statuses;
    yield* paged((cursor) => listBackorders(ctx, { skuId: f.skuId, warehouseId: f.warehouseId, customerId: f.customerId, statuses: statuses.value, sort: 'oldest', cursor, limit: pageSize }));
  },
  records: (b) => [
    {
      id: b.id, order_id: b.orderId, order_line_id: b.orderLineId, customer_id: b.customerId, sku_id: b.skuId, warehouse_id: b.warehouseId,
      status: b.status, quantity: b.quantity, waiting: b.waiting, allocated: b.allocated, fulfilled: b.fulfilled, cancelled: b.cancelled,
      placed_at: b.placedAt, created_at: b.createdAt, age_days: b.ageDays, promised_date: b.promisedDate, promise_confidence: b.promiseConfidence,
      promise_confirmed: b.promiseConfirmed, first_promised_date: b.firstPromisedDate, fulfilled_at: b.fulfilledAt,
      cause: b.cause?.cause ?? null, resolution_cause: b.resolutionCause?.cause ?? null,
    },
  ],
};

const orders: ExportKind<OrderView> = {
  async *pages(ctx, f) {
    if (f.status !== undefined && f.status !== 'open' && f.status !== 'closed') return yield fail('validation_failed', `--status for orders is open or closed, not '${f.status}'`, { field: 'status' });
    yield* paged((cursor) => listOrders(ctx, { customerId: f.customerId, status: f.status as 'open' | 'closed' | undefined, cursor, limit: pageSize }));
  },
  records: (o) =>
    o.lines.map((l) => ({
      order_id: o.id, reference: o.reference, customer_id: o.customerId, placed_at: o.placedAt, order_status: o.status, ship_complete: o.shipComplete,
      line_id: l.id, line_no: l.lineNo, sku_id: l.skuId, quantity: l.quantity, allocated: l.allocated, shipped: l.shipped, waiting: l.waiting,
      backordered_at_intake: l.backorderedAtIntake, rejected: l.rejected, reject_reason: l.rejectReason, cancelled: l.cancelled, line_status: l.status,
      backorder_id: l.backorderId,
    })),
};

const ledger: ExportKind<Movement> = {
  pages: (ctx, f) => paged((cursor) => listMovements(ctx, { skuId: f.skuId, warehouseId: f.warehouseId, cursor, limit: pageSize })),
  records: (m) => [{ id: m.id, created_at: m.createdAt, sku_id: m.skuId, warehouse_id: m.warehouseId, kind: m.kind, quantity: m.quantity, reason: m.reason, source_type: m.sourceType, source_id: m.sourceId }],
};

const recommendations: ExportKind<RecommendationView> = {
  async *pages(ctx, f) {
    const list = await listRecommendations(ctx, { skuId: f.skuId, warehouseId: f.warehouseId, due: 'all', limit: 100_000 });
    yield list.ok ? ok(list.value.items) : list;
  },
  records: (r) => [
    {
      sku_id: r.skuId, warehouse_id: r.warehouseId, supplier_id: r.supplierId, order_now: r.orderNow, quantity: r.quantity, order_by: r.orderBy,
      expected_arrival: r.expectedArrival, risk: r.risk, expected_fill_rate: r.expectedFillRate, order_value: r.orderValue, cost_per_unit: r.costPerUnit,
      expected_cost_per_year: r.expectedCostPerYear, inventory_position: r.inventoryPosition, on_draft: r.onDraft, daily_mean: r.dailyMean,
    },
  ],
};

const kpis: ExportKind<KpiRow> = {
  async *pages(ctx, f) {
    if (!f.from || !f.to) return yield fail('validation_failed', 'exporting KPIs needs --from and --to (YYYY-MM-DD)', { field: f.from ? 'to' : 'from' });
    const report = await kpiReport(ctx, { from: f.from, to: f.to, period: f.period ?? 'month', by: f.by, warehouseId: f.warehouseId, skuId: f.skuId });
    yield report.ok ? ok([...report.value.rows, ...(report.value.period === 'total' ? [] : report.value.totals)]) : report;
  },
  records: (r) => [flatKpiRow(r)],
};

export const exportKinds = { backorders, orders, kpis, recommendations, ledger } as const;
export type ExportKindName = keyof typeof exportKinds;
