/** Actions on many backorders at once (the dashboard's worklist): re-promise them now. */
import type { AppContext } from '../main/context.js';
import { repromise } from '../promising/service.js';
import { allFound, ok, type Result } from '../shared/result.js';

/** Checks that every id names a backorder; returns their SKUs. */
async function skusOf(ctx: AppContext, backorderIds: readonly string[]): Promise<Result<string[]>> {
  const ids = [...new Set(backorderIds)];
  const rows = await ctx.store.db.selectFrom('backorder').select(['id', 'sku_id']).where('id', 'in', ids).execute();
  const known = allFound(ids, new Set(rows.map((r) => r.id)), 'backorder', 'backorderIds');
  if (!known.ok) return known;
  return ok([...new Set(rows.map((r) => r.sku_id))].sort());
}

/**
 * Projects the promises of the backorders' SKUs again now (the whole queue of each SKU, as every re-promise does);
 * a date that moves is recorded with cause `manual` and told to the customer by the playbook.
 */
export async function repromiseBackorders(ctx: AppContext, backorderIds: readonly string[]): Promise<Result<{ skus: number; moved: number }>> {
  const skus = await skusOf(ctx, backorderIds);
  if (!skus.ok) return skus;
  return ctx.store.transaction(async (tx) => {
    await ctx.store.lockSkus(tx, skus.value);
    return ok({ skus: skus.value.length, moved: await repromise(ctx, tx, skus.value, 'manual') });
  });
}
