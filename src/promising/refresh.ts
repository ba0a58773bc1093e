/**
 * The periodic re-projection: a SKU's promises move when something happens to it, but two things move them without
 * an event: days passing (an overdue PO lot clamps to today, which can reorder lots) and a supplier's lateness
 * statistics changing through a receipt of another SKU. This job re-projects, a batch of SKUs per transaction, every
 * SKU with waiting backorders whose projection is older than `staleAfterMs` (or missing), so no promise is staler
 * than that; a moved date is recorded and told like any other (cause `refresh`).
 */
import type { AppContext } from '../main/context.js';
import { startClaimedPeriodic } from '../jobs/claims.js';
import { repromise } from './service.js';

export interface RefreshResult {
  skus: number;
  moved: number;
}

const skusPerTransaction = 50;

export async function refreshStalePromises(ctx: AppContext, staleAfterMs = 20 * 3_600_000): Promise<RefreshResult> {
  const before = new Date(ctx.clock.now().getTime() - staleAfterMs).toISOString();
  const stale = await ctx.store.db
    .selectFrom('backorder as b')
    .leftJoin('sku_projection as p', 'p.sku_id', 'b.sku_id')
    .select('b.sku_id')
    .distinct()
    .where('b.status', 'in', ['open', 'partially_allocated'])
    .where((w) => w.or([w('p.updated_at', 'is', null), w('p.updated_at', '<', before)]))
    .orderBy('b.sku_id')
    .execute();
  const skuIds = stale.map((r) => r.sku_id);
  let moved = 0;
  for (let at = 0; at < skuIds.length; at += skusPerTransaction) {
    const batch = skuIds.slice(at, at + skusPerTransaction);
    const done = await ctx.store.transaction(async (tx) => {
      await ctx.store.lockSkus(tx, batch);
      // Stores each SKU's projection afresh (its updated_at is now), or drops it when nothing waits any more.
      return { ok: true as const, value: await repromise(ctx, tx, batch, 'refresh') };
    });
    if (done.ok) moved += done.value;
  }
  return { skus: skuIds.length, moved };
}

/** Checks for stale promises every `everyMs` (one process per round); default hourly, refreshing what is 20 h old. */
export function startPromiseRefresh(ctx: AppContext, everyMs = 3_600_000): { stop(): Promise<void> } {
  return startClaimedPeriodic(
    ctx,
    'promises.refresh',
    everyMs,
    async () => {
      const r = await refreshStalePromises(ctx);
      if (r.skus > 0) ctx.log.info(r, 'stale promises re-projected');
    },
    'promise refresh failed; it runs again next interval',
  );
}
