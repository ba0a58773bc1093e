/**
 * The probability that a slow-moving item has demand in a coming period, learned across a panel of series.
 *
 * Why: for intermittent demand the upper quantiles of a period hinge on P(demand > 0) (the 0.9-quantile is 0
 * exactly when that probability is below 0.1), and a series' own smoothed level answers it badly at both ends: a
 * part with a long run of zeros is often not dead (about a tenth of carparts' "dead" parts sell again within six
 * months), and a part whose demand is fading is still given the level of its better days. Across many series the
 * history of each one says how such histories continued, so the probability is a logistic regression, fitted on
 * the panel's own past windows, of "demand in period t + j" on a few summaries of the history up to t:
 *   - the occurrence share smoothed as in TSB (Teunter, Syntetos & Babai 2011, "Intermittent demand: linking
 *     forecasting to inventory obsolescence", EJOR 214(3)) at four speeds, beta = 0.05, 0.1, 0.2, 0.4, on the
 *     logit scale: recent and long-run frequency, and how fast it changes;
 *   - log(1 + periods since the last demand): the obsolescence signal;
 *   - the share of periods with demand since the first demand, on the logit scale, and log(1 + periods since the
 *     first demand): leading zeros before a part's first sale say nothing about its rate (the M5 likewise starts
 *     its scales at the first sale), and young parts sell more often than their whole-window share says.
 * This is the occurrence half of a hurdle (zero-modified) count model (Mullahy 1986, "Specification and testing of
 * some modified count data models", J. Econometrics 33(3)); quantiles.ts combines it with the size law. Fitting on
 * windows that all end by the forecast origin keeps it honest: it only uses what a user's file already contains.
 * Chosen on carparts' training months only: fitted on the four six-month windows before each origin, its log loss
 * on months 34-39 and 40-45 was 0.507 and 0.502, against 0.527 and 0.514 for TSB(0.1)'s occurrence and 0.543
 * and 0.530 for P(Y > 0) of the uncalibrated NB; fewer features (TSB speeds only, or two speeds and the run)
 * did worse, a step-ahead feature and weighting by the SPL's 1 / scale did not help.
 */
import { solveLinear } from './linear.js';

/** Coefficients of the logistic regression on `occurrenceFeatures` (intercept first). */
export interface OccurrenceModel {
  readonly coefficients: readonly number[];
}

export const OCCURRENCE_FEATURES = 8;
const SPEEDS = [0.05, 0.1, 0.2, 0.4] as const;
const LOGIT_FLOOR = 1e-3;

function logit(p: number): number {
  const q = Math.min(1 - LOGIT_FLOOR, Math.max(LOGIT_FLOOR, p));
  return Math.log(q / (1 - q));
}

/**
 * The summaries above for a history y (oldest first, NaN = not observed), written into `out` (length 8):
 * [1, logit TSB 0.05, 0.1, 0.2, 0.4, log(1 + run of zeros), logit(share since first demand), log(1 + age)].
 * Null when the history has no demand (no first demand to count from).
 */
export function occurrenceFeatures(y: Float64Array, out: Float64Array = new Float64Array(OCCURRENCE_FEATURES)): Float64Array | null {
  // Smoothed occurrence starts from the share of the first (up to) 12 observed periods, as TSB's initialisation.
  let seen = 0;
  let start = 0;
  for (let t = 0; t < y.length && seen < 12; t++) {
    const v = y[t]!;
    if (v !== v) continue;
    seen++;
    if (v > 0) start++;
  }
  if (seen === 0) return null;
  start /= seen;
  let s0 = start;
  let s1 = start;
  let s2 = start;
  let s3 = start;
  let demands = 0;
  let age = 0;
  let run = 0;
  for (let t = 0; t < y.length; t++) {
    const v = y[t]!;
    if (v !== v) continue;
    const z = v > 0 ? 1 : 0;
    s0 += SPEEDS[0] * (z - s0);
    s1 += SPEEDS[1] * (z - s1);
    s2 += SPEEDS[2] * (z - s2);
    s3 += SPEEDS[3] * (z - s3);
    if (demands > 0 || z === 1) age++;
    demands += z;
    run = z === 1 ? 0 : run + 1;
  }
  if (demands === 0) return null;
  out[0] = 1;
  out[1] = logit(s0);
  out[2] = logit(s1);
  out[3] = logit(s2);
  out[4] = logit(s3);
  out[5] = Math.log1p(run);
  out[6] = logit(demands / age);
  out[7] = Math.log1p(age);
  return out;
}

/** P(demand > 0) in each coming period; NaN when the history has no demand. */
export function occurrenceProbability(model: OccurrenceModel, y: Float64Array): number {
  const x = occurrenceFeatures(y);
  if (x === null) return NaN;
  let z = 0;
  for (let k = 0; k < OCCURRENCE_FEATURES; k++) z += model.coefficients[k]! * x[k]!;
  return 1 / (1 + Math.exp(-z));
}

export interface OccurrenceFitOptions {
  /** Periods ahead each window scores (the forecast horizon). */
  readonly horizon: number;
  /** Windows per series, ending at the end of the series and every `horizon` periods before it (default 4). */
  readonly windows?: number;
  /** The shortest history a window is fitted from (default 12 periods). */
  readonly minHistory?: number;
}

/**
 * Fits the model on a panel: for each series and each of its last `windows` windows of `horizon` periods, the
 * history before the window gives the features and the window the outcomes (periods with demand out of periods
 * observed). Only the data passed in is used, so pass each series up to the forecast origin. Maximum likelihood
 * by iteratively reweighted least squares with a small ridge (1e-3, not on the intercept) for separable panels.
 * Null when the panel has no window with both outcomes.
 */
export function fitOccurrenceModel(panel: readonly Float64Array[], o: OccurrenceFitOptions): OccurrenceModel | null {
  const h = o.horizon;
  const windows = o.windows ?? 4;
  const minHistory = o.minHistory ?? 12;
  if (!Number.isInteger(h) || h < 1) throw new RangeError(`horizon must be a positive integer, got ${h}`);
  const rows: number[] = [];
  const hits: number[] = [];
  const trials: number[] = [];
  const x = new Float64Array(OCCURRENCE_FEATURES);
  for (const y of panel) {
    for (let w = 1; w <= windows; w++) {
      const origin = y.length - w * h;
      if (origin < minHistory) break;
      if (occurrenceFeatures(y.subarray(0, origin), x) === null) continue;
      let k = 0;
      let n = 0;
      for (let t = origin; t < origin + h; t++) {
        const v = y[t]!;
        if (v !== v) continue;
        n++;
        if (v > 0) k++;
      }
      if (n === 0) continue;
      for (const value of x) rows.push(value);
      hits.push(k);
      trials.push(n);
    }
  }
  let total = 0;
  let positives = 0;
  for (let i = 0; i < trials.length; i++) {
    total += trials[i]!;
    positives += hits[i]!;
  }
  if (positives === 0 || positives === total) return null;
  return { coefficients: logisticRegression(rows, hits, trials, OCCURRENCE_FEATURES) };
}

/** Binomial logistic regression (rows flattened, p features each) by Newton-Raphson (IRLS). */
export function logisticRegression(rows: readonly number[], hits: readonly number[], trials: readonly number[], p: number): number[] {
  const RIDGE = 1e-3;
  const beta = new Float64Array(p);
  const gradient = new Float64Array(p);
  const hessian = new Float64Array(p * p);
  for (let iteration = 0; iteration < 50; iteration++) {
    gradient.fill(0);
    hessian.fill(0);
    for (let i = 0; i < hits.length; i++) {
      const base = i * p;
      let z = 0;
      for (let a = 0; a < p; a++) z += beta[a]! * rows[base + a]!;
      const mu = 1 / (1 + Math.exp(-z));
      const residual = hits[i]! - trials[i]! * mu;
      const weight = trials[i]! * mu * (1 - mu);
      for (let a = 0; a < p; a++) {
        const xa = rows[base + a]!;
        gradient[a] = gradient[a]! + residual * xa;
        for (let b = 0; b <= a; b++) hessian[a * p + b] = hessian[a * p + b]! + weight * xa * rows[base + b]!;
      }
    }
    for (let a = 1; a < p; a++) {
      gradient[a] = gradient[a]! - RIDGE * beta[a]!;
      hessian[a * p + a] = hessian[a * p + a]! + RIDGE;
    }
    for (let a = 0; a < p; a++) for (let b = a + 1; b < p; b++) hessian[a * p + b] = hessian[b * p + a]!;
    const step = solveLinear(hessian, gradient, p);
    let largest = 0;
    for (let a = 0; a < p; a++) {
      beta[a] = beta[a]! + step[a]!;
      largest = Math.max(largest, Math.abs(step[a]!));
    }
    if (largest < 1e-9) break;
  }
  return [...beta];
}
