/**
 * Holt-Winters additive and multiplicative methods with optional damping, Hyndman & Athanasopoulos, FPP 3rd ed.,
 * section 8.3 (and 8.4 table 8.4 for damping), as the ETS models of section 8.5: ETS(A,A,A) / ETS(A,Ad,A) and
 * ETS(M,A,M) / ETS(M,Ad,M), the models R forecast's hw() fits. beta is ets()'s state-space beta (<= alpha),
 * gamma <= 1 - alpha, phi in [0.8, 0.98], all >= 0.0001 (ets()'s "usual" bounds). The recursion is ets-filter.ts.
 *
 * Initial states: R ets()'s classical-decomposition heuristic (ets-init.ts), kept fixed. Unlike ets(), which then
 * optimises the 2 + (m - 1) initial states jointly with the smoothing parameters by Nelder-Mead, only alpha, beta,
 * gamma (and phi) are estimated here; this is what makes the fit fast. The likelihood and AICc still count the
 * initial states as parameters, as R does.
 *
 * Multiplicative seasonality needs positive data and is refused otherwise (RangeError), as R's hw() refuses it
 * ("data must be positive") and ets() leaves such models out: with a zero in the data a seasonal index can reach
 * zero or below and the recursion divides by it, giving forecasts of 1e10 on zero-heavy series. It uses
 * multiplicative errors (ETS(M,A,M), the likelihood of hw(seasonal = "multiplicative")).
 */
import { etsForecast, etsInfo, etsName, etsPass, minusTwoLogLik, type EtsParams, type EtsSpec } from './ets-filter.js';
import { initialStates } from './ets-init.js';
import { minimiseInCube } from './optimise.js';
import { checkHorizon, makeModel, type EtsState, type Model } from './types.js';

export type Seasonality = 'additive' | 'multiplicative';

export interface HoltWintersParams {
  readonly alpha: number;
  readonly beta: number;
  readonly gamma: number;
  /** Damping; 1 (the default) is undamped. */
  readonly phi?: number;
  /** Starting states; default: ets()'s heuristic. */
  readonly initial?: EtsState;
}

const LOWER = 0.0001;
const UPPER = 0.9999;

/** Holt-Winters with fixed parameters. */
export function holtWinters(y: Float64Array, m: number, seasonality: Seasonality, params: HoltWintersParams): Model {
  const phi = params.phi ?? 1;
  const spec = specFor(y, m, seasonality, phi !== 1);
  const init = params.initial ?? initialStates(y, m, true, spec.season);
  return buildModel(y, spec, { alpha: params.alpha, beta: params.beta, gamma: params.gamma, phi }, init);
}

/** Holt-Winters with alpha, beta, gamma (and phi when damped) estimated by maximum likelihood (least squares for additive errors). */
export function holtWintersFit(
  y: Float64Array,
  m: number,
  seasonality: Seasonality,
  opts: { damped?: boolean; initial?: EtsState } = {},
): Model {
  const spec = specFor(y, m, seasonality, opts.damped ?? false);
  const init = opts.initial ?? initialStates(y, m, true, spec.season);
  return buildModel(y, spec, estimate(y, spec, init), init);
}

/** The smoothing parameters that minimise -2 log L from fixed initial states. */
export function estimate(y: Float64Array, spec: EtsSpec, init: EtsState): EtsParams {
  const ring = new Float64Array(spec.m);
  const objective = (u: Float64Array): number => minusTwoLogLik(etsPass(y, spec, fromCube(u, spec), init, ring, null), spec.error);
  // ets()'s own starting point (alpha = 0.2 / m of its range, beta 10%, gamma 5%, phi 99%) and one more. A change of
  // 0.001 in -2 log L is far below what moves an AICc comparison; tighter tolerances cost 2-5x the time for ~0.005.
  const a0 = 0.2 / spec.m;
  const starts = spec.damped ? [[a0, 0.1, 0.05, 0.99], [0.3, 0.2, 0.2, 0.5]] : [[a0, 0.1, 0.05], [0.3, 0.2, 0.2]];
  return fromCube(minimiseInCube(objective, starts, { maxEvals: 200, relTol: 0, absTol: 1e-3 }).u, spec);
}

/** Maps the unit cube onto the usual region: alpha in [l, u], beta in [l, alpha], gamma in [l, 1 - alpha], phi in [0.8, 0.98]. */
function fromCube(u: Float64Array, spec: EtsSpec): EtsParams {
  const alpha = LOWER + (UPPER - LOWER) * u[0]!;
  const beta = LOWER + (alpha - LOWER) * u[1]!;
  const gamma = LOWER + Math.max(1 - alpha - LOWER, 0) * u[2]!;
  const phi = spec.damped ? 0.8 + 0.18 * u[3]! : 1;
  return { alpha, beta, gamma, phi };
}

function specFor(y: Float64Array, m: number, seasonality: Seasonality, damped: boolean): EtsSpec {
  if (!Number.isInteger(m) || m < 2) throw new RangeError(`Holt-Winters needs a season length of at least 2, got ${m}`);
  if (countObserved(y) < 2 * m) throw new RangeError(`Holt-Winters needs at least two seasons (${2 * m} observations)`);
  if (seasonality === 'additive') return { m, trend: true, damped, season: seasonality, error: 'additive' };
  if (!allPositive(y)) throw new RangeError('multiplicative Holt-Winters needs positive data (every observed value > 0); use hw_add');
  return { m, trend: true, damped, season: seasonality, error: 'multiplicative' };
}

/** Runs the recursion once more with the chosen parameters and wraps the result as a model. */
export function buildModel(y: Float64Array, spec: EtsSpec, p: EtsParams, init: EtsState): Model {
  const ring = new Float64Array(spec.m);
  const fitted = new Float64Array(y.length);
  const pass = etsPass(y, spec, p, init, ring, fitted);
  const phi = spec.trend ? p.phi : 1;
  const forecast = (h: number): Float64Array => etsForecast(spec, phi, pass.level, pass.trend, ring, y.length, checkHorizon(h));
  const shown: Record<string, number> = { alpha: p.alpha };
  if (spec.trend) shown['beta'] = p.beta;
  if (spec.season !== 'none') shown['gamma'] = p.gamma;
  if (spec.damped) shown['phi'] = p.phi;
  return makeModel(etsName(spec), shown, y, fitted, forecast, etsInfo(pass, spec, init));
}

export function allPositive(y: Float64Array): boolean {
  let any = false;
  for (let t = 0; t < y.length; t++) {
    const v = y[t]!;
    if (v === v) {
      if (!(v > 0)) return false;
      any = true;
    }
  }
  return any;
}

export function countObserved(y: Float64Array): number {
  let n = 0;
  for (let t = 0; t < y.length; t++) if (y[t]! === y[t]!) n++;
  return n;
}
