/**
 * Attribution of root causes: backorders without a cause get one, SKU by SKU, from facts rebuilt as they stood
 * when each was created (and, once resolved, when it resolved). Runs in the background worker and before every
 * causes report, so a report never misses a backorder; storing only where none is stored makes reruns harmless.
 */
import type { AppContext } from '../main/context.js';
import { startClaimedPeriodic } from '../jobs/claims.js';
import { groupBy } from '../shared/group.js';
import { ok, type Result } from '../shared/result.js';
import { checkRange } from '../kpis/range.js';
import { pareto, type ParetoRow } from './pareto.js';
import { foldDue } from '../kpis/rollup.js';
import { attributeCreation, attributeResolution, type Attribution } from './domain.js';
import { creationFacts, lookbackDays, resolutionFacts } from './facts.js';
import * as repo from './repository.js';

const detailOf = (a: Attribution) => JSON.stringify({ reason: a.reason, facts: a.facts });

/** Attributes up to `max` pending backorders; returns how many it attributed (creation or resolution). */
export async function attributePending(ctx: AppContext, max = 10_000): Promise<number> {
  let done = 0;
  while (done < max) {
    const pending = await repo.pendingBackorders(ctx.store.db, Math.min(2_000, max - done));
    if (pending.length === 0) break;
    for (const [skuId, list] of groupBy(pending, (b) => b.skuId)) {
      const oldest = list.reduce((m, b) => (b.createdAt < m ? b.createdAt : m), list[0]!.createdAt);
      const since = new Date(Date.parse(oldest) - lookbackDays * 86_400_000).toISOString();
      await ctx.store.transaction(async (tx) => {
        const history = await repo.skuHistory(tx, skuId, since);
        for (const bo of list) {
          const created = bo.cause !== null ? storedAttribution(bo) : attributeCreation(creationFacts(history, bo));
          const resolved = bo.resolvedAt !== null ? attributeResolution(resolutionFacts(history, { ...bo, resolvedAt: bo.resolvedAt }, created)) : null;
          await repo.storeCauses(
            tx,
            bo.id,
            bo.cause === null ? { cause: created.cause, detail: detailOf(created) } : null,
            resolved ? { cause: resolved.cause, detail: detailOf(resolved) } : null,
          );
        }
        return ok(undefined);
      });
    }
    done += pending.length;
  }
  return done;
}

/**
 * Attributes pending backorders every `everyMs`, then folds the KPI days that are over (kpis/rollup.ts). Several
 * workers on one PostgreSQL may overlap: each cause is stored only where none is, and the rules give the same
 * answer from the same history, so overlap costs only time; folding claims its month before writing it.
 */
export function startAttribution(ctx: AppContext, everyMs: number): { stop(): Promise<void> } {
  return startClaimedPeriodic(ctx, 'causes.attribute', everyMs, () => attributePending(ctx).then(() => foldDue(ctx)), 'root-cause attribution or KPI folding failed; it runs again next interval');
}

/** The creation cause as stored, for a backorder attributed before and resolved since. */
function storedAttribution(bo: repo.PendingBackorder): Attribution {
  const detail = JSON.parse(bo.causeDetail ?? '{}') as { reason?: string; facts?: Record<string, unknown> };
  return { cause: bo.cause as Attribution['cause'], reason: detail.reason ?? '', facts: detail.facts ?? {} };
}

export interface CauseQuery {
  from: string;
  to: string;
  by?: 'warehouse' | 'sku' | 'supplier' | undefined;
  stage?: 'created' | 'resolved' | 'latest' | undefined;
  warehouseId?: string | undefined;
  skuId?: string | undefined;
  supplierId?: string | undefined;
}

export interface CauseReport {
  from: string;
  to: string;
  by: CauseQuery['by'] | null;
  stage: 'created' | 'resolved' | 'latest';
  rows: ParetoRow[];
}

/** The Pareto of causes of the backorders created from `from` to `to`, after attributing any still pending. */
export async function causeReport(ctx: AppContext, q: CauseQuery): Promise<Result<CauseReport>> {
  const range = checkRange(q.from, q.to);
  if (!range.ok) return range;
  await attributePending(ctx, Number.MAX_SAFE_INTEGER);
  const stage = q.stage ?? 'latest';
  const scope = { ...range.value, by: q.by ?? null, filter: { warehouseId: q.warehouseId, skuId: q.skuId, supplierId: q.supplierId } };
  const counts = await repo.causeCounts(ctx.store.db, scope, stage);
  return ok({ from: q.from, to: q.to, by: q.by ?? null, stage, rows: pareto(counts) });
}
