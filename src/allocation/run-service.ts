/**
 * Processing runs: re-allocate the open backorders of some SKUs (or all) under a strategy. A dry run reads the
 * state once, plans every SKU with the pure planner (run-plan.ts, run-strategies.ts) and returns the diff: which
 * backorders gain or lose units where, and which customers are affected. It writes nothing.
 */
import type { Store, Tx } from '../db/connect.js';
import type { AppContext } from '../main/context.js';
import { groupBy } from '../shared/group.js';
import { allFound, fail, ok, type Result } from '../shared/result.js';
import { byText, diffRun, type RunDemand, type RunDiffRow, type RunPlan, type RunStrategy, type RunSupply } from './run-plan.js';
import * as repo from './run-repository.js';
import { strategyFor, type StrategyRequest } from './run-strategies.js';
import type { WaitingDemand } from './strategies.js';
import { projectQueues, today, type PromiseMap } from '../promising/service.js';
import { addDays } from '../promising/domain.js';
import type { TransferRow } from '../purchasing/repository.js';
import { planTransfers, withTransferredUnits, type PlannedTransfer } from './run-transfers.js';

export interface RunRequest {
  /** The SKUs to re-allocate; all SKUs with open backorders when left out. */
  skuIds?: string[] | undefined;
  strategy: StrategyRequest;
  /** Move stock the plan leaves free to pinned demand short elsewhere (run-transfers.ts); off when left out. */
  transfers?: { transitDays: number } | undefined;
}

/** A run as the API and the schedule state it: the strategy's name, categories' segments, SKUs, transfers. */
export interface RunBody {
  strategy: string;
  categories?: unknown;
  skuIds?: string[] | undefined;
  transfers?: { transitDays: number } | undefined;
}

/** The request a run body makes; strategy categories without its segments is a validation failure. */
export function runRequestOf(body: RunBody): Result<RunRequest> {
  const { strategy, categories, skuIds, transfers } = body;
  if (strategy === 'categories' && categories === undefined) return fail('validation_failed', 'strategy categories needs its segments in categories', { field: 'categories' });
  return ok({ strategy: strategy === 'categories' ? { name: strategy, categories } : { name: strategy }, skuIds, transfers });
}

/** A transfer a run makes (or would make): for one backorder, from where stock is left free to where it waits. */
export interface RunTransfer extends PlannedTransfer {
  skuId: string;
  /** The day the units land. */
  arrival: string;
  /** The transfer's id once committed; null in a dry run. */
  transferId: string | null;
}

export interface RunChange extends RunDiffRow {
  skuId: string;
  /** The backorder's position in the strategy's order for its SKU, of `competing` demands ranked. */
  rank: number;
  competing: number;
  /** Why the backorder holds what the plan gives it (the strategy's words). */
  reason: string;
}

/** A change with the backorder's promise before the run and after it. */
export interface DatedChange extends RunChange {
  /** The promise the customer holds now. */
  promisedBefore: string | null;
  /** The projected date of what still waits after the run; null when the run allocates all it owes. */
  promisedAfter: string | null;
}

export interface DryRun {
  strategy: string;
  skus: number;
  backorders: number;
  /** Backorder x warehouse pairs whose allocation changes. */
  changes: DatedChange[];
  /** Backorders whose allocation stays but whose promise date the run moves. */
  promiseMoves: PromiseMove[];
  transfers: RunTransfer[];
  /** Units that move: the sum of the gains (equal to the losses plus newly allocated free stock). */
  unitsGained: number;
  unitsLost: number;
  /** Customers with an allocation change or a moved promise. */
  customersAffected: number;
}

export type RunInputs = Map<string, { supply: RunSupply[]; demand: RunDemand[] }>;

/** The run's input per SKU, read inside `tx` (one snapshot), and the backorder rows it came from (the commit needs them). */
export async function readRunInputs(
  store: Store,
  tx: Tx,
  skuIds: readonly string[] | null,
  withOrderValues: boolean,
  now: number,
): Promise<{ bySku: RunInputs; open: repo.OpenBackorderRow[] }> {
  const open = await repo.openBackorders(store, tx, skuIds);
  const allocations = await repo.backorderAllocations(tx, skuIds);
  const stock = await repo.freeStock(tx, skuIds === null ? [...new Set(open.map((b) => b.skuId))] : skuIds);
  // Only segment rules read an order's value; reading it costs a join over every line of every order.
  const values = withOrderValues ? await repo.orderValues(tx, [...new Set(open.map((b) => b.orderId))]) : new Map<string, number>();
  const allocatedBy = groupBy(allocations, (a) => a.backorderId);
  const out: RunInputs = new Map();
  const entry = (skuId: string) => {
    let e = out.get(skuId);
    if (!e) out.set(skuId, (e = { supply: [], demand: [] }));
    return e;
  };
  for (const b of open) {
    entry(b.skuId).demand.push({
      backorderId: b.id,
      orderId: b.orderId,
      customerId: b.customerId,
      placedAt: b.placedAt,
      customerTier: b.tier,
      promisedDate: b.promisedDate,
      owed: Number(b.owed),
      allocated: (allocatedBy.get(b.id) ?? []).map((a) => ({ warehouseId: a.warehouseId, quantity: a.quantity })),
      warehouseId: b.warehouseId,
      flexible: b.flexible === 1,
      channel: null,
      orderValueMinor: values.get(b.orderId) ?? 0,
      // Only segment rules read an order's age; parsing 100,000 timestamps is a tenth of a large dry run.
      ageDays: withOrderValues ? Math.max(0, Math.floor((now - Date.parse(b.placedAt)) / 86_400_000)) : 0,
    });
  }
  for (const s of stock) if (out.has(s.skuId)) entry(s.skuId).supply.push({ warehouseId: s.warehouseId, free: Math.max(0, Number(s.free)) });
  return { bySku: out, open };
}

/** A checked request: its strategy and the SKUs it names (null: every SKU with open backorders). */
export interface ResolvedRun {
  strategy: RunStrategy;
  skuIds: string[] | null;
  /** Segment rules may read order values and ages; reading them costs a join, so only categories does. */
  withOrderValues: boolean;
  /** With transfers: how long they take and the day they land. */
  transit: { days: number; arrival: string } | null;
}

/** Checks the strategy (and its configuration) and that every SKU named exists. */
export async function resolveRun(ctx: AppContext, req: RunRequest): Promise<Result<ResolvedRun>> {
  const strategy = strategyFor(req.strategy);
  if (!strategy.ok) return strategy;
  const skuIds = req.skuIds ? [...new Set(req.skuIds)] : null;
  if (skuIds !== null) {
    const found = (await ctx.store.db.selectFrom('sku').select('id').where('id', 'in', skuIds.length > 0 ? skuIds : ['']).execute()).map((k) => k.id);
    const known = allFound(skuIds, new Set(found), 'SKU', 'skuIds');
    if (!known.ok) return known;
  }
  const transit = req.transfers ? { days: req.transfers.transitDays, arrival: addDays(today(ctx), req.transfers.transitDays) } : null;
  return ok({ strategy: strategy.value, skuIds, withOrderValues: req.strategy.name === 'categories', transit });
}

/**
 * One SKU's plan and the allocations it changes, each with the strategy's rank and reason; with `transit`, also the
 * transfers of stock the plan leaves free (immediate ones allocate their units at the destination).
 */
export function planSku(
  strategy: RunStrategy,
  skuId: string,
  supply: readonly RunSupply[],
  demand: readonly RunDemand[],
  transit: ResolvedRun['transit'] = null,
): { plan: RunPlan; changes: RunChange[]; transfers: RunTransfer[] } {
  const base = strategy.plan(supply, demand);
  const moves = transit ? planTransfers(supply, demand, base, transit) : [];
  const plan = transit?.days === 0 ? withTransferredUnits(base, moves) : base;
  const transfers = moves.map((t) => ({ ...t, skuId, arrival: transit!.arrival, transferId: null }));
  // Every demand has its place in the plan, those that end with nothing too.
  const placed = new Map(plan.demands.map((p) => [p.backorderId, p]));
  const changes: RunChange[] = [];
  for (const d of diffRun(demand, plan)) {
    if (d.delta === 0) continue;
    const p = placed.get(d.backorderId)!;
    changes.push({ skuId, ...d, rank: p.rank, competing: plan.demands.length, reason: p.reason });
  }
  // In the strategy's order, whatever order the store returned the demand in.
  changes.sort((a, b) => a.rank - b.rank || byText(a.warehouseId, b.warehouseId));
  return { plan, changes, transfers };
}

/** What still waits of each demand after the plan, as the promise projection takes it (nothing for those served). */
export function plannedQueue(demand: readonly RunDemand[], plan: RunPlan): WaitingDemand[] {
  const planned = new Map(plan.demands.map((p) => [p.backorderId, p.planned]));
  return demand
    .map((d) => ({ backorderId: d.backorderId, orderId: d.orderId, placedAt: d.placedAt, customerTier: d.customerTier, warehouseId: d.warehouseId, flexible: d.flexible, waiting: d.owed - planned.get(d.backorderId)! }))
    .filter((w) => w.waiting > 0);
}

/** The changes with each backorder's promise before and the projected one after (null when nothing waits). */
export function withPromises(changes: readonly RunChange[], demand: ReadonlyMap<string, RunDemand>, promises: PromiseMap): DatedChange[] {
  return changes.map((c) => ({ ...c, promisedBefore: demand.get(c.backorderId)?.promisedDate ?? null, promisedAfter: promises.get(c.backorderId)?.date ?? null }));
}

/** A run's transfer as the transfer table holds it (in transit until it lands, or arrived at once). */
export function transferRowOf(t: RunTransfer, id: string, now: string): TransferRow {
  const immediate = t.arrival === now.slice(0, 10);
  return {
    id,
    sku_id: t.skuId,
    from_warehouse_id: t.fromWarehouseId,
    to_warehouse_id: t.toWarehouseId,
    quantity: t.quantity,
    status: immediate ? 'arrived' : 'in_transit',
    shipped_at: now,
    expected_arrival: t.arrival,
    arrived_at: immediate ? now : null,
  };
}

/** A backorder whose allocation the run leaves alone but whose promise it moves (the queue ahead of it changed). */
export interface PromiseMove {
  skuId: string;
  backorderId: string;
  orderId: string;
  customerId: string;
  from: string | null;
  to: string | null;
}

/**
 * The promise moves of the backorders of re-projected SKUs that have no allocation change: the promise held now
 * against the one projected after the run (only those that still wait have one).
 */
export function promiseMoves(skus: Iterable<readonly [string, readonly RunDemand[]]>, changes: readonly RunChange[], promises: PromiseMap): PromiseMove[] {
  const changed = new Set(changes.map((c) => c.backorderId));
  const out: PromiseMove[] = [];
  for (const [skuId, demand] of skus) {
    for (const d of demand) {
      const after = promises.get(d.backorderId);
      if (changed.has(d.backorderId) || after === undefined || after.date === d.promisedDate) continue;
      out.push({ skuId, backorderId: d.backorderId, orderId: d.orderId, customerId: d.customerId, from: d.promisedDate, to: after.date });
    }
  }
  return out;
}

/** The totals of a list of changes. */
export function summarise(changes: readonly RunChange[], moves: readonly PromiseMove[] = []): Pick<DryRun, 'unitsGained' | 'unitsLost' | 'customersAffected'> {
  return {
    unitsGained: changes.reduce((s, c) => s + Math.max(0, c.delta), 0),
    unitsLost: changes.reduce((s, c) => s + Math.max(0, -c.delta), 0),
    customersAffected: new Set([...changes, ...moves].map((c) => c.customerId)).size,
  };
}

/** Plans the run and returns what would change, without changing anything. */
export async function dryRun(ctx: AppContext, req: RunRequest): Promise<Result<DryRun>> {
  const resolved = await resolveRun(ctx, req);
  if (!resolved.ok) return resolved;
  const { strategy, skuIds, withOrderValues, transit } = resolved.value;
  const now = ctx.clock.now().getTime();
  // One read transaction: the plan and the promises it projects see the same snapshot.
  return ctx.store.transaction(async (tx) => {
    const { bySku } = await readRunInputs(ctx.store, tx, skuIds, withOrderValues, now);
    const changes: RunChange[] = [];
    const transfers: RunTransfer[] = [];
    const demandOf = new Map<string, RunDemand>();
    const queues = new Map<string, WaitingDemand[]>();
    let backorders = 0;
    for (const [skuId, { supply, demand }] of [...bySku].sort((a, b) => byText(a[0], b[0]))) {
      backorders += demand.length;
      const { plan, changes: planned, transfers: moved } = planSku(strategy, skuId, supply, demand, transit);
      if (planned.length === 0 && moved.length === 0) continue;
      changes.push(...planned);
      transfers.push(...moved);
      for (const d of demand) demandOf.set(d.backorderId, d);
      queues.set(skuId, plannedQueue(demand, plan));
    }
    // Transfers in transit are inbound supply: the promises see them as they would once committed.
    const inTransit = transit !== null && transit.days > 0 ? transfers.map((t, k) => transferRowOf(t, `planned-${k + 1}`, ctx.clock.now().toISOString())) : [];
    const promises = await projectQueues(ctx, tx, queues, inTransit);
    const dated = withPromises(changes, demandOf, promises);
    const moves = promiseMoves([...queues.keys()].map((k) => [k, bySku.get(k)!.demand] as const), changes, promises);
    return ok({ strategy: strategy.name, skus: bySku.size, backorders, changes: dated, promiseMoves: moves, transfers, ...summarise(dated, moves) });
  });
}
