/**
 * Croston's method and the Syntetos-Boylan approximation for intermittent demand.
 * - Croston (1972), "Forecasting and stock control for intermittent demands", Operational Research Quarterly 23(3):
 *   at each period with demand, z <- z + alpha_z (y - z) (demand size) and p <- p + alpha_p (q - p) (inter-demand
 *   interval q, in periods); nothing changes between demands. Forecast z / p for every horizon.
 * - SBA, Syntetos & Boylan (2005), "The accuracy of intermittent demand estimates", IJF 21(2), eq. (5): the same
 *   states, forecast (1 - alpha_p / 2) z / p, which removes Croston's bias to first order.
 *
 * Initialisation as R forecast::croston (forecast 8.20, `croston2`): the first demand sets z to its size and p to
 * its interval counted from the start of the series; later demands update by SES. So fitted[0] is NaN, fitted
 * values before the first demand are 0, and forecast::croston's numbers are reproduced exactly when
 * alpha_z = alpha_p. A demand is a value > 0 (zero and negative values are no demand). A missing period is left
 * out entirely: it neither counts towards an interval nor updates anything.
 *
 * Fitting: alpha_z and alpha_p minimise the in-sample one-step SSE over [0.05, 0.3]^2 (the usual range for
 * intermittent demand, Syntetos & Boylan 2005 section 4) by Nelder-Mead.
 */
import { minimiseInCube } from './optimise.js';
import { flatForecast, makeModel, type Model } from './types.js';

export interface CrostonParams {
  readonly alphaSize: number;
  readonly alphaInterval: number;
}

export interface IntermittentBounds {
  readonly lower?: number;
  readonly upper?: number;
}

interface CrostonState {
  sse: number;
  size: number;
  interval: number;
  demand: boolean;
  seen: boolean;
}

/** Croston's method with fixed smoothing constants. */
export function croston(y: Float64Array, params: CrostonParams): Model {
  return crostonModel(y, params, 1, 'Croston');
}

/** SBA: Croston's states, forecast scaled by (1 - alphaInterval / 2). */
export function sba(y: Float64Array, params: CrostonParams): Model {
  return crostonModel(y, params, 1 - params.alphaInterval / 2, 'SBA');
}

/** Croston's method with both constants estimated by in-sample one-step SSE. */
export function crostonFit(y: Float64Array, bounds: IntermittentBounds = {}): Model {
  return croston(y, estimateConstants(y, bounds, false));
}

/** SBA with both constants estimated by its own in-sample one-step SSE. */
export function sbaFit(y: Float64Array, bounds: IntermittentBounds = {}): Model {
  return sba(y, estimateConstants(y, bounds, true));
}

function crostonModel(y: Float64Array, params: CrostonParams, factor: number, name: string): Model {
  const fitted = new Float64Array(y.length);
  const s = crostonPass(y, params.alphaSize, params.alphaInterval, factor, fitted);
  const level = crostonLevel(s, factor);
  return makeModel(name, { ...params }, y, fitted, (h) => flatForecast(h, level));
}

/** The forecast after a pass: NaN before any observation, 0 before any demand. */
function crostonLevel(s: CrostonState, factor: number): number {
  if (!s.seen) return NaN;
  return s.demand ? (factor * s.size) / s.interval : 0;
}

function crostonPass(y: Float64Array, aZ: number, aP: number, factor: number, fitted: Float64Array | null): CrostonState {
  let size = 0;
  let interval = 0;
  let demand = false;
  let seen = false;
  let sse = 0;
  let current = NaN; // the forecast for the next period: NaN until an observation, 0 until a demand
  let since = 0; // observed periods since the last demand, this one included
  for (let t = 0; t < y.length; t++) {
    if (fitted !== null) fitted[t] = current;
    const v = y[t]!;
    if (v !== v) continue;
    if (seen) sse += (v - current) * (v - current);
    else {
      seen = true;
      current = 0;
    }
    since++;
    if (v > 0) {
      if (demand) {
        size += aZ * (v - size);
        interval += aP * (since - interval);
      } else {
        size = v;
        interval = since;
        demand = true;
      }
      since = 0;
      current = (factor * size) / interval;
    }
  }
  return { sse, size, interval, demand, seen };
}

function estimateConstants(y: Float64Array, bounds: IntermittentBounds, debiased: boolean): CrostonParams {
  const lower = bounds.lower ?? 0.05;
  const upper = bounds.upper ?? 0.3;
  const toParams = (u: Float64Array): CrostonParams => ({
    alphaSize: lower + (upper - lower) * u[0]!,
    alphaInterval: lower + (upper - lower) * u[1]!,
  });
  const objective = (u: Float64Array): number => {
    const p = toParams(u);
    return crostonPass(y, p.alphaSize, p.alphaInterval, debiased ? 1 - p.alphaInterval / 2 : 1, null).sse;
  };
  return toParams(minimiseInCube(objective, [[0.25, 0.25]], { maxEvals: 80, relTol: 1e-5 }).u);
}
