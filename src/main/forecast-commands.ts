/**
 * `raincheck forecast` and `raincheck plan` on any demand CSV (wide, long or order lines; see src/demand-files).
 * CSV goes to --out (written to a temporary file and renamed, so a failed run leaves nothing) or to stdout; the
 * summary and the progress bar go to stderr, or the summary to stdout with --out (as JSON with --json).
 * Large inputs (see threadsFor) run on one worker thread per core.
 */
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import cliProgress from 'cli-progress';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { forecastColumns, type ForecastSettings } from '../demand-files/forecast-rows.js';
import * as parse from '../demand-files/options.js';
import { periodsPerYearOf } from '../demand-files/periods.js';
import { planColumns, planDefaults, planDefaultsWith, type ChunkResult, type PlanDefaults, type PlanSettings } from '../demand-files/plan-rows.js';
import { readDemandFile } from '../demand-files/read.js';
import type { DemandSet } from '../demand-files/types.js';
import { exitCodeOf, type ErrorCode } from '../shared/errors.js';
import { fitOccurrenceModel, fitSizeModel } from '../forecasting/index.js';
import { chunkSeries, runJob, type Job } from './forecast-worker.js';

/**
 * When the work is spread over worker threads: above 2,000 series AND 1,000,000 values. A worker takes about 0.5 s
 * to start (loading TypeScript and the forecasting code), while forecasting costs about 1 microsecond per value,
 * so below a million values the pool finishes later than one thread (measured: carparts, 136,000 values,
 * 0.4 s on one thread and 0.9 s on two workers).
 */
export function threadsFor(set: DemandSet): number {
  const large = set.series.length > 2000 && set.series.length * set.periodCount > 1_000_000;
  const cores = availableParallelism();
  return large && cores > 1 ? cores : 0;
}

interface OutputFlags {
  train?: number;
  out?: string;
  json?: boolean;
  threads?: number;
}
type ForecastFlags = parse.ReadFlags & OutputFlags & { horizon: number; quantiles: number[]; method: ForecastSettings['method']; seasonLength?: number; calibrate?: boolean };
type PlanFlags = parse.ReadFlags & OutputFlags & Partial<PlanDefaults> & {
  demand: 'forecast' | 'history';
  method: ForecastSettings['method'];
  seasonLength?: number;
  service: number;
  serviceType: 'fill-rate' | 'cycle';
  policy: PlanSettings['policy'];
  review?: number;
  periodsPerYear?: number;
};

/** Adds `forecast` and `plan` to the program. */
export function registerForecastCommands(program: Command): void {
  const forecast = program
    .command('forecast')
    .description('Forecast every series of a demand CSV (wide, long or order lines)')
    .requiredOption('--horizon <H>', 'periods to forecast', parse.positiveInteger)
    .addOption(new Option('--quantiles <list>', 'quantiles to report, comma-separated').argParser(parse.quantileList).default([0.5, 0.8, 0.95], '0.5,0.8,0.95'))
    .option('--method <name>', 'auto (chosen per series) or a method name', parse.method, 'auto' as const)
    .option('--season-length <M>', 'periods per season (seasonal methods)', parse.positiveInteger)
    .option('--calibrate', 'auto: learn P(demand > 0) of slow movers from the whole file (its periods up to the forecast origin)');
  withReadFlags(forecast).action((flags: ForecastFlags) => forecastCommand(flags));
  const plan = program
    .command('plan')
    .description('A replenishment policy per series of a demand CSV, from its forecast demand and its attributes')
    .requiredOption('--service <level>', 'service target, e.g. 0.95', parse.probability)
    .addOption(new Option('--service-type <type>', 'fill-rate (share of demand served from stock) or cycle (P(no stockout per cycle))').choices(['fill-rate', 'cycle']).default('fill-rate'))
    .addOption(new Option('--policy <kind>', '(s,Q), (s,S) or (R,S)').choices(['sQ', 'sS', 'RS']).default('sQ'))
    .option('--review <R>', 'periods between reviews (default 0 = continuous for sQ/sS, 1 for RS)', parse.nonNegative)
    .option('--periods-per-year <n>', 'for annual costs (default: 12 months, 52.18 weeks, 365.24 days; required for integer periods)', parse.positive)
    .option('--lead-time <periods>', `lead time when the file has none (default ${planDefaults.leadTime})`, parse.nonNegative)
    .option('--lead-time-sd <periods>', `its standard deviation (default ${planDefaults.leadTimeSd})`, parse.nonNegative)
    .option('--unit-cost <v>', `unit cost (default ${planDefaults.unitCost})`, parse.nonNegative)
    .option('--order-cost <K>', `cost of one order (default ${planDefaults.orderCost})`, parse.nonNegative)
    .option('--holding-rate <r>', `holding cost per year as a share of unit cost, without holding_cost (default ${planDefaults.holdingRate})`, parse.positive)
    .option('--min-order-qty <q>', `minimum order quantity (default ${planDefaults.minOrderQty})`, parse.nonNegative)
    .option('--pack-size <n>', `order multiple (default ${planDefaults.packSize})`, parse.positive)
    .addOption(new Option('--demand <source>', 'forecast: the forecast total over lead time + review; history: mean and variance of the past').choices(['forecast', 'history']).default('forecast'))
    .option('--method <name>', 'forecast method: auto (chosen per series) or a method name', parse.method, 'auto' as const)
    .option('--season-length <M>', 'periods per season (seasonal methods)', parse.positiveInteger);
  withReadFlags(plan).action((flags: PlanFlags) => planCommand(flags));
}

function withReadFlags(cmd: Command): Command {
  return withInputFlags(cmd)
    .option('--train <N>', 'use only the first N periods (forecast: report the rest as actual)', parse.positiveInteger)
    .option('--out <file>', 'write the CSV here (default: stdout)')
    .option('--json', 'with --out: print the summary as JSON')
    .addOption(new Option('--threads <n>', 'worker threads (0: none); default one per core for large inputs').argParser(parseThreads).hideHelp())
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : exitCodeOf('malformed_request')));
}

/** The flags that say how to read a demand file (every command that reads one: forecast, plan, simulate). */
export function withInputFlags(cmd: Command): Command {
  return cmd
    .requiredOption('--input <file>', 'demand CSV, plain or gzip')
    .addOption(new Option('--format <format>', 'input format (default: detected from the header)').choices(['wide', 'long', 'orders']))
    .option('--map <pairs>', 'attribute=column pairs, e.g. lead_time=lead_time_weeks,unit_cost=cost_price_eur', parse.attributeMap)
    .option('--series-column <name>', 'series id column (wide: first column; long: series_id; orders: stock_code or sku)')
    .option('--period-column <name>', 'long: period column (default period)')
    .option('--quantity-column <name>', 'long and orders: quantity column (default quantity)')
    .option('--date-column <name>', 'orders: date column (default invoice_date, order_date or date)')
    .option('--invoice-column <name>', 'orders: invoice number column, for cancellations (default invoice)')
    .addOption(new Option('--period <grain>', 'orders: sum per day, week (ISO) or month').choices(['day', 'week', 'month']).default('week'))
    .addOption(new Option('--cancellations <rule>', 'orders: skip C... invoices, or subtract them').choices(['skip', 'subtract']).default('skip'))
    .addOption(new Option('--missing <rule>', 'long: a period without a row is not observed (nan) or zero').choices(['nan', 'zero']).default('nan'))
    .option('--exclude <ids>', 'series ids to leave out, comma-separated', parse.idList);
}

async function forecastCommand(flags: ForecastFlags): Promise<void> {
  if (lacksSeason(flags)) return failWith('malformed_request', `--method ${flags.method} needs --season-length >= 2`);
  const set = await readInput(flags);
  if (set === null) return;
  const settings: ForecastSettings = { horizon: flags.horizon, quantiles: flags.quantiles, method: flags.method, periodKind: set.periodKind, firstOrdinal: set.firstOrdinal };
  if (flags.seasonLength !== undefined) settings.seasonLength = flags.seasonLength;
  if (flags.train !== undefined) settings.train = flags.train;
  if (flags.calibrate) {
    if (flags.method !== 'auto') return failWith('malformed_request', '--calibrate works with --method auto');
    // Fitted on what the forecasts see: each series up to the origin (--train), never the periods after it.
    const panel = set.series.map((s) => (flags.train === undefined ? s.values : s.values.subarray(0, flags.train)));
    const model = fitOccurrenceModel(panel, { horizon: flags.horizon });
    if (model === null) process.stderr.write('--calibrate: too little history to learn from; forecasting uncalibrated\n');
    else {
      settings.occurrence = model;
      const sizes = fitSizeModel(panel, { horizon: flags.horizon, ...(flags.seasonLength === undefined ? {} : { seasonLength: flags.seasonLength }) });
      if (sizes !== null) settings.sizes = sizes;
    }
  }
  await writeResults(flags, set, { kind: 'forecast', settings }, forecastColumns(settings));
}

async function planCommand(flags: PlanFlags): Promise<void> {
  if (lacksSeason(flags)) return failWith('malformed_request', `--method ${flags.method} needs --season-length >= 2`);
  const review = flags.review ?? (flags.policy === 'RS' ? 1 : 0);
  if (flags.policy === 'RS' && !(review > 0)) return failWith('malformed_request', 'plan: --policy RS needs --review > 0');
  const set = await readInput(flags);
  if (set === null) return;
  const periodsPerYear = flags.periodsPerYear ?? periodsPerYearOf(set.periodKind);
  if (periodsPerYear === null) return failWith('malformed_request', 'plan: the file has integer periods; say how many make a year with --periods-per-year');
  const target = { measure: flags.serviceType === 'cycle' ? 'cycle-service-level' : 'fill-rate', level: flags.service } as const;
  const defaults = planDefaultsWith(flags);
  const { method, seasonLength } = flags;
  const demand: PlanSettings['demand'] =
    flags.demand === 'history' ? { source: 'history' } : seasonLength === undefined ? { source: 'forecast', method } : { source: 'forecast', method, seasonLength };
  const settings: PlanSettings = { policy: flags.policy, review, target, periodsPerYear, defaults, demand };
  if (flags.train !== undefined) settings.train = flags.train;
  await writeResults(flags, set, { kind: 'plan', settings }, [...planColumns]);
}

/** The demand set, or null after reporting why it could not be read. */
async function readInput(flags: parse.ReadFlags & OutputFlags): Promise<DemandSet | null> {
  const read = await readDemandFile(flags.input, parse.readOptionsOf(flags));
  if (!read.ok) {
    failWith(read.error.code, read.error.message);
    return null;
  }
  const set = read.value;
  if (flags.train !== undefined && flags.train > set.periodCount) {
    failWith('validation_failed', `--train ${flags.train}: ${flags.input} has only ${set.periodCount} periods`);
    return null;
  }
  if (set.ignoredColumns.length > 0) process.stderr.write(`ignored columns: ${set.ignoredColumns.join(', ')}\n`);
  return set;
}

async function writeResults(flags: OutputFlags & { input: string }, set: DemandSet, job: Job, columns: string[]): Promise<void> {
  const started = performance.now();
  const threads = flags.threads ?? threadsFor(set);
  let sink: Sink;
  try {
    sink = openSink(flags.out);
  } catch (e) {
    return failWith('malformed_request', `cannot write ${flags.out}: ${(e as Error).message}`);
  }
  const bar = new cliProgress.SingleBar({ stream: process.stderr, format: `${job.kind} [{bar}] {value}/{total} series | {duration}s` });
  bar.start(set.series.length, 0);
  const tally: Record<string, number> = {};
  const failures: ChunkResult['failures'] = [];
  try {
    sink.write(`${columns.join(',')}\n`);
    await runJob(job, chunkSeries(set.series, threads), threads, (r) => {
      sink.write(r.text);
      failures.push(...r.failures);
      for (const [k, n] of Object.entries(r.tally)) tally[k] = (tally[k] ?? 0) + n;
      bar.increment(Object.values(r.tally).reduce((a, b) => a + b, 0));
    });
  } catch (e) {
    sink.abort();
    throw e;
  } finally {
    bar.stop();
  }
  // Every series failing is a bad request (a method that fits none of them), not a result worth a file.
  if (failures.length > 0 && failures.length === set.series.length) {
    sink.abort();
    return failWith('validation_failed', `no series could be computed; the first: series '${failures[0]!.id}': ${failures[0]!.message}`);
  }
  sink.commit();
  const seconds = Math.round((performance.now() - started) / 10) / 100;
  report(flags, set, { threads, seconds, tally, failures });
}

function report(flags: OutputFlags & { input: string }, set: DemandSet, run: { threads: number; seconds: number; tally: Record<string, number>; failures: ChunkResult['failures'] }): void {
  const { format, periodKind, periodCount: periods, linesRead, linesSkipped } = set;
  const summary = { input: flags.input, format, periodKind, periods, series: set.series.length, linesRead, linesSkipped, ...run, out: flags.out ?? null };
  for (const f of run.failures.slice(0, 5)) process.stderr.write(`series '${f.id}': ${f.message}\n`);
  if (run.failures.length > 0) process.stderr.write(`${run.failures.length} series could not be computed (empty numbers in their rows)\n`);
  const counts = Object.entries(run.tally).map(([k, n]) => `${k} ${n}`).join(', ');
  const line = `${summary.series} series x ${periods} ${periodKind} periods (${format}) in ${run.seconds} s on ${run.threads || 1} thread(s): ${counts}`;
  if (flags.out === undefined) process.stderr.write(`${line}\n`);
  else process.stdout.write(flags.json ? `${JSON.stringify({ ...summary, failures: run.failures.length })}\n` : `${line}\nwrote ${flags.out}\n`);
}

interface Sink {
  write(text: string): void;
  commit(): void;
  abort(): void;
}

/** Stdout (held until the run completes), or a temporary file beside --out renamed over it only then. */
function openSink(out: string | undefined): Sink {
  if (out === undefined) {
    let held: string[] = [];
    return { write: (text) => void held.push(text), commit: () => void process.stdout.write(held.join('')), abort: () => (held = []) };
  }
  const partial = `${out}.partial-${process.pid}`;
  const fd = openSync(partial, 'w');
  return {
    write: (text) => void writeSync(fd, text),
    commit: () => {
      closeSync(fd);
      renameSync(partial, out);
    },
    abort: () => {
      closeSync(fd);
      rmSync(partial, { force: true });
    },
  };
}

/** Holt-Winters cannot run without a season length: say so before reading the file. */
function lacksSeason(flags: { method: ForecastSettings['method']; seasonLength?: number }): boolean {
  return (flags.method === 'hw_add' || flags.method === 'hw_mul') && !((flags.seasonLength ?? 0) >= 2);
}

function parseThreads(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number >= 0');
  return n;
}

function failWith(code: ErrorCode, message: string): void {
  process.stderr.write(`${message}\n`);
  process.exitCode = exitCodeOf(code);
}
