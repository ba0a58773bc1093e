/**
 * Planning an order without writing it: check references, (optionally) lock the SKUs, read availability and the
 * room left for backorders, then the pure intake plan. Intake writes the plan; a quote only shows it.
 */
import type { Tx } from '../db/connect.js';
import { fail, ok, type Result } from '../shared/result.js';
import type { AppContext } from '../main/context.js';
import { matchRefs, requireRef, requireRefs } from '../catalog/references.js';
import { listAll, type CatalogRows } from '../catalog/repository.js';
import { warehouseDef } from '../catalog/entities.js';
import * as backorders from '../backorders/repository.js';
import * as stock from '../inventory/repository.js';
import { addDays } from '../promising/domain.js';
import { inboundWithin, today } from '../promising/service.js';
import { planIntake, type LinePlan } from './intake.js';

export interface OrderRequest {
  customerId: string;
  lines: { skuId: string; quantity: number }[];
}

export interface PlannedOrder {
  customer: CatalogRows['customer'];
  plans: LinePlan[];
}

export async function planOrder(ctx: AppContext, tx: Tx, input: OrderRequest, opts: { lock: boolean }): Promise<Result<PlannedOrder>> {
  const customer = await requireRef(tx, 'customer', input.customerId, 'customerId');
  if (!customer.ok) return customer;
  const skuIds = input.lines.map((l) => l.skuId);
  const warehouses = (await listAll(tx, 'warehouse')).map(warehouseDef.fromRow);
  const refs = input.lines.map((l, i) => ({ id: l.skuId, field: `lines/${i}/skuId` }));
  // Locking reads the SKUs too: one round trip fewer while the lock is held.
  const skus = opts.lock ? matchRefs('sku', await ctx.store.lockSkus(tx, skuIds), refs) : await requireRefs(tx, 'sku', refs);
  if (!skus.ok) return skus;
  if (warehouses.length === 0) {
    return fail('unknown_reference', 'no warehouse exists yet to source the order from', { field: 'lines' });
  }
  const plans = planIntake({
    customer: { region: customer.value.region, acceptsPartial: customer.value.accepts_partial === 1 },
    lines: input.lines,
    skus: new Map([...skus.value.values()].map((s) => [s.id, { id: s.id, backorderPolicy: s.backorder_policy }])),
    warehouses,
    available: availabilityOf(await stock.levelsForSkus(tx, skuIds)),
    backorderRoom: await backorderRoom(ctx, tx, [...skus.value.values()]),
  });
  return ok({ customer: customer.value, plans });
}

/**
 * How many more units may wait per limited SKU: the cap (`allow` with a cap) or the inbound supply expected within
 * the horizon (`allow-up-to-inbound`), less what already waits. Read under the SKU lock, so it cannot be overrun.
 */
async function backorderRoom(ctx: AppContext, tx: Tx, skus: readonly { id: string; backorder_policy: string; backorder_cap: number | null; backorder_horizon_days: number | null }[]): Promise<Map<string, number>> {
  const capped = skus.filter((s) => s.backorder_policy === 'allow' && s.backorder_cap !== null);
  const byInbound = skus.filter((s) => s.backorder_policy === 'allow-up-to-inbound');
  const limited = [...capped, ...byInbound];
  if (limited.length === 0) return new Map();
  const waiting = await backorders.waitingTotals(tx, limited.map((s) => s.id));
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


