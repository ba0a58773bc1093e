/**
 * Demand distributions for inventory policies, each fitted from a mean and a variance (two-moment fits, as Silver,
 * Pyke & Thomas 2017 do in ch. 6 for lead-time demand): Normal, Gamma, Poisson and Negative Binomial. Each gives its
 * density (pdf or pmf), cdf, survival, quantile and first-order loss function E[(X - x)+], the expected units short
 * when x units are available to meet X (SPT's "expected shortage"; G_u(k) scaled by sigma for the normal).
 *
 * - Normal: loss = sigma G((x - mu) / sigma), G(k) = phi(k) - k (1 - Phi(k)).
 * - Gamma (shape a = mu^2 / var, scale t = var / mu): loss = (mu - x) Q(a, x/t) + mu x^a e^-x / Gamma(a + 1) at x/t,
 *   i.e. mu Q(a + 1, x/t) - x Q(a, x/t) written so both terms come from one incomplete gamma.
 * - Poisson and Negative Binomial: see ./discrete.ts. The NB falls back to Poisson when var <= mean.
 * A zero mean (or zero variance) gives a point mass, so callers never special-case items without demand.
 *
 * Quantiles are inverse cdfs: the real x with cdf(x) = q for continuous laws, the smallest integer k with
 * cdf(k) >= q for discrete ones.
 */
import { NegativeBinomial, Poisson } from './discrete.js';
import { normalCdf, normalLoss, normalPdf, normalQuantile, normalSurvival } from './normal.js';
import { solveMonotone } from './solve.js';
import { gammaP, gammaQ, logGamma, poissonTerm } from './special.js';

export type Family = 'normal' | 'gamma' | 'poisson' | 'negative-binomial';

export interface Moments {
  mean: number;
  variance: number;
}

export interface Distribution {
  /** What was fitted: a family, 'point' for a degenerate law, 'compound' for ./compound.ts. */
  readonly kind: Family | 'point' | 'compound';
  /** True when the support is the integers 0, 1, 2 ...: quantiles and reorder points are then whole units. */
  readonly discrete: boolean;
  readonly mean: number;
  readonly variance: number;
  /** Density (continuous) or probability mass (discrete) at x. */
  density(x: number): number;
  /** P(X <= x). */
  cdf(x: number): number;
  /** P(X > x), computed directly so small upper tails keep their precision. */
  survival(x: number): number;
  /** Inverse cdf; discrete: the smallest integer k with P(X <= k) >= q. */
  quantile(q: number): number;
  /** First-order loss E[(X - x)+]: expected units short with x units to meet X. */
  loss(x: number): number;
}

export class Normal implements Distribution {
  readonly kind = 'normal';
  readonly discrete = false;
  readonly variance: number;
  constructor(readonly mean: number, readonly sd: number) {
    this.variance = sd * sd;
  }
  density(x: number): number {
    return normalPdf((x - this.mean) / this.sd) / this.sd;
  }
  cdf(x: number): number {
    return normalCdf((x - this.mean) / this.sd);
  }
  survival(x: number): number {
    return normalSurvival((x - this.mean) / this.sd);
  }
  quantile(q: number): number {
    return this.mean + this.sd * normalQuantile(q);
  }
  loss(x: number): number {
    return this.sd * normalLoss((x - this.mean) / this.sd);
  }
}

export class Gamma implements Distribution {
  readonly kind = 'gamma';
  readonly discrete = false;
  readonly mean: number;
  readonly variance: number;
  constructor(readonly shape: number, readonly scale: number) {
    this.mean = shape * scale;
    this.variance = shape * scale * scale;
  }
  density(x: number): number {
    if (x < 0) return 0;
    if (x === 0) return this.shape < 1 ? Infinity : this.shape === 1 ? 1 / this.scale : 0;
    // x^(a-1) e^(-x/t) / (Gamma(a) t^a) = a * poissonTerm(a, x/t) / x, which stays accurate for large a.
    return (this.shape * poissonTerm(this.shape, x / this.scale)) / x;
  }
  cdf(x: number): number {
    return gammaP(this.shape, x / this.scale);
  }
  survival(x: number): number {
    return gammaQ(this.shape, x / this.scale);
  }
  quantile(q: number): number {
    if (!(q > 0)) return 0;
    if (q >= 1) return Infinity;
    const a = this.shape;
    // Wilson-Hilferty: (X / mean)^(1/3) is nearly normal. Deep in the lower tail where it goes negative,
    // P(a, y) ~ y^a / Gamma(a + 1) gives the start instead.
    const c = 1 / (9 * a);
    let y = a * (1 - c + normalQuantile(q) * Math.sqrt(c)) ** 3;
    if (!(y > 0)) y = Math.exp((Math.log(q) + logGamma(a + 1)) / a);
    // Solve for u = ln y: the cdf is near-exponential in u in the lower tail (y^a, for shapes far below 1 too)
    // and near-normal around the bulk, so Newton steps in u are good where steps in y overshoot. Solve on the
    // smaller tail so the equation is between two accurate small numbers.
    const tail = 1 - q;
    const f = q > 0.5 ? (u: number) => tail - gammaQ(a, Math.exp(u)) : (u: number) => gammaP(a, Math.exp(u)) - q;
    const slope = (u: number) => a * poissonTerm(a, Math.exp(u));
    // A quantile below e^-700 (only for shapes near 0) is reported as e^-700 times the scale, where the cdf
    // already reaches q: below it y^a and its slope leave the doubles.
    const floor = -700;
    if (f(floor) >= 0) return Math.exp(floor) * this.scale;
    const start = Math.max(floor, Math.log(y));
    let lo = start - 1;
    for (let step = 2; lo > floor && f(lo) > 0; step *= 2) lo = Math.max(floor, lo - step);
    let hi = start + 1;
    for (let step = 2; f(hi) < 0; step *= 2) hi += step;
    return Math.exp(solveMonotone(f, slope, lo, hi, start, 1e-15)) * this.scale;
  }
  loss(x: number): number {
    if (x <= 0) return this.mean - x;
    const y = x / this.scale;
    return (this.mean - x) * gammaQ(this.shape, y) + this.mean * poissonTerm(this.shape, y);
  }
}

/** A degenerate law: X = value with certainty (no demand, or demand known exactly). */
export class PointMass implements Distribution {
  readonly kind = 'point';
  readonly variance = 0;
  readonly mean: number;
  constructor(readonly value: number, readonly discrete: boolean) {
    this.mean = value;
  }
  density(x: number): number {
    return x === this.value ? 1 : 0;
  }
  cdf(x: number): number {
    return x >= this.value ? 1 : 0;
  }
  survival(x: number): number {
    return x >= this.value ? 0 : 1;
  }
  quantile(): number {
    return this.value;
  }
  loss(x: number): number {
    return x >= this.value ? 0 : this.value - x;
  }
}

/** The family's distribution with this mean and variance (Poisson ignores the variance; NB uses Poisson when var <= mean). */
export function fitDistribution(family: Family, mean: number, variance: number): Distribution {
  if (!Number.isFinite(mean) || !Number.isFinite(variance) || variance < 0) {
    throw new RangeError(`fitDistribution: mean ${mean} and variance ${variance} must be finite, variance >= 0`);
  }
  if (family !== 'normal' && mean < 0) throw new RangeError(`fitDistribution: ${family} needs mean >= 0, got ${mean}`);
  switch (family) {
    case 'normal':
      return variance === 0 ? new PointMass(mean, false) : new Normal(mean, Math.sqrt(variance));
    case 'gamma':
      return mean === 0 || variance === 0 ? new PointMass(mean, false) : new Gamma((mean * mean) / variance, variance / mean);
    case 'poisson':
      return mean === 0 ? new PointMass(0, true) : new Poisson(mean);
    case 'negative-binomial':
      if (mean === 0) return new PointMass(0, true);
      // Within 1e-12 of Poisson the NB parameter r passes 1e12 and r + k rounds to r: the laws agree anyway.
      return variance <= mean * (1 + 1e-12) ? new Poisson(mean) : NegativeBinomial.fromMoments(mean, variance);
  }
}
