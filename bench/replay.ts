/**
 * `npm run bench -- replay [--data FILE] [--from DAY] [--to DAY] [--backorder-cost B | --service P] [--order-cost K]
 * [--review-days N] [--minmax-factors 1,2,4,5,6,8] [--listed-days-ahead D] [--side-by-side]`: the Online Retail year
 * (all 525,461 lines) replayed through the whole system on SQLite, with Raincheck's recommendations (each backordered
 * line priced at B, planning's default 2500 unless set, or a fill rate target P for every SKU) and once per knob k of
 * the min/max rule of thumb, each in its own `raincheck replay` process (so its wall time and peak memory are its
 * own). Raincheck runs twice: with each SKU listed D days (default 42) before its first order in the file, as a
 * company lists a product before it goes on sale, so planning can buy for launches (the headline), and listed on the
 * day of its first order (the file alone: nothing can be bought for a product before it first sells). The rule
 * plans no launches, so its runs are the same in both (its decisions never read a listing date; a test holds its
 * facts to that). Prints each run's KPIs and where its time went; last line JSON with Raincheck's run against the
 * baseline's, the keys ending `_listed_at_first_order` for the second run. The baseline
 * is the rule read at Raincheck's average inventory value (interpolated between the two settings of k around it), so
 * the reduction is at equal inventory; outside the rule's range it is the rule's cheapest setting holding at least
 * as much (or, if none does, its largest), and the inventory ratio says so. `lines_per_s` counts the file's rows over
 * the Raincheck run's wall time.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { onlineRetailFile } from './lib/data.js';
import type { ReplaySummary } from '../src/replay/run.js';
import { linearAt } from '../src/shared/interpolate.js';
import { planningDefaults } from '../src/replenishment/service.js';

type Run = ReplaySummary & { wallS: number; peakRssMb: number; minmaxFactor?: number };

const cli = fileURLToPath(new URL('../src/main/cli.ts', import.meta.url));
const progress = (msg: string) => process.stderr.write(`[bench replay] ${msg}\n`);

function replay(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, 'replay', ...args, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      const last = d.toString().trim().split('\n').pop();
      if (last) progress(last);
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!) as Run) : reject(new Error(`raincheck replay exited ${code}: ${err.slice(-2000)}`))));
  });
}

const pct = (x: number | null) => (x === null ? '   n/a' : `${(100 * x).toFixed(1).padStart(5)}%`);

function row(r: Run): string {
  const k = r.kpis;
  const parts = Object.entries(r.seconds).map(([part, s]) => `${part} ${s.toFixed(0)}`).join(', ');
  return `${`${r.policy} (${r.setting})`.padEnd(40)} fill ${pct(k.fillRate)}  backorder rate ${pct(k.backorderRate)} (new SKUs ${pct(r.bySkuAge.newSkus.rate)}, established ${pct(r.bySkuAge.established.rate)})  promise accuracy ${pct(k.promiseAccuracy)}  cycle p50 ${k.cycleTimeP50Hours?.toFixed(1) ?? 'n/a'} h  avg inventory ${Math.round(k.averageInventoryValue ?? 0).toLocaleString('en')}  turnover ${k.turnover?.toFixed(2) ?? 'n/a'}  | ${r.wallS.toFixed(0)} s, ${r.peakRssMb} MB (${parts})`;
}

export async function main(args: string[]): Promise<void> {
  const { values: v } = parseArgs({
    args,
    options: {
      data: { type: 'string', default: onlineRetailFile },
      from: { type: 'string' },
      to: { type: 'string' },
      service: { type: 'string' },
      'backorder-cost': { type: 'string' },
      'order-cost': { type: 'string' },
      'review-days': { type: 'string' },
      // Dense where Raincheck's inventory lands: the rule's curve is convex, so a straight line between settings far
      // apart overstates its backorder rate (between k=4 and k=8 it read 12.1% at k=5's inventory; k=5 measured 11.4%).
      'minmax-factors': { type: 'string', default: '1,2,4,5,6,8' },
      'listed-days-ahead': { type: 'string', default: '42' },
      // Two replays at once: less waiting in all, but each run's own wall time is far longer than alone on the 2-core VM.
      'side-by-side': { type: 'boolean', default: false },
    },
  });
  if (v.service && v['backorder-cost']) throw new Error('--service and --backorder-cost both set the service: give one');
  // The backorder rate counts lines, so Raincheck is run pricing backordered lines (planning's serviceType line-cost).
  const service = v.service ? ['--service', v.service] : ['--backorder-cost', v['backorder-cost'] ?? String(planningDefaults.backorderCostMinor)];
  const factors = v['minmax-factors']!.split(',').map(Number);
  if (factors.some((k) => !(k > 0))) throw new Error(`--minmax-factors: positive numbers separated by commas, got '${v['minmax-factors']}'`);
  const common = ['--orders', v.data!, ...(v.from ? ['--from', v.from] : []), ...(v.to ? ['--to', v.to] : []), ...(v['review-days'] ? ['--review-days', v['review-days']] : [])];
  const ahead = Number(v['listed-days-ahead']);
  if (!Number.isInteger(ahead) || ahead < 0) throw new Error(`--listed-days-ahead: a whole number of days >= 0, got '${v['listed-days-ahead']}'`);
  const raincheck = (days: number) => () => replay([...common, '--policy', 'raincheck', ...service, ...(v['order-cost'] ? ['--order-cost', v['order-cost']] : []), '--listed-days-ahead', String(days)]);
  const jobs: (() => Promise<Run>)[] = [
    raincheck(ahead),
    ...(ahead > 0 ? [raincheck(0)] : []),
    ...factors.map((k) => () => replay([...common, '--policy', 'minmax', '--minmax-factor', String(k)]).then((r) => ({ ...r, minmaxFactor: k }))),
  ];
  progress(`Raincheck's policy (SKUs listed ${ahead} days ahead${ahead > 0 ? ', and at their first order' : ''}) and the min/max rule of thumb (k = ${factors.join(', ')}) on ${v.data}${v['side-by-side'] ? ', two at a time' : ', one after the other'}`);
  const runs = await runAll(jobs, v['side-by-side'] ? 2 : 1);
  const rc = runs[0]!;
  const atFirstOrder = ahead > 0 ? runs[1]! : rc;
  const rule = runs.slice(ahead > 0 ? 2 : 1);
  console.log(`Replay ${rc.from} .. ${rc.to}: ${rc.file.rows.toLocaleString('en')} rows, ${rc.orders.toLocaleString('en')} orders and ${rc.lines.toLocaleString('en')} lines through intake, ${rc.historyLines.toLocaleString('en')} history lines before`);
  for (const r of ahead > 0 ? [rc, atFirstOrder, ...rule] : [rc, ...rule]) console.log(row(r));
  console.log(`root causes (Raincheck): ${rc.causes.map((c) => `${c.cause} ${pct(c.shareOfUnits).trim()}`).join(', ')}`);
  const headline = versusBaseline(rc, rule);
  const fileAlone = versusBaseline(atFirstOrder, rule);
  console.log(`baseline: ${headline.how}`);
  if (ahead > 0) console.log(`baseline, SKUs listed at their first order: ${fileAlone.how}`);
  console.log(
    JSON.stringify({
      wall_s: round(rc.wallS, 1),
      lines_per_s: Math.round(rc.file.rows / rc.wallS),
      peak_rss_mb: rc.peakRssMb,
      fill_rate: round(rc.kpis.fillRate),
      backorder_rate: round(rc.kpis.backorderRate),
      promise_accuracy: round(rc.kpis.promiseAccuracy),
      baseline_backorder_rate: round(headline.backorderRate),
      backorder_reduction_vs_baseline: headline.reduction,
      inventory_value_ratio_vs_baseline: round(headline.inventoryRatio),
      listed_days_ahead: ahead,
      backorder_rate_listed_at_first_order: round(atFirstOrder.kpis.backorderRate),
      baseline_backorder_rate_listed_at_first_order: round(fileAlone.backorderRate),
      backorder_reduction_vs_baseline_listed_at_first_order: fileAlone.reduction,
      inventory_value_ratio_vs_baseline_listed_at_first_order: round(fileAlone.inventoryRatio),
    }),
  );
}

const round = (x: number | null, d = 4) => (x === null ? null : Number(x.toFixed(d)));

/** A Raincheck run against the rule at its inventory value: the baseline, and how much lower Raincheck's rate is. */
function versusBaseline(rc: Run, rule: readonly Run[]) {
  const baseline = baselineAt(rc, rule);
  const rate = rc.kpis.backorderRate;
  const reduction = rate === null || baseline.backorderRate === null || baseline.backorderRate === 0 ? null : round(1 - rate / baseline.backorderRate);
  return { ...baseline, reduction };
}

/** Runs the jobs `width` at a time; results in the jobs' order. */
async function runAll(jobs: readonly (() => Promise<Run>)[], width: number): Promise<Run[]> {
  const out: Run[] = new Array(jobs.length);
  let next = 0;
  const lane = async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, jobs.length) }, lane));
  return out;
}

/** The rule of thumb at Raincheck's inventory value (see the header), with how it was read. */
function baselineAt(rc: Run, rule: readonly Run[]): { backorderRate: number | null; inventoryRatio: number | null; how: string } {
  const inventory = rc.kpis.averageInventoryValue;
  const points = rule.filter((r) => r.kpis.averageInventoryValue !== null && r.kpis.backorderRate !== null).map((r) => [r.kpis.averageInventoryValue!, r.kpis.backorderRate!] as const);
  const matched = inventory === null ? null : linearAt(points, inventory);
  if (matched !== null) return { backorderRate: matched, inventoryRatio: 1, how: `the rule's backorder rate at Raincheck's average inventory value (${Math.round(inventory!).toLocaleString('en')}), interpolated between its settings` };
  const byInventory = [...rule].sort((a, b) => (a.kpis.averageInventoryValue ?? 0) - (b.kpis.averageInventoryValue ?? 0));
  const pick = byInventory.find((r) => inventory !== null && (r.kpis.averageInventoryValue ?? 0) >= inventory) ?? byInventory[byInventory.length - 1]!;
  const ratio = inventory === null || !pick.kpis.averageInventoryValue ? null : inventory / pick.kpis.averageInventoryValue;
  return { backorderRate: pick.kpis.backorderRate, inventoryRatio: ratio, how: `Raincheck's inventory is outside the rule's range: compared with k=${pick.minmaxFactor} (inventory ratio ${ratio?.toFixed(2) ?? 'n/a'})` };
}
