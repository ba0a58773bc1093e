/**
 * `npm run bench -- kpi [--lines 1000000] [--engines sqlite,postgres] [--reps 3]`
 *
 * Issue 7: every KPI (GET /kpis: intake rates, cycle time, backorder ageing and time to clear, promise accuracy,
 * CSAT, inventory turnover and days of supply) for one year of synthetic order lines (bench/lib/kpi-fixture.ts),
 * per month and warehouse, in-process (kpiReport), on each engine: once from the source tables alone, then after the
 * worker's fold of the past days (src/kpis/rollup.ts, timed apart: it runs once per day of data). The first call
 * after the fold is reported apart (cold caches); the figure is the median of the repetitions after it.
 * Target: < 2,000 ms on each engine for 1,000,000 lines.
 * Progress goes to stderr; the last line of stdout is one JSON object.
 */
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pino from 'pino';
import { createContext } from '../src/main/context.js';
import { manualClock } from '../src/shared/clock.js';
import { kpiReport } from '../src/kpis/service.js';
import { foldKpis } from '../src/kpis/rollup.js';
import { writeKpiYear } from './lib/kpi-fixture.js';
import { createScratchStore, pgAdminUrl, postgresUnreachable, type EngineName } from './lib/stores.js';

const progress = (msg: string) => process.stderr.write(`[bench kpi] ${msg}\n`);
const targetMs = 2000;
const year = 2025;

function options(args: string[]) {
  const { values: v } = parseArgs({
    args,
    options: {
      lines: { type: 'string', default: '1000000' },
      engines: { type: 'string', default: 'sqlite,postgres' },
      reps: { type: 'string', default: '3' },
    },
  });
  const positive = (name: string, s: string) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got '${s}'`);
    return n;
  };
  const engines = v.engines.split(',').map((e) => e.trim());
  for (const e of engines) if (e !== 'sqlite' && e !== 'postgres') throw new Error(`--engines: unknown engine '${e}' (sqlite, postgres)`);
  return { lines: positive('lines', v.lines), engines: engines as EngineName[], reps: positive('reps', v.reps) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

async function runEngine(engine: EngineName, o: ReturnType<typeof options>): Promise<{ live: number; fold: number; cold: number; runs: number[]; rows: number; lines: number }> {
  const store = await createScratchStore(engine);
  const ctx = await createContext({ databaseUrl: store.url, log: pino({ level: 'silent' }), clock: manualClock(`${year + 1}-01-01T00:00:00.000Z`) });
  try {
    const t0 = performance.now();
    const written = await writeKpiYear(ctx, { lines: o.lines, skus: 4000, customers: 20_000, year, seed: 7 }, (m) => progress(`${engine}: ${m}`));
    // PostgreSQL: fresh tables have no statistics until autovacuum gets to them; production tables do.
    if (engine === 'postgres') await sql`analyze`.execute(ctx.store.db);
    progress(`${engine}: ${written.lines.toLocaleString('en')} lines in ${written.orders.toLocaleString('en')} orders written in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    const once = async () => {
      const t = performance.now();
      const r = await kpiReport(ctx, { from: `${year}-01-01`, to: `${year}-12-31`, period: 'month', by: 'warehouse' });
      if (!r.ok) throw new Error(r.error.message);
      return { ms: performance.now() - t, rows: r.value.rows.length, total: r.value.totals };
    };
    const live = await once();
    progress(`${engine}: from the source tables alone: ${live.ms.toFixed(0)} ms`);
    const tf = performance.now();
    const days = await foldKpis(ctx, `${year + 1}-01-01`);
    const fold = performance.now() - tf;
    progress(`${engine}: folded ${days} days in ${(fold / 1000).toFixed(1)} s`);
    const cold = await once();
    if (JSON.stringify(cold.total) !== JSON.stringify(live.total)) throw new Error('the folded report differs from the one read from the source tables');
    const runs: number[] = [];
    for (let i = 0; i < o.reps; i++) runs.push((await once()).ms);
    const t = cold.total.find((r) => r.slice === 'UK');
    if (t) progress(`${engine}: UK year: backorder rate (units) ${t.intake.backorderRate.units?.toFixed(4)}, fill rate (units) ${t.intake.fillRate.units?.toFixed(4)}, promise accuracy ${t.backorders.promiseAccuracy.rate?.toFixed(4)}, cycle p50 ${t.cycleTime.p50Hours} h, turnover ${t.inventory?.turnover?.toFixed(2)}`);
    return { live: live.ms, fold, cold: cold.ms, runs, rows: cold.rows, lines: written.lines };
  } finally {
    await ctx.store.close();
    await store.drop();
  }
}

export async function main(args: string[]): Promise<void> {
  const o = options(args);
  const pgDown = o.engines.includes('postgres') ? await postgresUnreachable() : null;
  if (pgDown) progress(`PostgreSQL at ${pgAdminUrl} is unreachable (${pgDown}): postgres results are null`);
  const out = [`kpi benchmark: all KPIs for ${year}, by month and warehouse, in-process (kpiReport) after the fold; median of ${o.reps} runs after a cold one`];
  const json: Record<string, unknown> = {};
  for (const engine of o.engines) {
    if (engine === 'postgres' && pgDown) {
      json[`kpi_all_ms_${engine}`] = null;
      continue;
    }
    const r = await runEngine(engine, o);
    const m = median(r.runs);
    out.push(`${engine.padEnd(8)} ${r.lines.toLocaleString('en')} lines: ${m.toFixed(0)} ms (runs ${r.runs.map((x) => x.toFixed(0)).join(', ')}; cold ${r.cold.toFixed(0)} ms; ${r.rows} rows) target < ${targetMs} ms: ${m < targetMs ? 'met' : 'MISSED'}; source tables alone ${r.live.toFixed(0)} ms; fold of the year ${(r.fold / 1000).toFixed(1)} s`);
    json[`kpi_all_ms_${engine}`] = Math.round(m);
    json[`kpi_cold_ms_${engine}`] = Math.round(r.cold);
    json[`kpi_unfolded_ms_${engine}`] = Math.round(r.live);
    json[`kpi_fold_s_${engine}`] = Number((r.fold / 1000).toFixed(1));
    json.lines = r.lines;
  }
  process.stdout.write(`${out.join('\n')}\n${JSON.stringify(json)}\n`);
}
