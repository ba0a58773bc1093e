/**
 * Simple exponential smoothing, Hyndman & Athanasopoulos, FPP 3rd ed., section 8.1 (component form:
 * yhat_{t+1|t} = l_t, l_t = alpha y_t + (1 - alpha) l_{t-1}); as a model, ETS(A,N,N) of section 8.5.
 *
 * Initial level:
 * - `ses(y, { alpha })` (fixed parameters) starts from l0 = the first observation, R forecast's
 *   `ses(initial = "simple")` convention (fitted[0] = y_0, whose error is zero), unless `level0` is given.
 * - `sesFit(y)` estimates alpha AND l0 by least squares, which is what R's `ses()` (default `initial = "optimal"`,
 *   i.e. ets(model = "ANN", opt.crit = "mse")) does. Given alpha, each one-step error is linear in l0
 *   (e_t = a_t - (1 - alpha)^k_t l0), so l0 is solved exactly and Brent's method searches alpha alone over
 *   [0.0001, 0.9999] (ets()'s bounds): the result is the exact minimiser, not a Nelder-Mead approximation.
 */
import { etsForecast, etsInfo, etsPass, type EtsSpec } from './ets-filter.js';
import { minimiseScalar } from './optimise.js';
import { checkHorizon, makeModel, type Model } from './types.js';

const SES_SPEC: EtsSpec = { m: 1, trend: false, damped: false, season: 'none', error: 'additive' };
const UNLIMITED = { min: -Infinity, max: Infinity };

export interface SesParams {
  readonly alpha: number;
  /** Initial level l0; defaults to the first observation. */
  readonly level0?: number;
}

export interface SesBounds {
  readonly lower?: number;
  readonly upper?: number;
  /**
   * Keep l0 within the range of the observations (the exact constrained least-squares l0). Then every fitted value
   * and forecast stays within that range too, since SES only averages; ADIDA and IMAPA use it so non-negative
   * demand is never forecast below zero. Off by default, as in R.
   */
  readonly levelWithinRange?: boolean;
}

/** SES with a fixed alpha (and l0, default the first observation). */
export function ses(y: Float64Array, params: SesParams): Model {
  const level0 = params.level0 ?? firstObserved(y);
  const init = { level: level0, trend: 0, season: new Float64Array(1) };
  const ring = new Float64Array(1);
  const fitted = new Float64Array(y.length);
  const p = { alpha: params.alpha, beta: 0, gamma: 0, phi: 1 };
  const pass = etsPass(y, SES_SPEC, p, init, ring, fitted);
  const forecast = (h: number): Float64Array => etsForecast(SES_SPEC, 1, pass.level, 0, ring, y.length, checkHorizon(h));
  return makeModel('SES', { alpha: params.alpha, level0 }, y, fitted, forecast, etsInfo(pass, SES_SPEC, init));
}

/** SES with alpha and l0 estimated by minimising the in-sample one-step SSE (alpha within [lower, upper]). */
export function sesFit(y: Float64Array, bounds: SesBounds = {}): Model {
  const lower = bounds.lower ?? 0.0001;
  const upper = bounds.upper ?? 0.9999;
  const base = firstObserved(y);
  const range = bounds.levelWithinRange === true ? observedRange(y) : UNLIMITED;
  const shifts = { min: range.min - base, max: range.max - base };
  const best = minimiseScalar((alpha) => profile(y, alpha, base, shifts).sse, lower, upper, 1e-7);
  return ses(y, { alpha: best.x, level0: base + profile(y, best.x, base, shifts).shift });
}

/** In-sample SSE of SES at alpha with the least-squares l0 (unconstrained). */
export function sesProfileSse(y: Float64Array, alpha: number, base = firstObserved(y)): number {
  return profile(y, alpha, base, UNLIMITED).sse;
}

/**
 * One pass at a given alpha starting from l0 = base: the SSE at the best l0 and that l0's shift from base.
 * c_t = d yhat_t / d l0 = (1 - alpha)^(observations before t), because a missing period leaves the level alone.
 */
function profile(y: Float64Array, alpha: number, base: number, limits: { min: number; max: number }): { sse: number; shift: number } {
  let level = base;
  let c = 1;
  let see = 0;
  let sec = 0;
  let scc = 0;
  const keep = 1 - alpha;
  for (let t = 0; t < y.length; t++) {
    const v = y[t]!;
    if (v !== v) continue;
    const e = v - level;
    see += e * e;
    sec += e * c;
    scc += c * c;
    level += alpha * e;
    c *= keep;
    // Flush to zero before c * c turns subnormal: subnormal arithmetic is ~100x slower and changes nothing here.
    if (c < 1e-100) c = 0;
  }
  // The SSE is a parabola in the shift, so clamping its vertex gives the constrained minimum.
  const shift = Math.min(Math.max(scc > 0 ? sec / scc : 0, limits.min), limits.max);
  return { sse: Math.max(see - 2 * shift * sec + shift * shift * scc, 0), shift };
}

function observedRange(y: Float64Array): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let t = 0; t < y.length; t++) {
    const v = y[t]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

/** The first observed value (NaN when nothing was observed). */
export function firstObserved(y: Float64Array): number {
  for (let t = 0; t < y.length; t++) if (y[t]! === y[t]!) return y[t]!;
  return NaN;
}
