/**
 * `npm run bench -- allocation-run [--backorders 100000] [--skus 5000] [--reps 3] [--breakdown] [--profile DIR]`
 *
 * Issue 8: a processing run over 100,000 open backorders across 5,000 SKUs (the promise benchmark's catalogue
 * fixture, 3 warehouses) after receipts brought free stock of about 30% of what waits at each SKU, spread over the
 * warehouses. Times the dry run (read the state, plan every SKU under tier-then-FIFO, diff, project the promises
 * of what still waits) on SQLite: the median of `reps` runs after a cold one; then the commit of that run (once: it
 * changes the state), SKU by SKU (src/allocation/run-commit.ts), and checks that it made exactly the dry run's changes and broke no
 * invariant. --breakdown times every query of a dry run and of the commit (bench/lib/promise-sqltimer.ts) and prints them by kind;
 * --profile writes CPU profiles of one more dry run and of the commit to DIR.
 * Target: dry run < 2 s and commit < 10 s on SQLite. Progress to stderr; the last line of stdout is JSON.
 */
import { parseArgs } from 'node:util';
import pino from 'pino';
import { createContext } from '../src/main/context.js';
import { manualClock } from '../src/shared/clock.js';
import { ok } from '../src/shared/result.js';
import { seededRandom } from '../src/shared/random.js';
import { dryRun } from '../src/allocation/run-service.js';
import { commitRun } from '../src/allocation/run-commit.js';
import { findViolations } from '../src/audit/invariants.js';
import { insertInBatches } from './lib/bulk.js';
import { SqlTimer, timedContext } from './lib/promise-sqltimer.js';
import { startProfile } from './lib/profile.js';
import { catalogueFixture, insertFixture } from './lib/promise-fixture.js';
import { createScratchStore } from './lib/stores.js';

const today = '2026-03-02';
const progress = (msg: string) => process.stderr.write(`[bench allocation-run] ${msg}\n`);

function options(args: string[]) {
  const { values: v } = parseArgs({ args, options: { backorders: { type: 'string', default: '100000' }, skus: { type: 'string', default: '5000' }, reps: { type: 'string', default: '3' }, breakdown: { type: 'boolean', default: false }, profile: { type: 'string' } } });
  const positive = (name: string, s: string) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got '${s}'`);
    return n;
  };
  return { backorders: positive('backorders', v.backorders), skus: positive('skus', v.skus), reps: positive('reps', v.reps), breakdown: v.breakdown, profile: v.profile };
}

export async function main(args: string[]): Promise<void> {
  const o = options(args);
  const fixture = catalogueFixture(today, o.backorders, o.skus);
  const store = await createScratchStore('sqlite');
  const ctx = await createContext({ databaseUrl: store.url, log: pino({ level: 'silent' }), clock: manualClock(`${today}T09:00:00.000Z`) });
  try {
    await insertFixture(ctx, fixture);
    // Receipts: free stock of ~30% of each SKU's waiting units, in random warehouses (levels and their ledger rows).
    const rand = seededRandom(11);
    const waiting = new Map<string, number>();
    for (const b of fixture.rows.backorder) waiting.set(b.sku_id as string, (waiting.get(b.sku_id as string) ?? 0) + Number(b.quantity));
    const warehouses = fixture.rows.warehouse.map((w) => w.id as string);
    const at = `${today}T08:00:00.000Z`;
    const levels: Record<string, unknown>[] = [];
    const movements: Record<string, unknown>[] = [];
    for (const [skuId, units] of waiting) {
      const byWarehouse = new Map<string, number>();
      for (let left = Math.round(units * 0.3); left > 0; ) {
        const q = Math.min(left, 1 + Math.floor(rand() * 24));
        const w = warehouses[Math.floor(rand() * warehouses.length)]!;
        byWarehouse.set(w, (byWarehouse.get(w) ?? 0) + q);
        left -= q;
      }
      for (const [w, q] of byWarehouse) {
        levels.push({ sku_id: skuId, warehouse_id: w, on_hand: q, allocated: 0, updated_at: at });
        movements.push({ id: `mov_R${movements.length}`, sku_id: skuId, warehouse_id: w, kind: 'receipt', quantity: q, reason: null, source_type: null, source_id: null, created_at: at });
      }
    }
    await ctx.store.transaction(async (tx) => {
      await insertInBatches(tx, 'stock_level', levels);
      await insertInBatches(tx, 'movement', movements);
      return ok(undefined);
    });
    progress(`${fixture.backorders.toLocaleString('en')} backorders over ${o.skus.toLocaleString('en')} SKUs, ${levels.length.toLocaleString('en')} stock levels with free units`);
    const once = async () => {
      const t = performance.now();
      const r = await dryRun(ctx, { strategy: { name: 'tier-then-fifo' } });
      if (!r.ok) throw new Error(r.error.message);
      return { ms: performance.now() - t, run: r.value };
    };
    const cold = await once();
    const runs: number[] = [];
    for (let i = 0; i < o.reps; i++) runs.push((await once()).ms);
    const median = [...runs].sort((a, b) => a - b)[Math.floor((runs.length - 1) / 2)]!;
    const r = cold.run;
    if (o.breakdown) {
      const dryTimer = new SqlTimer();
      const t1 = performance.now();
      await dryRun(timedContext(ctx, dryTimer), { strategy: { name: 'tier-then-fifo' } });
      progress(`dry run SQL by statement (${dryTimer.totalMs().toFixed(0)} ms of ${(performance.now() - t1).toFixed(0)}):\n${dryTimer.describe().join('\n')}`);
    }
    if (o.profile) {
      const dryProfiler = await startProfile(o.profile);
      await once();
      progress(`CPU profile of a dry run: ${await dryProfiler.stop('allocation-dry-run')}`);
    }
    progress(`dry run ${median.toFixed(0)} ms; committing`);
    const timer = new SqlTimer();
    const profiler = o.profile ? await startProfile(o.profile) : null;
    const t0 = performance.now();
    const committed = await commitRun(o.breakdown ? timedContext(ctx, timer) : ctx, { strategy: { name: 'tier-then-fifo' }, requestedBy: 'bench', trigger: 'cli' });
    const commitMs = performance.now() - t0;
    if (profiler) progress(`CPU profile of the commit: ${await profiler.stop('allocation-commit')}`);
    if (!committed.ok) throw new Error(committed.error.message);
    if (committed.value.status !== 'committed') throw new Error(`commit failed: ${committed.value.error}`);
    if (JSON.stringify(committed.value.changes) !== JSON.stringify(r.changes)) throw new Error('the commit did not make the dry run\'s changes');
    if (o.breakdown) progress(`commit SQL by statement (${timer.totalMs().toFixed(0)} ms of ${commitMs.toFixed(0)}):\n${timer.describe().join('\n')}`);
    const violations = await findViolations(ctx.store.db);
    if (violations.length > 0) throw new Error(`invariants broken after the commit: ${violations.slice(0, 3).join('; ')}`);
    process.stdout.write(
      `allocation-run benchmark (SQLite, tier-then-FIFO over ${r.skus} SKUs, ${r.backorders} open backorders): dry run ${median.toFixed(0)} ms ` +
        `(runs ${runs.map((x) => x.toFixed(0)).join(', ')}; cold ${cold.ms.toFixed(0)} ms): ${r.changes.length} changes, ${r.unitsGained} units gained, ` +
        `${r.customersAffected} customers affected; target < 2000 ms: ${median < 2000 ? 'met' : 'MISSED'}; ` +
        `commit ${commitMs.toFixed(0)} ms (equal to the dry run, no invariant broken); target < 10000 ms: ${commitMs < 10_000 ? 'met' : 'MISSED'}\n` +
        `${JSON.stringify({ dry_run_ms: Math.round(median), dry_run_cold_ms: Math.round(cold.ms), commit_ms: Math.round(commitMs), backorders: r.backorders, skus: r.skus, changes: r.changes.length })}\n`,
    );
  } finally {
    await ctx.store.close();
    await store.drop();
  }
}
