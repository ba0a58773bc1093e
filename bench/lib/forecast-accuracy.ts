/**
 * Accuracy of every forecasting method and of automatic selection on one panel, with one forecast origin: fit on
 * the periods before it, forecast `horizon` periods, score by MASE, RMSSE, pooled bias, scaled pinball loss and
 * coverage (src/forecasting/metrics.ts), plus the coverage of the quantiles of TOTAL demand over a lead time.
 */
import { fitSizeModel, forecastSeries, horizonDemandQuantile, methodNames, Scoreboard, type MethodName, type ScoreSummary } from '../../src/forecasting/index.js';
import { fitOccurrenceModel, type OccurrenceModel } from '../../src/forecasting/occurrence.js';
import type { Panel } from './forecast-data.js';

export interface AccuracySpec {
  /** The first forecast period (0-based): the fit uses periods 0..origin-1. */
  readonly origin: number;
  readonly horizon: number;
  readonly levels: readonly number[];
  readonly seasonLength?: number;
  /** Lead time per series for the coverage of lead-time totals (default: the whole horizon). */
  readonly leadTimes?: readonly number[];
  /**
   * Calibrate automatic selection's P(demand > 0) on the panel (occurrence.ts), from each series' periods before
   * the origin only (default true), and the size of a demand likewise (sizes.ts).
   */
  readonly calibrate?: boolean;
}

export interface AccuracyRow {
  readonly label: string;
  readonly summary: ScoreSummary;
  /** Series whose method could not be fitted (too short for its season): scored with naive instead. */
  readonly failures: number;
  readonly seconds: number;
  /** Coverage of each level's quantile of the total over the lead time, pooled over series. */
  readonly totalCoverage: readonly number[];
  /** How often each method was chosen (automatic selection only). */
  readonly chosen?: ReadonlyMap<string, number>;
}

/** 'auto' is calibrated on the panel unless spec.calibrate is false; 'auto-uncalibrated' never is. */
type Runner = MethodName | 'auto' | 'auto-uncalibrated' | 'zero';

/** Every registry method, automatic selection (its mean and its RMSSE point) and the all-zero forecast. */
export function evaluateAll(panel: Panel, spec: AccuracySpec, progress: (msg: string) => void, only?: readonly Runner[]): AccuracyRow[] {
  const runners: Runner[] = [...(only ?? ['zero', ...methodNames, 'auto-uncalibrated', 'auto'])];
  const rows: AccuracyRow[] = [];
  for (const runner of runners) {
    const started = performance.now();
    rows.push(...evaluate(panel, spec, runner));
    progress(`${panel.name}: ${runner} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  return rows;
}

function evaluate(panel: Panel, spec: AccuracySpec, runner: Runner): AccuracyRow[] {
  const { origin, horizon, levels } = spec;
  const mean = new Scoreboard(levels);
  const point = new Scoreboard(levels);
  const covered = levels.map(() => 0);
  const chosen = new Map<string, number>();
  let failures = 0;
  const started = performance.now();
  const occurrence: OccurrenceModel | null =
    runner === 'auto' && spec.calibrate !== false ? fitOccurrenceModel(panel.series.map((y) => y.subarray(0, origin)), { horizon }) : null;
  const sizes =
    occurrence === null ? null : fitSizeModel(panel.series.map((y) => y.subarray(0, origin)), { horizon, ...(spec.seasonLength === undefined ? {} : { seasonLength: spec.seasonLength }) });
  panel.series.forEach((y, i) => {
    const train = y.subarray(0, origin);
    const actual = y.subarray(origin, origin + horizon);
    const lead = Math.min(horizon, spec.leadTimes?.[i] ?? horizon);
    if (runner === 'zero') {
      const zeros = new Float64Array(horizon);
      mean.add({ train, actual, mean: zeros, quantiles: levels.map((q) => ({ q, values: zeros })) });
      levels.forEach((_, k) => (covered[k]! += total(actual, lead) <= 0 ? 1 : 0));
      return;
    }
    const base = { horizon, quantiles: levels, ...(spec.seasonLength === undefined ? {} : { seasonLength: spec.seasonLength }) };
    let f;
    try {
      f = forecastSeries(train, { ...base, method: runner === 'auto-uncalibrated' ? 'auto' : runner, ...(occurrence === null ? {} : { occurrence }), ...(sizes === null ? {} : { sizes }) });
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      failures++;
      f = forecastSeries(train, { ...base, method: 'naive' });
    }
    chosen.set(f.method, (chosen.get(f.method) ?? 0) + 1);
    mean.add({ train, actual, mean: f.mean, quantiles: f.quantiles });
    point.add({ train, actual, mean: f.point, quantiles: f.quantiles });
    levels.forEach((q, k) => (covered[k]! += total(actual, lead) <= horizonDemandQuantile(f, lead, q) ? 1 : 0));
  });
  const seconds = (performance.now() - started) / 1000;
  const totalCoverage = covered.map((c) => c / panel.series.length);
  if (runner === 'auto-uncalibrated') return [{ label: 'auto, uncal. (point)', summary: point.summary(), failures, seconds, totalCoverage }];
  if (runner !== 'auto') return [{ label: runner, summary: mean.summary(), failures, seconds, totalCoverage }];
  return [
    { label: 'auto (point)', summary: point.summary(), failures, seconds, totalCoverage, chosen },
    { label: 'auto (mean)', summary: mean.summary(), failures, seconds, totalCoverage, chosen },
  ];
}

function total(actual: Float64Array, periods: number): number {
  let sum = 0;
  for (let j = 0; j < periods; j++) sum += actual[j]! === actual[j]! ? actual[j]! : 0;
  return sum;
}

/** The rows as a fixed-width table: MASE, RMSSE, bias, SPL and coverage per level, lead-time-total coverage. */
export function accuracyTable(rows: readonly AccuracyRow[], levels: readonly number[]): string[] {
  // A method that blows up (hw_mul on series of zeros) would otherwise print 15-digit numbers.
  const num = (x: number) => (Math.abs(x) >= 1e4 ? x.toExponential(1) : x.toFixed(3));
  const pct = (x: number) => (Math.abs(x) >= 100 ? `${(100 * x).toExponential(1)}%` : `${(100 * x).toFixed(1)}%`);
  const head = ['method', 'MASE', 'RMSSE', 'bias', ...levels.map((q) => `SPL${q}`), ...levels.map((q) => `cov${q}`), ...levels.map((q) => `LTcov${q}`), 'fail', 's'];
  const body = rows.map((r) => [
    r.label,
    num(r.summary.mase),
    num(r.summary.rmsse),
    pct(r.summary.bias),
    ...r.summary.quantiles.map((x) => num(x.spl)),
    ...r.summary.quantiles.map((x) => x.coverage.toFixed(3)),
    ...r.totalCoverage.map((c) => c.toFixed(3)),
    String(r.failures),
    r.seconds.toFixed(1),
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...body.map((row) => row[c]!.length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  return [line(head), ...body.map(line)];
}
