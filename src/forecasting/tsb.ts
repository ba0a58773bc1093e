/**
 * TSB, Teunter, Syntetos & Babai (2011), "Intermittent demand: linking forecasting to inventory obsolescence",
 * EJOR 214(3), section 3: the demand probability is smoothed EVERY period, p <- p + beta (d - p) with d = 1 if
 * there is demand else 0, and the demand size only at periods with demand, z <- z + alpha (y - z). Forecast p z for
 * every horizon, so the forecast decays during long runs without demand (obsolescence).
 *
 * Initialisation (the paper leaves it open): as Croston's in croston.ts, from the first demand, with z = its size
 * and p = 1 / its interval from the start (the probability Croston's interval implies); later periods update as
 * above. fitted[0] is NaN and fitted values before the first demand are 0; no look-ahead (R tsintermittent's
 * default instead starts p at the in-sample mean, which uses the future). A demand is a value > 0; a missing period
 * updates nothing. Fitting: alpha and beta minimise the in-sample one-step SSE over [0.05, 0.3]^2 by Nelder-Mead.
 */
import type { IntermittentBounds } from './croston.js';
import { minimiseInCube } from './optimise.js';
import { flatForecast, makeModel, type Model } from './types.js';

export interface TsbParams {
  /** Smoothing constant of the demand size. */
  readonly alpha: number;
  /** Smoothing constant of the demand probability. */
  readonly beta: number;
}

/** TSB with fixed smoothing constants. */
export function tsb(y: Float64Array, params: TsbParams): Model {
  const fitted = new Float64Array(y.length);
  const level = tsbPass(y, params.alpha, params.beta, fitted).level;
  return makeModel('TSB', { ...params }, y, fitted, (h) => flatForecast(h, level));
}

/** TSB with alpha and beta estimated by in-sample one-step SSE. */
export function tsbFit(y: Float64Array, bounds: IntermittentBounds = {}): Model {
  const lower = bounds.lower ?? 0.05;
  const upper = bounds.upper ?? 0.3;
  const toParams = (u: Float64Array): TsbParams => ({
    alpha: lower + (upper - lower) * u[0]!,
    beta: lower + (upper - lower) * u[1]!,
  });
  const objective = (u: Float64Array): number => {
    const p = toParams(u);
    return tsbPass(y, p.alpha, p.beta, null).sse;
  };
  return tsb(y, toParams(minimiseInCube(objective, [[0.25, 0.25]], { maxEvals: 80, relTol: 1e-5 }).u));
}

/** The TSB recursion once over `y`: one-step forecasts into `fitted` (if given), their SSE and the final level. */
export function tsbPass(y: Float64Array, alpha: number, beta: number, fitted: Float64Array | number[] | null): { sse: number; level: number } {
  let size = 0;
  let probability = 0;
  let demand = false;
  let seen = false;
  let since = 0;
  let sse = 0;
  for (let t = 0; t < y.length; t++) {
    const f = seen ? (demand ? probability * size : 0) : NaN;
    if (fitted !== null) fitted[t] = f;
    const v = y[t]!;
    if (v !== v) continue;
    if (seen) sse += (v - f) * (v - f);
    seen = true;
    since++;
    if (demand) {
      probability += beta * ((v > 0 ? 1 : 0) - probability);
      if (v > 0) size += alpha * (v - size);
    } else if (v > 0) {
      size = v;
      probability = 1 / since;
      demand = true;
    }
  }
  return { sse, level: seen ? (demand ? probability * size : 0) : NaN };
}
