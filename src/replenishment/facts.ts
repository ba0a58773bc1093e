/**
 * Gathers what planning needs per SKU x warehouse: stock numbers, draft POs, the demand estimate from a trailing
 * window (estimate.ts), and each supplier item with its lead time. Reads only, outside any transaction (SQLite's
 * write lock is not needed for a report).
 */
import type { Store, Tx } from '../db/connect.js';
import type { AppContext } from '../main/context.js';
import * as catalog from '../catalog/repository.js';
import * as purchasing from '../purchasing/repository.js';
import { supplierHistories } from '../purchasing/receipt-samples.js';
import { inventoryPosition, type StockNumbers } from '../planning/risk.js';
import { byPair, dailySeries, pairKey } from './demand.js';
import { weeklyForecast, type DemandEstimator } from './estimate.js';
import { demandRows } from './history.js';
import { leadTimeEstimate, type SupplierChoice } from './inputs.js';
import { readLaunches } from './launch-facts.js';
import { shiftDay } from './periods.js';
import type { PairFacts } from './plan.js';
import * as repo from './repository.js';

export interface FactsQuery extends repo.PairFilter {
  /** Trailing days of demand the estimate looks at (ending yesterday). */
  windowDays: number;
  /**
   * Only the pairs short of stock that nothing on order covers (inventory position, drafts counted, below 0): the
   * ones to order for at once, whatever the review calendar. Their demand alone is read, so a daily check of
   * shortages costs a fraction of a review.
   */
  uncovered?: boolean | undefined;
  /**
   * Plan the products listed lately that have not been ordered yet from the launches like them (launch.ts), so
   * stock is there for their first orders; off (a rule of thumb), they get nothing until they sell.
   */
  launches?: boolean | undefined;
}

/**
 * The fewest days a SKU's demand rate is measured over. A product listed yesterday with one order of 48 would
 * otherwise plan for 48 a day: over two weeks it plans for 3.4, and its own sales take over as it ages.
 */
export const minExposureDays = 14;

/** Past this many SKUs a narrowed read reads everyone's instead (one plain scan, no long IN list). */
const MAX_SKU_LIST = 500;

type Numbers = StockNumbers & { onDraft: number };
const zero = (): Numbers => ({ onHand: 0, allocated: 0, backordered: 0, onOrder: 0, onDraft: 0 });

/**
 * Facts for every SKU x warehouse with demand in the window, stock on hand or allocated, waiting backorders or
 * inbound units (or, `uncovered`, the short ones only), in (SKU, warehouse) order; a SKU and warehouse named
 * together are always included (unless `uncovered` and covered). Discontinued SKUs are left out: they are never
 * replenished.
 */
export async function loadPairFacts(ctx: AppContext, q: FactsQuery, estimate: DemandEstimator = weeklyForecast): Promise<PairFacts[]> {
  const db = ctx.store.db;
  const today = ctx.clock.now().toISOString().slice(0, 10);
  // Whole days only: today is not over, and counting it would understate the daily rate.
  const to = shiftDay(today, -1);
  const from = shiftDay(today, -q.windowDays);
  // Only a pair with backorders waiting can be uncovered: the rest of its numbers are read for those SKUs alone.
  const waiting = q.uncovered ? await repo.waitingBackorders(db, q) : undefined;
  if (waiting?.length === 0) return [];
  const numbers = await stockNumbers(db, listed(q, waiting ? [...new Set(waiting.map((w) => w.skuId))] : null), waiting);
  const uncovered = q.uncovered ? [...numbers].filter(([, n]) => inventoryPosition(n) + n.onDraft < 0).map(([k]) => k) : null;
  if (uncovered?.length === 0) return [];
  const demandFilter = listed(q, uncovered && [...new Set(uncovered.map((k) => k.split('|')[0]!))]);
  const rows = await demandRows(db, from, to, demandFilter);
  const demand = byPair(rows);
  const keys = new Set(uncovered ?? [...demand.keys(), ...[...numbers].filter(([, n]) => n.onHand + n.allocated + n.backordered + n.onOrder > 0).map(([k]) => k)]);
  if (q.skuId !== undefined && q.warehouseId !== undefined && !q.uncovered) keys.add(pairKey(q.skuId, q.warehouseId));
  const estimateLaunches = q.launches === true && !q.uncovered;
  const launches = await readLaunches(db, {
    from,
    to,
    today,
    now: ctx.clock.now().toISOString(),
    skuIds: demandFilter.skuId !== undefined ? [demandFilter.skuId] : demandFilter.skuIds,
    warehouseIds: !estimateLaunches ? [] : q.warehouseId !== undefined ? [q.warehouseId] : (await catalog.listAll(db, 'warehouse')).map((w) => w.id),
    estimate: estimateLaunches,
    allRows: demandFilter.skuId === undefined && demandFilter.skuIds === undefined && q.warehouseId === undefined ? rows : undefined,
  });
  for (const [skuId, byWarehouse] of launches.upcoming) for (const w of byWarehouse.keys()) keys.add(pairKey(skuId, w));
  const skus = new Map((await catalog.findByIds(db, 'sku', [...keys].map((k) => k.split('|')[0]!))).map((s) => [s.id, s]));
  const suppliers = await supplierChoices(ctx.store, db, [...skus.keys()]);
  const out: PairFacts[] = [];
  for (const key of [...keys].sort()) {
    const [skuId = '', warehouseId = ''] = key.split('|');
    const sku = skus.get(skuId);
    if (!sku || sku.backorder_policy === 'discontinued') continue;
    // A SKU younger than the window is measured from its launch (its first order; its listing when it has none),
    // not diluted by days it was not on sale; but over at least minExposureDays, so that a product's first order is
    // not taken for its daily rate.
    const launchedOn = launches.launchedOn.get(skuId) ?? sku.created_at.slice(0, 10);
    const latestStart = shiftDay(to, 1 - minExposureDays);
    const measuredFrom = launchedOn < latestStart ? launchedOn : latestStart;
    const start = measuredFrom > from ? measuredFrom : from;
    const pairRows = demand.get(key) ?? [];
    const daily = dailySeries(pairRows, start, to);
    const { onDraft, ...stock } = numbers.get(key) ?? zero();
    const upcoming = launches.upcoming.get(skuId)?.get(warehouseId);
    out.push({
      skuId,
      warehouseId,
      skuUnitCostMinor: sku.unit_cost_minor,
      stock,
      onDraft,
      demand: {
        ...(upcoming ? { dailyMean: upcoming.dailyMean, dailyVariance: upcoming.dailyVariance, method: upcoming.method, lineSize: upcoming.meanLineSize } : estimate({ skuId, warehouseId, from: start, daily })),
        from: start,
        to,
        days: daily.length,
        units: daily.reduce((sum, u) => sum + u, 0),
        lines: pairRows.reduce((sum, r) => sum + (r.day >= start ? r.lines : 0), 0),
      },
      suppliers: suppliers.get(skuId) ?? [],
    });
  }
  return out;
}

/** The filter narrowed to these SKUs (null: as it is); a list past MAX_SKU_LIST is read with everyone's instead. */
function listed(f: repo.PairFilter, skuIds: readonly string[] | null): repo.PairFilter {
  return skuIds === null || skuIds.length === 0 || skuIds.length > MAX_SKU_LIST ? f : { ...f, skuIds };
}

/** On hand, allocated, waiting, on order and on draft per pair (key `sku|warehouse`); `known`: the waiting units, read already. */
async function stockNumbers(db: Tx, f: repo.PairFilter, known?: readonly repo.PairQuantity[]): Promise<Map<string, Numbers>> {
  const [levels, waiting, inbound, transit, drafts] = await Promise.all([
    repo.stockLevels(db, f),
    known ?? repo.waitingBackorders(db, f),
    repo.poLineUnits(db, purchasing.inboundStatuses, f),
    repo.unitsInTransit(db, f),
    repo.poLineUnits(db, ['draft'], f),
  ]);
  const out = new Map<string, Numbers>();
  const at = (skuId: string, warehouseId: string) => {
    const key = pairKey(skuId, warehouseId);
    return out.get(key) ?? out.set(key, zero()).get(key)!;
  };
  for (const l of levels) Object.assign(at(l.skuId, l.warehouseId), { onHand: l.onHand, allocated: l.allocated });
  for (const w of waiting) at(w.skuId, w.warehouseId).backordered += w.quantity;
  for (const i of [...inbound, ...transit]) at(i.skuId, i.warehouseId).onOrder += i.quantity;
  for (const d of drafts) at(d.skuId, d.warehouseId).onDraft += d.quantity;
  return out;
}

/** Every supplier item of these SKUs with its lead time estimate, by SKU. */
export async function supplierChoices(store: Store, db: Tx, skuIds: readonly string[]): Promise<Map<string, SupplierChoice[]>> {
  const items = await purchasing.supplierItems(db, { skuIds });
  const supplierIds = [...new Set(items.map((i) => i.supplier_id))];
  const defaults = new Map((await catalog.findByIds(db, 'supplier', supplierIds)).map((s) => [s.id, s.default_lead_time_days]));
  const receipts = await supplierHistories(store, db, supplierIds);
  const out = new Map<string, SupplierChoice[]>();
  for (const i of items) {
    const configured = i.lead_time_days ?? defaults.get(i.supplier_id) ?? 0;
    const choice: SupplierChoice = {
      supplierId: i.supplier_id,
      unitCostMinor: i.unit_cost_minor,
      packSize: i.pack_size,
      minOrderQty: i.min_order_qty,
      leadTime: leadTimeEstimate(i.sku_id, configured, receipts.get(i.supplier_id)?.receipts ?? []),
    };
    (out.get(i.sku_id) ?? out.set(i.sku_id, []).get(i.sku_id)!).push(choice);
  }
  return out;
}
