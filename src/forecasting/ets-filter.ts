/**
 * The exponential-smoothing recursion shared by SES, Holt and Holt-Winters, in the component form that R's
 * forecast::ets() runs (its C function `update`) and that Hyndman & Athanasopoulos, FPP 3rd ed., section 8.3
 * (eq. for the additive and multiplicative Holt-Winters methods, with damping, section 8.4 table 8.4) state.
 * With q = l_{t-1} + phi * b_{t-1}:
 *   yhat_t = q + s_{t-m}          (additive season)      or  q * s_{t-m}        (multiplicative season)
 *   l_t    = q + alpha * (y_t - s_{t-m} - q)                 or  q + alpha * (y_t / s_{t-m} - q)
 *   b_t    = phi * b_{t-1} + beta * (y_t - s_{t-m} - q)      or  phi * b_{t-1} + beta * (y_t / s_{t-m} - q)
 *   s_t    = s_{t-m} + gamma * (y_t - q - s_{t-m})            or  s_{t-m} + gamma * (y_t / q - s_{t-m})
 * beta is the state-space smoothing parameter of ETS (FPP 8.5; R's ets `beta`), i.e. alpha * beta* of the
 * component form's beta*. The update is the same for additive and multiplicative errors; the error type only
 * changes the likelihood: additive e_t = y_t - yhat_t, multiplicative e_t = (y_t - yhat_t) / yhat_t, and
 * -2 log L = n log(2 pi sum(e^2) / n) + n (+ 2 sum log|yhat_t| for multiplicative errors) (Hyndman et al. 2008,
 * "Forecasting with Exponential Smoothing", section 5.2). A missing y_t leaves the states unchanged except for
 * the damped trend step (l_t = q, b_t = phi b_{t-1}, s_t = s_{t-m}), which is the model's own one-step forecast.
 */
import type { EtsInfo, EtsState } from './types.js';

export type SeasonType = 'none' | 'additive' | 'multiplicative';

export interface EtsSpec {
  /** Season length; 1 when there is no season. */
  readonly m: number;
  readonly trend: boolean;
  readonly damped: boolean;
  readonly season: SeasonType;
  readonly error: 'additive' | 'multiplicative';
}

export interface EtsParams {
  readonly alpha: number;
  readonly beta: number;
  readonly gamma: number;
  readonly phi: number;
}

export interface PassResult {
  /** Sum of squared errors of the spec's error type over observed periods. */
  sse: number;
  /** Sum of log|yhat_t| over observed periods (used by multiplicative errors). */
  sumLogAbs: number;
  nObs: number;
  level: number;
  trend: number;
}

/**
 * Runs the recursion from `init`. `season` is a scratch ring of length m that ends holding the final seasonal
 * states by phase; `fitted` (optional) receives the one-step forecasts.
 */
export function etsPass(
  y: Float64Array,
  spec: EtsSpec,
  p: EtsParams,
  init: EtsState,
  season: Float64Array,
  fitted: Float64Array | null,
): PassResult {
  season.set(init.season);
  const { alpha, gamma } = p;
  const beta = spec.trend ? p.beta : 0;
  const phi = spec.trend ? p.phi : 0;
  const m = spec.m;
  const multiplicativeSeason = spec.season === 'multiplicative';
  const relative = spec.error === 'multiplicative';
  let l = init.level;
  let b = spec.trend ? init.trend : 0;
  let sse = 0;
  let sumLogAbs = 0;
  let product = 1; // of |yhat|, folded into sumLogAbs only when it grows large or small: one log per many periods
  let nObs = 0;
  let j = 0; // t mod m
  for (let t = 0; t < y.length; t++) {
    const s = season[j]!;
    const phib = phi * b;
    const q = l + phib;
    const yhat = multiplicativeSeason ? q * s : q + s;
    if (fitted !== null) fitted[t] = yhat;
    const v = y[t]!;
    if (v === v) {
      const e = relative ? (v - yhat) / yhat : v - yhat;
      sse += e * e;
      if (relative) {
        product *= Math.abs(yhat);
        if (product > 1e100 || product < 1e-100) {
          sumLogAbs += Math.log(product);
          product = 1;
        }
      }
      nObs++;
      const r = (multiplicativeSeason ? v / s : v - s) - q;
      l = q + alpha * r;
      b = phib + beta * r;
      // A zero level (all-zero data) says nothing about a multiplicative season: keep it rather than divide by 0.
      const ratio = multiplicativeSeason ? (q !== 0 ? v / q : s) : v - q;
      season[j] = s + gamma * (ratio - s);
    } else {
      l = q;
      b = phib;
    }
    j = j + 1 === m ? 0 : j + 1;
  }
  return { sse, sumLogAbs: sumLogAbs + Math.log(product), nObs, level: l, trend: b };
}

/** -2 log-likelihood of a pass, sigma concentrated out; +Infinity when it is not defined. */
export function minusTwoLogLik(r: PassResult, error: 'additive' | 'multiplicative'): number {
  const n = r.nObs;
  if (n === 0) return Infinity;
  // A perfect fit (a constant series) has sse = 0; a floor keeps the likelihood finite and comparable.
  const sse = Math.max(r.sse, 1e-300);
  const v = n * Math.log((2 * Math.PI * sse) / n) + n + (error === 'multiplicative' ? 2 * r.sumLogAbs : 0);
  return v === v ? v : Infinity;
}

/** Likelihood facts of a finished pass, with R's ets() parameter counting and sigma2. */
export function etsInfo(r: PassResult, spec: EtsSpec, initialState: EtsState): EtsInfo {
  const m2ll = minusTwoLogLik(r, spec.error);
  const k = etsParamCount(spec);
  const n = r.nObs;
  const np = k + 1; // sigma is a parameter too
  const aicc = n - np - 1 > 0 ? m2ll + 2 * np + (2 * np * (np + 1)) / (n - np - 1) : Infinity;
  return {
    errorType: spec.error,
    sigma2: n > k ? r.sse / (n - k) : NaN,
    loglik: -m2ll / 2,
    aicc,
    nParams: k,
    nObs: n,
    initialState,
  };
}

/** Forecasts h periods ahead from the final states of a series of length n. */
export function etsForecast(
  spec: EtsSpec,
  phi: number,
  level: number,
  trend: number,
  season: Float64Array,
  n: number,
  h: number,
): Float64Array {
  const out = new Float64Array(h);
  let damp = 0;
  let phiPower = 1;
  for (let i = 0; i < h; i++) {
    if (spec.trend) {
      phiPower *= phi;
      damp += phiPower;
    }
    const base = level + damp * trend;
    const s = season[(n + i) % spec.m]!;
    out[i] = spec.season === 'multiplicative' ? base * s : base + s;
  }
  return out;
}

/** Number of parameters as R's ets() counts them (without sigma): smoothing, phi, l0, b0 and m - 1 seasonal states. */
export function etsParamCount(spec: EtsSpec): number {
  let k = 2; // alpha, l0
  if (spec.trend) k += spec.damped ? 3 : 2; // beta, b0 (, phi)
  if (spec.season !== 'none') k += spec.m; // gamma and m - 1 free seasonal states
  return k;
}

/** Name in the ETS taxonomy, e.g. ETS(M,Ad,M). */
export function etsName(spec: EtsSpec): string {
  const e = spec.error === 'additive' ? 'A' : 'M';
  const t = spec.trend ? (spec.damped ? 'Ad' : 'A') : 'N';
  const s = spec.season === 'none' ? 'N' : spec.season === 'additive' ? 'A' : 'M';
  return `ETS(${e},${t},${s})`;
}
