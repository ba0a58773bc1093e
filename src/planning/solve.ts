/**
 * Root finding on monotone functions, the two shapes the policy code needs: a real root (reorder points for
 * continuous demand, gamma quantiles) and the smallest integer meeting a monotone condition (discrete quantiles and
 * fill-rate reorder points). Both take closures so callers can share work between a value and its slope.
 */

/**
 * Root of a monotone f between lo and hi (f(lo) and f(hi) of opposite signs, or one of them 0) by Newton steps that
 * fall back to bisection when a step would leave the bracket or is not shrinking fast enough ("rtsafe", Numerical
 * Recipes §9.4). `slope(x)` is always called right after `f(x)` at the same x, so it may reuse what f computed.
 * Stops when a step is below `xTolerance` or |f| <= `fTolerance`.
 */
export function solveMonotone(
  f: (x: number) => number,
  slope: (x: number) => number,
  lo: number,
  hi: number,
  start: number,
  xTolerance: number,
  fTolerance = 0,
): number {
  const fLo = f(lo);
  if (fLo === 0) return lo;
  const fHi = f(hi);
  if (fHi === 0) return hi;
  if (fLo * fHi > 0) throw new RangeError(`solveMonotone: no sign change on [${lo}, ${hi}]`);
  // Orient so f(below) < 0 < f(above); then the sign of f(x) says which end x replaces.
  let below = fLo < 0 ? lo : hi;
  let above = fLo < 0 ? hi : lo;
  let x = start > Math.min(lo, hi) && start < Math.max(lo, hi) ? start : 0.5 * (lo + hi);
  let step = Math.abs(hi - lo);
  let previousStep = step;
  let fx = f(x);
  let dfx = slope(x);
  for (let i = 0; i < 200; i++) {
    if (Math.abs(fx) <= fTolerance) return x;
    if (fx < 0) below = x;
    else above = x;
    const newtonLeaves = ((x - above) * dfx - fx) * ((x - below) * dfx - fx) > 0;
    if (newtonLeaves || Math.abs(2 * fx) > Math.abs(previousStep * dfx)) {
      previousStep = step;
      step = 0.5 * (above - below);
      const next = below + step;
      if (next === x) return x;
      x = next;
    } else {
      previousStep = step;
      step = fx / dfx;
      const next = x - step;
      if (next === x) return x;
      x = next;
    }
    if (Math.abs(step) < xTolerance) return x;
    fx = f(x);
    dfx = slope(x);
  }
  return x;
}

/** Smallest integer in (lo, hi] satisfying a monotone `ok`, given ok(hi) and not ok(lo). */
function bisectIntegers(ok: (k: number) => boolean, lo: number, hi: number): number {
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (ok(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * Smallest integer k >= min with ok(k), for a monotone `ok` (false below some point, true from it on) that holds
 * somewhere. Starts at `guess` and gallops outwards, so a good guess costs a handful of calls.
 */
export function firstInteger(ok: (k: number) => boolean, guess: number, min: number): number {
  const start = Number.isFinite(guess) ? Math.max(min, Math.round(guess)) : min;
  let step = 1;
  if (ok(start)) {
    let hi = start;
    while (hi > min) {
      const lo = Math.max(min, hi - step);
      if (!ok(lo)) return bisectIntegers(ok, lo, hi);
      hi = lo;
      step *= 2;
    }
    return min;
  }
  let lo = start;
  for (;;) {
    const hi = lo + step;
    if (ok(hi)) return bisectIntegers(ok, lo, hi);
    lo = hi;
    step *= 2;
    if (step > 2 ** 53) throw new RangeError('firstInteger: no integer satisfies the condition');
  }
}
