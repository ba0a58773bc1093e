/**
 * Poisson and Negative Binomial demand on 0, 1, 2 ... (Silver, Pyke & Thomas 2017 use the Poisson for slow-moving
 * items, ch. 8; the NB is the gamma-mixed Poisson and the compound Poisson with logarithmic sizes, Axsaeter,
 * Inventory Control, 3rd ed. 2015, ch. 5 on demand models for reorder points).
 *
 * NB in the (r, p) form counting failures before the r-th success: mean r q / p, variance r q / p^2 with q = 1 - p,
 * so from moments p = mean / var, r = mean^2 / (var - mean).
 *
 * cdf and survival come from the incomplete gamma (Poisson: P(X <= k) = Q(k + 1, lambda)) and beta
 * (NB: P(X <= k) = I_p(r, k + 1)) functions, each tail directly. The loss function has the closed form
 *   E[(X - k)+] = (mean - k) P(X > k) + c(k) P(X = k),  c(k) = lambda (Poisson), (r + k) q / p (NB),
 * which follows from k P(X = k) = mean P(Y = k - 1) for the size-biased law; between integers the loss is linear
 * (slope -P(X > floor x)).
 */
import type { Distribution } from './distributions.js';
import { normalQuantile } from './normal.js';
import { firstInteger } from './solve.js';
import { binomialTerm, gammaP, gammaQ, incompleteBeta, poissonTerm } from './special.js';

/** The longest loss table lossTable builds; past it loss() per level is the cheaper way. */
const MAX_TABLE = 100_000;

export abstract class Discrete implements Distribution {
  readonly discrete = true;
  abstract readonly kind: 'poisson' | 'negative-binomial';
  abstract readonly mean: number;
  abstract readonly variance: number;
  /** P(X = k) for an integer k >= 0. */
  abstract massAt(k: number): number;
  /** P(X <= k) for an integer k >= 0. */
  abstract cdfAt(k: number): number;
  /** P(X > k) for an integer k >= 0. */
  abstract survivalAt(k: number): number;
  /** c(k) in the loss formula above. */
  abstract lossWeight(k: number): number;
  /** P(X = k + 1) / P(X = k): the recurrence lossTable walks. */
  protected abstract massRatio(k: number): number;
  /** Third central moment, for the Cornish-Fisher start of quantile searches. */
  abstract readonly thirdMoment: number;

  density(x: number): number {
    return x >= 0 && Number.isInteger(x) ? this.massAt(x) : 0;
  }
  cdf(x: number): number {
    return x < 0 ? 0 : this.cdfAt(Math.floor(x));
  }
  survival(x: number): number {
    return x < 0 ? 1 : this.survivalAt(Math.floor(x));
  }
  quantile(q: number): number {
    if (!(q > 0)) return 0;
    if (q >= 1) return Infinity;
    const tail = 1 - q;
    // On the upper half compare survival with 1 - q: both small and accurate, where cdf would round to 1.
    const ok = q <= 0.5 ? (k: number) => this.cdfAt(k) >= q : (k: number) => this.survivalAt(k) <= tail;
    return firstInteger(ok, this.cornishFisher(q), 0);
  }
  loss(x: number): number {
    if (x < 0) return this.mean - x;
    const k = Math.floor(x);
    const above = this.survivalAt(k);
    // Clamp: in the far tail the two terms cancel to rounding noise that can dip below zero.
    const atK = Math.max(0, (this.mean - k) * above + this.lossWeight(k) * this.massAt(k));
    return Math.max(0, atK - (x - k) * above);
  }
  /**
   * loss(k) for k = 0, 1, ...: `length` values, or (`tail`) up to one past the first k with P(X > k) <= tail, the
   * level that quantile(1 - tail) + 1 names. Walked by the recurrence of the mass function from P(X = 0) with
   * loss(k + 1) = loss(k) - P(X > k): one multiplication per unit where loss() costs an incomplete beta or gamma
   * function, for searches that visit many levels (the simulator's fill-rate levels at every review). The sums
   * lose nothing that matters: P(X > k) = 1 - P(X <= k) is off by about k x 1e-16, against fill rates read to 1e-4.
   * Null where P(X = 0) underflows (a mean of hundreds with little spread) or the table would pass MAX_TABLE values:
   * loss() is the way there.
   */
  lossTable(until: { length: number } | { tail: number }): number[] | null {
    const out: number[] = [];
    if ('length' in until && until.length <= 0) return out;
    let mass = this.massAt(0);
    if (!(mass > 1e-300)) return null;
    let loss = this.mean;
    let cdf = 0;
    for (let k = 0; out.length < MAX_TABLE; k++) {
      out.push(Math.max(0, loss));
      if ('length' in until && out.length >= until.length) return out;
      cdf += mass;
      const survival = Math.max(0, 1 - cdf);
      loss -= survival;
      if ('tail' in until && survival <= until.tail) {
        out.push(Math.max(0, loss));
        return out;
      }
      mass *= this.massRatio(k);
    }
    return null;
  }
  /** Start for the quantile search: normal quantile with skewness and continuity corrections. */
  private cornishFisher(q: number): number {
    const sd = Math.sqrt(this.variance);
    const z = normalQuantile(q);
    const skew = this.thirdMoment / (sd * sd * sd);
    return Math.ceil(this.mean + sd * (z + (skew * (z * z - 1)) / 6) - 0.5);
  }
}

export class Poisson extends Discrete {
  readonly kind = 'poisson';
  readonly variance: number;
  readonly thirdMoment: number;
  constructor(readonly mean: number) {
    super();
    this.variance = mean;
    this.thirdMoment = mean;
  }
  massAt(k: number): number {
    return poissonTerm(k, this.mean);
  }
  cdfAt(k: number): number {
    return gammaQ(k + 1, this.mean);
  }
  survivalAt(k: number): number {
    return gammaP(k + 1, this.mean);
  }
  lossWeight(): number {
    return this.mean;
  }
  protected massRatio(k: number): number {
    return this.mean / (k + 1);
  }
}

export class NegativeBinomial extends Discrete {
  readonly kind = 'negative-binomial';
  readonly mean: number;
  readonly variance: number;
  readonly thirdMoment: number;
  /** r successes, success probability p, and q = 1 - p kept separately (computed without subtracting from 1). */
  constructor(readonly r: number, readonly p: number, readonly q: number) {
    super();
    this.mean = (r * q) / p;
    this.variance = this.mean / p;
    this.thirdMoment = this.variance * ((2 * this.variance) / this.mean - 1);
  }
  /** The NB with this mean and variance (needs variance > mean > 0). */
  static fromMoments(mean: number, variance: number): NegativeBinomial {
    return new NegativeBinomial((mean * mean) / (variance - mean), mean / variance, (variance - mean) / variance);
  }
  massAt(k: number): number {
    // Gamma(k + r) / (Gamma(r) k!) p^r q^k = r / (r + k) * binomial(r; r + k, p): Loader's form, accurate for huge r.
    return (this.r / (this.r + k)) * binomialTerm(this.r, this.r + k, this.p, this.q);
  }
  cdfAt(k: number): number {
    return incompleteBeta(this.r, k + 1, this.p, this.q);
  }
  survivalAt(k: number): number {
    return incompleteBeta(this.r, k + 1, this.p, this.q, true);
  }
  lossWeight(k: number): number {
    return ((this.r + k) * this.q) / this.p;
  }
  protected massRatio(k: number): number {
    return ((this.r + k) * this.q) / (k + 1);
  }
}
