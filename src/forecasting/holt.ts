/**
 * Holt's linear trend method with damping, Hyndman & Athanasopoulos, FPP 3rd ed., section 8.2 ("Damped trend
 * methods": yhat_{t+h|t} = l_t + (phi + ... + phi^h) b_t), written as ETS(A,Ad,N) of section 8.5 with the
 * state-space beta of R's ets() (b_t = phi b_{t-1} + beta e_t; beta = alpha * beta* of the component form).
 * phi = 1 is Holt's undamped method. The recursion itself is ets-filter.ts.
 *
 * Initial states:
 * - `holt(y, params)` takes l0 and b0 if given, else R ets()'s heuristic (ets-init.ts: a line through the first 10
 *   observations).
 * - `holtFit(y)` estimates alpha, beta (<= alpha), phi (in [0.8, 0.98], R's bounds) AND l0, b0 by least squares,
 *   as R's ets(model = "AAN", damped = TRUE) does. Given the smoothing parameters the one-step errors are linear in
 *   (l0, b0), so those two are solved exactly inside each evaluation and Nelder-Mead searches only the smoothing
 *   parameters.
 */
import { etsForecast, etsInfo, etsPass, type EtsSpec } from './ets-filter.js';
import { initialStates } from './ets-init.js';
import { minimiseInCube } from './optimise.js';
import { checkHorizon, makeModel, type Model } from './types.js';

export interface HoltParams {
  readonly alpha: number;
  readonly beta: number;
  /** Damping; 1 (the default) is the undamped linear trend. */
  readonly phi?: number;
  readonly level0?: number;
  readonly trend0?: number;
}

const LOWER = 0.0001;
const UPPER = 0.9999;

/** Holt's (damped) linear method with fixed parameters. */
export function holt(y: Float64Array, params: HoltParams): Model {
  const phi = params.phi ?? 1;
  const spec: EtsSpec = { m: 1, trend: true, damped: phi !== 1, season: 'none', error: 'additive' };
  const start = params.level0 === undefined || params.trend0 === undefined ? initialStates(y, 1, true, 'none') : null;
  const init = { level: params.level0 ?? start!.level, trend: params.trend0 ?? start!.trend, season: new Float64Array(1) };
  const ring = new Float64Array(1);
  const fitted = new Float64Array(y.length);
  const pass = etsPass(y, spec, { alpha: params.alpha, beta: params.beta, gamma: 0, phi }, init, ring, fitted);
  const forecast = (h: number): Float64Array => etsForecast(spec, phi, pass.level, pass.trend, ring, y.length, checkHorizon(h));
  const shown = { alpha: params.alpha, beta: params.beta, phi, level0: init.level, trend0: init.trend };
  return makeModel(phi === 1 ? 'Holt' : 'Damped Holt', shown, y, fitted, forecast, etsInfo(pass, spec, init));
}

/** Holt's method with alpha, beta, (phi,) l0 and b0 estimated by minimising the in-sample one-step SSE. */
export function holtFit(y: Float64Array, opts: { damped?: boolean } = {}): Model {
  const damped = opts.damped ?? true;
  const base = initialStates(y, 1, true, 'none');
  const toParams = (u: Float64Array): { alpha: number; beta: number; phi: number } => {
    const alpha = LOWER + (UPPER - LOWER) * u[0]!;
    return { alpha, beta: LOWER + (alpha - LOWER) * u[1]!, phi: damped ? 0.8 + 0.18 * u[2]! : 1 };
  };
  const objective = (u: Float64Array): number => {
    const p = toParams(u);
    return profile(y, p.alpha, p.beta, p.phi, base.level, base.trend).sse;
  };
  const starts = damped
    ? [[0.2, 0.1, 0.99], [0.5, 0.5, 0.5], [0.05, 0.5, 0.9]]
    : [[0.2, 0.1], [0.5, 0.5], [0.05, 0.5]];
  const best = minimiseInCube(objective, starts);
  const p = toParams(best.u);
  const fit = profile(y, p.alpha, p.beta, p.phi, base.level, base.trend);
  return holt(y, { ...p, level0: base.level + fit.shiftLevel, trend0: base.trend + fit.shiftTrend });
}

/**
 * One pass from (l0, b0) = base: the SSE at the least-squares (l0, b0) and their shifts from base. Tracks the
 * Jacobian of the states with respect to (l0, b0): c_t = d yhat_t / d(l0, b0), and e_t(x0) = e_t(base) - c_t . shift.
 */
function profile(y: Float64Array, alpha: number, beta: number, phi: number, level0: number, trend0: number) {
  let l = level0;
  let b = trend0;
  let jl0 = 1, jl1 = 0, jb0 = 0, jb1 = 1; // d l / d(l0, b0), d b / d(l0, b0)
  let see = 0, a00 = 0, a01 = 0, a11 = 0, r0 = 0, r1 = 0;
  for (let t = 0; t < y.length; t++) {
    const c0 = jl0 + phi * jb0;
    const c1 = jl1 + phi * jb1;
    const q = l + phi * b;
    const v = y[t]!;
    if (v === v) {
      const e = v - q;
      see += e * e;
      a00 += c0 * c0; a01 += c0 * c1; a11 += c1 * c1;
      r0 += c0 * e; r1 += c1 * e;
      l = q + alpha * e;
      b = phi * b + beta * e;
      jl0 = (1 - alpha) * c0; jl1 = (1 - alpha) * c1;
      jb0 = phi * jb0 - beta * c0; jb1 = phi * jb1 - beta * c1;
    } else {
      l = q;
      b = phi * b;
      jl0 = c0; jl1 = c1;
      jb0 = phi * jb0; jb1 = phi * jb1;
    }
    // Flush to zero before products turn subnormal (~100x slower arithmetic, no effect on the result).
    if (Math.abs(jl0) + Math.abs(jl1) + Math.abs(jb0) + Math.abs(jb1) < 1e-100) jl0 = jl1 = jb0 = jb1 = 0;
  }
  const det = a00 * a11 - a01 * a01;
  if (!(det > 1e-12 * a00 * a11)) {
    // Too few observations to tell level from trend: solve for the level alone.
    const shiftLevel = a00 > 0 ? r0 / a00 : 0;
    return { sse: Math.max(see - r0 * shiftLevel, 0), shiftLevel, shiftTrend: 0 };
  }
  const shiftLevel = (a11 * r0 - a01 * r1) / det;
  const shiftTrend = (a00 * r1 - a01 * r0) / det;
  return { sse: Math.max(see - r0 * shiftLevel - r1 * shiftTrend, 0), shiftLevel, shiftTrend };
}
