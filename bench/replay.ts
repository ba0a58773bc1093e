/**
 * `npm run bench -- replay [--data FILE] [--from DAY] [--to DAY] [--service P] [--review-days N] [--side-by-side]`: the Online Retail
 * year (all 525,461 lines) replayed through the whole system on SQLite, once with Raincheck's recommendations and
 * once with the min/max rule of thumb, each in its own `raincheck replay` process (so its wall time and peak memory
 * are its own). Prints each run's KPIs and where its time went; last line JSON with Raincheck's run against the
 * baseline's. `lines_per_s` counts the file's rows over the Raincheck run's wall time.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { onlineRetailFile } from './lib/data.js';
import type { ReplaySummary } from '../src/replay/run.js';

type Run = ReplaySummary & { wallS: number; peakRssMb: number };

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
  return `${r.policy.padEnd(10)} fill ${pct(k.fillRate)}  backorder rate ${pct(k.backorderRate)}  promise accuracy ${pct(k.promiseAccuracy)}  cycle p50 ${k.cycleTimeP50Hours?.toFixed(1) ?? 'n/a'} h  avg inventory ${Math.round(k.averageInventoryValue ?? 0).toLocaleString('en')}  turnover ${k.turnover?.toFixed(2) ?? 'n/a'}  | ${r.wallS.toFixed(0)} s, ${r.peakRssMb} MB (${parts})`;
}

export async function main(args: string[]): Promise<void> {
  const { values: v } = parseArgs({
    args,
    options: {
      data: { type: 'string', default: onlineRetailFile },
      from: { type: 'string' },
      to: { type: 'string' },
      service: { type: 'string' },
      'review-days': { type: 'string' },
      // Both replays at once, one per core: half the waiting, each run's wall time a little longer than alone.
      'side-by-side': { type: 'boolean', default: false },
    },
  });
  const common = ['--orders', v.data!, ...(v.from ? ['--from', v.from] : []), ...(v.to ? ['--to', v.to] : []), ...(v['review-days'] ? ['--review-days', v['review-days']] : [])];
  const raincheck = () => replay([...common, '--policy', 'raincheck', ...(v.service ? ['--service', v.service] : [])]);
  const ruleOfThumb = () => replay([...common, '--policy', 'minmax']);
  progress(`Raincheck's policy and the min/max rule of thumb on ${v.data}${v['side-by-side'] ? ', side by side' : ', one after the other'}`);
  const [rc, base] = v['side-by-side'] ? await Promise.all([raincheck(), ruleOfThumb()]) : [await raincheck(), await ruleOfThumb()];
  console.log(`Replay ${rc.from} .. ${rc.to}: ${rc.file.rows.toLocaleString('en')} rows, ${rc.orders.toLocaleString('en')} orders and ${rc.lines.toLocaleString('en')} lines through intake, ${rc.historyLines.toLocaleString('en')} history lines before`);
  console.log(row(rc));
  console.log(row(base));
  console.log(`root causes (Raincheck): ${rc.causes.map((c) => `${c.cause} ${pct(c.shareOfUnits).trim()}`).join(', ')}`);
  const ratio = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? null : a / b);
  const round = (x: number | null, d = 4) => (x === null ? null : Number(x.toFixed(d)));
  const reduction = ratio(rc.kpis.backorderRate, base.kpis.backorderRate);
  console.log(
    JSON.stringify({
      wall_s: round(rc.wallS, 1),
      lines_per_s: Math.round(rc.file.rows / rc.wallS),
      peak_rss_mb: rc.peakRssMb,
      fill_rate: round(rc.kpis.fillRate),
      backorder_rate: round(rc.kpis.backorderRate),
      promise_accuracy: round(rc.kpis.promiseAccuracy),
      baseline_backorder_rate: round(base.kpis.backorderRate),
      backorder_reduction_vs_baseline: reduction === null ? null : round(1 - reduction),
      inventory_value_ratio_vs_baseline: round(ratio(rc.kpis.averageInventoryValue, base.kpis.averageInventoryValue)),
    }),
  );
}
