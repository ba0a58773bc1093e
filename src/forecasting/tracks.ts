/**
 * Fixed-parameter forecasts tracked through a whole series in one pass, so that the forecast made at EVERY origin
 * is available at once: what rolling-origin evaluation (select.ts) needs, at the cost of a single fit.
 *
 * A track gives the forecast made at origin o (from y[0..o), o = 0..n) for step j >= 1. The ones here keep, for
 * each origin, the state after seeing y[0..o): `level[o]` (and `trend[o]` for trend methods), and forecast
 * level[o] + (phi + ... + phi^j) trend[o]; flat methods have no trend. The definitions are those of the fitted methods in this folder (FPP 3rd ed. sections 8.1-8.2 for
 * SES and damped Holt; Croston 1972 and Syntetos & Boylan 2005 for Croston and SBA, croston.ts; Teunter, Syntetos &
 * Babai 2011 for TSB, tsb.ts), with fixed smoothing constants instead of estimated ones. A missing period (NaN)
 * updates nothing and carries the state forward, as everywhere in this folder.
 *
 * `growth` gives the coefficients c_i of the linear innovations form y_{n+j} = yhat + e_{n+j} + sum_i c_i e_{n+j-i}
 * (Hyndman, Koehler, Ord & Snyder 2008, "Forecasting with Exponential Smoothing", ch. 6, class 1): c_i = alpha +
 * beta (phi + ... + phi^i) (+ gamma when i is a multiple of the season length m). quantiles.ts uses them for the
 * spread of multi-step and cumulative forecasts.
 */
import { initialStates } from './ets-init.js';
import { tsbPass } from './tsb.js';

export interface Growth {
  readonly alpha: number;
  readonly beta: number;
  readonly phi: number;
  readonly gamma?: number;
  readonly m?: number;
}

export interface Track {
  readonly name: string;
  readonly growth: Growth;
  /** The forecast made at origin o (having seen y[0..o)) for step j >= 1; NaN when there is none. */
  forecastAt(o: number, j: number): number;
}

/**
 * A flat track: the forecast at origin o is level[o] for every step. Levels are a plain array: V8 allocates a
 * short number[] in its young generation, where a Float64Array of more than 8 elements gets a separately allocated
 * buffer that costs more than the pass itself.
 */
export interface FlatTrack extends Track {
  readonly level: readonly number[];
}

const NO_TREND = { beta: 0, phi: 1 };

// Tracks are classes rather than object literals with arrow functions: a class shares one method across
// instances, where a closure per track is an allocation (and, under tsx, a naming call) per candidate per series.
class Flat implements FlatTrack {
  readonly growth: Growth;
  constructor(readonly name: string, readonly level: number[], alpha: number) {
    this.growth = { alpha, ...NO_TREND };
  }
  forecastAt(o: number): number {
    return this.level[o]!;
  }
}

class Trended implements Track {
  private readonly sums = [0]; // sums[j] = phi + ... + phi^j, extended on demand
  constructor(readonly name: string, readonly growth: Growth, private readonly levels: number[], private readonly trends: number[]) {}
  forecastAt(o: number, j: number): number {
    const sums = this.sums;
    for (let i = sums.length; i <= j; i++) sums.push(sums[i - 1]! + this.growth.phi ** i);
    return this.levels[o]! + sums[j]! * this.trends[o]!;
  }
}

class SeasonalNaive implements Track {
  readonly growth: Growth;
  readonly name: string;
  constructor(private readonly y: Float64Array, private readonly m: number) {
    this.growth = { alpha: 0, beta: 0, phi: 1, gamma: 1, m };
    this.name = `snaive(${m})`;
  }
  forecastAt(o: number, j: number): number {
    const { y, m } = this;
    for (let t = o + j - 1 - m * Math.ceil(j / m); t >= 0; t -= m) if (y[t]! === y[t]!) return y[t]!;
    return NaN;
  }
}

function flat(name: string, level: number[], alpha: number): FlatTrack {
  return new Flat(name, level, alpha);
}

/** True for the flat tracks made here (their forecasts are their levels). */
export function isFlatTrack(track: Track): track is FlatTrack {
  return track instanceof Flat;
}

/** A level array for origins 0..n. */
function levels(n: number): number[] {
  return new Array<number>(n + 1).fill(0);
}

/** Mean of the first (up to) `count` observed values: a robust starting level. */
function startLevel(y: Float64Array, count: number): number {
  let sum = 0;
  let seen = 0;
  for (let t = 0; t < y.length && seen < count; t++) {
    const v = y[t]!;
    if (v === v) {
      sum += v;
      seen++;
    }
  }
  return seen > 0 ? sum / seen : NaN;
}

/** SES with fixed alpha, starting from the mean of the first 12 observations. */
export function sesTrack(y: Float64Array, alpha: number): FlatTrack {
  const level = levels(y.length);
  let l = startLevel(y, 12);
  level[0] = l;
  for (let t = 0; t < y.length; t++) {
    const v = y[t]!;
    if (v === v) l += alpha * (v - l);
    level[t + 1] = l;
  }
  return flat(`ses(${alpha})`, level, alpha);
}

/** TSB with fixed constants (alpha for sizes, beta for the demand probability), initialised as in tsb.ts. */
export function tsbTrack(y: Float64Array, alpha: number, beta: number): FlatTrack {
  const level = levels(y.length);
  // tsbPass writes each one-step forecast into level[0..n-1]; the forecast after the last period is level[n].
  level[y.length] = tsbPass(y, alpha, beta, level).level;
  return flat(`tsb(${alpha},${beta})`, level, beta);
}

/** SBA (Croston with the (1 - alpha / 2) correction), one alpha for sizes and intervals, initialised as in croston.ts. */
export function sbaTrack(y: Float64Array, alpha: number): FlatTrack {
  const level = levels(y.length);
  const factor = 1 - alpha / 2;
  let size = 0;
  let interval = 0;
  let current = NaN;
  let since = 0;
  for (let t = 0; t < y.length; t++) {
    level[t] = current;
    const v = y[t]!;
    if (v !== v) continue;
    if (current !== current) current = 0;
    since++;
    if (!(v > 0)) continue;
    if (interval === 0) {
      size = v;
      interval = since;
    } else {
      size += alpha * (v - size);
      interval += alpha * (since - interval);
    }
    since = 0;
    current = (factor * size) / interval;
  }
  level[y.length] = current;
  return flat(`sba(${alpha})`, level, alpha / 2);
}

/** Mean of the last k observed values (carried over windows without any). */
export function movingAverageTrack(y: Float64Array, k: number): FlatTrack {
  const level = levels(y.length);
  const window = levels(k - 1);
  let filled = 0;
  let sum = 0;
  level[0] = NaN;
  for (let t = 0; t < y.length; t++) {
    const v = y[t]!;
    if (v === v) {
      const slot = filled % k;
      if (filled >= k) sum -= window[slot]!;
      window[slot] = v;
      sum += v;
      filled++;
    }
    level[t + 1] = filled > 0 ? sum / Math.min(filled, k) : NaN;
  }
  return flat(`ma(${k})`, level, 1 / k);
}

/** Naive: the last observation. */
export function naiveTrack(y: Float64Array): FlatTrack {
  const level = levels(y.length);
  let last = NaN;
  level[0] = NaN;
  for (let t = 0; t < y.length; t++) {
    if (y[t]! === y[t]!) last = y[t]!;
    level[t + 1] = last;
  }
  return flat('naive', level, 1);
}

/** Damped Holt with fixed alpha, beta (state-space form) and phi, from R ets()'s heuristic initial states. */
export function holtTrack(y: Float64Array, alpha: number, beta: number, phi: number): Track {
  const level = levels(y.length);
  const trend = levels(y.length);
  const start = initialStates(y, 1, true, 'none');
  let l = start.level;
  let b = start.trend;
  level[0] = l;
  trend[0] = b;
  for (let t = 0; t < y.length; t++) {
    const q = l + phi * b;
    const v = y[t]!;
    const e = v === v ? v - q : 0;
    l = q + alpha * e;
    b = phi * b + beta * e;
    level[t + 1] = l;
    trend[t + 1] = b;
  }
  return new Trended(`holt(${alpha},${beta},${phi})`, { alpha, beta, phi }, level, trend);
}

/** The equal-weight mean of flat tracks (a forecast combination). */
export function combinationTrack(name: string, parts: readonly FlatTrack[]): FlatTrack {
  const level = levels(parts[0]!.level.length - 1);
  let alpha = 0;
  for (const p of parts) {
    for (let o = 0; o < level.length; o++) level[o] = level[o]! + p.level[o]! / parts.length;
    alpha += p.growth.alpha / parts.length;
  }
  return flat(name, level, alpha);
}

/** Seasonal naive: the last observation of the same season (FPP 3rd ed., section 5.2). */
export function seasonalNaiveTrack(y: Float64Array, m: number): Track {
  return new SeasonalNaive(y, m);
}
