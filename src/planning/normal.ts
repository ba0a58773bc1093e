/**
 * The standard normal distribution: density, cdf, survival, quantile and the standard loss function
 * G(k) = E[(Z - k)+] = phi(k) - k (1 - Phi(k)) that Silver, Pyke & Thomas (2017, ch. 6 and its appendix on the
 * normal distribution) write G_u(k) and tabulate. The cdf goes through erfc so both tails keep relative precision;
 * G(k) beyond k = 2.5 uses Laplace's continued fraction for Mills' ratio, which avoids the cancellation of the
 * direct formula (~1e-15 relative up to k = 12 against 120-digit references). The quantile starts from Acklam's
 * rational approximation (relative error 1.15e-9) and takes one Halley step on the exact cdf, which leaves it at
 * the precision of erfc (~1e-15).
 */
import { erfc } from './erf.js';
import { solveMonotone } from './solve.js';

const INV_SQRT_2PI = 0.3989422804014326779399461; // 1 / sqrt(2 pi)

/** Standard normal density phi(z). */
export function normalPdf(z: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * z * z);
}

/** Standard normal cdf Phi(z). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z * Math.SQRT1_2);
}

/** Standard normal survival 1 - Phi(z), accurate in the upper tail. */
export function normalSurvival(z: number): number {
  return 0.5 * erfc(z * Math.SQRT1_2);
}

/** The standard normal loss function G(k) = E[(Z - k)+] (units short per unit of sigma). */
export function normalLoss(k: number): number {
  if (k <= 2.5) return normalPdf(k) - k * normalSurvival(k);
  // Beyond k = 2.5 phi(k) - k (1 - Phi(k)) subtracts two numbers that agree to 1/k^2 and loses ~k^2 ulps. With Laplace's
  // continued fraction for Mills' ratio, 1 - Phi(k) = phi(k) / (k + t), t = 1/(k + 2/(k + 3/(k + ...))), the loss is
  // phi(k) t / (k + t) with no cancellation. 100 levels converge to double precision from k = 2.5, 40 from k = 4.
  let f = k;
  for (let j = k < 4 ? 101 : 41; j >= 2; j--) f = k + j / f;
  const t = 1 / f;
  return (normalPdf(k) * t) / (k + t);
}

const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

/** Acklam's rational approximation of the normal quantile (relative error below 1.15e-9). */
function acklam(p: number): number {
  if (p < P_LOW || p > 1 - P_LOW) {
    // Tails: a rational function of sqrt(-2 ln p), computed from the smaller of p and 1 - p.
    const q = Math.sqrt(-2 * Math.log(p < P_LOW ? p : 1 - p));
    const x =
      (((((C[0]! * q + C[1]!) * q + C[2]!) * q + C[3]!) * q + C[4]!) * q + C[5]!) /
      ((((D[0]! * q + D[1]!) * q + D[2]!) * q + D[3]!) * q + 1);
    return p < P_LOW ? x : -x;
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((A[0]! * r + A[1]!) * r + A[2]!) * r + A[3]!) * r + A[4]!) * r + A[5]!) * q) /
    (((((B[0]! * r + B[1]!) * r + B[2]!) * r + B[3]!) * r + B[4]!) * r + 1)
  );
}

/** Standard normal quantile Phi^-1(p) for 0 < p < 1 (-Infinity at 0, Infinity at 1). */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const x = acklam(p);
  // One Halley step on the tail that is small, so e is a difference of two accurate small numbers.
  const e = p < 0.5 ? normalCdf(x) - p : (1 - p) - normalSurvival(x);
  const u = e / normalPdf(x);
  if (!Number.isFinite(u)) return x;
  return x - u / (1 + 0.5 * x * u);
}

/** The k with G(k) = v for v > 0 (the table look-up "find k from G(k)" of the fill-rate rules), by safeguarded Newton. */
export function normalLossInverse(v: number): number {
  if (!(v > 0)) return Infinity;
  // G(k) > -k, so G(-v - 1) > v; G(k) < phi(k) / k^2 < v for k beyond sqrt(-2 ln v).
  const lo = -v - 1;
  const hi = v < 1 ? Math.sqrt(-2 * Math.log(v)) + 1 : 1;
  return solveMonotone((k) => normalLoss(k) - v, (k) => -normalSurvival(k), lo, hi, v < 0.3989 ? 0.5 * hi : -v, 1e-14);
}
