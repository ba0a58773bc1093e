/**
 * Predictive distributions of demand: per step, and of the TOTAL over the next H steps (lead time, or review period
 * plus lead time), with their quantiles.
 *
 * - Intermittent and lumpy demand: per step, variance = m d with d an index of dispersion (var / mean) of the
 *   series' own demand (auto.ts chooses it), so lumpy series get wide upper quantiles. Counts: negative binomial
 *   (d at least 1), Poisson when the data show no over-dispersion (Kolassa 2016, "Evaluating predictive count
 *   data distributions in retail sales forecasting", IJF 32(3), finds such count distributions the right
 *   predictive family for slow movers); other non-negative quantities (metres, kilograms) gamma.
 * - Smooth and erratic demand: the model's one-step residual variance sigma^2, growing with the step as in the
 *   linear innovations state space models (Hyndman, Koehler, Ord & Snyder 2008, "Forecasting with Exponential
 *   Smoothing", ch. 6, class 1; FPP 3rd ed., section 8.7):
 *     Var(y_{n+j}) = sigma^2 (1 + sum_{i<j} c_i^2),  Var(sum_{j<=H} y_{n+j}) = sigma^2 sum_{k=1..H} (1 + sum_{i<=H-k} c_i)^2,
 *   with c_i from the method's constants (tracks.ts). Family: NB for counts (variance at least the mean), gamma
 *   for other non-negative data, normal otherwise.
 * - The total of H steps of intermittent demand has mean H m and variance H m d + (H m)^2 v_level, where
 *   v_level = alpha d / ((2 - alpha) m) is the relative variance of an exponentially smoothed level (SES with
 *   constant alpha averages about (2 - alpha) / alpha periods): the steps share one uncertain level.
 * - Intermittent counts with a known probability of demand per period p (occurrence.ts, learned across a panel):
 *   a zero-modified law, the (a, b, 1) class of Klugman, Panjer & Willmot ("Loss Models", 4th ed., section 6.6):
 *   P(0) = 1 - p and, above zero, the NB (or Poisson) above conditioned on being positive, so the sizes keep the
 *   series' level and dispersion while the chance of any demand comes from how similar histories continued. The
 *   per-step mean and variance are that law's; the total keeps the form above with that variance per step and
 *   the level variance alpha / (2 - alpha) of it, so the mean of the total is still the sum of the step means.
 *
 * Discrete quantiles are the smallest k with P(Y <= k) >= q, so they are exceeded at most (1 - q) of the time.
 * Count quantiles are summed from the pmf recursion (fast for the small means of slow movers), gamma quantiles of
 * large shapes start from Wilson-Hilferty; everything else goes to the planning module's exact quantile functions.
 */
import { fitDistribution, type Distribution, type Family } from '../planning/distributions.js';
import { normalQuantile } from '../planning/normal.js';
import type { Growth } from './tracks.js';

export interface Predictive {
  readonly family: Family;
  /**
   * Zero-modified count steps (see above): P(demand > 0) per step and the NB (or Poisson) level and variance of
   * the law it modifies. Absent for the family's plain law.
   */
  readonly zeroModified?: ZeroModifiedStep;
  /** Per step j = 1..h (index j - 1). */
  readonly mean: Float64Array;
  readonly variance: Float64Array;
  /** Of the total over the next H = 1..h steps (index H - 1). */
  readonly totalMean: Float64Array;
  readonly totalVariance: Float64Array;
}

export interface QuantileForecast {
  readonly q: number;
  readonly values: Float64Array;
}

/** c_i = alpha + beta (phi + ... + phi^i) (+ gamma when m divides i), i = 1..h. */
function growthCoefficients(g: Growth, h: number): Float64Array {
  const c = new Float64Array(h + 1);
  let sum = 0;
  let power = 1;
  for (let i = 1; i <= h; i++) {
    power *= g.phi;
    sum += power;
    c[i] = g.alpha + g.beta * sum + (g.m !== undefined && g.m > 1 && i % g.m === 0 ? (g.gamma ?? 0) : 0);
  }
  return c;
}

/**
 * Smooth demand: per-step means from the method, one-step variance sigma2, spread growing as above; for counts,
 * var / mean at most `maxDispersion` (auto.ts passes the history's var / mean).
 */
export function smoothPredictive(means: Float64Array, sigma2: number, growth: Growth, family: Family, maxDispersion = Infinity): Predictive {
  const h = means.length;
  const c = growthCoefficients(growth, h);
  const variance = new Float64Array(h);
  const totalMean = new Float64Array(h);
  const totalVariance = new Float64Array(h);
  // Counts: the residual variance is the series' average spread, but a count's spread shrinks with its level. When
  // the level falls towards zero (a part dying out), sigma^2 alone would give an NB of mean 0.01 and variance 10,
  // whose upper tail runs to thousands of units; var / mean is held to the history's own index of dispersion.
  const count = family === 'negative-binomial' || family === 'poisson';
  const cap = (v: number, m: number) => (count ? Math.min(v, Math.max(m, m * maxDispersion)) : v);
  let squares = 0;
  let running = 0;
  for (let j = 1; j <= h; j++) {
    const m = family === 'normal' ? means[j - 1]! : Math.max(0, means[j - 1]!);
    variance[j - 1] = cap(sigma2 * (1 + squares), m);
    squares += c[j]! * c[j]!;
    running += m;
    totalMean[j - 1] = running;
    let v = 0;
    let cumulative = 0;
    for (let k = j; k >= 1; k--) {
      v += (1 + cumulative) * (1 + cumulative);
      cumulative += c[j - k + 1]!;
    }
    totalVariance[j - 1] = cap(sigma2 * v, running);
  }
  return { family, mean: family === 'normal' ? means : means.map((m) => Math.max(0, m)), variance, totalMean, totalVariance };
}

export interface ZeroModifiedStep {
  /** P(demand > 0) in each step, in (0, 1). */
  readonly occurrence: number;
  /** Mean and variance of the count law that is conditioned on being positive. */
  readonly baseMean: number;
  readonly baseVariance: number;
  /**
   * Calibrated continuation ratios of the size above zero, h_k = P(size >= k + 1 | size >= k) for k = 1..K
   * (sizes.ts); above K the law keeps the base law's ratios. Absent: the base law conditioned on being positive.
   */
  readonly continuation?: readonly number[];
}

/**
 * Intermittent demand: flat mean m, index of dispersion d = var / mean of the history, level smoothed with constant
 * alpha. Counts are NB (d at least 1: Poisson), other non-negative data gamma, and data with negatives normal.
 * With `occurrence` (P(demand > 0) per step, e.g. from occurrence.ts) and counts, each step is zero-modified: P(0)
 * = 1 - occurrence, the NB(m, m d) above zero. Ignored for other families and for m = 0. With `continuation` too
 * (sizes.ts), the size above zero has those ratios P(size >= k + 1 | size >= k) for k = 1..K, then the NB's.
 */
export function intermittentPredictive(
  m: number,
  dispersion: number,
  alpha: number,
  h: number,
  family: Family,
  occurrence?: number,
  continuation?: readonly number[],
): Predictive {
  const mean = family === 'normal' ? m : Math.max(0, m);
  const count = family === 'negative-binomial' || family === 'poisson';
  const d = count ? Math.max(1, dispersion) : Math.max(0, dispersion);
  const buffer = new Float64Array(4 * h);
  const p = { family, mean: buffer.subarray(0, h), variance: buffer.subarray(h, 2 * h), totalMean: buffer.subarray(2 * h, 3 * h), totalVariance: buffer.subarray(3 * h) };
  const modified = count && mean > 0 && occurrence !== undefined && occurrence === occurrence ? zeroModifiedStep(occurrence, mean, family === 'poisson' ? mean : mean * d, continuation) : undefined;
  const stepMean = modified === undefined ? mean : modified.mean;
  const stepVariance = modified === undefined ? Math.abs(mean) * d : modified.variance;
  // Var of the smoothed level: alpha / (2 - alpha) of the step variance (= (mean)^2 alpha d / ((2 - alpha) m) above).
  const levelVariance = (alpha / (2 - alpha)) * stepVariance;
  p.mean.fill(stepMean);
  p.variance.fill(stepVariance);
  for (let H = 1; H <= h; H++) {
    p.totalMean[H - 1] = H * stepMean;
    p.totalVariance[H - 1] = H * stepVariance + H * H * levelVariance;
  }
  return modified === undefined ? p : { ...p, zeroModified: modified.step };
}

/** The zero-modified step law's parameters and moments (occurrence clamped into [1e-9, 1 - 1e-9]). */
function zeroModifiedStep(
  occurrence: number,
  baseMean: number,
  baseVariance: number,
  continuation?: readonly number[],
): { step: ZeroModifiedStep; mean: number; variance: number } {
  const q = Math.min(1 - 1e-9, Math.max(1e-9, occurrence));
  if (continuation !== undefined && continuation.length > 0) {
    const step = { occurrence: q, baseMean, baseVariance, continuation };
    const law = new ZeroModifiedCount(step);
    return { step, mean: law.mean, variance: law.variance };
  }
  const positive = 1 - countZero(baseMean, baseVariance);
  // E[Y] = q E_base[Y] / P_base(Y > 0), E[Y^2] likewise.
  const c = q / positive;
  const mean = c * baseMean;
  const variance = Math.max(0, c * (baseVariance + baseMean * baseMean) - mean * mean);
  return { step: { occurrence: q, baseMean, baseVariance }, mean, variance };
}

/** P(0) of the NB with this mean and variance (Poisson when variance <= mean). */
function countZero(mean: number, variance: number): number {
  if (variance <= mean * (1 + 1e-9)) return Math.exp(-mean);
  return Math.exp(((mean * mean) / (variance - mean)) * Math.log(mean / variance));
}

/**
 * The zero-modified count law: P(0) = 1 - p, P(k) = c P_base(k) for k >= 1 with c = p / P_base(Y > 0). Its cdf is
 * 1 - p + c (F_base(k) - P_base(0)), its shortfall E[(Y - x)+] = c E_base[(Y - x)+] for x >= 0, and its q-quantile
 * 0 for q <= 1 - p, else the base law's quantile at P_base(0) + (q - 1 + p) / c (never below 1).
 * With continuation ratios h_1..h_K (ZeroModifiedStep), the size S above zero has P(S >= 1) = 1,
 * P(S >= k + 1) = h_1 ... h_k for k <= K, and above K + 1 the base law's tail: P(S >= k) = P(S >= K + 1)
 * P_base(Y >= k) / P_base(Y >= K + 1); then P(Y > x) = p P(S >= floor(x) + 1).
 */
export class ZeroModifiedCount implements Distribution {
  readonly kind: Family;
  readonly discrete = true;
  readonly mean: number;
  readonly variance: number;
  private readonly base: Distribution;
  private readonly zero: number;
  private readonly c: number;
  /** With continuation ratios: P(S >= k) for k = 0..K + 1 and the base law's P(Y >= K + 1). */
  private readonly sizeSurvival: Float64Array | null = null;
  private readonly baseTail: number = 1;
  constructor(readonly step: ZeroModifiedStep) {
    const poisson = step.baseVariance <= step.baseMean * (1 + 1e-9);
    this.kind = poisson ? 'poisson' : 'negative-binomial';
    this.base = fitDistribution(this.kind, step.baseMean, step.baseVariance);
    this.zero = countZero(step.baseMean, step.baseVariance);
    this.c = step.occurrence / (1 - this.zero);
    const h = step.continuation;
    if (h === undefined || h.length === 0) {
      const moments = zeroModifiedStep(step.occurrence, step.baseMean, step.baseVariance);
      this.mean = moments.mean;
      this.variance = moments.variance;
      return;
    }
    const K = h.length;
    const s = new Float64Array(K + 2);
    s[0] = 1;
    s[1] = 1;
    for (let k = 1; k <= K; k++) s[k + 1] = s[k]! * Math.min(1, Math.max(0, h[k - 1]!));
    this.sizeSurvival = s;
    this.baseTail = this.base.survival(K);
    // E[S] = sum_{k >= 1} P(S >= k); E[S^2] = sum_{k >= 1} (2k - 1) P(S >= k). Above K + 1 the base law's tail:
    // sum_{k >= K+2} P_base(Y >= k) = E_base[(Y - K - 1)+], sum_{k >= K+2} (2k - 1) P_base(Y >= k) = E_base[(Y^2 - (K+1)^2)+].
    let first = 0;
    let second = 0;
    for (let k = 1; k <= K + 1; k++) {
      first += s[k]!;
      second += (2 * k - 1) * s[k]!;
    }
    if (this.baseTail > 0 && s[K + 1]! > 0) {
      const scale = s[K + 1]! / this.baseTail;
      const j = K + 1;
      let below = 0; // E_base[Y^2 1{Y <= K + 1}]
      for (let x = 1; x <= j; x++) below += x * x * this.base.density(x);
      const squares = Math.max(0, step.baseVariance + step.baseMean * step.baseMean - below - j * j * this.base.survival(j));
      first += scale * this.base.loss(j);
      second += scale * squares;
    }
    this.mean = step.occurrence * first;
    this.variance = Math.max(0, step.occurrence * second - this.mean * this.mean);
  }
  /** P(S >= k) for an integer k >= 1 (calibrated sizes only). */
  private sizeAtLeast(k: number): number {
    const s = this.sizeSurvival!;
    const K = s.length - 2;
    if (k <= K + 1) return s[k]!;
    return this.baseTail > 0 ? (s[K + 1]! * this.base.survival(k - 1)) / this.baseTail : 0;
  }
  density(x: number): number {
    if (x === 0) return 1 - this.step.occurrence;
    if (!(x > 0 && Number.isInteger(x))) return 0;
    if (this.sizeSurvival === null) return this.c * this.base.density(x);
    return this.step.occurrence * Math.max(0, this.sizeAtLeast(x) - this.sizeAtLeast(x + 1));
  }
  cdf(x: number): number {
    if (x < 0) return 0;
    if (this.sizeSurvival !== null) return 1 - this.survival(x);
    return Math.min(1, 1 - this.step.occurrence + this.c * Math.max(0, this.base.cdf(x) - this.zero));
  }
  survival(x: number): number {
    if (x < 0) return 1;
    if (this.sizeSurvival !== null) return this.step.occurrence * this.sizeAtLeast(Math.floor(x) + 1);
    return x < 1 ? this.step.occurrence : Math.min(1, this.c * this.base.survival(x));
  }
  quantile(q: number): number {
    if (this.sizeSurvival === null) return zeroModifiedLevel(this.step.occurrence, this.zero, q, (level) => this.base.quantile(level));
    const p = this.step.occurrence;
    if (q <= 1 - p) return 0;
    if (!(q < 1)) return Infinity;
    // The smallest k >= 1 with P(S >= k + 1) <= (1 - q) / p.
    const target = (1 - q) / p;
    const s = this.sizeSurvival;
    const K = s.length - 2;
    for (let k = 1; k <= K; k++) if (s[k + 1]! <= target * (1 + 1e-12)) return k;
    if (!(this.baseTail > 0 && s[K + 1]! > 0)) return K;
    // Above K: P_base(Y >= k + 1) <= target P_base(Y >= K + 1) / P(S >= K + 1), i.e. F_base(k) >= that level.
    const level = Math.min(1 - 1e-15, 1 - (target * this.baseTail) / s[K + 1]!);
    return Math.max(K + 1, this.base.quantile(level));
  }
  loss(x: number): number {
    if (x < 0) return this.mean - x;
    if (this.sizeSurvival === null) return this.c * this.base.loss(x);
    // E[(S - x)+] = (n + 1 - x) P(S >= n + 1) + sum_{k >= n + 2} P(S >= k), n = floor(x).
    const n = Math.floor(x);
    const s = this.sizeSurvival;
    const K = s.length - 2;
    let tail = 0;
    for (let k = n + 2; k <= K + 1; k++) tail += s[k]!;
    const from = Math.max(n + 2, K + 2);
    if (this.baseTail > 0 && s[K + 1]! > 0) tail += (s[K + 1]! / this.baseTail) * this.base.loss(from - 1);
    return this.step.occurrence * ((n + 1 - x) * this.sizeAtLeast(n + 1) + tail);
  }
}

/** The q-quantile of the zero-modified law from the base law's quantile function (see ZeroModifiedCount). */
function zeroModifiedLevel(occurrence: number, zero: number, q: number, baseQuantile: (level: number) => number): number {
  if (q <= 1 - occurrence) return 0;
  if (!(q < 1)) return Infinity;
  const level = Math.min(1 - 1e-15, zero + ((q - 1 + occurrence) * (1 - zero)) / occurrence);
  return Math.max(1, baseQuantile(level));
}

/** The law of step j (1-based). */
export function stepDistribution(p: Predictive, j: number): Distribution {
  if (p.zeroModified !== undefined) return new ZeroModifiedCount(p.zeroModified);
  return fitDistribution(p.family, p.mean[j - 1]!, p.variance[j - 1]!);
}

/** The law of the total over the next H steps (1 <= H <= h). */
export function totalDistribution(p: Predictive, H: number): Distribution {
  if (!Number.isInteger(H) || H < 1 || H > p.totalMean.length) {
    throw new RangeError(`total over ${H} steps: H must be an integer in 1..${p.totalMean.length}`);
  }
  return fitDistribution(p.family, p.totalMean[H - 1]!, p.totalVariance[H - 1]!);
}

/** Quantiles at each level of the family's law with this mean and variance (levels in (0, 1)). */
export function quantilesOf(family: Family, mean: number, variance: number, levels: readonly number[]): Float64Array {
  return quantilesInOrder(family, mean, variance, levels, ascending(levels));
}

/** The indices of `levels` in increasing order of level. */
function ascending(levels: readonly number[]): number[] {
  const order = levels.map((_, i) => i);
  for (let i = 1; i < order.length; i++) if (levels[order[i]!]! < levels[order[i - 1]!]!) return order.sort((a, b) => levels[a]! - levels[b]!);
  return order; // usually given in increasing order already
}

function quantilesInOrder(family: Family, mean: number, variance: number, levels: readonly number[], order: readonly number[]): Float64Array {
  const count = family === 'poisson' || family === 'negative-binomial';
  if (count && mean >= 0 && mean < 500) return countQuantiles(family === 'poisson' ? mean : Math.max(mean, variance), mean, levels, order);
  if (family === 'gamma' && mean > 0 && variance > 0 && (mean * mean) / variance >= WILSON_HILFERTY_SHAPE) {
    return gammaQuantiles(mean, variance, levels);
  }
  const d = fitDistribution(family, mean, variance);
  return Float64Array.from(levels, (q) => d.quantile(q));
}

/**
 * Gamma quantiles of shapes a >= 10 (smooth demand's predictive laws have shapes in the tens to thousands) by the
 * Wilson & Hilferty (1931) approximation: (X / mean)^(1/3) is normal with mean 1 - 1/(9a) and variance 1/(9a),
 * followed by Newton steps on the exact cdf where the approximation alone is not good enough: none for a >= 100,
 * nor for a >= 25 at levels 0.5..0.99; else one for a >= 25 and two below. Measured against the exact inverse at
 * levels 0.001..0.999, the largest relative error is 2.5e-4 (W-H alone at a = 100), at a fraction of the cost.
 */
const WILSON_HILFERTY_SHAPE = 10;

function newtonSteps(shape: number, q: number): number {
  if (shape >= 100 || (shape >= 25 && q >= 0.5 && q <= 0.99)) return 0;
  return shape >= 25 ? 1 : 2;
}

function gammaQuantiles(mean: number, variance: number, levels: readonly number[]): Float64Array {
  const c = variance / (9 * mean * mean);
  const shape = (mean * mean) / variance;
  let law: Distribution | null = null;
  const out = new Float64Array(levels.length);
  for (let k = 0; k < levels.length; k++) {
    const q = levels[k]!;
    let x = mean * (1 - c + normalQuantile(q) * Math.sqrt(c)) ** 3;
    const steps = newtonSteps(shape, q);
    if (steps > 0) {
      law ??= fitDistribution('gamma', mean, variance);
      for (let step = 0; step < steps; step++) x -= (law.cdf(x) - q) / law.density(x);
      if (!(x > 0 && Number.isFinite(x))) x = law.quantile(q);
    }
    out[k] = x;
  }
  return out;
}

/**
 * Count quantiles by summing the pmf: Poisson when variance <= mean, else NB with p = mean / variance and
 * r = mean^2 / (variance - mean): P(0) = p^r, P(k + 1) = P(k) (r + k) (1 - p) / (k + 1).
 */
function countQuantiles(variance: number, mean: number, levels: readonly number[], order: readonly number[]): Float64Array {
  const out = new Float64Array(levels.length);
  if (mean === 0) return out;
  const poisson = variance <= mean * (1 + 1e-9);
  const p = mean / variance;
  const r = poisson ? 0 : (mean * mean) / (variance - mean);
  let mass = poisson ? Math.exp(-mean) : Math.exp(r * Math.log(p));
  if (!(mass > 1e-300)) return Float64Array.from(levels, (q) => fitDistribution(poisson ? 'poisson' : 'negative-binomial', mean, variance).quantile(q));
  let cdf = mass;
  let k = 0;
  for (const i of order) {
    const q = levels[i]!;
    if (!(q < 1)) {
      out[i] = Infinity;
      continue;
    }
    while (cdf < q && k < 1e6) {
      mass *= poisson ? mean / (k + 1) : ((r + k) * (1 - p)) / (k + 1);
      cdf += mass;
      k++;
    }
    out[i] = k;
  }
  return out;
}

/** Per-step quantiles at each level. */
export function stepQuantiles(p: Predictive, levels: readonly number[]): QuantileForecast[] {
  if (p.zeroModified !== undefined) return zeroModifiedTable(p.zeroModified, p.mean.length, levels);
  return quantileTable(p.family, p.mean, p.variance, levels);
}

/** Quantiles of identical zero-modified steps: the base law's count quantiles at the mapped levels. */
function zeroModifiedTable(step: ZeroModifiedStep, h: number, levels: readonly number[]): QuantileForecast[] {
  if (step.continuation !== undefined && step.continuation.length > 0) {
    const law = new ZeroModifiedCount(step);
    const rows = new Float64Array(levels.length * h);
    return levels.map((q, k) => ({ q, values: rows.subarray(k * h, (k + 1) * h).fill(law.quantile(q)) }));
  }
  const zero = countZero(step.baseMean, step.baseVariance);
  const mapped = levels.map((q) => (q <= 1 - step.occurrence || !(q < 1) ? q : Math.min(1 - 1e-15, zero + ((q - 1 + step.occurrence) * (1 - zero)) / step.occurrence)));
  const base = quantilesOf(step.baseVariance <= step.baseMean * (1 + 1e-9) ? 'poisson' : 'negative-binomial', step.baseMean, step.baseVariance, mapped);
  const buffer = new Float64Array(levels.length * h);
  return levels.map((q, k) => {
    const value = zeroModifiedLevel(step.occurrence, zero, q, () => base[k]!);
    return { q, values: buffer.subarray(k * h, (k + 1) * h).fill(value) };
  });
}

/** Quantiles of the totals over H = 1..h steps at each level. */
export function totalQuantiles(p: Predictive, levels: readonly number[]): QuantileForecast[] {
  return quantileTable(p.family, p.totalMean, p.totalVariance, levels);
}

function quantileTable(family: Family, means: Float64Array, variances: Float64Array, levels: readonly number[]): QuantileForecast[] {
  // One buffer for every row: a Float64Array of more than 8 elements is a separate allocation each.
  const h = means.length;
  const buffer = new Float64Array(levels.length * h);
  const table = levels.map((q, k) => ({ q, values: buffer.subarray(k * h, (k + 1) * h) }));
  const order = ascending(levels);
  let last: Float64Array | null = null;
  for (let j = 0; j < means.length; j++) {
    const same = j > 0 && means[j] === means[j - 1] && variances[j] === variances[j - 1];
    const values: Float64Array = same && last !== null ? last : quantilesInOrder(family, means[j]!, variances[j]!, levels, order);
    for (let k = 0; k < table.length; k++) table[k]!.values[j] = values[k]!;
    last = values;
  }
  return table;
}
