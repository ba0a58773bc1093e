/**
 * Special functions behind the demand distributions, pure TypeScript in double precision.
 *
 * - logGamma: Lanczos' approximation (g = 7, 9 terms), ~1e-15 relative on Gamma.
 * - poissonTerm / binomialTerm: x^a e^-x / Gamma(a + 1) and the binomial probability in Loader's saddle-point form
 *   (C. Loader, "Fast and accurate computation of binomial probabilities", 2000; as R's dpois_raw/dbinom_raw).
 *   exp(a ln x - x - lnGamma(a + 1)) subtracts numbers of size a and loses about log10(a) digits; this does not.
 *   They are also the prefactors of the incomplete gamma and beta functions below.
 * - regularised incomplete gamma P(a, x), Q(a, x): series for x < a + 1, else the modified Lentz continued fraction
 *   (Numerical Recipes, 3rd ed., Press et al. 2007, §6.2). Each side is computed directly, never as 1 - the other,
 *   so upper tails keep their relative precision.
 * - regularised incomplete beta I_x(a, b): the continued fraction of NR §6.4, evaluated on the side where it converges.
 */

const LN_SQRT_2PI = 0.9189385332046727417803297; // ln sqrt(2 pi)
const EPS = 1e-16;
const TINY = 1e-300;
const MAX_TERMS = 100_000;

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Gamma(x) for x > 0. */
export function logGamma(x: number): number {
  // Below 1/2 the shift x - 1 goes negative and Lanczos' sum loses accuracy: step up by one instead.
  if (x < 0.5) return logGamma(x + 1) - Math.log(x);
  const y = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < 9; i++) sum += LANCZOS[i]! / (y + i);
  const t = y + 7.5;
  return LN_SQRT_2PI + (y + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Stirling's error ln Gamma(n + 1) - [(n + 1/2) ln n - n + ln sqrt(2 pi)]. */
export function stirlingError(n: number): number {
  if (n <= 15) return logGamma(n + 1) - (n + 0.5) * Math.log(n) + n - LN_SQRT_2PI;
  const nn = 1 / (n * n);
  // 1/12, 1/360, 1/1260, 1/1680, 1/1188: the asymptotic series, cut where its next term is below 1e-17.
  if (n > 500) return (1 / 12 - nn / 360) / n;
  if (n > 80) return (1 / 12 - (1 / 360 - nn / 1260) * nn) / n;
  if (n > 35) return (1 / 12 - (1 / 360 - (1 / 1260 - nn / 1680) * nn) * nn) / n;
  return (1 / 12 - (1 / 360 - (1 / 1260 - (1 / 1680 - nn / 1188) * nn) * nn) * nn) / n;
}

/** Loader's deviance term x ln(x / m) + m - x, computed without cancellation when x is near m. */
export function deviance(x: number, m: number): number {
  if (Math.abs(x - m) < 0.1 * (x + m)) {
    let v = (x - m) / (x + m);
    let s = (x - m) * v;
    let ej = 2 * x * v;
    v *= v;
    for (let j = 1; j < 1000; j++) {
      ej *= v;
      const next = s + ej / (2 * j + 1);
      if (next === s) return next;
      s = next;
    }
    return s;
  }
  return x * Math.log(x / m) + m - x;
}

/** x^a e^-x / Gamma(a + 1) for a >= 0, x >= 0: the Poisson probability of a at mean x, also for non-integer a. */
export function poissonTerm(a: number, x: number): number {
  if (x === 0) return a === 0 ? 1 : 0;
  if (a === 0) return Math.exp(-x);
  if (!Number.isFinite(x)) return 0;
  return Math.exp(-stirlingError(a) - deviance(a, x)) / Math.sqrt(2 * Math.PI * a);
}

/** Gamma(n + 1) / (Gamma(k + 1) Gamma(n - k + 1)) p^k q^(n - k), with q = 1 - p given separately for precision. */
export function binomialTerm(k: number, n: number, p: number, q: number): number {
  if (p === 0) return k === 0 ? 1 : 0;
  if (q === 0) return k === n ? 1 : 0;
  if (k === 0) return Math.exp(n * Math.log1p(-p));
  if (k === n) return Math.exp(n * Math.log(p));
  const lc = stirlingError(n) - stirlingError(k) - stirlingError(n - k) - deviance(k, n * p) - deviance(n - k, n * q);
  const lf = Math.log(2 * Math.PI) + Math.log(k) + Math.log1p(-k / n);
  return Math.exp(lc - 0.5 * lf);
}

/** Series for P(a, x) / (a * poissonTerm(a, x)); converges for x < a + 1. */
function gammaSeries(a: number, x: number): number {
  let ap = a;
  let term = 1 / a;
  let sum = term;
  for (let i = 0; i < MAX_TERMS; i++) {
    ap += 1;
    term *= x / ap;
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPS) break;
  }
  return sum;
}

/** Continued fraction for Q(a, x) / (a * poissonTerm(a, x)); converges for x > a + 1 (modified Lentz). */
function gammaFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_TERMS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return h;
}

/** Regularised lower incomplete gamma P(a, x) = gamma(a, x) / Gamma(a). */
export function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  if (!Number.isFinite(x)) return 1;
  const front = a * poissonTerm(a, x);
  return x < a + 1 ? front * gammaSeries(a, x) : 1 - front * gammaFraction(a, x);
}

/** Regularised upper incomplete gamma Q(a, x) = 1 - P(a, x), accurate when small. */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  if (!Number.isFinite(x)) return 0;
  const front = a * poissonTerm(a, x);
  return x < a + 1 ? 1 - front * gammaSeries(a, x) : front * gammaFraction(a, x);
}

/** Continued fraction of I_x(a, b) (NR betacf), converging for x < (a + 1) / (a + b + 2). */
function betaFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < MAX_TERMS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return h;
}

/**
 * Regularised incomplete beta I_x(a, b), with y = 1 - x passed in (the caller often knows it more precisely than
 * 1 - x). `upper` asks for 1 - I_x(a, b) = I_y(b, a) instead, computed directly rather than by subtraction.
 */
export function incompleteBeta(a: number, b: number, x: number, y: number, upper = false): number {
  if (x <= 0) return upper ? 1 : 0;
  if (y <= 0) return upper ? 0 : 1;
  // x^a y^b / (a B(a, b)) = binomialTerm(a, a + b, x, y) * b / (a + b): Loader's form keeps it accurate.
  const front = binomialTerm(a, a + b, x, y);
  if (x < (a + 1) / (a + b + 2)) {
    const lower = ((front * b) / (a + b)) * betaFraction(a, b, x);
    return upper ? 1 - lower : lower;
  }
  const other = ((front * a) / (a + b)) * betaFraction(b, a, y);
  return upper ? other : 1 - other;
}
