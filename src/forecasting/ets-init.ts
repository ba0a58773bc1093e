/**
 * Initial states of the exponential-smoothing models by the heuristic of R's forecast::ets() (function `initstate`,
 * forecast 8.20; Hyndman et al. 2008, "Forecasting with Exponential Smoothing", section 2.6.1):
 * - seasonal: a classical decomposition (FPP 3rd ed., section 3.4: centred 2 x m moving average for even m, m-MA for
 *   odd m; seasonal indices = per-season means of the detrended series, centred to sum 0 or to average 1) when
 *   n >= 3m; for shorter series a regression on a linear trend and one Fourier pair, whose detrended values serve
 *   as the seasonal indices. Multiplicative indices are floored at 0.01. The m-th index is chosen so the indices sum
 *   to 0 (additive) or m (multiplicative), as ets() does.
 * - level and trend: least squares line through the first min(max(10, 2m), n) seasonally adjusted values
 *   (l0 = intercept at t = 0, b0 = slope); without a trend, l0 = their mean.
 * R's ets() then optimises these states together with the smoothing parameters; Holt-Winters here keeps them
 * (see holt-winters.ts). Missing values are skipped by every mean and regression.
 */
import { solveLinear } from './linear.js';
import type { SeasonType } from './ets-filter.js';
import type { EtsState } from './types.js';

/** R ets()'s starting states for a level, an optional additive trend and an optional season of length m. */
export function initialStates(y: Float64Array, m: number, trend: boolean, season: SeasonType): EtsState {
  const n = y.length;
  let adjusted: Float64Array = y;
  let ring: Float64Array = new Float64Array(1);
  if (season !== 'none') {
    if (n < 4) throw new RangeError('a seasonal model needs at least 4 observations');
    const multiplicative = season === 'multiplicative';
    const seasonal = n < 3 * m ? fourierSeasonal(y, m, multiplicative) : decomposeSeasonal(y, m, multiplicative);
    // Division by a zero trend (zero data) leaves no seasonal information in those periods: treat them as neutral.
    for (let t = 0; t < n; t++) if (!Number.isFinite(seasonal[t]!)) seasonal[t] = multiplicative ? 1 : 0;
    ring = startingIndices(seasonal, m, multiplicative);
    adjusted = new Float64Array(n);
    for (let t = 0; t < n; t++) {
      adjusted[t] = multiplicative ? y[t]! / Math.max(seasonal[t]!, 0.01) : y[t]! - seasonal[t]!;
    }
  }
  const maxn = Math.min(Math.max(10, 2 * m), n);
  if (!trend) return { level: meanOf(adjusted, maxn), trend: 0, season: ring };
  let [l0, b0] = lineFit(adjusted, maxn);
  if (Math.abs(l0 + b0) < 1e-8) {
    // ets() nudges the line off zero so a multiplicative error never divides by l0 + b0 = 0.
    l0 *= 1 + 1e-3;
    b0 *= 1 - 1e-3;
  }
  return { level: l0, trend: b0, season: ring };
}

/** The ring of seasonal states by phase: phases 1..m-1 from the first season, phase 0 completing the sum. */
function startingIndices(seasonal: Float64Array, m: number, multiplicative: boolean): Float64Array {
  const ring = new Float64Array(m);
  let sum = 0;
  for (let j = 1; j < m; j++) {
    ring[j] = multiplicative ? Math.max(seasonal[j]!, 0.01) : seasonal[j]!;
    sum += ring[j]!;
  }
  if (multiplicative && sum > m) {
    // Kept exactly as ets() rescales (by the sum of the indices plus 0.01 each).
    const scale = sum + 0.01 * (m - 1);
    sum = 0;
    for (let j = 1; j < m; j++) {
      ring[j] = ring[j]! / scale;
      sum += ring[j]!;
    }
  }
  // ets() does not floor this one; a zero index would make the multiplicative model divide by zero.
  ring[0] = multiplicative ? Math.max(m - sum, 0.01) : -sum;
  return ring;
}

/** Classical decomposition's seasonal component (R's stats::decompose), one value per period. */
function decomposeSeasonal(y: Float64Array, m: number, multiplicative: boolean): Float64Array {
  const n = y.length;
  const trend = centredMovingAverage(y, m);
  const sums = new Float64Array(m);
  const counts = new Float64Array(m);
  for (let t = 0; t < n; t++) {
    const d = multiplicative ? y[t]! / trend[t]! : y[t]! - trend[t]!;
    if (d === d) {
      sums[t % m] = sums[t % m]! + d;
      counts[t % m] = counts[t % m]! + 1;
    }
  }
  const figure = new Float64Array(m);
  let total = 0;
  for (let j = 0; j < m; j++) {
    const f = sums[j]! / counts[j]!;
    // No usable value for a season (all missing, or 0 / 0 on all-zero data): no seasonal effect there.
    figure[j] = Number.isFinite(f) ? f : multiplicative ? 1 : 0;
    total += figure[j]!;
  }
  const centre = total / m;
  const out = new Float64Array(n);
  for (let t = 0; t < n; t++) out[t] = multiplicative ? figure[t % m]! / centre : figure[t % m]! - centre;
  return out;
}

/** Centred moving average of order m (2 x m for even m); NaN where the window is incomplete or holds a NaN. */
function centredMovingAverage(y: Float64Array, m: number): Float64Array {
  const n = y.length;
  const half = Math.floor(m / 2);
  const even = m % 2 === 0;
  const out = new Float64Array(n).fill(NaN);
  for (let t = half; t < n - half; t++) {
    let sum = 0;
    for (let i = -half; i <= half; i++) {
      const w = even && (i === -half || i === half) ? 0.5 : 1;
      sum += w * y[t + i]!;
    }
    out[t] = sum / m;
  }
  return out;
}

/** ets()'s short-series fallback: y less (or over) a linear trend fitted jointly with one Fourier pair. */
function fourierSeasonal(y: Float64Array, m: number, multiplicative: boolean): Float64Array {
  const n = y.length;
  const withSine = m !== 2; // sin(pi t) is identically zero, so R's fourier() drops that column
  const p = withSine ? 4 : 3;
  const row = new Float64Array(p);
  const xtx = new Float64Array(p * p);
  const xty = new Float64Array(p);
  for (let t = 0; t < n; t++) {
    const v = y[t]!;
    if (v !== v) continue;
    const time = t + 1;
    const angle = (2 * Math.PI * time) / m;
    row[0] = 1;
    row[1] = time;
    if (withSine) row[2] = Math.sin(angle);
    row[p - 1] = Math.cos(angle);
    for (let i = 0; i < p; i++) {
      xty[i] = xty[i]! + row[i]! * v;
      for (let j = 0; j < p; j++) xtx[i * p + j] = xtx[i * p + j]! + row[i]! * row[j]!;
    }
  }
  const coef = solveLinear(xtx, xty, p);
  const out = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const line = coef[0]! + coef[1]! * (t + 1);
    out[t] = multiplicative ? y[t]! / line : y[t]! - line;
  }
  return out;
}

/** Least squares line through (1, y_0) ... (k, y_{k-1}), as R's lsfit(1:k, y[1:k]): [intercept, slope]. */
function lineFit(y: Float64Array, k: number): [number, number] {
  let n = 0;
  let st = 0;
  let sy = 0;
  for (let t = 0; t < k; t++) {
    if (y[t]! === y[t]!) {
      n++;
      st += t + 1;
      sy += y[t]!;
    }
  }
  const mt = st / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  for (let t = 0; t < k; t++) {
    if (y[t]! === y[t]!) {
      sxy += (t + 1 - mt) * (y[t]! - my);
      sxx += (t + 1 - mt) * (t + 1 - mt);
    }
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  return [my - slope * mt, slope];
}

function meanOf(y: Float64Array, k: number): number {
  let sum = 0;
  let n = 0;
  for (let t = 0; t < k; t++) {
    if (y[t]! === y[t]!) {
      sum += y[t]!;
      n++;
    }
  }
  return sum / n;
}
