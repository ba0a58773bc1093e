/**
 * The size of a slow mover's demand when it has one, learned across a panel: the other half of the zero-modified
 * count law of occurrence.ts and quantiles.ts.
 *
 * Why: with P(demand > 0) from the panel (occurrence.ts), the size of a demand was the series' NB (level m,
 * var / mean d) conditioned on being positive. For a part with a low level that law is almost always 1 unit,
 * yet such parts often sell in twos and threes; and for mid-sized parts its upper tail runs too long. On carparts'
 * training months (fits on months 1-21 .. 1-39, six months ahead each), when that law gave P(size >= 2) about
 * 0.05 the observed share was 0.27 - 0.28 at every origin, and P(size >= 3) of 0.25 came out near 0.19.
 *
 * So the size law is written as continuation ratios, h_k = P(size >= k + 1 | size >= k) (the continuation-ratio
 * model for ordinal counts: Agresti, "Categorical Data Analysis", 3rd ed., section 8.3.5), and for k = 1..SIZE_STEPS
 * each is a logistic regression, fitted on the panel's own past windows, on:
 *   - logit of the NB's own h_k (the series' level and dispersion, as before),
 *   - logit of the history's share (n_{k+1} + 0.5) / (n_k + 1), n_k = periods with demand >= k,
 *   - log(1 + n_k): how much history that share rests on.
 * Above SIZE_STEPS the NB's ratios are kept (its tail shape, scaled to the calibrated P(size > SIZE_STEPS)).
 * Chosen on carparts' training months only (calibrated auto, fits on months 1-27, 1-33 and 1-39, six months ahead):
 * scaled pinball loss at 0.9 from 0.807, 0.595 and 0.498 to 0.795, 0.587 and 0.495; at 0.99 from 0.322, 0.202
 * and 0.140 to 0.241, 0.168 and 0.128; at 0.95 from 0.608 and 0.438 to 0.569 and 0.426, and 0.348 to 0.350 on
 * months 40-45. Features tried and left out (no gain on those windows): the mean and CV^2 of the sizes, the last
 * size, a recency-weighted share, P(demand > 0), the demand class, one pooled regression over k.
 */
import { fitDistribution } from '../planning/distributions.js';
import { logisticRegression } from './occurrence.js';

/**
 * Per k = 1..K (K <= SIZE_STEPS), the coefficients of the logistic regression of h_k on the features above
 * (intercept first). K is short of SIZE_STEPS when the panel's windows never showed a size above K + 1.
 */
export interface SizeModel {
  readonly coefficients: readonly (readonly number[])[];
}

export const SIZE_STEPS = 3;
export const SIZE_FEATURES = 4;
const LOGIT_FLOOR = 1e-3;

function logit(p: number): number {
  const q = Math.min(1 - LOGIT_FLOOR, Math.max(LOGIT_FLOOR, p));
  return Math.log(q / (1 - q));
}

/** P(X >= k) of the NB (Poisson when variance <= mean) for k = 0..K + 1 (index k). */
export function countSurvival(mean: number, variance: number, K: number): Float64Array {
  const out = new Float64Array(K + 2);
  const poisson = variance <= mean * (1 + 1e-9);
  const law = fitDistribution(poisson ? 'poisson' : 'negative-binomial', mean, variance);
  out[0] = 1;
  for (let k = 1; k <= K + 1; k++) out[k] = law.survival(k - 1);
  return out;
}

/** Periods with demand >= k, k = 0..K + 1 (index k; index 0 counts every observed period). */
function sizeCounts(y: Float64Array, K: number): Float64Array {
  const n = new Float64Array(K + 2);
  for (let t = 0; t < y.length; t++) {
    const v = y[t]!;
    if (v !== v) continue;
    for (let k = 0; k <= K + 1 && v >= k; k++) n[k] = n[k]! + 1;
  }
  return n;
}

/** The features of h_k (k >= 1) into `out` (length SIZE_FEATURES). */
function features(survival: Float64Array, counts: Float64Array, k: number, out: Float64Array): Float64Array {
  const base = survival[k]! > 0 ? survival[k + 1]! / survival[k]! : 0;
  out[0] = 1;
  out[1] = logit(base);
  out[2] = logit((counts[k + 1]! + 0.5) / (counts[k]! + 1));
  out[3] = Math.log1p(counts[k]!);
  return out;
}

/**
 * The calibrated continuation ratios h_1..h_K (K = the model's) of a history whose NB (the law the size is
 * conditioned from) has this mean and variance.
 */
export function sizeContinuation(model: SizeModel, y: Float64Array, baseMean: number, baseVariance: number): Float64Array {
  const K = model.coefficients.length;
  const survival = countSurvival(baseMean, baseVariance, K);
  const counts = sizeCounts(y, K);
  const x = new Float64Array(SIZE_FEATURES);
  const h = new Float64Array(K);
  for (let k = 1; k <= K; k++) {
    features(survival, counts, k, x);
    const beta = model.coefficients[k - 1]!;
    let z = 0;
    for (let a = 0; a < SIZE_FEATURES; a++) z += beta[a]! * x[a]!;
    h[k - 1] = 1 / (1 + Math.exp(-z));
  }
  return h;
}

export interface SizeFitOptions {
  /** Periods ahead each window scores (the forecast horizon). */
  readonly horizon: number;
  /**
   * Windows per series, ending at the end of the series and every `horizon` periods before it (default: every one
   * with `minHistory` periods before it; sizes are only seen when there is demand, so fewer windows than
   * occurrence.ts's four leave the higher ratios thin).
   */
  readonly windows?: number;
  /** The shortest history a window is fitted from (default 12 periods). */
  readonly minHistory?: number;
  /**
   * The NB (mean, variance) a history's sizes are conditioned from, or null when the history is not an
   * intermittent count series (auto.ts's fitSizeModel passes the automatic method's own law).
   */
  readonly baseLaw: (history: Float64Array) => { mean: number; variance: number } | null;
}

/**
 * Fits the model on a panel: for each series and each of its last `windows` windows of `horizon` periods whose
 * history has a base law, every period of the window with demand >= k is a trial of h_k and one with demand
 * >= k + 1 a success. Only the data passed in is used, so pass each series up to the forecast origin. The ratios
 * stop below the first k whose trials have only one outcome (null at k = 1).
 */
export function fitSizeModel(panel: readonly Float64Array[], o: SizeFitOptions): SizeModel | null {
  const h = o.horizon;
  const windows = o.windows ?? Infinity;
  const minHistory = o.minHistory ?? 12;
  if (!Number.isInteger(h) || h < 1) throw new RangeError(`horizon must be a positive integer, got ${h}`);
  const rows: number[][] = Array.from({ length: SIZE_STEPS }, () => []);
  const hits: number[][] = Array.from({ length: SIZE_STEPS }, () => []);
  const trials: number[][] = Array.from({ length: SIZE_STEPS }, () => []);
  const x = new Float64Array(SIZE_FEATURES);
  for (const y of panel) {
    for (let w = 1; w <= windows; w++) {
      const origin = y.length - w * h;
      if (origin < minHistory) break;
      const history = y.subarray(0, origin);
      const law = o.baseLaw(history);
      if (law === null || !(law.mean > 0)) continue;
      const window = sizeCounts(y.subarray(origin, origin + h), SIZE_STEPS);
      if (window[1] === 0) continue;
      const survival = countSurvival(law.mean, law.variance, SIZE_STEPS);
      const counts = sizeCounts(history, SIZE_STEPS);
      for (let k = 1; k <= SIZE_STEPS; k++) {
        if (window[k] === 0) break;
        for (const value of features(survival, counts, k, x)) rows[k - 1]!.push(value);
        hits[k - 1]!.push(window[k + 1]!);
        trials[k - 1]!.push(window[k]!);
      }
    }
  }
  const coefficients: number[][] = [];
  for (let k = 0; k < SIZE_STEPS; k++) {
    const n = trials[k]!.reduce((a, b) => a + b, 0);
    const s = hits[k]!.reduce((a, b) => a + b, 0);
    if (s === 0 || s === n) break; // this ratio and those above it keep the NB's
    coefficients.push(logisticRegression(rows[k]!, hits[k]!, trials[k]!, SIZE_FEATURES));
  }
  if (coefficients.length === 0) return null;
  return { coefficients };
}
