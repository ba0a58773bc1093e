/** Promise accuracy: backorders fulfilled on or before their FIRST promised date / backorders fulfilled. */
import { sql } from 'kysely';
import { ok, type Result } from '../shared/result.js';
import type { AppContext } from '../main/context.js';

export interface PromiseAccuracy {
  /** Backorders fulfilled in the period. */
  fulfilled: number;
  /** Of those, fulfilled on or before the first date promised. */
  keptFirstPromise: number;
  /** Fulfilled without ever having had a promised date (counted as not kept). */
  neverPromised: number;
  /** keptFirstPromise / fulfilled; null when nothing was fulfilled. */
  accuracy: number | null;
}

/** Over backorders fulfilled between `from` and `to` (ISO instants, inclusive); all time when left out. */
export async function promiseAccuracy(ctx: AppContext, range: { from?: string | undefined; to?: string | undefined }): Promise<Result<PromiseAccuracy>> {
  let q = ctx.store.db
    .selectFrom('backorder')
    .select([
      sql<number>`count(*)`.as('fulfilled'),
      sql<number>`sum(case when first_promised_date is not null and substr(fulfilled_at, 1, 10) <= first_promised_date then 1 else 0 end)`.as('kept'),
      sql<number>`sum(case when first_promised_date is null then 1 else 0 end)`.as('never'),
    ])
    .where('fulfilled_at', 'is not', null);
  if (range.from) q = q.where('fulfilled_at', '>=', range.from);
  if (range.to) q = q.where('fulfilled_at', '<=', range.to);
  const row = await q.executeTakeFirstOrThrow();
  const fulfilled = Number(row.fulfilled);
  const kept = Number(row.kept ?? 0);
  return ok({ fulfilled, keptFirstPromise: kept, neverPromised: Number(row.never ?? 0), accuracy: fulfilled === 0 ? null : kept / fulfilled });
}
