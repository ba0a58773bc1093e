/**
 * `raincheck simulate`: replays every series' real demand through replenishment policies (src/simulation) and
 * writes, to --out DIR, results.json (settings, every family x setting, the matched-inventory comparisons),
 * series.csv (one row per series x family x setting), report.html (self-contained) and tradeoff.png.
 *
 * Everything is computed before anything is written; the four files are then written beside their final names
 * and renamed, so a failed run leaves nothing (and no DIR it created). The summary table goes to stdout (JSON with
 * --json), the progress bar to stderr. Large runs go to one worker thread per core (simulation/pool.ts), with
 * the same results.
 */
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import cliProgress from 'cli-progress';
import { InvalidArgumentError, Option, type Command } from 'commander';
import * as parse from '../demand-files/options.js';
import { withInputFlags } from './forecast-commands.js';
import { periodLabel, periodsPerYearOf } from '../demand-files/periods.js';
import { planDefaults, planDefaultsWith, seriesEconomics, type PlanDefaults } from '../demand-files/plan-rows.js';
import { readDemandFile } from '../demand-files/read.js';
import type { DemandSeries } from '../demand-files/types.js';
import { exitCodeOf, type ErrorCode } from '../shared/errors.js';
import { tradeoffCharts } from '../simulation/chart.js';
import { reportHtml } from '../simulation/html.js';
import { chartPng } from '../simulation/png.js';
import { parsePolicySpec, type PlanItem, type PolicyFamily } from '../simulation/policies.js';
import { buildReport, collectWorstSeries, inventoryMeasureOf, num, pct, seriesColumns, settingLabel, seriesRows, type RunDescription, type SeriesFilter, type WorstSeries } from '../simulation/report.js';
import { runPanelOnThreads } from '../simulation/pool.js';
import { hasHistory, runPanel, type RunOptions, type SettingResult } from '../simulation/run.js';

export const defaultPolicies = ['cover', 'minmax', 'tsb/RS/fill', 'auto/RS/fill'];

type SimulateFlags = parse.ReadFlags &
  Partial<Omit<PlanDefaults, 'leadTimeSd'>> & {
    leadTimeColumn?: string;
    review: number;
    policy?: string[];
    start?: number;
    warmup: number;
    minHistory: number;
    lostSales?: boolean;
    periodsPerYear?: number;
    backorderCost: number;
    seriesOnly?: string[];
    out: string;
    json?: boolean;
    threads?: number;
  };

/** Adds `simulate` to the program. */
export function registerSimulateCommand(program: Command): void {
  const simulate = program
    .command('simulate')
    .description("Replay each series' demand through replenishment policies; fill rate, backorders and inventory per policy and setting");
  withInputFlags(simulate)
    .option('--lead-time <periods>', `lead time in periods when the file has none (default ${planDefaults.leadTime}); an order at the end of t arrives at the start of t + 1 + L`, parse.nonNegative)
    .option('--lead-time-column <name>', "the column holding each series' lead time (same as --map lead_time=<name>)")
    .option('--review <R>', 'periods between reviews', parse.positiveInteger, 1)
    .option('--policy <spec>', `a policy family to sweep, repeatable: cover, minmax, <model>[a=..,b=..,v=..][+count|+compound]/<RS|sS|sQ>/<fill|fill-avg|cycle|exchange>[:v1,v2,...] (default: ${defaultPolicies.join(', ')})`, collectPolicy)
    .option('--start <N>', 'first period (0-based) the policies run; the periods before are history only (default: half the periods)', parse.nonNegativeInteger)
    .option('--warmup <N>', 'periods after --start that are not measured', parse.nonNegativeInteger, 3)
    .option('--min-history <N>', 'simulate only the series with demand in at least N periods before --start (default 0: every series)', parse.nonNegativeInteger, 0)
    .option('--lost-sales', 'unserved demand is lost instead of backordered')
    .option('--periods-per-year <n>', 'for annual costs and turnover (default: 12 months, 52.18 weeks, 365.24 days; required for integer periods)', parse.positive)
    .option('--backorder-cost <c>', 'cost of one unit waiting one period on backorder', parse.nonNegative, 0)
    .option('--unit-cost <v>', `unit cost (default ${planDefaults.unitCost})`, parse.nonNegative)
    .option('--order-cost <K>', `cost of one order (default ${planDefaults.orderCost})`, parse.nonNegative)
    .option('--holding-rate <r>', `holding cost per year as a share of unit cost, without holding_cost (default ${planDefaults.holdingRate})`, parse.positive)
    .option('--min-order-qty <q>', `minimum order quantity (default ${planDefaults.minOrderQty})`, parse.nonNegative)
    .option('--pack-size <n>', `order multiple (default ${planDefaults.packSize})`, parse.positive)
    .option('--series-only <family:setting>', 'write series.csv rows only for this family and setting (repeatable; default: every one)', collect)
    .requiredOption('--out <dir>', 'directory for results.json, series.csv, report.html and tradeoff.png (created)')
    .option('--json', 'print the summary as JSON')
    .addOption(new Option('--threads <n>', 'worker threads (0: none); default one per core for large runs').argParser(parse.nonNegativeInteger).hideHelp())
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : exitCodeOf('malformed_request')))
    .action((flags: SimulateFlags) => simulateCommand(flags));
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Parses each spec as it comes, so a bad one is refused by commander with the spec named. */
function collectPolicy(value: string, previous: string[] | undefined): string[] {
  try {
    parsePolicySpec(value);
  } catch (e) {
    if (e instanceof RangeError) throw new InvalidArgumentError(e.message);
    throw e;
  }
  return collect(value, previous);
}

async function simulateCommand(flags: SimulateFlags): Promise<void> {
  const started = performance.now();
  const specs = flags.policy ?? defaultPolicies;
  const families = specs.map(parsePolicySpec);
  const names = families.map((f) => f.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) return failWith('malformed_request', `--policy: the family ${twice} is given twice`);
  const only = seriesFilter(flags.seriesOnly, families);
  if (typeof only === 'string') return failWith('malformed_request', only);
  if (existsSync(flags.out) && !statSync(flags.out).isDirectory()) return failWith('malformed_request', `--out ${flags.out}: exists and is not a directory`);
  const map = leadTimeMap(flags);
  if (typeof map === 'string') return failWith('malformed_request', map);

  const file = await readDemandFile(flags.input, parse.readOptionsOf(map === undefined ? flags : { ...flags, map }));
  if (!file.ok) return failWith(file.error.code, file.error.message);
  const set = file.value;
  if (set.ignoredColumns.length > 0) process.stderr.write(`ignored columns: ${set.ignoredColumns.join(', ')}\n`);
  if (set.series.length === 0) return failWith('validation_failed', `${flags.input}: no series to simulate`);
  const periodsPerYear = flags.periodsPerYear ?? periodsPerYearOf(set.periodKind);
  if (periodsPerYear === null) return failWith('malformed_request', 'simulate: the file has integer periods; say how many make a year with --periods-per-year');
  const n = set.periodCount;
  const start = flags.start ?? Math.floor(n / 2);
  const measureFrom = start + flags.warmup;
  if (start >= n) return failWith('validation_failed', `--start ${start}: ${flags.input} has only ${n} periods (0..${n - 1})`);
  if (measureFrom >= n) return failWith('validation_failed', `--start ${start} + --warmup ${flags.warmup} = ${measureFrom}: nothing left to measure in ${n} periods`);

  const read = set.series.map((s) => planItemOf(s, flags));
  // Series that never sold before the start give no policy that learns from sales anything to stock from.
  const items = read.filter((i) => hasHistory(i.demand, start, flags.minHistory));
  if (items.length === 0) return failWith('validation_failed', `--min-history ${flags.minHistory}: no series of ${flags.input} has demand in ${flags.minHistory} of the ${start} periods before --start`);
  if (items.length < read.length) process.stderr.write(`simulating ${items.length} of ${read.length} series: those with demand in at least ${flags.minHistory} of the ${start} periods before --start\n`);
  const bad = items.map(itemProblem).find((p) => p !== null);
  if (bad) return failWith('validation_failed', `${flags.input}: ${bad}`);
  const o: RunOptions = { start, measureFrom, review: flags.review, periodsPerYear, backorderCostPerUnitPeriod: flags.backorderCost, lostSales: flags.lostSales === true, keepItems: true };
  // A family that cannot work (e.g. the compound law with an (s, S) policy) says so when prepared: find out now.
  for (const f of families) {
    try {
      f.prepare(items[0]!, { review: o.review, periodsPerYear });
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      return failWith('malformed_request', `--policy ${specs[families.indexOf(f)]}: ${e.message}`);
    }
  }

  let run: RunOutput;
  try {
    run = await simulate(items, specs, families, o, flags.threads ?? threadsFor(items, families, o), only);
  } catch (e) {
    // The engine and the planning module refuse out-of-range inputs with a RangeError naming the item.
    if (!(e instanceof RangeError)) throw e;
    return failWith('validation_failed', `${flags.input}: cannot simulate: ${e.message}`);
  }
  const description: RunDescription = {
    input: flags.input,
    format: set.format,
    periodKind: set.periodKind,
    periods: n,
    series: items.length,
    ...(flags.minHistory > 0 ? { seriesRead: read.length, minHistory: flags.minHistory } : {}),
    start,
    measureFrom,
    ...(set.periodKind === 'integer' ? {} : { startLabel: periodLabel(set.periodKind, set.firstOrdinal + start), measureFromLabel: periodLabel(set.periodKind, set.firstOrdinal + measureFrom) }),
    review: o.review,
    lostSales: o.lostSales === true,
    periodsPerYear,
    backorderCostPerUnitPeriod: flags.backorderCost,
    policies: specs,
    defaults: planDefaultsWith(flags),
  };
  const report = buildReport(description, run.results, inventoryMeasureOf(items), 0.95, run.worst);
  const files: [string, string | Buffer][] = [
    ['results.json', `${JSON.stringify(report, null, 1)}\n`],
    ['series.csv', `${seriesColumns.join(',')}\n${run.seriesText.join('')}`],
    ['report.html', reportHtml(report)],
    ['tradeoff.png', chartPng(tradeoffCharts(report).fill)],
  ];
  try {
    writeAll(flags.out, files);
  } catch (e) {
    return failWith('malformed_request', `cannot write to ${flags.out}: ${(e as Error).message}`);
  }
  const seconds = (performance.now() - started) / 1000;
  printSummary(flags, report, { seconds, simulatedItemPeriods: run.simulatedItemPeriods });
}

/** --lead-time-column as a --map entry; an error message when both name the lead time differently. */
function leadTimeMap(flags: SimulateFlags): SimulateFlags['map'] | string {
  const c = flags.leadTimeColumn;
  if (c === undefined) return flags.map;
  const mapped = flags.map?.lead_time;
  if (mapped !== undefined && mapped !== c) return `--lead-time-column ${c} and --map lead_time=${mapped} name different columns`;
  return { ...flags.map, lead_time: c };
}


/**
 * A series' item, its attributes falling back to the flags and then to plan's defaults, resolved as `raincheck
 * plan` does (src/demand-files/plan-rows.ts: holding cost = holding_cost, else the holding rate x unit cost).
 * The lead time is fixed (lead_time_sd is not simulated).
 */
function planItemOf(s: DemandSeries, flags: SimulateFlags): PlanItem {
  const { leadTimeSd: _sd, ...economics } = seriesEconomics(s.attributes, planDefaultsWith(flags));
  return { id: s.id, demand: s.values, ...economics };
}

/** What the engine would refuse about an item, said before the run. */
function itemProblem(i: PlanItem): string | null {
  if (!((i.packSize ?? 1) >= 1)) return `series '${i.id}': pack_size ${i.packSize} must be >= 1`;
  return null;
}

/** `family:setting` pairs as a filter, or an error message naming the pair that matches nothing. */
function seriesFilter(pairs: string[] | undefined, families: readonly PolicyFamily[]): SeriesFilter | string {
  if (pairs === undefined) return () => true;
  const wanted = new Set<string>();
  for (const p of pairs) {
    const at = p.lastIndexOf(':');
    const family = families.find((f) => f.name === p.slice(0, at));
    const setting = Number(p.slice(at + 1));
    if (at < 0 || family === undefined || !family.settings.includes(setting)) {
      return `--series-only ${p}: expected family:setting with a family and setting of this run (${families.map((f) => `${f.name}:${f.settings.join('|')}`).join('; ')})`;
    }
    wanted.add(`${family.name}:${setting}`);
  }
  return (family, setting) => wanted.has(`${family}:${setting}`);
}

interface RunOutput {
  results: SettingResult[];
  seriesText: string[];
  worst: WorstSeries;
  /** Periods simulated (history excluded, warm-up included) over every item, family and setting: the work done. */
  simulatedItemPeriods: number;
}

/**
 * When the run goes to worker threads: above 2,000,000 item-periods x settings (carparts with the default
 * families is about 5 million; a worker takes about half a second to start).
 */
function threadsFor(items: readonly PlanItem[], families: readonly PolicyFamily[], o: RunOptions): number {
  const settings = families.reduce((a, f) => a + f.settings.length, 0);
  const work = items.reduce((a, item) => a + Math.max(0, item.demand.length - o.start), 0) * settings;
  return work > 2_000_000 ? availableParallelism() : 0;
}

/** Every family x setting over the items (on worker threads when large), with a progress bar. */
async function simulate(items: readonly PlanItem[], specs: readonly string[], families: readonly PolicyFamily[], o: RunOptions, threads: number, only: SeriesFilter): Promise<RunOutput> {
  const settings = families.reduce((a, f) => a + f.settings.length, 0);
  const bar = new cliProgress.SingleBar({ stream: process.stderr, format: `simulate [{bar}] {value}/{total} series | {duration}s${threads > 1 ? ` | ${threads} threads` : ''}` });
  bar.start(items.length, 0);
  let results: SettingResult[];
  try {
    results = (await runPanelOnThreads(items, specs, o, { threads, onChunk: (n) => bar.increment(n) })).results;
  } catch (e) {
    // Find the series at fault and say so (rare: the run is done again in this thread to name it).
    runPanelNamingFailures(items, families, o);
    throw e;
  } finally {
    bar.stop();
  }
  const worst: WorstSeries = new Map();
  collectWorstSeries(worst, items, results);
  const simulatedItemPeriods = items.reduce((a, item) => a + Math.max(0, item.demand.length - o.start), 0) * settings;
  return { results, seriesText: [seriesRows(items, results, only)], worst, simulatedItemPeriods };
}

/** runPanel, and when an item makes it throw a RangeError, the same error with the series named. */
function runPanelNamingFailures(chunk: readonly PlanItem[], families: readonly PolicyFamily[], o: RunOptions): SettingResult[] {
  try {
    return runPanel(chunk, families, o);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    // Rare, so the chunk is simply run again item by item to find the one at fault.
    for (const item of chunk) {
      for (const f of families) {
        try {
          runPanel([item], [f], o);
        } catch (inner) {
          if (inner instanceof RangeError) throw new RangeError(`series '${item.id}', policy ${f.name}: ${inner.message}`);
          throw inner;
        }
      }
    }
    throw e;
  }
}

/** Writes every file beside its final name, then renames them all; on failure removes what it wrote. */
function writeAll(dir: string, files: readonly [string, string | Buffer][]): void {
  const created = !existsSync(dir);
  const partials: string[] = [];
  try {
    mkdirSync(dir, { recursive: true });
    for (const [name, content] of files) {
      const partial = join(dir, `${name}.partial-${process.pid}`);
      partials.push(partial);
      writeFileSync(partial, content);
    }
    files.forEach(([name], k) => renameSync(partials[k]!, join(dir, name)));
  } catch (e) {
    for (const p of partials) rmSync(p, { force: true });
    if (created) rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

function printSummary(flags: SimulateFlags, report: ReturnType<typeof buildReport>, run: { seconds: number; simulatedItemPeriods: number }): void {
  const value = report.inventory.measure === 'averageOnHandValue';
  if (flags.json) {
    const families = report.families.map((f) => ({ family: f.name, inventoryForTargetFill: f.inventoryForTargetFill }));
    const out = { out: flags.out, series: report.settings.series, seconds: round(run.seconds), itemPeriodsPerSecond: Math.round(run.simulatedItemPeriods / run.seconds), inventory: report.inventory.measure, families, comparison: report.comparison };
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return;
  }
  const head = ['family', 'setting', 'fill rate', 'backordered units', 'on hand/series', ...(value ? ['on-hand value'] : [])];
  const rows = report.families.flatMap((f) =>
    f.settings.map((s) => [f.name, settingLabel(s.setting), pct(s.fillRate), num(s.backorderedUnits), num(s.averageOnHandUnitsPerItem), ...(value ? [num(s.averageOnHandValue)] : [])]),
  );
  const widths = head.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k]!.length)));
  const line = (cells: string[]) => cells.map((c, k) => (k === 0 ? c.padEnd(widths[k]!) : c.padStart(widths[k]!))).join('  ');
  const text = [line(head), ...rows.map(line), '', ...report.comparison.sentences, '', `${report.settings.series} series, ${report.families.length} families in ${run.seconds.toFixed(2)} s; wrote ${join(flags.out, '{results.json,series.csv,report.html,tradeoff.png}')}`];
  process.stdout.write(`${text.join('\n')}\n`);
}

const round = (x: number) => Math.round(x * 100) / 100;

function failWith(code: ErrorCode, message: string): void {
  process.stderr.write(`${message}\n`);
  process.exitCode = exitCodeOf(code);
}

