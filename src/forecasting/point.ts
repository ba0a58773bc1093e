/**
 * The point forecast that minimises the expected RMSSE, for slow count demand.
 *
 * Which single number is the best forecast depends on the error measure: the mean minimises the expected squared
 * error, the median the absolute error (Kolassa 2016, "Evaluating predictive count data distributions in retail
 * sales forecasting", IJF 32(3); Gneiting 2011, "Making and evaluating point forecasts", JASA 106). RMSSE (M5,
 * Makridakis et al. 2022) takes the square root of the mean squared error over the horizon PER SERIES before
 * averaging, which rewards an exact zero when the whole window is likely to have no demand at all: for Poisson
 * demand of mean 0.1 a period over 6 periods the best point is 0, for 0.3 it is about 0.7 x the mean, and above
 * about 2 it is the mean.
 *
 * Here: with Y_1..Y_h independent Poisson(m), minimise E sqrt(mean_j (Y_j - f)^2) over f in [0, m]. Given that k
 * of the h periods have demand, the sum over them is replaced by its conditional expectation,
 *   E[.] ~ sum_k P(k) sqrt((k (m2 - 2 f m1) + h f^2) / h),   k ~ Binomial(h, 1 - e^-m),
 * m1, m2 the first two moments of demand given demand; golden-section search then finds f. The Poisson law (the
 * least dispersed count law for a mean) keeps the shrinkage to series where even it makes an empty window likely;
 * the NB's extra dispersion would shrink more and bias the total down. The scale of RMSSE does not move the argmin.
 */

const GOLDEN = (Math.sqrt(5) - 1) / 2;

/** The point forecast minimising expected RMSSE over h periods of Poisson demand with mean m per period. */
export function rmsseOptimalPoint(m: number, h: number): number {
  if (!(m > 0) || !(h >= 1)) return Math.max(0, m);
  if (m >= 5) return m;
  const p0 = Math.exp(-m);
  const pz = 1 - p0;
  const m1 = m / pz;
  const m2 = (m + m * m) / pz;
  const weights = binomialWeights(Math.round(h), pz);
  let lo = 0;
  let hi = m;
  let x1 = hi - GOLDEN * (hi - lo);
  let x2 = lo + GOLDEN * (hi - lo);
  let f1 = expectedLoss(weights, m1, m2, h, x1);
  let f2 = expectedLoss(weights, m1, m2, h, x2);
  while (hi - lo > 1e-4 * m) {
    if (f1 <= f2) {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - GOLDEN * (hi - lo);
      f1 = expectedLoss(weights, m1, m2, h, x1);
    } else {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + GOLDEN * (hi - lo);
      f2 = expectedLoss(weights, m1, m2, h, x2);
    }
  }
  const best = (lo + hi) / 2;
  // The loss has a kink at f = 0 (the all-zero window), which the bracket search can miss.
  return expectedLoss(weights, m1, m2, h, 0) <= expectedLoss(weights, m1, m2, h, best) ? 0 : best;
}

/** The approximate expected RMS error of the point f (see above). */
function expectedLoss(weights: Float64Array, m1: number, m2: number, h: number, f: number): number {
  let sum = 0;
  for (let k = 0; k < weights.length; k++) sum += weights[k]! * Math.sqrt(Math.max(0, (k * (m2 - 2 * f * m1) + h * f * f) / h));
  return sum;
}

/** P(k successes in h trials), k = 0..h, by the recursion on k in logarithms (no underflow for long windows). */
function binomialWeights(h: number, p: number): Float64Array {
  const w = new Float64Array(h + 1);
  const logRatio = Math.log(p) - Math.log1p(-p);
  let log = h * Math.log1p(-p);
  for (let k = 0; k <= h; k++) {
    w[k] = Math.exp(log);
    log += Math.log((h - k) / (k + 1)) + logRatio;
  }
  return w;
}
