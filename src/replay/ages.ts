/**
 * The backorder rate split by how long the SKU had been selling: no policy that learns from sales can have stock
 * for a SKU on its first order, nor before its first purchase order arrives (10 to 35 days in a replay's world), so
 * a year with many new products has a floor of backorders whatever the policy. Split out, the rate on established
 * SKUs says how well a policy plans what it could have planned.
 */
import type { AppContext } from '../main/context.js';
import { ok } from '../shared/result.js';
import { addDays } from '../promising/domain.js';
import { at } from './days.js';

/** A SKU's lines count as a new SKU's for this many days after its first order (six weeks: the longest lead time and then some). */
export const newSkuDays = 42;

export interface LineShare {
  lines: number;
  backordered: number;
  /** Backordered lines over lines accepted, as the KPI report counts them; null without lines. */
  rate: number | null;
}

export interface BackordersBySkuAge {
  newSkus: LineShare;
  established: LineShare;
}

const share = ({ lines, backordered }: { lines: number; backordered: number }): LineShare => ({ lines, backordered, rate: lines > 0 ? backordered / lines : null });

/** Lines placed on days from..to (inclusive) by their SKU's age then; a SKU's age counts from its first order in the store. */
export async function backordersBySkuAge(ctx: AppContext, from: string, to: string): Promise<BackordersBySkuAge> {
  const start = at(from, 0);
  const end = at(addDays(to, 1), 0);
  const query = ctx.store.db
    .selectFrom('order_line')
    .select(['sku_id', 'placed_at', 'backordered', 'quantity', 'rejected'])
    .where('placed_at', '<', end)
    .orderBy('placed_at');
  // Half a million lines in a year: read as arrays, in one pass, keeping each SKU's first order time.
  const rows = await ctx.store.transaction(async (tx) => ok(await ctx.store.selectArrays(tx, query)));
  if (!rows.ok) throw new Error(`replay: lines by SKU age: ${rows.error.message}`);
  const firstOrder = new Map<string, number>();
  const counts = { newSkus: { lines: 0, backordered: 0 }, established: { lines: 0, backordered: 0 } };
  for (const [skuId, placedAt, backordered, quantity, rejected] of rows.value as [string, string, number, number, number][]) {
    const placed = Date.parse(placedAt);
    const first = firstOrder.get(skuId) ?? (firstOrder.set(skuId, placed), placed);
    if (placedAt < start || !(Number(quantity) - Number(rejected) > 0)) continue;
    const bucket = placed - first < newSkuDays * 86_400_000 ? counts.newSkus : counts.established;
    bucket.lines++;
    if (Number(backordered) > 0) bucket.backordered++;
  }
  return { newSkus: share(counts.newSkus), established: share(counts.established) };
}
