/**
 * Shared shapes of the forecasting core: a fitted model, the method names, and the small helpers every method uses.
 *
 * Conventions for every method in this folder:
 * - A series is a `Float64Array` of equally spaced periods, oldest first; `NaN` means "not observed". A missing
 *   period is skipped by the loss and carries the state forward (no update), so the next forecast is the same one.
 * - `fitted[t]` is the one-step-ahead forecast of period t made from periods before t (`NaN` where a method has no
 *   forecast yet). The loss of every fit is the in-sample one-step squared error over periods where both exist.
 */

export type MethodName =
  | 'naive'
  | 'snaive'
  | 'ma'
  | 'ses'
  | 'holt'
  | 'hw_add'
  | 'hw_mul'
  | 'ets_auto'
  | 'croston'
  | 'sba'
  | 'tsb'
  | 'adida'
  | 'imapa';

/** Likelihood facts of an ETS-type model, enough to build prediction intervals and to compare models by AICc. */
export interface EtsInfo {
  /** 'multiplicative' means residuals and `sigma2` are relative errors (y - yhat) / yhat, as in R's ets(). */
  readonly errorType: 'additive' | 'multiplicative';
  /** Residual variance as R's ets() reports it: sum(e^2) / (n - k), n observed periods, k = `nParams`. */
  readonly sigma2: number;
  /** Gaussian log-likelihood of the one-step errors with sigma concentrated out (R's ets() omits the constant). */
  readonly loglik: number;
  /** AICc from `loglik` with k + 1 parameters (sigma counted), as R's ets(). */
  readonly aicc: number;
  /** Smoothing parameters + phi if damped + initial states (l0, b0, m - 1 seasonal), R's counting. */
  readonly nParams: number;
  /** Number of observed periods (n in the likelihood). */
  readonly nObs: number;
  readonly initialState: EtsState;
}

/** Level, trend and seasonal states; `season[j]` is the seasonal state used by periods t with t mod m = j. */
export interface EtsState {
  readonly level: number;
  readonly trend: number;
  readonly season: Float64Array;
}

export interface Model {
  /** Method and variant, e.g. 'SES', 'SBA', 'ETS(M,Ad,M)'. */
  readonly name: string;
  readonly params: Readonly<Record<string, number>>;
  /** One-step-ahead in-sample forecasts, NaN where undefined. */
  readonly fitted: Float64Array;
  /** Mean squared one-step error over periods with both an observation and a fitted value (NaN if none). */
  readonly mse: number;
  forecast(h: number): Float64Array;
  /** Present for ETS-type models (ses, holt, hw_add, hw_mul, ets_auto). */
  readonly ets?: EtsInfo;
}

export interface FitOptions {
  readonly seasonLength?: number;
}

export interface MethodEntry {
  fit(y: Float64Array, opts: FitOptions): Model;
}

/** In-sample one-step mean squared error over periods where both values exist. */
export function meanSquaredError(y: Float64Array, fitted: Float64Array): number {
  let sum = 0;
  let count = 0;
  for (let t = 0; t < y.length; t++) {
    const e = y[t]! - fitted[t]!;
    if (e === e) {
      sum += e * e;
      count++;
    }
  }
  return count > 0 ? sum / count : NaN;
}

/** A forecast of h periods, all equal to `value`. */
export function flatForecast(h: number, value: number): Float64Array {
  return new Float64Array(checkHorizon(h)).fill(value);
}

/** Horizons are counts: a negative or fractional one is a caller's bug. */
export function checkHorizon(h: number): number {
  if (!Number.isInteger(h) || h < 0) throw new RangeError(`forecast horizon must be a non-negative integer, got ${h}`);
  return h;
}

/** Assembles a model; `mse` is computed here so every method reports it the same way. */
export function makeModel(
  name: string,
  params: Record<string, number>,
  y: Float64Array,
  fitted: Float64Array,
  forecast: (h: number) => Float64Array,
  ets?: EtsInfo,
): Model {
  const model = { name, params, fitted, mse: meanSquaredError(y, fitted), forecast };
  return ets === undefined ? model : { ...model, ets };
}
