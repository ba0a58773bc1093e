/**
 * Processing runs: re-allocate the open backorders of some SKUs (or all) under a strategy. A dry run reads the
 * state once, plans every SKU with the pure planner (run-plan.ts, run-strategies.ts) and returns the diff: which
 * backorders gain or lose units where, and which customers are affected. It writes nothing.
 */
import type { AppContext } from '../main/context.js';
import { groupBy } from '../shared/group.js';
import { fail, ok, type Result } from '../shared/result.js';
import { diffRun, type RunDemand, type RunDiffRow, type RunSupply } from './run-plan.js';
import * as repo from './run-repository.js';
import { strategyFor, type StrategyRequest } from './run-strategies.js';

export interface RunRequest {
  /** The SKUs to re-allocate; all SKUs with open backorders when left out. */
  skuIds?: string[] | undefined;
  strategy: StrategyRequest;
}

export interface RunChange extends RunDiffRow {
  skuId: string;
  /** Why the backorder holds what the plan gives it (the strategy's words). */
  reason: string;
}

export interface DryRun {
  strategy: string;
  skus: number;
  backorders: number;
  /** Backorder x warehouse pairs whose allocation changes. */
  changes: RunChange[];
  /** Units that move: the sum of the gains (equal to the losses plus newly allocated free stock). */
  unitsGained: number;
  unitsLost: number;
  customersAffected: number;
}

/** The run's input per SKU, read in one snapshot. */
async function runInputs(ctx: AppContext, skuIds: readonly string[] | null, withOrderValues: boolean): Promise<Map<string, { supply: RunSupply[]; demand: RunDemand[] }>> {
  const read = await ctx.store.transaction(async (tx) => {
    const open = await repo.openBackorders(tx, skuIds);
    const allocations = await repo.backorderAllocations(tx, skuIds);
    const stock = await repo.freeStock(tx, skuIds === null ? [...new Set(open.map((b) => b.skuId))] : skuIds);
    // Only segment rules read an order's value; reading it costs a join over every line of every order.
    const values = withOrderValues ? await repo.orderValues(tx, [...new Set(open.map((b) => b.orderId))]) : new Map<string, number>();
    return ok({ open, allocations, stock, values });
  });
  if (!read.ok) throw new Error(read.error.message);
  const { open, allocations, stock, values } = read.value;
  const now = ctx.clock.now().getTime();
  const allocatedBy = groupBy(allocations, (a) => a.backorderId);
  const out = new Map<string, { supply: RunSupply[]; demand: RunDemand[] }>();
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
      ageDays: Math.max(0, Math.floor((now - Date.parse(b.placedAt)) / 86_400_000)),
    });
  }
  for (const s of stock) if (out.has(s.skuId)) entry(s.skuId).supply.push({ warehouseId: s.warehouseId, free: Math.max(0, Number(s.free)) });
  return out;
}

/** Plans the run and returns what would change, without changing anything. */
export async function dryRun(ctx: AppContext, req: RunRequest): Promise<Result<DryRun>> {
  const strategy = strategyFor(req.strategy);
  if (!strategy.ok) return strategy;
  const skuIds = req.skuIds ?? null;
  if (skuIds !== null) {
    const known = await ctx.store.db.selectFrom('sku').select('id').where('id', 'in', skuIds.length > 0 ? skuIds : ['']).execute();
    const missing = skuIds.filter((id) => !known.some((k) => k.id === id));
    if (missing.length > 0) return fail('not_found', `unknown SKU(s): ${missing.slice(0, 10).join(', ')}`, { field: 'skuIds', details: { missing } });
  }
  const inputs = await runInputs(ctx, skuIds, req.strategy.name === 'categories');
  const changes: RunChange[] = [];
  let backorders = 0;
  for (const [skuId, { supply, demand }] of [...inputs].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    backorders += demand.length;
    const plan = strategy.value.plan(supply, demand);
    // Every demand has its place in the plan, those that end with nothing too.
    const reasons = new Map(plan.demands.map((p) => [p.backorderId, p.reason]));
    for (const d of diffRun(demand, plan)) {
      if (d.delta !== 0) changes.push({ skuId, ...d, reason: reasons.get(d.backorderId)! });
    }
  }
  return ok({
    strategy: strategy.value.name,
    skus: inputs.size,
    backorders,
    changes,
    unitsGained: changes.reduce((s, c) => s + Math.max(0, c.delta), 0),
    unitsLost: changes.reduce((s, c) => s + Math.max(0, -c.delta), 0),
    customersAffected: new Set(changes.map((c) => c.customerId)).size,
  });
}
