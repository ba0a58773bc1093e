import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { erf, erfc } from './erf.js';
import { normalCdf, normalLoss, normalLossInverse, normalQuantile, normalSurvival } from './normal.js';

// High-precision references in BigInt fixed point (120 decimal digits): enough for the erf series at |x| <= 9,
// whose largest term is about e^(x^2) ~ 1e35 before it cancels down to erfc(9) ~ 4e-37.
const DIGITS = 120n;
const ONE = 10n ** DIGITS;

/** A double converted exactly (x = m / 2^e with integer m), then rounded to the fixed point. */
function fixed(x: number): bigint {
  let m = x;
  let e = 0n;
  while (!Number.isInteger(m)) {
    m *= 2;
    e++;
  }
  return (BigInt(m) * ONE) / 2n ** e;
}
const mul = (a: bigint, b: bigint) => (a * b) / ONE;
const div = (a: bigint, b: bigint) => (a * ONE) / b;
function sqrt(a: bigint): bigint {
  let x = BigInt(Math.floor(Math.sqrt(Number(a / ONE) + 1))) * ONE + ONE;
  for (let i = 0; i < 500; i++) {
    const next = (x + div(a, x)) / 2n;
    if (next === x) break;
    x = next;
  }
  return x;
}
function atanInverse(n: bigint): bigint {
  let sum = 0n;
  let power = ONE / n;
  for (let k = 0n; power !== 0n; k++) {
    sum += (k % 2n === 0n ? 1n : -1n) * (power / (2n * k + 1n));
    power /= n * n;
  }
  return sum;
}
const PI = 16n * atanInverse(5n) - 4n * atanInverse(239n);
function exp(a: bigint): bigint {
  // exp of |a| by its all-positive series, then the reciprocal for negative a.
  const y = a < 0n ? -a : a;
  let sum = ONE;
  let term = ONE;
  for (let n = 1n; term !== 0n; n++) {
    term = mul(term, y) / n;
    sum += term;
  }
  return a < 0n ? div(ONE, sum) : sum;
}
/** erfc(z) = 1 - 2/sqrt(pi) sum (-1)^n z^(2n+1) / (n! (2n+1)). */
function erfcExact(z: bigint): bigint {
  const z2 = mul(z, z);
  let term = z; // z^(2n+1) / n!
  let sum = 0n;
  for (let n = 0n; term !== 0n; n++) {
    sum += (n % 2n === 0n ? 1n : -1n) * (term / (2n * n + 1n));
    term = mul(term, z2) / (n + 1n);
  }
  return ONE - div(2n * sum, sqrt(PI));
}
/** G(k) = phi(k) - k (1 - Phi(k)) with 1 - Phi(k) = erfc(k / sqrt 2) / 2. */
function lossExact(k: bigint): bigint {
  const phi = div(exp(-mul(k, k) / 2n), sqrt(2n * PI));
  return phi - mul(k, erfcExact(div(k, sqrt(2n * ONE))) / 2n);
}
/** |ours - exact| / |exact|, computed in fixed point so the comparison adds no rounding of its own. */
function relativeError(ours: number, exact: bigint): number {
  const diff = fixed(ours) - exact;
  return Number((diff < 0n ? -diff : diff) * 10n ** 30n / (exact < 0n ? -exact : exact)) / 1e30;
}

describe('erf and erfc against 120-digit references', () => {
  it.each([0, 1e-10, 0.1, 0.25, 0.5, 0.84375, 1, 1.25, 2, 2.857, 3, 4, 5, 6, 8, 9])('erfc(%d)', (x) => {
    expect(relativeError(erfc(x), erfcExact(fixed(x)))).toBeLessThan(1e-15);
  });

  it('erfc keeps relative precision for random x in [-5, 9] and erf for x in [-5, 5]', () => {
    fc.assert(
      fc.property(fc.double({ min: -5, max: 9, noNaN: true }), (x) => {
        const exact = erfcExact(fixed(x));
        expect(relativeError(erfc(x), exact)).toBeLessThan(1.5e-15);
        if (Math.abs(x) > 1e-100 && x <= 5) expect(relativeError(erf(x), ONE - exact)).toBeLessThan(1.5e-15);
      }),
      { numRuns: 150 },
    );
  });

  it('has the right symmetries and limits', () => {
    expect(erf(-0.7)).toBe(-erf(0.7));
    expect(erfc(-3) + erfc(3)).toBeCloseTo(2, 15);
    expect(erfc(30)).toBe(0);
    expect(erfc(-30)).toBe(2);
    expect(erf(Infinity)).toBe(1);
    expect(Number.isNaN(erfc(NaN))).toBe(true);
  });
});

describe('standard normal loss G(k)', () => {
  it('matches the 4-decimal tables (SPT, appendix to ch. 6)', () => {
    expect(normalLoss(0)).toBeCloseTo(0.3989, 4);
    expect(normalLoss(0.5)).toBeCloseTo(0.1978, 4);
    expect(normalLoss(1)).toBeCloseTo(0.0833, 4);
    expect(normalLoss(1.5)).toBeCloseTo(0.02931, 5);
    expect(normalLoss(2)).toBeCloseTo(0.008491, 6);
    expect(normalLoss(3)).toBeCloseTo(0.0003822, 7);
  });

  it.each([-3, -1, 0, 0.5, 1, 2, 2.49, 2.51, 3, 3.99, 4.01, 5, 6, 8, 12])('G(%d) to 1e-14 relative of the high-precision value', (k) => {
    expect(relativeError(normalLoss(k), lossExact(fixed(k)))).toBeLessThan(1e-14);
  });

  it('satisfies G(-k) = G(k) + k and inverts', () => {
    fc.assert(
      fc.property(fc.double({ min: -6, max: 8, noNaN: true }), (k) => {
        expect(normalLoss(-k)).toBeCloseTo(normalLoss(k) + k, 12);
        const v = normalLoss(k);
        if (v > 1e-300) expect(normalLossInverse(v)).toBeCloseTo(k, 8);
      }),
    );
  });
});

describe('standard normal cdf and quantile', () => {
  it('knows the usual values', () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(normalQuantile(0.95)).toBeCloseTo(1.6448536269514722, 14);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalSurvival(10)).toBeCloseTo(7.619853024160527e-24, 36);
  });

  it('quantile inverts the cdf to ~1e-15 (times the conditioning 1 + z^2 of the tails)', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-300, max: 1, noNaN: true, maxExcluded: true }), (p) => {
        const z = normalQuantile(p);
        // Rounding z itself moves the cdf by about z^2 ulps relative in the far tail: that much is the input's.
        const tolerance = 2e-15 * (1 + z * z);
        if (p < 0.5) expect(Math.abs(normalCdf(z) - p) / p).toBeLessThan(tolerance);
        else expect(Math.abs(normalSurvival(z) - (1 - p)) / (1 - p)).toBeLessThan(tolerance);
      }),
      { numRuns: 500 },
    );
  });
});
