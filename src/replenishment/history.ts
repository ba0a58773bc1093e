/** Demand history use case: unconstrained demand per SKU x warehouse by day, ISO week or month. */
import type { Tx } from '../db/connect.js';
import type { AppContext } from '../main/context.js';
import * as catalog from '../catalog/repository.js';
import { requireRef } from '../catalog/references.js';
import { fail, ok, type Result } from '../shared/result.js';
import { attributeDemand, byPair, homeWarehouse, pairKey, periodSeries, type DemandRow, type WarehouseRef } from './demand.js';
import { countPeriods, nextPeriodStart, periodStart, shiftDay, type Period, type PeriodKind } from './periods.js';
import * as repo from './repository.js';

/** Demand rows (SKU x warehouse x day) of orders placed from..to, attributed as demand.ts says. */
export async function demandRows(db: Tx, from: string, to: string, f: repo.PairFilter): Promise<DemandRow[]> {
  const parts = await repo.demandParts(db, from, to, f);
  const warehouses = await warehouseRefs(db);
  const customers = await catalog.findByIds(db, 'customer', parts.rejected.map((r) => r.customerId));
  const home = new Map(customers.map((c) => [c.id, homeWarehouse(c.region, warehouses)]));
  const rows = attributeDemand(parts.placed, parts.rejected, (id) => home.get(id) ?? null);
  return f.warehouseId === undefined ? rows : rows.filter((r) => r.warehouseId === f.warehouseId);
}

/** Every warehouse with the regions and priority that decide a customer's home warehouse. */
export async function warehouseRefs(db: Tx): Promise<WarehouseRef[]> {
  return (await catalog.listAll(db, 'warehouse')).map((w) => ({ id: w.id, regions: JSON.parse(w.regions) as string[], priority: w.priority }));
}

/** Checks that the SKU and warehouse a query names (either may be left out) exist: a 422 naming the field if not. */
export async function requireNamedPair(db: Tx, q: repo.PairFilter): Promise<Result<void>> {
  if (q.skuId !== undefined) {
    const sku = await requireRef(db, 'sku', q.skuId, 'skuId');
    if (!sku.ok) return sku;
  }
  if (q.warehouseId !== undefined) {
    const wh = await requireRef(db, 'warehouse', q.warehouseId, 'warehouseId');
    if (!wh.ok) return wh;
  }
  return ok(undefined);
}

/** The trailing window used by default: 26 weeks. */
export const defaultWindowDays = 182;
/** More periods than this in one answer is refused: ask for a coarser period or a shorter range. */
export const maxPeriods = 1000;

export interface DemandQuery {
  skuId?: string | undefined;
  warehouseId?: string | undefined;
  period: PeriodKind;
  from?: string | undefined;
  to?: string | undefined;
}

export interface DemandSeries {
  skuId: string;
  warehouseId: string;
  total: number;
  periods: (Period & { quantity: number })[];
}

export interface DemandHistoryView {
  period: PeriodKind;
  from: string;
  to: string;
  series: DemandSeries[];
}

/**
 * Demand per period for every SKU x warehouse with demand in the range, rounded out to whole periods (default: the
 * 26 weeks to today); a SKU and warehouse asked for by name are always listed (all zeros when nothing was
 * ordered), and a SKU alone lists every warehouse.
 */
export async function demandHistory(ctx: AppContext, q: DemandQuery): Promise<Result<DemandHistoryView>> {
  const db = ctx.store.db;
  const askedTo = q.to ?? ctx.clock.now().toISOString().slice(0, 10);
  const askedFrom = q.from ?? shiftDay(askedTo, 1 - defaultWindowDays);
  if (askedFrom > askedTo) return fail('validation_failed', `from (${askedFrom}) is after to (${askedTo})`, { field: 'from' });
  const periods = countPeriods(askedFrom, askedTo, q.period);
  if (periods > maxPeriods) {
    return fail('validation_failed', `${askedFrom}..${askedTo} holds ${periods} ${q.period} periods; at most ${maxPeriods} per request`, { field: 'from' });
  }
  const named = await requireNamedPair(db, q);
  if (!named.ok) return named;
  // Whole periods only: a week or month cut at the range's edge would look like a drop in demand.
  const from = periodStart(askedFrom, q.period);
  const to = shiftDay(nextPeriodStart(periodStart(askedTo, q.period), q.period), -1);
  const grouped = byPair(await demandRows(db, from, to, q));
  for (const key of await namedPairs(db, q)) if (!grouped.has(key)) grouped.set(key, []);
  const series = [...grouped.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, rows]) => {
      const [skuId = '', warehouseId = ''] = key.split('|');
      const periodsOf = periodSeries(rows, from, to, q.period);
      return { skuId, warehouseId, total: periodsOf.reduce((s, p) => s + p.quantity, 0), periods: periodsOf };
    });
  return ok({ period: q.period, from, to, series });
}

/** Pairs listed even without demand: the one named, or every warehouse of a named SKU. */
async function namedPairs(db: Tx, q: DemandQuery): Promise<string[]> {
  if (q.skuId === undefined) return [];
  if (q.warehouseId !== undefined) return [pairKey(q.skuId, q.warehouseId)];
  return (await catalog.listAll(db, 'warehouse')).map((w) => pairKey(q.skuId!, w.id));
}
