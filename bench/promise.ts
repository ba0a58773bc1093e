/**
 * `npm run bench -- promise [--engines sqlite,postgres] [--quotes 200] [--eta-reps 6] [--delay-reps 3]
 *   [--one-sku-backorders 10000] [--po-lines 500] [--backorders 100000] [--skus 5000] [--breakdown] [--profile DIR]`
 *
 * Promise dates at scale, in-process (no HTTP), on SQLite and PostgreSQL:
 *  1. one SKU x one warehouse, 10,000 waiting backorders, 500 open PO lines from a few suppliers:
 *     (a) p50/p99 of `quote()` for a new order of that SKU, (b) wall time of `changeExpectedDate()` (which
 *     re-promises the SKU in its transaction), alternating a line's date so promises really move;
 *  2. 100,000 waiting backorders over 5,000 SKUs in 3 warehouses, 20 suppliers: a supplier-wide delay (every open
 *     PO line of the biggest supplier +14 days in one UPDATE, then `repromise(ctx, tx, 'all', 'eta_changed')`,
 *     all in one transaction), alternating +14 / -14 days.
 * Fixtures are inserted directly (bench/lib/promise-fixture.ts), then everything is promised once (timed apart as
 * "initial promise"). --breakdown re-runs each measurement with every query timed (bench/lib/promise-sqltimer.ts);
 * --profile DIR writes a CPU profile of each measurement and prints where the time went. Progress goes to stderr,
 * results to stdout; the last line of stdout is one JSON object (SQLite figures unprefixed, PostgreSQL under
 * postgres_*).
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import pino from 'pino';
import { sql } from 'kysely';
import { createContext, type AppContext } from '../src/main/context.js';
import { manualClock } from '../src/shared/clock.js';
import { fail, ok } from '../src/shared/result.js';
import { seededRandom } from '../src/shared/random.js';
import { findViolations } from '../src/audit/invariants.js';
import { quote, type QuoteLine } from '../src/promising/quote.js';
import { promisesForNew, repromise } from '../src/promising/service.js';
import { changeExpectedDate } from '../src/purchasing/service.js';
import { addDays } from '../src/promising/domain.js';
import { createScratchStore, pgAdminUrl, postgresUnreachable, type EngineName } from './lib/stores.js';
import { startProfile, type Profiler } from './lib/profile.js';
import { catalogueFixture, insertFixture, oneSkuFixture, type PromiseFixture } from './lib/promise-fixture.js';
import { SqlTimer, timedContext } from './lib/promise-sqltimer.js';
import { describeProfile, summarizeProfile } from './lib/promise-cpuprofile.js';

const progress = (msg: string) => process.stderr.write(`[bench promise] ${msg}\n`);

/** The benchmark's fixed "now": promise dates, and so the counts of changed promises, repeat run after run. */
const today = '2026-03-02';
const targets = { quoteP99Ms: 5, oneSkuMs: 50, catalogueMs: 3000 };

interface Options {
  engines: EngineName[];
  quotes: number;
  etaReps: number;
  delayReps: number;
  oneSkuBackorders: number;
  poLines: number;
  backorders: number;
  skus: number;
  breakdown: boolean;
  audit: boolean;
  profileDir: string | null;
}

function options(args: string[]): Options {
  const { values: v } = parseArgs({
    args,
    options: {
      engines: { type: 'string', default: 'sqlite,postgres' },
      quotes: { type: 'string', default: '200' },
      'eta-reps': { type: 'string', default: '6' },
      'delay-reps': { type: 'string', default: '3' },
      'one-sku-backorders': { type: 'string', default: '10000' },
      'po-lines': { type: 'string', default: '500' },
      backorders: { type: 'string', default: '100000' },
      skus: { type: 'string', default: '5000' },
      breakdown: { type: 'boolean', default: false },
      'no-audit': { type: 'boolean', default: false },
      profile: { type: 'string' },
    },
  });
  const int = (name: string, s: string, min: number) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}, got '${s}'`);
    return n;
  };
  const engines = v.engines.split(',').map((e) => e.trim());
  for (const e of engines) if (e !== 'sqlite' && e !== 'postgres') throw new Error(`--engines: unknown engine '${e}'`);
  return {
    engines: engines as EngineName[],
    quotes: int('quotes', v.quotes, 1),
    etaReps: int('eta-reps', v['eta-reps'], 1),
    delayReps: int('delay-reps', v['delay-reps'], 1),
    oneSkuBackorders: int('one-sku-backorders', v['one-sku-backorders'], 1),
    poLines: int('po-lines', v['po-lines'], 1),
    backorders: int('backorders', v.backorders, 1),
    skus: int('skus', v.skus, 1),
    breakdown: v.breakdown,
    audit: !v['no-audit'],
    profileDir: v.profile === undefined ? null : resolve(v.profile),
  };
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? NaN;
const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(n < 10 ? 2 : 1) : 'n/a');
const round2 = (n: number) => (Number.isFinite(n) ? Number(n.toFixed(2)) : null);

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const r = await fn();
  return [r, performance.now() - t0];
}

async function count(ctx: AppContext, table: 'backorder_event'): Promise<number> {
  const r = await ctx.store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

async function promiseMix(ctx: AppContext): Promise<{ waiting: number; promised: number; confirmed: number }> {
  const r = await sql<{ w: number; p: number; c: number }>`
    select count(*) as w, count(promised_date) as p, cast(coalesce(sum(promise_confirmed), 0) as bigint) as c
    from backorder where status in ('open', 'partially_allocated')`.execute(ctx.store.db);
  const row = r.rows[0]!;
  return { waiting: Number(row.w), promised: Number(row.p), confirmed: Number(row.c) };
}

/** A scratch store with the fixture in it, everything promised once (that first pass timed on its own). */
async function prepare(engine: EngineName, fixture: PromiseFixture, label: string, o: Options) {
  const store = await createScratchStore(engine);
  const ctx = await createContext({ databaseUrl: store.url, log: pino({ level: 'silent' }), clock: manualClock(`${today}T09:00:00.000Z`), poolSize: 4 });
  try {
    const [, insertMs] = await timed(() => insertFixture(ctx, fixture));
    progress(`${engine} ${label}: inserted ${fixture.backorders} backorders, ${fixture.openLines.length} open PO lines, ${fixture.rows.po_receipt.length} receipts in ${(insertMs / 1000).toFixed(1)} s`);
    const [initial, initialMs] = await timed(() => ctx.store.transaction(async (tx) => ok(await repromise(ctx, tx, 'all', 'manual'))));
    if (!initial.ok) throw new Error(`initial promise failed: ${initial.error.message}`);
    const mix = await promiseMix(ctx);
    progress(`${engine} ${label}: initial promise of ${mix.waiting} backorders in ${ms(initialMs)} ms (${mix.promised} promised, ${mix.confirmed} confirmed by inbound supply)`);
    let violations: number | null = null;
    if (o.audit) {
      const [v, auditMs] = await timed(() => findViolations(ctx.store.db));
      violations = v.length;
      progress(`${engine} ${label}: invariants audit ${v.length === 0 ? 'clean' : `${v.length} violation(s), first: ${v[0]}`} (${(auditMs / 1000).toFixed(1)} s)`);
    }
    return { store, ctx, insertMs, initialMs, initialEvents: initial.value, mix, violations };
  } catch (e) {
    await ctx.store.close();
    await store.drop();
    throw e;
  }
}

interface Profiling {
  lines: string[];
  dir: string | null;
}

async function profiled<T>(prof: Profiling, name: string, fn: () => Promise<T>): Promise<T> {
  if (!prof.dir) return fn();
  const profiler: Profiler = await startProfile(prof.dir);
  try {
    return await fn();
  } finally {
    const file = await profiler.stop(name);
    prof.lines.push(...describeProfile(`profile ${name} (${file})`, summarizeProfile(file, 18)));
  }
}

/** Requests whose quoted promise differs from promisesForNew on the full queue (stored projection dropped). */
async function crossCheckQuotes(ctx: AppContext, skuId: string, requests: { customerId: string; lines: { skuId: string; quantity: number }[] }[]): Promise<string[]> {
  const quoted: (QuoteLine['backorder'] | undefined)[] = [];
  for (const r of requests) {
    const q = await quote(ctx, r);
    quoted.push(q.ok ? q.value.lines[0]?.backorder : undefined);
  }
  const mismatches: string[] = [];
  await ctx.store.transaction(async (tx) => {
    await tx.deleteFrom('sku_projection').execute();
    for (const [i, r] of requests.entries()) {
      const q = quoted[i];
      if (!q) continue;
      const customer = await tx.selectFrom('customer').select('tier').where('id', '=', r.customerId).executeTakeFirstOrThrow();
      const extra = [{ backorderId: 'quote-0000', orderId: 'quote', placedAt: ctx.clock.now().toISOString(), customerTier: customer.tier, waiting: q.quantity, warehouseId: q.warehouseId, flexible: q.flexible }];
      const full = (await promisesForNew(ctx, tx, skuId, extra)).at(-1)!;
      if (full.date !== q.promisedDate || Math.round(full.confidence * 1000) / 1000 !== q.confidence || full.confirmed !== q.confirmed) {
        mismatches.push(`${r.customerId} x${r.lines[0]!.quantity}: quote ${q.promisedDate} (${q.confidence}), full projection ${full.date} (${full.confidence})`);
      }
    }
    return fail('internal', 'rolled back on purpose');
  });
  return mismatches;
}

interface OneSkuResult {
  insertMs: number;
  initialMs: number;
  mix: { waiting: number; promised: number; confirmed: number };
  violations: number | null;
  quoteMs: number[];
  quoteP50: number;
  quoteP99: number;
  quotesWithDate: number;
  quoteMismatches: string[];
  etaMs: number[];
  etaChanged: number[];
  etaMedian: number;
  movedLine: { lineId: string; from: string; to: string };
}

async function scenarioOneSku(engine: EngineName, fixture: PromiseFixture, o: Options, prof: Profiling): Promise<OneSkuResult> {
  const p = await prepare(engine, fixture, 'one SKU', o);
  const { ctx } = p;
  try {
    const skuId = fixture.skuIds[0]!;
    const rand = seededRandom(99);
    const request = () => ({
      customerId: fixture.customerIds[Math.floor(rand() * fixture.customerIds.length)]!,
      lines: [{ skuId, quantity: [1, 2, 4, 6, 12, 24][Math.floor(rand() * 6)]! }],
    });
    // (a) quotes: a few unmeasured first (JIT, statement cache), then `quotes` measured one after another.
    for (let i = 0; i < Math.min(20, o.quotes); i++) await quote(ctx, request());
    const quoteMs: number[] = [];
    let quotesWithDate = 0;
    await profiled(prof, `${engine}-quote`, async () => {
      for (let i = 0; i < o.quotes; i++) {
        const [r, t] = await timed(() => quote(ctx, request()));
        if (!r.ok) throw new Error(`quote failed: ${r.error.message}`);
        if (r.value.lines[0]?.backorder?.promisedDate) quotesWithDate++;
        quoteMs.push(t);
      }
    });
    const sortedQ = [...quoteMs].sort((a, b) => a - b);
    progress(`${engine} one SKU: ${o.quotes} quotes p50 ${ms(percentile(sortedQ, 0.5))} ms, p99 ${ms(percentile(sortedQ, 0.99))} ms`);

    // Cross-check: the quote (which may use a stored projection) against a full re-projection of the queue, for the
    // same requests, in a transaction that drops the stored projection and is rolled back.
    const quoteMismatches: string[] = await crossCheckQuotes(ctx, skuId, Array.from({ length: 20 }, request));
    progress(`${engine} one SKU: quote vs full projection: ${quoteMismatches.length === 0 ? 'same promise for 20 requests' : `${quoteMismatches.length} of 20 differ, first: ${quoteMismatches[0]}`}`);

    // (b) ETA change of the earliest open line: +45 days, then back, ... Every promise behind it moves.
    const line = [...fixture.openLines].sort((a, b) => (a.expectedDate < b.expectedDate ? -1 : 1))[0]!;
    const later = addDays(line.expectedDate, 45);
    const etaMs: number[] = [];
    const etaChanged: number[] = [];
    await profiled(prof, `${engine}-eta-change`, async () => {
      for (let i = 0; i < o.etaReps; i++) {
        const before = await count(ctx, 'backorder_event');
        const [r, t] = await timed(() => changeExpectedDate(ctx, line.poId, line.lineId, i % 2 === 0 ? later : line.expectedDate));
        if (!r.ok) throw new Error(`changeExpectedDate failed: ${r.error.message}`);
        etaMs.push(t);
        etaChanged.push((await count(ctx, 'backorder_event')) - before);
      }
    });
    progress(`${engine} one SKU: ETA change ${etaMs.map(ms).join(' / ')} ms, promises changed ${etaChanged.join(' / ')}`);

    if (o.breakdown) {
      const timer = new SqlTimer();
      const tctx = timedContext(ctx, timer);
      const n = Math.min(50, o.quotes);
      const [, qTotal] = await timed(async () => {
        for (let i = 0; i < n; i++) await quote(tctx, request());
      });
      prof.lines.push(
        `${engine} breakdown: quote, per call (mean of ${n}): ${ms(qTotal / n)} ms wall, SQL ${ms(timer.totalMs() / n)} ms, rest (JS: planning, projection) ${ms((qTotal - timer.totalMs()) / n)} ms`,
        ...timer.describe('    ', n),
      );
      timer.reset();
      const [, eTotal] = await timed(async () => {
        for (let i = 0; i < 2; i++) await changeExpectedDate(tctx, line.poId, line.lineId, i % 2 === 0 ? later : line.expectedDate);
      });
      prof.lines.push(
        `${engine} breakdown: ETA change, per call (mean of 2): ${ms(eTotal / 2)} ms wall, SQL ${ms(timer.totalMs() / 2)} ms, rest (JS) ${ms((eTotal - timer.totalMs()) / 2)} ms`,
        ...timer.describe('    ', 2),
      );
    }
    return {
      insertMs: p.insertMs, initialMs: p.initialMs, mix: p.mix, violations: p.violations, quoteMs,
      quoteP50: percentile(sortedQ, 0.5), quoteP99: percentile(sortedQ, 0.99), quotesWithDate, quoteMismatches, etaMs, etaChanged,
      etaMedian: median(etaMs), movedLine: { lineId: line.lineId, from: line.expectedDate, to: later },
    };
  } finally {
    await ctx.store.close();
    await p.store.drop();
  }
}

interface CatalogueResult {
  insertMs: number;
  initialMs: number;
  mix: { waiting: number; promised: number; confirmed: number };
  violations: number | null;
  supplierId: string;
  delayedLines: number;
  delayMs: number[];
  delayChanged: number[];
  delayMedian: number;
  noopMs: number;
  supplierSkus: number;
  supplierSkuBackorders: number;
  scopedMs: number[];
  scopedChanged: number[];
  scopedMedian: number;
}

/** Every open PO line of the supplier moves by `days` in one statement (ISO-day text, engine-specific date math). */
async function shiftSupplier(ctx: AppContext, tx: Parameters<typeof repromise>[1], supplierId: string, days: number): Promise<number> {
  const shifted = ctx.store.dialect === 'postgres'
    ? sql<string>`to_char(cast(expected_date as date) + ${days}::int, 'YYYY-MM-DD')`
    : sql<string>`date(expected_date, ${`${days >= 0 ? '+' : ''}${days} days`})`;
  const r = await tx
    .updateTable('po_line')
    .set({ expected_date: shifted })
    .where(sql<boolean>`quantity - received - cancelled > 0`)
    .where('po_id', 'in', (eb) => eb.selectFrom('purchase_order').select('id').where('supplier_id', '=', supplierId).where('status', 'in', ['placed', 'partially_received']))
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

async function scenarioCatalogue(engine: EngineName, fixture: PromiseFixture, o: Options, prof: Profiling): Promise<CatalogueResult> {
  const p = await prepare(engine, fixture, `${fixture.skuIds.length} SKUs`, o);
  const { ctx } = p;
  try {
    // The supplier with the most open lines: the delay that hurts most.
    const bySupplier = new Map<string, number>();
    for (const l of fixture.openLines) bySupplier.set(l.supplierId, (bySupplier.get(l.supplierId) ?? 0) + 1);
    const supplierId = [...bySupplier].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];

    // Nothing changed: reading and projecting everything, writing nothing.
    const [, noopMs] = await timed(() => ctx.store.transaction(async (tx) => ok(await repromise(ctx, tx, 'all', 'manual'))));
    progress(`${engine} catalogue: re-promise with nothing changed ${ms(noopMs)} ms`);

    // Alternate +14 / -14 days so every run really moves promises (and the store ends where it started, or +14).
    let shifted = false;
    const delay = async (scope: 'all' | string[]) => {
      const days = shifted ? -14 : 14;
      shifted = !shifted;
      const [r, t] = await timed(() =>
        ctx.store.transaction(async (tx) => {
          const lines = await shiftSupplier(ctx, tx, supplierId, days);
          return ok({ lines, changed: await repromise(ctx, tx, scope, 'eta_changed') });
        }),
      );
      if (!r.ok) throw new Error(`supplier delay failed: ${r.error.message}`);
      const what = scope === 'all' ? 're-promise all' : `re-promise its ${scope.length} SKUs`;
      progress(`${engine} catalogue: ${supplierId} ${days > 0 ? '+' : ''}${days} days on ${r.value.lines} open lines, ${what}: ${ms(t)} ms, ${r.value.changed} promises changed`);
      return { ms: t, changed: r.value.changed, lines: r.value.lines };
    };
    const delayMs: number[] = [];
    const delayChanged: number[] = [];
    let delayedLines = 0;
    await profiled(prof, `${engine}-supplier-delay`, async () => {
      for (let i = 0; i < o.delayReps; i++) {
        const r = await delay('all');
        delayedLines = r.lines;
        delayMs.push(r.ms);
        delayChanged.push(r.changed);
      }
    });
    // What an API that knows which SKUs the supplier's lines touch would do: re-promise only those.
    const supplierSkus = [...new Set(fixture.openLines.filter((l) => l.supplierId === supplierId).map((l) => l.skuId))];
    const supplierSkuSet = new Set(supplierSkus);
    const scopedMs: number[] = [];
    const scopedChanged: number[] = [];
    for (let i = 0; i < o.delayReps; i++) {
      const r = await delay(supplierSkus);
      scopedMs.push(r.ms);
      scopedChanged.push(r.changed);
    }

    if (o.breakdown) {
      const timer = new SqlTimer();
      const tctx = timedContext(ctx, timer);
      // Same work once more with every query timed, rolled back so the store is left as it was.
      const [, total] = await timed(() =>
        tctx.store.transaction(async (tx) => {
          await shiftSupplier(tctx, tx, supplierId, 14);
          await repromise(tctx, tx, 'all', 'eta_changed');
          return fail('internal', 'rolled back on purpose');
        }),
      );
      prof.lines.push(
        `${engine} breakdown: supplier delay + re-promise all (rolled back): ${ms(total)} ms wall, SQL ${ms(timer.totalMs())} ms, rest (JS) ${ms(total - timer.totalMs())} ms`,
        ...timer.describe('    '),
      );
    }
    return {
      insertMs: p.insertMs, initialMs: p.initialMs, mix: p.mix, violations: p.violations, supplierId, delayedLines,
      delayMs, delayChanged, delayMedian: median(delayMs), noopMs, supplierSkus: supplierSkus.length,
      supplierSkuBackorders: fixture.rows.backorder.filter((b) => supplierSkuSet.has(b.sku_id)).length,
      scopedMs, scopedChanged, scopedMedian: median(scopedMs),
    };
  } finally {
    await ctx.store.close();
    await p.store.drop();
  }
}

interface EngineResult {
  one: OneSkuResult;
  cat: CatalogueResult;
}

const verdict = (value: number, target: number) => (value < target ? `meets < ${target}` : `MISSES < ${target}`);

function describe(engine: EngineName, r: EngineResult, one: PromiseFixture, cat: PromiseFixture): string[] {
  const pad = engine.padEnd(8);
  const tgt = (v: number, t: number) => (engine === 'sqlite' ? `  [${verdict(v, t)}]` : '');
  const q = [...r.one.quoteMs].sort((a, b) => a - b);
  return [
    `${pad} 1. one SKU, ${one.backorders} backorders, ${one.openLines.length} open PO lines: initial promise ${ms(r.one.initialMs)} ms (${r.one.mix.confirmed}/${r.one.mix.waiting} confirmed by inbound)`,
    `${pad}    quote       p50 ${ms(r.one.quoteP50)} ms  p99 ${ms(r.one.quoteP99)} ms  min ${ms(q[0]!)}  max ${ms(q.at(-1)!)}  (${r.one.quoteMs.length} quotes, ${r.one.quotesWithDate} with a promise date; ${r.one.quoteMismatches.length} of 20 differ from a full projection)${tgt(r.one.quoteP99, targets.quoteP99Ms)}`,
    `${pad}    ETA change  median ${ms(r.one.etaMedian)} ms  [${r.one.etaMs.map(ms).join(', ')}] ms; promises changed [${r.one.etaChanged.join(', ')}] (line ${r.one.movedLine.lineId} ${r.one.movedLine.from} <-> ${r.one.movedLine.to})${tgt(r.one.etaMedian, targets.oneSkuMs)}`,
    `${pad} 2. ${cat.skuIds.length} SKUs, ${cat.backorders} backorders, ${cat.openLines.length} open PO lines: initial promise ${ms(r.cat.initialMs)} ms (${r.cat.mix.confirmed}/${r.cat.mix.waiting} confirmed), re-promise with nothing changed ${ms(r.cat.noopMs)} ms`,
    `${pad}    supplier delay (${r.cat.supplierId}, ${r.cat.delayedLines} open lines +/-14 days) + re-promise all: median ${ms(r.cat.delayMedian)} ms  [${r.cat.delayMs.map(ms).join(', ')}] ms; promises changed [${r.cat.delayChanged.join(', ')}]${tgt(r.cat.delayMedian, targets.catalogueMs)}`,
    `${pad}    same delay, re-promising only the supplier's ${r.cat.supplierSkus} SKUs (${r.cat.supplierSkuBackorders} backorders): median ${ms(r.cat.scopedMedian)} ms  [${r.cat.scopedMs.map(ms).join(', ')}] ms; promises changed [${r.cat.scopedChanged.join(', ')}]`,
    `${pad}    setup: inserts ${(r.one.insertMs / 1000).toFixed(1)} s + ${(r.cat.insertMs / 1000).toFixed(1)} s; invariant violations ${r.one.violations ?? 'n/a'} + ${r.cat.violations ?? 'n/a'}`,
  ];
}

function jsonFields(engine: EngineName, r: EngineResult | null): Record<string, unknown> {
  const k = (s: string) => (engine === 'sqlite' ? s : `postgres_${s}`);
  if (!r) return { [k('quote_p99_ms')]: null, [k('repromise_one_sku_ms')]: null, [k('repromise_100k_ms')]: null };
  return {
    [k('quote_p99_ms')]: round2(r.one.quoteP99),
    [k('repromise_one_sku_ms')]: round2(r.one.etaMedian),
    [k('repromise_100k_ms')]: round2(r.cat.delayMedian),
    [k('quote_p50_ms')]: round2(r.one.quoteP50),
    [k('quote_max_ms')]: round2(Math.max(...r.one.quoteMs)),
    [k('repromise_one_sku_runs_ms')]: r.one.etaMs.map(round2),
    [k('repromise_one_sku_changed')]: r.one.etaChanged,
    [k('repromise_100k_runs_ms')]: r.cat.delayMs.map(round2),
    [k('repromise_100k_changed')]: r.cat.delayChanged,
    [k('repromise_100k_noop_ms')]: round2(r.cat.noopMs),
    [k('repromise_supplier_skus_ms')]: round2(r.cat.scopedMedian),
    [k('repromise_supplier_skus_changed')]: r.cat.scopedChanged,
    [k('supplier_skus')]: r.cat.supplierSkus,
    [k('initial_promise_one_sku_ms')]: round2(r.one.initialMs),
    [k('initial_promise_100k_ms')]: round2(r.cat.initialMs),
    [k('delayed_po_lines')]: r.cat.delayedLines,
    [k('invariant_violations')]: (r.one.violations ?? 0) + (r.cat.violations ?? 0),
    [k('quote_vs_full_projection_mismatches')]: r.one.quoteMismatches.length,
  };
}

export async function main(args: string[]): Promise<void> {
  const o = options(args);
  const t0 = performance.now();
  const one = oneSkuFixture(today, o.oneSkuBackorders, o.poLines);
  const cat = catalogueFixture(today, o.backorders, o.skus);
  progress(`fixtures built in ${((performance.now() - t0) / 1000).toFixed(1)} s: one SKU ${one.backorders} backorders (${one.units} units waiting, ${one.inboundUnits} inbound); catalogue ${cat.backorders} backorders over ${cat.skuIds.length} SKUs (${cat.units} units waiting, ${cat.inboundUnits} inbound on ${cat.openLines.length} open lines)`);

  const pgDown = o.engines.includes('postgres') ? await postgresUnreachable() : null;
  if (pgDown) progress(`PostgreSQL at ${pgAdminUrl} is unreachable (${pgDown}): postgres results are null`);

  const prof: Profiling = { lines: [], dir: o.profileDir };
  const results: Partial<Record<EngineName, EngineResult | null>> = {};
  for (const engine of o.engines) {
    if (engine === 'postgres' && pgDown) {
      results[engine] = null;
      continue;
    }
    results[engine] = { one: await scenarioOneSku(engine, one, o, prof), cat: await scenarioCatalogue(engine, cat, o, prof) };
  }

  const out: string[] = [
    `promise benchmark: in-process calls, fixed clock ${today}; scenario 1 = 1 SKU x 1 warehouse, scenario 2 = ${cat.skuIds.length} SKUs x 3 warehouses, 20 suppliers, ${cat.rows.po_receipt.length} past receipts`,
    'note: 2-core machine shared with other work; timings are noisy (compare medians, re-run before trusting one number)',
  ];
  if (o.profileDir) out.push('note: --profile was on: the timings above were taken under the CPU profiler and are slower than without it');
  for (const engine of o.engines) {
    const r = results[engine];
    if (r) out.push(...describe(engine, r, one, cat));
    else out.push(`${engine.padEnd(8)} not run: PostgreSQL unreachable (${pgDown})`);
  }
  if (prof.lines.length > 0) out.push('', ...prof.lines, '');
  const sqlite = results.sqlite ?? null;
  const json: Record<string, unknown> = {
    ...jsonFields('sqlite', sqlite),
    ...jsonFields('postgres', results.postgres ?? null),
    targets_met: sqlite
      ? {
          quote_p99: sqlite.one.quoteP99 < targets.quoteP99Ms,
          repromise_one_sku: sqlite.one.etaMedian < targets.oneSkuMs,
          repromise_100k: sqlite.cat.delayMedian < targets.catalogueMs,
        }
      : null,
    targets_ms: { quote_p99: targets.quoteP99Ms, repromise_one_sku: targets.oneSkuMs, repromise_100k: targets.catalogueMs },
    one_sku_backorders: one.backorders,
    one_sku_open_po_lines: one.openLines.length,
    quotes: o.quotes,
    eta_reps: o.etaReps,
    backorders_100k: cat.backorders,
    skus: cat.skuIds.length,
    open_po_lines_100k: cat.openLines.length,
    receipts_100k: cat.rows.po_receipt.length,
    delay_reps: o.delayReps,
    postgres_unreachable: pgDown,
  };
  process.stdout.write(`${out.join('\n')}\n${JSON.stringify(json)}\n`);
}
