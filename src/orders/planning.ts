/**
 * Planning an order without writing it: check references, (optionally) lock the SKUs, read availability and the
 * room left for backorders, then the pure intake plan. Intake writes the plan; a quote only shows it.
 */
import type { Tx } from '../db/connect.js';
import { fail, ok, type Result } from '../shared/result.js';
import type { AppContext } from '../main/context.js';
import { matchRefs } from '../catalog/references.js';
import { allQuery, byIdQuery, byIdsQuery, type CatalogRows } from '../catalog/repository.js';
import { warehouseDef } from '../catalog/entities.js';
import type { Warehouse } from '../catalog/domain.js';
import * as backorders from '../backorders/repository.js';
import * as stock from '../inventory/repository.js';
import { addDays } from '../promising/domain.js';
import { inboundWithin, today, type PromisingInputs } from '../promising/service.js';
import { projectionsQuery, snapshotsFrom } from '../promising/repository.js';
import { promiseSettingsFrom, promiseSettingsQuery } from '../promising/settings.js';
import { planIntake, type LinePlan } from './intake.js';

export interface OrderRequest {
  customerId: string;
  lines: { skuId: string; quantity: number }[];
}

export interface PlannedOrder {
  customer: CatalogRows['customer'];
  plans: LinePlan[];
  /**
   * Intake only: the promise settings and (on PostgreSQL) the order's SKUs' stored projections, read under the SKU
   * locks with the stock levels, so that promising the lines it backorders reads nothing more while the locks are held.
   */
  promising: PromisingInputs | null;
}

export interface PlanOptions {
  /** Take the SKU locks (intake); without, the plan is only shown (a quote). */
  lock: boolean;
}

type SkuRow = CatalogRows['sku'];
type Ref = { id: string; field: string };

/** What a plan is made from, read in as few round trips as the path allows. */
interface PlanInputs {
  customer: CatalogRows['customer'];
  warehouses: Warehouse[];
  skus: Map<string, SkuRow>;
  levels: stock.LevelRow[];
  backorderRoom: Map<string, number>;
  promising: PromisingInputs | null;
}

export async function planOrder(ctx: AppContext, tx: Tx, input: OrderRequest, opts: PlanOptions): Promise<Result<PlannedOrder>> {
  const refs = input.lines.map((l, i) => ({ id: l.skuId, field: `lines/${i}/skuId` }));
  const read = opts.lock ? await readLocked(ctx, tx, input, refs) : await readUnlocked(ctx, tx, input, refs);
  if (!read.ok) return read;
  const { customer, warehouses, skus, levels, backorderRoom, promising } = read.value;
  const plans = planIntake({
    customer: { region: customer.region, acceptsPartial: customer.accepts_partial === 1 },
    lines: input.lines,
    skus: new Map([...skus.values()].map((s) => [s.id, { id: s.id, backorderPolicy: s.backorder_policy }])),
    warehouses,
    available: availabilityOf(levels),
    backorderRoom,
  });
  return ok({ customer, plans, promising });
}

const isLimited = (s: SkuRow) => (s.backorder_policy === 'allow' && s.backorder_cap !== null) || s.backorder_policy === 'allow-up-to-inbound';

/** The customer is checked first, then the SKUs (where they were read), then that a warehouse exists. */
function checked(
  customers: readonly CatalogRows['customer'][],
  warehouseRows: readonly CatalogRows['warehouse'][],
  input: OrderRequest,
  skus: Result<Map<string, SkuRow>>,
): Result<{ customer: CatalogRows['customer']; warehouses: Warehouse[]; skus: Map<string, SkuRow> }> {
  const customer = matchRefs('customer', customers, [{ id: input.customerId, field: 'customerId' }]);
  if (!customer.ok) return customer;
  if (!skus.ok) return skus;
  if (warehouseRows.length === 0) return fail('unknown_reference', 'no warehouse exists yet to source the order from', { field: 'lines' });
  return ok({ customer: customers[0]!, warehouses: warehouseRows.map(warehouseDef.fromRow), skus: skus.value });
}

/** A quote: everything read without locks. */
async function readUnlocked(ctx: AppContext, tx: Tx, input: OrderRequest, refs: Ref[]): Promise<Result<PlanInputs>> {
  const skuIds = refs.map((r) => r.id);
  const [customers, warehouseRows, skuRows, levels] = await ctx.store.readMany(tx, [
    byIdQuery(tx, 'customer', input.customerId),
    allQuery(tx, 'warehouse'),
    byIdsQuery(tx, 'sku', skuIds),
    stock.levelsQuery(tx, skuIds),
  ]);
  const base = checked(customers, warehouseRows, input, matchRefs('sku', skuRows, refs));
  if (!base.ok) return base;
  const limited = [...base.value.skus.values()].filter(isLimited);
  const waiting = await backorders.waitingTotals(tx, limited.map((s) => s.id));
  return ok({ ...base.value, levels, backorderRoom: await backorderRoom(ctx, tx, limited, waiting), promising: null });
}

/** Intake: the SKUs locked, and what depends on them read under the locks in one round trip. */
async function readLocked(ctx: AppContext, tx: Tx, input: OrderRequest, refs: Ref[]): Promise<Result<PlanInputs>> {
  const skuIds = refs.map((r) => r.id);
  const [customers, warehouseRows] = await ctx.store.readMany(tx, [byIdQuery(tx, 'customer', input.customerId), allQuery(tx, 'warehouse')]);
  // Locking reads the SKUs too: one round trip fewer while the lock is held.
  const lockedRows = await ctx.store.lockSkus(tx, skuIds);
  const base = checked(customers, warehouseRows, input, matchRefs('sku', lockedRows, refs));
  if (!base.ok) return base;
  const limited = lockedRows.filter(isLimited);
  const [levels, waiting, projections, settings] = await ctx.store.readMany(tx, [
    stock.levelsQuery(tx, skuIds),
    limited.length === 0 ? null : backorders.waitingTotalsQuery(tx, limited.map((s) => s.id)),
    // SQLite has no round trip to save: it reads projections only for the SKUs that get backorders.
    ctx.store.dialect === 'sqlite' ? null : projectionsQuery(tx, skuIds),
    promiseSettingsQuery(tx),
  ]);
  return ok({
    ...base.value,
    levels,
    backorderRoom: await backorderRoom(ctx, tx, limited, backorders.waitingTotalsFrom(waiting)),
    promising: { settings: promiseSettingsFrom(settings), snapshots: ctx.store.dialect === 'sqlite' ? null : snapshotsFrom(projections) },
  });
}

/**
 * How many more units may wait per limited SKU: the cap (`allow` with a cap) or the inbound supply expected within
 * the horizon (`allow-up-to-inbound`), less what already waits. Read under the SKU lock, so it cannot be overrun.
 */
async function backorderRoom(
  ctx: AppContext,
  tx: Tx,
  limited: readonly { id: string; backorder_policy: string; backorder_cap: number | null; backorder_horizon_days: number | null }[],
  waiting: ReadonlyMap<string, number>,
): Promise<Map<string, number>> {
  if (limited.length === 0) return new Map();
  const byInbound = limited.filter((s) => s.backorder_policy === 'allow-up-to-inbound');
  const day = today(ctx);
  const horizon = new Map(byInbound.map((s) => [s.id, addDays(day, s.backorder_horizon_days ?? 30)]));
  const inbound = byInbound.length === 0 ? new Map<string, number>() : await inboundWithin(ctx, tx, byInbound.map((s) => s.id), (id) => horizon.get(id)!);
  return new Map(
    limited.map((s) => [s.id, (s.backorder_policy === 'allow' ? s.backorder_cap! : (inbound.get(s.id) ?? 0)) - (waiting.get(s.id) ?? 0)]),
  );
}

function availabilityOf(levels: readonly stock.LevelRow[]): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const l of levels) {
    const bySku = out.get(l.sku_id) ?? new Map<string, number>();
    bySku.set(l.warehouse_id, l.on_hand - l.allocated);
    out.set(l.sku_id, bySku);
  }
  return out;
}


