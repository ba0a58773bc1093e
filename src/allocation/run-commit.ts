/**
 * Committing a processing run: each SKU is planned again and applied in ONE transaction of its own, under the
 * SKU's lock, from the state read under that lock, so a commit over a quiet catalogue equals its dry run and a
 * busy one never applies a stale plan. A SKU's transaction moves the allocation rows (units taken back from the
 * newest rows first, new rows for units gained), the stock levels' allocated units, the order lines and the
 * backorders (an event each, which the playbook turns into messages), re-promises the SKU's waiting demand (a moved
 * date is a `backorder.promise_changed` with cause `allocation_run`) and records every change with its rank and
 * reason. The run itself is recorded first (status running) and finished as committed, or failed with the error
 * and the SKUs done: each of those is complete, the rest untouched.
 */
import { RetryableConflict, type Tx } from '../db/connect.js';
import type { AppContext } from '../main/context.js';
import { reallocateBackorders } from '../backorders/changes.js';
import * as stock from '../inventory/repository.js';
import { repromiseWithResult } from '../promising/service.js';
import { groupBy } from '../shared/group.js';
import { fail, ok, type Result } from '../shared/result.js';
import { byText } from './run-plan.js';
import * as repo from './run-repository.js';
import { planSku, readRunInputs, resolveRun, summarise, withPromises, type DatedChange, type RunRequest } from './run-service.js';

export type RunTrigger = 'api' | 'schedule' | 'cli';

export interface CommitRequest extends RunRequest {
  /** Who asked: a person's or a key's name (free text until API keys carry identities). */
  requestedBy: string;
  trigger: RunTrigger;
  /** A scheduled run's day: at most one run per key, across every process. */
  scheduleKey?: string;
}

export interface CommittedRun {
  id: string;
  strategy: string;
  status: 'committed' | 'failed';
  requestedBy: string;
  trigger: RunTrigger;
  startedAt: string;
  finishedAt: string;
  skus: number;
  backorders: number;
  changes: DatedChange[];
  unitsGained: number;
  unitsLost: number;
  customersAffected: number;
  error: string | null;
}

/** Every SKU with open backorders (a run over everything), in id order. */
async function skusWithOpenBackorders(tx: Tx): Promise<string[]> {
  const rows = await tx.selectFrom('backorder').select('sku_id').distinct().where('status', 'in', ['open', 'partially_allocated', 'allocated']).orderBy('sku_id').execute();
  return rows.map((r) => r.sku_id);
}

/** Applies one SKU's plan in `tx`; returns the backorders it planned and the changes it made, dated. */
async function commitSku(
  ctx: AppContext,
  tx: Tx,
  runId: string,
  resolved: Awaited<ReturnType<typeof resolveRun>> & { ok: true },
  skuId: string,
): Promise<Result<{ backorders: number; changes: DatedChange[] }>> {
  const { strategy, withOrderValues } = resolved.value;
  await ctx.store.lockSkus(tx, [skuId]);
  const nowDate = ctx.clock.now();
  const now = nowDate.toISOString();
  const { bySku, rows } = await readRunInputs(tx, [skuId], withOrderValues, nowDate.getTime());
  const input = bySku.get(skuId);
  if (!input) return ok({ backorders: 0, changes: [] });
  const { changes } = planSku(strategy, skuId, input.supply, input.demand);
  if (changes.length === 0) return ok({ backorders: input.demand.length, changes: [] });

  // Allocation rows: units a backorder loses at a warehouse come back from its newest rows there.
  const losing = changes.filter((c) => c.delta < 0);
  const live = groupBy(await repo.liveAllocations(tx, [...new Set(losing.map((c) => c.backorderId))]), (a) => `${a.backorderId} ${a.warehouseId}`);
  const draws: { id: string; quantity: number }[] = [];
  for (const c of losing) {
    let left = -c.delta;
    for (const a of live.get(`${c.backorderId} ${c.warehouseId}`) ?? []) {
      if (left === 0) break;
      const q = Math.min(left, a.quantity);
      draws.push({ id: a.id, quantity: q });
      left -= q;
    }
    if (left > 0) throw new RetryableConflict(`backorder ${c.backorderId} holds fewer units at ${c.warehouseId} than read`);
  }
  if (!(await repo.releaseAllocations(tx, draws))) throw new RetryableConflict(`an allocation of ${skuId} changed during the run`);
  const allocationColumns = ['id', 'order_id', 'order_line_id', 'backorder_id', 'sku_id', 'warehouse_id', 'quantity', 'shipped', 'released', 'created_at'] as const;
  const gained = changes.filter((c) => c.delta > 0);
  await ctx.store.insertRows(
    tx,
    { table: 'allocation', columns: allocationColumns },
    gained.map((c) => [ctx.ids.next('alc'), c.orderId, rows.get(c.backorderId)!.orderLineId, c.backorderId, skuId, c.warehouseId, c.delta, 0, 0, now]),
  );

  // Stock levels: what the run gives or takes back at each warehouse, net.
  const net = new Map<string, number>();
  for (const c of changes) net.set(c.warehouseId, (net.get(c.warehouseId) ?? 0) + c.delta);
  for (const [warehouseId, units] of [...net].sort((a, b) => a[1] - b[1])) {
    const done = units < 0 ? await stock.release(tx, skuId, warehouseId, -units, now) : units > 0 ? await stock.reserve(tx, skuId, warehouseId, units, now) : true;
    if (!done) throw new RetryableConflict(`stock of ${skuId} at ${warehouseId} changed during the run`);
  }

  // Order lines and backorders, with an event each.
  const byBackorder = [...groupBy(changes, (c) => c.backorderId)];
  const lineDeltas = new Map<string, number>();
  for (const [id, cs] of byBackorder) {
    const line = rows.get(id)!.orderLineId;
    lineDeltas.set(line, (lineDeltas.get(line) ?? 0) + cs.reduce((s, c) => s + c.delta, 0));
  }
  await repo.adjustLinesAllocated(tx, lineDeltas);
  const changed = await reallocateBackorders(
    ctx,
    tx,
    byBackorder.map(([id, cs]) => {
      const r = rows.get(id)!;
      const first = cs[0]!;
      return {
        row: { id, order_id: r.orderId, customer_id: r.customerId, sku_id: skuId, status: r.status, quantity: r.quantity, allocated: r.allocated, fulfilled: r.fulfilled, cancelled: r.cancelled },
        delta: cs.reduce((s, c) => s + c.delta, 0),
        data: {
          runId,
          strategy: strategy.name,
          rank: first.rank,
          competing: first.competing,
          reason: first.reason,
          moves: cs.map((c) => ({ warehouseId: c.warehouseId, before: c.before, after: c.after })),
          ...(cs.length === 1 ? { warehouseId: first.warehouseId } : {}),
        },
      };
    }),
  );
  if (!changed.ok) return changed;

  // A backorder that was ready (all it owed allocated) and loses units was, to its customer, due now: its promise
  // restarts from today, so re-promising records the slip to the new date and the playbook tells them.
  const unreadied = byBackorder.filter(([id, cs]) => rows.get(id)!.status === 'allocated' && cs.reduce((s, c) => s + c.delta, 0) < 0).map(([id]) => id);
  await repo.restartPromises(tx, unreadied, now.slice(0, 10));
  const { promises } = await repromiseWithResult(ctx, tx, [skuId], 'allocation_run');
  const dated = withPromises(changes, input.demand, promises);
  const changeColumns = ['run_id', 'sku_id', 'backorder_id', 'order_id', 'customer_id', 'warehouse_id', 'before', 'after', 'rank', 'competing', 'reason', 'promised_before', 'promised_after'] as const;
  await ctx.store.insertRows(
    tx,
    { table: 'allocation_run_change', columns: changeColumns },
    dated.map((c) => [runId, skuId, c.backorderId, c.orderId, c.customerId, c.warehouseId, c.before, c.after, c.rank, c.competing, c.reason, c.promisedBefore, c.promisedAfter]),
  );
  return ok({ backorders: input.demand.length, changes: dated });
}

/** Starts the run's record; a scheduled run whose day already has one is a conflict (nothing is written). */
async function startRun(ctx: AppContext, req: CommitRequest, strategyName: string, skus: number): Promise<Result<repo.RunRow>> {
  const row: repo.RunRow = {
    id: ctx.ids.next('run'),
    strategy: strategyName,
    config: req.strategy.name === 'categories' ? JSON.stringify(req.strategy.categories) : null,
    sku_ids: req.skuIds ? JSON.stringify([...new Set(req.skuIds)]) : null,
    requested_by: req.requestedBy,
    trigger: req.trigger,
    schedule_key: req.scheduleKey ?? null,
    status: 'running',
    skus,
    skus_done: 0,
    backorders: 0,
    changes: 0,
    units_gained: 0,
    units_lost: 0,
    customers_affected: 0,
    error: null,
    started_at: ctx.clock.now().toISOString(),
    finished_at: null,
  };
  const taken = () => fail('already_exists', `a scheduled run for ${req.scheduleKey} has already started`, { field: 'scheduleKey' });
  try {
    return await ctx.store.transaction(async (tx) => {
      if (req.scheduleKey !== undefined && (await repo.scheduledRunExists(tx, req.scheduleKey))) return taken();
      await repo.insertRun(tx, row);
      return ok(row);
    });
  } catch (e) {
    // Two processes raced for the same night: the unique schedule key let one in.
    if (req.scheduleKey !== undefined && (await repo.scheduledRunExists(ctx.store.db, req.scheduleKey))) return taken();
    throw e;
  }
}

/** Plans and applies a run SKU by SKU, recording it; returns what it changed. */
export async function commitRun(ctx: AppContext, req: CommitRequest): Promise<Result<CommittedRun>> {
  const resolved = await resolveRun(ctx, req);
  if (!resolved.ok) return resolved;
  const skuIds = resolved.value.skuIds ? [...resolved.value.skuIds].sort(byText) : await skusWithOpenBackorders(ctx.store.db);
  const started = await startRun(ctx, req, resolved.value.strategy.name, skuIds.length);
  if (!started.ok) return started;
  const run = started.value;
  const changes: DatedChange[] = [];
  let backorders = 0;
  let done = 0;
  let error: string | null = null;
  const totals = () => ({ skus_done: done, backorders, changes: changes.length, ...rowTotals(summarise(changes)) });
  for (const skuId of skuIds) {
    try {
      const r = await ctx.store.transaction((tx) => commitSku(ctx, tx, run.id, resolved, skuId));
      if (!r.ok) throw new Error(`${skuId}: ${r.error.message}`);
      backorders += r.value.backorders;
      changes.push(...r.value.changes);
      done += 1;
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
      ctx.log.error({ err: e, runId: run.id, skuId }, 'allocation run failed on a SKU; the SKUs before it are committed');
      break;
    }
    // Progress for whoever reads the run while it goes (every 250 SKUs, not a write per SKU).
    if (done % 250 === 0) await repo.updateRun(ctx.store.db, run.id, totals());
  }
  const finishedAt = ctx.clock.now().toISOString();
  const status = error === null ? 'committed' : 'failed';
  await repo.updateRun(ctx.store.db, run.id, { ...totals(), status, error, finished_at: finishedAt });
  return ok({
    id: run.id,
    strategy: run.strategy,
    status,
    requestedBy: run.requested_by,
    trigger: req.trigger,
    startedAt: run.started_at,
    finishedAt,
    skus: skuIds.length,
    backorders,
    changes,
    ...summarise(changes),
    error,
  });
}

const rowTotals = (s: ReturnType<typeof summarise>) => ({ units_gained: s.unitsGained, units_lost: s.unitsLost, customers_affected: s.customersAffected });
