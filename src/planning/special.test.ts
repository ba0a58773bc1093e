import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { erf, erfc } from './erf.js';
import { binomialTerm, gammaP, gammaQ, incompleteBeta, logGamma, poissonTerm } from './special.js';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

/** ln((n-1)!) summed in double: exact enough (each log is correctly rounded, errors add up to ~n ulps). */
function logFactorial(n: number): number {
  let s = 0;
  for (let k = 2; k <= n; k++) s += Math.log(k);
  return s;
}

describe('logGamma (Lanczos)', () => {
  it('matches ln((n-1)!) and Gamma(1/2) = sqrt(pi)', () => {
    for (const n of [1, 2, 3, 5, 10, 20, 50, 100, 170]) expect(logGamma(n)).toBeCloseTo(logFactorial(n - 1), 11);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 15);
    expect(logGamma(1.5)).toBeCloseTo(Math.log(0.5 * Math.sqrt(Math.PI)), 15);
    expect(Math.exp(logGamma(4.5))).toBeCloseTo(11.631728396567448, 12);
    expect(logGamma(1e-8)).toBeCloseTo(-Math.log(1e-8) - 0.5772156649015329e-8, 12);
  });
});

describe('Poisson and binomial terms (Loader)', () => {
  it('agree with the exact recursions', () => {
    for (const lambda of [0.01, 1, 7.5, 120, 5000]) {
      let ref = poissonTerm(Math.floor(lambda), lambda);
      let k = Math.floor(lambda);
      for (let i = 0; i < 30; i++) {
        expect(rel(poissonTerm(k + 1, lambda), (ref * lambda) / (k + 1))).toBeLessThan(1e-13);
        ref = poissonTerm(k + 1, lambda);
        k++;
      }
    }
    expect(rel(poissonTerm(10, 3), Math.exp(10 * Math.log(3) - 3 - logFactorial(10)))).toBeLessThan(1e-14);
    expect(rel(binomialTerm(3, 10, 0.2, 0.8), 120 * 0.2 ** 3 * 0.8 ** 7)).toBeLessThan(1e-14);
    expect(rel(binomialTerm(0, 10, 0.2, 0.8), 0.8 ** 10)).toBeLessThan(1e-15);
  });
});

describe('regularised incomplete gamma', () => {
  it('has the closed forms P(1, x) = 1 - e^-x, P(1/2, x) = erf(sqrt x), P(2, 1) = 1 - 2/e', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 600, noNaN: true }), (x) => {
        expect(rel(gammaQ(1, x), Math.exp(-x))).toBeLessThan(1e-13);
        expect(rel(gammaP(1, x), -Math.expm1(-x))).toBeLessThan(1e-13);
        if (x < 30) expect(rel(gammaP(0.5, x), erf(Math.sqrt(x)))).toBeLessThan(1e-13);
        if (x < 600) expect(rel(gammaQ(0.5, x), erfc(Math.sqrt(x)))).toBeLessThan(5e-13);
      }),
    );
    expect(gammaP(2, 1)).toBeCloseTo(1 - 2 / Math.E, 15);
  });

  it('equals the Poisson sum Q(n, x) = P(Poisson(x) < n) for integer n, on both tails', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.double({ min: 0.01, max: 400, noNaN: true }), (n, x) => {
        let term = Math.exp(-x);
        let below = 0;
        for (let k = 0; k < n; k++) {
          below += term;
          term *= x / (k + 1);
        }
        let above = 0;
        for (let k = n; term > 1e-300 * (above + 1e-300) || k < x + 50; k++) {
          above += term;
          term *= x / (k + 1);
          if (k > n + 5000) break;
        }
        // The sums start from exp(-x), which underflows past x ~ 745; within range both tails match to ~1e-12.
        if (below > 1e-280) expect(rel(gammaQ(n, x), below)).toBeLessThan(1e-12);
        if (above > 1e-280) expect(rel(gammaP(n, x), above)).toBeLessThan(1e-12);
        expect(gammaP(n, x) + gammaQ(n, x)).toBeCloseTo(1, 14);
      }),
    );
  });
});

describe('regularised incomplete beta', () => {
  it('equals the binomial sum I_x(a, n - a + 1) = P(Binomial(n, x) >= a), both tails', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 0, max: 200 }), fc.double({ min: 0.001, max: 0.999, noNaN: true }), (a, extra, x) => {
        const n = a + extra;
        let atLeast = 0;
        let below = 0;
        for (let j = 0; j <= n; j++) {
          const t = binomialTerm(j, n, x, 1 - x);
          if (j >= a) atLeast += t;
          else below += t;
        }
        if (atLeast > 1e-250) expect(rel(incompleteBeta(a, n - a + 1, x, 1 - x), atLeast)).toBeLessThan(1e-11);
        if (below > 1e-250) expect(rel(incompleteBeta(a, n - a + 1, x, 1 - x, true), below)).toBeLessThan(1e-11);
      }),
    );
  });

  it('has I_x(1, 1) = x and I_x(a, 1) = x^a', () => {
    expect(incompleteBeta(1, 1, 0.3, 0.7)).toBeCloseTo(0.3, 15);
    expect(incompleteBeta(2.5, 1, 0.4, 0.6)).toBeCloseTo(0.4 ** 2.5, 15);
    expect(incompleteBeta(2.5, 1, 0, 1)).toBe(0);
    expect(incompleteBeta(2.5, 1, 1, 0, true)).toBe(0);
  });
});
