/**
 * Alternates per SKU: the items a customer may take instead when theirs is backordered, in rank order. A substitute
 * is offered only when one warehouse holds every waiting unit free, so accepting it never creates a new backorder.
 */
import type { Tx } from '../db/connect.js';
import type { AppContext } from '../main/context.js';
import { sourcingOrder } from '../catalog/domain.js';
import { warehouseDef } from '../catalog/entities.js';
import { requireRef, requireRefs } from '../catalog/references.js';
import { findById, findByIds, listAll } from '../catalog/repository.js';
import { fail, ok, type Result } from '../shared/result.js';
import * as repo from './repository.js';

export interface Alternates {
  skuId: string;
  /** Best first: rank is the position. */
  alternates: string[];
}

/** A SKU's alternates. */
export async function getAlternates(ctx: AppContext, skuId: string): Promise<Result<Alternates>> {
  const db = ctx.store.db;
  if (!(await findById(db, 'sku', skuId))) return fail('not_found', `SKU '${skuId}' not found`, { field: 'id' });
  return ok({ skuId, alternates: await repo.alternatesOf(db, skuId) });
}

/** Replaces a SKU's alternates: each must exist, differ from the SKU and appear once. */
export function setAlternates(ctx: AppContext, skuId: string, alternates: readonly string[]): Promise<Result<Alternates>> {
  return ctx.store.transaction(async (tx) => {
    if (!(await findById(tx, 'sku', skuId))) return fail('not_found', `SKU '${skuId}' not found`, { field: 'id' });
    for (const [i, a] of alternates.entries()) {
      if (a === skuId) return fail('validation_failed', `SKU '${skuId}' cannot be its own alternate`, { field: `alternates/${i}` });
      if (alternates.indexOf(a) !== i) return fail('validation_failed', `alternate '${a}' is listed twice`, { field: `alternates/${i}` });
    }
    const known = await requireRefs(tx, 'sku', alternates.map((id, i) => ({ id, field: `alternates/${i}` })));
    if (!known.ok) return known;
    await repo.replaceAlternates(tx, skuId, alternates);
    return ok({ skuId, alternates: [...alternates] });
  });
}

export interface SubstituteOption {
  skuId: string;
  name: string;
  /** The warehouse that would ship it: the first in the customer's sourcing order with enough free units. */
  warehouseId: string;
}

/**
 * The first warehouse, in sourcing order, holding `quantity` free units of a candidate, trying candidates in the
 * order given: pure, so the choice of substitute is the same on the page and in the command.
 */
export function pickSubstitute(
  candidates: readonly string[],
  free: readonly { skuId: string; warehouseId: string; free: number }[],
  warehouseOrder: readonly string[],
  quantity: number,
): { skuId: string; warehouseId: string } | null {
  for (const skuId of candidates) {
    const warehouseId = warehouseOrder.find((w) => free.some((f) => f.skuId === skuId && f.warehouseId === w && f.free >= quantity));
    if (warehouseId !== undefined) return { skuId, warehouseId };
  }
  return null;
}

/** Every candidate that could replace `quantity` units now, for a customer in `region`, in the order given. */
export async function substituteOptions(tx: Tx, candidates: readonly string[], quantity: number, region: string): Promise<SubstituteOption[]> {
  if (candidates.length === 0 || quantity <= 0) return [];
  const order = sourcingOrder((await listAll(tx, 'warehouse')).map(warehouseDef.fromRow), region).map((w) => w.id);
  const free = await repo.freeStock(tx, candidates);
  const names = new Map((await findByIds(tx, 'sku', candidates)).map((s) => [s.id, s.name]));
  return candidates.flatMap((c) => {
    const pick = pickSubstitute([c], free, order, quantity);
    return pick ? [{ ...pick, name: names.get(c) ?? c }] : [];
  });
}

/** The customer's region, which decides the warehouse a substitute ships from. */
export async function regionOf(tx: Tx, customerId: string): Promise<string> {
  const c = await requireRef(tx, 'customer', customerId, 'customerId');
  return c.ok ? c.value.region : '';
}
