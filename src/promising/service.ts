/**
 * Re-promising: whenever supply or the queue changes for some SKUs (an order, a receipt, an ETA change, a
 * cancellation, a transfer, an adjustment), every waiting backorder of those SKUs is projected again inside the
 * same transaction; each whose date moves gets a `backorder.promise_changed` event with old and new date and cause.
 */
import { recordFacts } from '../communication/record.js';
import { groupBy } from '../shared/group.js';
import type { PartialFact } from '../communication/facts.js';
import type { Tx } from '../db/connect.js';
import type { AppContext } from '../main/context.js';
import { currentStrategy } from '../allocation/settings.js';
import * as backorders from '../backorders/repository.js';
import * as purchasing from '../purchasing/repository.js';
import type { TransferRow } from '../purchasing/repository.js';
import { project, type Promise as ProjectedPromise, type SupplyLot } from './domain.js';
import type { AllocationStrategy, WaitingDemand } from '../allocation/strategies.js';
import { leadTimeFallback, poLot, transferLot, type SupplyInputs } from './supply.js';
import { statsOf } from './history.js';
import { supplierHistories } from '../purchasing/receipt-samples.js';
import { promiseQuantile, type PromiseSettings } from './settings.js';
import { storedPromise } from './stored.js';
import { consume, fallbackOf, lotsOf, takeSnapshot, type Snapshot } from './snapshot.js';
import * as repo from './repository.js';

export type PromiseCause =
  | 'new_order' | 'receipt' | 'adjustment' | 'transfer' | 'order_cancelled' | 'po_placed' | 'eta_changed'
  | 'po_receipt' | 'po_cancelled' | 'strategy_changed' | 'supplier_changed' | 'manual' | 'allocation_run' | 'refresh';

export const today = (ctx: AppContext): string => ctx.clock.now().toISOString().slice(0, 10);

/** Everything the projection needs for some SKUs, loaded once. */
export interface SupplyPicture {
  inputs: SupplyInputs;
  lots: Map<string, SupplyLot[]>;
  items: Map<string, purchasing.SupplierItemRow[]>;
  supplierDefaults: Map<string, number>;
}

export async function loadSupply(ctx: AppContext, tx: Tx, skuIds: readonly string[] | 'all', quantileRead?: number): Promise<SupplyPicture> {
  const lines = await purchasing.inboundLines(tx, skuIds);
  const transfers = await purchasing.transfersInTransit(tx, skuIds);
  const items = skuIds === 'all' ? await purchasing.supplierItems(tx, {}) : await purchasing.supplierItems(tx, { skuIds });
  const supplierIds = [...new Set([...items.map((i) => i.supplier_id), ...lines.map((l) => l.supplier_id)])];
  const histories = await supplierHistories(ctx.store, tx, supplierIds);
  const suppliers = supplierIds.length === 0 ? [] : await tx.selectFrom('supplier').select(['id', 'default_lead_time_days']).where('id', 'in', supplierIds).execute();
  const q = quantileRead ?? (await promiseQuantile(tx));
  const inputs: SupplyInputs = { today: today(ctx), quantile: q, history: statsOf(histories, q) };
  const lots = [...lines.map((l) => ({ sku: l.sku_id, lot: poLot(l, inputs) })), ...transfers.map((t) => ({ sku: t.sku_id, lot: transferLot(t, inputs) }))];
  return {
    inputs,
    lots: new Map([...groupBy(lots, (l) => l.sku)].map(([k, v]) => [k, v.map((x) => x.lot)])),
    items: groupBy(items, (i) => i.sku_id),
    supplierDefaults: new Map(suppliers.map((s) => [s.id, s.default_lead_time_days])),
  };
}



/** One SKU's demand in strategy order, projected against its supply; promises come back in queue order. */
function projectSku(skuId: string, demands: WaitingDemand[], supply: SupplyPicture, strategy: AllocationStrategy): ProjectedPromise[] {
  return project([...demands].sort(strategy.compare), supply.lots.get(skuId) ?? [], fallbackFor(skuId, supply));
}

/**
 * The promises that demand not yet placed would get (a quote): it joins the SKU's queue where the strategy puts it
 * and is projected with everything already waiting. Reads only.
 */
export async function promisesForNew(ctx: AppContext, tx: Tx, skuId: string, extra: readonly WaitingDemand[]): Promise<ProjectedPromise[]> {
  const strategy = await currentStrategy(tx);
  const snapshot = strategy.name === 'fifo' ? (await repo.projectionSnapshots(tx, [skuId])).get(skuId) : undefined;
  if (snapshot) return project(extra, lotsOf(snapshot, today(ctx)), fallbackOf(snapshot, today(ctx)));
  const supply = await loadSupply(ctx, tx, [skuId]);
  const queue = await repo.waitingQueue(ctx.store, tx, [skuId], strategy.name !== 'fifo');
  const ids = new Set(extra.map((d) => d.backorderId));
  return projectSku(skuId, [...queue, ...extra], supply, strategy).filter((p) => ids.has(p.backorderId));
}

const fallbackFor = (skuId: string, supply: SupplyPicture) => leadTimeFallback(supply.items.get(skuId) ?? [], supply.supplierDefaults, supply.inputs);

/**
 * The promises waiting demand would get (a processing run's dry run: the queues as the plan would leave them),
 * projected against the SKUs' supply under the strategy in force. Reads only.
 */
export async function projectQueues(ctx: AppContext, tx: Tx, queues: ReadonlyMap<string, WaitingDemand[]>, plannedTransfers: readonly TransferRow[] = []): Promise<PromiseMap> {
  const promises: PromiseMap = new Map();
  if (queues.size === 0) return promises;
  const strategy = await currentStrategy(tx);
  const supply = await loadSupply(ctx, tx, [...queues.keys()]);
  // Transfers a dry run would make are supply too, as they will be once made.
  for (const t of plannedTransfers) supply.lots.set(t.sku_id, [...(supply.lots.get(t.sku_id) ?? []), transferLot(t, supply.inputs)]);
  for (const [skuId, demands] of queues) for (const p of projectSku(skuId, demands, supply, strategy)) promises.set(p.backorderId, p);
  return promises;
}

/** What repromise worked out for each backorder it projected. */
export type PromiseMap = Map<string, ProjectedPromise>;

/**
 * Writes the promises that differ from what is stored; a moved date (or a first one) is also an event with the
 * old and new date and the cause. Returns how many dates moved.
 */
async function recordPromises(
  ctx: AppContext,
  tx: Tx,
  rows: ReadonlyMap<string, Pick<repo.QueuedBackorder, 'backorderId' | 'orderId' | 'customerId' | 'skuId' | 'waiting' | 'promisedDate' | 'promiseKey'>>,
  promises: readonly ProjectedPromise[],
  cause: PromiseCause,
): Promise<number> {
  const now = ctx.clock.now().toISOString();
  const events: backorders.BackorderEventRow[] = [];
  const facts: PartialFact[] = [];
  const writes: repo.PromiseWrite[] = [];
  for (const p of promises) {
    const row = rows.get(p.backorderId);
    if (!row) continue;
    const stored = storedPromise(p);
    if (row.promiseKey === stored.promise_key) continue;
    const confidence = stored.promise_confidence;
    const dateMoved = row.promisedDate !== p.date;
    const { first_promised_date: _first, ...write } = stored;
    writes.push({ id: row.backorderId, ...write });
    if (!dateMoved) continue;
    const first = row.promisedDate === null;
    const type = first ? 'backorder.promised' : 'backorder.promise_changed';
    const data = first
      ? { date: p.date, confidence, confirmed: p.confirmed, basis: p.basis, cause, waiting: row.waiting }
      : { from: row.promisedDate, to: p.date, confidence, confirmed: p.confirmed, basis: p.basis, cause, waiting: row.waiting };
    const id = ctx.ids.next('bev');
    events.push({ id, backorder_id: row.backorderId, type, data: JSON.stringify(data), created_at: now });
    facts.push({ id, type, at: now, backorderId: row.backorderId, orderId: row.orderId, customerId: row.customerId, skuId: row.skuId, data });
  }
  await repo.writePromises(tx, writes);
  // A supplier-wide delay moves thousands of dates: the store's bulk path, not the query builder.
  const eventColumns = ['id', 'backorder_id', 'type', 'data', 'created_at'] as const;
  await ctx.store.insertRows(tx, { table: 'backorder_event', columns: eventColumns }, events.map((e) => eventColumns.map((c) => e[c])));
  await recordFacts(ctx, tx, facts);
  return events.length;
}

/** Projects every waiting backorder of the SKUs again and records each change; returns how many promises moved. */
export async function repromise(ctx: AppContext, tx: Tx, skuIds: readonly string[] | 'all', cause: PromiseCause): Promise<number> {
  return (await repromiseWithResult(ctx, tx, skuIds, cause)).moved;
}

/**
 * Re-projects whole SKUs and stores, per SKU, what its lots have left after the queue (see promisesForCreation).
 * A SKU with nothing waiting keeps no stored projection: the next order re-projects it (cheaply, its queue is new).
 */
export async function repromiseWithResult(
  ctx: AppContext,
  tx: Tx,
  skuIds: readonly string[] | 'all',
  cause: PromiseCause,
  settingsRead?: PromiseSettings,
): Promise<{ moved: number; promises: PromiseMap }> {
  const strategy = settingsRead?.strategy ?? (await currentStrategy(tx));
  const queue = await repo.waitingQueue(ctx.store, tx, skuIds, strategy.name !== 'fifo');
  const promises: PromiseMap = new Map();
  const bySku = groupBy(queue, (b) => b.skuId);
  await repo.dropProjections(tx, skuIds === 'all' ? 'idle' : skuIds.filter((k) => !bySku.has(k)));
  if (queue.length === 0) return { moved: 0, promises };
  // 'all' stays 'all' down to the queries: a list of every SKU could pass the engines' limit on bound parameters.
  const supply = await loadSupply(ctx, tx, skuIds === 'all' ? 'all' : [...bySku.keys()], settingsRead?.quantile);
  const snapshots = new Map<string, Snapshot>();
  for (const [skuId, rows] of bySku) {
    const projected = projectSku(skuId, rows, supply, strategy);
    for (const p of projected) promises.set(p.backorderId, p);
    snapshots.set(skuId, takeSnapshot(supply.lots.get(skuId) ?? [], projected, fallbackFor(skuId, supply)));
  }
  await repo.saveProjectionSnapshots(tx, snapshots, ctx.clock.now().toISOString());
  const moved = await recordPromises(ctx, tx, new Map(queue.map((r) => [r.backorderId, r])), [...promises.values()], cause);
  return { moved, promises };
}

export interface NewBackorder {
  id: string;
  sku_id: string;
  waiting: number;
  warehouse_id: string;
  flexible: boolean;
}

/** The promises of backorders about to be created, and the SKUs whose whole queue must be re-projected instead. */
export interface NewPromises {
  ready: PromiseMap;
  /** SKUs where a new backorder may overtake others or competes with pinned ones: re-project after inserting. */
  reprojectSkus: string[];
  /** The stored remainders after the new backorders took their part: the caller writes them with its rows. */
  remainders: { sku_id: string; remaining: string; updated_at: string }[];
}

/** What promising an order's new backorders reads, read by intake under its SKU locks (see planOrder). */
export interface PromisingInputs {
  settings: PromiseSettings;
  /**
   * The stored projection of each of the order's SKUs that has one; null: not read yet (SQLite, where a read costs
   * no round trip, reads only the SKUs that get backorders).
   */
  snapshots: ReadonlyMap<string, Snapshot> | null;
}

/**
 * Promises for backorders an order is about to create, before they are written. Under FIFO they join the end of
 * their SKU's queue, so nothing ahead of them moves, and what the queue ahead leaves of each lot is stored from the
 * last projection: the new backorders are projected against that alone, whatever the length of the queue, and the
 * stored remainder shrinks by what they take. Without a stored projection, or under another strategy (a new order
 * may overtake others), the SKU is re-projected in full once the rows exist.
 */
export async function promisesForCreation(ctx: AppContext, tx: Tx, inputs: PromisingInputs, created: readonly NewBackorder[]): Promise<NewPromises> {
  const skuIds = [...new Set(created.map((b) => b.sku_id))];
  if (inputs.settings.strategy.name !== 'fifo') return { ready: new Map(), reprojectSkus: skuIds, remainders: [] };
  const snapshots = inputs.snapshots ?? (await repo.projectionSnapshots(tx, skuIds));
  const ready: PromiseMap = new Map();
  const reprojectSkus: string[] = [];
  const now = ctx.clock.now().toISOString();
  const day = today(ctx);
  const remainders: NewPromises['remainders'] = [];
  for (const skuId of skuIds) {
    const snapshot = snapshots.get(skuId);
    if (!snapshot) {
      reprojectSkus.push(skuId);
      continue;
    }
    const mine = created.filter((b) => b.sku_id === skuId).map((b) => ({ backorderId: b.id, waiting: b.waiting, warehouseId: b.warehouse_id, flexible: b.flexible }));
    const projected = project(mine, lotsOf(snapshot, day), fallbackOf(snapshot, day));
    for (const p of projected) ready.set(p.backorderId, p);
    remainders.push({ sku_id: skuId, remaining: JSON.stringify(consume(snapshot, projected)), updated_at: now });
  }
  return { ready, reprojectSkus, remainders };
}

/** Re-projects whole SKUs after new backorders were written (see promisesForCreation); returns every promise. */
export async function reprojectAfterCreation(ctx: AppContext, tx: Tx, skuIds: readonly string[], settings: PromiseSettings): Promise<PromiseMap> {
  return skuIds.length === 0 ? new Map() : (await repromiseWithResult(ctx, tx, skuIds, 'new_order', settings)).promises;
}


/** After a global change (strategy, promise quantile): locks every SKU, then re-promises everything. */
export async function repromiseAll(ctx: AppContext, tx: Tx, cause: PromiseCause): Promise<number> {
  const skus = await tx.selectFrom('sku').select('id').execute();
  await ctx.store.lockSkus(tx, skus.map((s) => s.id));
  return repromise(ctx, tx, 'all', cause);
}

/** Units arriving by `untilDay` (inclusive) per SKU from open POs and transfers in transit, as promised (shifted). */
export async function inboundWithin(ctx: AppContext, tx: Tx, skuIds: readonly string[], untilDay: (skuId: string) => string): Promise<Map<string, number>> {
  const supply = await loadSupply(ctx, tx, skuIds);
  const out = new Map<string, number>();
  for (const skuId of skuIds) {
    const lots = supply.lots.get(skuId) ?? [];
    out.set(skuId, lots.filter((l) => l.date <= untilDay(skuId)).reduce((s, l) => s + l.quantity, 0));
  }
  return out;
}
