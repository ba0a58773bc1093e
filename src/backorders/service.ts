/** Backorder reads: filtered, cursor-paged lists and one backorder with its event history. */
import { resumeAfter, toPage, type Page } from '../shared/pagination.js';
import { fail, ok, type Result } from '../shared/result.js';
import type { AppContext } from '../main/context.js';
import { waitingOf, type BackorderStatus } from './domain.js';
import type { PromiseBasis } from '../promising/domain.js';
import * as repo from './repository.js';

export interface BackorderView {
  id: string;
  orderId: string;
  orderLineId: string;
  skuId: string;
  customerId: string;
  warehouseId: string;
  /** True when any warehouse may fill it; false when only `warehouseId` may (customer refuses split shipments). */
  flexible: boolean;
  quantity: number;
  waiting: number;
  allocated: number;
  fulfilled: number;
  cancelled: number;
  status: BackorderStatus;
  placedAt: string;
  createdAt: string;
  updatedAt: string;
  /** Whole days since it was created. */
  ageDays: number;
  /** ISO day the waiting units are expected to ship; null when no supplier or inbound is known. */
  promisedDate: string | null;
  /** Estimated probability of shipping by the promised date. */
  promiseConfidence: number | null;
  /** True when inbound supply (a PO or transfer) covers it; false for a lead-time estimate. */
  promiseConfirmed: boolean;
  promiseBasis: PromiseBasis | null;
  firstPromisedDate: string | null;
  fulfilledAt: string | null;
  /** Root cause when it was created and when it resolved (src/causes), with the reason; null until attributed. */
  cause: CauseView | null;
  resolutionCause: CauseView | null;
}

export interface CauseView {
  cause: string;
  reason: string;
  facts: Record<string, unknown>;
}

function causeView(cause: string | null, detail: string | null): CauseView | null {
  if (cause === null) return null;
  const d = JSON.parse(detail ?? '{}') as { reason?: string; facts?: Record<string, unknown> };
  return { cause, reason: d.reason ?? '', facts: d.facts ?? {} };
}

export interface BackorderEvent {
  id: string;
  type: string;
  at: string;
  data: Record<string, unknown>;
}

const dayMs = 86_400_000;

export function backorderView(r: repo.BackorderRow, now: Date): BackorderView {
  return {
    id: r.id,
    orderId: r.order_id,
    orderLineId: r.order_line_id,
    skuId: r.sku_id,
    customerId: r.customer_id,
    warehouseId: r.warehouse_id,
    flexible: r.flexible === 1,
    quantity: r.quantity,
    waiting: waitingOf(r),
    allocated: r.allocated,
    fulfilled: r.fulfilled,
    cancelled: r.cancelled,
    status: r.status,
    placedAt: r.placed_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    ageDays: Math.max(0, Math.floor((now.getTime() - Date.parse(r.created_at)) / dayMs)),
    promisedDate: r.promised_date,
    promiseConfidence: r.promise_confidence,
    promiseConfirmed: r.promise_confirmed === 1,
    promiseBasis: r.promise_basis === null ? null : (JSON.parse(r.promise_basis) as PromiseBasis),
    firstPromisedDate: r.first_promised_date,
    fulfilledAt: r.fulfilled_at,
    cause: causeView(r.cause, r.cause_detail),
    resolutionCause: causeView(r.resolution_cause, r.resolution_detail),
  };
}

export interface BackorderQuery {
  skuId?: string | undefined;
  warehouseId?: string | undefined;
  customerId?: string | undefined;
  orderId?: string | undefined;
  statuses?: BackorderStatus[] | undefined;
  /** Only backorders at least this many days old. */
  minAgeDays?: number | undefined;
  /** Only backorders at most this many days old. */
  maxAgeDays?: number | undefined;
  tier?: number | undefined;
  cause?: string | undefined;
  sort?: 'oldest' | 'newest' | undefined;
  atRisk?: boolean | undefined;
  cursor?: string | undefined;
  limit: number;
}

export async function listBackorders(ctx: AppContext, q: BackorderQuery): Promise<Result<Page<BackorderView>>> {
  const resumed = resumeAfter(q.cursor);
  if (!resumed.ok) return resumed;
  const after = resumed.value;
  const now = ctx.clock.now();
  const ago = (days: number) => new Date(now.getTime() - days * dayMs).toISOString();
  const rows = await repo.listBackorders(
    ctx.store.db,
    {
      ...q,
      createdAtOrBefore: q.minAgeDays === undefined ? undefined : ago(q.minAgeDays),
      createdAtOrAfter: q.maxAgeDays === undefined ? undefined : ago(q.maxAgeDays + 1),
    },
    after,
    q.limit,
  );
  return ok(toPage(rows, q.limit, (r) => r.id, (r) => backorderView(r, now)));
}

export async function getBackorder(ctx: AppContext, id: string): Promise<Result<BackorderView & { history: BackorderEvent[] }>> {
  const row = await repo.findBackorder(ctx.store.db, id);
  if (!row) return fail('not_found', `backorder '${id}' not found`, { field: 'id' });
  const events = await repo.eventsOf(ctx.store.db, id);
  return ok({
    ...backorderView(row, ctx.clock.now()),
    history: events.map((e) => ({ id: e.id, type: e.type, at: e.created_at, data: JSON.parse(e.data) as Record<string, unknown> })),
  });
}
