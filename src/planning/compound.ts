/**
 * Intermittent ("lumpy") demand over a lead time as a compound distribution: a random number N of demand occasions,
 * each for a random size Y >= 1 (Silver, Pyke & Thomas 2017, ch. 8 on slow-moving items; Axsaeter, Inventory
 * Control, 3rd ed. 2015, ch. 5 on compound Poisson demand).
 *
 * Choices, and why:
 * - Occasions: Poisson(rate * L) for a fixed lead time L. When L varies, N is a Poisson mixed over L; we take it
 *   Negative Binomial with mean rate E[L] and variance rate E[L] + rate^2 Var[L], which is exact when L is gamma
 *   distributed (the gamma-Poisson mixture) and a two-moment fit otherwise.
 * - Sizes: empirical (the observed order-line sizes) or geometric (stuttering Poisson). A logarithmic size law with
 *   Poisson occasions would give exactly the NB, which is why the NB is the usual approximation; we compute the
 *   compound itself instead, because observed size laws (many 1s, some cases of 12) are far from logarithmic.
 * - The law is tabulated once by Panjer's recursion (Panjer 1981, for counts of the (a, b, 0) class: Poisson and NB),
 *   exact up to rounding, cut where the upper tail is below 1e-14. Quantiles and losses are then table look-ups.
 *   When the table would be too long (more than MAX_OCCASIONS expected occasions, or a support bound past
 *   MAX_SUPPORT units), demand is no longer intermittent and `leadTimeCompound` returns the two-moment NB of the
 *   same mean and variance.
 */
import { fitDistribution, type Distribution } from './distributions.js';

const MAX_OCCASIONS = 600; // exp(-600) is still a normal double: Panjer's start P(N = 0) must not underflow.
const MAX_SUPPORT = 200_000;
const TAIL = 1e-14;

/** A size law on 1, 2, ...: mass[j] = P(Y = j), mass[0] = 0. */
export interface Sizes {
  readonly mass: Float64Array;
  readonly mean: number;
  readonly secondMoment: number;
}

function sizesFrom(mass: Float64Array): Sizes {
  let total = 0;
  for (let j = 1; j < mass.length; j++) total += mass[j]!;
  let mean = 0;
  let second = 0;
  for (let j = 1; j < mass.length; j++) {
    mass[j] = mass[j]! / total;
    mean += j * mass[j]!;
    second += j * j * mass[j]!;
  }
  return { mass, mean, secondMoment: second };
}

/** A size law from weights: weights[j] is proportional to P(Y = j); weights[0] is ignored. */
export function sizesFromWeights(weights: readonly number[]): Sizes {
  const mass = new Float64Array(weights.length);
  let total = 0;
  for (let j = 1; j < weights.length; j++) {
    mass[j] = Math.max(0, weights[j]!);
    total += mass[j]!;
  }
  if (!(total > 0)) throw new RangeError('sizesFromWeights: no weight on a size >= 1');
  return sizesFrom(mass);
}

/** The observed sizes of demand occasions (whole units; zeros ignored) as a size law. */
export function empiricalSizes(observed: readonly number[]): Sizes {
  let largest = 0;
  for (const s of observed) largest = Math.max(largest, Math.round(s));
  if (largest < 1) throw new RangeError('empiricalSizes: no positive size observed');
  const counts = new Array<number>(largest + 1).fill(0);
  for (const s of observed) if (Math.round(s) >= 1) counts[Math.round(s)]! += 1;
  return sizesFromWeights(counts);
}

/** Geometric sizes with this mean (>= 1): P(Y = j) = (1 - w) w^(j - 1), cut where the tail is below 1e-16. */
export function geometricSizes(meanSize: number): Sizes {
  if (!(meanSize >= 1)) throw new RangeError(`geometricSizes: mean ${meanSize} must be >= 1`);
  const w = 1 - 1 / meanSize;
  const length = w === 0 ? 2 : Math.max(2, Math.ceil(Math.log(1e-16) / Math.log(w)) + 2);
  const mass = new Float64Array(length);
  for (let j = 1; j < length; j++) mass[j] = (1 - w) * w ** (j - 1);
  return sizesFrom(mass);
}

/** Occasion counts of the (a, b, 0) class: P(N = k) = (a + b / k) P(N = k - 1). */
interface CountLaw {
  a: number;
  b: number;
  logP0: number;
  mean: number;
  variance: number;
}

function countLaw(mean: number, variance: number): CountLaw {
  if (variance <= mean * (1 + 1e-12)) return { a: 0, b: mean, logP0: -mean, mean, variance: mean };
  const p = mean / variance;
  const q = (variance - mean) / variance;
  const r = (mean * mean) / (variance - mean);
  return { a: q, b: (r - 1) * q, logP0: r * Math.log(p), mean, variance };
}

/** A compound law tabulated on 0 .. n-1: P(X = k), P(X > k) and E[(X - k)+] per k. */
export class Compound implements Distribution {
  readonly kind = 'compound';
  readonly discrete = true;
  constructor(
    readonly mean: number,
    readonly variance: number,
    private readonly mass: Float64Array,
    private readonly above: Float64Array,
    private readonly shortage: Float64Array,
  ) {}
  density(x: number): number {
    return x >= 0 && Number.isInteger(x) && x < this.mass.length ? this.mass[x]! : 0;
  }
  cdf(x: number): number {
    return 1 - this.survival(x);
  }
  survival(x: number): number {
    if (x < 0) return 1;
    const k = Math.floor(x);
    return k < this.above.length ? this.above[k]! : 0;
  }
  quantile(q: number): number {
    if (!(q > 0)) return 0;
    if (q >= 1) return Infinity;
    // Smallest k with P(X > k) <= 1 - q; `above` is non-increasing.
    const tail = 1 - q;
    let lo = -1;
    let hi = this.above.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (this.above[mid]! <= tail) hi = mid;
      else lo = mid;
    }
    return hi;
  }
  loss(x: number): number {
    if (x < 0) return this.mean - x;
    const k = Math.floor(x);
    if (k >= this.shortage.length) return 0;
    return Math.max(0, this.shortage[k]! - (x - k) * this.above[k]!);
  }
}

/**
 * The table's last index: enough occasions that more are beyond any tail we keep, each of the largest size (a
 * bound in units from the mean and sd of X alone misses lumpy tails: three orders of 13 and no fourth).
 */
function supportLimit(count: CountLaw, sizes: Sizes): number {
  return Math.ceil((count.mean + 40 * Math.sqrt(count.variance) + 20) * (sizes.mass.length - 1));
}

/** Tabulates the compound of `count` occasions with `sizes` by Panjer's recursion. */
function tabulate(count: CountLaw, sizes: Sizes, mean: number, variance: number): Compound {
  const g = sizes.mass;
  const limit = supportLimit(count, sizes);
  let f: Float64Array = new Float64Array(Math.min(limit, Math.ceil(mean + 12 * Math.sqrt(variance) + g.length)) + 1);
  f[0] = Math.exp(count.logP0);
  let total = f[0]!;
  let n = 1;
  for (; n <= limit && 1 - total > TAIL; n++) {
    if (n >= f.length) f = grow(f, Math.min(limit + 1, 2 * f.length));
    let sum = 0;
    const top = Math.min(n, g.length - 1);
    for (let j = 1; j <= top; j++) sum += (count.a + (count.b * j) / n) * g[j]! * f[n - j]!;
    f[n] = sum;
    total += sum;
  }
  const mass = f.subarray(0, n);
  const above = new Float64Array(n);
  // Upper tails summed from the top (precise where small), plus what the cut left out.
  let tail = Math.max(0, 1 - total);
  for (let k = n - 1; k >= 0; k--) {
    above[k] = tail;
    tail += mass[k]!;
  }
  const shortage = new Float64Array(n);
  let loss = mean;
  for (let k = 0; k < n; k++) {
    shortage[k] = Math.max(0, loss);
    loss -= above[k]!;
  }
  return new Compound(mean, variance, mass, above, shortage);
}

function grow(f: Float64Array, length: number): Float64Array {
  const bigger = new Float64Array(length);
  bigger.set(f);
  return bigger;
}

export interface IntermittentDemand {
  /** Expected demand occasions per day (order lines, not units). */
  occasionsPerDay: number;
  sizes: Sizes;
  leadTimeMeanDays: number;
  leadTimeSdDays: number;
}

/** Demand over the lead time for intermittent demand: compound of NB/Poisson occasions and sizes (see above). */
export function leadTimeCompound(d: IntermittentDemand): Distribution {
  const rate = d.occasionsPerDay;
  const count = countLaw(rate * d.leadTimeMeanDays, rate * d.leadTimeMeanDays + rate * rate * d.leadTimeSdDays ** 2);
  const sizeVariance = d.sizes.secondMoment - d.sizes.mean * d.sizes.mean;
  const mean = count.mean * d.sizes.mean;
  const variance = count.mean * sizeVariance + count.variance * d.sizes.mean * d.sizes.mean;
  if (mean === 0) return fitDistribution('poisson', 0, 0);
  const tooLong = count.mean > MAX_OCCASIONS || -count.logP0 > MAX_OCCASIONS || supportLimit(count, d.sizes) > MAX_SUPPORT;
  if (tooLong) return fitDistribution('negative-binomial', mean, variance);
  return tabulate(count, d.sizes, mean, variance);
}
