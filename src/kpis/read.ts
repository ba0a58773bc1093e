/**
 * The day facts a report needs: folded days from `kpi_day`, the days after the fold from the source tables.
 * Intake, cycle and CSAT facts are needed from the range's first day; stock and backorder facts from the beginning
 * (opening balances, and backorders created long ago that may still be open).
 */
import type { Tx } from '../db/connect.js';
import { factKinds, mergeFacts, type DayFact, type FactKind } from './facts.js';
import { shiftDay } from '../replenishment/periods.js';
import { instantsOf } from './range.js';
import type { KpiScope } from './repository.js';
import { foldedUntil, readFolded, type FoldDim } from './rollup.js';
import { sourceFacts, type Facts, type FactsWanted } from './sources.js';

/** Which folded slicing answers a query, and which key of it; null when only the source tables can. */
export function foldedSlicing(s: Pick<KpiScope, 'by' | 'filter'>): { dim: FoldDim; key?: string } | null {
  const f = s.filter;
  if (f.skuId !== undefined || f.supplierId !== undefined || s.by === 'sku' || s.by === 'supplier') return null;
  if (f.warehouseId !== undefined && f.tier !== undefined) return null;
  if (f.warehouseId !== undefined) return s.by === null || s.by === 'warehouse' ? { dim: 'warehouse', key: f.warehouseId } : null;
  if (f.tier !== undefined) return s.by === null || s.by === 'tier' ? { dim: 'tier', key: String(f.tier) } : null;
  return { dim: s.by ?? 'none' };
}

const sinceFirstDay = new Set<FactKind>(['intake', 'cycle', 'cleared', 'csat']);

export async function reportFacts(tx: Tx, s: Pick<KpiScope, 'by' | 'filter'>, from: string, to: string, wanted: FactsWanted): Promise<Facts> {
  const { start, end } = instantsOf(from, to);
  const fold = foldedSlicing(s);
  const until = fold === null ? null : await foldedUntil(tx);
  if (fold === null || until === null || until === '') return sourceFacts(tx, s, { start, historyStart: '', end }, wanted);
  const foldEnd = until < shiftDay(to, 1) ? until : shiftDay(to, 1);
  const folded = {} as Facts;
  for (const kind of factKinds) {
    const rows = await readFolded(tx, kind, fold.dim, sinceFirstDay.has(kind) ? from : null, foldEnd, fold.key);
    (folded as Record<FactKind, DayFact<FactKind>[]>)[kind] = s.by === null ? rows.map((r) => ({ ...r, key: '' })) : rows;
  }
  if (!wanted.stock) folded.stock = [];
  if (!wanted.csat) folded.csat = [];
  if (until > to) return folded;
  const untilInstant = `${until}T00:00:00.000Z`;
  const live = await sourceFacts(tx, s, { start: untilInstant > start ? untilInstant : start, historyStart: untilInstant, end }, wanted);
  const out = {} as Facts;
  for (const kind of factKinds) {
    (out as Record<FactKind, DayFact<FactKind>[]>)[kind] = mergeFacts(kind, [...(folded[kind] as DayFact<FactKind>[]), ...(live[kind] as DayFact<FactKind>[])]);
  }
  return out;
}
