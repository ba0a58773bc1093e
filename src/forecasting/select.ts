/**
 * Automatic method selection per series by rolling-origin evaluation ("evaluation on a rolling forecasting origin",
 * Hyndman & Athanasopoulos, FPP 3rd ed., section 5.10; Tashman 2000, "Out-of-sample tests of forecasting accuracy",
 * IJF 16(4)): every candidate forecasts from each of the last K origins of the series, up to `horizon` steps
 * ahead but never past the data, and the candidate with the lowest mean squared error over those forecasts wins
 * (squared error, the loss RMSSE scales). Ties go to the earlier, simpler candidate.
 *
 * The candidates are tracks (tracks.ts) with fixed smoothing constants, so the forecasts from every origin come out
 * of one pass over the series, without refitting: this is the cheap path that makes selection affordable for
 * hundreds of thousands of series. The pool covers the shapes the methods registry covers: level (SES at several
 * constants, moving averages, naive), intermittent (TSB at two pairs of constants, SBA), their equal-weight
 * combination (robust for intermittent demand: Petropoulos & Kourentzes 2015, "Forecast combinations for
 * intermittent demand", JORS 66(6)), damped and undamped trend (Holt), and with a season length, seasonal naive.
 * A fitted model of the registry (e.g. the AICc choice of ets_auto for a seasonal series) joins as `modelTrack`:
 * its estimated parameters are kept and only its recursion is rerun from each origin (not re-estimated there).
 */
import { holtWinters } from './holt-winters.js';
import { holt } from './holt.js';
import { ses } from './ses.js';
import {
  combinationTrack,
  holtTrack,
  isFlatTrack,
  movingAverageTrack,
  naiveTrack,
  sbaTrack,
  seasonalNaiveTrack,
  sesTrack,
  tsbTrack,
  type Growth,
  type Track,
} from './tracks.js';
import type { Model } from './types.js';

export interface RollingOriginOptions {
  /** How many origins, counted back from the end of the series. */
  readonly origins: number;
  /** Steps forecast from each origin (fewer near the end of the series). */
  readonly horizon: number;
}

/** Mean squared error of a track's forecasts from the last `origins` origins; Infinity when it has none. */
export function rollingOriginMse(y: Float64Array, track: Track, opts: RollingOriginOptions): number {
  if (isFlatTrack(track)) return flatRollingOriginMse(y, track.level, opts);
  const n = y.length;
  let sum = 0;
  let count = 0;
  for (let o = Math.max(1, n - opts.origins); o < n; o++) {
    const steps = Math.min(opts.horizon, n - o);
    for (let j = 1; j <= steps; j++) {
      const e = y[o + j - 1]! - track.forecastAt(o, j);
      if (e === e) {
        sum += e * e;
        count++;
      }
    }
  }
  return count > 0 ? sum / count : Infinity;
}

/** rollingOriginMse for a flat track, straight from its levels (the hot loop of automatic selection). */
function flatRollingOriginMse(y: Float64Array, level: readonly number[], opts: RollingOriginOptions): number {
  const n = y.length;
  let sum = 0;
  let count = 0;
  for (let o = Math.max(1, n - opts.origins); o < n; o++) {
    const f = level[o]!;
    const end = Math.min(n, o + opts.horizon);
    for (let t = o; t < end; t++) {
      const e = y[t]! - f;
      if (e === e) {
        sum += e * e;
        count++;
      }
    }
  }
  return count > 0 ? sum / count : Infinity;
}

/** In-sample one-step mean squared error of a track from period `from` on (NaN when there is no pair). */
export function oneStepMse(y: Float64Array, track: Track, from = 1): number {
  let sum = 0;
  let count = 0;
  for (let t = from; t < y.length; t++) {
    const e = y[t]! - track.forecastAt(t, 1);
    if (e === e) {
      sum += e * e;
      count++;
    }
  }
  return count > 0 ? sum / count : NaN;
}

export interface Selection {
  readonly best: Track;
  /** Every candidate's rolling-origin MSE, in the pool's order. */
  readonly scores: readonly { readonly name: string; readonly mse: number }[];
}

/** The candidate with the lowest rolling-origin MSE (the first one on ties or when nothing can be scored). */
export function selectByRollingOrigin(y: Float64Array, tracks: readonly Track[], opts: RollingOriginOptions): Selection {
  let best = 0;
  const scores = tracks.map((track) => ({ name: track.name, mse: rollingOriginMse(y, track, opts) }));
  for (let i = 1; i < scores.length; i++) if (scores[i]!.mse < scores[best]!.mse) best = i;
  return { best: tracks[best]!, scores };
}

/** Rolling-origin settings for a series of n periods and a forecast horizon h: up to 12 origins, a third of the data. */
export function defaultRollingOrigin(n: number, h: number): RollingOriginOptions {
  const origins = Math.max(1, Math.min(12, Math.floor(n / 3)));
  return { origins, horizon: Math.max(1, Math.min(h, origins)) };
}

/**
 * Naive and trend candidates need this many periods. With fewer, the choice rests on one to four origins, and a
 * short history's last point or slope wins it by chance: four weeks of a best seller ending in the Christmas
 * shutdown week (1,653, 2,979, 1,141 and 12 units) chose Holt, whose trend forecast 0 for the next week, and the
 * replay held no stock of it for six weeks. A quarter of weekly data; monthly series of two years are unaffected.
 */
export const minPointsForTrend = 13;

/**
 * The candidate pool of the automatic method. Intermittent series (ADI > 1.32) get slow level and intermittent
 * candidates: SES at 0.1 and 0.2, TSB, SBA, moving averages and the combination of SES, TSB and SBA (on them naive,
 * trend and fast SES fit the last few demands and lose out of sample). Other series get SES at 0.1 to 0.5, moving
 * averages, from minPointsForTrend periods on naive and Holt (damped and not), and with a season length >= 2 seasonal
 * naive; not SBA, whose correction biases non-intermittent demand down.
 */
export function candidatePool(y: Float64Array, opts: { seasonLength?: number; intermittent?: boolean } = {}): Track[] {
  const ses = [sesTrack(y, 0.1), sesTrack(y, 0.2)];
  const averages = [movingAverageTrack(y, 12), movingAverageTrack(y, 24)];
  if (opts.intermittent === true) {
    const tsb = [tsbTrack(y, 0.1, 0.1), tsbTrack(y, 0.1, 0.3)];
    const sba = sbaTrack(y, 0.1);
    return [combinationTrack('combination(ses,tsb,sba)', [ses[0]!, tsb[1]!, sba]), ...ses, ...tsb, sba, ...averages];
  }
  const pool: Track[] = [...ses, sesTrack(y, 0.3), sesTrack(y, 0.5), ...averages];
  if (y.length >= minPointsForTrend) pool.push(naiveTrack(y), holtTrack(y, 0.3, 0.1, 0.98), holtTrack(y, 0.5, 0.2, 1));
  const m = opts.seasonLength ?? 1;
  if (Number.isInteger(m) && m >= 2 && y.length >= 2 * m) pool.push(seasonalNaiveTrack(y, m));
  return pool;
}

/**
 * A fitted SES, Holt or Holt-Winters model (as ets_auto returns them) as a track: forecasts from an earlier origin
 * rerun the model's recursion on y[0..o) with its parameters and initial states. Null for any other model.
 */
export function modelTrack(y: Float64Array, model: Model, seasonLength = 1): Track | null {
  const p = model.params;
  const refit = refitter(model, seasonLength);
  if (refit === null) return null;
  const cache = new Map<number, Float64Array>();
  const forecastAt = (o: number, j: number): number => {
    let f = cache.get(o);
    if (f === undefined || f.length < j) {
      f = o === y.length ? model.forecast(j) : tryForecast(() => refit(y.subarray(0, o)).forecast(j), j);
      cache.set(o, f);
    }
    return f[j - 1]!;
  };
  const growth: Growth = { alpha: p['alpha'] ?? 0, beta: p['beta'] ?? 0, phi: p['phi'] ?? 1, gamma: p['gamma'] ?? 0, m: seasonLength };
  return { name: model.name, growth, forecastAt };
}

function refitter(model: Model, m: number): ((prefix: Float64Array) => Model) | null {
  const p = model.params;
  const alpha = p['alpha']!;
  if (model.name === 'SES') return (prefix) => ses(prefix, { alpha, level0: p['level0']! });
  if (model.name === 'Holt' || model.name === 'Damped Holt') {
    const fixed = { alpha, beta: p['beta']!, phi: p['phi'] ?? 1, level0: p['level0']!, trend0: p['trend0']! };
    return (prefix) => holt(prefix, fixed);
  }
  const ets = /^ETS\([AM],Ad?,([AM])\)$/.exec(model.name);
  if (ets === null || model.ets === undefined) return null;
  const seasonality = ets[1] === 'M' ? 'multiplicative' : 'additive';
  const fixed = { alpha, beta: p['beta']!, gamma: p['gamma']!, phi: p['phi'] ?? 1, initial: model.ets.initialState };
  return (prefix) => holtWinters(prefix, m, seasonality, fixed);
}

/** A prefix too short for the model (a RangeError from its fit) has no forecast. */
function tryForecast(run: () => Float64Array, h: number): Float64Array {
  try {
    return run();
  } catch (error) {
    if (error instanceof RangeError) return new Float64Array(h).fill(NaN);
    throw error;
  }
}
