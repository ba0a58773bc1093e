/**
 * Committing a processing run: each SKU is planned again and applied in one transaction (of its own on PostgreSQL,
 * see groupSkus), under the SKU's lock, from the state read under that lock, so a commit over a quiet catalogue equals its dry run and a
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
import * as orders from '../orders/repository.js';
import {
  planSku, promiseMoves, readRunInputs, resolveRun, summarise, transferRowOf, withPromises, type DatedChange, type DryRun, type PromiseMove, type ResolvedRun, type RunChange, type RunRequest, type RunTransfer,
} from './run-service.js';
import { newMovement } from '../inventory/service.js';
import * as purchasing from '../purchasing/repository.js';
import type { RunDemand } from './run-plan.js';

export type RunTrigger = 'api' | 'schedule' | 'cli';

export interface CommitRequest extends RunRequest {
  /** Who asked: a person's or a key's name (free text until API keys carry identities). */
  requestedBy: string;
  trigger: RunTrigger;
  /** A scheduled run's day: at most one run per key, across every process. */
  scheduleKey?: string;
}

export interface CommittedRun extends DryRun {
  id: string;
  status: 'committed' | 'failed';
  requestedBy: string;
  trigger: RunTrigger;
  startedAt: string;
  finishedAt: string;
  error: string | null;
}

/** Open backorders per SKU (of `skuIds`, or every SKU with any), in SKU id order. */
async function openCounts(tx: Tx, skuIds: readonly string[] | null): Promise<Map<string, number>> {
  let q = tx
    .selectFrom('backorder')
    .select(['sku_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', 'in', ['open', 'partially_allocated', 'allocated'])
    .groupBy('sku_id')
    .orderBy('sku_id');
  if (skuIds !== null) q = q.where('sku_id', 'in', [...skuIds]);
  return new Map((await q.execute()).map((r) => [r.sku_id, Number(r.n)]));
}

/**
 * Applies the plans of some SKUs in `tx` (each SKU whole); returns per SKU the backorders it planned and the changes
 * it made, dated. Reads and writes go by the whole group, a few statements each, whatever its size.
 */
async function commitSkus(
  ctx: AppContext,
  tx: Tx,
  runId: string,
  resolved: ResolvedRun,
  skuIds: readonly string[],
): Promise<Result<{ backorders: number; changes: DatedChange[]; promiseMoves: PromiseMove[]; transfers: RunTransfer[] }>> {
  const { strategy, withOrderValues, transit } = resolved;
  await ctx.store.lockSkus(tx, skuIds);
  const nowDate = ctx.clock.now();
  const now = nowDate.toISOString();
  const { bySku, open } = await readRunInputs(ctx.store, tx, skuIds, withOrderValues, nowDate.getTime());
  const rows = new Map(open.map((b) => [b.id, b]));
  let backorders = 0;
  const changes: RunChange[] = [];
  const transfers: RunTransfer[] = [];
  const demandOf = new Map<string, RunDemand>();
  for (const skuId of skuIds) {
    const input = bySku.get(skuId);
    if (!input) continue;
    backorders += input.demand.length;
    for (const d of input.demand) demandOf.set(d.backorderId, d);
    const planned = planSku(strategy, skuId, input.supply, input.demand, transit);
    changes.push(...planned.changes);
    transfers.push(...planned.transfers);
  }
  if (changes.length === 0 && transfers.length === 0) return ok({ backorders, changes: [], promiseMoves: [], transfers: [] });

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
  if (!(await orders.drawAllocations(tx, draws, 'released'))) throw new RetryableConflict('an allocation changed during the run');
  const allocationColumns = ['id', 'order_id', 'order_line_id', 'backorder_id', 'sku_id', 'warehouse_id', 'quantity', 'shipped', 'released', 'created_at'] as const;
  await ctx.store.insertRows(
    tx,
    { table: 'allocation', columns: allocationColumns },
    changes.filter((c) => c.delta > 0).map((c) => [ctx.ids.next('alc'), c.orderId, rows.get(c.backorderId)!.orderLineId, c.backorderId, c.skuId, c.warehouseId, c.delta, 0, 0, now]),
  );

  // Stock levels: what the run gives or takes back at each SKU x warehouse, net; what is given back first.
  const net = new Map<string, { skuId: string; warehouseId: string; units: number }>();
  for (const c of changes) {
    const key = `${c.skuId} ${c.warehouseId}`;
    const n = net.get(key) ?? { skuId: c.skuId, warehouseId: c.warehouseId, units: 0 };
    n.units += c.delta;
    net.set(key, n);
  }
  const levels = [...net.values()];
  for (const n of levels.filter((l) => l.units < 0)) {
    if (!(await stock.release(tx, n.skuId, n.warehouseId, -n.units, now))) throw new RetryableConflict(`stock of ${n.skuId} at ${n.warehouseId} changed during the run`);
  }
  // Transfers move only what the plan left free, so the source has the units even before the run takes its own.
  const made = await makeTransfers(ctx, tx, transfers, now);
  const taking = levels.filter((l) => l.units > 0).map((l) => ({ skuId: l.skuId, warehouseId: l.warehouseId, quantity: l.units }));
  if (!(await stock.reserveMany(tx, taking, now))) throw new RetryableConflict('stock changed during the run');

  // Order lines and backorders, with an event each.
  const byBackorder = [...groupBy(changes, (c) => c.backorderId)];
  const netOf = (cs: readonly RunChange[]) => cs.reduce((s, c) => s + c.delta, 0);
  const lineDeltas = new Map<string, number>();
  for (const [id, cs] of byBackorder) {
    const line = rows.get(id)!.orderLineId;
    lineDeltas.set(line, (lineDeltas.get(line) ?? 0) + netOf(cs));
  }
  await repo.adjustLinesAllocated(tx, lineDeltas);
  const changed = await reallocateBackorders(
    ctx,
    tx,
    byBackorder.map(([id, cs]) => {
      const r = rows.get(id)!;
      const first = cs[0]!;
      return {
        row: { id, order_id: r.orderId, customer_id: r.customerId, sku_id: r.skuId, status: r.status, quantity: r.quantity, allocated: r.allocated, fulfilled: r.fulfilled, cancelled: r.cancelled },
        delta: netOf(cs),
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
  const unreadied = byBackorder.filter(([id, cs]) => rows.get(id)!.status === 'allocated' && netOf(cs) < 0).map(([id]) => id);
  await repo.restartPromises(tx, unreadied, now.slice(0, 10));
  const changedSkus = [...new Set([...changes, ...transfers].map((c) => c.skuId))];
  const { promises } = await repromiseWithResult(ctx, tx, changedSkus, 'allocation_run');
  const dated = withPromises(changes, demandOf, promises);
  const moves = promiseMoves(changedSkus.map((k) => [k, bySku.get(k)!.demand] as const), changes, promises);
  const changeColumns = ['run_id', 'sku_id', 'backorder_id', 'order_id', 'customer_id', 'warehouse_id', 'before', 'after', 'rank', 'competing', 'reason', 'promised_before', 'promised_after'] as const;
  await ctx.store.insertRows(
    tx,
    { table: 'allocation_run_change', columns: changeColumns },
    dated.map((c) => [runId, c.skuId, c.backorderId, c.orderId, c.customerId, c.warehouseId, c.before, c.after, c.rank, c.competing, c.reason, c.promisedBefore, c.promisedAfter]),
  );
  return ok({ backorders, changes: dated, promiseMoves: moves, transfers: made });
}

/** Writes a run's transfers: stock out at the source, and in at the destination for those that land at once. */
async function makeTransfers(ctx: AppContext, tx: Tx, transfers: readonly RunTransfer[], now: string): Promise<RunTransfer[]> {
  const made: RunTransfer[] = [];
  for (const t of transfers) {
    const row = transferRowOf(t, ctx.ids.next('trf'), now);
    const extra = { reason: 'allocation run', sourceType: 'transfer', sourceId: row.id };
    if (!(await stock.removeAvailable(tx, t.skuId, t.fromWarehouseId, t.quantity, now))) throw new RetryableConflict(`stock of ${t.skuId} at ${t.fromWarehouseId} changed during the run`);
    const movements = [newMovement(ctx, 'transfer_out', t.skuId, t.fromWarehouseId, -t.quantity, extra)];
    await purchasing.insertTransfer(tx, row);
    if (row.status === 'arrived') {
      await stock.addOnHand(tx, t.skuId, t.toWarehouseId, t.quantity, now);
      movements.push(newMovement(ctx, 'transfer_in', t.skuId, t.toWarehouseId, t.quantity, extra));
    }
    await stock.insertMovements(tx, movements);
    made.push({ ...t, transferId: row.id });
  }
  return made;
}

/** Starts the run's record; a scheduled run whose day already has one is a conflict (nothing is written). */
async function startRun(ctx: AppContext, req: CommitRequest, strategyName: string, skus: number): Promise<Result<repo.RunRow>> {
  const row: repo.RunRow = {
    id: ctx.ids.next('run'),
    strategy: strategyName,
    config: req.strategy.name === 'categories' ? JSON.stringify(req.strategy.categories) : null,
    sku_ids: req.skuIds ? JSON.stringify([...new Set(req.skuIds)]) : null,
    transit_days: req.transfers?.transitDays ?? null,
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
    transfers: '[]',
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

/**
 * How SKUs are grouped into transactions. PostgreSQL: one SKU each, so a run holds each SKU's lock only while it
 * applies that SKU and intake on the others goes on. SQLite has one writer for the whole database whatever a
 * transaction holds, so per-SKU transactions buy no concurrency there, and most of a commit's cost is writing the
 * pages it dirtied to the WAL: a run's changes are scattered over the backorder table and its indexes, and pages
 * shared by the backorders of one transaction are written once. So SQLite groups SKUs until a group holds about
 * 20,000 open backorders. Measured on the 100,000-backorder benchmark (2-core VM), by SKUs per transaction: 25:
 * 15.5 s, 100: 12.6 s, 500: 9.4-10.3 s, 1,000 (20,000 backorders): 8.5 s, each such transaction holding the write
 * lock for up to a second or two, which other writers wait out (busy_timeout). Each SKU is still all or nothing: a
 * transaction never splits one.
 */
export function groupSkus(counts: ReadonlyMap<string, number>, dialect: 'sqlite' | 'postgres', backordersPerGroup = 20_000): string[][] {
  const groups: string[][] = [];
  let open = 0;
  for (const [skuId, n] of counts) {
    const last = groups.at(-1);
    if (dialect === 'sqlite' && last && open + n <= backordersPerGroup) {
      last.push(skuId);
      open += n;
    } else {
      groups.push([skuId]);
      open = n;
    }
  }
  return groups;
}

/** Plans and applies a run SKU by SKU, recording it; returns what it changed. */
export async function commitRun(ctx: AppContext, req: CommitRequest): Promise<Result<CommittedRun>> {
  const resolved = await resolveRun(ctx, req);
  if (!resolved.ok) return resolved;
  const counts = await openCounts(ctx.store.db, resolved.value.skuIds);
  // SKUs named without open backorders are part of the run too (they have nothing to change).
  for (const skuId of resolved.value.skuIds ?? []) if (!counts.has(skuId)) counts.set(skuId, 0);
  const skuIds = [...counts.keys()].sort(byText);
  const groups = groupSkus(new Map(skuIds.map((k) => [k, counts.get(k)!])), ctx.store.dialect);
  const started = await startRun(ctx, req, resolved.value.strategy.name, skuIds.length);
  if (!started.ok) return started;
  const run = started.value;
  const changes: DatedChange[] = [];
  const moves: PromiseMove[] = [];
  const transfers: RunTransfer[] = [];
  let backorders = 0;
  let done = 0;
  let error: string | null = null;
  const totals = () => ({ skus_done: done, backorders, changes: changes.length, ...rowTotals(summarise(changes, moves)) });
  for (const group of groups) {
    try {
      const r = await ctx.store.transaction((tx) => commitSkus(ctx, tx, run.id, resolved.value, group));
      if (!r.ok) throw new Error(`${group.length === 1 ? group[0] : `SKUs ${group[0]}..${group.at(-1)}`}: ${r.error.message}`);
      backorders += r.value.backorders;
      changes.push(...r.value.changes);
      moves.push(...r.value.promiseMoves);
      transfers.push(...r.value.transfers);
      done += group.length;
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
      ctx.log.error({ err: e, runId: run.id, skus: group }, 'allocation run failed; the SKUs before these are committed');
      break;
    }
    // Progress for whoever reads the run while it goes (every 250 SKUs or so, not a write per SKU).
    if (Math.floor(done / 250) !== Math.floor((done - group.length) / 250)) await repo.updateRun(ctx.store.db, run.id, totals());
  }
  const finishedAt = ctx.clock.now().toISOString();
  const status = error === null ? 'committed' : 'failed';
  await repo.updateRun(ctx.store.db, run.id, { ...totals(), transfers: JSON.stringify(transfers), status, error, finished_at: finishedAt });
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
    promiseMoves: moves,
    transfers,
    ...summarise(changes, moves),
    error,
  });
}

const rowTotals = (s: ReturnType<typeof summarise>) => ({ units_gained: s.unitsGained, units_lost: s.unitsLost, customers_affected: s.customersAffected });
