/**
 * Folded day facts: every day before the watermark (`kpi.folded_until`, an ISO day) has its facts stored in
 * `kpi_day` per slicing (none, warehouse, tier), so a year's report reads a few thousand rows instead of every order
 * line and movement. The worker folds each day once it is over; a report folds what is due first. Facts are
 * folded one month per transaction, each adding exactly the facts of its window, and the watermark moves in the same
 * transaction, so a crash or a second worker can neither skip nor double a day.
 * Writers of back-dated facts (an import of history) call `resetFold` afterwards.
 */
import { sql } from 'kysely';
import type { Tx } from '../db/connect.js';
import type { AppContext } from '../main/context.js';
import { dayNumber, nextPeriodStart, periodStart } from '../replenishment/periods.js';
import { ok } from '../shared/result.js';
import { RetryableConflict } from '../db/connect.js';
import { addFact, factKinds, type DayFact, type FactKind } from './facts.js';
import { sourceFacts, type Facts } from './sources.js';

export const foldKey = 'kpi.folded_until';
export const foldDims = ['none', 'warehouse', 'tier'] as const;
export type FoldDim = (typeof foldDims)[number];

/** The first day not folded yet; null when nothing is. */
export async function foldedUntil(tx: Tx): Promise<string | null> {
  const row = await tx.selectFrom('setting').select('value').where('key', '=', foldKey).executeTakeFirst();
  return row ? (JSON.parse(row.value) as string) : null;
}

/** Stored facts of one kind and slicing for days in [fromDay, toDay) (fromDay null: from the beginning). */
export async function readFolded<K extends FactKind>(tx: Tx, kind: K, dim: FoldDim, fromDay: string | null, toDay: string, key?: string): Promise<DayFact<K>[]> {
  let q = tx.selectFrom('kpi_day').select(['day', 'key', 'data']).where('kind', '=', kind).where('dim', '=', dim).where('day', '<', toDay);
  if (fromDay !== null) q = q.where('day', '>=', fromDay);
  if (key !== undefined) q = q.where('key', '=', key);
  return (await q.execute()).map((r) => factOfRow<K>(r));
}

const factOfRow = <K extends FactKind>(r: { day: string; key: string; data: string }): DayFact<K> => ({ day: r.day, key: r.key, data: JSON.parse(r.data) as DayFact<K>['data'] });

/** Adds a window's facts into the stored ones: every stored row of the days touched is read, added to, and rewritten. */
async function store(ctx: AppContext, tx: Tx, dim: FoldDim, facts: Facts): Promise<void> {
  for (const kind of factKinds) {
    const list = facts[kind] as DayFact<FactKind>[];
    if (list.length === 0) continue;
    const days = [...new Set(list.map((f) => f.day))];
    const merged = new Map<string, DayFact<FactKind>>();
    for (let i = 0; i < days.length; i += 500) {
      const chunk = days.slice(i, i + 500);
      for (const f of await readFoldedDays(tx, kind, dim, chunk)) merged.set(`${f.day}\u0000${f.key}`, f);
      await tx.deleteFrom('kpi_day').where('kind', '=', kind).where('dim', '=', dim).where('day', 'in', chunk).execute();
    }
    for (const f of list) {
      const id = `${f.day}\u0000${f.key}`;
      const before = merged.get(id);
      merged.set(id, before ? { ...f, data: addFact(kind, before.data, f.data) } : f);
    }
    const rows = [...merged.values()].map((f) => [kind, dim, f.key, f.day, JSON.stringify(f.data)]);
    await ctx.store.insertRows(tx, { table: 'kpi_day', columns: ['kind', 'dim', 'key', 'day', 'data'] }, rows);
  }
}

async function readFoldedDays(tx: Tx, kind: FactKind, dim: FoldDim, days: readonly string[]): Promise<DayFact<FactKind>[]> {
  const rows = await tx.selectFrom('kpi_day').select(['day', 'key', 'data']).where('kind', '=', kind).where('dim', '=', dim).where('day', 'in', [...days]).execute();
  return rows.map((r) => factOfRow(r));
}


/** The first day any fact happened on: where folding starts. */
async function firstFactDay(tx: Tx): Promise<string | null> {
  const { rows } = await sql<{ day: string | null }>`select min(d) as day from (
      select min(placed_at) as d from order_line union all select min(created_at) from movement
      union all select min(created_at) from backorder) firsts`.execute(tx);
  return rows[0]?.day?.slice(0, 10) ?? null;
}

/**
 * Folds every day before `untilDay`, one calendar month per transaction; returns the days folded. The watermark
 * is claimed first in each transaction (a conditional update), so a second worker folding the same month waits,
 * finds the watermark moved, and runs again from there instead of adding the month twice.
 */
export async function foldKpis(ctx: AppContext, untilDay: string): Promise<number> {
  await ctx.store.db.insertInto('setting').values({ key: foldKey, value: JSON.stringify(''), updated_at: ctx.clock.now().toISOString() }).onConflict((oc) => oc.column('key').doNothing()).execute();
  let folded = 0;
  for (;;) {
    const step = await ctx.store.transaction(async (tx) => {
      const stored = (await foldedUntil(tx)) ?? '';
      const from = stored === '' ? await firstFactDay(tx) : stored;
      if (from === null || from >= untilDay) return ok(0);
      const nextMonth = nextPeriodStart(periodStart(from, 'month'), 'month');
      const to = nextMonth < untilDay ? nextMonth : untilDay;
      const claimed = await tx
        .updateTable('setting')
        .set({ value: JSON.stringify(to), updated_at: ctx.clock.now().toISOString() })
        .where('key', '=', foldKey)
        .where('value', '=', JSON.stringify(stored))
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) throw new RetryableConflict('another process folded KPI days first');
      // The first fold takes everything before its end, whenever it happened.
      const start = stored === '' ? '' : `${from}T00:00:00.000Z`;
      const window = { start, historyStart: start, end: `${to}T00:00:00.000Z` };
      for (const dim of foldDims) {
        const facts = await sourceFacts(tx, { by: dim === 'none' ? null : dim, filter: {} }, window, { stock: dim !== 'tier', csat: dim !== 'warehouse' });
        await store(ctx, tx, dim, facts);
      }
      return ok(dayNumber(to) - dayNumber(from));
    });
    if (!step.ok || step.value === 0) return folded;
    folded += step.value;
  }
}

/** Forgets every folded day (after back-dated facts were written): the next report or worker round folds again. */
export async function resetFold(ctx: AppContext): Promise<void> {
  await ctx.store.transaction(async (tx) => {
    await tx.deleteFrom('kpi_day').execute();
    await tx.deleteFrom('setting').where('key', '=', foldKey).execute();
    return ok(undefined);
  });
}

/** Folds the days before today when some are due (a cheap read when none is): for the worker and one-shot commands. */
export async function foldDue(ctx: AppContext): Promise<number> {
  const today = ctx.clock.now().toISOString().slice(0, 10);
  const until = await foldedUntil(ctx.store.db);
  return until !== null && until >= today ? 0 : foldKpis(ctx, today);
}
